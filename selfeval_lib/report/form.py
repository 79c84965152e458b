"""The one-page 部门整体支出绩效自评表 of a unit, as an .xlsx workbook and a Word document that
print on A4 landscape: one grid of cells (laid out as the framework's `form:` declares, filled
from the kernel's one result) written by both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..evaluate.form import FormFigures, FormLine, compute_form
from ..fmt import fmt_figure, fmt_money, fmt_pct, fmt_score, present_fig, present_text
from ..frameworks.form import FUNDS_COLUMNS, INDICATOR_COLUMNS
from ..values import NOT_STATED, Fig
from .content import Report, document_date
from .datasheet import BOX, CENTER, PCT_FORMAT
from .narrative import describe_fill_date
from .xlsx import AMOUNT_FORMAT, figure_format, print_on_a4, put, row_height, workbook_bytes
from .xlsx_styles import merge, restyle

WIDTHS = (13, 13, 22, 15, 15, 9, 9, 41)  # columns A..H, in Excel's character units (~137)
ONE_PAGE_ROWS = 20  # up to this many indicator rows, the form is fitted to one page
SCORE_FORMAT = "0.00"
FONT_NAME = "宋体"
FORM_FILE = "{unit_id}.自评表.xlsx"  # beside the unit's report (runner.output_paths)
# 10 pt text sets about 1.3 times as many characters in a column as row_height counts for 11 pt
# (seen in LibreOffice's PDF of the form): a row as tall as its wrapped lines, no taller
TEXT_SCALE = 1.3


@dataclass(frozen=True)
class Cell:
    """One cell of the form's grid: text, or a figure of a kind (amount, pct, score, figure);
    spanning `span` columns and `rows` rows; a heading cell is bold and centred."""

    value: object
    span: int = 1
    rows: int = 1
    kind: str = "text"
    head: bool = False


Row = list[tuple[int, Cell]]  # (first column, 1-based; cell)


def _shown(cell: Cell) -> tuple[object, str | None]:
    """The cell's value as the workbook stores it (a number with its format, or the word) and as
    text: one decision, present_fig's."""
    if not isinstance(cell.value, Fig):
        return cell.value, None
    fmt = {"amount": fmt_money, "pct": fmt_pct, "score": fmt_score, "figure": fmt_figure}
    return present_fig(cell.value, fmt[cell.kind]), cell.kind


def cell_text(cell: Cell) -> str:
    """The cell as the Word form prints it."""
    shown, _ = _shown(cell)
    return "" if shown is None else str(shown)


# --- the grid -----------------------------------------------------------------------------------


def _target_value(line: FormLine, value: Fig, words: str) -> Cell:
    """年度指标值 / 全年实际值 of a target: direction, number and unit in one cell (≥92257万元), a
    qualitative target's words (9月前); a framework indicator has none (不适用)."""
    shown = present_fig(value, fmt_figure, **({"na": words} if words else {}))
    if shown.value is None:
        return Cell(str(shown))
    unit = "" if line.unit is NOT_STATED or line.unit is None else str(line.unit)
    direction = "" if line.direction is NOT_STATED or value is line.actual else str(line.direction)
    return Cell(f"{direction}{shown}{unit}")


def _reason(line: FormLine) -> Cell:
    """偏差原因分析及改进措施: the unit's words; 无 where the target is met and none is given."""
    if line.reason in (None, "") and line.met:
        return Cell("无")
    return Cell(present_text(line.reason))


def _indicator_cells(line: FormLine) -> dict[str, Cell]:
    """The row's cells by column (INDICATOR_COLUMNS, in its order)."""
    cells = (
        Cell(line.level1),
        Cell(present_text(line.level2)),
        Cell(line.name),
        _target_value(line, line.goal, line.words[0]),
        _target_value(line, line.actual, line.words[1]),
        Cell(line.weight, kind="score"),
        Cell(line.score, kind="score"),
        _reason(line),
    )
    return dict(zip(INDICATOR_COLUMNS, cells, strict=True))


def _spread(cells: list[Cell], width: int = len(WIDTHS)) -> Row:
    """Cells side by side from column 1, the last one spanning to the last column."""
    row, col = [], 1
    for n, cell in enumerate(cells):
        span = width - col + 1 if n == len(cells) - 1 else cell.span
        row.append((col, Cell(cell.value, span, cell.rows, cell.kind, cell.head)))
        col += span
    return row


def _merge_runs(table: list[Row], columns: int) -> list[Row]:
    """The first `columns` cells of consecutive rows that repeat the same 一级 (and 一级 and 二级)
    merged into one, as the printed form groups them."""
    keys = [tuple(cell.value for _, cell in row[:columns]) for row in table]
    out = [dict(row) for row in table]
    for depth in range(columns):
        col = table[0][depth][0] if table else 1
        start = 0
        for n in range(1, len(table) + 1):
            if n < len(table) and keys[n][: depth + 1] == keys[start][: depth + 1]:
                continue
            if n - start > 1:
                out[start][col] = replace(out[start][col], rows=n - start)
                for below in range(start + 1, n):
                    del out[below][col]
            start = n
    return [sorted(row.items()) for row in out]


def form_title(r: Report) -> str:
    return f"（{r.unit.params.year}年度）{r.unit.framework.form.title}"


def form_grid(r: Report, figures: FormFigures) -> tuple[list[Row], int | None]:
    """The form's rows below its title, and the row (0-based) of the indicator table's header,
    which repeats on every page when the table runs past one."""
    unit, form = r.unit, r.unit.framework.form
    identity, ev = unit.facts.identity, unit.facts.evaluation
    rows: list[Row] = []
    header_row = None
    for block in form.blocks:
        if block == "header":
            rows.append(
                [
                    (1, Cell("部门（单位）名称", head=True)),
                    (2, Cell(identity.name, span=3)),
                    (5, Cell("主管部门", head=True)),
                    (6, Cell(present_text(identity.superior), span=3)),
                ]
            )
            rows.append(
                [
                    (1, Cell("填报日期", head=True)),
                    (2, Cell(describe_fill_date(unit), span=2)),
                    (4, Cell("联系人", head=True)),
                    (5, Cell(present_text(ev.contact))),
                    (6, Cell("电话", head=True, span=2)),
                    (8, Cell(present_text(ev.phone))),
                ]
            )
        elif block == "funds":
            n = len(figures.funds) + 1
            rows.append(
                [
                    (1, Cell("年度预算执行情况（万元）", rows=n, head=True)),
                    (2, Cell("项目", head=True)),
                    *((c, Cell(h, head=True)) for c, h in enumerate(FUNDS_COLUMNS, start=3)),
                ]
            )
            for f in figures.funds:
                rows.append(
                    [
                        (2, Cell(f.label, head=True)),
                        (3, Cell(f.initial, kind="amount")),
                        (4, Cell(f.budget, kind="amount")),
                        (5, Cell(f.actual, kind="amount")),
                        (6, Cell(f.weight, kind="score")),
                        (7, Cell(f.rate, kind="pct")),
                        (8, Cell(f.score, kind="score")),
                    ]
                )
        elif block == "goals":
            goals = unit.facts.goals
            rows.append(
                [
                    (1, Cell("年度总体目标", rows=2, head=True)),
                    (2, Cell("预期目标", span=4, head=True)),
                    (6, Cell("实际完成情况", span=3, head=True)),
                ]
            )
            rows.append(
                [
                    (2, Cell(present_text(goals.set), span=4)),
                    (6, Cell(present_text(goals.achieved), span=3)),
                ]
            )
        elif block == "indicators":
            columns = form.indicators.columns
            header_row = len(rows)
            rows.append(_spread([Cell(c, head=True) for c in columns]))
            table = [
                _spread([_indicator_cells(line)[c] for c in columns]) for line in figures.lines
            ]
            rows += _merge_runs(table, sum(1 for c in columns[:2] if c in INDICATOR_COLUMNS[:2]))
        elif block == "total":
            rows.append(
                [
                    (1, Cell("总分", span=5, head=True)),
                    (6, Cell(Fig(figures.weight), kind="score")),
                    (7, Cell(figures.total, kind="score")),
                    (
                        8,
                        Cell(
                            "；".join(filter(None, (f"等级：{figures.grade}", figures.cap_basis)))
                        ),
                    ),
                ]
            )
        elif block == "signatures":
            line = "　　　　".join(f"{s}：" + "　" * 6 for s in form.signatures)
            rows.append([(1, Cell(line, span=len(WIDTHS), kind="plain"))])
    return rows, header_row


# --- the workbook -------------------------------------------------------------------------------

FONT = Font(name=FONT_NAME, size=10)
HEAD_FONT = Font(name=FONT_NAME, size=10, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
FORMATS = {"amount": AMOUNT_FORMAT, "pct": PCT_FORMAT, "score": SCORE_FORMAT}


def _put_cell(ws, row: int, col: int, cell: Cell) -> None:
    shown, kind = _shown(cell)
    boxed = cell.kind != "plain"
    if kind is None:
        put(ws, row, col, shown, font=HEAD_FONT if cell.head else FONT, wrap=True)
        align = CENTER if cell.head else LEFT
    elif shown.value is None:
        put(ws, row, col, shown.text, font=FONT)
        align = CENTER
    else:
        number = shown.value / 100 if kind == "pct" else shown.value
        base = FORMATS.get(kind) or figure_format(shown.value)
        put(ws, row, col, number, fmt=shown.number_format(base), font=FONT)
        align = RIGHT
    restyle(ws.cell(row, col), alignment=align)
    for r in range(row, row + cell.rows):
        for c in range(col, col + cell.span):
            if boxed:
                restyle(ws.cell(r, c), border=BOX)
    if cell.span > 1 or cell.rows > 1:
        merge(ws, row, col, row + cell.rows - 1, col + cell.span - 1)


def _height(cells: Row) -> float:
    heights = [
        row_height(cell_text(c), sum(WIDTHS[col - 1 : col - 1 + c.span]) * TEXT_SCALE) or 15
        for col, c in cells
        if c.rows == 1
    ]
    return max([15.0, *heights]) * 10 / 11  # row_height counts 11 pt lines; the form sets 10 pt


def form_xlsx_bytes(r: Report, figures: FormFigures | None = None) -> bytes:
    """The form as .xlsx bytes: A4 landscape, one page up to ONE_PAGE_ROWS indicator rows, the
    indicator table's header repeated on every page beyond; the same report, the same bytes."""
    figures = figures or compute_form(r.unit, r.indicators, r.card)
    wb = Workbook()
    wb.properties.creator = "selfeval"
    ws = wb.active
    ws.title = "自评表"
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    put(ws, 1, 1, form_title(r), font=TITLE_FONT)
    merge(ws, 1, 1, 1, len(WIDTHS))
    restyle(ws.cell(1, 1), alignment=CENTER)
    ws.row_dimensions[1].height = 30
    rows, header_row = form_grid(r, figures)
    for n, cells in enumerate(rows, start=2):
        for col, cell in cells:
            _put_cell(ws, n, col, cell)
        ws.row_dimensions[n].height = _height(cells)
    if rows and rows[-1][0][1].kind == "plain":  # the signature line: air above it
        ws.row_dimensions[len(rows) + 1].height = 36
        restyle(ws.cell(len(rows) + 1, 1), alignment=Alignment(vertical="bottom"))
    titles = f"{header_row + 2}:{header_row + 2}" if header_row is not None else None
    print_on_a4(ws, titles, landscape=True, one_page=len(figures.lines) <= ONE_PAGE_ROWS)
    return workbook_bytes(wb)


# --- the Word document --------------------------------------------------------------------------


def form_docx_bytes(r: Report, figures: FormFigures | None = None) -> bytes:
    """The same form as a Word document, A4 landscape; the same report, the same bytes."""
    from . import docx_runs

    figures = figures or compute_form(r.unit, r.indicators, r.card)
    rows, header_row = form_grid(r, figures)
    with docx_runs.document_formats():
        return _form_docx(r, rows, header_row)


def _form_docx(r: Report, rows: list, header_row: int | None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    from . import docx_runs
    from .docx_file import docx_bytes_of, set_fonts
    from .docx_runs import grid_cell, style_id

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    normal = doc.styles["Normal"]
    set_fonts(normal, FONT_NAME, "SimSun")
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(0)
    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(form_title(r))
    run.bold, run.font.size = True, Pt(16)
    signature = rows.pop() if rows and rows[-1][0][1].kind == "plain" else None
    table = doc.add_table(rows=len(rows), cols=len(WIDTHS))
    table._tbl.tblStyle_val = style_id(doc, "Table Grid", WD_STYLE_TYPE.TABLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    scale = 267 / sum(WIDTHS)  # mm per width unit: the text width of landscape A4
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = Mm(width * scale)
    for n, cells in enumerate(rows):
        tr_pr = table.rows[n]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if n == header_row:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for col, cell in cells:
            target = grid_cell(table, n, col - 1)
            for c in range(col - 1, col - 1 + cell.span):
                grid_cell(table, n, c).width = Mm(WIDTHS[c] * scale)
            if cell.span > 1 or cell.rows > 1:
                target = docx_runs.span(table, target, cell.rows, cell.span)
            para = target.paragraphs[0]
            shown, kind = _shown(cell)
            if cell.head or (kind is not None and shown.value is None):
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif kind is not None:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            # a heading bold; the runs' formatting made once per document (docx_runs.add_runs)
            docx_runs.add_runs(para, [{"text": cell_text(cell), "bold": cell.head}])
    if signature is not None:
        para = doc.add_paragraph()
        para.paragraph_format.space_before = Pt(18)
        para.add_run(cell_text(signature[0][1]))
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = form_title(r), "selfeval", "selfeval"
    # dated as the report is: its 填报日期 (never the clock), so re-runs give the same bytes
    dated = dt.datetime.fromisoformat(document_date(r.unit))
    props.created = props.modified = props.last_printed = dated
    props.revision, props.comments, props.keywords = 1, "", ""
    return docx_bytes_of(doc)
