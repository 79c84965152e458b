"""Score a unit's indicators against its framework; self-assessed scores override with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..fmt import ILLUSTRATIVE_MARK, fmt_score
from ..frameworks.figures import figure_unit
from ..frameworks.model import Indicator
from ..frameworks.rules import (
    Scored,
    score_budget_cap,
    score_cap,
    score_checklist,
    score_coverage,
    score_manual,
    score_not_stated,
    score_rate,
    score_ratio,
    score_target_completion,
)
from ..inputs.places import field_of
from ..inputs.schema import SelfScore
from ..inputs.unit import UnitData
from ..values import NOT_STATED, Fig, fig
from .figures import compute_figure, ratio_of
from .indicators import Indicators


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    computed: Decimal  # what the framework's rule gives
    computed_basis: str
    self_score: Decimal | None  # the unit's own score, if it gave one
    self_reason: str
    self_illustrative: bool  # the self score is illustrative (the source does not state it)
    inputs_illustrative: bool = False  # the computed score rests on an illustrative (※) input
    not_stated: tuple[str, ...] = ()  # the 未填报 inputs the computed score would need

    @property
    def score(self) -> Decimal:
        """The score that counts: the unit's own where it gave one with a reason."""
        return self.computed if self.self_score is None else self.self_score

    @property
    def illustrative(self) -> bool:
        """The score that counts rests on an illustrative (※) value."""
        return self.self_illustrative if self.self_score is not None else self.inputs_illustrative

    @property
    def basis(self) -> str:
        if self.self_score is None:
            return self.computed_basis
        own = ILLUSTRATIVE_MARK if self.self_illustrative else ""
        computed = ILLUSTRATIVE_MARK if self.inputs_illustrative else ""
        return (
            f"自评{fmt_score(self.self_score)}分{own}：{self.self_reason}"
            f"（系统计算{fmt_score(self.computed)}分{computed}：{self.computed_basis}）"
        )


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
    illustrative: bool = False  # the total (and so the grade) rests on an illustrative (※) value
    computed_illustrative: bool = False
    outside: str = ""  # why the unit lies outside the framework's stated years or unit kinds

    @property
    def total_fig(self) -> Fig:
        return Fig(self.total, self.illustrative)


def inputs_of(ind: Indicator, unit: UnitData, values: Indicators) -> list[Fig]:
    """The figures an indicator's rule reads, each with its mark and 未填报 places."""
    rule = ind.rule
    if rule.kind == "target_completion":
        return [t.completion for t in values.targets_of(rule.category)]
    if rule.kind == "rate":
        return [values.spending_rate]
    if rule.kind == "budget_cap":
        return [values.sangong_budget, values.sangong_actual]
    if rule.kind in ("ratio", "cap"):
        names = (rule.figure, rule.base if rule.kind == "ratio" else rule.limit)
        return [compute_figure(n, unit, values) for n in names if n is not None]
    if rule.kind == "coverage":
        return [values.new_projects, values.pre_assessed]
    if rule.kind == "checklist":
        return [fact_fig(unit, i.fact) for i in rule.items]
    return []


def fact_fig(unit: UnitData, key: str) -> Fig:
    value = unit.management.facts[key]
    where = unit.place("management.yaml", key=f"facts.{key}")
    if value is NOT_STATED:
        return fig(NOT_STATED, where=where)
    return Fig(Decimal(value), False)


def score_indicator(
    ind: Indicator, unit: UnitData, values: Indicators, inputs: list[Fig] | None = None
) -> Scored:
    """The framework rule of one indicator applied to the unit's figures (all of them given);
    figures resting on illustrative inputs are marked ※ in the basis."""
    rule, w = ind.rule, ind.weight
    inputs = inputs_of(ind, unit, values) if inputs is None else inputs
    mark = ILLUSTRATIVE_MARK if any(f.illustrative for f in inputs) else ""
    if rule.kind == "target_completion":
        completions = [t.completion.value for t in values.targets_of(rule.category)]
        return score_target_completion(w, rule.category, completions, mark)
    if rule.kind == "rate":
        rate, zero = values.spending_rate.value, rule.zero_budget
        return score_rate(w, "支出率", rate, rule.full_at, rule.deduct_per_point, zero, mark)
    if rule.kind == "budget_cap":
        budget, actual = values.sangong_budget.value, values.sangong_actual.value
        return score_budget_cap(w, "“三公”经费", budget, actual, rule.zero_budget, mark)
    if rule.kind == "ratio":
        value = inputs[0] if rule.base is None else ratio_of(rule.form, *inputs)
        return score_ratio(w, rule.shown_label, value.value, mark=mark, **rule.score_args())
    if rule.kind == "cap":
        actual, limit = (f.value for f in inputs)
        names, unit = (rule.figure, rule.limit), figure_unit(rule.figure)
        per_point, zero = rule.deduct_per_point, rule.zero_budget
        return score_cap(w, names, limit, actual, unit, per_point, zero, mark)
    if rule.kind == "coverage":
        return score_coverage(
            w, "事前绩效评估", int(values.new_projects.value), int(values.pre_assessed.value)
        )
    if rule.kind == "checklist":
        facts = unit.management.facts
        return score_checklist(w, [i.check(facts[i.fact]) for i in rule.items])
    own = self_score(unit, ind)
    return score_manual(w, own.score if own else None, own.reason if own else "")


def self_score(unit: UnitData, ind: Indicator) -> SelfScore | None:
    """The unit's own score for an indicator (named by id or name), if it gave one."""
    return next((s for s in unit.self_scores if unit.framework.find(s.indicator) is ind), None)


def score_unit(unit: UnitData, values: Indicators) -> Scorecard:
    """Every indicator scored, totals, grades and the warnings of scoring. An indicator whose
    inputs are 未填报 is scored by the framework's missing-data policy."""
    fw = unit.framework
    scores = []
    for ind in fw.indicators:
        inputs = inputs_of(ind, unit, values)
        missing = tuple(dict.fromkeys(w for f in inputs for w in f.missing))
        if missing:
            labels = {f"facts.{k}": item.label for k, (_, item) in fw.fact_keys().items()}
            fields = [labels.get(w.rsplit(" ", 1)[-1], field_of(w)) for w in missing]
            computed, basis = score_not_stated(ind.weight, fields, len(missing))
        else:
            computed, basis = score_indicator(ind, unit, values, inputs)
        own = self_score(unit, ind)
        if own is not None and ind.rule.kind == "manual":
            own = None  # a manual indicator's self score *is* its computed score
        manual_illustrative = ind.rule.kind == "manual" and any(
            "自评得分" in s.illustrative for s in unit.self_scores if fw.find(s.indicator) is ind
        )
        scores.append(
            IndicatorScore(
                ind,
                computed,
                basis,
                own.score if own else None,
                own.reason if own else "",
                bool(own and "自评得分" in own.illustrative),
                # A score by the 未填报 policy rests on nothing given: no illustrative input
                # can change it, so it carries no ※ of theirs.
                (not missing and any(f.illustrative for f in inputs)) or manual_illustrative,
                missing,
            )
        )
    total = sum((s.score for s in scores), Decimal(0))
    computed_total = sum((s.computed for s in scores), Decimal(0))
    illustrative = any(s.illustrative for s in scores)
    grade = fw.grade_for(total)
    warnings = [*unit.input_warnings, *values.warnings]
    declared = unit.facts.declared_grade
    declared = None if declared is NOT_STATED else declared
    if declared is not None and declared != grade:
        warnings.append(
            f"单位申报的自评等级“{declared}”与按评分表计算的等级“{grade}”（{fmt_score(total)}分）不一致。"
        )
    outside = fw.outside(unit.params.year, unit.facts.identity.unit_kind)
    if outside:
        warnings.append(f"{outside}：本报告按评分表“{fw.name}”（{fw.id}）评分，仅供参考。")
    return Scorecard(
        fw.id,
        tuple(scores),
        total,
        grade,
        computed_total,
        fw.grade_for(computed_total),
        declared,
        tuple(warnings),
        illustrative,
        any(s.inputs_illustrative for s in scores),
        outside,
    )
