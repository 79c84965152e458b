"""The director's first screen of the county overview: county totals, the grade distribution as
a small inline SVG chart, and the units that need the analyst's attention first."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from ..values import NOT_STATED_WORD
from .tables import esc as _e  # every value here is text

# A unit is "mostly 未填报" when at least this share of its indicators were scored by the
# framework's 未填报 rule (their data not stated): its grade says little about the unit.
MOSTLY_NOT_STATED = 0.5
# A total (the scores that count, self scores where the unit gave them) this many points or more
# away from the total the framework's rules compute is worth a second look.
SELF_GAP = 3.0
# The attention block lists at most this many units by name; the rest are counted (the ranking
# table sorts and filters them all).
ATTENTION_SHOWN = 30

# A province's year folder (units of several 县（区）): index.html is the province index, and each
# county's overview is written beside it, so its links to the units' reports stay as they are.
COUNTY_PAGE = "index-{county}.html"

SCRIPT = Path(__file__).parent / "templates" / "selfeval" / "overview.js"


@dataclass(frozen=True)
class Totals:
    """County totals of the ranked units."""

    units: int
    grades: tuple[tuple[str, int], ...]  # (grade, units), the framework's grades in order
    mean: float | None
    spread: float | None  # population standard deviation of the totals
    lowest: float | None
    highest: float | None
    with_warnings: int
    not_stated_indicators: int  # indicators scored by the 未填报 rule, all units
    indicators: int  # indicators scored, all units (of the records that say)
    units_not_stated: int  # units with at least one such indicator
    failed: int  # units whose latest run failed (their last good report is shown)


def compute_totals(o) -> Totals:
    """The Overview's units summed up (o: overview.Overview)."""
    totals = [u["total"] for u in o.units]
    grades = dict.fromkeys([*(g for g, _ in o.grade_bands), *(u["grade"] for u in o.units)], 0)
    for u in o.units:
        grades[u["grade"]] += 1
    done = [u["completeness"] for u in o.units if u.get("completeness")]
    return Totals(
        units=len(o.units),
        grades=tuple(grades.items()),
        mean=statistics.fmean(totals) if totals else None,
        spread=statistics.pstdev(totals) if totals else None,
        lowest=min(totals, default=None),
        highest=max(totals, default=None),
        with_warnings=sum(bool(u["warnings"]) for u in o.units),
        not_stated_indicators=sum(d["not_stated"] for d in done),
        indicators=sum(d["indicators"] for d in done),
        units_not_stated=sum(d["not_stated"] > 0 for d in done),
        failed=sum(bool(u.get("stale")) for u in o.units),
    )


def attention_reasons(u: dict) -> tuple[int, list[str]]:
    """Why a unit needs attention, most serious first, and its severity (0 most serious; 4 when
    nothing calls for attention)."""
    reasons, severity = [], 4
    if u.get("stale"):
        reasons.append("本次运行失败，显示上次结果")
        severity = 0
    done = u.get("completeness")
    if done and done["indicators"] and done["not_stated"] / done["indicators"] >= MOSTLY_NOT_STATED:
        reasons.append(f"{done['not_stated']}/{done['indicators']}项指标数据{NOT_STATED_WORD}")
        severity = min(severity, 1)
    computed = u.get("computed_total")
    if isinstance(computed, int | float) and abs(u["total"] - computed) >= SELF_GAP:
        reasons.append(
            f"自评总分{u['total']:.2f}与按评分表计算的{computed:.2f}相差"
            f"{abs(u['total'] - computed):.2f}分"
        )
        severity = min(severity, 2)
    if u["warnings"]:
        reasons.append(f"{len(u['warnings'])}条数据核对提示")
        severity = min(severity, 3)
    return severity, reasons


def attention_units(o) -> list[tuple[dict, list[str]]]:
    """The units needing attention with their reasons: failed first, then mostly 未填报, then a
    total far from the computed one, then by number of warnings; ties in ranking order."""
    ranked = []
    for n, u in enumerate(o.units):
        severity, reasons = attention_reasons(u)
        if reasons:
            ranked.append(((severity, -len(u["warnings"]), n), u, reasons))
    return [(u, reasons) for _, u, reasons in sorted(ranked, key=lambda r: r[0])]


def county_page(county: str) -> str:
    """The file name of a county's overview in a province's year folder."""
    return COUNTY_PAGE.format(county=county or NOT_STATED_WORD)


def counties_html(o) -> str:
    """A province's 县（区）, each with its totals and a link to its own overview; "" for the
    units of one county."""
    if not o.is_province:
        return ""
    rows = []
    for county in o.counties:
        units = tuple(u for u in o.units if (u.get("county") or "") == county)
        t = compute_totals(replace(o, units=units))
        name = county or NOT_STATED_WORD
        grades = " ".join(f"{g}{n}" for g, n in t.grades)
        rows.append(
            f'<tr><td><a href="{_e(quote(county_page(county)))}">{_e(name)}</a></td>'
            f'<td class="num">{t.units}</td><td class="num">{_number(t.mean)}</td>'
            f"<td>{_e(grades)}</td>"
            f'<td class="num">{sum(bool(attention_reasons(u)[1]) for u in units)}</td>'
            f'<td class="num">{t.failed}</td></tr>'
        )
    return (
        f"<h3>各县（区）（{len(o.counties)}个，点击查看该县汇总）</h3>"
        '<table class="data counties"><thead><tr><th>县（区）</th><th>单位数</th><th>平均分</th>'
        "<th>等级分布</th><th>需关注</th><th>运行失败</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def grade_chart_svg(grades: tuple[tuple[str, int], ...]) -> str:
    """Units per grade as horizontal bars, an inline SVG (no library, no script, prints as is)."""
    most = max([n for _, n in grades] or [0]) or 1
    bar, gap, label, width = 16, 6, 28, 200
    rows = []
    for k, (grade, n) in enumerate(grades):
        y = k * (bar + gap)
        length = round(width * n / most, 1)
        rows.append(
            f'<text x="0" y="{y + bar - 3}" class="g">{_e(grade)}</text>'
            f'<rect x="{label}" y="{y}" width="{length}" height="{bar}" class="bar g{k}"/>'
            f'<text x="{label + length + 4}" y="{y + bar - 3}">{n}个</text>'
        )
    height = len(grades) * (bar + gap)
    title = "，".join(f"{g}{n}个" for g, n in grades)
    return (
        f'<svg class="grade-chart" role="img" viewBox="0 0 {label + width + 40} {height}" '
        f'width="{label + width + 40}" height="{height}"><title>等级分布：{_e(title)}</title>'
        f"{''.join(rows)}</svg>"
    )


def _attention_html(units: list[tuple[dict, list[str]]]) -> str:
    if not units:
        return '<p class="note">各单位均无需特别关注：运行均成功，无数据核对提示。</p>'
    items = "".join(
        f'<li><a href="#rank-{_e(u["unit_id"])}">{_e(u["unit_name"])}</a>：{_e("；".join(r))}</li>'
        for u, r in units[:ATTENTION_SHOWN]
    )
    rest = len(units) - ATTENTION_SHOWN
    more = (
        f'<p class="note">另有{rest}个单位从略，可在排名表中按各列排序、筛选查看。</p>'
        if rest > 0
        else ""
    )
    return f'<ol class="attention">{items}</ol>{more}'


def _number(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def summary_html(o) -> str:
    """The totals, the grade chart and the attention block (one column of the first screen)."""
    t = compute_totals(o)
    share = (
        f"{t.not_stated_indicators / t.indicators * 100:.1f}%（{t.units_not_stated}个单位有）"
        if t.indicators
        else "—"
    )
    facts = [
        ("单位数", f"{t.units}个"),
        ("平均分", _number(t.mean)),
        ("标准差", _number(t.spread)),
        ("最高 / 最低", f"{_number(t.highest)} / {_number(t.lowest)}"),
        ("有数据核对提示", f"{t.with_warnings}个单位"),
        (f"指标数据{NOT_STATED_WORD}", share),
        ("本次运行失败", f"{t.failed}个单位"),
    ]
    cells = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
    attention = attention_units(o)
    scope = "各县（区）" if o.is_province else "全县"
    return (
        f'<div class="overview-summary"><h2>一、{scope}总体情况</h2>'
        f'<dl class="totals">{cells}</dl>'
        f'<figure class="grade"><figcaption>等级分布（单位数）</figcaption>{grade_chart_svg(t.grades)}</figure>'
        f"{counties_html(o)}"
        f"<h3>需要关注的单位（{len(attention)}个）</h3>{_attention_html(attention)}</div>"
    )


def ranking_script() -> str:
    """The ranking's sort, filter and search: small vanilla JS that only adds controls to the
    complete table the page already holds (with scripts off it stays a plain complete table)."""
    return f"<script>\n{SCRIPT.read_text(encoding='utf-8')}</script>"
