"""What a total rests on: how many indicators and points were scored on stated data and how many
by the framework's 未填报 rule, computed once with the scores and shown beside every total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..fmt import ILLUSTRATIVE_MARK, fmt_exact, fmt_score
from ..values import NOT_STATED_WORD

ZERO = Decimal(0)


@dataclass(frozen=True)
class Completeness:
    """The indicators of a scorecard split by whether their data were stated.

    indicators: how many the framework has.
    not_stated: how many need a value the unit did not state (scored by the 未填报 rule).
    not_stated_weight: their 分值.
    policy_points: what the 未填报 rule gives them (0 unless the framework reweights).
    self_scored: of those, how many the unit scored itself with a reason; self_points their sum.
    stated: the indicators scored on stated data; stated_score and stated_weight their 得分 and
        分值; stated_illustrative: that score rests on an illustrative (※) value.
    """

    indicators: int
    not_stated: int
    not_stated_weight: Decimal
    policy_points: Decimal
    self_scored: int
    self_points: Decimal
    self_illustrative: bool
    stated: int
    stated_score: Decimal
    stated_weight: Decimal
    stated_illustrative: bool

    @property
    def statement(self) -> str:
        """The sentence shown beside every total: '12项指标中10项所需数据未填报，按评分表规定计0分；
        其余2项得10.00分（满分15分）。'"""
        n, k = self.indicators, self.not_stated
        if k == 0:
            return f"{n}项指标所需数据均已填报。"
        policy = "0" if self.policy_points == 0 else fmt_score(self.policy_points)
        said = (
            f"{n}项指标所需数据均{NOT_STATED_WORD}"
            if self.stated == 0
            else f"{n}项指标中{k}项所需数据{NOT_STATED_WORD}"
        )
        said += f"，按评分表规定计{policy}分"
        if self.self_scored:
            which = "其" if self.self_scored == k else f"其中{self.self_scored}项"
            mark = ILLUSTRATIVE_MARK if self.self_illustrative else ""
            said += f"，单位对{which}自评共{fmt_score(self.self_points)}分{mark}"
        if self.stated:
            mark = ILLUSTRATIVE_MARK if self.stated_illustrative else ""
            said += (
                f"；其余{self.stated}项得{fmt_score(self.stated_score)}分{mark}"
                f"（满分{fmt_exact(self.stated_weight)}分）"
            )
        return said + "。"

    def record(self) -> dict:
        """The completeness as scores.json writes it (plain JSON types)."""
        return {
            "indicators": self.indicators,
            "not_stated": self.not_stated,
            "not_stated_weight": float(self.not_stated_weight),
            "policy_points": float(self.policy_points),
            "self_scored": self.self_scored,
            "self_points": float(self.self_points),
            "stated": self.stated,
            "stated_score": float(self.stated_score),
            "stated_weight": float(self.stated_weight),
            "statement": self.statement,
        }


def compute_completeness(scores: Sequence) -> Completeness:
    """Split the scores (scoring.IndicatorScore, which imports this module) by whether their
    inputs were stated."""
    missing = [s for s in scores if s.not_stated]
    own = [s for s in missing if s.self_counts]  # the unit's own score counts
    stated = [s for s in scores if not s.not_stated]
    return Completeness(
        indicators=len(scores),
        not_stated=len(missing),
        not_stated_weight=sum((s.indicator.weight for s in missing), ZERO),
        policy_points=sum((s.computed for s in missing), ZERO),
        self_scored=len(own),
        self_points=sum((s.self_score for s in own), ZERO),
        self_illustrative=any(s.illustrative for s in own),
        stated=len(stated),
        stated_score=sum((s.score for s in stated), ZERO),
        stated_weight=sum((s.indicator.weight for s in stated), ZERO),
        stated_illustrative=any(s.illustrative for s in stated),
    )
