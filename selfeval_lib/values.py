"""Values shared by the county's files (frameworks) and the townships' (the data contract):
exact decimals read with a helpful refusal, grades, and the frozen model every input becomes."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

GRADES = ("优", "良", "中", "差")
Grade = Literal["优", "良", "中", "差"]
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$", re.ASCII)


def _to_decimal(value: object) -> Decimal:
    """Read a number exactly; refuse text such as "1,589.88万" with a bilingual hint."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):  # bool is an int; "true" is never an amount
        raise _not_a_number(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
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


def _not_a_number(value: object) -> PydanticCustomError:
    text = str(value).strip()
    if not text:
        return PydanticCustomError("empty", "缺少数值 / the value is missing")
    if re.search(r"\d\s*元$", unicodedata.normalize("NFKC", text)) and not text.endswith("万元"):
        return PydanticCustomError(
            "yuan",
            '"{found}" 以元为单位；金额应以万元计，例如 13000元 写作 1.3 / "{found}" is in 元; '
            "amounts are in 万元 (10,000 元): 13000元 is 1.3",
            {"found": text},
        )
    suggestion = _suggest(text)
    hint = f"; 应写为 {suggestion} / write {suggestion}" if suggestion else ""
    return PydanticCustomError(
        "not_a_number",
        '"{found}" 不是数字 / "{found}" is not a number{hint}',
        {"found": text, "hint": hint},
    )


Number = Annotated[Decimal, BeforeValidator(_to_decimal)]


class Frozen(BaseModel):
    """Validated inputs are immutable and refuse unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _known_illustrative_columns(self):
        """A row's 示例数据 cell may only name columns of that table."""
        marked = getattr(self, "illustrative", ())
        fields = type(self).model_fields
        if "illustrative" in fields and fields["illustrative"].alias == "示例数据":
            columns = [f.alias for n, f in fields.items() if n != "illustrative"]
            unknown = [m for m in marked if m not in columns]
            if unknown:
                raise PydanticCustomError(
                    "unknown_illustrative",
                    "示例数据列写了不存在的列 {unknown} / 示例数据 names unknown columns {unknown}; "
                    "allowed: {allowed}",
                    {"unknown": "、".join(unknown), "allowed": "、".join(columns)},
                )
        return self
