"""The Word and PDF reports, read as a clerk and a website reader would: headings, tables, the
grade and the figures the HTML states, marks, pages, fonts, the same bytes for the same inputs."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from html import unescape
from pathlib import Path

import nbformat
import pytest
from docx import Document

from selfeval_lib.report.docx_export import docx_bytes, export_docx, notebook_blocks

from ..conftest import (
    EXAMPLE_PARAMS,
    REFERENCE,
    REFERENCE_INDICATORS,
    ROOT,
    libreoffice_pdf,
    skip_unless_required,
)

pytestmark = pytest.mark.notebook


def need(tool: str, package: str, require: str) -> str:
    """A program from Debian; CI (which sets `require`) fails without it instead of skipping."""
    found = shutil.which(tool)
    if found is None:
        skip_unless_required(require, f"{tool} not installed: apt-get install {package}")
    return found


def text(path: Path, *pages: int) -> str:
    pdftotext = need("pdftotext", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    done = subprocess.run(
        [pdftotext, "-layout", *first_last, str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def page_count(path: Path) -> int:
    pdfinfo = need("pdfinfo", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, check=True, text=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))


def numbers(s: str) -> set[str]:
    return set(re.findall(r"\d[\d,]*(?:\.\d+)?%?", s))


INDICATORS = REFERENCE_INDICATORS


@pytest.fixture(scope="module")
def docx_path(built_example) -> Path:
    return built_example.with_suffix(".docx")


@pytest.fixture(scope="module")
def document(docx_path):
    return Document(str(docx_path))


def test_the_word_report_is_written_beside_the_html(docx_path, built_example):
    assert docx_path.is_file()
    nb = nbformat.read(built_example.with_suffix(".ipynb"), as_version=4)
    assert export_docx(nb) == export_docx(nb) == docx_path.read_bytes()  # the same bytes


def test_its_headings_are_word_headings_in_the_reference_order(document):
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    level1 = [t for s, t in headings if s == "Heading 1"]
    # the reference's section headings (its text extraction turned 一、 into "1. " once)
    reference = re.findall(
        r"^(?:[一二三四]、|\s+1\. )(\S+)$", REFERENCE.read_text(encoding="utf-8"), re.M
    )
    assert len(reference) == 4
    assert [t[2:] for t in level1 if t[0] in "一二三四"] == reference
    assert [t[0] for t in level1 if t[0] in "一二三四"] == list("一二三四")
    assert [t for s, t in headings if s == "Heading 3"] == [
        f"{n}.{name}" for n, name in enumerate(INDICATORS, start=1)
    ]
    level2 = [t for s, t in headings if s == "Heading 2"]
    assert level2[:2] == ["（一）单位机构设置、部门职能情况", "（二）年度总体工作和重点工作任务"]
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [
        "前山镇部门整体支出绩效自评报告"
    ]
    first_line = [p for p in document.paragraphs if p.text.startswith("根据《徐闻县财政")][0]
    assert first_line.paragraph_format.first_line_indent is not None


def test_its_score_table_lists_the_12_indicators_with_a_repeated_header(document):
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:6] == [
        "序号", "一级指标", "二级指标", "指标（指标解释）", "分值", "评分标准",
    ]  # fmt: skip
    assert [r.cells[3].text.split("\n")[0] for r in table.rows[1:13]] == INDICATORS
    # each indicator's 指标解释 under its name, and its 评分标准, as the framework states them
    assert (
        table.rows[3].cells[3].text
        == "部门预算资金支出率\n支出率=本年支出÷调整预算（全年用款计划）×100%。"
    )
    assert table.rows[8].cells[5].text == "未制定绩效管理制度扣5分。"
    assert (
        table.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    assert table.rows[13].cells[-1].text == "等级：良※"  # the grade, with its mark


def test_it_states_the_grade_and_every_figure_the_html_states(document, built_example):
    words = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "单位自评结果为：良※。自评总分86.00分※。" in words
    page = built_example.read_text(encoding="utf-8")
    page = re.sub(r"<style>.*?</style>|<img [^>]*>", "", page, flags=re.S)
    html = unicodedata.normalize("NFKC", unescape(re.sub(r"<[^>]+>", " ", page)))
    html = html.split("生成信息")[0]  # the provenance block states hashes, not figures
    assert numbers(html) - numbers(words + cells) == set()
    assert "未填报" in cells and words.count("※") >= 10
    assert "第 " in footer and "页 共 " in footer  # PAGE and NUMPAGES fields


def test_a_synthetic_unit_keeps_its_banner():
    from selfeval_lib.report.content import load_report
    from selfeval_lib.report.display import show_cover

    blocks = show_cover(load_report(ROOT / "params" / "synth01_2024.yaml")).part.blocks
    assert blocks[0]["kind"] == "banner"
    doc = Document(__import__("io").BytesIO(docx_bytes(blocks)))
    assert doc.paragraphs[0].text.startswith("合成示例单位")


def test_libreoffice_lays_the_word_report_out_on_a4_pages(docx_path, tmp_path):
    pdf = libreoffice_pdf(docx_path, tmp_path)
    pages = page_count(pdf)
    assert 12 <= pages <= 30
    body = re.sub(r"\s+", "", text(pdf))
    assert "前山镇部门整体支出绩效自评报告" in body
    positions = [body.find(f"{n}.{name}") for n, name in enumerate(INDICATORS, start=1)]
    assert -1 not in positions and positions == sorted(positions)
    assert f"第{pages}页共{pages}页" in body  # the footer's fields, filled in
    pdftoppm = need("pdftoppm", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    subprocess.run(
        [pdftoppm, "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    assert next(tmp_path.glob("p*.png")).stat().st_size > 5000  # a page with text on it


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory) -> Path:
    """`selfeval run --pdf` as the issue runs it."""
    from selfeval_lib.cli import main

    out = tmp_path_factory.mktemp("pdf")
    assert (
        main(["run", str(EXAMPLE_PARAMS), "--out", str(out), "--force", "--pdf", "--no-overview"])
        == 0
    )
    return out / "2024" / "qianshan_2024.pdf"


def test_the_pdf_is_a4_with_an_embedded_cjk_font(pdf_path):
    pdffonts = need("pdffonts", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    pdfinfo = need("pdfinfo", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    pages = page_count(pdf_path)
    info = subprocess.run(
        [pdfinfo, "-f", "1", "-l", str(pages), str(pdf_path)], capture_output=True, text=True
    ).stdout
    assert len(re.findall(r"Page +\d+ size: +595.\d+ x 841.\d+ pts \(A4\)", info)) == pages
    fonts = subprocess.run([pdffonts, str(pdf_path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes " in r for r in rows)  # every font embedded
    assert any("CJK" in r and "SC" in r for r in rows), fonts.stdout


def test_the_pdf_set_has_the_form_on_one_page_as_libreoffice_prints_it(pdf_path):
    if not (shutil.which("libreoffice") or shutil.which("soffice")):
        skip_unless_required(
            "SELFEVAL_REQUIRE_LIBREOFFICE", "LibreOffice not installed: no 自评表 PDF to check"
        )
    form = pdf_path.with_name("qianshan_2024.自评表.pdf")
    assert form.is_file() and page_count(form) == 1
    assert "部门整体支出绩效自评表" in text(form)


def test_the_pdf_states_title_indicators_grade_and_numbers_every_page(pdf_path):
    body = text(pdf_path)
    flat = re.sub(r"\s+", "", body)
    assert "前山镇部门整体支出绩效自评报告" in flat
    positions = [flat.find(f"{n}.{name}") for n, name in enumerate(INDICATORS, start=1)]
    assert -1 not in positions and positions == sorted(positions)
    assert "单位自评结果为：良※。" in flat
    pages = page_count(pdf_path)
    for n in range(1, pages + 1):
        assert f"第{n}页共{pages}页" in re.sub(r"\s+", "", text(pdf_path, n)), n


def test_the_provenance_block_takes_under_half_a_page(pdf_path, tmp_path):
    pdftotext = need("pdftotext", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    last = page_count(pdf_path)
    bbox = tmp_path / "last.html"
    subprocess.run(
        [pdftotext, "-bbox", "-f", str(last), "-l", str(last), str(pdf_path), str(bbox)], check=True
    )
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', bbox.read_text())
    start = [float(y0) for y0, _, w in words if "生成信息" in w]
    assert start, "the provenance block is on the last page"
    bottom = 842 - 20 * 72 / 25.4  # the page's bottom margin holds the page number
    end = max(float(y1) for _, y1, _ in words if float(y1) < bottom)
    assert end - start[0] < 842 / 2


def test_the_same_html_gives_the_same_pdf(pdf_path):
    from selfeval_lib.report.pdf_export import pdf_bytes

    html = pdf_path.with_suffix(".html").read_text(encoding="utf-8")
    assert pdf_bytes(html) == pdf_path.read_bytes()


def test_the_word_exporter_walks_markdown_headings_and_outputs(built_example):
    nb = nbformat.read(built_example.with_suffix(".ipynb"), as_version=4)
    kinds = [b["kind"] for b in notebook_blocks(nb)]
    assert kinds[0] == "title" and kinds.count("figure") == 5 and "table" in kinds
    # moving a cell in the notebook moves it in the Word document
    nb.cells.insert(
        2, nb.cells.pop(next(i for i, c in enumerate(nb.cells) if "show_warnings" in c.source))
    )
    moved = notebook_blocks(nb)
    # the example's warnings part opens with its review notes
    assert moved[0]["kind"] == "paragraph" and moved[0]["runs"][0]["text"] == "审核提示（2条）："
