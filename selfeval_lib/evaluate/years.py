"""Last year's scores beside this year's: last year's data scored under its own framework (as
filed) and, where the framework changed, under this year's (re-scored, so the trend compares like
with like); and what changed in the framework between the two years (评分表较上年变化)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..errors import SelfEvalError
from ..fmt import fmt_score
from ..frameworks.model import Framework
from ..inputs.unit import UnitData
from .indicators import compute_indicators
from .scoring import IndicatorScore, Scorecard, score_unit


@dataclass(frozen=True)
class PreviousYear:
    """Last year's result of the same unit, as this year's report shows it."""

    year: int
    framework_id: str
    card: Scorecard  # last year's data under last year's framework: the score as filed
    rescored: Scorecard | None  # under this year's framework, where the two differ
    changes: tuple[str, ...]  # 评分表较上年变化, one line each; () where unchanged
    rescore_failed: str = ""  # why last year's data could not be scored under this framework

    def score_of(self, indicator_id: str) -> IndicatorScore | None:
        """Last year's score of an indicator as filed (None: not in last year's framework)."""
        return next((s for s in self.card.scores if s.indicator.id == indicator_id), None)

    def rescored_of(self, indicator_id: str) -> IndicatorScore | None:
        card = self.rescored
        return (
            next((s for s in card.scores if s.indicator.id == indicator_id), None) if card else None
        )

    @property
    def comparable(self) -> Scorecard:
        """The card this year's total is compared with: the re-scored one where the framework
        changed, else the one as filed."""
        return self.rescored or self.card


def score_previous(unit: UnitData) -> PreviousYear | None:
    """Last year's data of the unit scored (None where none is on file)."""
    last = unit.previous
    if last is None:
        return None
    card = score_unit(last, compute_indicators(last))
    changes = tuple(compare_frameworks(last.framework, unit.framework))
    rescored, failed = None, ""
    if changes:
        under_this = replace(last, framework=unit.framework)
        try:
            rescored = score_unit(under_this, compute_indicators(under_this))
        except (SelfEvalError, KeyError, ValueError, TypeError) as exc:
            failed = f"上年数据缺少本年评分表所需的数据（{exc}），未按本年评分表重新评分。"
    return PreviousYear(last.params.year, last.framework.id, card, rescored, changes, failed)


def compare_frameworks(last: Framework, this: Framework) -> list[str]:
    """评分表较上年变化: indicators added or removed, moved weights, changed standards, changed
    grade bands, in this year's order. [] where the two score alike."""
    before = {i.id: i for i in last.indicators}
    now = {i.id: i for i in this.indicators}
    lines = []
    for ind in this.indicators:
        old = before.get(ind.id)
        if old is None:
            lines.append(f"新增指标“{ind.name}”（分值{fmt_score(ind.weight)}分）")
            continue
        if old.weight != ind.weight:
            lines.append(
                f"“{ind.name}”分值由{fmt_score(old.weight)}分调整为{fmt_score(ind.weight)}分"
            )
        if old.rule != ind.rule or old.standard != ind.standard:
            lines.append(f"“{ind.name}”评分标准变化：{ind.standard}")
    lines += [
        f"删除指标“{old.name}”（上年分值{fmt_score(old.weight)}分）"
        for old in last.indicators
        if old.id not in now
    ]
    bands_before = {b.grade: b.min for b in last.grades}
    bands_now = {b.grade: b.min for b in this.grades}
    for grade, low in bands_now.items():
        was = bands_before.get(grade)
        if was is None:
            lines.append(f"新增等级“{grade}”（≥{fmt_score(low)}分）")
        elif was != low:
            lines.append(f"等级“{grade}”由≥{fmt_score(was)}分调整为≥{fmt_score(low)}分")
    lines += [f"删除等级“{g}”" for g in bands_before if g not in bands_now]
    return lines


def change(now: Decimal, before: Decimal | None) -> Decimal | None:
    """This year's score less last year's (None where last year has none)."""
    return None if before is None else now - before
