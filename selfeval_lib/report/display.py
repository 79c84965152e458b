"""Notebook display helpers: each show_* returns escaped, self-contained HTML for one report part,
and beside it the same content as blocks (blocks.py) that the Word exporter reads."""

from __future__ import annotations

import base64
import json

import nh3
from IPython.display import DisplayObject

from .._version import __version__
from ..errors import strip_controls
from ..evaluate.form import compute_form
from ..fmt import ILLUSTRATIVE_MARK, fmt_score
from ..inputs.places import group_places
from ..inputs.schema import PROGRESS_SECTION
from ..values import NOT_STATED_WORD, is_not_stated_text
from . import canvas, charts, narrative
from .blocks import NARRATIVE_MD, Part, Shown, markdown_blocks, paragraph
from .content import Report, document_date
from .form import form_docx_bytes, form_xlsx_bytes
from .progress import progress_part
from .scoresheet import scoresheet_bytes
from .tables import (
    budget_part,
    esc,
    filing_basis,
    note_part,
    review_part,
    sangong_part,
    score_part,
    targets_part,
)
from .years import previous_part

SCORES_MIME = "application/vnd.selfeval.scores+json"
WORKBOOK_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_MIMES = {  # the 自评表 beside the report, as runner.output_paths names its files
    "form_xlsx": "application/vnd.selfeval.form+xlsx",
    "form_docx": "application/vnd.selfeval.form+docx",
}
# Raw HTML in data files is shown as text, and images are off: a report must load nothing from
# the network, and an <img src="http://..."> would also tell an outsider who opened it.


def _p(text: str, style: str = "body") -> Part:
    return Part(f"<p>{esc(text)}</p>", [paragraph(text, style)])


def markdown_html(text: str) -> str:
    """Markdown from a data file as safe HTML: raw HTML escaped, then sanitized by nh3."""
    html = NARRATIVE_MD.render(strip_controls(text))  # blank text renders as ""
    # NARRATIVE_MD makes no links; should it ever, nh3 keeps them text (a second lock)
    return nh3.clean(html, tags=nh3.ALLOWED_TAGS - {"a"})


def _markdown(text: str) -> Part:
    """Markdown from a data file: sanitized HTML, and its paragraphs and lists."""
    return Part(markdown_html(text), markdown_blocks(text, narrative=True))


def _block(*parts: Part, cls: str = "block") -> Shown:
    body = sum(parts, Part())
    return Shown(Part(f'<div class="selfeval {cls}">' + body.html + "</div>", body.blocks))


BANNER = "合成示例单位：本报告数据为程序生成的虚构数据，仅供演示与测试，不代表任何真实单位。"


def show_cover(r: Report) -> Shown:
    """Title, 评价年度/评价单位/填报日期, a banner for synthetic units, and the opening paragraph."""
    u = r.unit
    banner = Part()
    if u.facts.synthetic:
        banner = Part(f'<div class="banner">{BANNER}</div>', [{"kind": "banner", "text": BANNER}])
    title = narrative.describe_title(u)
    fields = [
        ["评价年度：", str(u.params.year)],
        ["评价单位（公章）：", u.facts.identity.name],
        ["填报日期：", narrative.describe_fill_date(u)],
    ]
    cover = Part(
        f'<h1 class="title">{esc(title)}</h1>'
        '<dl class="cover">'
        f"<dt>评价年度：</dt><dd>{u.params.year}</dd>"
        f"<dt>评价单位（公章）：</dt><dd>{esc(u.facts.identity.name)}</dd>"
        f"<dt>填报日期：</dt><dd>{esc(narrative.describe_fill_date(u))}</dd></dl>",
        [
            {"kind": "title", "text": title, "date": document_date(u)},
            {"kind": "fields", "items": fields},
        ],
    )
    return _block(banner, cover, _p(narrative.describe_intro(u)), cls="cover-block")


def section_part(r: Report, section: str) -> Part:
    """A narrative section as written; '重点工作未填报。' where it is 未填报 or absent (an absent
    optional section is not "无": the unit did not say)."""
    text = r.unit.narrative.get(section, "")
    if is_not_stated_text(text) or not text.strip():
        return _p(f"{section}{NOT_STATED_WORD}。")
    return _markdown(text)


def show_text(r: Report, section: str) -> Shown:
    """A narrative section of the unit's narrative.md, as written (or said to be 未填报)."""
    return _block(section_part(r, section))


PROGRESS_HEADING = f"（六）{PROGRESS_SECTION}"


def show_progress(r: Report) -> Shown | None:
    """（六）上年存在问题整改情况: last year's 存在问题 and 改进措施 with the progress the unit
    states (progress.py); the unit's section as written where last year lists none; nothing
    (no output, no heading) where there is neither."""
    part = progress_part(r)
    text = r.unit.narrative.get(PROGRESS_SECTION, "")
    if not part.html and (is_not_stated_text(text) or not text.strip()):
        return None
    heading = Part(
        f"<h3>{PROGRESS_HEADING}</h3>",
        [{"kind": "heading", "level": 2, "text": PROGRESS_HEADING}],
    )
    return _block(heading, part if part.html else _markdown(text))


def show_profile(r: Report) -> Shown:
    """(一) 单位机构设置、部门职能情况: identity and staffing sentence, ratios, then 职能; then the
    unit's spending and 三公 figures that no indicator of its framework shows (UNIT_FIGURES)."""
    u = r.unit
    staffing = narrative.describe_staffing(r.indicators)
    spending = [_body(r, key) + _charts(r, key) for key in _profile_keys(r)]
    if spending:
        heading = "单位支出情况"
        spending.insert(
            0, Part(f"<h4>{heading}</h4>", [{"kind": "heading", "level": 3, "text": heading}])
        )
    return _block(
        _p(narrative.describe_profile(u, r.indicators)),
        _p(staffing) if staffing else Part(),
        *functions_part(r),
        *spending,
    )


def functions_part(r: Report) -> list[Part]:
    """'单位主要职能有：' and the unit's list, or '单位主要职能未填报。'."""
    text = r.unit.narrative.get("单位职能", "")
    if is_not_stated_text(text) or not text.strip():
        return [_p(f"单位主要职能{NOT_STATED_WORD}。")]
    return [_p("单位主要职能有："), _markdown(text)]


def show_team(r: Report) -> Shown:
    """(一) 评价小组: the unit's first paragraph, who is in the team, then the rest of its text."""
    first, _, rest = r.unit.narrative.get("评价小组", "").strip().partition("\n\n")
    return _block(_markdown(first), _p(narrative.describe_team(r.unit)), _markdown(rest))


def show_submission(r: Report) -> Shown:
    return _block(_p(narrative.describe_submission(r.unit)))


def show_publication(r: Report) -> Shown:
    return _block(_p(narrative.describe_publication(r.unit)))


def show_result(r: Report) -> Shown:
    """(一) 自评结果: the grade, the total and the score table with every basis."""
    body = _p(narrative.describe_result(r.card)) + score_part(r) + previous_part(r)
    return _block(body, _footnote(body))


def show_indicators(r: Report) -> Shown:
    """(二) the framework's indicators in order, each with its sentence, table, note and score;
    a paragraph several indicators share (same rule and measure) under the first of them only."""
    parts, bodies = [], _indicator_keys(r)
    for n, s in enumerate(r.card.scores, start=1):
        ind = s.indicator
        heading = f"{n}.{ind.name}"
        parts.append(
            Part(f"<h4>{esc(heading)}</h4>", [{"kind": "heading", "level": 3, "text": heading}])
        )
        key = bodies.get(ind.id, "")
        parts.append(_body(r, key))
        parts.append(_markdown(r.unit.indicator_note(ind.id)))
        parts.append(_charts(r, key))
        mark = ILLUSTRATIVE_MARK if s.illustrative else ""
        line = f"得分：{fmt_score(s.score)}分{mark}（分值{fmt_score(ind.weight)}分）。{filing_basis(s)}"
        parts.append(
            Part(
                f'<p class="score-line">得分：{esc(fmt_score(s.score))}分{mark}（分值{esc(fmt_score(ind.weight))}分）。'
                f"{esc(s.basis)}</p>",
                [paragraph(line, "score")],
            )
        )
    body = sum(parts, Part())
    return _block(body, _footnote(body))


def _rule_key(rule) -> str:
    """'rate:spending_rate', 'budget_cap:sangong', 'target_completion:产出', 'checklist': what an
    indicator's paragraph describes (BODIES)."""
    about = getattr(rule, "category", None) or getattr(rule, "measure", None)
    return f"{rule.kind}:{about}" if about else rule.kind


def _targets(r: Report, category: str) -> Part:
    return _p(narrative.describe_targets(r.indicators, category)) + targets_part(r, category)


# What an indicator's paragraph shows beside its score, by _rule_key: sentences and a table, then
# charts (CHARTS). Target categories are the framework's own, so any target_completion key has one.
BODIES = {
    "rate:spending_rate": (
        lambda r: _p(narrative.describe_spending_rate(r.indicators)) + budget_part(r),
        ("structure", "year_on_year"),
    ),
    "coverage:pre_assessment": (
        lambda r: _p(narrative.describe_pre_assessment(r.unit, r.indicators)),
        (),
    ),
    "budget_cap:sangong": (
        lambda r: _p(narrative.describe_running_cost(r.unit, r.indicators)) + sangong_part(r),
        ("sangong",),
    ),
}
TARGET_CHARTS = {"产出": ("economy",)}
# The unit's own spending and 三公 figures are shown whatever its framework scores: under the
# indicator that reads them (where the reference report has them), else in the profile.
UNIT_FIGURES = ("rate:spending_rate", "budget_cap:sangong")


def _charts_of(key: str) -> tuple[str, ...]:
    kind, _, about = key.partition(":")
    if kind == "target_completion":
        return TARGET_CHARTS.get(about, ())
    return BODIES[key][1] if key in BODIES else ()


def _body(r: Report, key: str) -> Part:
    """The sentences and table of a BODIES key (or a target category), without its charts."""
    kind, _, about = key.partition(":")
    if kind == "target_completion":
        return _targets(r, about)
    return BODIES[key][0](r) if key in BODIES else Part()


def _charts(r: Report, key: str) -> Part:
    return sum((_chart_part(r, name) for name in _charts_of(key)), Part())


def _indicator_keys(r: Report) -> dict[str, str]:
    """Indicator id -> the paragraph shown under it: each key under its first indicator only."""
    first: dict[str, str] = {}
    for s in r.card.scores:
        first.setdefault(_rule_key(s.indicator.rule), s.indicator.id)
    return {ind: key for key, ind in first.items()}


def _profile_keys(r: Report) -> list[str]:
    """The UNIT_FIGURES no indicator of the framework shows, for the profile to show."""
    shown = set(_indicator_keys(r).values())
    return [key for key in UNIT_FIGURES if key not in shown]


def _footnote(shown: Part) -> Part:
    """The ※ note under a part that prints a ※ (and only there)."""
    if ILLUSTRATIVE_MARK not in shown.html:
        return Part()
    return note_part(
        f"{ILLUSTRATIVE_MARK} 示例数据：参考资料未载明该数，为演示评分表的计算而设定，"
        f"并非单位填报数；由示例数据计算出的数（合计、比率、得分、总分与等级）同样标注{ILLUSTRATIVE_MARK}。"
        "正式报送前应以单位实际数替换。"
    )


# Each chart: (title, figure, note under the chart: what is left out as 未填报, and marks). Their
# numbers follow the page (figure_numbers).
CHARTS = {
    "scores": (
        "各指标得分与分值",
        lambda r: charts.plot_scores(r.card),
        lambda r: (
            r.card.completeness.statement
            + (f"{ILLUSTRATIVE_MARK} 该得分含示例数据" if r.card.illustrative else "")
        ),
    ),
    "economy": (
        "主要经济指标及增长率",
        lambda r: charts.plot_economy(r.indicators),
        lambda r: charts.note_economy(r.indicators),
    ),
    "structure": (
        "本年支出构成",
        lambda r: charts.plot_spending_structure(r.indicators),
        lambda r: charts.note_spending_structure(r.indicators),
    ),
    "year_on_year": (
        "基本支出与项目支出年度对比",
        lambda r: charts.plot_year_on_year(r.indicators, r.unit.params.year),
        lambda r: charts.note_year_on_year(r.indicators, r.unit.params.year),
    ),
    "sangong": (
        "“三公”经费预算与决算",
        lambda r: charts.plot_sangong(r.indicators),
        lambda r: charts.note_sangong(r.indicators),
    ),
}


# A chart that would compare one thing with nothing is left out, with a sentence in its place.
INSTEAD = {
    "year_on_year": lambda r: charts.instead_of_year_on_year(r.indicators, r.unit.params.year),
    "sangong": lambda r: charts.instead_of_sangong(r.indicators),
}


def _instead(r: Report, name: str) -> str:
    return INSTEAD[name](r) if name in INSTEAD else ""


def figure_html(fig, caption: str, note: str = "") -> str:
    """A Figure as an inline PNG with its caption and note (no file is written)."""
    return _figure_html(base64.b64encode(canvas.figure_png(fig)).decode(), caption, note)


def _figure_html(png: str, caption: str, note: str) -> str:
    note_html = f'<span class="chart-note">（{esc(note)}）</span>' if note else ""
    return (
        f'<figure class="selfeval chart"><img alt="{esc(caption)}" src="data:image/png;base64,{png}"/>'
        f"<figcaption>{esc(caption)}{note_html}</figcaption></figure>"
    )


def figure_part(fig, caption: str, note: str) -> Part:
    """A Figure as HTML (figure_html) and as a figure block with the same PNG."""
    png = base64.b64encode(canvas.figure_png(fig)).decode()
    block = {"kind": "figure", "png": png, "caption": caption, "note": note}
    return Part(_figure_html(png, caption, note), [block])


def figure_numbers(r: Report) -> dict[str, int]:
    """Each chart's number, in the order the report's pages show them: the profile's (一、单位基本
    情况), the scores chart under 自评结果, then the indicators' in the framework's order; a chart
    the layout does not place is numbered after them."""
    keys = [*_profile_keys(r), None, *_indicator_keys(r).values()]
    order = [c for key in keys for c in (("scores",) if key is None else _charts_of(key))]
    order += [name for name in CHARTS if name not in order]
    order = [name for name in order if not _instead(r, name)]  # left out: no number
    return {name: n for n, name in enumerate(order, start=1)}


def _chart_part(r: Report, name: str) -> Part:
    if instead := _instead(r, name):
        return note_part(instead)
    title, plot, note = CHARTS[name]
    return figure_part(plot(r), f"图{figure_numbers(r)[name]} {title}", note(r))


def show_chart(r: Report, name: str) -> Shown:
    """One of CHARTS as an inline PNG with its numbered caption (no file is written)."""
    return Shown(_chart_part(r, name))


def _ordered(items: list[str], cls: str = "") -> Part:
    """A numbered list of the review edition: HTML only (show_warnings's review_part keeps no
    blocks, so the Word file never has one)."""
    html = "".join(f"<li>{esc(i)}</li>" for i in items)
    attr = f' class="{cls}"' if cls else ""
    return Part(f"<ol{attr}>{html}</ol>")


def review_notes(r: Report) -> list[str]:
    """The analyst's notes on what cannot be judged from what the unit stated ('产出指标5项中5项
    的方向、目标值未填报，无法判断完成情况。'): the review notes, never the unit's statement."""
    categories = [
        key.partition(":")[2]
        for key in _indicator_keys(r).values()
        if key.startswith("target_completion:")
    ]
    return [n for n in (narrative.review_targets(r.indicators, c) for c in categories) if n]


def show_warnings(r: Report) -> Shown:
    """Cross-check warnings: figures that disagree, shown, never hidden; then the review notes
    and the 未填报 list. The analyst's (review edition, the HTML): the Word and PDF the unit
    files leave them out (review_part keeps only this HTML, so no Word style is given)."""
    missing, warnings, notes = r.unit.not_stated(), r.warnings, review_notes(r)
    if not warnings and not missing and not notes:
        return _block(review_part(_p("数据核对未发现问题。")), cls="warnings ok")
    parts = []
    if warnings:
        parts.append(_p(f"数据核对提示（{len(warnings)}条），请填报单位核实："))
        parts.append(_ordered(warnings))
    if notes:
        parts.append(_p(f"审核提示（{len(notes)}条）："))
        parts.append(_ordered(notes))
    if missing:
        parts.append(
            _p(
                f"以下{len(missing)}项数据{NOT_STATED_WORD}（资料未载明），报告中相应位置写作“{NOT_STATED_WORD}”，"
                f"依赖这些数据的指标按评分表{NOT_STATED_WORD}规定计分："
            )
        )
        parts.append(_ordered(group_places(missing), "not-stated"))
    return _block(review_part(sum(parts, Part())), cls="warnings")


SHORT_HASH = 12  # hex digits shown; the full SHA-256 is in the title attribute and .scores.json


def show_provenance(r: Report) -> Shown:
    """Footer: toolkit version, framework id and the sha256 of every input file, compact: short
    hashes in small type (the full ones on hover and in the scores file), never a page alone."""
    items = "".join(
        f'<li>{esc(p)} <code title="{esc(h)}">{esc(h[:SHORT_HASH])}</code></li>'
        for p, h in r.unit.input_hashes
    )
    return Shown(
        Part(
            '<footer class="selfeval provenance"><p>生成信息 / Provenance：selfeval '
            f"{esc(__version__)}，评分表 / framework <code>{esc(r.card.framework_id)}</code>，"
            f"单位 / unit <code>{esc(r.unit.params.unit_id)}</code>。输入文件 SHA-256"
            f"（前{SHORT_HASH}位，完整值见 .scores.json）：</p>"
            f'<ul class="hashes">{items}</ul></footer>',
        )
    )  # the review edition's only: file names and hashes are not the unit's statement


class ScoresOutput(DisplayObject):
    """The unit's result as a notebook output the runner reads back (never shown in HTML): the
    scores record and the 评分表/数据表 workbook, both made here from the one Report the kernel
    computed, so every file of a unit comes from one computation."""

    def __init__(self, record: dict, workbook: bytes, forms: dict[str, bytes] | None = None):
        self.record = record
        self.workbook = workbook
        self.forms = forms or {}  # the 自评表 files, by output kind (FORM_MIMES)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            SCORES_MIME: self.record,
            # binary outputs are base64 text in a notebook, as Jupyter stores images
            WORKBOOK_MIME: base64.b64encode(self.workbook).decode(),
            **{
                FORM_MIMES[kind]: base64.b64encode(data).decode()
                for kind, data in self.forms.items()
            },
            "text/plain": json.dumps(self.record, ensure_ascii=False)[:200],
        }


def show_scores_data(r: Report) -> ScoresOutput:
    figures = compute_form(r.unit, r.indicators, r.card)
    forms = {"form_xlsx": form_xlsx_bytes(r, figures), "form_docx": form_docx_bytes(r, figures)}
    return ScoresOutput(r.scores_record(), scoresheet_bytes(r), forms)
