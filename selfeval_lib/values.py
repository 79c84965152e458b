"""Values shared by the county's files (frameworks) and the townships' (the data contract):
exact decimals read with a helpful refusal, grades, the frozen model every input becomes, and
where a figure comes from: stated, not stated (未填报, NOT_STATED) or illustrative (※).

A figure the report uses is a `Fig`: its value, whether it rests on an illustrative input (※),
and which not-stated inputs it would need. `fig_apply` is the one place where figures are
combined, so a sum with a missing part is missing and a rate over a marked input is marked."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WrapSerializer,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import WRITE_NOT_STATED, excerpt

GRADES = ("优", "良", "中", "差")
# the items of “三公”经费 (sangong.csv 项目), which a framework's named figures also name
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
Grade = Literal["优", "良", "中", "差"]
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$", re.ASCII)
# pydantic error types of the refusals below (only their messages are shown)
NOT_FINITE, EMPTY, YUAN, NOT_A_NUMBER = "not_finite", "empty", "yuan", "not_a_number"


def _to_decimal(value: object) -> Decimal:
    """Read a number exactly; refuse text such as "1,589.88万" with a bilingual hint."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):  # bool is an int; "true" is never an amount
        raise _not_a_number(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise PydanticCustomError(
                NOT_FINITE,
                '"{found}" 不是有限的数 / "{found}" is not a finite number',
                {"found": excerpt(value)},
            )
        return Decimal(repr(value))  # shortest round-trip text: 1589.88 stays 1589.88
    if isinstance(value, str) and _PLAIN_NUMBER.match(value.strip()):
        return Decimal(value.strip())
    raise _not_a_number(value)


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$", re.ASCII)


def _suggest(text: str) -> str:
    """A safe rewrite of a near-number, or '' when guessing could be wrong by a factor."""
    plain = unicodedata.normalize("NFKC", text).strip()
    if plain.endswith("万元") or plain.endswith("万"):
        plain = plain.removesuffix("万元").removesuffix("万").strip()
    if _GROUPED.match(plain):
        plain = plain.replace(",", "")
    return plain if _PLAIN_NUMBER.match(plain) else ""


DASHES = ("-", "—", "——", "–", "/", "无", "N/A", "n/a", "NA", "空")


def _not_a_number(value: object) -> PydanticCustomError:
    text = excerpt(str(value).strip())
    if not text:
        return PydanticCustomError(
            EMPTY,
            f"缺少数值 / the value is missing; {WRITE_NOT_STATED}",
        )
    if re.search(r"\d\s*元$", unicodedata.normalize("NFKC", text)):  # a digit before 元: not 万元
        return PydanticCustomError(
            YUAN,
            '"{found}" 以元为单位；金额应以万元计，例如 13000元 写作 1.3 / "{found}" is in 元; '
            "amounts are in 万元 (10,000 元): 13000元 is 1.3",
            {"found": text},
        )
    suggestion = _suggest(text)
    hint = f"; 应写为 {suggestion} / write {suggestion}" if suggestion else ""
    if unicodedata.normalize("NFKC", text).strip() in DASHES:  # a clerk's "nothing to say"
        hint = f"; {WRITE_NOT_STATED}; 确为零的填 0 / if it is zero, write 0"
    return PydanticCustomError(
        NOT_A_NUMBER,
        '"{found}" 不是数字 / "{found}" is not a number{hint}',
        {"found": text, "hint": hint},
    )


Number = Annotated[Decimal, BeforeValidator(_to_decimal)]

_WITH_UNIT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(分|%)\s*$")


def _to_bare_decimal(value: object) -> Decimal:
    """A county's number, written bare: "12分" or "95%" is refused with the hint to write 12."""
    if isinstance(value, str):
        written = _WITH_UNIT.match(unicodedata.normalize("NFKC", value))
        if written:
            raise PydanticCustomError(
                "number_with_unit",
                '"{found}" 不是数字：只写数字，不写“{unit}”，应写为 {bare} / "{found}" is not a '
                'number: write it without "{unit}": {bare}',
                {"found": excerpt(value), "unit": written[2], "bare": written[1]},
            )
    return _to_decimal(value)


BareNumber = Annotated[Decimal, BeforeValidator(_to_bare_decimal)]  # points, percents: 12 not 12分


class Frozen(BaseModel):
    """Validated inputs are immutable and refuse unknown keys."""

    # a field's docstring is its description: the framework reference and JSON Schema print it
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True
    )

    @model_validator(mode="after")
    def _known_illustrative_columns(self):
        """A row's 示例数据 cell may only name columns of that table."""
        illustrative = getattr(self, "illustrative", ())
        fields = type(self).model_fields
        if "illustrative" in fields and fields["illustrative"].alias == "示例数据":
            columns = [f.alias for n, f in fields.items() if n != "illustrative"]
            unknown = [m for m in illustrative if m not in columns]
            if unknown:
                raise PydanticCustomError(
                    "unknown_illustrative",
                    "示例数据列写了不存在的列 {unknown} / 示例数据 names unknown columns {unknown}; "
                    "allowed: {allowed}",
                    {"unknown": "、".join(unknown), "allowed": "、".join(columns)},
                )
        return self


# --- 未填报: the source does not state this -------------------------------------------------------

NOT_STATED_WORD = "未填报"
NOT_APPLICABLE_WORD = "不适用"  # a rate over a zero base: never for a value not stated


class NotStated:
    """The value of anything the source does not state. One instance, NOT_STATED.

    It has no truth value, no order and no arithmetic: code that would treat it as 0, as False
    or as a number fails at once instead of printing or scoring something nobody said."""

    _instance: NotStated | None = None

    def __new__(cls) -> NotStated:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_STATED"

    def __str__(self) -> str:
        return NOT_STATED_WORD

    def __bool__(self) -> bool:
        raise TypeError("未填报 has no truth value: test `is NOT_STATED` first")

    def __reduce__(self) -> str:
        return "NOT_STATED"  # pickling keeps the one instance

    def __copy__(self) -> NotStated:
        return self

    def __deepcopy__(self, memo: dict) -> NotStated:
        return self


NOT_STATED = NotStated()


def is_not_stated_text(value: object) -> bool:
    return (
        isinstance(value, str) and unicodedata.normalize("NFKC", value).strip() == NOT_STATED_WORD
    )


def _or_not_stated(value: object, handler: Callable[[object], object]) -> object:
    if value is NOT_STATED or is_not_stated_text(value):
        return NOT_STATED
    return handler(value)


def _dump_not_stated(value: object, handler: Callable[[object], object]) -> object:
    return NOT_STATED_WORD if value is NOT_STATED else handler(value)


class _OrNotStated:
    """`OrNotStated[Count]`: a Count, or 未填报 (read as NOT_STATED, written back as 未填报)."""

    def __class_getitem__(cls, tp: Any) -> Any:  # pragma: no mutate block
        return Annotated[tp, WrapValidator(_or_not_stated), WrapSerializer(_dump_not_stated)]


OrNotStated = _OrNotStated


def accepts_not_stated(field: Any) -> bool:
    """Whether a model field (pydantic FieldInfo) takes 未填报."""
    return any(isinstance(m, WrapValidator) and m.func is _or_not_stated for m in field.metadata)


# --- figures that carry where they came from ------------------------------------------------------


@dataclass(frozen=True)
class Fig:
    """A figure as the report uses it.

    value: the number; None when it cannot be given (not stated, or not applicable).
    illustrative: it is, or is computed from, an illustrative (※ 示例数据) input.
    missing: where each not-stated input it would need is ("budget.csv: 第2行 列\"年初预算\"");
        not empty exactly when the figure is 未填报.
    """

    value: Decimal | None
    illustrative: bool = False
    missing: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return self.value is not None

    @property
    def not_stated(self) -> bool:
        return bool(self.missing)


NONE = Fig(None)  # not applicable, or an optional figure not given


def fig(value: object, illustrative: bool = False, *, where: str) -> Fig:
    """A Fig from one input value: a number, NOT_STATED (未填报, naming `where` the value would
    be) or None (optional, not given: no value, so nothing a ※ could mark, whatever the row's
    示例数据 lists)."""
    if value is NOT_STATED:
        return Fig(None, illustrative, (where,))
    if value is None:
        return NONE
    return Fig(Decimal(value), illustrative)


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for g in groups for w in g))


def fig_none(*figs: Fig) -> Fig:
    """No figure, resting on figs: marked if any is marked, not stated where any is (naming
    every place they need)."""
    return Fig(None, any(f.illustrative for f in figs), _union(f.missing for f in figs))


def fig_apply(fn: Callable[..., Decimal | None], *figs: Fig) -> Fig:
    """fn over the values of figs: not stated if any input is, None if any is None (or fn gives
    None), marked if any input is marked."""
    if any(f.value is None for f in figs):
        return fig_none(*figs)
    return Fig(fn(*(f.value for f in figs)), any(f.illustrative for f in figs))


def fig_sum(figs: Iterable[Fig]) -> Fig:
    figs = tuple(figs)
    return fig_apply(lambda *v: sum(v, Decimal(0)), *figs)


def stated_or(stated: Fig, computed: Fig) -> Fig:
    """The unit's own figure where it states one, else the one computed from its lines."""
    return stated if stated.given or stated.not_stated and not computed.given else computed
