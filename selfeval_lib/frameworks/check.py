"""A framework means what it prints: selfeval's reading of each rule, in words, and the numbers
where the county's 评分标准 (the `standard` it prints) and the rule that computes the score
disagree (the standard says 扣3分, the rule deducts 2)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..fmt import fmt_points
from .rules import score_rate, unit_of

if TYPE_CHECKING:  # the model imports this module to check what it loads
    from .model import Framework, Indicator

ZERO = Decimal(0)
_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分(?!之)")  # 扣3分, 2.5 分; not 三分之一
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


@dataclass(frozen=True)
class Problem:
    """Where in the framework file (a pydantic-style key path) and what is wrong, bilingual."""

    loc: tuple
    text: str


def describe_rule(ind: Indicator) -> str:
    """selfeval's reading of an indicator's rule, in the words a 评分标准 would use."""
    rule = ind.rule
    if rule.kind == "target_completion":
        return (
            f"按各{rule.category}指标完成率（达到目标值的为100%）的平均值乘以分值"
            f"{fmt_points(ind.weight)}分计分；未设定{rule.category}指标的不得分。"
        )
    if rule.kind == "rate":
        zero = "得满分" if rule.zero_budget == "full_points" else "不得分"
        return (
            f"支出率≥{fmt_points(rule.full_at)}%得满分；每低1个百分点扣"
            f"{fmt_points(_rate_deduction(ind))}分，扣完为止；调整预算为0的，支出率不适用，{zero}。"
        )
    if rule.kind == "budget_cap":
        zero = "得满分" if rule.zero_budget == "full_points" else "不得分"
        return (
            f"“三公”经费决算不超过预算得满分（预算与决算均为0的{zero}）；超过预算的，超支1%扣分值"
            "的10%，超支10%及以上不得分。"
        )
    if rule.kind == "coverage":
        return "按事前绩效评估覆盖率乘以分值计分；本年度无新增项目的得满分。"
    if rule.kind == "checklist":
        return "；".join(_describe_item(item) for item in rule.items) + "；扣完为止。"
    return "人工评分：单位自评打分并说明理由，selfeval 不计算。"


def _describe_item(item) -> str:
    if item.expect is not None:
        return f"“{item.label}”{'不' if item.expect else ''}符合的，扣{fmt_points(item.deduct)}分"
    unit = unit_of(item.label)
    if item.deduct is not None:
        bound = (
            f"超过{fmt_points(item.max)}{unit}"
            if item.max is not None
            else (f"低于{fmt_points(item.min)}{unit}")
        )
        return f"“{item.label}”{bound}的，扣{fmt_points(item.deduct)}分"
    return f"“{item.label}”{_failed_once(item).how}"


def _failed_once(item):
    """The item's check for a value one step past its bound (the smallest failure)."""
    if item.expect is not None:
        return item.check(not item.expect)
    value = item.max + 1 if item.max is not None else item.min - 1
    return item.check(value)


def _rate_deduction(ind: Indicator) -> Decimal:
    """What the rate rule deducts for one point below its threshold, as scoring computes it."""
    rule = ind.rule
    score, _ = score_rate(ind.weight, "", rule.full_at - 1, rule.full_at, rule.deduct_per_point)
    return ind.weight - score


def _rule_points(ind: Indicator) -> set[Decimal]:
    """Every number of points the rule deducts: a checklist item's, as computed for its smallest
    failure; the rate rule's per point. The other kinds deduct shares of the weight."""
    if ind.rule.kind == "checklist":
        return {_failed_once(item).deduct for item in ind.rule.items} - {ZERO}
    if ind.rule.kind == "rate":
        return {_rate_deduction(ind)} - {ZERO}
    return set()


def _numbers(pattern: re.Pattern, text: str) -> set[Decimal]:
    return {Decimal(n) for n in pattern.findall(unicodedata.normalize("NFKC", text))}


def check_standard(ind: Indicator) -> str:
    """Where the indicator's printed standard and its rule disagree, bilingual ('' if nowhere)."""
    if ind.rule.kind == "manual":  # the evaluator applies the standard; nothing to compare
        return ""
    said, gives = _numbers(_POINTS, ind.standard), _rule_points(ind)
    extra = sorted(said - gives - {ind.weight})
    unsaid = sorted(gives - said)
    if ind.rule.kind == "rate":
        pct_said, pct_rule = _numbers(_PERCENT, ind.standard), {ind.rule.full_at}
        extra_pct, unsaid_pct = sorted(pct_said - pct_rule), sorted(pct_rule - pct_said)
    else:
        extra_pct = unsaid_pct = []
    if not (extra or unsaid or extra_pct or unsaid_pct):
        return ""
    zh, en = [], []
    if extra or extra_pct:
        shown = "、".join(
            [f"{fmt_points(n)}分" for n in extra] + [f"{fmt_points(n)}%" for n in extra_pct]
        )
        zh.append(f"评分标准写有{shown}，规则中没有")
        en.append(f"the standard says {shown}, which the rule does not give")
    if unsaid or unsaid_pct:
        shown = "、".join(
            [f"{fmt_points(n)}分" for n in unsaid] + [f"{fmt_points(n)}%" for n in unsaid_pct]
        )
        zh.append(f"规则为{shown}，评分标准未写")
        en.append(f"the rule gives {shown}, which the standard does not say")
    return (
        f"评分标准与规则不一致：{'；'.join(zh)} / the printed standard and the rule disagree: "
        f"{'; '.join(en)}. selfeval 对规则的理解 / selfeval reads the rule as: "
        f"{describe_rule(ind)} 请改正评分标准或规则 / correct the standard or the rule"
    )


def check_framework(framework: Framework) -> list[Problem]:
    """What in a valid framework still cannot be right: each indicator whose printed 评分标准
    names points or a threshold its rule does not compute."""
    return [
        Problem(("indicators", n, "standard"), text)
        for n, ind in enumerate(framework.indicators)
        if (text := check_standard(ind))
    ]
