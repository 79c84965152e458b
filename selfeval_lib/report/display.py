"""Notebook display helpers: each show_* returns escaped, self-contained HTML for one report part."""

from __future__ import annotations

import base64
import html
import json
from decimal import Decimal

import nh3
from IPython.display import HTML, DisplayObject
from markdown_it import MarkdownIt

from .._version import __version__
from ..fmt import fmt_figure, fmt_money, fmt_pct, fmt_score, pct
from . import charts, narrative
from .content import Report

SCORES_MIME = "application/vnd.selfeval.scores+json"
MARK = '<sup class="mark" title="示例数据">※</sup>'
# Raw HTML in data files is shown as text, and images are off: a report must load nothing from
# the network, and an <img src="http://..."> would also tell an outsider who opened it.
_md = MarkdownIt("commonmark", {"html": False}).disable("image")


def _e(value: object) -> str:
    return html.escape(str(value))


def _p(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def markdown_html(text: str) -> str:
    """Markdown from a data file as safe HTML: raw HTML escaped, then sanitized by nh3."""
    return nh3.clean(_md.render(text)) if text.strip() else ""


def _table(headers: list[str], rows: list[list[str]], cls: str = "data") -> str:
    """Rows are already-escaped HTML cells."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cell(text: str, illustrative: bool = False, num: bool = True) -> str:
    return f'<span class="{"num" if num else ""}">{_e(text)}</span>{MARK if illustrative else ""}'


def _block(*parts: str, cls: str = "block") -> HTML:
    return HTML(f'<div class="selfeval {cls}">' + "".join(parts) + "</div>")


def show_cover(r: Report) -> HTML:
    """Title, 评价年度/评价单位/填报日期, a banner for synthetic units, and the opening paragraph."""
    u = r.unit
    banner = ""
    if u.facts.synthetic:
        banner = (
            '<div class="banner">合成示例单位：本报告数据为程序生成的虚构数据，仅供演示与测试，'
            "不代表任何真实单位。</div>"
        )
    cover = (
        f'<h1 class="title">{_e(narrative.describe_title(u))}</h1>'
        '<dl class="cover">'
        f"<dt>评价年度：</dt><dd>{u.params.year}</dd>"
        f"<dt>评价单位（公章）：</dt><dd>{_e(u.facts.identity.name)}</dd>"
        f"<dt>填报日期：</dt><dd>{_e(narrative.describe_fill_date(u))}</dd></dl>"
    )
    return _block(banner, cover, _p(narrative.describe_intro(u)), cls="cover-block")


def show_text(r: Report, section: str, empty: str = "无。") -> HTML:
    """A narrative section of the unit's narrative.md, as written."""
    return _block(markdown_html(r.unit.narrative.get(section, "")) or _p(empty))


def show_profile(r: Report) -> HTML:
    """(一) 单位机构设置、部门职能情况: identity and staffing sentence, ratios, then 职能."""
    u = r.unit
    return _block(
        _p(narrative.describe_profile(u)),
        _p(narrative.describe_staffing(r.values)),
        "<p>单位主要职能有：</p>",
        markdown_html(u.narrative["单位职能"]),
    )


def show_team(r: Report) -> HTML:
    """(一) 评价小组: the unit's first paragraph, who is in the team, then the rest of its text."""
    first, _, rest = r.unit.narrative.get("评价小组", "").strip().partition("\n\n")
    return _block(markdown_html(first), _p(narrative.describe_team(r.unit)), markdown_html(rest))


def show_submission(r: Report) -> HTML:
    return _block(_p(narrative.describe_submission(r.unit)))


def show_publication(r: Report) -> HTML:
    return _block(_p(narrative.describe_publication(r.unit)))


def show_result(r: Report) -> HTML:
    """(一) 自评结果: the grade, the total and the score table with every basis."""
    return _block(_p(narrative.describe_result(r.card)), _score_table(r), _footnote(r))


def _score_table(r: Report) -> str:
    rows = []
    for n, s in enumerate(r.card.scores, start=1):
        own = "" if s.self_score is None else _cell(fmt_score(s.self_score), s.self_illustrative)
        rows.append(
            [
                _e(n),
                _e(s.indicator.level1),
                _e(s.indicator.level2),
                _e(s.indicator.name),
                _cell(fmt_score(s.indicator.weight)),
                _cell(fmt_score(s.computed)),
                own,
                f"<strong>{_cell(fmt_score(s.score))}</strong>",
                _e(s.basis),
            ]
        )
    rows.append(
        [
            "",
            "",
            "",
            "<strong>合计</strong>",
            _cell(fmt_score(r.unit.framework.total_weight)),
            _cell(fmt_score(r.card.computed_total)),
            "",
            f"<strong>{_cell(fmt_score(r.card.total))}</strong>",
            f"<strong>等级：{_e(r.card.grade)}</strong>",
        ]
    )
    table = _table(
        [
            "序号",
            "一级指标",
            "二级指标",
            "指标",
            "分值",
            "计算得分",
            "自评得分",
            "得分",
            "得分依据 / 扣分原因",
        ],
        rows,
        "scores",
    )
    fw = r.unit.framework
    return table + f'<p class="note">评分表：{_e(fw.name)}。{_e(fw.notice)}</p>'


def show_indicators(r: Report) -> HTML:
    """(二) the framework's indicators in order, each with its sentence, table, note and score."""
    parts = []
    for n, s in enumerate(r.card.scores, start=1):
        ind = s.indicator
        parts.append(f"<h4>{n}.{_e(ind.name)}</h4>")
        parts.append(_indicator_body(r, ind.id, ind.rule.kind, getattr(ind.rule, "category", "")))
        parts.append(markdown_html(r.unit.indicator_note(ind.id)))
        rule_key = f"{ind.rule.kind}:{getattr(ind.rule, 'category', '')}".rstrip(":")
        parts += [_chart_html(r, name) for name in CHARTS_BY_RULE.get(rule_key, ())]
        parts.append(
            f'<p class="score-line">得分：{_e(fmt_score(s.score))}分（分值{_e(fmt_score(ind.weight))}分）。'
            f"{_e(s.basis)}</p>"
        )
    return _block(*parts, _footnote(r))


def _indicator_body(r: Report, indicator_id: str, kind: str, category: str) -> str:
    u, v = r.unit, r.values
    if kind == "target_completion":
        return _p(narrative.describe_targets(v, category)) + _targets_table(r, category)
    if kind == "rate":
        return _p(narrative.describe_spending_rate(v)) + _budget_table(r)
    if kind == "coverage":
        return _p(narrative.describe_pre_assessment(u, v))
    if kind == "budget_cap":
        return _p(narrative.describe_running_cost(u, v)) + _sangong_table(r)
    return ""


def _targets_table(r: Report, category: str) -> str:
    rows = []
    for t in r.values.targets_of(category):
        x = t.target
        mark = x.illustrative.__contains__
        rows.append(
            [
                _e(x.name),
                _e(x.unit),
                _e(x.direction),
                _cell(fmt_figure(x.target), mark("目标值")),
                _cell(fmt_figure(x.actual), mark("实际值")),
                _cell("" if t.growth_pct is None else fmt_pct(t.growth_pct), mark("增长率")),
                _cell(fmt_pct(t.completion)),
            ]
        )
    return _table(["指标", "计量单位", "方向", "目标值", "实际值", "增长率", "完成率"], rows)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else fmt_money(value)


def _amount_cells(row, columns: tuple[str, ...]) -> list[str]:
    """Amount cells of one CSV row, by column name, each marked ※ where the row says so."""
    fields = {f.alias: name for name, f in type(row).model_fields.items()}
    return [_cell(_amount(getattr(row, fields[c])), c in row.illustrative) for c in columns]


def _budget_table(r: Report) -> str:
    columns = ("年初预算", "调整预算", "本年支出", "上年支出")
    rows = [
        [
            _e(b.kind),
            _e(b.econ),
            _e(b.name),
            *_amount_cells(b, columns),
            _cell(fmt_pct(pct(b.actual, b.adjusted_budget))),
        ]
        for b in r.unit.budget
    ]
    v = r.values
    last = None if v.basic_last is None or v.project_last is None else v.basic_last + v.project_last
    totals = (v.initial_budget, v.adjusted_budget, v.actual, last)
    rows.append(
        [
            "<strong>合计</strong>",
            "",
            "",
            *(_cell(_amount(x)) for x in totals),
            _cell(fmt_pct(v.spending_rate)),
        ]
    )
    headers = ["支出类型", "经济分类", "科目", *columns, "支出率"]
    return _table(headers, rows) + '<p class="note">金额单位：万元。</p>'


def _sangong_table(r: Report) -> str:
    columns = ("预算", "决算", "上年决算")
    rows = [
        [_e(s.item), *_amount_cells(s, columns), _cell(fmt_pct(pct(s.actual, s.budget)))]
        for s in r.unit.sangong
    ]
    v = r.values
    totals = (v.sangong_budget, v.sangong_actual, v.sangong_last)
    rows.append(
        [
            "<strong>合计</strong>",
            *(_cell(_amount(x)) for x in totals),
            _cell(fmt_pct(v.sangong_rate)),
        ]
    )
    return _table(["“三公”经费", *columns, "执行率"], rows) + '<p class="note">金额单位：万元。</p>'


def _has_marks(r: Report) -> bool:
    u = r.unit
    rows = (*u.budget, *u.sangong, *u.targets, *u.self_scores)
    return bool(u.facts.illustrative) or any(row.illustrative for row in rows)


def _footnote(r: Report) -> str:
    if not _has_marks(r):
        return ""
    return (
        '<p class="note">※ 示例数据：参考资料未载明该数，为演示评分表的计算而设定，'
        "并非单位填报数；正式报送前应以单位实际数替换。</p>"
    )


# Charts in the order they appear in the report, which gives their numbers.
CHARTS = {
    "scores": ("各指标得分与分值", lambda r: charts.plot_scores(r.card)),
    "economy": ("主要经济指标及增长率", lambda r: charts.plot_economy(r.values)),
    "structure": ("本年支出构成", lambda r: charts.plot_spending_structure(r.values)),
    "year_on_year": (
        "基本支出与项目支出年度对比",
        lambda r: charts.plot_year_on_year(r.values, r.unit.params.year),
    ),
    "sangong": ("“三公”经费预算与决算", lambda r: charts.plot_sangong(r.unit.sangong)),
}
# Which charts illustrate which kind of indicator paragraph.
CHARTS_BY_RULE = {
    "target_completion:产出": ("economy",),
    "rate": ("structure", "year_on_year"),
    "budget_cap": ("sangong",),
}


def figure_html(fig, caption: str) -> str:
    """A Figure as an inline PNG with its caption (no file is written)."""
    png = base64.b64encode(charts.figure_png(fig)).decode("ascii")
    return (
        f'<figure class="selfeval chart"><img alt="{_e(caption)}" src="data:image/png;base64,{png}"/>'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _chart_html(r: Report, name: str) -> str:
    title, plot = CHARTS[name]
    return figure_html(plot(r), f"图{list(CHARTS).index(name) + 1} {title}")


def show_chart(r: Report, name: str) -> HTML:
    """One of CHARTS as an inline PNG with its numbered caption (no file is written)."""
    return HTML(_chart_html(r, name))


def show_warnings(r: Report) -> HTML:
    """Cross-check warnings: figures that disagree, shown, never hidden."""
    if not r.card.warnings:
        return _block(_p("数据核对未发现问题。"), cls="warnings ok")
    items = "".join(f"<li>{_e(w)}</li>" for w in r.card.warnings)
    return _block(
        f"<p>数据核对提示（{len(r.card.warnings)}条），请填报单位核实：</p><ol>{items}</ol>",
        cls="warnings",
    )


def show_provenance(r: Report) -> HTML:
    """Footer: toolkit version, framework id and sha256 of every input file."""
    rows = "".join(
        f"<tr><td>{_e(p)}</td><td><code>{_e(h)}</code></td></tr>" for p, h in r.unit.input_hashes
    )
    return HTML(
        '<footer class="selfeval provenance"><p>生成信息 / Provenance：selfeval '
        f"{_e(__version__)}，评分表 / framework <code>{_e(r.card.framework_id)}</code>，"
        f"单位 / unit <code>{_e(r.unit.params.unit_id)}</code>。输入文件 SHA-256：</p>"
        f'<table class="hashes">{rows}</table></footer>'
    )


class ScoresOutput(DisplayObject):
    """The scores record as a notebook output the runner reads back (never shown in HTML)."""

    def __init__(self, record: dict):
        self.record = record

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            SCORES_MIME: self.record,
            "text/plain": json.dumps(self.record, ensure_ascii=False)[:200],
        }


def show_scores_data(r: Report) -> ScoresOutput:
    return ScoresOutput(r.scores_record())
