"""The figures and scores of a unit's 部门整体支出绩效自评表, laid out as its framework's `form:`
declares, taken from the one computed result (Indicators and Scorecard): nothing is scored again."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..frameworks.form import FundsRow
from ..inputs.unit import UnitData
from ..values import NONE, Fig
from .figures import compute_figure
from .indicators import Indicators, TargetResult, fig_pct
from .scoring import IndicatorScore, Scorecard

CATEGORY_LEVEL1 = "{}指标"  # a target's category as the form's 一级指标: 产出 -> 产出指标


@dataclass(frozen=True)
class FundsLine:
    """One row of the funds block: 年初预算数, 全年预算数, 全年执行数 (万元), 执行率 (%), and the
    分值 and 得分 of the indicator that scores it (不适用 where none does)."""

    label: str
    initial: Fig
    budget: Fig
    actual: Fig
    rate: Fig
    weight: Fig
    score: Fig


@dataclass(frozen=True)
class FormLine:
    """One row of the indicator table. `level2` and `reason` are texts (None: not stated);
    `direction` and `unit` are a target's (empty for a framework indicator)."""

    level1: str
    level2: object
    name: str
    direction: object
    goal: Fig
    actual: Fig
    unit: object
    weight: Fig
    score: Fig
    reason: object
    met: bool | None  # the target is met (no deviation to explain), or None where unknown
    words: tuple[str, str] = ("", "")  # a qualitative (定性) target's 目标值 and 实际值 in words


@dataclass(frozen=True)
class FormFigures:
    funds: tuple[FundsLine, ...]
    lines: tuple[FormLine, ...]
    weight: Decimal  # 总分: the framework's total weight
    total: Fig  # the total that counts, as the scorecard has it
    grade: str
    cap_basis: str = ""  # where the framework's total_cap lowered the total: why


def _score_of(card: Scorecard, indicator_id: str) -> IndicatorScore:
    return next(s for s in card.scores if s.indicator.id == indicator_id)


def _funds_line(row: FundsRow, unit: UnitData, values: Indicators, card: Scorecard) -> FundsLine:
    def named(name: str | None) -> Fig:
        return NONE if name is None else compute_figure(name, unit, values)

    initial, budget, actual = named(row.initial), named(row.budget), named(row.actual)
    if row.rate is not None:
        rate = named(row.rate)
    else:
        rate = fig_pct(actual, budget if row.rate_base == "budget" else initial)
    indicator = unit.framework.form_indicator(row.indicator)
    if indicator is None:
        weight = score = NONE
    else:
        s = _score_of(card, indicator.id)
        weight, score = Fig(indicator.weight), Fig(s.score, s.illustrative)
    return FundsLine(row.label, initial, budget, actual, rate, weight, score)


def _target_score(card: Scorecard, r: TargetResult) -> tuple[Fig, bool]:
    """The points a target earned, where a target rule scores it by its 分值 (不适用 elsewhere),
    and whether the framework's deviation rule counts it as deviating."""
    for s in card.scores:
        for t in s.targets:
            if t.row == r.row:
                marked = r.completion.illustrative or r.points.illustrative
                return Fig(t.score, marked), t.deviation is not None
    return NONE, False


def _target_line(r: TargetResult, card: Scorecard) -> FormLine:
    t = r.target
    score, deviating = _target_score(card, r)
    return FormLine(
        level1=CATEGORY_LEVEL1.format(t.category),
        level2=t.level2,
        name=t.name,
        direction=t.direction,
        goal=r.goal,
        actual=r.actual,
        unit=t.unit,
        weight=r.points,
        score=score,
        reason=t.deviation_reason,
        met=r.met and not deviating,
        words=(r.goal_words, r.actual_words),
    )


def _indicator_line(s: IndicatorScore) -> FormLine:
    ind = s.indicator
    full = s.score >= ind.weight
    return FormLine(
        level1=ind.level1,
        level2=ind.level2,
        name=ind.name,
        direction="",
        goal=NONE,
        actual=NONE,
        unit="",
        weight=Fig(ind.weight),
        score=Fig(s.score, s.illustrative),
        reason=None if full else s.basis,
        met=full,
    )


def compute_form(unit: UnitData, values: Indicators, card: Scorecard) -> FormFigures:
    """The form's rows from the unit's computed figures and scorecard."""
    form = unit.framework.form
    funds = tuple(_funds_line(row, unit, values, card) for row in form.funds)
    if form.indicators.rows == "targets":
        lines = tuple(_target_line(r, card) for r in values.targets)
    else:
        scored = (unit.framework.form_indicator(row.indicator) for row in form.funds)
        in_funds = {i.id for i in scored if i is not None}
        lines = tuple(_indicator_line(s) for s in card.scores if s.indicator.id not in in_funds)
    capped = card.cap_basis if card.uncapped_total is not None else ""
    fw = unit.framework
    return FormFigures(funds, lines, fw.total_weight, card.total_fig, card.grade, capped)
