"""Notebook display helpers: each show_* returns escaped, self-contained HTML for one report part."""

from __future__ import annotations

import base64
import json
import re

import nh3
from IPython.display import HTML, DisplayObject
from markdown_it import MarkdownIt

from .._version import __version__
from ..errors import strip_controls
from ..fmt import fmt_score
from . import charts, narrative
from .content import Report
from .tables import (
    MARK,
    budget_table,
    esc,
    html_table,
    num_cell,
    sangong_table,
    targets_table,
)

SCORES_MIME = "application/vnd.selfeval.scores+json"
# Raw HTML in data files is shown as text, and images are off: a report must load nothing from
# the network, and an <img src="http://..."> would also tell an outsider who opened it.
_md = MarkdownIt("commonmark", {"html": False}).disable("image")


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def markdown_html(text: str) -> str:
    """Markdown from a data file as safe HTML: raw HTML escaped, then sanitized by nh3."""
    text = strip_controls(text)
    return nh3.clean(_md.render(text)) if text.strip() else ""


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
        f'<h1 class="title">{esc(narrative.describe_title(u))}</h1>'
        '<dl class="cover">'
        f"<dt>评价年度：</dt><dd>{u.params.year}</dd>"
        f"<dt>评价单位（公章）：</dt><dd>{esc(u.facts.identity.name)}</dd>"
        f"<dt>填报日期：</dt><dd>{esc(narrative.describe_fill_date(u))}</dd></dl>"
    )
    return _block(banner, cover, _p(narrative.describe_intro(u)), cls="cover-block")


def show_text(r: Report, section: str, empty: str = "无。") -> HTML:
    """A narrative section of the unit's narrative.md, as written."""
    return _block(markdown_html(r.unit.narrative.get(section, "")) or _p(empty))


def show_profile(r: Report) -> HTML:
    """(一) 单位机构设置、部门职能情况: identity and staffing sentence, ratios, then 职能."""
    u = r.unit
    staffing = narrative.describe_staffing(r.values)
    return _block(
        _p(narrative.describe_profile(u, r.values)),
        _p(staffing) if staffing else "",
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
    rows, card = [], r.card
    for n, s in enumerate(card.scores, start=1):
        own = "" if s.self_score is None else num_cell(fmt_score(s.self_score), s.self_illustrative)
        rows.append(
            [
                esc(n),
                esc(s.indicator.level1),
                esc(s.indicator.level2),
                esc(s.indicator.name),
                num_cell(fmt_score(s.indicator.weight)),
                num_cell(fmt_score(s.computed), s.inputs_marked),
                own,
                f"<strong>{num_cell(fmt_score(s.score), s.marked)}</strong>",
                esc(s.basis),
            ]
        )
    rows.append(
        [
            "",
            "",
            "",
            "<strong>合计</strong>",
            num_cell(fmt_score(r.unit.framework.total_weight)),
            num_cell(fmt_score(card.computed_total), card.computed_marked),
            "",
            f"<strong>{num_cell(fmt_score(card.total), card.marked)}</strong>",
            f"<strong>等级：{esc(card.grade)}{MARK if card.marked else ''}</strong>",
        ]
    )
    table = html_table(
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
    notes = [f"评分表：{fw.name}。{fw.notice}"]
    own = [s for s in card.scores if s.self_score is not None]
    if own:
        computed = "※" if card.computed_marked else ""
        final = "※" if card.marked else ""
        notes.append(
            f"“计算得分”为按评分表计算的得分，合计{fmt_score(card.computed_total)}分{computed}"
            f"（{card.computed_grade}{computed}）；单位对{len(own)}项指标（"
            + "、".join(s.indicator.name for s in own)
            + f"）给出自评得分并说明理由，“得分”列采用自评得分，合计{fmt_score(card.total)}分"
            f"{final}（{card.grade}{final}）。"
        )
    missing = [s for s in card.scores if s.not_stated and s.self_score is None]
    if missing:
        notes.append(
            f"{len(missing)}项指标所需数据未填报，按评分表未填报规定不得分："
            + "、".join(s.indicator.name for s in missing)
            + "。"
        )
    if card.outside:
        notes.append(f"适用范围：{card.outside}，评分仅供参考。")
    return table + "".join(f'<p class="note">{esc(n)}</p>' for n in notes)


def show_indicators(r: Report) -> HTML:
    """(二) the framework's indicators in order, each with its sentence, table, note and score."""
    parts = []
    for n, s in enumerate(r.card.scores, start=1):
        ind = s.indicator
        parts.append(f"<h4>{n}.{esc(ind.name)}</h4>")
        parts.append(_indicator_body(r, ind.id, ind.rule.kind, getattr(ind.rule, "category", "")))
        parts.append(markdown_html(r.unit.indicator_note(ind.id)))
        rule_key = f"{ind.rule.kind}:{getattr(ind.rule, 'category', '')}".rstrip(":")
        parts += [_chart_html(r, name) for name in CHARTS_BY_RULE.get(rule_key, ())]
        mark = "※" if s.marked else ""
        parts.append(
            f'<p class="score-line">得分：{esc(fmt_score(s.score))}分{mark}（分值{esc(fmt_score(ind.weight))}分）。'
            f"{esc(s.basis)}</p>"
        )
    return _block(*parts, _footnote(r))


def _indicator_body(r: Report, indicator_id: str, kind: str, category: str) -> str:
    u, v = r.unit, r.values
    if kind == "target_completion":
        return _p(narrative.describe_targets(v, category)) + targets_table(r, category)
    if kind == "rate":
        return _p(narrative.describe_spending_rate(v)) + budget_table(r)
    if kind == "coverage":
        return _p(narrative.describe_pre_assessment(u, v))
    if kind == "budget_cap":
        return _p(narrative.describe_running_cost(u, v)) + sangong_table(r)
    return ""


def _has_marks(r: Report) -> bool:
    u = r.unit
    rows = (*u.budget, *u.sangong, *u.targets, *u.self_scores)
    return bool(u.facts.illustrative) or any(row.illustrative for row in rows) or r.card.marked


def _footnote(r: Report) -> str:
    if not _has_marks(r):
        return ""
    return (
        '<p class="note">※ 示例数据：参考资料未载明该数，为演示评分表的计算而设定，'
        "并非单位填报数；由示例数据计算出的数（合计、比率、得分、总分与等级）同样标注※。"
        "正式报送前应以单位实际数替换。</p>"
    )


# Charts in the order they appear in the report, which gives their numbers.
# Each: (title, figure, note under the chart: what is left out as 未填报, and marks).
CHARTS = {
    "scores": (
        "各指标得分与分值",
        lambda r: charts.plot_scores(r.card),
        lambda r: "※ 该得分含示例数据" if r.card.marked else "",
    ),
    "economy": (
        "主要经济指标及增长率",
        lambda r: charts.plot_economy(r.values),
        lambda r: charts.note_economy(r.values),
    ),
    "structure": (
        "本年支出构成",
        lambda r: charts.plot_spending_structure(r.values),
        lambda r: charts.note_spending_structure(r.values),
    ),
    "year_on_year": (
        "基本支出与项目支出年度对比",
        lambda r: charts.plot_year_on_year(r.values, r.unit.params.year),
        lambda r: charts.note_year_on_year(r.values, r.unit.params.year),
    ),
    "sangong": (
        "“三公”经费预算与决算",
        lambda r: charts.plot_sangong(r.unit, r.values),
        lambda r: charts.note_sangong(r.unit, r.values),
    ),
}
# Which charts illustrate which kind of indicator paragraph.
CHARTS_BY_RULE = {
    "target_completion:产出": ("economy",),
    "rate": ("structure", "year_on_year"),
    "budget_cap": ("sangong",),
}


def figure_html(fig, caption: str, note: str = "") -> str:
    """A Figure as an inline PNG with its caption and note (no file is written)."""
    png = base64.b64encode(charts.figure_png(fig)).decode("ascii")
    note_html = f'<span class="chart-note">（{esc(note)}）</span>' if note else ""
    return (
        f'<figure class="selfeval chart"><img alt="{esc(caption)}" src="data:image/png;base64,{png}"/>'
        f"<figcaption>{esc(caption)}{note_html}</figcaption></figure>"
    )


def _chart_html(r: Report, name: str) -> str:
    title, plot, note = CHARTS[name]
    return figure_html(plot(r), f"图{list(CHARTS).index(name) + 1} {title}", note(r))


def show_chart(r: Report, name: str) -> HTML:
    """One of CHARTS as an inline PNG with its numbered caption (no file is written)."""
    return HTML(_chart_html(r, name))


_CSV_PLACE = re.compile(r'^(?P<file>[^:]+): 第(?P<at>\d+)行 列"(?P<column>[^"]+)"$')
_CELL_PLACE = re.compile(r'^(?P<file>[^:]+): (?P<at>\S+![A-Z]+\d+) 列"(?P<column>[^"]+)"$')


def group_places(places: tuple[str, ...]) -> list[str]:
    """Table places grouped by file and column, every one still named: 'budget.csv 列"年初预算"：
    第2、3行' or '前山镇.xlsx 列"目标值"：绩效目标!F3、F4'; other places as they are."""
    groups: dict[tuple[str, str], list[str]] = {}
    lines: list[object] = []
    for place in places:
        match = _CSV_PLACE.match(place) or _CELL_PLACE.match(place)
        if not match:
            lines.append(place)
            continue
        key = (match["file"], match["column"])
        if key not in groups:
            groups[key] = []
            lines.append(key)
        groups[key].append(match["at"])
    out = []
    for line in lines:
        if isinstance(line, str):
            out.append(line)
            continue
        (file, column), ats = line, groups[line]
        if ats[0].isdigit():
            where = f"第{'、'.join(ats)}行"
        else:
            sheet = ats[0].split("!")[0]
            where = f"{sheet}!" + "、".join(a.split("!")[1] for a in ats)
        out.append(f'{file} 列"{column}"：{where}')
    return out


def show_warnings(r: Report) -> HTML:
    """Cross-check warnings: figures that disagree, shown, never hidden."""
    missing = r.unit.not_stated()
    if not r.card.warnings and not missing:
        return _block(_p("数据核对未发现问题。"), cls="warnings ok")
    parts = []
    if r.card.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in r.card.warnings)
        parts.append(
            f"<p>数据核对提示（{len(r.card.warnings)}条），请填报单位核实：</p><ol>{items}</ol>"
        )
    if missing:
        items = "".join(f"<li>{esc(m)}</li>" for m in group_places(missing))
        parts.append(
            f"<p>以下{len(missing)}项数据未填报（资料未载明），报告中相应位置写作“未填报”，"
            f'依赖这些数据的指标按评分表未填报规定计分：</p><ol class="not-stated">{items}</ol>'
        )
    return _block(*parts, cls="warnings")


def show_provenance(r: Report) -> HTML:
    """Footer: toolkit version, framework id and sha256 of every input file."""
    rows = "".join(
        f"<tr><td>{esc(p)}</td><td><code>{esc(h)}</code></td></tr>" for p, h in r.unit.input_hashes
    )
    return HTML(
        '<footer class="selfeval provenance"><p>生成信息 / Provenance：selfeval '
        f"{esc(__version__)}，评分表 / framework <code>{esc(r.card.framework_id)}</code>，"
        f"单位 / unit <code>{esc(r.unit.params.unit_id)}</code>。输入文件 SHA-256：</p>"
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
