"""Rule kinds of an indicator framework: small pure functions, each returning (score, 依据)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..fmt import fmt_pct, fmt_points, fmt_wan, quantize

ZERO = Decimal(0)
Scored = tuple[Decimal, str]


def _clamp(score: Decimal, weight: Decimal) -> Decimal:
    return quantize(max(ZERO, min(weight, score)))


def _result(weight: Decimal, deduct: Decimal, facts: str) -> Scored:
    """Score and basis sentence: '…，得满分。' or '…，扣0.7分。'."""
    score = _clamp(weight - deduct, weight)
    lost = weight - score
    tail = "得满分" if lost == 0 else f"扣{fmt_points(lost)}分"
    return score, f"{facts}，{tail}。"


def score_target_completion(weight: Decimal, category: str, completions: list[Decimal]) -> Scored:
    """Average completion (each capped at 100%) times the weight; no targets scores 0."""
    if not completions:
        return ZERO, f"未设定{category}指标，无法衡量完成情况，不得分。"
    average = quantize(sum(completions, ZERO) / len(completions))
    met = sum(c == 100 for c in completions)
    if met == len(completions):
        facts = f"{category}指标{len(completions)}项，全部完成"
    else:
        facts = f"{category}指标{len(completions)}项，完成{met}项，平均完成率{fmt_pct(average)}"
    return _result(weight, weight * (100 - average) / 100, facts)


def score_rate(
    weight: Decimal, label: str, rate: Decimal | None, full_at: Decimal, deduct_per_point: Decimal
) -> Scored:
    """Full weight at or above full_at percent; deduct_per_point for each point below."""
    if rate is None:  # no budget to measure against: nothing earned, and a warning says why
        return ZERO, f"{label}不适用（调整预算为0），无法衡量预算执行，不得分。"
    if rate >= full_at:
        return _result(weight, ZERO, f"{label}{fmt_pct(rate)}，达到{fmt_points(full_at)}%标准")
    gap = full_at - rate
    facts = f"{label}{fmt_pct(rate)}，低于{fmt_points(full_at)}%标准{fmt_points(gap)}个百分点"
    return _result(weight, gap * deduct_per_point, facts)


def score_budget_cap(weight: Decimal, label: str, budget: Decimal, actual: Decimal) -> Scored:
    """Full weight within budget; over budget loses weight in proportion, all of it at +10%."""
    if actual <= budget:
        relation = "等于" if actual == budget else "低于"
        return _result(
            weight, ZERO, f"{label}决算{fmt_wan(actual)}，{relation}预算{fmt_wan(budget)}"
        )
    if budget == 0:
        return ZERO, f"{label}无预算但决算{fmt_wan(actual)}，不得分。"
    over = quantize((actual - budget) * 100 / budget)
    deduct = weight * min(Decimal(1), over / 10)
    return _result(
        weight, deduct, f"{label}决算{fmt_wan(actual)}，超过预算{fmt_wan(budget)}的{fmt_pct(over)}"
    )


def score_coverage(weight: Decimal, label: str, total: int, covered: int) -> Scored:
    """Weight times covered/total; 'no new projects' is explicit and scores the full weight."""
    if total == 0:
        return weight, f"本年度无新增项目，不涉及{label}，得满分。"
    rate = quantize(Decimal(covered) * 100 / total)
    facts = f"新增项目{total}个，开展{label}{covered}个，覆盖率{fmt_pct(rate)}"
    return _result(weight, weight * (100 - rate) / 100, facts)


@dataclass(frozen=True)
class Check:
    label: str
    passed: bool
    deduct: Decimal
    found: str  # what the unit reported, for the basis sentence


def score_checklist(weight: Decimal, checks: list[Check]) -> Scored:
    """Each failed check deducts its points, never below zero."""
    failed = [c for c in checks if not c.passed]
    if not failed:
        facts = (
            f"“{checks[0].label}”符合要求" if len(checks) == 1 else f"{len(checks)}项检查均符合要求"
        )
        return _result(weight, ZERO, facts)
    parts = "；".join(f"“{c.label}”为{c.found}（扣{fmt_points(c.deduct)}分）" for c in failed)
    return _result(weight, sum((c.deduct for c in failed), ZERO), parts)


def score_manual(weight: Decimal, score: Decimal | None, reason: str) -> Scored:
    """A score given by hand; the reason is its basis."""
    if score is None:
        return ZERO, "人工评分指标未填写自评得分，不得分。"
    return _clamp(score, weight), reason
