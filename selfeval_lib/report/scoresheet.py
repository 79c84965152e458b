"""The 评分表 and 数据表 of one unit as an .xlsx workbook that prints on A4."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..fmt import ILLUSTRATIVE_MARK, excel_format, fmt_score, present_fig
from ..frameworks.model import LEVEL_TITLES
from ..values import Fig
from .content import Report
from .datasheet import BOX, CENTER, data_sheet, sheet_title
from .narrative import describe_bands
from .xlsx import (
    HEADER_FILL,
    fit_sheet,
    print_on_a4,
    put,
    row_height,
    workbook_bytes,
    write_atomic,
)
from .xlsx_styles import merge, restyle

SCORE_COLUMNS = {  # 评分表 column -> width
    "一级指标": 10,
    "二级指标": 12,
    "指标": 18,
    "指标解释": 30,
    "分值": 7,
    "评分标准": 42,
    "计算得分": 9,  # what the framework's rule gives
    "自评得分": 9,  # the unit's own score, only where it gave one with a reason (as in the report)
    "评审得分": 9,  # the evaluator's score: a column only where the framework has one
    "得分": 9,  # the score that counts: the unit's own where it gave one, else the computed one
    "得分依据/扣分原因": 52,
}


def score_columns(reviewed: bool, depth: int = 2) -> dict[str, int]:
    """The sheet's columns and widths: 评审得分 only where the evaluator scores an indicator; a
    column for each level of a hierarchy deeper than 一级 and 二级 (三级指标 …) after 二级."""
    columns = [(k, w) for k, w in SCORE_COLUMNS.items() if reviewed or k != "评审得分"]
    deeper = [(title, SCORE_COLUMNS["二级指标"]) for title in LEVEL_TITLES[2:depth]]
    return dict(columns[:2] + deeper + columns[2:])


SCORE_FORMAT = "0.00"


def _score_format(illustrative: bool) -> str:
    """Scores with two decimals; ※ after the number where the score rests on an illustrative
    value, so the cell stays a number Excel can sum."""
    return excel_format(SCORE_FORMAT, illustrative)


def _review_value(s) -> object:
    """The evaluator's score as a number, or how present_fig shows it when it is 未填报."""
    if not s.reviewed or s.review_score is not None:
        return s.review_score
    return present_fig(Fig(None, False, s.not_stated), fmt_score).text


def _merge_runs(ws, first_row: int, col: int, keys: list) -> None:
    """Merge the cells of a column where consecutive rows repeat the same group."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                merge(ws, first_row + start, col, first_row + i - 1, col)
            restyle(ws.cell(first_row + start, col), alignment=CENTER)
            start = i


def _score_sheet(ws, report: Report) -> None:
    unit, card, fw = report.unit, report.card, report.unit.framework
    columns = score_columns(fw.reviewed, fw.depth)
    col_of = {header: n for n, header in enumerate(columns, start=1)}  # column numbers
    ws.title = "评分表"
    name = f"{unit.facts.identity.name}{unit.params.year}年度部门整体支出绩效自评评分表"
    sheet_title(ws, name, f"评分表：{fw.name}。{fw.notice}", len(columns))
    for col, (header, width) in enumerate(columns.items(), start=1):
        put(ws, 3, col, header, bold=True, fill=HEADER_FILL, wrap=True, border=BOX)
        ws.column_dimensions[get_column_letter(col)].width = width
    widths = list(columns.values())
    row = 4
    for s in card.scores:
        ind = s.indicator
        values = (
            *(ind.path[k] if k < len(ind.path) else None for k in range(fw.depth)),
            ind.name,
            ind.explanation,
            ind.weight,
            ind.standard,
            s.computed,
            s.self_score,  # None: the unit gave no score of its own, the cell stays empty
            *([_review_value(s)] if fw.reviewed else []),
            s.score,
            s.basis,
        )
        formats = {
            col_of["分值"]: SCORE_FORMAT,
            col_of["计算得分"]: _score_format(s.inputs_illustrative),
            col_of["自评得分"]: _score_format(s.self_illustrative),
            col_of.get("评审得分"): _score_format(s.inputs_illustrative),
            col_of["得分"]: _score_format(s.illustrative),
        }
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, fmt=formats.get(col), wrap=True, border=BOX)
        ws.row_dimensions[row].height = max(
            row_height("" if v is None else str(v), w) or 15
            for v, w in zip(values, widths, strict=True)
        )
        row += 1
    for level in range(1, fw.depth + 1):  # a group's cells merged down its indicators' rows
        _merge_runs(ws, 4, level, [s.indicator.path[:level] for s in card.scores])
    declared = "" if card.declared_grade is None else f"；单位申报等级：{card.declared_grade}"
    computed_mark = ILLUSTRATIVE_MARK if card.computed_illustrative else ""
    mark = ILLUSTRATIVE_MARK if card.illustrative else ""
    note = (
        f"{ILLUSTRATIVE_MARK} 含示例数据（参考资料未载明的数）"
        if card.illustrative or card.computed_illustrative
        else ""
    )
    # beside the total, what it rests on: indicators scored on stated data and by the 未填报 rule
    note = " ".join(n for n in (card.completeness.statement, note) if n)
    subtotals = tuple(  # the framework's declared groups, each with its subtotal (小计)
        (f"{g.name}小计", g.weight, (None, None), (g.score, _score_format(g.illustrative)), "")
        for g in card.groups
    )
    closing = subtotals + (  # label, 分值, 计算得分 (format), 得分 (format), remark
        (
            "合计",
            fw.total_weight,
            (card.computed_total, _score_format(card.computed_illustrative)),
            (card.total, _score_format(card.illustrative)),
            note,
        ),
        (
            "等级",
            None,
            (card.computed_grade + computed_mark, None),
            (card.grade + mark, None),
            f"等级标准：{describe_bands(fw.grades)}{declared}",
        ),
    )
    last = len(columns)
    for label, weight, (computed, computed_fmt), (result, result_fmt), remark in closing:
        put(ws, row, 1, label, bold=True)
        merge(ws, row, 1, row, col_of["指标解释"])
        restyle(ws.cell(row, 1), alignment=CENTER)
        put(ws, row, col_of["分值"], weight, fmt=SCORE_FORMAT)
        put(ws, row, col_of["计算得分"], computed, fmt=computed_fmt)
        put(ws, row, col_of["得分"], result, fmt=result_fmt, bold=True)
        put(ws, row, last, remark, wrap=True)
        for col in range(1, last + 1):
            restyle(ws.cell(row, col), border=BOX)
        row += 1
    if report.previous is not None:
        _previous_columns(ws, report, last + 1)
    _sign_lines(ws, row + 1, col_of)
    ws.freeze_panes = "A4"
    fit_sheet(ws)
    print_on_a4(ws, "3:3")


PREVIOUS_COLUMNS = {"上年得分": 9, "上年得分（按本年评分表）": 11, "变化": 8}


def _previous_columns(ws, report: Report, first: int) -> None:
    """上年得分 (as filed), re-scored under this year's framework where it changed, and 变化,
    right of the basis; in the 合计 row the totals, in the 等级 row the grades."""
    p, card = report.previous, report.card
    for n, (header, width) in enumerate(PREVIOUS_COLUMNS.items()):
        put(ws, 3, first + n, header, bold=True, fill=HEADER_FILL, wrap=True, border=BOX)
        ws.column_dimensions[get_column_letter(first + n)].width = width
    rows = []
    for s in card.scores:
        filed, again = p.score_of(s.indicator.id), p.rescored_of(s.indicator.id)
        base = again if p.rescored else filed
        rows.append(
            (
                None if filed is None else filed.score,
                None if again is None else again.score,
                None if base is None else s.score - base.score,
            )
        )
    rows.append((p.card.total, p.rescored and p.rescored.total, card.total - p.comparable.total))
    for row, values in enumerate(rows, start=4):
        at = row if row < 4 + len(card.scores) else row + len(card.groups)
        for n, value in enumerate(values):
            put(ws, at, first + n, value, fmt=SCORE_FORMAT, border=BOX)
    grade_row = 4 + len(card.scores) + len(card.groups) + 1
    put(ws, grade_row, first, p.card.grade, border=BOX)
    put(ws, grade_row, first + 1, p.rescored.grade if p.rescored else None, border=BOX)


# Who fills in, checks and answers for the 评分表, as a filed form is signed and stamped:
# (column, label); the labels leave room to sign after them.
SIGN_LINES = (
    ("一级指标", "填表人："),
    ("指标解释", "审核人："),
    ("评分标准", "单位负责人："),
    ("得分依据/扣分原因", "单位（盖章）：          年    月    日"),
)
SIGN_ROW_HEIGHT = 36  # points: room for a handwritten name


def _sign_lines(ws, row: int, col_of: dict[str, int]) -> None:
    """The 填表人/审核人/单位负责人/盖章 line under the table, one printed row."""
    for column, label in SIGN_LINES:
        put(ws, row, col_of[column], label, bold=True)
    ws.row_dimensions[row].height = SIGN_ROW_HEIGHT


def scoresheet_bytes(report: Report) -> bytes:
    """One unit's 评分表 (scores, bases, total, grade) and 数据表 (every figure as entered and
    every derived figure) as .xlsx bytes formatted for A4; the same report gives the same bytes."""
    wb = Workbook()
    wb.properties.creator = "selfeval"
    _score_sheet(wb.active, report)
    data_sheet(wb.create_sheet("数据表"), report)
    return workbook_bytes(wb)


def write_scoresheet(path: str | Path, report: Report) -> None:
    """Write `scoresheet_bytes(report)` to `path`, atomically."""
    write_atomic(path, scoresheet_bytes(report))
