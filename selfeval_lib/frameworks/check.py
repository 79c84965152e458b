"""A framework means what it prints: where the county's 评分标准 (the `standard` it prints) names
points or a threshold that the rule computing the score does not (the standard says 扣3分 or
扣三分, the rule deducts 2)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..fmt import fmt_points

_NUMBER = r"\d+(?:\.\d+)?"
# a number in Chinese numerals: 三, 两, 十五, 一百, 一千零五十, 零点五, 九五 (read digit by digit)
CN_NUMERAL = "[零〇一二两三四五六七八九十百千]+(?:点[零〇一二两三四五六七八九]+)?"
_POINTS = (
    re.compile(rf"({_NUMBER})\s*分(?!之)"),  # 扣3分, 2.5 分; not 三分之一
    # 扣三分, 得十分: a numeral in words counts as points only after a verb of scoring, so that
    # 十分满意 (very satisfied) and 一个百分点 name no points
    re.compile(rf"(?<=[扣得计记加减给各至为])({CN_NUMERAL})\s*分(?![之点])"),
)
_PERCENT = (
    re.compile(rf"({_NUMBER}|{CN_NUMERAL})\s*%"),  # 95%, 九十五%
    re.compile(rf"百分之({_NUMBER}|{CN_NUMERAL})"),  # 百分之九十五, 百分之95
)
_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}


@dataclass(frozen=True)
class Problem:
    """Where in the framework file (a pydantic-style key path) and what is wrong, bilingual."""

    loc: tuple
    text: str


def read_number(text: str) -> Decimal:
    """A number written in digits (2.5) or in Chinese numerals (三, 两, 十五, 二十, 一百零五,
    一千二百, 零点五, 九五 digit by digit) as a Decimal."""
    if text[0].isdigit():
        return Decimal(text)
    whole, _, fraction = text.partition("点")
    if not any(c in _UNITS for c in whole):  # 九五, 一〇〇: digit by digit
        value = int("".join(str(_DIGITS[c]) for c in whole) or "0")
    else:
        value, digit = 0, None
        for c in whole:
            if c in _UNITS:  # 十 alone, as in 十五, is 一十
                value += (1 if digit is None else digit) * _UNITS[c]
                digit = None
            else:
                digit = _DIGITS[c] or None  # 零 only holds a place: 一百零五
        value += digit or 0
    decimals = "".join(str(_DIGITS[c]) for c in fraction)
    return Decimal(f"{value}.{decimals}") if decimals else Decimal(value)


def _numbers(patterns: tuple[re.Pattern, ...], text: str) -> set[Decimal]:
    text = unicodedata.normalize("NFKC", text)  # full-width digits and ％
    return {read_number(n) for pattern in patterns for n in pattern.findall(text)}


def check_standard(
    standard: str,
    weight: Decimal,
    points: set[Decimal],
    reading: str,
    thresholds: set[Decimal] | None = None,
) -> str:
    """Where a printed standard and its rule disagree, bilingual ('' where they agree).

    points: every number of points the rule deducts; the standard must print each, and no other
    (but the weight). thresholds: the percentages the rule turns on (a rate's full_at), compared
    the same way; None where the kind has none. reading: selfeval's reading of the rule."""
    said = _numbers(_POINTS, standard)
    extra = [f"{fmt_points(n)}分" for n in sorted(said - points - {weight})]
    unsaid = [f"{fmt_points(n)}分" for n in sorted(points - said)]
    if thresholds is not None:
        said = _numbers(_PERCENT, standard)
        extra += [f"{fmt_points(n)}%" for n in sorted(said - thresholds)]
        unsaid += [f"{fmt_points(n)}%" for n in sorted(thresholds - said)]
    if not (extra or unsaid):
        return ""
    zh, en = [], []
    if extra:
        zh.append(f"评分标准写有{'、'.join(extra)}，规则中没有")
        en.append(f"the standard says {', '.join(extra)}, which the rule does not give")
    if unsaid:
        zh.append(f"规则为{'、'.join(unsaid)}，评分标准未写")
        en.append(f"the rule gives {', '.join(unsaid)}, which the standard does not say")
    return (
        f"评分标准与规则不一致：{'；'.join(zh)} / the printed standard and the rule disagree: "
        f"{'; '.join(en)}. selfeval 对规则的理解 / selfeval reads the rule as: {reading} "
        "请改正评分标准或规则 / correct the standard or the rule"
    )
