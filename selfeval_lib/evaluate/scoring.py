"""Score a unit's indicators against its framework; self-assessed scores override with a reason."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..fmt import ILLUSTRATIVE_MARK, fmt_fig, fmt_pct, fmt_score
from ..frameworks.figures import figure_unit
from ..frameworks.model import Extras, Framework, Indicator, TargetCompletionRule, TotalCap
from ..frameworks.rules import (
    Deviating,
    Scored,
    score_budget_cap,
    score_cap,
    score_checklist,
    score_coverage,
    score_deviations,
    score_extras,
    score_manual,
    score_not_stated,
    score_rate,
    score_ratio,
    score_reweighted,
    score_target_completion,
    score_target_points,
    target_earned,
)
from ..inputs.places import field_of
from ..inputs.schema import ReviewScore, SelfScore
from ..inputs.unit import UnitData
from ..values import NOT_STATED, Fig, fig
from .completeness import Completeness, compute_completeness
from .figures import compute_figure, ratio_of
from .indicators import Indicators, TargetResult


@dataclass(frozen=True)
class TargetScore:
    """One target of a target rule scored by points: its 分值, what it earned (分值 ×
    completion) and what it scores after the deviation rule."""

    row: int  # index in targets.csv (Indicators.targets[row])
    points: Decimal
    earned: Decimal
    deviation: Deviating | None  # where its 完成值 exceeds its 指标值 by the rule's bound
    score: Decimal  # earned less what the deviation costs, never below 0


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
    targets: tuple[TargetScore, ...] = ()  # a target rule scored by points: each target's score
    # the evaluator scores the indicator or some of its items: its 评审得分 is the computed score
    # (None while a review score it needs is 未填报); review_counts: it counts over a self score
    review_score: Decimal | None = None
    review_counts: bool = False

    @property
    def reviewed(self) -> bool:
        return self.indicator.reviewed

    @property
    def self_counts(self) -> bool:
        """The unit's own score is the one that counts."""
        return self.self_score is not None and not self.review_counts

    @property
    def score(self) -> Decimal:
        """The score that counts: the unit's own where it gave one with a reason, unless the
        framework counts the evaluator's score for this indicator."""
        return self.self_score if self.self_counts else self.computed

    @property
    def illustrative(self) -> bool:
        """The score that counts rests on an illustrative (※) value."""
        return self.self_illustrative if self.self_counts else self.inputs_illustrative

    @property
    def basis(self) -> str:
        own = ILLUSTRATIVE_MARK if self.self_illustrative else ""
        computed = ILLUSTRATIVE_MARK if self.inputs_illustrative else ""
        if self.reviewed:
            return self._review_basis(own, computed)
        if self.self_score is None:
            return self.computed_basis
        return (
            f"自评{fmt_score(self.self_score)}分{own}：{self.self_reason}"
            f"（系统计算{fmt_score(self.computed)}分{computed}：{self.computed_basis}）"
        )

    def _review_basis(self, own: str, computed: str) -> str:
        """The basis of an evaluator-scored indicator, saying which score counts."""
        if self.self_score is None:
            return f"{self.computed_basis}按评分表以评审得分计入总分。"
        said = f"自评{fmt_score(self.self_score)}分{own}：{self.self_reason.rstrip('。')}"
        if self.review_counts:
            return f"{self.computed_basis}按评分表以评审得分计入总分；单位{said}（不计入总分）。"
        return (
            f"{said}；按评分表以自评得分计入总分"
            f"（评审{fmt_score(self.computed)}分{computed}：{self.computed_basis}）"
        )


@dataclass(frozen=True)
class GroupScore:
    """A declared group's subtotal (一级, 二级, … indicator): the scores that count of the
    indicators under it."""

    name: str
    level: int
    weight: Decimal
    score: Decimal
    illustrative: bool
    path: tuple[str, ...] = ()  # its names from the top, where the framework declares it by path


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
    groups: tuple[GroupScore, ...] = ()  # the framework's declared groups, with subtotals
    # the framework's total_cap: what the total was before it (None: no cap applied) and why
    uncapped_total: Decimal | None = None
    cap_basis: str = ""
    # 加分项 / 扣分项 outside the 100 (None where the framework has none), each with its basis
    bonus: Decimal | None = None
    penalty: Decimal | None = None
    extras_basis: tuple[str, ...] = ()
    # what the total rests on: indicators and points scored on stated data and by the 未填报 rule
    completeness: Completeness | None = None

    @property
    def total_fig(self) -> Fig:
        return Fig(self.total, self.illustrative)


def inputs_of(ind: Indicator, unit: UnitData, values: Indicators) -> list[Fig]:
    """The figures an indicator's rule reads, each with its mark and 未填报 places."""
    rule = ind.rule
    if rule.kind == "target_completion":
        listed = values.lists[f"targets.{rule.category}"]
        if listed.not_stated:  # no row and no 无 row: the category is 未填报
            return [listed.fig]
        targets = values.targets_of(rule.category, rule.level2)
        points = [t.points for t in targets] if rule.scoring == "points" else []
        return [*(t.completion for t in targets), *points]
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
        return [
            review_fig(unit, ind, i.label) if i.by_evaluator else fact_fig(unit, i.fact)
            for i in rule.items
        ]
    if ind.reviewed:
        return [review_fig(unit, ind)]
    return []


def review_of(unit: UnitData, ind: Indicator, item: str = "") -> ReviewScore | None:
    """The evaluator's score of an indicator (named by id or name) or of one of its items."""
    find = unit.framework.find
    return next(
        (r for r in unit.review_scores if find(r.indicator) is ind and r.item == item), None
    )


def review_fig(unit: UnitData, ind: Indicator, item: str = "") -> Fig:
    """The evaluator's score as a figure: 未填报 (the missing-data policy applies) until given."""
    review = review_of(unit, ind, item)
    if review is None:
        what = (item or ind.name).replace(" ", "")
        return fig(NOT_STATED, where=f"review_scores.csv: {what}评审得分")
    return Fig(review.score, "评审得分" in review.illustrative)


def review_reasons(unit: UnitData, ind: Indicator) -> str:
    """The evaluator's reasons for the items of a checklist (the one rule kind with items, and
    the only caller), as its basis adds them."""
    said = [
        f"“{r.item}”：{r.reason.rstrip('。')}"
        for i in ind.rule.items
        if i.by_evaluator and (r := review_of(unit, ind, i.label)) is not None
    ]
    return f"评审理由：{'；'.join(said)}。" if said else ""


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
        return score_targets(rule, w, values, mark)
    if rule.kind == "rate":
        rate, zero = values.spending_rate.value, rule.zero_budget
        label = describe_rate_source(values)
        return score_rate(w, label, rate, rule.full_at, rule.deduct_per_point, zero, mark)
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
        checks = [
            i.check(review_of(unit, ind, i.label).score if i.by_evaluator else facts[i.fact])
            for i in rule.items
        ]
        score, basis = score_checklist(w, checks)
        return score, basis + review_reasons(unit, ind)
    if ind.reviewed:
        review = review_of(unit, ind)
        return score_manual(w, review.score, f"评审{fmt_score(review.score)}分：{review.reason}")
    own = self_score(unit, ind)  # the contract refuses a manual indicator without one
    return score_manual(w, own.score, own.reason)


def score_target_rows(rule: TargetCompletionRule, values: Indicators) -> tuple[TargetScore, ...]:
    """Each target of a points-scored rule, with its points (all of them given)."""
    if rule.scoring != "points":
        return ()
    out = []
    for t in values.targets_of(rule.category, rule.level2):
        points = t.points.value
        earned = target_earned(points, t.completion.value)
        dev = deviating(rule, t, earned)
        out.append(TargetScore(t.row, points, earned, dev, earned - (dev.lost if dev else 0)))
    return tuple(out)


def deviating(rule: TargetCompletionRule, t: TargetResult, most: Decimal) -> Deviating | None:
    """A target the rule's deviation bound catches, losing the rule's deduction (at most `most`:
    what the target earned, or the indicator's weight) unless its 偏差原因 excuses it; None for
    any other target."""
    d = rule.deviation
    if d is None or not t.over_pct.given or t.over_pct.value < d.over_pct:
        return None
    excused = d.excused_by_reason and reason_given(t.target.deviation_reason)
    return Deviating(
        t.target.name, t.over_pct.value, excused, Decimal(0) if excused else min(most, d.deduct)
    )


def score_targets(rule: TargetCompletionRule, weight: Decimal, values: Indicators, mark: str):
    """A target rule: average completion or each target's points, then the deviation rule."""
    d = rule.deviation
    if rule.scoring == "points":
        rows = score_target_rows(rule, values)
        pairs = [(r.earned, values.targets[r.row].completion.value) for r in rows]
        scored = score_target_points(weight, rule.shown_category, pairs, mark)
        deviations = [r.deviation for r in rows if r.deviation is not None]
    else:
        targets = values.targets_of(rule.category, rule.level2)
        completions = [t.completion.value for t in targets]
        scored = score_target_completion(weight, rule.shown_category, completions, mark)
        caught = [deviating(rule, t, weight) for t in targets]
        deviations = [dev for dev in caught if dev is not None]
    if d is None:
        return scored
    return score_deviations(scored, d.over_pct, d.deduct, deviations, mark)


def reason_given(reason: object) -> bool:
    """A 偏差原因分析及改进措施 is given: not empty, not 未填报."""
    return reason is not NOT_STATED and bool(str(reason).strip())


def describe_rate_source(values: Indicators) -> str:
    """Which 支出率 a basis rests on, as its label: the unit's own figure (本年支出 or 调整预算
    未填报), or the framework's definition computed from the stated figures, naming a stated rate
    it overrules. Plain 支出率 where the unit states no rate (there is nothing to choose)."""
    if values.spending_rate_stated:
        return "单位所列支出率"
    if not values.stated_spending_rate.given or not values.spending_rate.given:
        return "支出率"
    label = "按评分表定义（本年支出÷调整预算）计算的支出率"
    if values.spending_rates_disagree:
        stated = fmt_fig(values.stated_spending_rate, fmt_pct)
        label += f"（单位所列{stated}与之不符，未采用）"
    return label


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
            computed, basis = score_not_stated(
                ind.weight, _fields(missing, labels_of(fw)), len(missing)
            )
        else:
            computed, basis = score_indicator(ind, unit, values, inputs)
        own = self_score(unit, ind)
        if own is not None and ind.rule.kind == "manual" and not ind.reviewed:
            own = None  # a manual indicator's self score *is* its computed score
        manual_illustrative = (
            ind.rule.kind == "manual"
            and not ind.reviewed
            and any(
                "自评得分" in s.illustrative
                for s in unit.self_scores
                if fw.find(s.indicator) is ind
            )
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
                ()
                if missing or ind.rule.kind != "target_completion"
                else score_target_rows(ind.rule, values),
                None if missing or not ind.reviewed else computed,
                ind.review_counts,
            )
        )
    scores, policy_notes = _reweight(fw, scores, labels_of(fw))
    total = sum((s.score for s in scores), Decimal(0))
    computed_total = sum((s.computed for s in scores), Decimal(0))
    illustrative = any(s.illustrative for s in scores)
    extras = {
        key: score_extras_of(group, unit, sign)
        for key, group, sign in (("bonus", fw.bonus, "加"), ("penalty", fw.penalty, "扣"))
        if group is not None
    }
    bonus, penalty = (extras[k][0] if k in extras else None for k in ("bonus", "penalty"))
    shift = (bonus or Decimal(0)) - (penalty or Decimal(0))
    total, computed_total = max(Decimal(0), total + shift), max(Decimal(0), computed_total + shift)
    uncapped, cap_basis = None, ""
    if fw.total_cap is not None:
        rate = cap_rate(fw.total_cap, unit, values)
        cap, cap_basis = describe_total_cap(fw.total_cap, rate, total)
        if cap is not None and total > cap:
            uncapped, total = total, cap
            illustrative = illustrative or rate.illustrative
        computed_total = min(computed_total, cap) if cap is not None else computed_total
        if not rate.given:
            policy_notes.append(cap_basis)
    grade = fw.grade_for(total)
    warnings = [*unit.input_warnings, *values.warnings, *policy_notes]
    declared = unit.facts.declared_grade
    declared = None if declared is NOT_STATED else declared
    if declared is not None and declared != grade:
        warnings.append(
            f"{unit.locate('unit.yaml', key='declared_grade')} 单位申报的自评等级“{declared}”与按评分表"
            f"计算的等级“{grade}”（{fmt_score(total)}分）不一致。"
        )
    outside = fw.outside(unit.params.year, unit.facts.identity.unit_kind)
    if outside:
        where = f"{unit.params.path.name} 键 / key framework"  # where another one is chosen
        warnings.append(f"{where}: {outside}：本报告按评分表“{fw.name}”（{fw.id}）评分，仅供参考。")
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
        tuple(score_groups(fw, scores)),
        uncapped,
        cap_basis,
        bonus,
        penalty,
        tuple(basis for _, basis in extras.values()),
        compute_completeness(scores),
    )


def score_extras_of(extras: Extras, unit: UnitData, word: str) -> Scored:
    """A framework's bonus (word 加) or penalty (扣) items applied to the unit's facts; an item
    whose fact is 未填报 adds or deducts nothing."""
    facts, parts = unit.management.facts, []
    for item in extras.items:
        value = facts[item.fact]
        if value is NOT_STATED:
            continue
        check = item.check(value)
        parts.append((item.label, item.points - check.deduct if word == "加" else check.deduct))
    return score_extras(extras.name, extras.cap, parts, word)


def cap_rate(cap: TotalCap, unit: UnitData, values: Indicators) -> Fig:
    """The rate a framework's total_cap turns on."""
    figure = compute_figure(cap.figure, unit, values)
    if cap.base is None:
        return figure
    return ratio_of("ratio", figure, compute_figure(cap.base, unit, values))


def describe_total_cap(cap: TotalCap, rate: Fig, total: Decimal) -> tuple[Decimal | None, str]:
    """The cap on the total at the unit's rate, and the sentence the scores' basis states."""
    label, mark = cap.shown_label, ILLUSTRATIVE_MARK if rate.illustrative else ""
    if not rate.given:
        return None, f"{label}未填报或不适用，无法按评分表确定总分上限，总分未设上限。"
    shown = f"{label}{fmt_pct(rate.value)}{mark}"
    limit = cap.cap_for(rate.value)
    if limit is None:
        return None, f"{shown}，不低于{fmt_pct(cap.bands[0].below)}，总分不设上限。"
    below = min(b.below for b in cap.bands if rate.value < b.below)
    said = f"{shown}，低于{fmt_pct(below)}，按评分表总分不超过{fmt_score(limit)}分"
    if total <= limit:
        return limit, f"{said}；各指标合计{fmt_score(total)}分，未超过上限。"
    return limit, (
        f"{said}；各指标合计{fmt_score(total)}分，超过上限的{fmt_score(total - limit)}分予以扣减，"
        f"总分为{fmt_score(limit)}分{mark}。"
    )


def labels_of(fw: Framework) -> dict[str, str]:
    """The label of each management fact, by its place key (facts.x), for 未填报 bases."""
    return {f"facts.{k}": item.label for k, (_, item) in fw.fact_keys().items()}


def _fields(missing: tuple[str, ...], labels: dict[str, str]) -> list[str]:
    return [labels.get(w.rsplit(" ", 1)[-1], field_of(w)) for w in missing]


def _reweight(
    fw: Framework, scores: list[IndicatorScore], labels: dict[str, str]
) -> tuple[list[IndicatorScore], list[str]]:
    """Indicators resting on 未填报 whose policy is reweight take the rate of their stated peers;
    a warning says what the total rests on."""
    out, warnings = [], []
    for s in scores:
        ind = s.indicator
        if not s.not_stated or fw.missing_policy(ind) != "reweight":
            out.append(s)
            continue
        peers = [p for p in scores if p.indicator in fw.peers(ind) and not p.not_stated]
        computed, basis = score_reweighted(
            ind.weight,
            _fields(s.not_stated, labels),
            len(s.not_stated),
            [(p.indicator.name, p.score, p.indicator.weight) for p in peers],
        )
        marked = any(p.illustrative for p in peers)
        out.append(replace(s, computed=computed, computed_basis=basis, inputs_illustrative=marked))
        weight = f"其分值{fmt_score(ind.weight)}分"
        names = "、".join(f"“{p.indicator.name}”" for p in peers)
        spread = (
            f"按评分表规定{weight}按比例分配至已填报的{names}"
            if peers
            else f"同组无已填报的指标可按比例分配，{weight}不得分"
        )
        warnings.append(f"指标“{ind.name}”所需数据未填报，{spread}：总分据已填报的指标计算。")
    return out, warnings


def score_groups(fw: Framework, scores: list[IndicatorScore]) -> list[GroupScore]:
    """Each declared group's subtotal."""
    by_indicator = {s.indicator.id: s for s in scores}
    out = []
    for group in fw.groups:
        members = [by_indicator[i.id] for i in fw.members(group)]
        out.append(
            GroupScore(
                group.name,
                group.level,
                group.weight,
                sum((m.score for m in members), Decimal(0)),
                any(m.illustrative for m in members),
                group.path,
            )
        )
    return out
