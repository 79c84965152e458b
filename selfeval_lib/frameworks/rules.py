"""Rule kinds of an indicator framework: small pure functions, each returning (score, 依据)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..fmt import fmt_exact, fmt_pct, fmt_points, fmt_wan, quantize

ZERO = Decimal(0)
Scored = tuple[Decimal, str]


def _clamp(score: Decimal, weight: Decimal) -> Decimal:
    return quantize(max(ZERO, min(weight, score)))


def _result(weight: Decimal, deduct: Decimal, facts: str, mark: str = "") -> Scored:
    """Score and basis sentence: '…，得满分。' or '…，扣0.7分。' (a deduction computed from a
    marked figure carries the mark: '扣1分※')."""
    score = _clamp(weight - deduct, weight)
    lost = weight - score
    if lost == 0 and deduct > 0:  # e.g. 0.01 point short at 0.5 a point: 0.005, under a cent
        tail = f"应扣{fmt_exact(deduct)}分{mark}，得分保留两位小数后为满分"
    else:
        tail = "得满分" if lost == 0 else f"扣{fmt_points(lost)}分{mark}"
    return score, f"{facts}，{tail}。"


def score_target_completion(
    weight: Decimal, category: str, completions: list[Decimal], mark: str = ""
) -> Scored:
    """Average completion (each capped at 100%) times the weight; no targets scores 0. `mark`
    (※) follows every figure when the completions rest on illustrative values."""
    if not completions:
        return ZERO, f"未设定{category}指标，无法衡量完成情况，不得分。"
    average = quantize(sum(completions, ZERO) / len(completions))
    met = sum(c == 100 for c in completions)
    if met == len(completions):
        facts = f"{category}指标{len(completions)}项，全部完成{mark}"
    else:
        facts = (
            f"{category}指标{len(completions)}项，完成{met}项{mark}，"
            f"平均完成率{fmt_pct(average)}{mark}"
        )
    return _result(weight, weight * (100 - average) / 100, facts, mark)


def score_target_points(
    weight: Decimal, category: str, targets: list[tuple[Decimal, Decimal]], mark: str = ""
) -> Scored:
    """Each target (points earned: its 分值 × completion, completion %) adds what it earned.
    No targets scores 0."""
    if not targets:
        return ZERO, f"未设定{category}指标，无法衡量完成情况，不得分。"
    earned = sum((e for e, _ in targets), ZERO)
    met = sum(c == 100 for _, c in targets)
    if met == len(targets):
        facts = f"{category}指标{len(targets)}项，全部完成{mark}"
    else:
        facts = (
            f"{category}指标{len(targets)}项，完成{met}项{mark}，"
            f"按各项分值乘以完成率合计{fmt_points(earned)}分{mark}"
        )
    return _result(weight, weight - earned, facts, mark)


def target_earned(points: Decimal, completion: Decimal) -> Decimal:
    """What one target earns: its 分值 × its completion, two places."""
    return quantize(points * completion / 100)


@dataclass(frozen=True)
class Deviating:
    """A target whose 完成值 exceeds its 指标值 by the deviation rule's bound or more."""

    name: str
    over: Decimal  # how far above, in percent of the 指标值
    excused: bool  # its 偏差原因分析及改进措施 is given (and the rule excuses it)
    lost: Decimal  # the points it loses (0 when excused)


def score_deviations(
    scored: Scored, over_pct: Decimal, deduct: Decimal, deviating: list[Deviating], mark: str = ""
) -> Scored:
    """The national platform's deviation rule after a target rule's score: each deviating target
    loses `lost` points unless excused; the score never goes below 0."""
    score, basis = scored
    bound = f"完成值超过指标值{fmt_points(over_pct)}%及以上"

    def named(rows: list[Deviating]) -> str:
        return "、".join(f"{d.name}（超过{fmt_pct(d.over)}{mark}）" for d in rows)

    excused = [d for d in deviating if d.excused]
    charged = [d for d in deviating if not d.excused]
    if excused:
        basis += f"{named(excused)}{bound}，视为偏差，已说明偏差原因，不扣分。"
    if charged:
        lost = min(score, sum((d.lost for d in charged), ZERO))
        basis += (
            f"{named(charged)}{bound}，视为偏差且未说明偏差原因，每项扣{fmt_points(deduct)}分，"
            f"扣{fmt_points(lost)}分{mark}，得{fmt_points(score - lost)}分{mark}。"
        )
        score -= lost
    return score, basis


def score_rate(
    weight: Decimal,
    label: str,
    rate: Decimal | None,
    full_at: Decimal,
    deduct_per_point: Decimal,
    zero_budget: str = "no_points",
    mark: str = "",
) -> Scored:
    """Full weight at or above full_at percent; deduct_per_point for each point below. No rate (a
    zero 调整预算) earns what the framework's zero-budget policy says."""
    if rate is None:
        if zero_budget == "full_points":
            return weight, f"调整预算为0，{label}不适用，按评分表零预算规定得满分。"
        return ZERO, f"调整预算为0，{label}不适用，按评分表零预算规定不得分。"
    if rate >= full_at:
        return _result(
            weight, ZERO, f"{label}{fmt_pct(rate)}{mark}，达到{fmt_points(full_at)}%标准"
        )
    gap = full_at - rate
    facts = (
        f"{label}{fmt_pct(rate)}{mark}，低于{fmt_points(full_at)}%标准{fmt_points(gap)}个百分点{mark}，"
        f"每个百分点扣{fmt_points(deduct_per_point)}分"
    )
    return _result(weight, gap * deduct_per_point, facts, mark)


def score_budget_cap(
    weight: Decimal,
    label: str,
    budget: Decimal,
    actual: Decimal,
    zero_budget: str = "full_points",
    mark: str = "",
) -> Scored:
    """Full weight within budget; over budget loses 10% of the weight per 1% over, all of it at
    +10%. Budget and actual both 0 earn what the framework's zero-budget policy says."""
    if budget == 0 and actual == 0:
        if zero_budget == "full_points":
            return weight, f"{label}预算与决算均为0，未超预算，按评分表零预算规定得满分。"
        return ZERO, f"{label}预算与决算均为0，按评分表零预算规定不得分。"
    if actual <= budget:
        relation = "等于" if actual == budget else "低于"
        return _result(
            weight,
            ZERO,
            f"{label}决算{fmt_wan(actual)}{mark}，{relation}预算{fmt_wan(budget)}{mark}",
        )
    if budget == 0:
        return ZERO, f"{label}无预算但决算{fmt_wan(actual)}{mark}，不得分。"
    over = quantize((actual - budget) * 100 / budget)
    deduct = weight * min(Decimal(1), over / 10)
    facts = f"{label}决算{fmt_wan(actual)}{mark}，超过预算{fmt_wan(budget)}{mark}的{fmt_pct(over)}{mark}"
    return _result(weight, deduct, facts, mark)


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
    deduct: Decimal  # points this check deducts (0 when it passes)
    found: str  # what the unit reported, for the basis sentence
    how: str = ""  # the arithmetic, e.g. '每起扣1分'


def check_item(
    label: str,
    value: bool | Decimal,
    expect: bool | None = None,
    max: Decimal | None = None,
    min: Decimal | None = None,
    deduct: Decimal | None = None,
    deduct_each: Decimal | None = None,
) -> Check:
    """One checklist item: a yes/no fact against `expect`, a count against `max` or `min`; a
    failure deducts `deduct` once or `deduct_each` for every unit beyond the bound."""
    if expect is not None:
        failed = value is not expect
        return Check(label, deduct if failed else ZERO, "是" if value else "否")
    excess = value - max if max is not None else min - value
    found = fmt_points(value)
    if excess <= 0:
        return Check(label, ZERO, found)
    if deduct_each is None:
        return Check(label, deduct, found)
    unit = unit_of(label)
    step = "1个百分点" if unit == "%" else f"1{unit}"
    if max is not None:
        bound = f"超过{fmt_points(max)}{unit}的，" if max else ""
        how = f"{bound}每{step if unit == '%' else unit}扣{fmt_points(deduct_each)}分"
    else:
        how = f"低于{fmt_points(min)}{unit}，每低{step}扣{fmt_points(deduct_each)}分"
    return Check(label, excess * deduct_each, found, how)


def check_share(label: str, value: Decimal, bound: Decimal, points: Decimal) -> Check:
    """A checklist item scored proportionally: points × value ÷ bound, all of them at bound."""
    share = Decimal(1) if not bound else max(ZERO, min(Decimal(1), value / bound))
    earned = quantize(points * share)
    unit = unit_of(label)
    how = f"按{fmt_points(value)}÷{fmt_points(bound)}{unit}计{fmt_points(earned)}分"
    return Check(label, points - earned, fmt_points(value), how if earned < points else "")


def check_review(label: str, score: Decimal, points: Decimal) -> Check:
    """A checklist item the evaluator scored 0..points: what it falls short of points is lost."""
    found = f"评审{fmt_points(score)}分"
    return Check(label, points - score, found, f"满分{fmt_points(points)}分")


def unit_of(label: str) -> str:
    """'采购投诉(起)' -> '起', '采购意向按时公开率(%)' -> '%'; '个' where the label names none."""
    match = re.search(r"[(（]([^()（）]{1,3})[)）]$", label)
    return match.group(1) if match else "个"


def score_checklist(weight: Decimal, checks: list[Check]) -> Scored:
    """Each failed check deducts its points; the indicator never goes below zero."""
    failed = [c for c in checks if c.deduct > 0]
    if not failed:
        facts = (
            f"“{checks[0].label}”符合要求" if len(checks) == 1 else f"{len(checks)}项检查均符合要求"
        )
        return _result(weight, ZERO, facts)
    parts = "；".join(
        f"“{c.label}”为{c.found}（{c.how + '，' if c.how else ''}扣{fmt_points(c.deduct)}分）"
        for c in failed
    )
    total = sum((c.deduct for c in failed), ZERO)
    if total > weight:
        parts += f"，合计扣{fmt_points(total)}分，以分值{fmt_points(weight)}分为限"
    return _result(weight, total, parts)


def score_not_stated(weight: Decimal, fields: list[str], count: int) -> Scored:
    """The framework's missing-data policy (no_points): an indicator resting on 未填报 earns 0.
    `fields` names what is not stated, `count` how many values (each is listed in 数据核对提示)."""
    shown = "、".join(dict.fromkeys(fields))
    many = f"，共{count}项" if count > 1 else ""
    return ZERO, f"所需数据未填报（{shown}{many}），按评分表未填报规定不得分。"


def score_reweighted(
    weight: Decimal, fields: list[str], count: int, peers: list[tuple[str, Decimal, Decimal]]
) -> Scored:
    """The missing-data policy reweight: an indicator resting on 未填报 scores the rate its stated
    peers (name, score, weight) score together, so its weight is spread over them
    proportionally; with no stated peer it earns 0."""
    _, said = score_not_stated(weight, fields, count)
    said = said.removesuffix("按评分表未填报规定不得分。")
    if not peers:
        return ZERO, said + "同组无已填报的指标可按比例分配，不得分。"
    scored = sum((p[1] for p in peers), ZERO)
    weighed = sum((p[2] for p in peers), ZERO)
    rate = quantize(scored * 100 / weighed)
    names = "、".join(f"“{p[0]}”" for p in peers)
    return quantize(weight * scored / weighed), (
        f"{said}按评分表规定，其分值按比例分配至已填报的{names}，"
        f"按其得分率{fmt_pct(rate)}计{fmt_points(quantize(weight * scored / weighed))}分。"
    )


def score_extras(name: str, cap: Decimal, parts: list[tuple[str, Decimal]], word: str) -> Scored:
    """Bonus (word 加) or penalty (扣) items outside the 100: each (label, points) that applies,
    the sum at most `cap`."""
    applied = [(label, p) for label, p in parts if p > 0]
    if not applied:
        return ZERO, f"{name}：无。"
    total = sum((p for _, p in applied), ZERO)
    said = "；".join(f"“{label}”{word}{fmt_points(p)}分" for label, p in applied)
    if total > cap:
        return (
            cap,
            f"{name}：{said}，合计{fmt_points(total)}分，以{fmt_points(cap)}分为限，{word}{fmt_points(cap)}分。",
        )
    return total, f"{name}：{said}，合计{word}{fmt_points(total)}分。"


def score_manual(weight: Decimal, score: Decimal | None, reason: str) -> Scored:
    """A score given by hand; the reason is its basis."""
    if score is None:
        return ZERO, "人工评分指标未填写自评得分，不得分。"
    return _clamp(score, weight), reason


# --- each rule kind in the words a 评分标准 uses (selfeval's reading, beside the county's) --------


def describe_target_completion(
    weight: Decimal,
    category: str,
    scoring: str = "average",
    deviation: tuple[Decimal, Decimal, bool] | None = None,
) -> str:
    """deviation: (over_pct, deduct, excused_by_reason) of the national platform's rule."""
    if scoring == "points":
        said = (
            f"各{category}指标按其分值乘以完成率（达到目标值的为100%；定性指标按完成程度）计分，"
            f"合计为本指标得分；未设定{category}指标的不得分。"
        )
    else:
        said = (
            f"按各{category}指标完成率（达到目标值的为100%）的平均值乘以分值{fmt_points(weight)}分"
            f"计分；未设定{category}指标的不得分。"
        )
    if deviation is not None:
        over, deduct, excused = deviation
        said += (
            f"完成值超过指标值{fmt_points(over)}%及以上的视为偏差，每项扣{fmt_points(deduct)}分"
            f"{'（说明偏差原因的不扣分）' if excused else ''}。"
        )
    return said


def describe_rate(full_at: Decimal, per_point: Decimal, zero_budget: str) -> str:
    zero = "得满分" if zero_budget == "full_points" else "不得分"
    return (
        f"支出率≥{fmt_points(full_at)}%得满分；每低1个百分点扣{fmt_points(per_point)}分，扣完为止；"
        f"调整预算为0的，支出率不适用，{zero}。"
    )


def describe_budget_cap(zero_budget: str) -> str:
    zero = "得满分" if zero_budget == "full_points" else "不得分"
    return (
        f"“三公”经费决算不超过预算得满分（预算与决算均为0的{zero}）；超过预算的，超支1%扣分值的"
        "10%，超支10%及以上不得分。"
    )


def describe_coverage() -> str:
    return "按事前绩效评估覆盖率乘以分值计分；本年度无新增项目的得满分。"


def describe_check(
    label: str,
    failed: Check,
    max: Decimal | None,
    min: Decimal | None,
    points: Decimal | None = None,
    scoring: str = "all_or_nothing",
) -> str:
    """One checklist item, from its check of the smallest failure (`failed`); an item with
    points, by them."""
    if points is not None and scoring == "evaluator":
        return f"“{label}”由评审按0至{fmt_points(points)}分评分并说明理由"
    if points is not None and scoring == "proportional":
        unit = unit_of(label)
        return f"“{label}”按实际值÷{fmt_points(min)}{unit}乘以{fmt_points(points)}分计分"
    if points is not None:
        return f"“{label}”符合要求得{fmt_points(points)}分，否则不得分"
    if failed.how:  # per occurrence or per point: '每起扣1分'
        return f"“{label}”{failed.how}"
    unit = unit_of(label)
    if max is not None:
        return f"“{label}”超过{fmt_points(max)}{unit}的，扣{fmt_points(failed.deduct)}分"
    if min is not None:
        return f"“{label}”低于{fmt_points(min)}{unit}的，扣{fmt_points(failed.deduct)}分"
    return f"“{label}”为{failed.found}的，扣{fmt_points(failed.deduct)}分"


def describe_checklist(items: list[str]) -> str:
    return "；".join(items) + "；扣完为止。"


def describe_manual(scored_by: str = "unit") -> str:
    if scored_by == "evaluator":
        return "评审评分：评审按0至分值评分并说明理由，selfeval 不计算。"
    return "人工评分：单位自评打分并说明理由，selfeval 不计算。"


# --- rules over named figures (frameworks/figures.py): ratio, cap ---------------------------


def _zero_base(weight: Decimal, why: str, policy: str) -> Scored:
    if policy == "full_points":
        return weight, f"{why}，按评分表零基数规定得满分。"
    return ZERO, f"{why}，按评分表零基数规定不得分。"


def score_ratio(
    weight: Decimal,
    label: str,
    value: Decimal | None,
    *,
    direction: str = "at_least",
    scoring: str = "per_point",
    full_at: Decimal = Decimal(100),
    deduct_per_point: Decimal = ZERO,
    bands: tuple[tuple[Decimal, Decimal], ...] = (),
    zero_base: str = "no_points",
    mark: str = "",
) -> Scored:
    """A percentage scored against the framework's standard. `direction` at_least: higher is
    better (a rate to reach), at_most: lower is better (a ratio not to exceed). per_point:
    full weight at or beyond full_at, deduct_per_point for every point short; bands: ((bound,
    points), …) from the best, the first bound reached gives its points; proportional: the weight
    times value ÷ full_at (at_most: full_at ÷ value), at most the weight. No value (a zero
    base) earns what zero_base says."""
    if value is None:
        return _zero_base(weight, f"{label}的基数为0，{label}不适用", zero_base)
    up = direction == "at_least"
    shown = f"{label}{fmt_pct(value)}{mark}"
    if scoring == "bands":
        for bound, points in bands:
            if (value >= bound) if up else (value <= bound):
                sign = "≥" if up else "≤"
                facts = f"{shown}，{sign}{fmt_points(bound)}%，按评分表得{fmt_points(points)}分"
                return _result(weight, weight - points, facts, mark)
        return _result(weight, weight, f"{shown}，未达到评分表任何一档", mark)
    if scoring == "proportional":
        if up:
            share = value / full_at if full_at else Decimal(1)
        else:
            share = full_at / value if value > full_at else Decimal(1)
        how = f"÷{fmt_points(full_at)}%" if full_at != 100 else ""
        facts = f"{shown}，按{label}{how}乘以分值{fmt_points(weight)}分计分"
        return _result(weight, weight - weight * min(Decimal(1), max(ZERO, share)), facts, mark)
    gap = (full_at - value) if up else (value - full_at)
    if gap <= 0:
        word = "达到" if up else "未超过"
        return _result(weight, ZERO, f"{shown}，{word}{fmt_points(full_at)}%标准", mark)
    word = "低于" if up else "高于"
    facts = (
        f"{shown}，{word}{fmt_points(full_at)}%标准{fmt_points(gap)}个百分点{mark}，"
        f"每个百分点扣{fmt_points(deduct_per_point)}分"
    )
    return _result(weight, gap * deduct_per_point, facts, mark)


def fmt_quantity(value: Decimal, unit: str) -> str:
    """A figure in its unit: '26.77万元', '86人'."""
    return fmt_wan(value) if unit == "万元" else f"{fmt_points(value)}{unit}"


def score_cap(
    weight: Decimal,
    names: tuple[str, str],
    limit: Decimal,
    actual: Decimal,
    unit: str = "万元",
    deduct_per_point: Decimal | None = None,
    zero_budget: str = "full_points",
    mark: str = "",
) -> Scored:
    """A figure that must not exceed its limit (names: the figure's, the limit's). Within the
    limit: the full weight; over it: deduct_per_point for every 1 % over, or (None) 10 % of the
    weight per 1 % over, nothing left at +10 %. Both 0: what zero_budget says."""
    name, limit_name = names
    if limit == 0 and actual == 0:
        return _zero_base(weight, f"{name}与{limit_name}均为0", zero_budget)
    said = f"{name}{fmt_quantity(actual, unit)}{mark}"
    if actual <= limit:
        word = "等于" if actual == limit else "低于"
        return _result(weight, ZERO, f"{said}，{word}{limit_name}{fmt_quantity(limit, unit)}{mark}")
    if limit == 0:
        return ZERO, f"{limit_name}为0但{said}，不得分。"
    over = quantize((actual - limit) * 100 / limit)
    facts = f"{said}，超过{limit_name}{fmt_quantity(limit, unit)}{mark}的{fmt_pct(over)}{mark}"
    if deduct_per_point is None:
        return _result(weight, weight * min(Decimal(1), over / 10), facts, mark)
    facts += f"，每超1个百分点扣{fmt_points(deduct_per_point)}分"
    return _result(weight, over * deduct_per_point, facts, mark)


def describe_ratio(
    weight: Decimal,
    label: str,
    base: str | None,
    *,
    direction: str,
    scoring: str,
    full_at: Decimal,
    deduct_per_point: Decimal,
    bands: tuple[tuple[Decimal, Decimal], ...],
    zero_base: str,
) -> str:
    up = direction == "at_least"
    sign = "≥" if up else "≤"
    zero = "得满分" if zero_base == "full_points" else "不得分"
    tail = f"{base}为0的，{label}不适用，{zero}。" if base else ""
    if scoring == "bands":
        steps = "；".join(f"{sign}{fmt_points(b)}%得{fmt_points(p)}分" for b, p in bands)
        return f"{label}{steps}；其余不得分。{tail}"
    if scoring == "proportional":
        how = f"÷{fmt_points(full_at)}%" if full_at != 100 else ""
        return f"按{label}{how}乘以分值{fmt_points(weight)}分计分，最高为分值。{tail}"
    word = "低" if up else "高"
    return (
        f"{label}{sign}{fmt_points(full_at)}%得满分；每{word}1个百分点扣"
        f"{fmt_points(deduct_per_point)}分，扣完为止。{tail}"
    )


def describe_cap(name: str, limit: str, deduct_per_point: Decimal | None, zero: str) -> str:
    zero = "得满分" if zero == "full_points" else "不得分"
    over = (
        "超过1%扣分值的10%，超过10%及以上不得分"
        if deduct_per_point is None
        else f"每超过1个百分点扣{fmt_points(deduct_per_point)}分，扣完为止"
    )
    return f"{name}不超过{limit}得满分（两者均为0的{zero}）；超过的，{over}。"
