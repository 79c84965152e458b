"""The data contract as one Excel workbook per unit: a template to fill in, its reader, its import."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import typing
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zipfile import BadZipFile

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError

from .contract import (
    RawUnit,
    Where,
    header_problems,
    key_where,
    narrative_problems,
    validate_mapping,
    validate_records,
)
from .errors import DataError, ParamsError, ValidationErrors
from .framework import Framework, load_framework
from .params import Params, describe_pydantic_error
from .schema import (
    NARRATIVE_OPTIONAL,
    NARRATIVE_REQUIRED,
    TABLES,
    Management,
    TeamMember,
    UnitFacts,
    _illustrative_fields,
    _yes_no,
)
from .workbook_layout import (
    COLUMN_KINDS,
    GUIDE,
    GUIDE_LINES,
    HINTS,
    MANAGEMENT_NOTE,
    NARRATIVE_NOTE,
    PROJECTS_HEADER,
    SHEETS,
    TABLE_NOTES,
    UNIT_NOTE,
    WIDTHS,
    unit_rows,
)

if typing.TYPE_CHECKING:
    from .data import UnitData

# --- cells as a workbook holds them -> values the schema reads (one function per concern) -------


class CellError(ValueError):
    """A cell that must not be read as it stands (an amount in 元); the message is bilingual."""


_PLAIN = re.compile(r"[+-]?\d+(\.\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")  # 1,589.88
_MONTH = re.compile(r"(\d{4})[年/.\-](\d{1,2})月?(?:[/.\-]?(\d{1,2})日?)?")
_QUOTED = re.compile(r'"[^"]*"|\\.')  # literal text inside a number format
SERIALS = (36526, 73050)  # Excel date serials of 2000-01-01 and 2099-12-31


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
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return format(excel_number(value), "f")  # industry code 9221 typed as a number
    return value


def clean_number(value: object, number_format: str = "General", percent: bool = False) -> object:
    """A number from a cell, also typed as text with thousands separators or full-width digits.

    In a percent column (增长率, target figures, rate facts) values are percentage points: "93%"
    is 93, and a %-formatted cell is read as shown (Excel keeps 93% as 0.93, read as 93). A plain
    0.93 stays 0.93 (percent). What cannot be read is returned as found, for the schema to refuse.
    """
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
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
    """An amount in 万元: a number, or text ending in 万元. 元 alone is refused: off by 10,000."""
    if isinstance(value, str):
        text = re.sub(r"\s", "", unicodedata.normalize("NFKC", value))
        if text.endswith("万元"):
            number = clean_number(text[:-2])
            return number if isinstance(number, Decimal) else value
        if text.endswith("元"):
            raise CellError(
                f'"{value}" 以元为单位;金额一律以万元填写(否则差一万倍),只填万元数,如 1589.88 / '
                f'"{value}" is in 元 (yuan): amounts are in 万元 (10,000 yuan), a figure in 元 '
                "would be off by 10,000; write the number of 万元 only, e.g. 1589.88"
            )
    return clean_number(value, number_format)


def clean_count(value: object, number_format: str = "General") -> object:
    """A whole number (persons, units); 86.0 is 86, 86.5 is left for the schema to refuse."""
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

    Excel turns a typed 2025-11 into the date 2025-11-01, so a date cell on day 1 is the month;
    another day gives 'YYYY-MM-DD'. What cannot be read is left for the schema to refuse.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        if SERIALS[0] <= value <= SERIALS[1]:
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


CLEAN: dict[str, Callable[[object, str], object]] = {
    "text": clean_text,
    "code": clean_text,
    "choice": clean_text,
    "fixed": clean_text,
    "amount": clean_amount,
    "number": clean_number,
    "figure": clean_percent,
    "count": clean_count,
    "yesno": clean_yes_no,
    "month": clean_month,
    "keys": clean_keys,
}


def _clean(kind: str, cell: Cell) -> object:
    return CLEAN[kind](cell.value, cell.number_format or "General")


def _blank(value: object) -> bool:
    return value is None or value == "" or value == ()


# --- reading ------------------------------------------------------------------------------------


def _header_text(ws, row: int, col: int, tops: dict) -> str:
    """Header text of a cell; a merged header is read from its range's top-left (same column)."""
    cell = ws.cell(row, col)
    if isinstance(cell, MergedCell):
        top = tops.get((row, col))
        cell = ws.cell(*top) if top and top[1] == col else None
    value = cell.value if cell is not None else None
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(value))) if value is not None else ""


def _merged_tops(ws) -> dict[tuple[int, int], tuple[int, int]]:
    return {
        (r, c): (rng.min_row, rng.min_col)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    }


def _find_header(ws, names, first: int = 1, last: int = 10) -> tuple[int | None, dict[int, str]]:
    """The row (of first..last) naming most of `names`; its texts by column."""
    tops, best = _merged_tops(ws), (None, {}, 0)
    for row in range(first, min(last, ws.max_row) + 1):
        texts = {c: _header_text(ws, row, c, tops) for c in range(1, ws.max_column + 1)}
        hits = sum(t in names for t in texts.values())
        if hits > best[2]:
            best = (row, texts, hits)
    return best[0], best[1]


def _row_where(sheet: str, row: int, letters: dict[str, str]) -> Where:
    """'收支情况!F7 列"本年支出" / column "本年支出"' for one row of a sheet."""

    def where(column: str) -> str:
        if column in letters:
            return f'{sheet}!{letters[column]}{row} 列"{column}" / column "{column}"'
        if column:
            return f'{sheet} 第{row}行 列"{column}" / row {row}, column "{column}"'
        return f"{sheet} 第{row}行 / row {row}"

    return where


def _read_table(ws, sheet: str, part: str, warnings: list[str]):
    model = TABLES[part]
    aliases = [f.alias for f in model.model_fields.values()]
    row, texts = _find_header(ws, aliases)
    if row is None:
        return None, (), None, [f"{sheet}: 找不到表头行 / no header row; 表头应为 / expected: {','.join(aliases)}"]
    columns, problems = {}, []
    for col, text in texts.items():
        ref = f"{sheet}!{get_column_letter(col)}{row}"
        if text in columns:
            problems.append(f'{ref}: 列"{text}"重复 / column "{text}" appears twice')
        elif text in aliases:
            columns[text] = col
        elif text:
            warnings.append(f'{ref}: 未知列"{text}"已忽略 / unknown column "{text}" ignored')
    problems += [f"{sheet} 第{row}行 / row {row}: {p}" for p in header_problems(list(columns), model, True)]
    if problems:
        return None, (), None, problems
    letters = {a: get_column_letter(c) for a, c in columns.items()}
    records = []
    for r in range(row + 1, ws.max_row + 1):
        cells = {a: ws.cell(r, c) for a, c in columns.items()}
        if all(_blank(clean_text(c.value)) for c in cells.values()):
            continue  # blank row between data
        where, record = _row_where(sheet, r, letters), {}
        for alias, cell in cells.items():
            try:
                value = _clean(COLUMN_KINDS.get(alias, "text"), cell)
            except CellError as exc:
                problems.append(f"{where(alias)}: {exc}")
                value = Decimal(0)  # the row is reported already; validate its other cells
            record[alias] = "" if value is None else value
        records.append((where, record))
    models, wheres, bad = validate_records(model, records)
    return models, wheres, None, problems + bad


def _key_where(sheet: str, cells: dict[str, str]) -> Callable[[str], str]:
    """'基本情况!B7 键 / key staffing.in_service': the cell of a key, or of its nearest parent."""

    def where(key: str) -> str:
        parts = key.split(".")
        found = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
        ref = next((cells[k] for k in found if k in cells), None)
        ref = ref or next((c for k, c in cells.items() if k.startswith(key + ".")), None)
        return f"{sheet}!{ref} {key_where(key)}" if ref else f"{sheet} {key_where(key)}"

    return where


def _keyed(ws, sheet: str) -> tuple[dict[str, Cell], list[str]]:
    """Rows of a 项目/内容/键 sheet: key -> its 内容 cell."""
    row, texts = _find_header(ws, ("项目", "内容", "键"))
    cols = {t: c for c, t in texts.items()}
    if row is None or "键" not in cols or "内容" not in cols:
        return {}, [f"{sheet}: 找不到表头行(项目、内容、键) / header row 项目, 内容, 键 not found"]
    entries, problems = {}, []
    for r in range(row + 1, ws.max_row + 1):
        key = clean_text(ws.cell(r, cols["键"]).value)
        if _blank(key) or not isinstance(key, str):
            continue
        if key in entries:
            problems.append(f"{sheet}!{get_column_letter(cols['键'])}{r}: 键 {key} 重复 / key appears twice")
        entries[key] = ws.cell(r, cols["内容"])
    return entries, problems


def _nest(data: dict, key: str, value: object) -> None:
    *parents, leaf = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[leaf] = value


def _read_unit(ws, sheet: str, warnings: list[str]):
    entries, problems = _keyed(ws, sheet)
    kinds = {k: kind for k, _, kind in unit_rows(1)}
    data, team, cells = {}, {}, {}
    for key, cell in entries.items():
        slot = re.fullmatch(r"evaluation\.team\.(\d+)\.(\w+)", key)
        if key.startswith("params."):
            continue  # the year and framework belong to the params file (see import_workbook)
        try:
            value = _clean(kinds.get(re.sub(r"\.\d+\.", ".1.", key), "text"), cell)
        except CellError as exc:
            problems.append(f"{sheet}!{cell.coordinate} {key_where(key)}: {exc}")
            continue
        if slot:
            cells.setdefault("evaluation.team", cell.coordinate)
            if not _blank(value):
                team.setdefault(int(slot[1]), {})[slot[2]] = (value, cell.coordinate)
            continue
        cells[key] = cell.coordinate
        if not _blank(value):
            _nest(data, key, value)
    for i, n in enumerate(sorted(team)):
        member = {field: v for field, (v, _) in team[n].items()}
        data.setdefault("evaluation", {}).setdefault("team", []).append(member)
        cells.update({f"evaluation.team.{i}.{f}": ref for f, (_, ref) in team[n].items()})
    where = _key_where(sheet, cells)
    value, bad = validate_mapping(UnitFacts, data, where)
    return value, (), where, problems + bad


def _read_management(ws, sheet: str, warnings: list[str]):
    entries, problems = _keyed(ws, sheet)
    data, cells = {}, {}
    for key, cell in entries.items():
        cells[key] = cell.coordinate
        value = clean_yes_no(cell.value)
        if not isinstance(value, bool):
            value = _clean("figure", cell)
            label = str(ws.cell(cell.row, 1).value or "")
            pct = key.endswith("_pct") or "%" in label
            if pct and isinstance(value, Decimal) and 0 < value < 1:
                warnings.append(
                    f"{sheet}!{cell.coordinate} {key_where(key)}: {value} 读作 {value}%;若指 "
                    f"{value * 100:g}% 请填 {value * 100:g} / read as {value}%; for "
                    f"{value * 100:g}% write {value * 100:g}"
                )
        if not _blank(value):
            _nest(data, key, value)
    top = next((r for r in range(1, ws.max_row + 1) if _header_text(ws, r, 1, {}) == PROJECTS_HEADER[0]), None)
    if top is None:
        problems.append(f'{sheet}: 找不到"{PROJECTS_HEADER[0]}"表头 / header "{PROJECTS_HEADER[0]}" not found')
    projects = data.setdefault("new_projects", [])
    for r in range(top + 1 if top else ws.max_row + 1, ws.max_row + 1):
        name, flag = ws.cell(r, 1), ws.cell(r, 2)
        n, f = clean_text(name.value), clean_yes_no(flag.value)
        if _blank(n) and _blank(f):
            continue
        cells[f"new_projects.{len(projects)}.name"] = name.coordinate
        cells[f"new_projects.{len(projects)}.pre_assessed"] = flag.coordinate
        projects.append({"name": "" if n is None else n, "pre_assessed": "" if f is None else f})
    where = _key_where(sheet, cells)
    value, bad = validate_mapping(Management, data, where)
    return value, (), where, problems + bad


def _read_narrative(ws, sheet: str, warnings: list[str]):
    row, texts = _find_header(ws, ("章节", "内容"))
    cols = {t: c for c, t in texts.items()}
    if row is None or "章节" not in cols or "内容" not in cols:
        return None, (), None, [f"{sheet}: 找不到表头行(章节、内容) / header row 章节, 内容 not found"]
    sections, rows, problems = {}, {}, []
    for r in range(row + 1, ws.max_row + 1):
        title, body = ws.cell(r, cols["章节"]), ws.cell(r, cols["内容"])
        t, text = clean_text(title.value), clean_text(body.value)
        t = str(t).replace("：", ":") if not _blank(t) else ""
        text = "" if _blank(text) else str(text)
        if not t:
            if text:
                problems.append(f"{sheet}!{title.coordinate}: 内容缺少章节名 / text without a section title")
            continue
        if t in sections:
            problems.append(f'{sheet}!{title.coordinate}: 重复的章节 "{t}" / duplicate section')
        if any(line.startswith("## ") for line in text.splitlines()):
            problems.append(
                f'{sheet}!{body.coordinate}: 内容中不能有以"## "开头的行(那是章节标题) / '
                'a line may not start with "## " (that starts a section); use **粗体** for sub-headings'
            )
        sections[t], rows[t] = text, body.coordinate
    problems += narrative_problems(sections, lambda t: f"{sheet}!{rows[t]}" if t in rows else sheet)
    return (None if problems else sections), (), None, problems


READERS = {
    "unit.yaml": _read_unit,
    "management.yaml": _read_management,
    "narrative.md": _read_narrative,
}


def _sheets(wb, path: Path, raw: RawUnit) -> tuple[dict, list[str]]:
    """The workbook's sheets by expected name (spaces and full-width forms forgiven)."""
    found = {re.sub(r"\s", "", unicodedata.normalize("NFKC", ws.title)): ws for ws in wb.worksheets}
    expected = [GUIDE, *SHEETS.values()]
    missing = [s for s in SHEETS.values() if s not in found]
    raw.warnings += [f"{path}: 未知工作表“{w.title}”已忽略 / unknown sheet ignored" for n, w in found.items() if n not in expected]
    problems = [
        f'缺少工作表"{s}" / missing sheet "{s}"; 应有的工作表 / expected sheets: {"、".join(expected)};'
        f' 现有 / found: {"、".join(ws.title for ws in wb.worksheets)}'
        for s in missing
    ]
    return found, problems


def read_workbook(path: str | Path) -> RawUnit:
    """Every part of a unit workbook, validated through the schema; problems collected, not raised."""
    path = Path(path)
    raw = RawUnit(files=[path])
    for part, sheet in SHEETS.items():
        raw.labels[part] = f"{path}!{sheet}"
        raw.keys[part] = lambda key, s=sheet: f"{s} {key_where(key)}"
    try:
        wb = load_workbook(path, data_only=True)  # formulas are read as Excel last computed them
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raw.errors.append(
            DataError(
                str(path),
                [f"无法打开工作簿,请用 Excel 另存为 .xlsx / cannot open the workbook ({exc}); save it as .xlsx"],
            )
        )
        return raw
    sheets, problems = _sheets(wb, path, raw)
    for part, sheet in SHEETS.items():
        if sheet not in sheets:
            continue
        reader = READERS.get(part, lambda ws, s, w, p=part: _read_table(ws, s, p, w))
        value, wheres, where, bad = reader(sheets[sheet], sheet, raw.warnings)
        problems += bad
        raw.keys[part] = where or raw.keys[part]
        if value is not None and not bad:
            raw.parts[part], raw.rows[part] = value, wheres
    if problems:
        raw.errors.append(DataError(str(path), problems))
    return raw
