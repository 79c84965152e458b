"""Workbook cells as a township types them, read as the schema expects them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from openpyxl.cell.cell import Cell
from openpyxl.utils.datetime import from_excel

from ..schema import _illustrative_fields, _yes_no

# --- reading: one small function per concern. What cannot be read is returned as found, so the
# --- schema refuses it with its own message (an amount in 元 gets the schema's "yuan" error).

_PLAIN = re.compile(r"[+-]?\d+(\.\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")  # 1,589.88
_MONTH = re.compile(r"(\d{4})[年/.\-](\d{1,2})月?(?:[/.\-]?(\d{1,2})日?)?")
_QUOTED = re.compile(r'"[^"]*"|\\.')  # literal text inside a number format
SERIALS = (36526, 73050)  # Excel date serials of 2000-01-01 and 2099-12-31
GENERAL = "General"  # the number format of a cell nobody formatted


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


def clean_text(value: object, *_: str) -> object:  # the number format: not read
    """Spaces (also full-width) trimmed, Windows line ends folded; a number as Excel shows it."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if _is_number(value):
        return format(excel_number(value), "f")  # an industry code 9221 typed as a number
    return value


def clean_number(value: object, number_format: str = GENERAL, percent: bool = False) -> object:
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


def clean_percent(value: object, number_format: str = GENERAL) -> object:
    return clean_number(value, number_format, percent=True)


def clean_amount(value: object, number_format: str = GENERAL) -> object:
    """An amount in 万元: a number, or text ending in 万元 (the only unit accepted). Text in 元 is
    left as it is: the schema refuses it, since read as 万元 it would be off by 10,000."""
    if isinstance(value, str):
        text = re.sub(r"\s", "", unicodedata.normalize("NFKC", value))
        if text.endswith("万元"):
            number = clean_number(text.removesuffix("万元"))
            return number if isinstance(number, Decimal) else value
    return clean_number(value, number_format)


def clean_count(value: object, *_: str) -> object:  # the number format: not read
    """A whole number (persons, units): 86.0 is 86; 86.5 is left for the schema to refuse."""
    number = clean_number(value)
    if isinstance(number, Decimal):
        return int(number) if number == number.to_integral_value() else format(number, "f")
    return number


def clean_yes_no(value: object, *_: str) -> object:  # the number format: not read
    """是/否 (有/无, yes/no, Excel's TRUE/FALSE) as True/False; anything else as found."""
    return _yes_no(clean_text(value))  # _yes_no leaves what is not text as it is


def clean_month(value: object, *_: str) -> object:  # the number format: not read
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


def clean_keys(value: object, *_: str) -> object:  # the number format: not read
    """'a;b' -> ('a', 'b'), split as the 示例数据 column is."""
    return _illustrative_fields(clean_text(value))


def clean_change(value: object, number_format: str = GENERAL) -> object:
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
    "figure_or_words": clean_percent,  # words (定性) are left as found
    "count": clean_count,
    "yesno": clean_yes_no,
    "month": clean_month,
    "keys": clean_keys,
}


def read_cell(kind: str, cell: Cell) -> object:
    """A cell's value cleaned for its kind of content."""
    return CLEAN[kind](cell.value, cell.number_format or GENERAL)


def is_blank(value: object) -> bool:
    return value is None or value == "" or value == ()
