"""The Word and PDF reports (the filing edition), read as a filing clerk would: headings, tables,
the grade and the figures the HTML states, marks, nothing of the tool's own, the official layout,
pages, fonts, the same bytes for the same inputs."""

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
    edit,
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
    # the indicators' headings under (二), each a Heading 3
    analysis = [t for s, t in headings if s in ("Heading 2", "Heading 3")]
    start = analysis.index("（二）部门整体支出绩效指标分析") + 1
    end = analysis.index("（三）主要做法和经验")
    assert analysis[start:end] == [f"{n}.{name}" for n, name in enumerate(INDICATORS, start=1)]
    # the unit's own bold subheadings ("**1.坚持项目牵引…**") are headings too, kept with their text
    assert "1.坚持项目牵引，夯实高质量发展基础" in [t for s, t in headings if s == "Heading 3"]
    cover = {"评价年度：", "评价单位（公章）：", "填报日期："}
    bold_lines = [
        p.text
        for p in document.paragraphs
        if p.style.name == "Normal" and p.text.strip() and all(r.bold for r in p.runs if r.text)
    ]
    assert bold_lines == [], bold_lines
    assert {p.runs[0].text for p in document.paragraphs if p.runs and p.runs[0].bold} == cover
    assert all(document.styles[f"Heading {n}"].paragraph_format.keep_with_next for n in (1, 2, 3))
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
    # the review edition's appendix (数据核对提示, 未填报 list, provenance) and its 计算得分 and
    # 自评得分 columns are not the unit's statement
    html = html.split("附:数据核对提示")[0]  # NFKC: the full-width colon is ":"
    html = re.sub(r"计算得分.*?等级标准", "", html, flags=re.S)
    html = re.sub(r"“计算得分”为.*?\)。", "", html, flags=re.S)  # the note on the two totals
    html = re.sub(r"\(系统计算[^()]*(?:\([^()]*\)[^()]*)*\)", "", html)  # beside a self score
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


PRINT_PPI = 200  # the least resolution of a chart on paper (issue 21)


def test_every_chart_of_the_word_file_prints_at_200_dpi_or_more(document):
    """Each picture's pixels over the inches Word prints it at: sharp on paper."""
    shapes = document.inline_shapes
    assert len(shapes) >= 2  # the example's charts (two are left out: one year, one item)
    for shape in shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = document.part.related_parts[blip.embed].image
        ppi = image.px_width / shape.width.inches
        assert ppi >= PRINT_PPI, (image.px_width, shape.width.mm)


def test_every_chart_of_the_pdf_prints_at_200_dpi_or_more(pdf_path):
    pdfimages = need("pdfimages", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    listed = subprocess.run(
        [pdfimages, "-list", str(pdf_path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()
    head = listed[0].split()
    x_ppi = head.index("x-ppi")
    images = [line.split() for line in listed[2:] if line.split()[head.index("type")] == "image"]
    assert len(images) >= 2
    assert [int(i[x_ppi]) for i in images if int(i[x_ppi]) < PRINT_PPI] == []


def test_the_same_notebook_gives_the_same_pdf(pdf_path):
    from selfeval_lib.report.pdf_export import export_pdf

    nb = nbformat.read(pdf_path.with_suffix(".ipynb"), as_version=4)
    assert export_pdf(nb) == pdf_path.read_bytes()


def test_the_word_exporter_walks_markdown_headings_and_outputs(built_example):
    nb = nbformat.read(built_example.with_suffix(".ipynb"), as_version=4)
    kinds = [b["kind"] for b in notebook_blocks(nb)]
    assert (
        kinds[0] == "title" and kinds.count("figure") == 3 and "table" in kinds
    )  # 图4, 图5: left out
    # moving a cell in the notebook moves it in the Word document
    nb.cells.insert(
        2, nb.cells.pop(next(i for i, c in enumerate(nb.cells) if "show_publication" in c.source))
    )
    moved = notebook_blocks(nb)
    assert moved[0]["kind"] == "paragraph" and "公开的自评报告" in moved[0]["runs"][0]["text"]
    # the cells tagged "review" (数据核对提示, provenance) are the HTML's alone
    assert "附：数据核对提示" not in [b.get("text") for b in moved]
    for cell in nb.cells:
        if "review" in cell.metadata.get("tags", []):
            cell.metadata.pop("tags")
    assert "附：数据核对提示" in [b.get("text") for b in notebook_blocks(nb)]


# --- the filing edition: the unit's statement only, in the official layout ------------------------

# What the tool says to the analyst, never the unit to the county: file names, key paths of the
# data contract, hashes, the tool's name and notes, the 未填报 list and the computed scores.
FORBIDDEN = {
    "a file name": r"[\w.-]+\.(?:csv|ya?ml|json|xlsx|ipynb|md)\b",
    "a key path": r"\b(?:facts|totals|identity|evaluation|management|staffing)\.[a-z_]+",
    "a hash": r"\b[0-9a-f]{12,}\b",
    "the tool": r"(?i)selfeval|provenance|SHA-256",
    "a tool note": r"并非(?:任何地区)?官方公布|评分仅供参考|系统计算|计算得分|自评得分|数据核对",
    "the 未填报 list": r"以下\d+项数据未填报",
}


def forbidden(text: str) -> dict[str, list[str]]:
    found = {what: re.findall(pattern, text) for what, pattern in FORBIDDEN.items()}
    return {what: hits for what, hits in found.items() if hits}


def docx_text(document) -> str:
    props = document.core_properties
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    parts += [props.title, props.author, props.last_modified_by, props.comments, props.keywords]
    return "\n".join(parts)


def test_the_patterns_catch_what_the_review_edition_states(built_example):
    page = built_example.read_text(encoding="utf-8")  # the HTML: the review edition
    assert set(forbidden(visible_text_of(page))) == set(FORBIDDEN)


def visible_text_of(page: str) -> str:
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>|<img [^>]*>", " ", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_word_file_states_nothing_of_the_tool(document):
    assert forbidden(docx_text(document)) == {}


def test_the_pdf_states_nothing_of_the_tool(pdf_path):
    assert forbidden(text(pdf_path)) == {}


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_every_style_of_the_word_file_is_chinese(document):
    styles = document.styles.element
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert (default.get(f"{W}val"), default.get(f"{W}eastAsia")) == ("zh-CN", "zh-CN")
    langs = {
        s.get(f"{W}styleId"): s.find(f"{W}rPr/{W}lang")
        for s in styles.iterchildren(f"{W}style")
        if s.get(f"{W}type") != "numbering"
    }
    assert langs and {k: lang.get(f"{W}eastAsia") for k, lang in langs.items()} == {
        k: "zh-CN" for k in langs
    }


def test_no_table_row_splits_and_the_total_row_keeps_company(document):
    for table in document.tables:
        for row in table.rows:
            assert row._tr.trPr.find(f"{W}cantSplit") is not None, row.cells[0].text
    scores = document.tables[0]
    before_total = scores.rows[-2]
    assert scores.rows[-1].cells[3].text == "合计"
    assert all(p.paragraph_format.keep_with_next for c in before_total.cells for p in c.paragraphs)
    # eight columns that fit the 156 mm between the margins, none a sliver (序号: 8.7 mm)
    widths = [c.width.mm for c in scores.rows[0].cells]
    assert len(widths) == 8 and sum(widths) <= 156.5 and min(widths) >= 8, widths


def test_the_word_file_is_dated_from_the_reports_fill_date(document, unit_copy):
    import datetime as dt

    from selfeval_lib.report.content import load_report
    from selfeval_lib.report.display import show_cover

    props = document.core_properties
    assert props.created == props.modified == dt.datetime(2025, 11, 1, tzinfo=dt.UTC)  # 2025-11
    unit = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "unit.yaml"
    edit(unit, "fill_date: 2025-11", "fill_date: 未填报")
    blocks = show_cover(load_report(unit_copy)).part.blocks
    dated = Document(__import__("io").BytesIO(docx_bytes(blocks))).core_properties
    assert dated.created == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # 1 January after 2024
    assert docx_bytes(blocks) == docx_bytes(blocks)


@pytest.fixture(scope="module")
def word_pdf(docx_path, tmp_path_factory) -> Path:
    """The Word file as LibreOffice lays it out."""
    return libreoffice_pdf(docx_path, tmp_path_factory.mktemp("word"))


def test_word_and_pdf_have_the_same_pages_within_one(word_pdf, pdf_path):
    assert abs(page_count(word_pdf) - page_count(pdf_path)) <= 1, (
        page_count(word_pdf),
        page_count(pdf_path),
    )


def test_every_font_of_the_pdf_is_simplified_chinese_serif_and_sans(pdf_path):
    pdffonts = need("pdffonts", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    listing = subprocess.run([pdffonts, str(pdf_path)], capture_output=True, text=True, check=True)
    names = {row.split()[0].split("+")[-1] for row in listing.stdout.splitlines()[2:]}
    # the body serif and its bold (Heading 3, bold runs, the title), the two heading sans faces
    assert names == {
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
        "Noto-Sans-CJK-SC",
        "Noto-Sans-CJK-SC-Bold",
    }, listing.stdout


def words_of(pdf: Path, page: int, tmp_path: Path) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of one page, in points."""
    pdftotext = need("pdftotext", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    out = tmp_path / f"bbox{page}.html"
    subprocess.run(
        [pdftotext, "-bbox", "-f", str(page), "-l", str(page), str(pdf), str(out)], check=True
    )
    found = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
        out.read_text(encoding="utf-8"),
    )
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in found]


def test_the_pdf_is_set_as_the_word_file_on_the_official_page(pdf_path, tmp_path):
    """GB/T 9704: text inside margins of 37 (top), 35 (bottom), 28 (left), 26 (right) mm, the
    body at 三号 (16 pt) on a 28 pt line pitch, the page number below the text."""
    mm = 72 / 25.4
    words = words_of(pdf_path, 2, tmp_path)  # a page of body text
    footer = [w for w in words if w[4].startswith("第") or w[4] in ("页", "共", "2", "19")]
    body = [w for w in words if w[1] < 842 - 35 * mm]
    assert footer and body
    assert min(w[0] for w in body) >= 28 * mm - 1
    assert max(w[2] for w in body) <= (210 - 26) * mm + 1
    assert min(w[1] for w in body) >= 37 * mm - 6  # the first line's ascent above the margin
    # poppler's box is the face's ascent + descent, 1.44 em in Noto CJK: 三号 (16 pt) is 23 pt
    heights = sorted(round(w[3] - w[1]) for w in body)
    assert heights[len(heights) // 2] == 23, heights
    tops = sorted({round(w[1], 1) for w in body})
    pitches = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    assert sorted(pitches)[len(pitches) // 2] == pytest.approx(28, abs=0.6), pitches


def page_lines(pdf: Path, page: int) -> list[str]:
    """The lines of one page without the page number."""
    lines = [line.strip() for line in text(pdf, page).splitlines()]
    return [line for line in lines if line and not re.fullmatch(r"第 ?\d+ ?页 ?共 ?\d+ ?页", line)]


@pytest.mark.parametrize("which", ["pdf", "word"])
def test_no_page_ends_on_a_heading_or_starts_with_a_lone_total_row(
    which, pdf_path, word_pdf, document
):
    pdf = pdf_path if which == "pdf" else word_pdf
    headings = {
        re.sub(r"\s+", "", p.text) for p in document.paragraphs if p.style.name.startswith("Head")
    }
    for page in range(1, page_count(pdf) + 1):
        lines = page_lines(pdf, page)
        assert lines, f"page {page} is empty"
        assert re.sub(r"\s+", "", lines[-1]) not in headings, f"page {page} ends on a heading"
        body = [line for line in lines if not line.startswith(("序号", "释）", "释)"))]
        assert not re.match(r"合计\s", body[0]), f"page {page} starts with the 合计 row alone"
