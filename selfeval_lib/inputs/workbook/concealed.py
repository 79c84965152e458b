"""What a workbook may hold that its reader would not see as typed: merged or hidden data, formulas
with no saved result, a password. Each is refused, naming sheet and cell and what to do in Excel/WPS.

A merged range over data has one value for many cells (which row does it belong to?); a hidden
row, column or sheet would go into the published report unseen by whoever checks the workbook; a formula
that Excel never computed (a file written by a program) has no value to read, and reading it as
blank would say 未填报 where the clerk wrote a sum; an encrypted workbook cannot be opened.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from ...errors import excerpt

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: an encrypted .xlsx or an old .xls
ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted .xlsx holds

UNMERGE = (
    "合并单元格无法逐格读取；请选中后取消合并（Excel：开始→合并后居中；WPS：开始→合并居中→取消合并"
    "单元格），每格各填其值 / merged cells cannot be read cell by cell: unmerge them (Excel: Home → "
    "Merge & Center; WPS: 开始 → 合并居中 → 取消合并单元格) and fill each cell"
)
UNHIDE_ROW = (
    "此行被隐藏，其内容会写入报告；请选中上下两行，右键“取消隐藏”，核对后保留或删除 / the row is "
    "hidden, yet what it holds would go into the report: select the rows around it, right-click → "
    "Unhide (取消隐藏), then keep or delete it"
)

UNHIDE_COLUMN = (
    "此列被隐藏，其内容会写入报告；请选中左右两列，右键“取消隐藏”，核对后保留或删除 / the column "
    "is hidden, yet what it holds would go into the report: select the columns around it, "
    "right-click → Unhide (取消隐藏), then keep or delete it"
)


def unopenable(path: Path) -> str:
    """Why a workbook that openpyxl cannot open cannot be read, when its first bytes say: a
    password, or the old .xls format; '' otherwise (then it is damaged or not a workbook)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(CFB))
            if head != CFB:
                return ""
            encrypted = ENCRYPTED in file.read()  # bounded by the workbook size limit
    except OSError:
        return ""
    if encrypted:
        return (
            "工作簿设有打开密码（已加密），无法读取；请删除密码后保存（Excel：文件→信息→保护工作簿→"
            "用密码进行加密，清空密码；WPS：文件→文档加密→密码加密，清空打开密码）/ the workbook is "
            "protected by a password (encrypted) and cannot be read: remove the password and save "
            "(Excel: File → Info → Protect Workbook → Encrypt with Password, clear it; WPS: 文件 → "
            "文档加密 → 密码加密)"
        )
    return (
        "是旧版 .xls 工作簿，请在 Excel 或 WPS 中另存为 .xlsx / an old .xls workbook: save it as "
        ".xlsx in Excel or WPS (File → Save As → Excel Workbook)"
    )


def hidden_sheet(ws, sheet: str) -> str:
    """'' for a visible sheet, else the problem naming it."""
    if ws.sheet_state == "visible":
        return ""
    return (
        f"{sheet}: 工作表被隐藏，其内容会写入报告；请右键任一工作表标签，选“取消隐藏”，核对其内容 / the "
        "sheet is hidden, yet what it holds would go into the report: right-click a sheet tab → "
        "Unhide (取消隐藏) and check it"
    )


@dataclass(frozen=True)
class Concealed:
    """What of one sheet a reader would not see, worked out once per sheet: every cell of a
    merged range (row, column) -> the range ('A5:C6'), and the hidden columns."""

    merged: dict[tuple[int, int], str]
    hidden_columns: frozenset[int]


def concealed_cells(ws) -> Concealed:
    """The merged ranges and hidden columns of `ws` (a column dimension may span min..max)."""
    return Concealed(
        {cell: rng.coord for rng in ws.merged_cells.ranges for cell in rng.cells},
        frozenset(
            col
            for dim in ws.column_dimensions.values()
            if dim.hidden and dim.min
            for col in range(dim.min, (dim.max or dim.min) + 1)
        ),
    )


def row_problems(ws, sheet: str, row: int, cells: list[Cell], concealed: Concealed) -> list[str]:
    """A data row that is hidden, a cell read that holds something in a hidden column (the
    template hides only its key columns, which are never read into the report), or cells read
    that are merged."""
    problems = []
    if ws.row_dimensions[row].hidden:
        problems.append(f"{sheet}!A{row}: {UNHIDE_ROW}")
    problems += [
        f"{sheet}!{c.coordinate}: {UNHIDE_COLUMN}"
        for c in cells
        if c.column in concealed.hidden_columns and c.value is not None and str(c.value).strip()
    ]
    merged = concealed.merged
    ranges = dict.fromkeys(merged[(row, c.column)] for c in cells if (row, c.column) in merged)
    problems += [f"{sheet}!{rng}: {UNMERGE}" for rng in ranges]
    return problems


def formulas_without_values(path: Path, sheets: dict[str, object]) -> list[str]:
    """Cells of `sheets` (read with their saved values) holding a formula that has no saved
    result. Only a workbook whose sheets hold a formula at all is opened a second time."""
    try:
        with zipfile.ZipFile(path) as packed:
            has_formulas = any(
                b"<f" in packed.read(m)
                for m in packed.namelist()
                if m.startswith("xl/worksheets/") and m.endswith(".xml")
            )
    except (zipfile.BadZipFile, OSError, KeyError):
        return []
    if not has_formulas:
        return []
    formulas = load_workbook(path, data_only=False)
    problems = []
    for sheet, ws in sheets.items():
        for (row, col), formula in sorted(formulas[ws.title]._cells.items()):  # as read.py
            text = getattr(formula.value, "text", formula.value)  # an array formula: its text
            if not (isinstance(text, str) and text.startswith("=")):
                continue
            saved = ws._cells.get((row, col))
            if saved is None or saved.value is None:
                problems.append(
                    f"{sheet}!{formula.coordinate}: 公式 {excerpt(text)} 没有保存的计算结果（文件由"
                    "程序生成或未重新计算）；请在 Excel 或 WPS 中打开后保存一次，或把公式改为数值 / "
                    "the formula has no saved result (the file was written by a program, or never "
                    "recalculated): open and save it once in Excel or WPS, or type its value"
                )
    return problems
