"""Cell styles set through a per-workbook memo, for speed; the bytes are openpyxl's own."""

from __future__ import annotations

import copy
from weakref import WeakKeyDictionary

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles.borders import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange

# openpyxl files every style it is given by hashing it, and a Font or Border hash walks all of its
# fields: setting ~4,000 styles and merging ~120 ranges was half of a report's export time. The same
# styles set on the same starting style always give the same StyleArray (the cell's indices into
# the workbook's style lists), so each combination is computed by openpyxl once per workbook and
# copied after that, as openpyxl's own worksheet copy copies `_style`. The bytes are the same
# (tests/test_same_bytes.py compares them with openpyxl's own way).
_STYLES: WeakKeyDictionary[Workbook, dict] = WeakKeyDictionary()


def _memo(ws) -> dict:
    return _STYLES.setdefault(ws.parent, {})


def _state(cell: Cell) -> tuple:
    # a cell no style was ever set on has none (openpyxl's setters start it from zeros)
    return tuple(cell._style) if cell._style is not None else _UNSTYLED


_UNSTYLED = tuple(StyleArray())


def _token(value: object) -> object:
    # strings (number formats) by value; style objects by identity, held in the memo with it
    return value if isinstance(value, str) else id(value)


def restyle(cell: Cell, **styles: object) -> Cell:
    """Set `font=`, `fill=`, `border=`, `alignment=`, `protection=`, `number_format=` on a cell,
    in that order of the keywords, exactly as setting the attributes would."""
    memo = _memo(cell.parent)
    key = (_state(cell), *((name, _token(v)) for name, v in styles.items()))
    hit = memo.get(key)
    if hit is None:
        for name, value in styles.items():
            setattr(cell, name, value)
        memo[key] = (StyleArray(cell._style), styles)  # `styles` keeps the ids in the key theirs
    else:
        cell._style = StyleArray(hit[0])
    return cell


def merge(ws, start_row: int, start_column: int, end_row: int, end_column: int) -> None:
    """`ws.merge_cells(...)`, the borders openpyxl gives the merged cells computed once per
    workbook for each shape and starting style of the corner cells."""
    memo = _memo(ws)
    start, end = ws.cell(start_row, start_column), ws._cells.get((end_row, end_column))
    key = (
        "merge",
        end_row - start_row,
        end_column - start_column,
        _state(start),
        None if end is None else _state(end),
    )
    area = CellRange(min_col=start_column, min_row=start_row, max_col=end_column, max_row=end_row)
    hit = memo.get(key)
    if hit is None:
        merge_range(ws, area, memo)
        memo[key] = [StyleArray(ws._cells[rc]._style) for rc in area.cells]
        return
    ws.merged_cells.add(_Remembered(ws, area.coord))
    for n, (row, col) in enumerate(area.cells):
        cell = start if n == 0 else MergedCell(ws, row, col)
        cell._style = StyleArray(hit[n])
        ws._cells[row, col] = cell


class _Remembered(MergedCellRange):
    """A merged range whose corner cell's borders come from the memo: MergedCellRange would work
    them out again as it is made (a Border sum, hashed: a third of a workbook's time)."""

    def _get_borders(self) -> None:
        self.start_cell = self.ws._cells.get((self.min_row, self.min_col))


def merge_range(ws, area: CellRange, memo: dict) -> None:
    """ws.merge_cells(area.coord), step by step as openpyxl takes it (MergedCellRange's
    _get_borders, then Worksheet._clean_merge_range and MergedCellRange.format), each cell's change
    of style computed by openpyxl once per workbook for its starting style and what is added to it
    and copied after that: a new shape of merge costs what its cells' new styles cost, not a
    Border sum and two hashes for every cell of it. (tests/report/test_same_bytes.py swaps in
    ws.merge_cells itself.)"""
    start = ws.cell(area.min_row, area.min_col)
    end = ws._cells.get((area.max_row, area.max_col))
    if end is not None:  # the corner takes the bottom-right cell's right and bottom borders
        corner = Border(right=end.border.right, bottom=end.border.bottom)
        _change(start, ("corner", _state(end)), memo, lambda c: _add_border(c, corner))
    merged = _Remembered(ws, area.coord)
    ws.merged_cells.add(merged)
    for row, col in list(area.cells)[1:]:
        ws._cells[row, col] = MergedCell(ws, row, col)
    for name in ("top", "left", "right", "bottom"):
        side = getattr(start.border, name)  # as it is now: the top edge changed the corner
        if side and side.style is None:  # as MergedCellRange.format: no border style, nothing
            continue
        added, change = Border(**{name: side}), ("side", name, start._style.borderId)
        for coord in getattr(merged, name):
            _change(ws._cells[coord], change, memo, lambda c, b=added: _add_border(c, b))
    protection = copy.copy(start.protection)
    change = ("protection", start._style.protectionId)
    for coord in area.cells:
        _change(ws._cells[coord], change, memo, lambda c: setattr(c, "protection", protection))


def _add_border(cell, border: Border) -> None:
    cell.border += border


def _change(cell, change: tuple, memo: dict, apply) -> None:
    """apply(cell) as openpyxl does it, or the style it gave a cell of the same style before."""
    key = ("cell", _state(cell), *change)
    hit = memo.get(key)
    if hit is None:
        apply(cell)
        memo[key] = StyleArray(cell._style)
    else:
        cell._style = StyleArray(hit)
