"""Writing .xlsx files a reader opens (the 评分表/数据表, the blank township workbook, summary.xlsx):
cells written safely, rows fitted, A4 print set-up, the same bytes for the same content."""

from __future__ import annotations

import io
import math
import os
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection
from openpyxl.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.writer.excel import ExcelWriter

from ..errors import strip_controls
from ..fileio import write_atomic
from .xlsx_styles import restyle

# --- cells --------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@")
AMOUNT_FORMAT = "#,##0.00"
BOLD = Font(bold=True)
NOTE_FONT = Font(color="595959")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GREY_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF5D6")  # where a township types: pale yellow
LOCKED, UNLOCKED = Protection(locked=True), Protection(locked=False)


def write_cell(cell: Cell, value: object) -> None:
    """Put a value in a cell. Text is always stored as text, never as a formula (=, +, -, @)."""
    if isinstance(value, str):
        value = strip_controls(value)  # no control, escape or bidi character in a workbook
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited


WRAP_TOP = Alignment(wrap_text=True, vertical="top")
NO_WRAP = Alignment(wrap_text=False, vertical=None)


def put(
    ws,
    row: int,
    col: int,
    value: object = None,
    *,
    locked: bool = True,
    fmt: str | None = None,
    bold: bool = False,
    fill: PatternFill | None = None,
    wrap: bool = False,
    font: Font | None = None,
    border: Border | None = None,
) -> Cell:
    """Write one styled cell."""
    cell = ws.cell(row, col)
    write_cell(cell, value)
    styles: dict[str, object] = {"protection": LOCKED if locked else UNLOCKED}
    if fmt:
        styles["number_format"] = fmt
    if bold or font:
        styles["font"] = font or BOLD
    if fill:
        styles["fill"] = fill
    styles["alignment"] = WRAP_TOP if wrap else NO_WRAP
    if border:
        styles["border"] = border
    return restyle(cell, **styles)


def row_height(text: object, width: float) -> float | None:
    """Row height (points) for wrapped Chinese text in a column `width` characters wide."""
    if not isinstance(text, str) or not text:
        return None
    usable = max(2.0, width - 1.0)  # the cell's own padding
    lines = 0
    for line in text.split("\n"):
        # a Chinese character (or full-width sign) takes about two width units, others 1.1
        units = sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in line)
        lines += max(1, math.ceil(units / usable))
    # 17 points a line: CJK fonts set 11 pt text about 16 points apart in Excel and LibreOffice
    return min(409, 17.0 * lines + 3)


def text_width(text: str) -> float:
    """Width in Excel's character units: a Chinese character about two, others about one."""
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def fit_sheet(ws, max_width: float = 40.0) -> None:
    """Columns wide enough for their longest unwrapped text (a name is never cut), and rows tall
    enough for every wrapped line of their cells (merged cells count their whole width)."""
    from openpyxl.utils import get_column_letter

    spans, merged = {}, set()  # top-left cell of a merge -> its columns; every merged cell
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.min_col, rng.max_col)
        merged.update(rng.cells)

    def width(col: int) -> float:
        return ws.column_dimensions[get_column_letter(col)].width or 8.43

    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or cell.alignment.wrap_text:
                continue
            need = min(max_width, text_width(cell.value) + 2)
            if (cell.row, cell.column) in merged:  # a merged cell wraps within its columns
                first, last = spans.get((cell.row, cell.column), (cell.column, cell.column))
                if need > sum(width(c) for c in range(first, last + 1)):
                    old = cell.alignment
                    cell.alignment = Alignment(
                        horizontal=old.horizontal, vertical=old.vertical or "top", wrap_text=True
                    )
                continue
            if need > width(cell.column):
                ws.column_dimensions[get_column_letter(cell.column)].width = need
    for row in ws.iter_rows():
        heights = []
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            if (cell.row, cell.column) in merged and (cell.row, cell.column) not in spans:
                continue
            first, last = spans.get((cell.row, cell.column), (cell.column, cell.column))
            heights.append(row_height(cell.value, sum(width(c) for c in range(first, last + 1))))
        if heights:
            dim = ws.row_dimensions[row[0].row]
            dim.height = max([dim.height or 0, *(h for h in heights if h)])


def figure_format(value: object) -> str:
    """A number format that shows a figure's own decimals: 1712.3764 -> '#,##0.0000'."""
    if not isinstance(value, Decimal) or value.as_tuple().exponent >= 0:
        return "#,##0"
    return "#,##0." + "0" * -value.as_tuple().exponent


def print_on_a4(ws, title_rows: str, landscape: bool = True, one_page: bool = False) -> None:
    """A4, fitted to the page width (and height with `one_page`), `title_rows` repeated on every
    page, page numbers below."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


STAMP = datetime(2000, 1, 1)  # the only time inside a written workbook: same content, same bytes


class _StampedZip(ZipFile):
    """A zip whose entries carry STAMP instead of the time they were written."""

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=STAMP.timetuple()[:6])
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):  # openpyxl writes sheets this way
        self.writestr(arcname or os.path.basename(filename), Path(filename).read_bytes())


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx file of a workbook, byte-identical for identical content: openpyxl's own save
    stamps the clock into docProps/core.xml and every zip entry."""
    wb.properties.created = wb.properties.modified = STAMP
    buf = io.BytesIO()
    with _StampedZip(buf, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return buf.getvalue()


def save_workbook(wb: Workbook, path: str | Path) -> None:
    write_atomic(path, workbook_bytes(wb))
