"""Score a unit's indicators against its framework; self-assessed scores override with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..fmt import fmt_score
from ..frameworks.model import ChecklistItem, Indicator
from ..frameworks.rules import (
    Check,
    Scored,
    score_budget_cap,
    score_checklist,
    score_coverage,
    score_manual,
    score_rate,
    score_target_completion,
)
from ..inputs.schema import SelfScore
from ..inputs.unit import UnitData
from .indicators import Indicators


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    computed: Decimal  # what the framework's rule gives
    computed_basis: str
    self_score: Decimal | None  # the unit's own score, if it gave one
    self_reason: str
    self_illustrative: bool  # the self score is illustrative (the source does not state it)

    @property
    def score(self) -> Decimal:
        """The score that counts: the unit's own where it gave one with a reason."""
        return self.computed if self.self_score is None else self.self_score

    @property
    def basis(self) -> str:
        if self.self_score is None:
            return self.computed_basis
        return f"自评{fmt_score(self.self_score)}分：{self.self_reason}（系统计算{fmt_score(self.computed)}分：{self.computed_basis}）"


@dataclass(frozen=True)
class Scorecard:
    framework_id: str
    scores: tuple[IndicatorScore, ...]
    total: Decimal
    grade: str
    computed_total: Decimal  # without any self-assessed override
    computed_grade: str
    declared_grade: str | None
    warnings: tuple[str, ...]


def _check(item: ChecklistItem, value: bool | Decimal) -> Check:
    if item.expect is not None:
        passed = value is item.expect
        found = "是" if value else "否"
    elif item.max is not None:
        passed, found = value <= item.max, str(value)
    else:
        passed, found = value >= item.min, str(value)
    return Check(item.label, passed, item.deduct, found)


def score_indicator(ind: Indicator, unit: UnitData, values: Indicators) -> Scored:
    """The framework rule of one indicator applied to the unit's figures."""
    rule, w = ind.rule, ind.weight
    if rule.kind == "target_completion":
        return score_target_completion(
            w, rule.category, [t.completion for t in values.targets_of(rule.category)]
        )
    if rule.kind == "rate":
        return score_rate(w, "支出率", values.spending_rate, rule.full_at, rule.deduct_per_point)
    if rule.kind == "budget_cap":
        return score_budget_cap(w, "“三公”经费", values.sangong_budget, values.sangong_actual)
    if rule.kind == "coverage":
        return score_coverage(w, "事前绩效评估", values.new_projects, values.pre_assessed)
    if rule.kind == "checklist":
        facts = unit.management.facts
        return score_checklist(w, [_check(i, facts[i.fact]) for i in rule.items])
    own = self_score(unit, ind)
    return score_manual(w, own.score if own else None, own.reason if own else "")


def self_score(unit: UnitData, ind: Indicator) -> SelfScore | None:
    """The unit's own score for an indicator (named by id or name), if it gave one."""
    return next((s for s in unit.self_scores if unit.framework.find(s.indicator) is ind), None)


def score_unit(unit: UnitData, values: Indicators) -> Scorecard:
    """Every indicator scored, totals, grades and the warnings of scoring."""
    fw = unit.framework
    scores = []
    for ind in fw.indicators:
        computed, basis = score_indicator(ind, unit, values)
        own = self_score(unit, ind)
        if own is not None and ind.rule.kind == "manual":
            own = None  # a manual indicator's self score *is* its computed score
        scores.append(
            IndicatorScore(
                ind,
                computed,
                basis,
                own.score if own else None,
                own.reason if own else "",
                bool(own and "自评得分" in own.illustrative),
            )
        )
    total = sum((s.score for s in scores), Decimal(0))
    computed_total = sum((s.computed for s in scores), Decimal(0))
    grade = fw.grade_for(total)
    warnings = [*unit.input_warnings, *values.warnings]
    declared = unit.facts.declared_grade
    if declared is not None and declared != grade:
        warnings.append(
            f"单位申报的自评等级“{declared}”与按评分表计算的等级“{grade}”（{fmt_score(total)}分）不一致。"
        )
    if fw.total_weight != 100:
        warnings.append(f"指标框架 {fw.id} 各指标分值合计 {fw.total_weight}，不等于100。")
    return Scorecard(
        fw.id,
        tuple(scores),
        total,
        grade,
        computed_total,
        fw.grade_for(computed_total),
        declared,
        tuple(warnings),
    )
