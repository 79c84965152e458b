"""Indicators computed from a unit's validated data, and the cross-checks that become warnings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..fmt import fmt_pct, fmt_wan, pct, quantize
from ..inputs.schema import Target
from ..inputs.unit import UnitData

ZERO = Decimal(0)


def _sum(values) -> Decimal:
    return sum(values, ZERO)


@dataclass(frozen=True)
class TargetResult:
    target: Target
    completion: Decimal  # capped at 100 (percent)
    met: bool
    growth_pct: Decimal | None  # as stated, or computed from last year's value


@dataclass(frozen=True)
class Indicators:
    # spending structure (本年支出), 万元
    basic: Decimal
    project: Decimal
    personnel: Decimal
    public: Decimal
    actual: Decimal
    basic_share: Decimal | None
    project_share: Decimal | None
    # last year and changes
    basic_last: Decimal | None
    project_last: Decimal | None
    # budget execution
    initial_budget: Decimal
    adjusted_budget: Decimal
    spending_rate: Decimal | None  # 支出率 = 本年支出 / 调整预算, None when the budget is 0
    basic_rate: Decimal | None
    project_rate: Decimal | None
    total_expenditure: Decimal | None  # as the unit states it (支出总计)
    # 三公经费
    sangong_budget: Decimal
    sangong_actual: Decimal
    sangong_last: Decimal | None
    sangong_rate: Decimal | None
    # staffing
    staffing_rate: Decimal | None  # 在职 / 编制
    temporary_ratio: Decimal | None  # 临时工 / 在职
    retired_ratio: Decimal | None  # 离退休 / 在职
    basic_per_staff: Decimal | None  # 基本支出 / 在职, 万元/人
    # targets and new projects
    targets: tuple[TargetResult, ...]
    new_projects: int
    pre_assessed: int
    pre_assessment_rate: Decimal | None  # None when there are no new projects
    warnings: tuple[str, ...]

    def targets_of(self, category: str) -> tuple[TargetResult, ...]:
        return tuple(t for t in self.targets if t.target.category == category)


def compute_target(target: Target) -> TargetResult:
    """Completion of one 产出/效益 target, capped at 100%; a zero base counts as fully met."""
    if target.direction == "≥":
        ratio = pct(target.actual, target.target) if target.target else Decimal(100)
    else:
        ratio = pct(target.target, target.actual) if target.actual else Decimal(100)
    completion = min(ratio, Decimal(100))
    growth = target.growth_pct
    if growth is None and target.last_year:
        growth = quantize(
            (target.actual - target.last_year) * 100 / target.last_year, Decimal("0.1")
        )
    return TargetResult(target, completion, completion == 100, growth)


def _last(values: list[Decimal | None]) -> Decimal | None:
    return None if any(v is None for v in values) else _sum(values)


def compute_indicators(unit: UnitData) -> Indicators:
    """Every figure the report states or scores, computed exactly from the unit's data."""
    lines = unit.budget
    basic_lines = [b for b in lines if b.kind == "基本支出"]
    project_lines = [b for b in lines if b.kind == "项目支出"]
    basic = _sum(b.actual for b in basic_lines)
    project = _sum(b.actual for b in project_lines)
    actual = basic + project
    adjusted = _sum(b.adjusted_budget for b in lines)
    staff = unit.facts.staffing
    sg_budget = _sum(s.budget for s in unit.sangong)
    sg_actual = _sum(s.actual for s in unit.sangong)
    projects = unit.management.new_projects
    assessed = sum(p.pre_assessed for p in projects)
    ind = Indicators(
        basic=basic,
        project=project,
        personnel=_sum(b.actual for b in lines if b.econ == "人员经费"),
        public=_sum(b.actual for b in lines if b.econ == "公用经费"),
        actual=actual,
        basic_share=pct(basic, actual),
        project_share=pct(project, actual),
        basic_last=_last([b.last_year for b in basic_lines]),
        project_last=_last([b.last_year for b in project_lines]),
        initial_budget=_sum(b.initial_budget for b in lines),
        adjusted_budget=adjusted,
        spending_rate=pct(actual, adjusted),
        basic_rate=pct(basic, _sum(b.adjusted_budget for b in basic_lines)),
        project_rate=pct(project, _sum(b.adjusted_budget for b in project_lines)),
        total_expenditure=unit.facts.totals.total_expenditure,
        sangong_budget=sg_budget,
        sangong_actual=sg_actual,
        sangong_last=_last([s.last_year for s in unit.sangong]),
        sangong_rate=pct(sg_actual, sg_budget),
        staffing_rate=pct(Decimal(staff.in_service), Decimal(staff.authorized)),
        temporary_ratio=pct(Decimal(staff.temporary), Decimal(staff.in_service)),
        retired_ratio=pct(Decimal(staff.retired), Decimal(staff.in_service)),
        basic_per_staff=quantize(basic / staff.in_service) if staff.in_service else None,
        targets=tuple(compute_target(t) for t in unit.targets),
        new_projects=len(projects),
        pre_assessed=assessed,
        pre_assessment_rate=pct(Decimal(assessed), Decimal(len(projects))),
        warnings=(),
    )
    return _with_warnings(ind, unit)


def _with_warnings(ind: Indicators, unit: UnitData) -> Indicators:
    """Cross-checks: figures that disagree are reported in the report, never raised."""
    w: list[str] = []
    if ind.total_expenditure is not None and ind.total_expenditure < ind.actual:
        w.append(
            f"{unit.locate('unit.yaml')} 支出总计 {fmt_wan(ind.total_expenditure)} 小于各支出行本年支出合计 "
            f"{fmt_wan(ind.actual)}，两者应满足 支出总计 ≥ 本年支出。"
        )
    stated = unit.facts.totals
    sums = {
        "actual": ("本年支出合计", ind.actual, "budget.csv"),
        "basic": ("基本支出", ind.basic, "budget.csv"),
        "project": ("项目支出", ind.project, "budget.csv"),
        "sangong_budget": ("“三公”经费预算", ind.sangong_budget, "sangong.csv"),
        "sangong_actual": ("“三公”经费决算", ind.sangong_actual, "sangong.csv"),
    }
    for key, (label, total, source) in sums.items():
        claimed = getattr(stated, key)
        if claimed is not None and claimed != total:
            w.append(
                f"{unit.locate('unit.yaml')} totals.{key} 所列{label} {fmt_wan(claimed)} 与 {source} 各行合计 "
                f"{fmt_wan(total)} 不一致，相差{fmt_wan(abs(claimed - total))}。"
            )
    for number, b in enumerate(unit.budget):
        rate = pct(b.actual, b.adjusted_budget)
        if b.adjusted_budget == 0 and b.actual > 0:
            w.append(
                f"{unit.locate('budget.csv', number, '调整预算')}：“{b.name}”调整预算为0但本年支出 {fmt_wan(b.actual)}，支出率不适用。"
            )
        elif rate is not None and rate > 100:
            w.append(
                f"{unit.locate('budget.csv', number, '本年支出')}：“{b.name}”本年支出超过调整预算，支出率 {fmt_pct(rate)}（超过100%）。"
            )
        if (b.kind == "基本支出") != (b.econ in ("人员经费", "公用经费")):
            w.append(
                f"{unit.locate('budget.csv', number, '经济分类')}：“{b.name}”支出类型“{b.kind}”与经济分类“{b.econ}”不一致。"
            )
    if ind.spending_rate is None:
        w.append("调整预算合计为0，部门预算资金支出率不适用。")
    elif ind.spending_rate > 100:
        w.append(
            f"部门预算资金支出率 {fmt_pct(ind.spending_rate)} 超过100%，请核对调整预算与本年支出。"
        )
    for number, s in enumerate(unit.sangong):
        if s.actual > s.budget:
            w.append(
                f"{unit.locate('sangong.csv', number, '决算')}：“{s.item}”决算 {fmt_wan(s.actual)} 超过预算 {fmt_wan(s.budget)}。"
            )
    staff = unit.facts.staffing
    if staff.in_service > staff.authorized:
        w.append(
            f"{unit.locate('unit.yaml')} 年末在职人数 {staff.in_service}人 超过核定编制 {staff.authorized}人。"
        )
    for number, r in enumerate(ind.targets):
        t = r.target
        if t.last_year and t.growth_pct is not None:
            implied = (t.actual - t.last_year) * 100 / t.last_year
            if abs(implied - t.growth_pct) > Decimal("0.1"):
                w.append(
                    f"{unit.locate('targets.csv', number, '增长率')}：“{t.name}”增长率 {fmt_pct(t.growth_pct)} 与上年值推算的 "
                    f"{fmt_pct(quantize(implied))} 不一致。"
                )
        if t.unit == "%" and t.actual > 100:
            w.append(
                f"{unit.locate('targets.csv', number, '实际值')}：“{t.name}”实际值 {t.actual}% 超过100%。"
            )
    if ind.sangong_rate is None and ind.sangong_actual > 0:
        w.append(f"“三公”经费预算为0但决算 {fmt_wan(ind.sangong_actual)}，执行率不适用。")
    return replace(ind, warnings=tuple(w))
