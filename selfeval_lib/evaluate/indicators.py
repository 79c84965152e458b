"""Indicators computed from a unit's validated data, and the cross-checks that become warnings.

Every figure is a `Fig`: a sum with a 未填报 part is 未填报 unless the unit states the total, a
figure computed from an illustrative (※) input is marked, and where the unit states a total or a
rate it is used as stated (nothing is back-solved) and compared with the lines."""

from __future__ import annotations

import operator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial

from ..fmt import fmt_fig, fmt_pct, fmt_wan, pct, quantize
from ..inputs.schema import BudgetLine, SanGongLine, Target
from ..inputs.unit import UnitData
from ..values import NOT_STATED, SANGONG_ITEMS, Fig, fig, fig_apply, fig_none, fig_sum, stated_or
from .lists import BUDGET_KINDS, Listed, compute_lists

ZERO = Decimal(0)


def fig_pct(part: Fig, whole: Fig) -> Fig:
    """part / whole in percent, two decimals; not applicable (None) over a zero base."""
    return fig_apply(pct, part, whole)


def column_name(model: type, field: str) -> str:
    """The data file's column of a field (the schema's alias): where the report heads a column
    with the input's own name, it takes it from here, never types it."""
    return model.model_fields[field].alias


# The amounts of a budget.csv / sangong.csv line, by field, with their column names.
BUDGET_AMOUNTS = {
    f: column_name(BudgetLine, f)
    for f in ("initial_budget", "adjusted_budget", "actual", "last_year")
}
SANGONG_AMOUNTS = {f: column_name(SanGongLine, f) for f in ("budget", "actual", "last_year")}
TARGET_FIGURES = {
    f: column_name(Target, f) for f in ("target", "actual", "last_year", "growth_pct")
}


@dataclass(frozen=True)
class BudgetResult:
    """One budget.csv line with its figures (万元), each with its ※ and 未填报, and its 支出率."""

    line: BudgetLine  # 支出类型, 经济分类, 科目名称, 示例数据
    row: int  # index in budget.csv
    initial_budget: Fig  # 年初预算
    adjusted_budget: Fig  # 调整预算
    actual: Fig  # 本年支出
    last_year: Fig  # 上年支出
    spending_rate: Fig  # 本年支出 ÷ 调整预算; None (不适用) over a zero budget

    @property
    def amounts(self) -> tuple[Fig, ...]:
        """The line's amounts in the order of BUDGET_AMOUNTS."""
        return tuple(getattr(self, f) for f in BUDGET_AMOUNTS)


@dataclass(frozen=True)
class SanGongResult:
    """One sangong.csv line with its figures (万元) and its 执行率."""

    line: SanGongLine  # 项目, 示例数据
    row: int  # index in sangong.csv
    budget: Fig  # 预算
    actual: Fig  # 决算
    last_year: Fig  # 上年决算
    rate: Fig  # 执行率: 决算 ÷ 预算; None (不适用) over a zero budget

    @property
    def amounts(self) -> tuple[Fig, ...]:
        """The line's amounts in the order of SANGONG_AMOUNTS."""
        return tuple(getattr(self, f) for f in SANGONG_AMOUNTS)


@dataclass(frozen=True)
class TargetResult:
    target: Target
    row: int  # index in targets.csv
    goal: Fig  # 目标值
    actual: Fig  # 实际值
    completion: Fig  # percent, capped at 100
    growth_pct: Fig  # as stated, or computed from last year's value
    last_year: Fig = Fig(None)  # 上年值
    points: Fig = Fig(None)  # 分值, the target's own points (None: not given)
    over_pct: Fig = Fig(None)  # how far 实际值 exceeds 目标值, % of it (≥ targets; deviation rule)
    goal_words: str = ""  # a qualitative (定性) target's 目标值 in words (效果明显, 9月前)
    actual_words: str = ""  # … and its 实际值

    @property
    def met(self) -> bool | None:
        """Completed (100%), not completed, or None where that cannot be said."""
        return None if self.completion.value is None else self.completion.value == 100


@dataclass(frozen=True)
class Indicators:
    # spending structure (本年支出), 万元
    basic: Fig
    project: Fig
    personnel: Fig
    public: Fig
    actual: Fig
    basic_share: Fig
    project_share: Fig
    # last year and changes
    basic_last: Fig
    project_last: Fig
    basic_change: Fig  # as stated, or 本年 - 上年 from the lines
    project_change: Fig
    # budget execution
    initial_budget: Fig
    initial_basic: Fig
    initial_project: Fig
    adjusted_budget: Fig
    adjusted_basic: Fig
    adjusted_project: Fig
    spending_rate: Fig  # 支出率 as the framework defines it (rate_by_definition); None: 不适用
    stated_spending_rate: Fig  # 支出率 as the unit states it (totals.spending_rate)
    computed_spending_rate: Fig  # 本年支出 ÷ 调整预算 from the figures the unit states
    basic_rate: Fig
    project_rate: Fig
    total_expenditure: Fig  # as the unit states it (支出总计)
    # 三公经费
    sangong_budget: Fig
    sangong_actual: Fig
    sangong_last: Fig
    sangong_rate: Fig
    # staffing
    authorized: Fig
    in_service: Fig
    retired: Fig
    temporary: Fig
    staffing_rate: Fig  # 在职 / 编制
    temporary_ratio: Fig  # 临时工 / 在职
    retired_ratio: Fig  # 离退休 / 在职
    basic_per_staff: Fig  # 基本支出 / 在职, 万元/人
    # targets and new projects
    targets: tuple[TargetResult, ...]
    new_projects: Fig  # how many; 未填报 when the unit does not say
    pre_assessed: Fig
    pre_assessment_rate: Fig  # None when there are no new projects
    # the lines, each with its figures, and the sums of their columns
    budget_lines: tuple[BudgetResult, ...]
    sangong_lines: tuple[SanGongResult, ...]
    last_total: Fig  # 上年支出合计: 上年基本支出 + 上年项目支出
    sangong_change: Fig  # “三公”经费 决算 − 上年决算
    line_sums: dict[str, Fig]  # by totals key (LINE_SUMS): the sum of the lines a total states
    # each list the report summarises (lists.py): items, none (无) or 未填报, by key
    lists: dict[str, Listed]
    warnings: tuple[str, ...] = ()  # cross_checks' findings, given once the figures above are in

    def targets_of(self, category: str, level2: str | None = None) -> tuple[TargetResult, ...]:
        """The targets of a category (and, where given, of one of its 二级)."""
        return tuple(
            t
            for t in self.targets
            if t.target.category == category and level2 in (None, t.target.level2)
        )

    @property
    def spending_rates_disagree(self) -> bool:
        """The stated 支出率 and the one computed from the stated figures differ, to the
        stated one's own places (93.0 stated for 92.96 computed agree)."""
        stated, computed = self.stated_spending_rate, self.computed_spending_rate
        if not (stated.given and computed.given):
            return False
        places = Decimal(1).scaleb(stated.value.as_tuple().exponent)
        return quantize(computed.value, places) != stated.value

    @property
    def spending_rate_stated(self) -> bool:
        """The 支出率 scored is the one the unit states (its 本年支出 or 调整预算 is 未填报)."""
        return self.computed_spending_rate.not_stated and self.stated_spending_rate.given


def rate_by_definition(stated: Fig, computed: Fig) -> Fig:
    """The 支出率 a framework scores. Its definition is 本年支出 ÷ 调整预算: where the unit states
    both, the rate is computed from them (不适用 over a zero 调整预算), and a stated rate that
    disagrees is a warning naming both; where either is 未填报, the rate the unit states is used."""
    if not computed.not_stated:
        return computed
    return stated if stated.given or stated.not_stated else computed


def _completion(direction: object, goal: Decimal, actual: Decimal) -> Decimal:
    """Completion of one target in percent: 100 where the target is met; where it is missed, the
    ratio (≥: actual ÷ goal, ≤: goal ÷ actual) when both figures are positive, else 0 (a ratio of
    a zero or negative figure measures nothing: ≤ -2 met by -3 is not 66.67 %)."""
    met = actual >= goal if direction == "≥" else actual <= goal
    if met:
        return Decimal(100)
    if goal > 0 and actual > 0:
        return pct(actual, goal) if direction == "≥" else pct(goal, actual)
    return Decimal(0)


def _level(unit: UnitData, row: int) -> Fig:
    """The completion a target's stated 完成程度 counts as (the framework's completion_levels);
    未填报 where the unit does not state it."""
    t, column = unit.targets[row], column_name(Target, "level")
    if t.level is NOT_STATED or not t.level:
        return Fig(None, column in t.illustrative, (unit.place("targets.csv", row, column),))
    return Fig(unit.framework.level_share(t.level), column in t.illustrative)


def _target_figure(unit: UnitData, row: int, field: str) -> Fig:
    """目标值 or 实际值 as a figure; the words of a qualitative target are no figure (None)."""
    value, column = getattr(unit.targets[row], field), TARGET_FIGURES[field]
    if isinstance(value, str):
        return Fig(None, column in unit.targets[row].illustrative)
    return unit.cell("targets.csv", row, column)


def _exact(unit: UnitData, row: int, goal: Fig, actual: Fig) -> Fig:
    """An = target: 100 % where hit exactly, else the 完成程度 the unit states."""
    hit = fig_apply(operator.eq, goal, actual)
    if hit.value is True:
        return Fig(Decimal(100), hit.illustrative)
    return hit if not hit.given else _level(unit, row)


def _over(goal: Decimal, actual: Decimal) -> Decimal | None:
    return pct(actual - goal, goal) if goal > 0 and actual > goal else None


def compute_target(unit: UnitData, row: int) -> TargetResult:
    t = unit.targets[row]
    column = partial(unit.cell, "targets.csv", row)
    goal, actual = _target_figure(unit, row, "target"), _target_figure(unit, row, "actual")
    last = column(TARGET_FIGURES["last_year"])
    if t.direction is NOT_STATED:
        direction = fig(
            NOT_STATED, "方向" in t.illustrative, where=unit.place("targets.csv", row, "方向")
        )
        completion = fig_none(direction, goal, actual)
    elif t.direction == "定性":
        completion = _level(unit, row)
    elif t.direction == "=":
        completion = _exact(unit, row, goal, actual)
    else:
        completion = fig_apply(lambda g, a: _completion(t.direction, g, a), goal, actual)
    growth = column(TARGET_FIGURES["growth_pct"])
    if not growth.given and not growth.not_stated:
        growth = fig_apply(
            lambda a, b: quantize((a - b) * 100 / b, Decimal("0.1")) if b else None, actual, last
        )
    over = fig_apply(_over, goal, actual) if t.direction == "≥" else Fig(None)
    points = column(column_name(Target, "points"))
    words = [v if isinstance(v, str) else "" for v in (t.target, t.actual)]
    return TargetResult(t, row, goal, actual, completion, growth, last, points, over, *words)


def compute_budget_line(unit: UnitData, row: int) -> BudgetResult:
    amounts = {f: unit.cell("budget.csv", row, c) for f, c in BUDGET_AMOUNTS.items()}
    rate = fig_pct(amounts["actual"], amounts["adjusted_budget"])
    return BudgetResult(unit.budget[row], row, **amounts, spending_rate=rate)


def compute_sangong_line(unit: UnitData, row: int) -> SanGongResult:
    amounts = {f: unit.cell("sangong.csv", row, c) for f, c in SANGONG_AMOUNTS.items()}
    rate = fig_pct(amounts["actual"], amounts["budget"])
    return SanGongResult(unit.sangong[row], row, **amounts, rate=rate)


# Each total a unit may state (unit.yaml totals) that its lines add up to: the label the
# warnings use, the table, the field summed and the 支出类型 of the lines (None: all lines).
LINE_SUMS = {
    "actual": ("本年支出合计", "budget.csv", "actual", None),
    "basic": ("基本支出", "budget.csv", "actual", "基本支出"),
    "project": ("项目支出", "budget.csv", "actual", "项目支出"),
    "initial_budget": ("年初预算合计", "budget.csv", "initial_budget", None),
    "initial_basic": ("年初预算基本支出", "budget.csv", "initial_budget", "基本支出"),
    "initial_project": ("年初预算项目支出", "budget.csv", "initial_budget", "项目支出"),
    "adjusted_budget": ("调整预算合计", "budget.csv", "adjusted_budget", None),
    "adjusted_basic": ("调整预算基本支出", "budget.csv", "adjusted_budget", "基本支出"),
    "adjusted_project": ("调整预算项目支出", "budget.csv", "adjusted_budget", "项目支出"),
    "sangong_budget": ("“三公”经费预算", "sangong.csv", "budget", None),
    "sangong_actual": ("“三公”经费决算", "sangong.csv", "actual", None),
}


def _no_lines(unit: UnitData, part: str, group: str, column: str) -> Fig:
    """A figure of a group with no line: 0 where a 无 row states there is none this year (last
    year's figure it does not state: 未填报), else 未填报 naming the missing row."""
    none = unit.none_row(part, group)
    if none is None:
        return Fig(None, missing=(unit.left_out_place(part, group),))
    if column in (BUDGET_AMOUNTS["last_year"], SANGONG_AMOUNTS["last_year"]):
        return Fig(
            None, missing=(unit.place(part, column=f"{group or '三公经费'}“无”行的{column}"),)
        )
    return Fig(ZERO)


def _lines(
    unit: UnitData, lines: tuple[BudgetResult, ...], field: str, kind: str | None = None
) -> Fig:
    """Sum of one budget.csv amount over all lines (or the lines of one 支出类型); a 支出类型
    without lines is 0 where the unit states it has none, else 未填报."""
    if kind is None:
        return fig_sum(_lines(unit, lines, field, k) for k in BUDGET_KINDS)
    of_kind = [b for b in lines if b.line.kind == kind]
    if not of_kind:
        return _no_lines(unit, "budget.csv", kind, BUDGET_AMOUNTS[field])
    return fig_sum(getattr(b, field) for b in of_kind)


def by_econ(
    unit: UnitData, lines: tuple[BudgetResult, ...], econ: str, field: str = "actual"
) -> Fig:
    """One amount (本年支出 unless `field` says) of one 经济分类 of 基本支出 (人员经费 or 公用经费);
    未填报 where any line's 经济分类 is not stated, and as 基本支出 is where it has no line."""
    unknown = [b.row for b in lines if b.line.econ is NOT_STATED]
    if unknown:
        econ_column = column_name(BudgetLine, "econ")
        return Fig(None, missing=tuple(unit.place("budget.csv", n, econ_column) for n in unknown))
    if not any(b.line.kind == "基本支出" for b in lines):
        return _no_lines(unit, "budget.csv", "基本支出", BUDGET_AMOUNTS[field])
    return fig_sum(getattr(b, field) for b in lines if b.line.econ == econ)


def _sangong(unit: UnitData, lines: tuple[SanGongResult, ...], field: str) -> Fig:
    """A “三公” total: its items' sum; no rows is not a zero (0 only by a 无 row), and an item
    without a row leaves the sum 未填报 (write the item with 0 where it had none)."""
    if not lines:
        return _no_lines(unit, "sangong.csv", "", SANGONG_AMOUNTS[field])
    listed = {s.line.item for s in lines}
    absent = [
        unit.place("sangong.csv", column=f"无“{i}”行") for i in SANGONG_ITEMS if i not in listed
    ]
    if absent:
        return Fig(None, missing=tuple(absent))
    return fig_sum(getattr(s, field) for s in lines)


def _line_sums(
    unit: UnitData, budget: tuple[BudgetResult, ...], sangong: tuple[SanGongResult, ...]
) -> dict[str, Fig]:
    """Each of LINE_SUMS: the sum of its lines."""
    return {
        key: _lines(unit, budget, field, kind)
        if part == "budget.csv"
        else _sangong(unit, sangong, field)
        for key, (_, part, field, kind) in LINE_SUMS.items()
    }


def _per_staff(amount: Decimal, staff: Decimal) -> Decimal | None:
    return quantize(amount / staff) if staff else None


def compute_indicators(unit: UnitData) -> Indicators:
    """Every figure the report states or scores, computed exactly from the unit's data."""
    total = unit.key  # a stated total of unit.yaml, by key
    budget_lines = tuple(compute_budget_line(unit, n) for n in range(len(unit.budget)))
    sangong_lines = tuple(compute_sangong_line(unit, n) for n in range(len(unit.sangong)))
    sums = _line_sums(unit, budget_lines, sangong_lines)

    def stated(key: str) -> Fig:  # the unit's total where it states one, else its lines' sum
        return stated_or(total(f"totals.{key}"), sums[key])

    basic, project = stated("basic"), stated("project")
    actual = stated_or(total("totals.actual"), fig_apply(operator.add, basic, project))
    basic_last = _lines(unit, budget_lines, "last_year", "基本支出")
    project_last = _lines(unit, budget_lines, "last_year", "项目支出")
    adjusted = stated("adjusted_budget")
    adjusted_basic = stated("adjusted_basic")
    adjusted_project = stated("adjusted_project")
    staff = {
        k: total(f"staffing.{k}") for k in ("authorized", "in_service", "retired", "temporary")
    }
    projects = unit.management.new_projects
    if projects is NOT_STATED:
        new_projects = Fig(None, missing=(unit.place("management.yaml", key="new_projects"),))
        assessed = new_projects
    else:
        new_projects = Fig(Decimal(len(projects)))
        assessed = fig_sum(
            fig(
                NOT_STATED if p.pre_assessed is NOT_STATED else Decimal(p.pre_assessed),
                where=unit.place("management.yaml", key=f"new_projects.{n}.pre_assessed"),
            )
            for n, p in enumerate(projects)
        )
    sg_budget, sg_actual = stated("sangong_budget"), stated("sangong_actual")
    stated_rate, computed_rate = total("totals.spending_rate"), fig_pct(actual, adjusted)
    sg_last = _sangong(unit, sangong_lines, "last_year")  # no rows: 未填报 (no total to state)
    ind = Indicators(
        basic=basic,
        project=project,
        personnel=by_econ(unit, budget_lines, "人员经费"),
        public=by_econ(unit, budget_lines, "公用经费"),
        actual=actual,
        basic_share=fig_pct(basic, actual),
        project_share=fig_pct(project, actual),
        basic_last=basic_last,
        project_last=project_last,
        basic_change=stated_or(
            total("totals.basic_change"), fig_apply(operator.sub, basic, basic_last)
        ),
        project_change=stated_or(
            total("totals.project_change"), fig_apply(operator.sub, project, project_last)
        ),
        initial_budget=stated("initial_budget"),
        initial_basic=stated("initial_basic"),
        initial_project=stated("initial_project"),
        adjusted_budget=adjusted,
        adjusted_basic=adjusted_basic,
        adjusted_project=adjusted_project,
        spending_rate=rate_by_definition(stated_rate, computed_rate),
        stated_spending_rate=stated_rate,
        computed_spending_rate=computed_rate,
        basic_rate=fig_pct(basic, adjusted_basic),
        project_rate=fig_pct(project, adjusted_project),
        total_expenditure=total("totals.total_expenditure"),
        sangong_budget=sg_budget,
        sangong_actual=sg_actual,
        sangong_last=sg_last,
        sangong_rate=fig_pct(sg_actual, sg_budget),
        **staff,
        staffing_rate=fig_pct(staff["in_service"], staff["authorized"]),
        temporary_ratio=fig_pct(staff["temporary"], staff["in_service"]),
        retired_ratio=fig_pct(staff["retired"], staff["in_service"]),
        basic_per_staff=fig_apply(_per_staff, basic, staff["in_service"]),
        targets=tuple(compute_target(unit, n) for n in range(len(unit.targets))),
        new_projects=new_projects,
        pre_assessed=assessed,
        pre_assessment_rate=fig_pct(assessed, new_projects),
        budget_lines=budget_lines,
        sangong_lines=sangong_lines,
        last_total=fig_apply(operator.add, basic_last, project_last),
        sangong_change=fig_apply(operator.sub, sg_actual, sg_last),
        line_sums=sums,
        lists=compute_lists(unit),
    )
    return replace(ind, warnings=tuple(cross_checks(ind, unit)))


def _lines_of(ind: Indicators, unit: UnitData, key: str) -> str:
    """Where the lines a total of LINE_SUMS adds up are: 'budget.csv' (a workbook's cells)."""
    _, part, field, kind = LINE_SUMS[key]
    if part == "budget.csv":
        rows = [b.row for b in ind.budget_lines if kind is None or b.line.kind == kind]
        return unit.locate_lines(part, rows, BUDGET_AMOUNTS[field])
    return unit.locate_lines(part, [s.row for s in ind.sangong_lines], SANGONG_AMOUNTS[field])


def where_total(ind: Indicators, unit: UnitData, key: str) -> str:
    """Where a total of LINE_SUMS the report uses comes from: the unit.yaml key that states it
    ('unit.yaml', a workbook's cell), else its lines."""
    if unit.key(f"totals.{key}").given:
        return unit.locate("unit.yaml", key=f"totals.{key}")
    return _lines_of(ind, unit, key)


def _differ(stated: Fig, lines: Fig) -> bool:
    return stated.given and lines.given and abs(stated.value - lines.value) >= Decimal("0.01")


def _as_percent_hint(stated: Decimal, computed: Decimal) -> str:
    """'（是否应为96%？支出率按百分数填写）' where a rate looks written as a fraction (0.96 for 96%)."""
    if 0 < stated <= 1 and abs(stated * 100 - computed) < 1:
        return f"（是否应为{fmt_pct(stated * 100)}？支出率按百分数填写，如 96 表示 96%）"
    return ""


def cross_checks(ind: Indicators, unit: UnitData) -> list[str]:
    """Figures that disagree: shown in the report with both figures, never raised."""
    w: list[str] = []
    here = unit.locate("unit.yaml")
    at = partial(unit.locate, "unit.yaml")  # at(key=...): a key's file, or its workbook cell
    if (
        ind.total_expenditure.given
        and ind.actual.given
        and ind.total_expenditure.value < ind.actual.value
    ):
        w.append(
            f"{at(key='totals.total_expenditure')} 支出总计 {fmt_wan(ind.total_expenditure.value)} "
            "小于本年支出 "
            f"{fmt_wan(ind.actual.value)}，两者应满足 支出总计 ≥ 本年支出。"
        )
    for key, (label, *_) in LINE_SUMS.items():
        stated, lines = unit.key(f"totals.{key}"), ind.line_sums[key]
        if _differ(stated, lines):
            source = _lines_of(ind, unit, key)
            w.append(
                f"{at(key=f'totals.{key}')} totals.{key} 所列{label} "
                f"{fmt_fig(stated, fmt_wan)} 与 {source} 各行合计 "
                f"{fmt_fig(lines, fmt_wan)} 不一致，相差"
                f"{fmt_fig(fig_apply(lambda a, b: abs(a - b), stated, lines), fmt_wan)}。"
            )
    # The report says "本年支出X。其中，基本支出Y；项目支出Z": where the figures it uses (stated or
    # summed) do not add up, it says so.
    for whole, (label, basic, project) in (
        (ind.actual, ("本年支出合计", ind.basic, ind.project)),
        (ind.initial_budget, ("年初预算合计", ind.initial_basic, ind.initial_project)),
        (ind.adjusted_budget, ("调整预算合计", ind.adjusted_basic, ind.adjusted_project)),
    ):
        parts = fig_apply(operator.add, basic, project)
        if _differ(whole, parts):
            w.append(
                f"{here} {label} {fmt_fig(whole, fmt_wan)} 不等于其中基本支出 "
                f"{fmt_fig(basic, fmt_wan)} 与项目支出 {fmt_fig(project, fmt_wan)} 之和 "
                f"{fmt_fig(parts, fmt_wan)}，相差"
                f"{fmt_fig(fig_apply(lambda a, b: abs(a - b), whole, parts), fmt_wan)}。"
            )
    for key, stated_key in (("basic", "basic_change"), ("project", "project_change")):
        stated, last = unit.key(f"totals.{stated_key}"), getattr(ind, f"{key}_last")
        computed = fig_apply(operator.sub, getattr(ind, key), last)
        if _differ(stated, computed):
            w.append(
                f"{at(key=f'totals.{stated_key}')} totals.{stated_key} 所列比上年增减 "
                f"{fmt_fig(stated, fmt_wan)} 与按本年、上年"
                f"支出计算的 {fmt_fig(computed, fmt_wan)} 不一致。"
            )
    stated_rate, computed_rate = ind.stated_spending_rate, ind.computed_spending_rate
    if ind.spending_rates_disagree:
        computed = fmt_fig(computed_rate, fmt_pct)
        w.append(
            f"{at(key='totals.spending_rate')} totals.spending_rate 所列支出率 "
            f"{fmt_fig(stated_rate, fmt_pct)} 与按评分表定义（本年支出÷调整预算）由本年支出 "
            f"{fmt_fig(ind.actual, fmt_wan)}、调整预算 {fmt_fig(ind.adjusted_budget, fmt_wan)} "
            f"计算的 {computed} 不一致"
            + _as_percent_hint(stated_rate.value, computed_rate.value)
            + f"；报告与评分采用按定义计算的 {computed}。"
        )
    w += _shift_checks(ind, unit)
    for line in ind.budget_lines:
        b, number, adj, act = line.line, line.row, line.adjusted_budget, line.actual
        if adj.given and act.given:
            rate = line.spending_rate.value
            if adj.value == 0 and act.value > 0:
                w.append(
                    f"{unit.locate('budget.csv', number, '调整预算')}：“{b.name}”调整预算为0但本年支出 "
                    f"{fmt_wan(act.value)}，支出率不适用。"
                )
            elif rate is not None and rate > 100:
                w.append(
                    f"{unit.locate('budget.csv', number, '本年支出')}：“{b.name}”本年支出超过调整预算，"
                    f"支出率 {fmt_pct(rate)}（超过100%）。"
                )
        if b.econ is not NOT_STATED and (b.kind == "基本支出") != (
            b.econ in ("人员经费", "公用经费")
        ):
            w.append(
                f"{unit.locate('budget.csv', number, '经济分类')}：“{b.name}”支出类型“{b.kind}”与经济分类"
                f"“{b.econ}”不一致。"
            )
    rate = ind.spending_rate
    if rate.value is None and not rate.not_stated:
        unused = (
            f"；{at(key='totals.spending_rate')} totals.spending_rate 所列支出率 "
            f"{fmt_fig(stated_rate, fmt_pct)} 不予采用"
            if stated_rate.given
            else ""
        )
        w.append(
            f"{where_total(ind, unit, 'adjusted_budget')} 调整预算合计为0，部门预算资金支出率不适用"
            f"{unused}。"
        )
    elif rate.given and rate.value > 100:
        source = (
            at(key="totals.spending_rate")
            if ind.spending_rate_stated
            else where_total(ind, unit, "adjusted_budget")
        )
        w.append(
            f"{source} 部门预算资金支出率 {fmt_fig(rate, fmt_pct)} 超过100%，请核对调整预算与本年支出。"
        )
    for line in ind.sangong_lines:
        s, number, budget, spent = line.line, line.row, line.budget, line.actual
        if budget.given and spent.given and spent.value > budget.value:
            w.append(
                f"{unit.locate('sangong.csv', number, '决算')}：“{s.item}”决算 {fmt_wan(spent.value)} "
                f"超过预算 {fmt_wan(budget.value)}。"
            )
    if (
        ind.in_service.given
        and ind.authorized.given
        and ind.in_service.value > ind.authorized.value
    ):
        w.append(
            f"{at(key='staffing.in_service')} 年末在职人数 {ind.in_service.value}人 "
            f"超过核定编制 {ind.authorized.value}人。"
        )
    for r in ind.targets:
        t, n = r.target, r.row
        last = r.last_year
        stated = unit.cell("targets.csv", n, TARGET_FIGURES["growth_pct"])
        if last.given and last.value and stated.given and r.actual.given:
            implied = (r.actual.value - last.value) * 100 / last.value
            if abs(implied - stated.value) > Decimal("0.1"):
                w.append(
                    f"{unit.locate('targets.csv', n, '增长率')}：“{t.name}”增长率 {fmt_pct(stated.value)} "
                    f"与上年值推算的 {fmt_pct(quantize(implied))} 不一致。"
                )
        if t.unit == "%" and r.actual.given and r.actual.value > 100:
            w.append(
                f"{unit.locate('targets.csv', n, '实际值')}：“{t.name}”实际值 {r.actual.value}% 超过100%。"
            )
    sg = ind.sangong_rate
    if sg.value is None and not sg.not_stated and ind.sangong_actual.value:
        w.append(
            f"{where_total(ind, unit, 'sangong_budget')} “三公”经费预算为0但决算 "
            f"{fmt_wan(ind.sangong_actual.value)}，执行率不适用。"
        )
    return w


def _shift(start: Fig, end: Fig) -> Fig:
    """年初预算 → 本年支出 change in percent; None over a zero 年初预算."""
    return fig_apply(lambda a, b: pct(b - a, a), start, end)


def _shift_checks(ind: Indicators, unit: UnitData) -> list[str]:
    """年初预算 → 本年支出 shifts beyond the framework's budget_shift_pct: per 支出类型, then per
    budget line (经济分类/科目) where the line is not the whole of its type (公用经费 85.76 →
    193.42 hides inside a 基本支出 that moved little)."""
    limit, w = unit.framework.budget_shift_pct, []
    beyond = f"超过评分表设定的{fmt_pct(limit)}，请核实预算调整情况。"
    kinds = {  # 支出类型: the key of its stated 年初预算, its 年初预算, its 本年支出
        "基本支出": ("initial_basic", ind.initial_basic, ind.basic),
        "项目支出": ("initial_project", ind.initial_project, ind.project),
    }
    for kind, (key, start, end) in kinds.items():
        change = _shift(start, end)
        if change.given and abs(change.value) > limit:
            w.append(
                f"{where_total(ind, unit, key)} {kind}年初预算 {fmt_fig(start, fmt_wan)}，本年支出 {fmt_fig(end, fmt_wan)}，"
                f"变动{fmt_fig(change, fmt_pct)}，{beyond}"
            )
    for line in ind.budget_lines:
        start, end = line.initial_budget, line.actual
        change = _shift(start, end)
        _, whole_start, whole_end = kinds[line.line.kind]
        if (start.value, end.value) == (whole_start.value, whole_end.value):
            continue  # the line is its whole 支出类型, warned above
        if change.given and abs(change.value) > limit:
            econ = line.line.econ if line.line.econ is not NOT_STATED else line.line.kind
            w.append(
                f"{unit.locate('budget.csv', line.row, column_name(BudgetLine, 'actual'))}："
                f"“{line.line.name}”（{econ}）年初预算 {fmt_fig(start, fmt_wan)}，本年支出 "
                f"{fmt_fig(end, fmt_wan)}，变动{fmt_fig(change, fmt_pct)}，{beyond}"
            )
    return w
