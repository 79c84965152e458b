"""Read a unit workbook: every sheet through the same schema as a data folder, every problem with its cell."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils import get_column_letter

from ...errors import DataError, excerpt, shown_path
from ...values import NOT_STATED_WORD, is_not_stated_text
from ..contract import (
    RawUnit,
    Where,
    header_problems,
    key_where,
    known_section,
    narrative_problems,
    percent_hint,
    section_heading,
    section_title,
    validate_mapping,
    validate_records,
)
from ..limits import limits, over_limit, readable_file
from ..schema import NONE_WORD, TABLES, Management, UnitFacts, is_none_word
from .cells import clean_text, clean_yes_no, is_blank, read_cell
from .concealed import (
    concealed_cells,
    formulas_without_values,
    hidden_sheet,
    row_problems,
    unopenable,
)
from .layout import COLUMN_KINDS, GUIDE, PROJECTS_HEADER, SHEETS, unit_rows


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
        cell: (rng.min_row, rng.min_col) for rng in ws.merged_cells.ranges for cell in rng.cells
    }


def used_rows(ws, after: int = 0) -> list[int]:
    """Rows below `after` that hold a value, in order. A workbook stores only its filled cells, so
    a stray cell far away costs one row here, never a loop over the empty range between."""
    rows = sorted({r for (r, _), cell in ws._cells.items() if r > after and cell.value is not None})
    return rows  # ws._cells: openpyxl's own cell store (openpyxl is pinned; see the lock)


def _used_columns(ws, rows: range) -> int:
    return max(
        (c for (r, c), cell in ws._cells.items() if r in rows and cell.value is not None), default=0
    )


HEADER_COLUMNS = 200  # a header row is read up to this column, whatever stray cells lie beyond


def _find_header(ws, names, first: int = 1, last: int = 10) -> tuple[int | None, dict[int, str]]:
    """The row (of first..last) naming most of `names`; its texts by column."""
    tops, best = _merged_tops(ws), (None, {}, 0)
    width = min(_used_columns(ws, range(first, last + 1)), HEADER_COLUMNS)
    for row in range(first, min(last, ws.max_row) + 1):
        texts = {c: _header_text(ws, row, c, tops) for c in range(1, width + 1)}
        hits = sum(t in names for t in texts.values())
        if hits > best[2]:
            best = (row, texts, hits)
    return best[0], best[1]


def _past_limit(sheet: str, rows: list[int], column: int = 1) -> str:
    """'' if a table's data rows are within the row limit, else the problem naming the cell of
    the first row past it: the table is refused whole, never cut short silently."""
    limit = limits().rows
    if len(rows) <= limit:
        return ""
    return (
        f"{sheet}!{get_column_letter(column)}{rows[limit]}: 第{limit + 1}个数据行 / data row "
        f"{limit + 1}: {over_limit('rows', len(rows))}"
    )


def _row_where(sheet: str, row: int, letters: dict[str, str]) -> Where:
    """'收支情况!F7 列"本年支出" / column "本年支出"' for one row of a sheet."""

    def where(column: str) -> str:
        if column in letters:
            return f'{sheet}!{letters[column]}{row} 列"{column}" / column "{column}"'
        if column:
            return f'{sheet} 第{row}行 列"{column}" / row {row}, column "{column}"'
        return f"{sheet} 第{row}行 / row {row}"

    return where


def _read_table(ws, sheet: str, part: str, warnings: list[str], nones: list | None = None):
    model = TABLES[part]
    aliases = [f.alias for f in model.model_fields.values()]
    row, texts = _find_header(ws, aliases)
    if row is None:
        return (
            None,
            (),
            None,
            [f"{sheet}: 找不到表头行 / no header row; 表头应为 / expected: {','.join(aliases)}"],
        )
    columns, problems = {}, []
    for col, text in texts.items():
        ref = f"{sheet}!{get_column_letter(col)}{row}"
        if text in columns:
            problems.append(
                f'{ref}: 列"{excerpt(text)}"重复 / column "{excerpt(text)}" appears twice'
            )
        elif text in aliases:
            columns[text] = col
        elif text:
            warnings.append(
                f'{ref}: 未知列"{excerpt(text)}"已忽略 / unknown column "{excerpt(text)}" ignored'
            )
    problems += [
        f"{sheet} 第{row}行 / row {row}: {p}" for p in header_problems(list(columns), model)
    ]
    if problems:
        return None, (), None, problems
    letters = {a: get_column_letter(c) for a, c in columns.items()}
    records, rows = [], used_rows(ws, row)
    if too_many := _past_limit(sheet, rows, min(columns.values())):
        return None, (), None, [too_many]
    concealed = concealed_cells(ws)
    for r in rows:
        cells = {a: ws.cell(r, c) for a, c in columns.items()}
        if all(is_blank(clean_text(c.value)) for c in cells.values()):
            continue  # blank row between data
        problems += row_problems(ws, sheet, r, list(cells.values()), concealed)
        where, record = _row_where(sheet, r, letters), {}
        for alias, cell in cells.items():
            value = read_cell(COLUMN_KINDS.get(alias, "text"), cell)
            record[alias] = "" if value is None else value
        records.append((where, record))
    models, wheres, bad = validate_records(model, records, nones)
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


def keyed_rows(ws, sheet: str) -> tuple[dict[str, Cell], list[str]]:
    """Rows of a 项目/内容/键 sheet: key -> its 内容 cell."""
    row, texts = _find_header(ws, ("项目", "内容", "键"))
    cols = {t: c for c, t in texts.items()}
    if row is None or "键" not in cols or "内容" not in cols:
        return {}, [
            f"{sheet}: 找不到表头行（项目、内容、键） / header row 项目, 内容, 键 not found"
        ]
    rows = [r for r in used_rows(ws, row) if not is_blank(ws.cell(r, cols["键"]).value)]
    if too_many := _past_limit(sheet, rows, cols["键"]):
        return {}, [too_many]
    entries, problems, concealed = {}, [], concealed_cells(ws)
    for r in rows:
        key = clean_text(ws.cell(r, cols["键"]).value)
        if is_blank(key) or not isinstance(key, str):
            continue
        problems += row_problems(ws, sheet, r, [ws.cell(r, cols["内容"])], concealed)
        if key in entries:
            problems.append(
                f"{sheet}!{get_column_letter(cols['键'])}{r}: 键 {key} 重复 / key appears twice"
            )
        entries[key] = ws.cell(r, cols["内容"])
    return entries, problems


def _nest(data: dict, key: str, value: object) -> None:
    """data['a']['b'] = value for key 'a.b'; a blank value only creates the parents, so a missing
    key is reported as itself (identity.name), not as its whole section."""
    *parents, leaf = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    if not is_blank(value):
        data[leaf] = value


def _read_unit(ws, sheet: str, warnings: list[str]):
    entries, problems = keyed_rows(ws, sheet)
    if problems and not entries:  # no header, or past the row limit: nothing else to say
        return None, (), None, problems
    kinds = {k: kind for k, _, kind in unit_rows(1)}
    data, team, cells = {}, {}, {}
    for key, cell in entries.items():
        if key == "params.year":  # the year the workbook's data is for: checked against params
            year = read_cell("count", cell)
            if not is_blank(year):
                cells["year"] = cell.coordinate
                data["year"] = year
            continue
        if key.startswith("params."):
            continue  # the framework belongs to the params file (see import_workbook)
        value = read_cell(kinds.get(re.sub(r"\.\d+\.", ".1.", key), "text"), cell)
        slot = re.fullmatch(r"evaluation\.team\.(\d+)\.(\w+)", key)  # member n, counted from 1
        if slot:
            cells.setdefault("evaluation.team", cell.coordinate)
            if not is_blank(value):
                team.setdefault(int(slot[1]), {})[slot[2]] = (value, cell.coordinate)
            continue
        cells[key] = cell.coordinate
        _nest(data, key, value)
    given = [v for member in team.values() for v, _ in member.values()]
    for word, said in ((NOT_STATED_WORD, is_not_stated_text), (NONE_WORD, is_none_word)):
        if given and all(said(v) for v in given):  # the whole team is 未填报, or 无 (none formed)
            _nest(data, "evaluation.team", word)
            team = {}
    for i, n in enumerate(sorted(team)):
        member = {field: v for field, (v, _) in team[n].items()}
        data.setdefault("evaluation", {}).setdefault("team", []).append(member)
        cells.update({f"evaluation.team.{i}.{f}": ref for f, (_, ref) in team[n].items()})
    where = _key_where(sheet, cells)
    value, bad = validate_mapping(UnitFacts, data, where)
    return value, (), where, problems + bad


def _read_management(ws, sheet: str, warnings: list[str]):
    entries, problems = keyed_rows(ws, sheet)
    if problems and not entries:  # no header, or past the row limit: nothing else to say
        return None, (), None, problems
    data, cells = {}, {}
    for key, cell in entries.items():
        cells[key] = cell.coordinate
        # 是/否 is left as typed: the schema reads it (schema._fact_value)
        value = read_cell("figure", cell)
        label = str(ws.cell(cell.row, 1).value or "")
        if hint := percent_hint(f"{sheet}!{cell.coordinate}", key, value, "%" in label):
            warnings.append(hint)
        _nest(data, key, value)
    top = next(
        (r for r in used_rows(ws) if _header_text(ws, r, 1, {}) == PROJECTS_HEADER[0]),
        None,
    )
    if top is None:
        problems.append(
            f'{sheet}: 找不到"{PROJECTS_HEADER[0]}"表头 / header "{PROJECTS_HEADER[0]}" not found'
        )
    projects, rows = [], used_rows(ws, top) if top else []
    if too_many := _past_limit(sheet, rows):
        problems.append(too_many)
        rows = []
    concealed = concealed_cells(ws)
    for r in rows:
        name, flag = ws.cell(r, 1), ws.cell(r, 2)
        n, f = clean_text(name.value), clean_yes_no(flag.value)
        if is_blank(n) and is_blank(f):
            continue
        problems += row_problems(ws, sheet, r, [name, flag], concealed)
        cells[f"new_projects.{len(projects)}.name"] = name.coordinate
        cells[f"new_projects.{len(projects)}.pre_assessed"] = flag.coordinate
        projects.append({"name": "" if n is None else n, "pre_assessed": "" if f is None else f})
    if not projects or (len(projects) == 1 and is_not_stated_text(projects[0]["name"])):
        data["new_projects"] = NOT_STATED_WORD  # an empty table, or 未填报: not stated
    elif len(projects) == 1 and projects[0] == {"name": NONE_WORD, "pre_assessed": ""}:
        data["new_projects"] = []  # "无" alone in the table: the clerk's way to say there are none
    else:
        data["new_projects"] = projects
    where = _key_where(sheet, cells)
    value, bad = validate_mapping(Management, data, where)
    return value, (), where, problems + bad


def _read_narrative(ws, sheet: str, warnings: list[str]):
    row, texts = _find_header(ws, ("章节", "内容"))
    cols = {t: c for c, t in texts.items()}
    if row is None or "章节" not in cols or "内容" not in cols:
        return (
            None,
            (),
            None,
            [f"{sheet}: 找不到表头行（章节、内容） / header row 章节, 内容 not found"],
        )
    lines = used_rows(ws, row)
    if too_many := _past_limit(sheet, lines, cols["章节"]):
        return None, (), None, [too_many]
    sections, rows, problems, concealed = {}, {}, [], concealed_cells(ws)
    for r in lines:
        title, body = ws.cell(r, cols["章节"]), ws.cell(r, cols["内容"])
        problems += row_problems(ws, sheet, r, [title, body], concealed)
        t, text = clean_text(title.value), clean_text(body.value)
        t = section_title(str(t)) if not is_blank(t) else ""
        text = "" if is_blank(text) else str(text)
        if not t:
            if text:
                problems.append(
                    f"{sheet}!{title.coordinate}: 内容缺少章节名 / text without a section title"
                )
            continue
        if t in sections:
            problems.append(f'{sheet}!{title.coordinate}: 重复的章节 "{t}" / duplicate section')
        if any(_starts_section(line) for line in text.splitlines()):
            problems.append(
                f'{sheet}!{body.coordinate}: 内容中不能有以"## "开头的行（那是章节标题） / '
                'a line may not start with "## " (that starts a section); use **粗体** for sub-headings'
            )
        sections[t], rows[t] = text, body.coordinate
    problems += narrative_problems(sections, lambda t: f"{sheet}!{rows[t]}" if t in rows else sheet)
    return sections, (), None, problems  # read_sheets keeps no part that has problems


def _starts_section(line: str) -> bool:
    """A line of a 内容 cell that the data folder would read as a section heading (or refuse)."""
    heading = section_heading(line)
    return heading is not None and (heading[0] == 2 or known_section(heading[1]))


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
    raw.warnings += [
        f"{shown_path(path)}: 未知工作表“{excerpt(w.title)}”已忽略 / unknown sheet ignored"
        for n, w in found.items()
        if n not in expected
    ]
    problems = [
        f'缺少工作表"{s}" / missing sheet "{s}"; 应有的工作表 / expected sheets: {"、".join(expected)};'
        f" 现有 / found: {'、'.join(ws.title for ws in wb.worksheets)}"
        for s in missing
    ]
    return found, problems


UNPACKED_TIMES = 5  # an .xlsx may unpack to at most this many times the workbook limit


def _unpacked_size(path: Path) -> str:
    """'' if the workbook's parts unpack to a size worth parsing, else why not: the size limit
    bounds the packed file, and a few hundred KB of a repeated row unpack to gigabytes of XML
    that openpyxl would parse, cell by cell, before any row limit is checked."""
    cap = limits().workbook_mb * UNPACKED_TIMES
    try:
        with zipfile.ZipFile(path) as packed:
            size = sum(member.file_size for member in packed.infolist())
    except (zipfile.BadZipFile, OSError):
        return ""  # not a zip: load_workbook says so in its own words
    if size <= cap * 1024 * 1024:
        return ""
    return (
        f"解压后 {size / 1024 / 1024:.0f} MB，超过 {cap:g} MB（工作簿大小限制的{UNPACKED_TIMES}倍），"
        f"不读取 / unpacks to {size / 1024 / 1024:.0f} MB, more than {cap:g} MB "
        f"({UNPACKED_TIMES} times the workbook limit, SELFEVAL_MAX_WORKBOOK_MB): not read"
    )


def read_sheets(path: Path) -> tuple[RawUnit, dict]:
    """The validated parts of a workbook, and its sheets by expected name (for import_workbook)."""
    raw = RawUnit(files=[path])
    for part, sheet in SHEETS.items():
        raw.labels[part] = f"{shown_path(path)}!{sheet}"
    refused = readable_file(path, path.parent, "workbook_mb") or _unpacked_size(path)
    if refused:
        raw.errors.append(DataError(str(path), [refused]))
        return raw, {}
    try:
        wb = load_workbook(path, data_only=True)  # formulas are read as Excel last computed them
    except Exception as exc:  # noqa: BLE001 - any failure to parse an untrusted file is a message
        problem = unopenable(path) or (
            "无法打开工作簿（文件已损坏或不是 .xlsx），请用 Excel 另存为 .xlsx / cannot open the "
            f"workbook (damaged, or not .xlsx: {excerpt(f'{type(exc).__name__}: {exc}', 80)}); "
            "save it as .xlsx"
        )
        raw.errors.append(DataError(str(path), [problem]))
        return raw, {}
    sheets, problems = _sheets(wb, path, raw)
    expected = {sheet: sheets[sheet] for sheet in SHEETS.values() if sheet in sheets}
    problems += [p for sheet, ws in expected.items() if (p := hidden_sheet(ws, sheet))]
    problems += formulas_without_values(path, expected)
    for part, sheet in SHEETS.items():
        if sheet not in sheets:
            continue
        nones: list = []  # a table's 无 rows
        reader = READERS.get(part, lambda ws, s, w, p=part, n=nones: _read_table(ws, s, p, w, n))
        warnings: list[str] = []
        value, wheres, where, bad = reader(sheets[sheet], sheet, warnings)
        raw.warnings += [
            f"{shown_path(path.name)} {w}" for w in warnings
        ]  # 前山镇.xlsx 收支情况!I2
        problems += bad
        if where:  # a mapping sheet read: the cell of each key (a table's rows are in wheres)
            raw.keys[part] = where
        if value is not None and not bad:
            raw.parts[part], raw.rows[part] = value, wheres
            raw.none[part] = tuple(nones)
    if problems:  # a range merged across two rows read is one problem, said once
        raw.errors.append(DataError(str(path), list(dict.fromkeys(problems))))
    return raw, sheets


def read_workbook(path: str | Path) -> RawUnit:
    """Every part of a unit workbook, validated through the schema, as `read_folder` gives a data
    folder: problems of the whole workbook in one DataError naming sheet and cell, not raised."""
    return read_sheets(Path(path))[0]
