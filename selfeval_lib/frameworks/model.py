"""Indicator frameworks (评分表) as data: indicators, weights, scoring rules and grade bands."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..errors import FrameworkError, describe_pydantic_error, did_you_mean, excerpt, shown_path
from ..fileio import YamlMarks, at_line, read_yaml_marked
from ..values import BareNumber, Frozen
from .check import Problem, check_standard
from .figures import PERCENT_FIGURES, FigureName, figure_unit
from .form import Form
from .rules import (
    Check,
    check_item,
    check_review,
    check_share,
    describe_budget_cap,
    describe_cap,
    describe_check,
    describe_checklist,
    describe_coverage,
    describe_manual,
    describe_rate,
    describe_ratio,
    describe_target_completion,
    score_rate,
    score_ratio,
    unit_of,
)

FRAMEWORK_DIR = Path(__file__).parent  # the bundled frameworks lie beside this module


NonNegative = Annotated[BareNumber, Field(ge=0)]


def _percent(value: Decimal) -> Decimal:
    if not 0 <= value <= 100:
        raise PydanticCustomError(
            "not_a_percent",
            '"{found}" 超出允许范围：应为 0 到 100 之间的百分数 / is out of range: a percentage '
            "from 0 to 100",
            {"found": str(value)},
        )
    return value


# 95 means 95 %; its JSON Schema says the range the validator checks
Percent = Annotated[
    BareNumber,
    AfterValidator(_percent),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]
RULE_KINDS = (
    "target_completion",
    "rate",
    "budget_cap",
    "ratio",
    "cap",
    "coverage",
    "checklist",
    "manual",
)
UNIT_KINDS = ("镇", "乡", "街道", "县直部门", "其他")
# the 评分表's columns for the levels of the hierarchy, from the top; their count is the deepest
# hierarchy a framework may have
LEVEL_TITLES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标", "六级指标")
MAX_DEPTH = len(LEVEL_TITLES)
LevelName = Annotated[str, Field(min_length=1)]


class _Rule(Frozen):
    """What every rule kind says of itself, for its printed standard to be checked against."""

    def reading(self, weight: Decimal) -> str:
        """selfeval's reading of the rule, in the words a 评分标准 uses."""
        raise NotImplementedError

    def points(self, weight: Decimal) -> set[Decimal]:
        """Every number of points the rule deducts (none: it deducts shares of the weight)."""
        return set()

    def thresholds(self) -> set[Decimal] | None:
        """The percentages it turns on, which the standard must print (None: not compared)."""
        return None


class Deviation(Frozen):
    """偏差扣分 / the national platform's deviation rule: a ≥ target whose 完成值 exceeds its
    指标值 by `over_pct` percent or more counts as a deviation (the target was set too low) and
    loses `deduct` points (scoring: points, from that target's own points, never below 0),
    unless the unit gives its 偏差原因分析及改进措施."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"over_pct": 30, "deduct": 2, "excused_by_reason": True}]}
    )

    over_pct: Annotated[BareNumber, Field(gt=0, le=1000)]
    """偏差界限 / how far above its 指标值 a 完成值 must lie to count as a deviation, in percent
    of the 指标值 (30 means 30 %: 130 against 100 deviates)."""
    deduct: NonNegative
    """扣分 / points lost for each deviating target (the indicator never goes below 0)."""
    excused_by_reason: bool = True
    """说明原因免扣 / true: a deviation whose 偏差原因分析及改进措施 the unit gives loses nothing;
    false: every deviation loses the points."""


class TargetCompletionRule(_Rule):
    """目标完成情况 / target completion: the unit's 绩效目标 (targets.csv) of one category
    (and, if given, one 二级), scored by their completion. A target met counts 100 %; one not
    met, 实际值÷目标值 for a ≥ target and 目标值÷实际值 for a ≤ target; an = target hit exactly
    counts 100 %, and a qualitative (定性) target, or an = target missed, counts the share of the
    完成程度 the unit states (the framework's completion_levels). scoring: average (the mean
    completion times the weight) or points (each target earns its own 分值 times its
    completion; the targets' 分值 add up to the weight). No targets earn no points."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "target_completion", "category": "产出"},
                {
                    "kind": "target_completion",
                    "category": "效益",
                    "level2": "社会效益指标",
                    "scoring": "points",
                    "deviation": {"over_pct": 30, "deduct": 2},
                },
            ]
        }
    )

    kind: Literal["target_completion"]
    category: str
    """目标类别 / which targets are scored: a category of the framework's target_categories
    (产出, 效益, 满意度 …), as targets.csv 类别 names it."""
    level2: str | None = None
    """二级指标 / only the targets of this 二级 of the category (数量指标 …); none: all of them."""
    scoring: Literal["average", "points"] = "average"
    """计分方式 / average (mean completion × weight) or points (each target its 分值 ×
    completion; the targets' 分值 must add up to the weight)."""
    deviation: Deviation | None = None
    """偏差扣分 / the national platform's deviation rule (over_pct, deduct); none: no deduction
    for a target far exceeded."""

    def takes(self, category: str, level2: str) -> bool:
        """Whether a target of this 类别 and 二级指标 is one this rule scores."""
        return category == self.category and self.level2 in (None, level2)

    @property
    def shown_category(self) -> str:
        """'产出' or '产出（数量指标）': the targets the rule scores, as its basis names them."""
        return self.category if self.level2 is None else f"{self.category}（{self.level2}）"

    def reading(self, weight: Decimal) -> str:
        d = self.deviation
        said = (d.over_pct, d.deduct, d.excused_by_reason) if d else None
        return describe_target_completion(weight, self.shown_category, self.scoring, said)

    def points(self, weight: Decimal) -> set[Decimal]:
        return {self.deviation.deduct} - {Decimal(0)} if self.deviation else set()

    def thresholds(self) -> set[Decimal] | None:
        return {self.deviation.over_pct} if self.deviation else None


class RateRule(_Rule):
    """比率 / a rate from the unit's figures: the full weight at or above `full_at`, less
    `deduct_per_point` points for each percentage point below it, never below 0."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "rate",
                    "measure": "spending_rate",
                    "full_at": 95,
                    "deduct_per_point": 0.5,
                    "zero_budget": "no_points",
                }
            ]
        }
    )

    kind: Literal["rate"]
    measure: Literal["spending_rate"]
    """比率口径 / which rate: spending_rate, 支出率 = 本年支出 ÷ 调整预算 × 100%."""
    full_at: Percent
    """满分线 / the percentage at or above which the full weight is given (95 means 95 %)."""
    deduct_per_point: NonNegative
    """每低1个百分点扣分 / points deducted for each percentage point below full_at."""
    zero_budget: Literal["no_points", "full_points"] = "no_points"
    """调整预算为0 / a zero 调整预算 gives no rate (不适用): the indicator earns no_points or
    full_points, and its basis says so."""

    def per_point(self, weight: Decimal) -> Decimal:
        """What one point below full_at costs, as the score is computed."""
        score, _ = score_rate(weight, "", self.full_at - 1, self.full_at, self.deduct_per_point)
        return weight - score

    def reading(self, weight: Decimal) -> str:
        return describe_rate(self.full_at, self.per_point(weight), self.zero_budget)

    def points(self, weight: Decimal) -> set[Decimal]:
        return {self.per_point(weight)} - {Decimal(0)}

    def thresholds(self) -> set[Decimal]:
        return {self.full_at}


class BudgetCapRule(_Rule):
    """预算控制 / spending held within its budget: the full weight when the 决算 does not exceed
    the 预算; over it, 10 % of the weight lost per 1 % overspent, nothing from 10 % on."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "budget_cap", "measure": "sangong", "zero_budget": "full_points"}]
        }
    )

    kind: Literal["budget_cap"]
    measure: Literal["sangong"]
    """控制口径 / which spending: sangong, the “三公”经费 total (决算 against 预算)."""
    zero_budget: Literal["full_points", "no_points"] = "full_points"
    """预算与决算均为0 / nothing budgeted and nothing spent: full_points (nothing was spent over
    a budget) or no_points (nothing to measure)."""

    def reading(self, weight: Decimal) -> str:
        return describe_budget_cap(self.zero_budget)


class Band(Frozen):
    """分档 / one step of a banded ratio: at or beyond `bound` percent, `points` points."""

    bound: BareNumber
    """界限 / the percentage this step starts at (at or above it for at_least, at or below it
    for at_most)."""
    points: NonNegative
    """得分 / the points a ratio in this step earns."""


class RatioRule(_Rule):
    """比率（按数据项）/ a percentage of named figures (figure ÷ base, or the change from base to
    figure), or a percentage figure the data holds (支出率), scored against the county's
    standard."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "ratio",
                    "figure": "本年支出",
                    "base": "年初预算",
                    "label": "预算执行率",
                    "full_at": 95,
                    "deduct_per_point": 0.5,
                }
            ]
        }
    )

    kind: Literal["ratio"]
    figure: FigureName
    """分子 / the named figure (frameworks/figures.py: 本年支出, 调整预算公用经费, 在职人数 …)."""
    base: FigureName | None = None
    """分母 / the named figure it is divided by; none where `figure` is a percentage already
    (支出率)."""
    form: Literal["ratio", "change"] = "ratio"
    """口径 / ratio (figure ÷ base) or change ((figure − base) ÷ base), in percent."""
    label: str = ""
    """名称 / the county's word for the ratio (预算执行率), used in the basis and the report."""
    direction: Literal["at_least", "at_most"] = "at_least"
    """方向 / at_least: higher is better; at_most: lower is better."""
    scoring: Literal["per_point", "bands", "proportional"] = "per_point"
    """计分方式 / per_point (full_at, deduct_per_point), bands, or proportional (分值 × ratio ÷
    full_at, capped at 分值)."""
    full_at: BareNumber | None = None
    """满分标准 / per_point: the percentage that earns full points; proportional: the percentage
    that earns them (100 unless given)."""
    deduct_per_point: NonNegative | None = None
    """每个百分点扣分 / per_point: points deducted per percentage point short of full_at."""
    bands: tuple[Band, ...] = ()
    """分档 / with scoring: bands, the steps from the best, each bound further from it."""
    zero_base: Literal["no_points", "full_points"] = "no_points"
    """分母为0时 / when the base is 0 there is no ratio: no_points or full_points."""

    @model_validator(mode="after")
    def _complete(self) -> RatioRule:
        def refuse(key: str, zh: str, en: str) -> None:
            raise PydanticCustomError("ratio_rule", f"{key}: {zh} / {en}", {"at": (key,)})

        percent = self.figure in PERCENT_FIGURES
        if percent and self.base is not None:
            refuse(
                "base",
                f"“{self.figure}”已是百分数，不能再有 base",
                f"{self.figure} is a percentage already: remove base",
            )
        if not percent and self.base is None:
            refuse(
                "base",
                f"缺少此项：“{self.figure}”需要 base（除以哪个数）",
                f"missing: {self.figure} needs a base to be divided by",
            )
        if self.base is not None and figure_unit(self.base) != figure_unit(self.figure):
            refuse(
                "base",
                f"“{self.figure}”与“{self.base}”单位不同",
                f"{self.figure} and {self.base} are in different units",
            )
        if self.form == "change" and self.base is None:
            refuse("form", "change 需要 base", "form change needs a base")
        if self.scoring == "per_point" and (self.full_at is None or self.deduct_per_point is None):
            refuse(
                "scoring",
                "per_point 需要 full_at 与 deduct_per_point",
                "per_point needs full_at and deduct_per_point",
            )
        if self.scoring == "bands":
            bounds = [b.bound for b in self.bands]
            ordered = all(
                (a > b) if self.direction == "at_least" else (a < b)
                for a, b in zip(bounds, bounds[1:], strict=False)
            )
            if not bounds or not ordered or len(set(bounds)) != len(bounds):
                refuse(
                    "bands",
                    "各档应从最好的一档起依次排列（at_least 由高到低，at_most 由低到高），不能重复",
                    "bands go from the best, each bound further from it "
                    "(at_least: falling, at_most: rising), none twice",
                )
        if self.scoring != "bands" and self.bands:
            refuse("bands", "只有 scoring: bands 才用 bands", "bands are for scoring: bands")
        if self.scoring == "proportional" and self.form == "change":
            refuse("scoring", "增减率不能按比例计分", "a change cannot be scored proportionally")
        # a rate to reach is at most 100 %; a ratio not to exceed may lie above (≤ 110 %)
        top = 100 if self.direction == "at_least" else 1000
        if self.full_at is not None and self.form == "ratio" and not 0 <= self.full_at <= top:
            refuse(
                "full_at",
                f"{self.full_at} 超出允许范围：应为 0 到 {top} 之间的百分数",
                f"{self.full_at} is out of range: a percentage from 0 to {top}",
            )
        return self

    @property
    def shown_label(self) -> str:
        if self.label:
            return self.label
        if self.base is None:
            return self.figure
        return (
            f"{self.figure}÷{self.base}"
            if self.form == "ratio"
            else (f"{self.figure}较{self.base}增减率")
        )

    def score_args(self) -> dict:
        """The keyword arguments of rules.score_ratio / describe_ratio."""
        return {
            "direction": self.direction,
            "scoring": self.scoring,
            "full_at": Decimal(100) if self.full_at is None else self.full_at,
            "deduct_per_point": self.deduct_per_point or Decimal(0),
            "bands": tuple((b.bound, b.points) for b in self.bands),
            "zero_base": self.zero_base,
        }

    def reading(self, weight: Decimal) -> str:
        return describe_ratio(weight, self.shown_label, self.base, **self.score_args())

    def points(self, weight: Decimal) -> set[Decimal]:
        if self.scoring == "bands":
            return {b.points for b in self.bands} - {Decimal(0)}
        if self.scoring == "per_point":
            args = {**self.score_args(), "scoring": "per_point"}
            step = -1 if self.direction == "at_least" else 1
            score, _ = score_ratio(weight, "", self.full_at + step, **args)
            return {weight - score} - {Decimal(0)}
        return set()

    def thresholds(self) -> set[Decimal] | None:
        if self.scoring == "bands":
            return {b.bound for b in self.bands}
        return {self.full_at} if self.full_at is not None else None


class CapRule(_Rule):
    """A named figure that must not exceed another (公用经费 within 调整预算公用经费, one 三公
    item within its budget, 在职人数 within 编制人数)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "cap", "figure": "公用经费", "limit": "调整预算公用经费"}]
        }
    )

    kind: Literal["cap"]
    figure: FigureName
    """数据项 / the named figure that must stay within the limit (公用经费, 公务接待费决算 …)."""
    limit: FigureName
    """上限 / the named figure it must not exceed (调整预算公用经费, 公务接待费预算, 编制人数 …)."""
    deduct_per_point: NonNegative | None = None
    """每超1%扣分 / points deducted per 1 % over the limit; without it, 10 % of the weight per
    1 % over."""
    zero_budget: Literal["full_points", "no_points"] = "full_points"
    """上限为0时 / when the limit and the figure are both 0: full_points or no_points."""

    @model_validator(mode="after")
    def _same_unit(self) -> CapRule:
        units = {figure_unit(self.figure), figure_unit(self.limit)}
        if len(units) != 1 or "%" in units:
            raise PydanticCustomError(
                "cap_units",
                'limit: "{limit}" 与 "{figure}" 应为同一单位的金额或人数 / the figure and its limit '
                "must both be amounts or both head counts",
                {"limit": self.limit, "figure": self.figure, "at": ("limit",)},
            )
        return self

    def reading(self, weight: Decimal) -> str:
        return describe_cap(self.figure, self.limit, self.deduct_per_point, self.zero_budget)

    def points(self, weight: Decimal) -> set[Decimal]:
        return set() if self.deduct_per_point is None else {self.deduct_per_point} - {Decimal(0)}


class CoverageRule(_Rule):
    """覆盖率 / a coverage rate times the weight; the full weight when there is nothing to
    cover."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "coverage", "measure": "pre_assessment"}]}
    )

    kind: Literal["coverage"]
    measure: Literal["pre_assessment"]
    """覆盖口径 / what is covered: pre_assessment, the share of the year's new projects that had
    an 事前绩效评估 (full weight when there are no new projects)."""

    def reading(self, weight: Decimal) -> str:
        return describe_coverage()


class ChecklistItem(Frozen):
    """检查项 / one check of a checklist. A yes/no fact must equal `expect`; a counted fact must be at
    most `max` or at least `min`. A failed check deducts `deduct` points once, or `deduct_each`
    points for every unit beyond the bound (每起…扣1分, 每低1个百分点扣0.1分). An item with
    `scoring: evaluator` reads no fact: the evaluator gives it 0 to `points` with a reason
    (review_scores.csv)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "fact": "plan_filed",
                    "label": "年度工作计划按时报送",
                    "expect": True,
                    "points": 2,
                },
                {"label": "规划编制质量", "points": 4, "scoring": "evaluator"},
            ]
        }
    )

    fact: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] | None = None
    """事实 / the key of the fact in the unit's management.yaml (facts) that is checked; one fact
    is yes/no in every item that reads it, or a number in every one; none (and only none) for
    an item scored by the evaluator."""
    label: str
    """检查内容 / what is checked, in Chinese, as the basis prints it; a label ending in (%)
    makes max/min percentages."""
    deduct: NonNegative | None = None
    """扣分 / points deducted once when the check fails."""
    deduct_each: NonNegative | None = None
    """每起扣分 / points deducted per occurrence or per unit beyond the bound (每起扣1分,
    每低1个百分点扣0.1分); only with max or min."""
    points: NonNegative | None = None
    """分值 / instead of deduct: the points the item earns (the items' points add up to the
    indicator's weight), all of them when the check holds or in proportion (see scoring)."""
    scoring: Literal["all_or_nothing", "proportional", "evaluator"] = "all_or_nothing"
    """计分方式 / with points: all_or_nothing (all the points when the check holds),
    proportional (points × fact ÷ min), or evaluator (评审评分: the evaluator gives 0 to points
    with a reason in the unit's review_scores.csv, the label in its 项目 column; no fact, expect,
    max or min)."""
    expect: bool | None = None
    """应为 / a yes/no fact must equal this (true or false)."""
    max: BareNumber | None = None
    """上限 / a counted fact must be at most this."""
    min: BareNumber | None = None
    """下限 / a counted fact must be at least this."""

    @model_validator(mode="after")
    def _one_expectation(self) -> ChecklistItem:
        if self.scoring == "evaluator":
            if self.points is None or self.fact is not None or self.bound_keys():
                raise ValueError(
                    "scoring: evaluator 需要 points，且不写 fact / expect / max / min / deduct（评审"
                    "专家在 review_scores.csv 中给 0 到 points 分）/ an evaluator-scored item needs "
                    "points and no fact, expect, max, min, deduct or deduct_each (the evaluator "
                    "gives 0 to points in review_scores.csv)"
                )
            return self
        if self.fact is None:
            raise ValueError(
                "fact: 缺少此项：检查项需要 fact（management.yaml 中的事实）；由评审打分的项写 "
                "scoring: evaluator / missing: a checklist item reads a fact, or is scored by the "
                "evaluator (scoring: evaluator)"
            )
        if sum(x is not None for x in (self.expect, self.max, self.min)) != 1:
            raise ValueError(
                "检查项应有且只有 expect / max / min 之一 / a checklist item needs exactly one "
                "of expect, max, min"
            )
        if sum(x is not None for x in (self.deduct, self.deduct_each, self.points)) != 1:
            raise ValueError(
                "检查项应有且只有 deduct / deduct_each / points 之一 / a checklist item needs "
                "exactly one of deduct (once), deduct_each (per occurrence or point), points (its "
                "share of the weight)"
            )
        if self.scoring == "proportional" and (self.points is None or self.min is None):
            raise ValueError(
                "scoring: proportional 需要 points 与 min（得分 = points × 实际值 ÷ min）/ "
                "proportional needs points and min (score = points × value ÷ min)"
            )
        if self.deduct_each is not None and self.expect is not None:
            raise ValueError(
                "是/否检查项只能用 deduct / a yes/no check deducts once: use deduct, not deduct_each"
            )
        bound = self.max if self.max is not None else self.min
        if unit_of(self.label) == "%" and bound is not None and not 0 <= bound <= 100:
            which = "max" if self.max is not None else "min"
            raise ValueError(
                f"{which}: {bound} 超出允许范围：标签以(%)结尾，应为 0 到 100 之间的百分数 / is out "
                f"of range: the label ends in (%), so {which} is a percentage from 0 to 100"
            )
        return self

    def bound_keys(self) -> list[str]:
        """The keys of a checked item written on this one (expect, max, min, deduct …)."""
        keys = ("expect", "max", "min", "deduct", "deduct_each")
        return [k for k in keys if getattr(self, k) is not None]

    @property
    def by_evaluator(self) -> bool:
        """The evaluator scores this item (review_scores.csv), not a fact."""
        return self.scoring == "evaluator"

    @property
    def takes_yes_no(self) -> bool:
        """Whether the fact is yes/no (`expect`) rather than a number (`max`/`min`)."""
        return self.expect is not None

    def check(self, value: bool | Decimal) -> Check:
        """This item applied to the unit's fact (an evaluator-scored item: to the evaluator's
        score)."""
        if self.by_evaluator:
            return check_review(self.label, value, self.points)
        if self.points is not None and self.scoring == "proportional":
            return check_share(self.label, value, self.min, self.points)
        return check_item(
            self.label,
            value,
            expect=self.expect,
            max=self.max,
            min=self.min,
            deduct=self.points if self.points is not None else self.deduct,
            deduct_each=self.deduct_each,
        )

    def failed_once(self) -> Check:
        """This item's check of the smallest failure: the other answer, or one past the bound."""
        if self.expect is not None:
            return self.check(not self.expect)
        if self.by_evaluator:
            return self.check(Decimal(0))
        return self.check(self.max + 1 if self.max is not None else self.min - 1)


class ChecklistRule(_Rule):
    """检查清单 / the weight less what each failed check deducts, never below 0; the checks read
    the facts the unit states in management.yaml."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "checklist",
                    "items": [
                        {
                            "fact": "internal_control_rules",
                            "label": "建立内部控制制度",
                            "expect": True,
                            "deduct": 2,
                        },
                        {
                            "fact": "audit_issues_unfixed",
                            "label": "审计发现问题未整改",
                            "max": 0,
                            "deduct_each": 1,
                        },
                    ],
                }
            ]
        }
    )

    kind: Literal["checklist"]
    items: tuple[ChecklistItem, ...] = Field(min_length=1)
    """检查项 / the checks, at least one."""

    def reading(self, weight: Decimal) -> str:
        return describe_checklist(
            [
                describe_check(i.label, i.failed_once(), i.max, i.min, i.points, i.scoring)
                for i in self.items
            ]
        )

    @model_validator(mode="after")
    def _points_or_deductions(self) -> ChecklistRule:
        with_points = [i.points is not None for i in self.items]
        if any(with_points) and not all(with_points):
            raise PydanticCustomError(
                "mixed_items",
                "items: 检查项要么都有 points（各项分值），要么都用 deduct / deduct_each（扣分）/ "
                "either every item carries points or every item deducts",
                {"at": ("items",)},
            )
        return self

    @property
    def by_points(self) -> bool:
        """The items carry points (add up to the weight) rather than deduct from it."""
        return self.items[0].points is not None

    def points(self, weight: Decimal) -> set[Decimal]:
        return {
            i.points if i.points is not None else i.failed_once().deduct for i in self.items
        } - {Decimal(0)}


class Extras(Frozen):
    """Bonus (加分) or penalty (扣分) items outside the 100, capped and kept apart: a bonus item
    carries points it earns when its check holds; a penalty item deducts as a checklist item
    does (deduct, deduct_each)."""

    name: str
    """名称 / 加分项 or 扣分项, as the county prints it."""
    cap: Annotated[BareNumber, Field(gt=0, le=100)]
    """上限 / at most this many points in all."""
    items: tuple[ChecklistItem, ...] = Field(min_length=1)
    """检查项 / the checks: a bonus item carries points, a penalty item deduct or deduct_each."""


class ManualRule(_Rule):
    """人工评分 / scored by hand: the unit gives its score with a reason in self_scores.csv
    (scored_by: unit), or the evaluator in review_scores.csv (scored_by: evaluator); selfeval
    does not compute it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "manual"}, {"kind": "manual", "scored_by": "evaluator"}]
        }
    )

    kind: Literal["manual"]
    scored_by: Literal["unit", "evaluator"] = "unit"
    """评分人 / unit: the unit's self score (self_scores.csv; without one, no points);
    evaluator: the evaluator's score, 0 to the weight with a reason (review_scores.csv; without
    one, 未填报 and the missing-data policy applies)."""

    def reading(self, weight: Decimal) -> str:
        return describe_manual(self.scored_by)


Rule = Annotated[
    TargetCompletionRule
    | RateRule
    | BudgetCapRule
    | RatioRule
    | CapRule
    | CoverageRule
    | ChecklistRule
    | ManualRule,
    Field(discriminator="kind"),
]


INDICATOR_EXAMPLE = {
    "id": "spending_rate",
    "name": "部门预算资金支出率",
    "level1": "管理效率",
    "level2": "预算执行",
    "weight": 10,
    "explanation": "支出率=本年支出÷调整预算（全年用款计划）×100%。",
    "standard": "支出率≥95%得满分；每低1个百分点扣0.5分，扣完为止；"
    "调整预算为0的，支出率不适用，不得分。",
    "rule": {"kind": "rate", "measure": "spending_rate", "full_at": 95, "deduct_per_point": 0.5},
}


def _indicator_schema(schema: dict) -> None:
    """level1 and level2, or levels: an editor completing the file asks for one of the two."""
    schema["required"] = [k for k in schema["required"] if k not in ("level1", "level2")]
    schema["anyOf"] = [{"required": ["level1", "level2"]}, {"required": ["levels"]}]
    schema["examples"] = [INDICATOR_EXAMPLE]


class Indicator(Frozen):
    """指标 / one row of the 评分表: its place in the hierarchy, its points, its printed
    explanation and standard, and the rule that computes its score."""

    model_config = ConfigDict(json_schema_extra=_indicator_schema)

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    """指标代码 / the indicator's key: lower-case letters, digits and _, unique in the
    framework; self_scores.csv and narrative.md name an indicator by it or by its name."""
    name: str
    """指标名称 / the indicator's name as the 评分表 prints it, unique in the framework."""
    level1: str
    """一级指标 / the first-level group it belongs to (履职效能, 管理效率, …); required, unless
    `levels` is written instead."""
    level2: str
    """二级指标 / the second-level group it belongs to (预算执行, …); required, unless `levels`
    is written instead."""
    levels: tuple[LevelName, ...] = Field((), max_length=MAX_DEPTH)  # at least 2: _first_levels
    """指标层级 / instead of level1 and level2, the groups it belongs to from the top, as a list
    of 2 to 6 names: [产出, 产出数量, 主要产出] (一级 产出, 二级 产出数量, 三级 主要产出). The
    评分表 prints a column per level; groups may declare a weight at any level."""
    weight: Annotated[BareNumber, Field(gt=0, le=100)]
    """分值 / the indicator's points, a bare number (12, not 12分); all weights add up to
    100, and no deduction of its rule exceeds it."""
    explanation: str
    """指标解释 / what the indicator measures, as the 评分表 prints it."""
    standard: str
    """评分标准 / how it is scored, in the county's words; `selfeval framework check` and
    `selfeval validate` flag points or thresholds it names that the rule does not compute."""
    rule: Rule
    """评分规则 / how selfeval computes the score: one of the rule kinds, chosen by `kind`."""
    missing: Literal["no_points", "reweight"] | None = None
    """数据缺失时 / when an input is 未填报: no_points (the framework's missing_data), or reweight
    (the indicator scores the rate its stated peers score: its weight spread over them)."""
    reweight_over: Literal["level1", "level2", "level3", "level4", "level5", "level6", "all"] = (
        "level1"
    )
    """重新分配范围 / with missing: reweight, the peers: those under the same 一级 (level1), 二级
    (level2) or deeper group (level3 …, no deeper than the indicator's levels), or all indicators
    of the framework (all)."""
    counts: Literal["evaluator", "self"] | None = None
    """计入总分 / for an indicator the evaluator scores (or one with evaluator-scored items):
    which score counts when the unit also gives a self score: evaluator (the default: the
    评审得分) or self (the unit's 自评得分 where it gives one, else the 评审得分)."""

    @model_validator(mode="before")
    @classmethod
    def _first_levels(cls, data: object) -> object:
        """levels: [a, b, …] gives level1 a and level2 b, so that every reader of level1 and
        level2 sees them; written beside levels, they are a mistake."""
        if not isinstance(data, dict) or not isinstance(data.get("levels"), list | tuple):
            return data
        if len(data["levels"]) < 2:
            raise PydanticCustomError(
                "levels_short",
                "levels: 只写了 {count} 级，至少写两级（一级、二级）/ names {count} level(s); name "
                "at least two (一级 and 二级)",
                {"count": len(data["levels"]), "at": ("levels",)},
            )
        both = [k for k in ("level1", "level2") if k in data]
        if both:
            raise PydanticCustomError(
                "levels_twice",
                "{key}: 已写 levels，不能再写 level1/level2（levels 的前两项即一级、二级）/ write "
                "levels or level1 and level2, not both (the first two of levels are level1 and "
                "level2)",
                {"key": both[0], "at": (both[0],)},
            )
        first = dict(zip(("level1", "level2"), data["levels"], strict=False))
        return {**first, **data}

    @model_validator(mode="after")
    def _reweighted_over_its_levels(self) -> Indicator:
        over = self.reweight_over
        if self.reweight_level is not None and self.reweight_level > len(self.path):
            raise PydanticCustomError(
                "reweight_level",
                'reweight_over: "{found}" 超出本指标的层级（共 {depth} 级：{path}）/ is deeper than '
                "the indicator's {depth} levels; 允许 / allowed: {allowed}、all",
                {
                    "found": over,
                    "depth": len(self.path),
                    "path": "、".join(self.path),
                    "allowed": "、".join(f"level{n}" for n in range(1, len(self.path) + 1)),
                    "at": ("reweight_over",),
                },
            )
        return self

    @property
    def reweight_level(self) -> int | None:
        """The level whose group re-weights it (reweight_over: level2 → 2; all → None)."""
        over = self.reweight_over
        return None if over == "all" else int(over.removeprefix("level"))

    @property
    def path(self) -> tuple[str, ...]:
        """The groups it belongs to, from the top: its levels, or (level1, level2)."""
        return self.levels or (self.level1, self.level2)

    @property
    def reviewed(self) -> bool:
        """The evaluator scores this indicator or some of its checklist items."""
        rule = self.rule
        if isinstance(rule, ManualRule):
            return rule.scored_by == "evaluator"
        return any(i.by_evaluator for i in getattr(rule, "items", ()))

    @property
    def review_counts(self) -> bool:
        """The evaluator's score counts for the total, over the unit's self score."""
        return self.reviewed and self.counts != "self"

    @model_validator(mode="after")
    def _counts_reviewed(self) -> Indicator:
        if self.counts is not None and not self.reviewed:
            raise PydanticCustomError(
                "counts_unreviewed",
                'counts: "{found}" 只用于由评审评分的指标（rule.kind: manual 且 scored_by: '
                "evaluator，或检查项 scoring: evaluator）/ is only for an indicator the evaluator "
                "scores (manual with scored_by: evaluator, or items with scoring: evaluator)",
                {"found": self.counts, "at": ("counts",)},
            )
        labels = [i.label for i in getattr(self.rule, "items", ()) if i.by_evaluator]
        twice = [x for n, x in enumerate(labels) if x in labels[:n]]
        if twice:
            raise PydanticCustomError(
                "review_label_twice",
                'rule.items: 评审评分项"{label}"重复，review_scores.csv 的“项目”列按名称区分各项 / '
                "two evaluator-scored items have this label; review_scores.csv tells them apart "
                "by it",
                {"label": twice[0], "at": ("rule", "items")},
            )
        return self

    @model_validator(mode="after")
    def _deductions_within_weight(self) -> Indicator:
        """A deduction larger than the indicator's weight is a typo (30 for 3), never a rule."""
        rule = self.rule
        places = (
            [("rule.deduct_per_point", ("rule", "deduct_per_point"), rule.deduct_per_point)]
            if isinstance(rule, RateRule | RatioRule) and rule.deduct_per_point is not None
            else []
        )
        places += [
            (f"rule.bands.{n}.points", ("rule", "bands", n, "points"), band.points)
            for n, band in enumerate(getattr(rule, "bands", ()))
        ]
        for n, item in enumerate(getattr(rule, "items", ())):
            for key in ("deduct", "deduct_each"):
                value = getattr(item, key)
                places.append((f"rule.items.{n}.{key}", ("rule", "items", n, key), value))
        for name, at, value in places:
            if value is not None and value > self.weight:
                raise PydanticCustomError(
                    "deduct_over_weight",
                    '{name}: "{found}" 大于本指标分值 {weight}，应在 0 到 {weight} 之间 / deducts '
                    "more than the indicator's weight: allowed 0 to {weight}",
                    {"name": name, "found": str(value), "weight": str(self.weight), "at": at},
                )
        return self

    @model_validator(mode="after")
    def _item_points_add_up(self) -> Indicator:
        if isinstance(self.rule, ChecklistRule) and self.rule.by_points:
            total = sum((i.points for i in self.rule.items), Decimal(0))
            if total != self.weight:
                raise PydanticCustomError(
                    "item_points",
                    "rule.items: 各检查项 points 合计 {total}，应等于本指标分值 {weight} / the "
                    "items' points add up to {total}, not the indicator's weight {weight}",
                    {"total": str(total), "weight": str(self.weight), "at": ("rule", "items")},
                )
        return self

    def reading(self) -> str:
        """selfeval's reading of this indicator's rule, to print beside its 评分标准 (with its
        own missing-data policy where it re-weights)."""
        if self.missing != "reweight":
            return self.rule.reading(self.weight)
        level = self.reweight_level
        over = "全部" if level is None else f"同一{LEVEL_TITLES[level - 1]}下"
        return (
            f"{self.rule.reading(self.weight)}所需数据未填报的，按{over}已填报指标的得分率计分"
            "（分值按比例分配至这些指标）。"
        )

    def check_standard(self) -> str:
        """Where the printed 评分标准 and the rule disagree ('' where they agree; a manual
        indicator's standard is the evaluator's to apply, so it is not compared)."""
        if self.rule.kind == "manual":
            return ""
        rule = self.rule
        return check_standard(
            self.standard, self.weight, rule.points(self.weight), self.reading(), rule.thresholds()
        )


class Group(Frozen):
    """A group of indicators at any level (一级 规划, 二级 产出数量, …) with its declared weight
    (规划 15), which must equal the weights of the indicators under it; its subtotal (小计) is
    printed. Named by `name` and `level`, or by `path` where a name stands under two parents."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "规划", "weight": 15},
                {"name": "产出数量", "level": 2, "weight": 10},
                {"path": ["产出", "产出数量", "主要产出"], "weight": 6},
            ]
        }
    )

    name: str = ""
    """名称 / the group's name, as the indicators' level1 / level2 / levels write it; required
    unless `path` is written."""
    level: Annotated[int, Field(ge=1, le=MAX_DEPTH)] = 1
    """层级 / 1 for a 一级 indicator, 2 for a 二级, 3 for a 三级, …"""
    path: tuple[LevelName, ...] = Field((), max_length=MAX_DEPTH)
    """路径 / instead of name and level, the group's names from the top ([产出, 产出数量]): its
    level is their count, its name the last."""
    weight: Annotated[BareNumber, Field(gt=0, le=100)]
    """分值 / the group's declared weight: the sum of its indicators' weights."""

    @model_validator(mode="before")
    @classmethod
    def _from_path(cls, data: object) -> object:
        """path: [a, b] gives name b and level 2; a name or level beside it must agree."""
        if not isinstance(data, dict) or not isinstance(data.get("path"), list | tuple):
            return data
        path = data["path"]
        implied = {"name": path[-1], "level": len(path)} if path else {}
        for key, value in implied.items():
            if key in data and data[key] != value:
                raise PydanticCustomError(
                    "group_path",
                    '{key}: "{found}" 与 path 不符（按 path 应为 {value}）/ does not match path '
                    "(which gives {value}): remove it",
                    {"key": key, "found": str(data[key]), "value": str(value), "at": (key,)},
                )
        return {**implied, **data}

    @model_validator(mode="after")
    def _named(self) -> Group:
        if not self.name:
            raise PydanticCustomError(
                "group_unnamed",
                "name: 缺少此项 / missing: 写 name（及 level），或写 path / write name (and "
                "level), or path",
                {"at": ("name",)},
            )
        return self


class CapBand(Frozen):
    """Where the rate is below `below` percent, the total is at most `at_most`."""

    below: Percent
    """低于 / where the rate is below this percentage …"""
    at_most: Percent
    """最高 / … the total is at most this."""


class TotalCap(Frozen):
    """The national platform's rule: the total capped by a rate (预算执行率 70–80 % → at most 89;
    60–70 % → 79; below 60 % → 69; below 50 % → 59); the part above the cap is deducted."""

    figure: FigureName
    """数据项 / the named figure the rate is of (支出率, or 本年支出 over a base)."""
    base: FigureName | None = None
    """分母 / the figure it is divided by; none where `figure` is a percentage already."""
    label: str = ""
    """名称 / the county's word for the rate (预算执行率)."""
    bands: tuple[CapBand, ...] = Field(min_length=1)
    """分档 / the caps, from the highest `below` down."""

    @model_validator(mode="after")
    def _ordered(self) -> TotalCap:
        belows = [b.below for b in self.bands]
        caps = [b.at_most for b in self.bands]
        pairs = list(zip(self.bands, self.bands[1:], strict=False))
        if any(a.below <= b.below or a.at_most <= b.at_most for a, b in pairs):
            raise PydanticCustomError(
                "cap_bands",
                "bands: 各档应按 below 由高到低排列，at_most 也依次降低（below {belows}，at_most "
                "{caps}）/ bands go from the highest `below` down, each `at_most` lower than the "
                "one before",
                {
                    "belows": "、".join(str(b) for b in belows),
                    "caps": "、".join(str(c) for c in caps),
                    "at": ("bands",),
                },
            )
        if (self.figure in PERCENT_FIGURES) == (self.base is not None):
            raise PydanticCustomError(
                "cap_base",
                'base: "{figure}" {why}',
                {
                    "figure": self.figure,
                    "why": "已是百分数，不能再有 base / is a percentage already: remove base"
                    if self.base is not None
                    else "需要 base（除以哪个数）/ needs a base to be divided by",
                    "at": ("base",),
                },
            )
        return self

    @property
    def shown_label(self) -> str:
        return self.label or (self.figure if self.base is None else f"{self.figure}÷{self.base}")

    def cap_for(self, rate: Decimal) -> Decimal | None:
        """The cap on the total at this rate (None: no cap)."""
        caps = [b.at_most for b in self.bands if rate < b.below]
        return min(caps) if caps else None


class GradeBand(Frozen):
    """等级 / one grade band: a total of at least `min` earns `grade`."""

    grade: Annotated[str, Field(min_length=1, max_length=10, pattern=r"^\S+$")]
    """等级 / the grade's label, as the county writes it (优/良/中/差, 优秀/良好/合格/不合格 …)."""
    min: Percent
    """最低分 / the lowest total (of 100) that earns this grade."""


class AppliesTo(Frozen):
    """Where a framework applies. A unit outside is scored with a warning, or refused."""

    years: tuple[Annotated[int, Field(ge=2000, le=2100)], ...] = ()
    """适用年度 / the evaluation years the framework is for; empty: any year."""
    unit_kinds: tuple[Literal["镇", "乡", "街道", "县直部门", "其他"], ...] = ()
    """适用单位类别 / the unit kinds (单位类别 in unit.yaml) it is for; empty: any kind."""
    outside: Literal["warn", "refuse"] = "warn"
    """范围外处理 / a unit outside: warn (scored, with a warning) or refuse (refused by
    `selfeval validate` and `run`)."""


class TargetCategory(Frozen):
    """目标类别 / one category of the units' 绩效目标 (the 一级 of the national form: 产出,
    效益, 满意度), with the 二级 its targets may name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "产出", "level2": ["数量指标", "质量指标", "时效指标", "成本指标"]}
            ]
        }
    )

    name: Annotated[str, Field(min_length=1)]
    """名称 / the category as targets.csv 类别 writes it (产出, 效益, 满意度 …)."""
    level2: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    """二级指标 / the 二级 a target of this category may name in 二级指标 (数量指标, 质量指标 …);
    empty: any, or none."""


DEFAULT_TARGET_CATEGORIES = (TargetCategory(name="产出"), TargetCategory(name="效益"))


class CompletionLevel(Frozen):
    """完成程度 / one level a unit may state for a qualitative or = target, and the share of the
    target's points (or of 100 % completion) it earns."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"level": "基本达成", "share": 80}]})

    level: Annotated[str, Field(min_length=1)]
    """程度 / the level as targets.csv 完成程度 writes it (达成, 基本达成, 部分达成, 未达成 …)."""
    share: Percent
    """得分比例 / the completion it counts as, in percent (80: 80 % of the target's points)."""


class Framework(Frozen):
    """评分表 / a county's indicator framework: one YAML file holding the indicators, their
    weights and rules, and the grade bands. A params file names it with `framework:`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "county_2024",
                    "name": "某县部门整体支出绩效自评指标框架",
                    "notice": "各指标分值与评分标准依据某县财政局2024年评分表。",
                    "applies_to": {"years": [2024], "unit_kinds": ["镇", "乡"]},
                    "grades": [
                        {"grade": "优", "min": 90},
                        {"grade": "良", "min": 80},
                        {"grade": "中", "min": 60},
                        {"grade": "差", "min": 0},
                    ],
                    "indicators": [
                        {
                            "id": "overall",
                            "name": "部门整体绩效",
                            "level1": "履职效能",
                            "level2": "部门整体绩效目标",
                            "weight": 100,
                            "explanation": "部门整体支出绩效的综合评价。",
                            "standard": "由单位自评打分并说明理由。",
                            "rule": {"kind": "manual"},
                        }
                    ],
                }
            ]
        }
    )

    id: str
    """评分表代码 / the framework's id, printed in each report's provenance and scores.json."""
    name: str
    """评分表名称 / the framework's title, printed under the 评分表."""
    notice: str
    """说明 / says plainly where the weights come from (an official table, or a default to
    replace); printed under the 评分表."""
    applies_to: AppliesTo = AppliesTo()
    """适用范围 / the years and unit kinds the framework is for."""
    missing_data: Literal["no_points"] = "no_points"
    """缺失数据处理 / what an indicator earns when an input it needs is 未填报: no_points (none,
    unless the unit gives its own score with a reason)."""
    budget_shift_pct: NonNegative = Decimal(30)
    """预算调整预警线 / a spending type whose 决算 differs from its 年初预算 by more than this
    percentage earns a warning."""
    grades: tuple[GradeBand, ...]
    """等级 / the grade bands from the highest to the lowest, each grade once, the last at 0."""
    target_categories: tuple[TargetCategory, ...] = DEFAULT_TARGET_CATEGORIES
    """目标类别 / the categories of the units' 绩效目标 (targets.csv 类别) and the 二级 each may
    name; without it, 产出 and 效益 with any 二级."""
    completion_levels: tuple[CompletionLevel, ...] = ()
    """完成程度 / the levels a unit states for a qualitative (定性) target or an = target not hit
    exactly (达成/基本达成/部分达成/未达成), from the highest, each with the share of the
    target's points it earns; none: such targets cannot be scored."""
    groups: tuple[Group, ...] = ()
    """指标分组 / declared weights of groups at any level (一级, 二级, 三级 …), checked against
    their indicators and printed as subtotals (小计)."""
    total_cap: TotalCap | None = None
    """总分封顶 / the total capped by a rate (the national budget platform's rule)."""
    bonus: Extras | None = None
    """加分项 / items outside the 100 that add points (capped)."""
    penalty: Extras | None = None
    """扣分项 / items outside the 100 that deduct points (capped)."""
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    """指标 / the indicators in the order the 评分表 prints them; their weights add up to 100."""
    form: Form = Form()
    """自评表 / the layout of the 部门整体支出绩效自评表 beside each report; omitted: the national
    layout."""

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        for label in ("id", "name"):
            values = [getattr(i, label) for i in self.indicators]
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                second = next(n for n, v in enumerate(values) if v in values[:n])
                raise PydanticCustomError(
                    "duplicate_indicator",
                    "indicators: 指标{label}重复 / duplicate indicator {label}: {twice}",
                    {
                        "label": label,
                        "twice": "、".join(twice),
                        "at": ("indicators", second, label),
                    },
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
            raise PydanticCustomError(
                "grade_bands",
                "grades: 等级区间重叠或未按从高到低排列（{bands}）/ grade bands overlap or are not "
                "listed from highest to lowest: each grade once, each min strictly below the one "
                "before, the last at 0",
                {"bands": bands, "at": ("grades",)},
            )
        if self.total_weight != 100:
            weights = " + ".join(f"{i.id} {i.weight}" for i in self.indicators)
            raise PydanticCustomError(
                "weights_not_100",
                "indicators.weight: 各指标分值合计 {total}，应为100 / weights add up to {total}, "
                "not 100 ({weights})",
                {"total": str(self.total_weight), "weights": weights, "at": ("indicators",)},
            )
        self._one_type_per_fact()
        self._groups_add_up()
        self._targets_declared()
        for key, extras, needs in (("bonus", self.bonus, True), ("penalty", self.penalty, False)):
            for k, item in enumerate(extras.items if extras else ()):
                if item.by_evaluator or (item.points is not None) != needs:
                    raise PydanticCustomError(
                        "extras_items",
                        "{key}.items.{k}: {what}",
                        {
                            "key": key,
                            "k": k,
                            "what": "加分项、扣分项不能由评审评分（scoring: evaluator）/ a "
                            "bonus or penalty item is not scored by the evaluator"
                            if item.by_evaluator
                            else "加分项应写 points（符合时加的分）/ a bonus item carries points"
                            if needs
                            else "扣分项应写 deduct 或 deduct_each / a penalty item deducts: "
                            "deduct or deduct_each",
                            "at": (key, "items", k),
                        },
                    )
        return self

    @model_validator(mode="after")
    def _form_names_indicators(self) -> Framework:
        ids = [i.id for i in self.indicators]
        for n, row in enumerate(self.form.funds):
            if row.indicator not in (None, "auto", *ids):
                raise PydanticCustomError(
                    "form_indicator",
                    'form.funds.{n}.indicator: "{found}" 不是本框架的指标代码 / is not an indicator '
                    "id of this framework; 允许 / allowed: {allowed}、auto{hint}",
                    {
                        "n": n,
                        "found": row.indicator,
                        "allowed": "、".join(ids),
                        "hint": did_you_mean(row.indicator, ids),
                        "at": ("form", "funds", n, "indicator"),
                    },
                )
        return self

    def form_indicator(self, key: str | None) -> Indicator | None:
        """The indicator a funds row of the 自评表 scores with (auto: the first of kind rate, or
        of kind ratio of 支出率, or of 本年支出 over 调整预算)."""
        if key == "auto":
            spending = (("本年支出", "调整预算"), ("支出率", None))
            rates = (
                i
                for i in self.indicators
                if i.rule.kind == "rate"
                or (i.rule.kind == "ratio" and (i.rule.figure, i.rule.base) in spending)
            )
            return next(rates, None)
        return None if key is None else self.find(key)

    def _groups_add_up(self) -> None:
        """Each declared group names a group of some indicators, at its level, under one parent
        (or by its path), and weighs what they weigh together."""
        seen = set()
        for n, group in enumerate(self.groups):
            members = self.members(group)
            parents = list(dict.fromkeys(i.path[: group.level - 1] for i in members))
            key = parents[0] + (group.name,) if len(parents) == 1 else (group.level, group.name)
            if key in seen:
                why = "重复声明 / declared twice"
            elif not members and group.path:
                why = (
                    f"没有指标位于此路径下（{'、'.join(group.path)}）/ no indicator stands under "
                    "this path; 请按指标的 levels 从一级起写 / write the names from the top as "
                    "the indicators' levels do"
                )
            elif not members:
                names = [
                    x
                    for x in dict.fromkeys(self.level_of(i, group.level) for i in self.indicators)
                    if x
                ]
                why = (
                    f"没有指标的 level{group.level} 为此名称 / no indicator's level{group.level} "
                    f"is this name; 可用 / allowed: {'、'.join(names) or '（无）'}"
                    f"{did_you_mean(group.name, names)}"
                )
            elif len(parents) > 1:
                where = "；".join("、".join(p) for p in parents)
                example = ", ".join((*parents[0], group.name))
                why = (
                    f"在多个上级之下都有此名称（{where}），请用 path 写明是哪一个 / stands under "
                    f"several parents ({where}): declare it by path, e.g. path: [{example}]"
                )
            else:
                why = ""
            if why:
                key_name = "path" if group.path else "name"
                shown = "、".join(group.path) if group.path else group.name
                raise PydanticCustomError(
                    "group_unknown",
                    'groups.{n}.{key}: "{name}" {why}',
                    {
                        "n": n,
                        "key": key_name,
                        "name": shown,
                        "why": why,
                        "at": ("groups", n, key_name),
                    },
                )
            seen.add(key)
            total = sum((i.weight for i in members), Decimal(0))
            if total != group.weight:
                parts = " + ".join(f"{i.id} {i.weight}" for i in members)
                raise PydanticCustomError(
                    "group_weight",
                    'groups.{n}.weight: "{name}" 声明分值 {weight}，其下各指标分值合计 {total}（{parts}）'
                    "/ declares {weight} but its indicators weigh {total} ({parts})",
                    {
                        "n": n,
                        "name": group.name,
                        "weight": str(group.weight),
                        "total": str(total),
                        "parts": parts,
                        "at": ("groups", n, "weight"),
                    },
                )

    def _targets_declared(self) -> None:
        """Each target rule scores a declared category (and 二级); categories and levels once."""
        for key, names in (
            ("target_categories", [c.name for c in self.target_categories]),
            ("completion_levels", [c.level for c in self.completion_levels]),
        ):
            twice = [n for k, n in enumerate(names) if n in names[:k]]
            if twice:
                raise PydanticCustomError(
                    "declared_twice",
                    '{key}: "{name}" 重复声明 / declared twice',
                    {"key": key, "name": twice[0], "at": (key, names.index(twice[0], 1))},
                )
        categories = {c.name: c for c in self.target_categories}
        for n, ind in enumerate(self.indicators):
            rule = ind.rule
            if not isinstance(rule, TargetCompletionRule):
                continue
            declared = categories.get(rule.category)
            if declared is None:
                key, found, allowed = "category", rule.category, list(categories)
            elif rule.level2 is not None and declared.level2 and rule.level2 not in declared.level2:
                key, found, allowed = "level2", rule.level2, list(declared.level2)
            else:
                continue
            raise PydanticCustomError(
                "undeclared_target",
                'indicators[{n}] (id: {id}).rule.{key}: "{found}" 不是评分表 target_categories 声明的'
                "{what} / is not declared in target_categories; 允许 / allowed: {allowed}{hint}",
                {
                    "n": n,
                    "id": ind.id,
                    "key": key,
                    "found": found,
                    "what": "目标类别" if key == "category" else f"“{rule.category}”的二级指标",
                    "allowed": "、".join(allowed),
                    "hint": did_you_mean(found, allowed),
                    "at": ("indicators", n, "rule", key),
                },
            )

    @property
    def reviewed(self) -> bool:
        """Some indicator is scored by the evaluator: outputs show the 评审得分 column."""
        return any(i.reviewed for i in self.indicators)

    def category(self, name: str) -> TargetCategory | None:
        return next((c for c in self.target_categories if c.name == name), None)

    def level_share(self, level: str) -> Decimal | None:
        """The completion a stated 完成程度 counts as (None: not a declared level)."""
        return next((c.share for c in self.completion_levels if c.level == level), None)

    @staticmethod
    def level_of(ind: Indicator, level: int) -> str:
        """The name of its group at a level ('' where its hierarchy is not that deep)."""
        return ind.path[level - 1] if level <= len(ind.path) else ""

    @property
    def depth(self) -> int:
        """The deepest hierarchy of its indicators (2: 一级 and 二级)."""
        return max(len(i.path) for i in self.indicators)

    def members(self, group: Group) -> tuple[Indicator, ...]:
        """The indicators under a group: by its path, or by its name at its level."""
        if group.path:
            return tuple(i for i in self.indicators if i.path[: group.level] == group.path)
        return tuple(i for i in self.indicators if self.level_of(i, group.level) == group.name)

    def peers(self, ind: Indicator) -> tuple[Indicator, ...]:
        """The indicators whose scores a re-weighted indicator takes its rate from: those under
        the same group at the level it names (its whole path down to that level), or all."""
        upto = ind.reweight_level
        return tuple(
            i
            for i in self.indicators
            if i is not ind and (upto is None or i.path[:upto] == ind.path[:upto])
        )

    def missing_policy(self, ind: Indicator) -> str:
        return ind.missing or self.missing_data

    def _one_type_per_fact(self) -> None:
        """A fact is yes/no in every item that reads it, or a number in every one: a unit cannot
        state both (a scored 是 cannot be counted)."""
        first: dict[str, tuple[Indicator, ChecklistItem]] = {}
        for n, ind in enumerate(self.indicators):
            for k, item in enumerate(getattr(ind.rule, "items", ())):
                if item.fact is None:
                    continue
                if item.fact not in first:
                    first[item.fact] = (ind, item)
                    continue
                other, was = first[item.fact]
                if was.takes_yes_no != item.takes_yes_no:
                    yes_no, number = (other, ind) if was.takes_yes_no else (ind, other)
                    raise PydanticCustomError(
                        "fact_two_types",
                        'indicators[{n}] (id: {id}).rule.items.{k}.fact: 事实"{fact}"在指标 '
                        "{yes_no} 中为 是/否（expect），在指标 {number} 中为数字（max/min），同一事实"
                        '只能有一种类型 / fact "{fact}" is yes/no (expect) in indicator {yes_no} '
                        "and a number (max/min) in indicator {number}; one fact has one type: "
                        "rename one of them",
                        {
                            "n": n,
                            "k": k,
                            "id": ind.id,
                            "fact": item.fact,
                            "yes_no": yes_no.id,
                            "number": number.id,
                            "at": ("indicators", n, "rule", "items", k, "fact"),
                        },
                    )

    @property
    def total_weight(self) -> Decimal:
        return sum((i.weight for i in self.indicators), Decimal(0))

    def find(self, key: str) -> Indicator | None:
        """An indicator by id or by its Chinese name."""
        return next((i for i in self.indicators if key.strip() in (i.id, i.name)), None)

    def grade_for(self, total: Decimal) -> str:
        return next(b.grade for b in self.grades if total >= b.min)

    def fact_keys(self) -> dict[str, tuple[Indicator | Extras, ChecklistItem]]:
        """Every management fact the framework reads, with the indicator and item that read it."""
        found = {
            item.fact: (ind, item)
            for ind in self.indicators
            if isinstance(ind.rule, ChecklistRule)
            for item in ind.rule.items
            if item.fact is not None
        }
        for extras in (self.bonus, self.penalty):
            if extras is not None:  # named like an indicator in the unit's missing-fact error
                found.update({item.fact: (extras, item) for item in extras.items})
        return found

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


MAX_LISTED = 30  # problems of one framework file listed in its error


def framework_path(ref: str, base: Path | None = None) -> Path:
    """A bundled framework id (gd_township_2024) or a path to a YAML file."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        path = Path(ref)
        return path if path.is_absolute() or base is None else (base / path).resolve()
    return FRAMEWORK_DIR / f"{ref}.yaml"


def read_framework(path: Path) -> tuple[Framework, YamlMarks]:
    """A framework file validated against the model, and where each of its parts stands; every
    problem of the file in one FrameworkError, each naming the line and column."""
    raw, marks = read_yaml_marked(path, FrameworkError)
    if not set(raw) & set(Framework.model_fields):  # /etc/passwd, a unit.yaml: not quoted back
        raise FrameworkError(
            f"{shown_path(path)}{at_line(1, 1)}: 不是指标框架文件（没有 id、name、indicators 等键）/ "
            "not a framework file (no id, name, indicators … keys): check the framework: path "
            "of the params file"
        )
    try:
        return Framework.model_validate(raw), marks
    except ValidationError as exc:
        errors = exc.errors()
        problems = sorted(_located(raw, marks, e) for e in errors if not _echo(e, errors))
        lines = [f"{shown_path(path)}{at_line(*where)}: {what}" for where, what in problems]
        if len(lines) > MAX_LISTED:  # a short excerpt, as for every file, never the whole file
            more = len(lines) - MAX_LISTED
            lines[MAX_LISTED:] = [f"…另有 {more} 处问题 / … and {more} more problems"]
        raise FrameworkError("\n".join(lines)) from None


def _echo(err: dict, errors: list[dict]) -> bool:
    """pydantic also calls a list too short when its only items are invalid: say the items'."""
    n = len(err["loc"])
    return err["type"] == "too_short" and any(
        len(e["loc"]) > n and e["loc"][:n] == err["loc"] for e in errors
    )


def _located(raw: dict, marks: YamlMarks, err: dict) -> tuple[tuple[int, int], str]:
    loc = (*err["loc"], *err.get("ctx", {}).get("at", ()))
    if err["type"].startswith("union_tag_"):  # the rule's kind: its own line
        loc = (*loc, "kind")
    place = marks.key_at(loc) if err["type"] == "extra_forbidden" else marks.at(loc)
    return place, _describe(raw, err)


_CHINESE = re.compile("[\u4e00-\u9fff]")


def _describe(raw: dict, err: dict) -> str:
    """One bilingual line naming the indicator by its id: indicators[3] (id: procurement).rule."""
    loc = list(err["loc"])
    if err["type"] == "union_tag_invalid":
        tag = str(err["ctx"]["tag"])
        what = (
            f'"{tag}" 不是已知的规则类型 / is not a known rule kind; '
            f"允许 / allowed: {', '.join(RULE_KINDS)}{did_you_mean(tag, list(RULE_KINDS))}"
        )
        loc.append("kind")
    elif err["type"] == "union_tag_not_found":
        what = f"缺少此项 / missing; 规则类型 / rule kinds: {', '.join(RULE_KINDS)}"
        loc.append("kind")
    else:
        what = describe_pydantic_error({**err, "loc": ()}, False, Framework, err["loc"])
    if not _CHINESE.search(what):  # a pydantic message we have no words for: say so in Chinese
        what = f"值无效 / invalid value: {what}"
    place = place_name(raw, loc)
    return f"{place}: {what}" if place else what


def check_framework(framework: Framework) -> list[Problem]:
    """What in a valid framework still cannot be right: each indicator whose printed 评分标准
    names points or a threshold its rule does not compute."""
    return [
        Problem(("indicators", n, "standard"), text)
        for n, ind in enumerate(framework.indicators)
        if (text := ind.check_standard())
    ]


def place_name(raw: dict, loc: tuple | list) -> str:
    """'indicators[3] (id: procurement).rule.items.0' for a key path into a framework file (the
    union member name pydantic puts after `rule`, rule.checklist.items, left out)."""
    parts = [p if isinstance(p, int) else excerpt(p) for p in loc]  # a key is the file's text
    if parts[:1] != ["indicators"] or len(parts) < 2 or not isinstance(parts[1], int):
        return ".".join(str(p) for p in parts)
    items = raw.get("indicators")
    item = items[parts[1]] if isinstance(items, (list, tuple)) and parts[1] < len(items) else None
    ident = excerpt(item.get("id", "?")) if isinstance(item, dict) else "?"
    rest = [str(p) for p in parts[2:] if p not in RULE_KINDS]
    return ".".join([f"indicators[{parts[1]}] (id: {ident})", *rest])


def check_framework_file(path: Path) -> tuple[Framework, list[tuple[tuple, str]]]:
    """A framework and what `check_framework` finds in it: (key path, message naming the line)."""
    framework, marks = read_framework(path)
    raw = {"indicators": [{"id": i.id} for i in framework.indicators]}
    return framework, [
        (
            p.loc,
            f"{shown_path(path)}{at_line(*marks.at(p.loc))}: {place_name(raw, p.loc)}: {p.text}",
        )
        for p in check_framework(framework)
    ]


@cache
def _load(path: Path) -> Framework:
    framework, problems = check_framework_file(path)
    if problems:
        raise FrameworkError("\n".join(text for _, text in problems))
    return framework


def load_framework(ref: str, base: Path | None = None) -> Framework:
    """Load and validate a framework by id or path (cached: frameworks are immutable)."""
    path = framework_path(ref, base)
    if not path.is_file():
        bundled = ", ".join(sorted(p.stem for p in FRAMEWORK_DIR.glob("*.yaml")))
        raise FrameworkError(
            f"{path}: 找不到指标框架 / framework not found; bundled frameworks: {bundled}"
        )
    return _load(path.resolve())
