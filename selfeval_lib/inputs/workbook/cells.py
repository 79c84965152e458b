"""Workbook cells: messy values read as the schema expects them, and values written safely."""

from __future__ import annotations

import io
import math
import os
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.writer.excel import ExcelWriter

from ...errors import strip_controls
from ...fileio import write_atomic
from ..schema import _illustrative_fields, _yes_no
from .styles import restyle

# --- reading: one small function per concern. What cannot be read is returned as found, so the
# --- schema refuses it with its own message (an amount in 元 gets the schema's "yuan" error).

_PLAIN = re.compile(r"[+-]?\d+(\.\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")  # 1,589.88
_MONTH = re.compile(r"(\d{4})[年/.\-](\d{1,2})月?(?:[/.\-]?(\d{1,2})日?)?")
_QUOTED = re.compile(r'"[^"]*"|\\.')  # literal text inside a number format
SERIALS = (36526, 73050)  # Excel date serials of 2000-01-01 and 2099-12-31


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def excel_number(value: int | float | Decimal) -> Decimal:
    """A number cell as Excel shows it, to 15 significant digits: 1589.8799999999999 -> 1589.88."""
    return Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)


def format_places(number_format: str) -> int:
    """Decimal places a number format shows: '#,##0.00' -> 2, '0.0%' -> 1, 'General' -> 0."""
    match = re.search(r"\.(0+)", _QUOTED.sub("", number_format.split(";")[0]))
    return len(match.group(1)) if match else 0


def is_percent_format(number_format: str) -> bool:
    """'0%' and '0.00%' scale by 100; a quoted "%" is only a label."""
    return "%" in _QUOTED.sub("", number_format)


def _pad(number: Decimal, places: int) -> Decimal:
    """Keep the zeros a cell shows (1380 in '#,##0.00' is 1380.00); never cut digits."""
    step = Decimal(1).scaleb(-places)
    return number.quantize(step) if number.as_tuple().exponent > -places else number


def clean_text(value: object, number_format: str = "General") -> object:
    """Spaces (also full-width) trimmed, Windows line ends folded; a number as Excel shows it."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if _is_number(value):
        return format(excel_number(value), "f")  # an industry code 9221 typed as a number
    return value


def clean_number(value: object, number_format: str = "General", percent: bool = False) -> object:
    """A number from a cell, also typed as text with thousands separators or full-width digits.

    In a percent column (增长率, target figures, rate facts) values are percentage points: "93%"
    is 93, and a %-formatted cell is read as it shows (Excel keeps 93% as 0.93: read as 93).
    A plain 0.93 stays 0.93 (percent).
    """
    if _is_number(value):
        number = excel_number(value)
        if percent and is_percent_format(number_format):
            number = (number * 100).normalize()
        return _pad(number, format_places(number_format))
    if not isinstance(value, str):
        return value
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", value))
    if percent and text.endswith("%"):
        text = text[:-1]
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    return Decimal(text) if _PLAIN.fullmatch(text) else value


def clean_percent(value: object, number_format: str = "General") -> object:
    return clean_number(value, number_format, percent=True)


def clean_amount(value: object, number_format: str = "General") -> object:
    """An amount in 万元: a number, or text ending in 万元 (the only unit accepted). Text in 元 is
    left as it is: the schema refuses it, since read as 万元 it would be off by 10,000."""
    if isinstance(value, str):
        text = re.sub(r"\s", "", unicodedata.normalize("NFKC", value))
        if text.endswith("万元"):
            number = clean_number(text.removesuffix("万元"))
            return number if isinstance(number, Decimal) else value
    return clean_number(value, number_format)


def clean_count(value: object, number_format: str = "General") -> object:
    """A whole number (persons, units): 86.0 is 86; 86.5 is left for the schema to refuse."""
    number = clean_number(value)
    if isinstance(number, Decimal):
        return int(number) if number == number.to_integral_value() else format(number, "f")
    return number


def clean_yes_no(value: object, number_format: str = "General") -> object:
    """是/否 (有/无, yes/no, Excel's TRUE/FALSE) as True/False; anything else as found."""
    value = clean_text(value)
    return _yes_no(value) if isinstance(value, str) else value


def clean_month(value: object, number_format: str = "General") -> object:
    """填报日期 as 'YYYY-MM': a date cell, an Excel date serial, 2025年11月, 2025/11, 2025.11.

    Excel turns a typed 2025-11 into the date 2025-11-01, so a date on day 1 is read as its
    month; another day gives 'YYYY-MM-DD' (so does text that names the day).
    """
    if _is_number(value) and SERIALS[0] <= value <= SERIALS[1]:
        value = from_excel(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()[:7] if value.day == 1 else value.isoformat()
    text = clean_text(value)
    match = _MONTH.fullmatch(unicodedata.normalize("NFKC", text)) if isinstance(text, str) else None
    if not match:
        return text
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def clean_keys(value: object, number_format: str = "General") -> object:
    """'a;b' -> ('a', 'b'), split as the 示例数据 column is."""
    return _illustrative_fields(clean_text(value))


def clean_change(value: object, number_format: str = "General") -> object:
    """A signed amount in 万元 (an increase or, negative, a decrease)."""
    return clean_amount(value, number_format)


CLEAN: dict[str, Callable[[object, str], object]] = {
    "text": clean_text,
    "code": clean_text,
    "choice": clean_text,
    "fixed": clean_text,
    "amount": clean_amount,
    "change": clean_change,
    "number": clean_number,
    "figure": clean_percent,
    "count": clean_count,
    "yesno": clean_yes_no,
    "month": clean_month,
    "keys": clean_keys,
}


def read_cell(kind: str, cell: Cell) -> object:
    """A cell's value cleaned for its kind of content."""
    return CLEAN[kind](cell.value, cell.number_format or "General")


def is_blank(value: object) -> bool:
    return value is None or value == "" or value == ()


# --- writing ------------------------------------------------------------------------------------

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
