"""A framework means what it prints: where the county's 评分标准 (the `standard` it prints) names
points or a threshold that the rule computing the score does not (the standard says 扣3分, the
rule deducts 2)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..fmt import fmt_points

_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分(?!之)")  # 扣3分, 2.5 分; not 三分之一
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


@dataclass(frozen=True)
class Problem:
    """Where in the framework file (a pydantic-style key path) and what is wrong, bilingual."""

    loc: tuple
    text: str


def _numbers(pattern: re.Pattern, text: str) -> set[Decimal]:
    return {Decimal(n) for n in pattern.findall(unicodedata.normalize("NFKC", text))}


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
