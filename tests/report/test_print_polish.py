"""Print polish: workbooks show every wrapped line and whole names when LibreOffice prints them,
summary.xlsx is the same bytes for the same units, the overview's heat map stays readable."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from selfeval_lib.report.content import load_report
from selfeval_lib.report.overview import fmt_rate
from selfeval_lib.report.scoresheet import scoresheet_bytes
from selfeval_lib.report.xlsx import row_height, text_width

from ..conftest import EXAMPLE_PARAMS, libreoffice_pdf, skip_unless_required


def test_rates_are_rounded_honestly():
    assert fmt_rate(0.9988) == "99.9" and fmt_rate(0.99996) == "99.9"
    assert fmt_rate(1.0) == "100" and fmt_rate(0.8) == "80" and fmt_rate(0.456) == "45.6"


def test_row_heights_grow_with_wrapped_lines():
    one = row_height("超支10%及以上不得分。", 42)
    assert row_height("超支10%及以上不得分。" * 6, 42) >= 3 * one
    assert text_width("一般公共预算") == 12


@pytest.fixture(scope="module")
def printed_scoresheet(tmp_path_factory):
    """The example's 评分表/数据表 workbook and its text as LibreOffice prints it (-layout)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        skip_unless_required(
            "SELFEVAL_REQUIRE_LIBREOFFICE",
            "poppler-utils needed: apt-get install poppler-utils",
        )
    tmp_path = tmp_path_factory.mktemp("scoresheet")
    book = tmp_path / "book.xlsx"
    book.write_bytes(scoresheet_bytes(load_report(EXAMPLE_PARAMS)))
    layout = subprocess.run(
        [pdftotext, "-layout", str(libreoffice_pdf(book, tmp_path)), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return book, layout


@pytest.mark.notebook
def test_libreoffice_prints_every_wrapped_line_and_whole_names(printed_scoresheet):
    from openpyxl import load_workbook

    book, layout = printed_scoresheet
    printed = re.sub(r"\s+", "", layout)
    pieces = set(re.split(r"\s+", layout)) - {""}  # pieces of visual lines
    wb = load_workbook(book)
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and len(cell.value) >= 8:
                    # the cell's last wrapped line was printed: its text ends with a printed piece
                    text = cell.value.strip()
                    assert any(text.endswith(p.strip()) for p in pieces), (
                        ws.title,
                        cell.coordinate,
                        text,
                    )
                    checked += 1
    assert checked > 50
    assert "超支10%及以上不得分。" in printed and "一般公共预算" in printed


@pytest.mark.notebook
def test_summary_xlsx_is_the_same_bytes_for_the_same_units(tmp_path):
    from selfeval_lib.report.overview import load_overview
    from selfeval_lib.report.overview_frame import export_summary_xlsx
    from selfeval_lib.runs.runner import run_unit

    result = run_unit(EXAMPLE_PARAMS, tmp_path)
    assert result.status == "ok", result.error
    first = export_summary_xlsx(load_overview(tmp_path / "2024"))
    assert export_summary_xlsx(load_overview(tmp_path / "2024")) == first


@pytest.mark.notebook
def test_summary_xlsx_of_60_units_prints_readable_on_landscape_pages(tmp_path):
    """A county's summary.xlsx, printed by LibreOffice: landscape A4 pages whose words are at least
    8 pt tall (every column on one page set them at about 3 pt), the header row and the units'
    names on every page."""
    import json

    from selfeval_lib.report.overview import load_overview
    from selfeval_lib.report.overview_frame import export_summary_xlsx

    record = load_report(EXAMPLE_PARAMS).scores_record()
    year = tmp_path / "2024"
    year.mkdir()
    for n in range(60):
        unit = {**record, "unit_id": f"u{n:02d}_2024", "total": 60 + n / 2}
        (year / f"u{n:02d}_2024.scores.json").write_text(json.dumps(unit), encoding="utf-8")
        (year / f"u{n:02d}_2024.html").write_text("<html></html>", encoding="utf-8")  # ranked
    book = tmp_path / "summary.xlsx"
    book.write_bytes(export_summary_xlsx(load_overview(year)))
    pdf = libreoffice_pdf(book, tmp_path)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        skip_unless_required(
            "SELFEVAL_REQUIRE_PDF", "pdftotext not installed: apt-get install poppler-utils"
        )
    bbox = tmp_path / "summary.html"
    subprocess.run([pdftotext, "-bbox", str(pdf), str(bbox)], check=True)
    page_tags = re.findall(
        r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
        bbox.read_text(encoding="utf-8"),
        re.S,
    )
    assert len(page_tags) > 1
    for n, (width, height, words) in enumerate(page_tags, start=1):
        assert float(width) > float(height), f"page {n} is not landscape"
        boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', words)
        heights = sorted(float(y1) - float(y0) for y0, y1, _ in boxes)
        assert heights[len(heights) // 2] >= 8, (
            n,
            heights[len(heights) // 2],
        )  # a word's box: ≥ its size
        texts = "".join(w for _, _, w in boxes)
        assert "排名" in texts and "徐闻县前山镇人民政府" in texts, (
            f"page {n} lacks the headers or names"
        )


@pytest.mark.notebook
def test_the_scoresheet_prints_the_lines_to_sign_and_stamp_under_its_table(printed_scoresheet):
    _, layout = printed_scoresheet
    score_sheet = layout.split("数据表")[0]  # the 评分表 prints first
    signs = [line for line in score_sheet.splitlines() if "填表人" in line]
    assert len(signs) == 1, signs
    assert re.search(
        r"填表人：\s+审核人：\s+单位负责人：\s+单位（盖章）：\s+年\s+月\s+日", signs[0]
    )
    grade = max(i for i, line in enumerate(score_sheet.splitlines()) if "等级标准" in line)
    assert score_sheet.splitlines().index(signs[0]) > grade  # under the table's last row
