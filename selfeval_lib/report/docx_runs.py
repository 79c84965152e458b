"""Runs, cell paragraphs and styled paragraphs of the Word report, written the way python-docx
writes them but without its slow paths (each shortcut is held to python-docx's bytes by
tests/test_same_bytes.py)."""

from __future__ import annotations

import copy
from contextlib import contextmanager
from contextvars import ContextVar

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.simpletypes import ST_Merge
from docx.shared import Pt, RGBColor
from docx.table import _Cell

from ..errors import strip_controls

MARK_COLOR = RGBColor(0xC5, 0x5A, 0x11)


def text_run(para, text: str):
    """para.add_run(text), as python-docx writes it."""
    run = para.add_run()
    _add_text(run, text)
    return run


def _add_text(run, text: str) -> None:
    """run.text = text on a new run: text with no tab or line break is one <w:t>, added directly
    (python-docx's run.text clears the run and reads the text a character at a time). Every text
    of the Word report passes here: control, bidi and zero-width characters are dropped, as the
    HTML report drops them (a right-to-left override would show "001万元" as "100万元", and ESC or
    U+FFFF cannot be written to XML at all)."""
    text = strip_controls(text)
    if text and not _BREAKS & set(text):
        run._r.add_t(text)
    elif text:
        run.text = text


_BREAKS = frozenset("\t\r\n")


def add_runs(para, runs: list[dict], size: float | None = None) -> None:
    formats = _FORMATS.get()
    for r in runs:
        key = ("run", bool(r.get("bold")), size, bool(r.get("mark")))
        run = para.add_run()
        _add_text(run, r["text"])
        known = formats.get(key)
        if known is not None:  # the formatting python-docx made for the first such run, copied
            run._r.insert(0, copy.deepcopy(known))
            continue
        _, bold, _, mark = key
        if bold:
            run.bold = True
        if size:
            run.font.size = Pt(size)
        if mark:
            run.font.superscript = True
            run.font.color.rgb = MARK_COLOR
        if run._r.rPr is not None:
            formats[key] = copy.deepcopy(run._r.rPr)


def cell_format(para, alignment, keep_with_next: bool = False) -> None:
    """A table cell's paragraph: no indent, single spacing, aligned, kept with the next paragraph
    or not (made once per alignment and keeping)."""
    key = ("cell", alignment, keep_with_next)
    known = _FORMATS.get().get(key)
    if known is not None:
        para._p.insert(0, copy.deepcopy(known))
        return
    fmt = para.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = 1.0
    fmt.alignment = alignment
    if keep_with_next:
        fmt.keep_with_next = True
    _FORMATS.get()[key] = copy.deepcopy(para._p.pPr)


# Formatting elements python-docx made once in the document being written, by kind of run or cell,
# copied for the next ones (lxml copies an element in C; python-docx builds one in Python, child by
# child, in schema order: most of a table's time). The same XML either way.
_FORMATS: ContextVar[dict] = ContextVar("docx_formats")
new_formats = dict  # what each document starts with (a test swaps in one that keeps nothing)


@contextmanager
def document_formats():
    """While one document is written: the formatting made in it so far."""
    token = _FORMATS.set(new_formats())
    try:
        yield
    finally:
        _FORMATS.reset(token)


_STYLE_IDS: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}


def style_id(doc, name: str, kind: WD_STYLE_TYPE) -> str | None:
    """The id python-docx gives the style `name`, looked up once: every document starts from the
    same template and _styles(), and each lookup walks every style of the document."""
    if (name, kind) not in _STYLE_IDS:
        _STYLE_IDS[name, kind] = doc.part.get_style_id(name, kind)
    return _STYLE_IDS[name, kind]


def styled(doc, text: str, style: str):
    """doc.add_paragraph(text, style=style), as python-docx sets it."""
    para = doc.add_paragraph()
    text_run(para, text)
    para._p.style = style_id(doc, style, WD_STYLE_TYPE.PARAGRAPH)
    return para


def grid_cell(table, row: int, col: int):
    """table.cell(row, col), the same cell python-docx finds, found in one row: python-docx lays
    out every cell of the table for each call, so a table filled cell by cell costs the square of
    its size (1.5 s of the 自评表's Word form, of 40 rows)."""
    offset = 0
    for tc in table._tbl.tr_lst[row].tc_lst:
        span = tc.grid_span
        if offset <= col < offset + span:
            if tc.vMerge == ST_Merge.CONTINUE:  # merged into the cell above, as python-docx says
                return grid_cell(table, row - 1, col)
            return _Cell(tc, table)
        offset += span
    raise IndexError(f"no cell at row {row}, column {col}")


def span(table, cell, rows: int, columns: int):
    """cell.merge(the cell `rows` down and `columns` across from it, as grid_cell finds it), for
    a cell that is the top-left corner of a rectangle of unmerged cells (the 自评表's grid): the
    span python-docx's merge grows (CT_Tc._grow_to), without working out again, from both
    corners' rows and columns, that the region is a rectangle (a third of the 自评表's Word time).
    The same XML (tests/report/test_same_bytes.py swaps in python-docx's merge)."""
    cell._tc._grow_to(columns, rows)
    return cell
