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

DEFAULT_FRAMEWORK = "gd_township_2024"
FRAMEWORK_DIR = Path(__file__).parent  # the bundled frameworks lie beside this module


class TargetCompletionRule(Frozen):
    kind: Literal["target_completion"]
    category: Literal["产出", "效益"]


class RateRule(Frozen):
    kind: Literal["rate"]
    measure: Literal["spending_rate"]
    full_at: Number  # percent at or above which the full weight is given
    deduct_per_point: Number  # points deducted per percentage point below full_at


class BudgetCapRule(Frozen):
    kind: Literal["budget_cap"]
    measure: Literal["sangong"]


class CoverageRule(Frozen):
    kind: Literal["coverage"]
    measure: Literal["pre_assessment"]


class ChecklistItem(Frozen):
    fact: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]  # key in management.yaml facts
    label: str  # what is checked, in Chinese
    deduct: Number  # points deducted when the check fails
    expect: bool | None = None  # a yes/no fact must equal this
    max: Number | None = None  # a counted fact must be at most this
    min: Number | None = None  # a counted fact must be at least this

    @model_validator(mode="after")
    def _one_expectation(self) -> ChecklistItem:
        if sum(x is not None for x in (self.expect, self.max, self.min)) != 1:
            raise ValueError("checklist item needs exactly one of expect / max / min")
        return self


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
    min: Number  # lowest total that earns this grade


class Framework(Frozen):
    id: str
    name: str
    notice: str  # says plainly where the weights come from
    grades: tuple[GradeBand, ...]
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        ids = [i.id for i in self.indicators]
        names = [i.name for i in self.indicators]
        if len(set(ids)) != len(ids) or len(set(names)) != len(names):
            raise ValueError("indicator ids and names must be unique")
        mins = [b.min for b in self.grades]
        if not mins or mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("grade bands must be listed from highest to lowest, the last at 0")
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
        lines = [f"{path}: {describe_pydantic_error(e)}" for e in exc.errors()]
        raise FrameworkError("\n".join(lines)) from None


def load_framework(ref: str, base: Path | None = None) -> Framework:
    """Load and validate a framework by id or path (cached: frameworks are immutable)."""
    path = framework_path(ref, base)
    if not path.is_file():
        bundled = ", ".join(sorted(p.stem for p in FRAMEWORK_DIR.glob("*.yaml")))
        raise FrameworkError(
            f"{path}: 找不到指标框架 / framework not found; bundled frameworks: {bundled}"
        )
    return _load(path.resolve())
