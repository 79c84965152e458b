"""The report's tables as escaped HTML and as table blocks (blocks.py): every cell shows its figure
with its ※ mark, 未填报, or 不适用; text from data files is escaped."""

from __future__ import annotations

import html

from ..errors import strip_controls
from ..evaluate.indicators import BUDGET_AMOUNTS, SANGONG_AMOUNTS, TARGET_FIGURES, column_name
from ..fmt import (
    ILLUSTRATIVE_HTML,
    ILLUSTRATIVE_MARK,
    ShownFig,
    fmt_figure,
    fmt_money,
    fmt_pct,
    fmt_score,
    present_fig,
)
from ..frameworks.model import LEVEL_TITLES
from ..inputs.schema import Target
from ..values import NOT_STATED, NOT_STATED_WORD, Fig
from .blocks import MARK_RUN, Cell, Part, cell_html, paragraph, run, table
from .content import Report
from .narrative import describe_bands


def esc(value: object) -> str:
    """Text for HTML: escaped, and without control or bidi characters (text is data)."""
    return html.escape(strip_controls(str(value)))


def html_table(headers: list[str], rows: list[list[Cell | str]], cls: str) -> str:
    """Rows are Cells or already-escaped HTML cells."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell_html(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def table_part(headers: list[str], rows: list[list[Cell | str]], cls: str = "data") -> Part:
    """A table as HTML and as a table block, from the same cells."""
    return Part(html_table(headers, rows, cls), [table(headers, rows, cls)])


def note_part(text: str) -> Part:
    return Part(f'<p class="note">{esc(text)}</p>', [paragraph(text, "note")])


def review_part(review: Part, filing: Part | None = None) -> Part:
    """`review`'s HTML (the review edition) with `filing`'s blocks (the filing edition: Word, PDF):
    what only the analyst needs is never in the document the unit files."""
    return Part(review.html, filing.blocks if filing else [])


def filing_basis(s) -> str:
    """An indicator's basis as the unit states it: its own reason where it gave a self score (the
    computed score beside it is the analyst's, in the review edition), else the computed basis."""
    if s.reviewed:  # which score counts, the evaluator's or the unit's, and why
        return s.basis
    return s.computed_basis if s.self_score is None else s.self_reason


def num_cell(text: str, illustrative: bool = False) -> Cell:
    html = f'<span class="num">{esc(text)}</span>{ILLUSTRATIVE_HTML if illustrative else ""}'
    return Cell(html, [run(text), MARK_RUN] if illustrative else [run(text)])


def shown_cell(shown: ShownFig) -> Cell:
    """A figure as present_fig shows it, in a table: the text, and ※ as a mark."""
    return num_cell(shown.text, shown.illustrative)


def fig_cell(f: Fig, fmt=fmt_money, na: str = "") -> Cell:
    """A figure in a table: its number (※ as a mark), 未填报, or `na` where it does not apply."""
    return shown_cell(present_fig(f, fmt, na))


def rate_cell(f: Fig) -> Cell:
    """A rate in a table: 不适用 over a zero base."""
    return shown_cell(present_fig(f, fmt_pct))


def text_cell(value: object) -> Cell:
    return Cell(esc(value), [run(value)])  # NOT_STATED prints as 未填报


def strong_cell(text: str) -> Cell:
    return Cell(f"<strong>{esc(text)}</strong>", [run(text, bold=True)])


def targets_part(r: Report, category: str) -> Part:
    """The targets of a category; with their 二级指标 where any gives one, and each one's 分值 and
    得分 where the framework scores them by points."""
    targets = r.indicators.targets_of(category)
    scored = {t.row: t for s in r.card.scores for t in s.targets}
    with_level2 = any(t.target.level2 is NOT_STATED or t.target.level2 for t in targets)
    with_points = any(t.row in scored for t in targets)
    rows = []
    for t in targets:
        x = t.target
        row = [
            *([text_cell(x.level2)] if with_level2 else []),
            text_cell(x.name),
            text_cell(x.unit),
            text_cell(x.direction),
            fig_cell(t.goal, fmt_figure, t.goal_words),
            fig_cell(t.actual, fmt_figure, t.actual_words),
            fig_cell(t.growth_pct, fmt_pct),
            fig_cell(t.completion, fmt_pct),
        ]
        if with_points:
            score = scored.get(t.row)
            row += [fig_cell(t.points, fmt_score), fig_cell(Fig(score and score.score), fmt_score)]
        rows.append(row)
    columns = (TARGET_FIGURES[f] for f in ("target", "actual", "growth_pct"))
    level2 = [column_name(Target, "level2")] if with_level2 else []
    head = [*level2, "指标", "计量单位", "方向", *columns, "完成率"]
    points = [column_name(Target, "points"), "得分"] if with_points else []
    return table_part([*head, *points], rows)


def budget_part(r: Report) -> Part:
    rows = []
    for b in r.indicators.budget_lines:
        rows.append(
            [
                text_cell(b.line.kind),
                text_cell(b.line.econ),
                text_cell(b.line.name),
                *(fig_cell(x) for x in b.amounts),
                rate_cell(b.spending_rate),
            ]
        )
    v = r.indicators
    totals = (v.initial_budget, v.adjusted_budget, v.actual, v.last_total)
    rows.append(
        [
            strong_cell("合计"),
            "",
            "",
            *(fig_cell(x) for x in totals),
            rate_cell(v.spending_rate),
        ]
    )
    headers = ["支出类型", "经济分类", "科目", *BUDGET_AMOUNTS.values(), "支出率"]
    note = "金额单位：万元。"
    if any(r.unit.key(f"totals.{k}").given for k in TOTAL_KEYS):
        note += "合计行为单位所列合计数（未列的为各行合计）"
        review = note + "，与各行合计不一致的见数据核对提示。"  # the review edition's appendix
        return table_part(headers, rows) + review_part(note_part(review), note_part(note + "。"))
    return table_part(headers, rows) + note_part(note)


TOTAL_KEYS = ("initial_budget", "adjusted_budget", "actual", "spending_rate", "basic", "project")


def sangong_part(r: Report) -> Part:
    rows = []
    for s in r.indicators.sangong_lines:
        rows.append([text_cell(s.line.item), *(fig_cell(x) for x in s.amounts), rate_cell(s.rate)])
    v = r.indicators
    totals = (v.sangong_budget, v.sangong_actual, v.sangong_last)
    rows.append([strong_cell("合计"), *(fig_cell(x) for x in totals), rate_cell(v.sangong_rate)])
    headers = ["“三公”经费", *SANGONG_AMOUNTS.values(), "执行率"]
    return table_part(headers, rows) + note_part("金额单位：万元。")


def _indicator_cell(ind) -> Cell:
    """The indicator's name, and under it in small type its 指标解释."""
    return Cell(
        f'{esc(ind.name)}<span class="explanation">{esc(ind.explanation)}</span>',
        [run(ind.name), run(f"\n{ind.explanation}")],
    )


def score_part(r: Report) -> Part:
    """The 评分表 as the report prints it: every indicator with its 指标解释, 评分标准, scores and
    basis, the total and grade, the grade bands and the notes that say what the scores rest on
    (one printed page where it fits)."""
    rows, bases, card = [], [], r.card
    reviewed = r.unit.framework.reviewed  # a 评审得分 column only where the evaluator scores
    depth = r.unit.framework.depth  # a column per level: 一级, 二级, 三级 …
    blank = [""] * (depth - 2)  # the levels below 二级 in a subtotal's or the total's row
    for n, s in enumerate(card.scores, start=1):
        own = "" if s.self_score is None else num_cell(fmt_score(s.self_score), s.self_illustrative)
        review = [_review_cell(s)] if reviewed else []
        path = s.indicator.path
        rows.append(
            [
                _text(n),
                *(_text(path[k]) if k < len(path) else "" for k in range(depth)),
                _indicator_cell(s.indicator),
                num_cell(fmt_score(s.indicator.weight)),
                _text(s.indicator.standard),
                num_cell(fmt_score(s.computed), s.inputs_illustrative),
                own,
                *review,
                num_cell(fmt_score(s.score), s.illustrative).bold(),
                _text(s.basis),
            ]
        )
        bases.append(_text(filing_basis(s)))
    for g in card.groups:  # the framework's declared groups, each with its subtotal (小计)
        rows.append(
            [
                "",
                "",
                "",
                *blank,
                strong_cell(f"{g.name}小计"),
                num_cell(fmt_score(g.weight)),
                "",
                "",
                "",
                *([""] if reviewed else []),
                num_cell(fmt_score(g.score), g.illustrative).bold(),
                "",
            ]
        )
    rows.append(
        [
            "",
            "",
            "",
            *blank,
            strong_cell("合计"),
            num_cell(fmt_score(r.unit.framework.total_weight)),
            "",
            num_cell(fmt_score(card.computed_total), card.computed_illustrative),
            "",
            *([""] if reviewed else []),
            num_cell(fmt_score(card.total), card.illustrative).bold(),
            Cell(
                f"<strong>等级：{esc(card.grade)}{ILLUSTRATIVE_HTML if card.illustrative else ''}</strong>",
                [run(f"等级：{card.grade}", bold=True)] + ([MARK_RUN] if card.illustrative else []),
            ),
        ]
    )
    headers = [
        "序号",
        *LEVEL_TITLES[:depth],
        "指标（指标解释）",
        "分值",
        "评分标准",
        "计算得分",
        "自评得分",
        *(["评审得分"] if reviewed else []),
        "得分",
        "得分依据 / 扣分原因",
    ]
    # The filing edition states the scores that count and the unit's bases; 计算得分 and 自评得分
    # side by side are the analyst's (REVIEW_COLUMNS).
    keep = [i for i, h in enumerate(headers) if h not in REVIEW_COLUMNS]
    filing_rows = [[row[i] for i in keep] for row in rows]
    for row, basis in zip(filing_rows, bases, strict=False):
        row[-1] = basis
    table = review_part(
        _score_table(headers, rows, depth),
        _score_table([headers[i] for i in keep], filing_rows, depth),
    )
    fw = r.unit.framework
    bands = f"等级标准：{describe_bands(fw.grades)}。"
    notes = [review_part(note_part(f"{bands}评分表：{fw.name}。{fw.notice}"), note_part(bands))]
    own = [s for s in card.scores if s.self_counts]
    if reviewed:  # both editions: the 评审得分 column is in both
        notes.append(note_part(describe_review_note(card)))
    if own:
        computed = ILLUSTRATIVE_MARK if card.computed_illustrative else ""
        final = ILLUSTRATIVE_MARK if card.illustrative else ""
        notes.append(  # the analyst's: the review edition only
            review_part(
                note_part(
                    f"“计算得分”为按评分表计算的得分，合计{fmt_score(card.computed_total)}分{computed}"
                    f"（{card.computed_grade}{computed}）；单位对{len(own)}项指标（"
                    + "、".join(s.indicator.name for s in own)
                    + f"）给出自评得分并说明理由，“得分”列采用自评得分，合计{fmt_score(card.total)}分"
                    f"{final}（{card.grade}{final}）。"
                )
            )
        )
    # beside the total, what it rests on; the indicators scored by the 未填报 rule by name
    missing = [s.indicator.name for s in card.scores if s.not_stated]
    names = f"所需数据{NOT_STATED_WORD}的指标：{'、'.join(missing)}。" if missing else ""
    total = f"{fmt_score(card.total)}分{ILLUSTRATIVE_MARK if card.illustrative else ''}"
    notes.insert(0, note_part(f"合计{total}：{card.completeness.statement}{names}"))
    if card.outside:
        notes.append(review_part(note_part(f"适用范围：{card.outside}，评分仅供参考。")))
    sheet = sum(notes, table)
    return Part(f'<div class="score-sheet">{sheet.html}</div>', sheet.blocks)  # one printed page


def _score_table(headers: list[str], rows: list[list[Cell | str]], depth: int) -> Part:
    """The 评分表's table; one of a hierarchy deeper than 二级 is marked (levels-3 …) in the page,
    whose column widths follow the indicator and standard columns that the levels move right."""
    part = table_part(headers, rows, "scores")
    if depth == 2:
        return part
    return Part(html_table(headers, rows, f"scores levels-{depth}"), part.blocks)


# the analyst's columns, left out of the filing edition (评审得分, a score the framework
# defines, stays in both)
REVIEW_COLUMNS = ("计算得分", "自评得分")


def _review_cell(s) -> Cell | str:
    """The evaluator's score of an indicator it scores (未填报 until given); empty elsewhere."""
    if not s.reviewed:
        return ""
    return fig_cell(Fig(s.review_score, s.inputs_illustrative, s.not_stated), fmt_score)


def describe_review_note(card) -> str:
    """Which indicators the evaluator scores, and which score the total counts for each."""
    reviewed = [s for s in card.scores if s.reviewed]
    counted = "、".join(s.indicator.name for s in reviewed if not s.self_counts)
    own = "、".join(s.indicator.name for s in reviewed if s.self_counts)
    said = f"“评审得分”为评审按评分表给出的得分（{len(reviewed)}项指标）"
    said += f"；{counted}以评审得分计入总分" if counted else ""
    said += f"；{own}按评分表以自评得分计入总分" if own else ""
    return said + "。"


def _text(value: object) -> Cell:
    return Cell(esc(value), [run(value)])
