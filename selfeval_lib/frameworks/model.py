"""Indicator frameworks (评分表) as data: indicators, weights, scoring rules and grade bands."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from ..errors import FrameworkError, describe_pydantic_error
from ..fileio import read_yaml
from ..values import Frozen, Grade, Number
from .rules import Check, check_item

DEFAULT_FRAMEWORK = "gd_township_2024"
FRAMEWORK_DIR = Path(__file__).parent  # the bundled frameworks lie beside this module


NonNegative = Annotated[Number, Field(ge=0)]
RULE_KINDS = ("target_completion", "rate", "budget_cap", "coverage", "checklist", "manual")
UNIT_KINDS = ("镇", "乡", "街道", "县直部门", "其他")


class TargetCompletionRule(Frozen):
    kind: Literal["target_completion"]
    category: Literal["产出", "效益"]


class RateRule(Frozen):
    kind: Literal["rate"]
    measure: Literal["spending_rate"]
    full_at: NonNegative  # percent at or above which the full weight is given
    deduct_per_point: NonNegative  # points deducted per percentage point below full_at
    # a zero 调整预算 gives no rate (不适用): this many points, and the basis says so
    zero_budget: Literal["no_points", "full_points"] = "no_points"


class BudgetCapRule(Frozen):
    kind: Literal["budget_cap"]
    measure: Literal["sangong"]
    # 预算与决算均为0: nothing was spent over a budget (full_points), or nothing to measure
    zero_budget: Literal["full_points", "no_points"] = "full_points"


class CoverageRule(Frozen):
    kind: Literal["coverage"]
    measure: Literal["pre_assessment"]


class ChecklistItem(Frozen):
    """One check of a checklist. A yes/no fact must equal `expect`; a counted fact must be at
    most `max` or at least `min`. A failed check deducts `deduct` points once, or `deduct_each`
    points for every unit beyond the bound (每起…扣1分, 每低1个百分点扣0.1分)."""

    fact: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]  # key in management.yaml facts
    label: str  # what is checked, in Chinese
    deduct: NonNegative | None = None  # points deducted once when the check fails
    deduct_each: NonNegative | None = None  # points per occurrence / per point beyond the bound
    expect: bool | None = None  # a yes/no fact must equal this
    max: Number | None = None  # a counted fact must be at most this
    min: Number | None = None  # a counted fact must be at least this

    @model_validator(mode="after")
    def _one_expectation(self) -> ChecklistItem:
        if sum(x is not None for x in (self.expect, self.max, self.min)) != 1:
            raise ValueError(
                "检查项应有且只有 expect / max / min 之一 / a checklist item needs exactly one "
                "of expect, max, min"
            )
        if (self.deduct is None) == (self.deduct_each is None):
            raise ValueError(
                "检查项应有且只有 deduct / deduct_each 之一 / a checklist item needs exactly one "
                "of deduct (once), deduct_each (per occurrence or point)"
            )
        if self.deduct_each is not None and self.expect is not None:
            raise ValueError(
                "是/否检查项只能用 deduct / a yes/no check deducts once: use deduct, not deduct_each"
            )
        return self

    def check(self, value: bool | Decimal) -> Check:
        """This item applied to the unit's fact."""
        return check_item(
            self.label,
            value,
            expect=self.expect,
            max=self.max,
            min=self.min,
            deduct=self.deduct,
            deduct_each=self.deduct_each,
        )


class ChecklistRule(Frozen):
    kind: Literal["checklist"]
    items: tuple[ChecklistItem, ...] = Field(min_length=1)


class ManualRule(Frozen):
    kind: Literal["manual"]


Rule = Annotated[
    TargetCompletionRule | RateRule | BudgetCapRule | CoverageRule | ChecklistRule | ManualRule,
    Field(discriminator="kind"),
]


class Indicator(Frozen):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    level1: str  # 一级指标
    level2: str  # 二级指标
    weight: Annotated[Decimal, Field(gt=0)]
    explanation: str  # 指标解释
    standard: str  # 评分标准, as printed in the 评分表
    rule: Rule


class GradeBand(Frozen):
    grade: Grade
    min: NonNegative  # lowest total that earns this grade


class AppliesTo(Frozen):
    """Where a framework applies. A unit outside is scored with a warning, or refused."""

    years: tuple[int, ...] = ()  # empty: any year
    unit_kinds: tuple[Literal["镇", "乡", "街道", "县直部门", "其他"], ...] = ()  # empty: any
    outside: Literal["warn", "refuse"] = "warn"


class Framework(Frozen):
    id: str
    name: str
    notice: str  # says plainly where the weights come from
    applies_to: AppliesTo = AppliesTo()
    # an indicator any of whose inputs is 未填报 earns no points (the only policy so far), unless
    # the unit gives its own score with a reason
    missing_data: Literal["no_points"] = "no_points"
    budget_shift_pct: NonNegative = Decimal(30)  # 年初预算→决算 change that earns a warning
    grades: tuple[GradeBand, ...]
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        ids = [i.id for i in self.indicators]
        names = [i.name for i in self.indicators]
        for label, values in (("id", ids), ("name", names)):
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                raise ValueError(
                    f"indicators: 指标{label}重复 / duplicate indicator {label}: {'、'.join(twice)}"
                )
        grades = [b.grade for b in self.grades]
        mins = [b.min for b in self.grades]
        bands = "，".join(f"{b.grade} ≥ {b.min}" for b in self.grades)
        if (
            not mins
            or len(set(grades)) != len(grades)
            or any(hi <= lo for hi, lo in zip(mins, mins[1:], strict=False))
            or mins[-1] != 0
        ):
            raise ValueError(
                f"grades: 等级区间重叠或未按从高到低排列（{bands}）/ grade bands overlap or are not "
                "listed from highest to lowest: each grade once, each min strictly below the one "
                "before, the last at 0"
            )
        if self.total_weight != 100:
            weights = " + ".join(f"{i.id} {i.weight}" for i in self.indicators)
            raise ValueError(
                f"indicators.weight: 各指标分值合计 {self.total_weight}，应为100 / weights add up "
                f"to {self.total_weight}, not 100 ({weights})"
            )
        return self

    @property
    def total_weight(self) -> Decimal:
        return sum((i.weight for i in self.indicators), Decimal(0))

    def find(self, key: str) -> Indicator | None:
        """An indicator by id or by its Chinese name."""
        return next((i for i in self.indicators if key.strip() in (i.id, i.name)), None)

    def grade_for(self, total: Decimal) -> str:
        return next(b.grade for b in self.grades if total >= b.min)

    def fact_keys(self) -> dict[str, tuple[Indicator, ChecklistItem]]:
        """Every management fact the framework reads, with the indicator and item that read it."""
        return {
            item.fact: (ind, item)
            for ind in self.indicators
            if isinstance(ind.rule, ChecklistRule)
            for item in ind.rule.items
        }

    def outside(self, year: int, unit_kind: str | None) -> str:
        """Why a unit-year lies outside this framework's stated scope ('' when it does not)."""
        scope = self.applies_to
        why = []
        if scope.years and year not in scope.years:
            years = "、".join(str(y) for y in scope.years)
            why.append(f"评价年度{year}不在评分表适用年度（{years}）内")
        if scope.unit_kinds and unit_kind not in scope.unit_kinds:
            kinds = "、".join(scope.unit_kinds)
            found = f"单位类别“{unit_kind}”" if unit_kind else "单位类别未填报"
            why.append(f"{found}不在评分表适用的单位类别（{kinds}）内")
        return "；".join(why)


def framework_path(ref: str, base: Path | None = None) -> Path:
    """A bundled framework id (gd_township_2024) or a path to a YAML file."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        path = Path(ref)
        return path if path.is_absolute() or base is None else (base / path).resolve()
    return FRAMEWORK_DIR / f"{ref}.yaml"


@cache
def _load(path: Path) -> Framework:
    raw = read_yaml(path, FrameworkError)
    try:
        return Framework.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: {_describe(raw, e)}" for e in exc.errors()]
        raise FrameworkError("\n".join(lines)) from None


def _describe(raw: dict, err: dict) -> str:
    """One bilingual line naming the indicator by its id: indicators[3] (id: procurement).rule."""
    loc = list(err["loc"])
    if err["type"] == "union_tag_invalid":
        what = (
            f'"{err["ctx"]["tag"]}" 不是已知的规则类型 / is not a known rule kind; '
            f"允许 / allowed: {', '.join(RULE_KINDS)}"
        )
        loc.append("kind")
    else:
        what = describe_pydantic_error({**err, "loc": ()}, data=False)
    if loc[:1] == ["indicators"] and len(loc) > 1 and isinstance(loc[1], int):
        items = raw.get("indicators") or []
        ident = items[loc[1]].get("id", "?") if loc[1] < len(items) else "?"
        head = f"indicators[{loc[1]}] (id: {ident})"
        # drop the union member name pydantic puts after `rule` (rule.checklist.items.0.deduct)
        rest = [str(p) for p in loc[2:] if p not in RULE_KINDS]
        place = ".".join([head, *rest])
    else:
        place = ".".join(str(p) for p in loc)
    return f"{place}: {what}" if place else what


def load_framework(ref: str, base: Path | None = None) -> Framework:
    """Load and validate a framework by id or path (cached: frameworks are immutable)."""
    path = framework_path(ref, base)
    if not path.is_file():
        bundled = ", ".join(sorted(p.stem for p in FRAMEWORK_DIR.glob("*.yaml")))
        raise FrameworkError(
            f"{path}: 找不到指标框架 / framework not found; bundled frameworks: {bundled}"
        )
    return _load(path.resolve())
