"""The report's tables as escaped HTML and as table blocks (blocks.py): every cell shows its figure
with its ※ mark, 未填报, or 不适用; text from data files is escaped."""

from __future__ import annotations

import html
import operator

from ..errors import strip_controls
from ..evaluate.indicators import fig_pct
from ..fmt import fmt_fig, fmt_figure, fmt_money, fmt_pct
from ..values import Fig, fig_apply
from .blocks import MARK_RUN, Cell, Part, cell_html, paragraph, run, table
from .content import Report

MARK = '<sup class="mark" title="示例数据">※</sup>'


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


def num_cell(text: str, illustrative: bool = False) -> Cell:
    html = f'<span class="num">{esc(text)}</span>{MARK if illustrative else ""}'
    return Cell(html, [run(text), MARK_RUN] if illustrative else [run(text)])


def fig_cell(f: Fig, fmt=fmt_money, na: str = "") -> Cell:
    """A figure in a table: its number (※ as a mark), 未填报, or `na` where it does not apply."""
    return num_cell(fmt_fig(f, fmt, na=na, mark=False), f.marked and f.given)


def text_cell(value: object) -> Cell:
    return Cell(esc(value), [run(value)])  # NOT_STATED prints as 未填报


def strong_cell(text: str) -> Cell:
    return Cell(f"<strong>{esc(text)}</strong>", [run(text, bold=True)])


def targets_table(r: Report, category: str) -> Part:
    rows = []
    for t in r.values.targets_of(category):
        x = t.target
        rows.append(
            [
                text_cell(x.name),
                text_cell(x.unit),
                text_cell(x.direction),
                fig_cell(t.goal, fmt_figure),
                fig_cell(t.actual, fmt_figure),
                fig_cell(t.growth_pct, fmt_pct),
                fig_cell(t.completion, fmt_pct),
            ]
        )
    return table_part(["指标", "计量单位", "方向", "目标值", "实际值", "增长率", "完成率"], rows)


def row_cells(r: Report, part: str, row: int, columns: tuple[str, ...]) -> list[Cell]:
    """Amount cells of one table row, by column name, each with its ※ mark or 未填报."""
    return [fig_cell(r.unit.cell(part, row, c)) for c in columns]


def budget_table(r: Report) -> Part:
    columns = ("年初预算", "调整预算", "本年支出", "上年支出")
    rows = []
    for n, b in enumerate(r.unit.budget):
        adjusted, actual = (r.unit.cell("budget.csv", n, c) for c in ("调整预算", "本年支出"))
        rows.append(
            [
                text_cell(b.kind),
                text_cell(b.econ),
                text_cell(b.name),
                *row_cells(r, "budget.csv", n, columns),
                fig_cell(fig_pct(actual, adjusted), fmt_pct, "不适用"),
            ]
        )
    v = r.values
    last = fig_apply(operator.add, v.basic_last, v.project_last)
    totals = (v.initial_budget, v.adjusted_budget, v.actual, last)
    rows.append(
        [
            strong_cell("合计"),
            "",
            "",
            *(fig_cell(x) for x in totals),
            fig_cell(v.spending_rate, fmt_pct, "不适用"),
        ]
    )
    headers = ["支出类型", "经济分类", "科目", *columns, "支出率"]
    note = "金额单位：万元。"
    if any(r.unit.key(f"totals.{k}").given for k in TOTAL_KEYS):
        note += "合计行为单位所列合计数（未列的为各行合计），与各行合计不一致的见数据核对提示。"
    return table_part(headers, rows) + note_part(note)


TOTAL_KEYS = ("initial_budget", "adjusted_budget", "actual", "spending_rate", "basic", "project")


def sangong_table(r: Report) -> Part:
    columns = ("预算", "决算", "上年决算")
    rows = []
    for n, s in enumerate(r.unit.sangong):
        budget, actual = (r.unit.cell("sangong.csv", n, c) for c in ("预算", "决算"))
        rows.append(
            [
                text_cell(s.item),
                *row_cells(r, "sangong.csv", n, columns),
                fig_cell(fig_pct(actual, budget), fmt_pct, "不适用"),
            ]
        )
    v = r.values
    totals = (v.sangong_budget, v.sangong_actual, v.sangong_last)
    rows.append(
        [
            strong_cell("合计"),
            *(fig_cell(x) for x in totals),
            fig_cell(v.sangong_rate, fmt_pct, "不适用"),
        ]
    )
    return table_part(["“三公”经费", *columns, "执行率"], rows) + note_part("金额单位：万元。")
