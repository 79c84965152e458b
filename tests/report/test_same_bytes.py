"""Shortcuts taken for speed must give the very bytes the libraries give their own way: the
workbooks' styles set through a per-workbook memo (styles.restyle, styles.merge), the Word
export's formatting copied from the first run or cell python-docx formatted, Word table cells found
in their own row, the charts' text measured once per process instead of once per figure and each
chart drawn once (and written as RGB by PIL), and the HTML export without nbconvert's copies of the notebook."""

from __future__ import annotations

import io
from contextlib import nullcontext

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from selfeval_lib import load_report
from selfeval_lib.frameworks.model import load_framework
from selfeval_lib.inputs.params import load_params
from selfeval_lib.inputs.unit import load_unit
from selfeval_lib.report import xlsx_styles as styles
from selfeval_lib.report.form import form_docx_bytes, form_xlsx_bytes
from selfeval_lib.report.scoresheet import scoresheet_bytes
from selfeval_lib.report.template import write_template
from selfeval_lib.report.xlsx import put, workbook_bytes
from selfeval_lib.report.xlsx_styles import merge, restyle

from ..conftest import COMPLETE_PARAMS, EXAMPLE_PARAMS, ROOT

NATIONAL_PARAMS = ROOT / "params" / "synth_nat_2024.yaml"


def _merged_by_python_docx(table, cell, rows: int, columns: int):
    """The 自评表's Word cells merged as python-docx merges them: corner to corner."""
    from selfeval_lib.report.docx_runs import grid_cell

    row = next(n for n, tr in enumerate(table._tbl.tr_lst) if tr is cell._tc.getparent())
    col = next(c for c in range(len(table.columns)) if grid_cell(table, row, c)._tc is cell._tc)
    return cell.merge(grid_cell(table, row + rows - 1, col + columns - 1))


@pytest.fixture
def openpyxl_own_way(monkeypatch):
    """Every call misses the memo: each style is set, each range merged, by openpyxl itself;
    the 自评表's Word cells are merged by python-docx itself."""

    def switch():
        from selfeval_lib.report import docx_runs

        monkeypatch.setattr(styles, "_memo", lambda ws: {})
        monkeypatch.setattr(docx_runs, "span", _merged_by_python_docx)
        monkeypatch.setattr(
            styles, "merge_range", lambda ws, area, memo: ws.merge_cells(area.coord)
        )

    return switch


@pytest.mark.parametrize("params", [EXAMPLE_PARAMS, COMPLETE_PARAMS], ids=["example", "complete"])
def test_the_unit_workbook_is_byte_identical_with_and_without_the_memo(params, openpyxl_own_way):
    report = load_report(params)
    memoized = scoresheet_bytes(report)
    openpyxl_own_way()
    assert scoresheet_bytes(report) == memoized


@pytest.mark.parametrize(
    "params",
    [EXAMPLE_PARAMS, COMPLETE_PARAMS, NATIONAL_PARAMS],
    ids=["example", "complete", "national"],
)
def test_the_form_is_the_same_bytes_again_and_with_and_without_the_memo(params, openpyxl_own_way):
    report, again = load_report(params), load_report(params)
    memoized, word = form_xlsx_bytes(report), form_docx_bytes(report)
    assert form_xlsx_bytes(again) == memoized and form_docx_bytes(again) == word
    openpyxl_own_way()
    assert form_xlsx_bytes(report) == memoized and form_docx_bytes(report) == word


def test_a_word_table_cell_found_in_its_row_is_the_cell_python_docx_finds():
    from docx import Document

    from selfeval_lib.report.docx_runs import grid_cell

    table = Document().add_table(rows=5, cols=4)
    table.cell(0, 1).merge(table.cell(0, 3))  # across
    table.cell(1, 0).merge(table.cell(3, 0))  # down
    table.cell(2, 2).merge(table.cell(4, 3))  # both
    for row in range(5):
        for col in range(4):
            assert grid_cell(table, row, col)._tc is table.cell(row, col)._tc, (row, col)
    with pytest.raises(IndexError, match="no cell at row 1, column 4"):
        grid_cell(table, 1, 4)


@pytest.mark.parametrize("params", [EXAMPLE_PARAMS, NATIONAL_PARAMS], ids=["example", "national"])
def test_the_word_form_is_the_same_bytes_with_cells_found_as_python_docx_finds_them(
    params, monkeypatch
):
    from selfeval_lib.report import docx_runs

    report = load_report(params)
    quick = form_docx_bytes(report)
    monkeypatch.setattr(docx_runs, "grid_cell", lambda table, row, col: table.cell(row, col))
    assert form_docx_bytes(report) == quick


def test_the_template_is_byte_identical_with_and_without_the_memo(tmp_path, openpyxl_own_way):
    unit = load_unit(load_params(EXAMPLE_PARAMS))
    write_template(tmp_path / "memo.xlsx", load_framework("gd_township_2024"), unit)
    openpyxl_own_way()
    write_template(tmp_path / "own.xlsx", load_framework("gd_township_2024"), unit)
    assert (tmp_path / "memo.xlsx").read_bytes() == (tmp_path / "own.xlsx").read_bytes()


def _styled_book() -> bytes:
    """Styles that depend on what a cell had before: a formula-like text (quote prefix), borders
    added to a bordered cell, merges of the same shape whose corners differ."""
    wb = Workbook()
    ws = wb.active
    thick = Side(style="thick", color="FF0000")
    for row in range(1, 7):
        put(ws, row, 1, "=SUM(A1)" if row % 2 else "text", bold=row % 3 == 0, wrap=row > 3)
        restyle(ws.cell(row, 2), border=Border(left=thick))
        restyle(ws.cell(row, 2), border=Border(top=thick), alignment=Alignment(horizontal="center"))
        if row % 2:
            restyle(ws.cell(row, 4), border=Border(right=thick, bottom=thick))
        merge(ws, row, 2, row, 4)
    put(ws, 8, 1, "x", font=Font(size=14))
    merge(ws, 8, 1, 10, 1)
    merge(ws, 11, 1, 13, 1)
    return workbook_bytes(wb)


def test_styles_that_depend_on_the_cells_earlier_style_come_out_as_openpyxl_sets_them(
    openpyxl_own_way,
):
    memoized = _styled_book()
    openpyxl_own_way()
    assert _styled_book() == memoized


class _Forgetful(dict):
    """A formats cache that never keeps anything: every run and cell is formatted by python-docx."""

    def __setitem__(self, key, value) -> None:
        pass


def test_the_word_report_is_byte_identical_with_and_without_copied_formatting(
    built_example, monkeypatch
):
    import nbformat

    from selfeval_lib.report import docx_export, docx_runs

    nb = nbformat.read(built_example.with_suffix(".ipynb"), as_version=4)
    copied = docx_export.export_docx(nb)
    monkeypatch.setattr(docx_runs, "new_formats", _Forgetful)
    assert docx_export.export_docx(nb) == copied


def test_the_word_report_is_byte_identical_from_a_copied_blank_and_a_newly_styled_one(
    built_example, monkeypatch
):
    import nbformat

    from selfeval_lib.report import docx_export

    nb = nbformat.read(built_example.with_suffix(".ipynb"), as_version=4)
    copied = [docx_export.export_docx(nb) for _ in range(2)]  # the blank made, then copied
    monkeypatch.setattr(docx_export, "blank_document", docx_export.styled_blank.__wrapped__)
    assert copied[0] == copied[1] == docx_export.export_docx(nb)


@pytest.mark.parametrize("params", [EXAMPLE_PARAMS, COMPLETE_PARAMS], ids=["example", "complete"])
def test_charts_with_text_measured_once_are_the_pngs_matplotlib_draws(params, monkeypatch):
    from selfeval_lib.report import canvas
    from selfeval_lib.report.display import CHARTS

    report = load_report(params)
    monkeypatch.setattr(canvas, "_TEXT_SIZES", {})
    monkeypatch.setattr(canvas, "_FONT_HEIGHTS", {})

    def pngs() -> list[bytes]:
        return [canvas.figure_png(plot(report)) for _, plot, _ in CHARTS.values()]

    measured = pngs()  # each string measured once, the charts after the first reuse it
    remembered = pngs()  # every string measured before
    assert canvas._TEXT_SIZES and canvas._FONT_HEIGHTS  # the shortcut was taken
    monkeypatch.setattr(canvas, "MeasuringCanvas", lambda figure: None)  # matplotlib's own
    assert measured == remembered == pngs()
    monkeypatch.setattr(canvas, "_laid_out", lambda figure: nullcontext())  # savefig's 2 draws
    assert pngs() == measured


@pytest.mark.parametrize("params", [EXAMPLE_PARAMS, COMPLETE_PARAMS], ids=["example", "complete"])
def test_a_chart_png_has_the_pixels_of_matplotlibs_own_png(params):
    """figure_png writes matplotlib's pixels as RGB with PIL: the very pixels matplotlib's own
    PNG of the same chart has (whose alpha is opaque throughout), in fewer bytes than it writes
    them at the same compression level."""
    import numpy as np
    from PIL import Image

    from selfeval_lib.report import canvas
    from selfeval_lib.report.display import CHARTS

    report = load_report(params)
    for name, (_, plot, _) in CHARTS.items():
        png = canvas.figure_png(plot(report))
        ours, own = Image.open(io.BytesIO(png)), io.BytesIO()
        fig = plot(report)  # a figure of its own: a second layout of one figure may differ
        level = {"compress_level": 1}
        fig.savefig(own, format="png", metadata={"Software": None}, pil_kwargs=level)
        theirs = np.asarray(Image.open(own))
        assert ours.mode == "RGB" and ours.info["dpi"] == pytest.approx((200, 200), abs=0.01)
        assert (theirs[..., 3] == 255).all(), name
        assert np.array_equal(np.asarray(ours), theirs[..., :3]), name
        assert len(png) < len(own.getvalue()), name


def test_the_html_report_is_the_same_whether_the_exporter_copies_the_notebook_or_not(
    built_example,
):
    """nbconvert's copies of the notebook are skipped (export._Given): the same page."""
    import nbformat

    from selfeval_lib.report.export import export_html

    nb = nbformat.read(built_example.with_suffix(".ipynb"), as_version=4)
    copied = export_html(nb, "")
    assert len(nb.cells) > 20  # the caller's notebook kept its hidden cells
    assert export_html(nb, "", copy=False) == copied == built_example.read_text(encoding="utf-8")


@pytest.fixture
def saved_by_python_docx(monkeypatch):
    """docx_bytes_of, which also keeps what python-docx's own save gives (its member times
    fixed, fixed_zip) for the same document."""
    import io

    from selfeval_lib.report import docx_export, docx_file

    saved, one_pass = [], docx_file.docx_bytes_of

    def both(doc):
        raw = io.BytesIO()
        doc.save(raw)
        saved.append(docx_file.fixed_zip(raw.getvalue()))
        return one_pass(doc)

    monkeypatch.setattr(docx_file, "docx_bytes_of", both)  # the 自评表 imports it when called
    monkeypatch.setattr(docx_export, "docx_bytes_of", both)
    return saved


def test_the_word_files_written_in_one_pass_are_the_zips_python_docx_saves(
    built_example, saved_by_python_docx
):
    """The Word report and the 自评表 are written in one pass, not saved, read back and compressed
    again: the same bytes as python-docx's save with every member's time fixed."""
    import zipfile

    import nbformat

    from selfeval_lib.report.docx_export import export_docx

    nb = nbformat.read(built_example.with_suffix(".ipynb"), as_version=4)
    written = [form_docx_bytes(load_report(EXAMPLE_PARAMS)), export_docx(nb)]
    assert written == saved_by_python_docx
    for data in written:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
            assert "word/document.xml" in z.namelist()
