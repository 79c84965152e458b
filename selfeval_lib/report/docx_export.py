"""Export an executed report notebook as an editable Word document (.docx), with python-docx.

The exporter walks the notebook as the HTML exporter does: its Markdown cells are the headings
(## -> 标题 1, ### -> 标题 2) and each show_* output's DOC_MIME part (blocks.py) gives the title,
paragraphs, tables, figures and marks. No HTML is read. The page follows GB/T 9704 (党政机关公文
格式): A4, margins 37/35/28/26 mm, 仿宋 body with a first-line indent of two characters, 黑体
level-1 and 楷体 level-2 headings, a 小标宋-style title (falling back to 宋体), "第 X 页 共 Y 页"
in the footer. Styles only name fonts (仿宋/FangSong, 黑体/SimHei, 楷体/KaiTi, 宋体/SimSun), so a
clerk restyles the whole document by changing a style. Same notebook, same bytes.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import io
from functools import cache

import nbformat
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from nbconvert.exporters import Exporter
from traitlets import default

from ..errors import strip_controls
from .blocks import DOC_MIME, PRINTED_WIDTH, REVIEW_TAG, markdown_blocks
from .docx_file import docx_bytes_of, set_fonts
from .docx_runs import (
    MARK_COLOR,
    add_runs,
    cell_format,
    document_formats,
    style_id,
    styled,
    text_run,
)
from .export import HIDDEN_TAGS, extract_scores

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "zh-CN"  # every style's language: spelling, hyphenation and line breaking as Chinese
TEXT_WIDTH_MM = 156  # 210 - 28 - 26
CELL_MARGIN_TWIPS = 57  # 1 mm left and right in every cell (Word's default is 1.9 mm)
CELL_PADDING_MM = 2.4  # both margins, the rules and a little air
# The narrowest a column of Chinese text is made, in characters: "一级指标" on one line.
CJK_MIN_CHARS = 4
# Rows before a table's last row kept on its page: the 合计 row never starts a page alone.
KEEP_LAST_ROWS = 3

# (style, east-Asian font, Western font, size in pt, bold)
FONTS = {
    "Normal": ("仿宋", "FangSong", 16, False),  # 三号仿宋
    "Title": ("方正小标宋简体", "SimSun", 22, False),  # 二号小标宋; Word falls back to 宋体
    "Heading 1": ("黑体", "SimHei", 16, False),
    "Heading 2": ("楷体", "KaiTi", 16, False),
    "Heading 3": ("仿宋", "FangSong", 16, True),
    "Heading 4": ("仿宋", "FangSong", 16, True),
    "Caption": ("楷体", "KaiTi", 12, False),
}
SMALL = {"note": 12, "score": 14, "data": 10.5, "scores": 9, "hashes": 9}  # 小四 四号 五号 小五


def _language(style_element) -> None:
    """<w:lang w:val="zh-CN" w:eastAsia="zh-CN"/> in a style's (or the defaults') run properties."""
    rpr = style_element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        style_element.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _languages(doc) -> None:
    """zh-CN as the language of the document defaults and of every style that has run properties
    (python-docx's template says en-US, so Word checks Chinese text as English)."""
    styles = doc.styles.element
    _language(styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")))
    for style in styles.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) != "numbering":  # a list style has no run properties
            _language(style)
    for style in styles.iterchildren(qn("w:style")):  # rPr before the style's table properties
        rpr, tbl = style.find(qn("w:rPr")), style.find(qn("w:tblPr"))
        if rpr is not None and tbl is not None and style.index(rpr) > style.index(tbl):
            tbl.addprevious(rpr)


def _styles(doc) -> None:
    for name, (east, west, size, bold) in FONTS.items():
        style = doc.styles[name]
        set_fonts(style, east, west)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.line_spacing = Pt(28) if name == "Normal" else None  # 固定值 28 磅: 22 lines a page
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        if name.startswith("Heading"):
            fmt.first_line_indent = Pt(32)
            fmt.keep_with_next = True
            fmt.space_before = Pt(6)
        if name == "Title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_before = Pt(12)
            fmt.space_after = Pt(12)
            style.element.pPr.remove_all("w:pBdr")  # the template's underline rule
    doc.styles["Normal"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _languages(doc)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Pt(0)
    for text in ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"):
        if text.isupper():
            _field(para, text)
        else:
            para.add_run(text).font.size = Pt(14)


def _field(para, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out pages."""
    run = para.add_run()
    run.font.size = Pt(14)
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1")):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text.startswith(" ") else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _paragraph(doc, runs: list[dict], style: str = "body") -> None:
    para = doc.add_paragraph()
    fmt = para.paragraph_format
    if style == "body":
        fmt.first_line_indent = Pt(32)
    size = SMALL.get(style)
    if size:
        fmt.line_spacing = 1.3
    add_runs(para, runs, size)


def column_widths(header: list[str], rows: list[list[list[dict]]], size: float) -> list[float]:
    """Column widths in mm, as a browser lays out an automatic table: each column at least its
    longest unbreakable word (a figure, two characters of Chinese), the rest of the text width
    shared in proportion to how much more each column's longest line needs."""
    em = size * 25.4 / 72  # mm

    def width(text: str) -> float:  # in em: CJK characters 1, Latin letters and digits about half
        return sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)  # 0.6: bold figures too

    def unbreakable(text: str) -> float:  # Chinese breaks anywhere, but not into slivers
        cjk = any(ord(ch) > 0x2E80 for ch in text)
        return min(width(text), CJK_MIN_CHARS) if cjk else width(text)

    low, high = [], []
    for i, head in enumerate(header):
        cells = ["".join(r["text"] for r in row[i]) for row in rows if i < len(row)]
        low.append(
            max([unbreakable(head)] + [unbreakable(c) for c in cells]) * em + CELL_PADDING_MM
        )
        longest = max([width(head)] + [width(c) for c in cells])
        high.append(max(longest * em + CELL_PADDING_MM, low[-1]))
    if sum(high) <= TEXT_WIDTH_MM:
        return high
    if sum(low) >= TEXT_WIDTH_MM:
        return [w * TEXT_WIDTH_MM / sum(low) for w in low]
    share = (TEXT_WIDTH_MM - sum(low)) / (sum(high) - sum(low))
    return [lo + (hi - lo) * share for lo, hi in zip(low, high, strict=True)]


def _table(doc, block: dict) -> None:
    header, rows, style = block["header"], block["rows"], block.get("style", "data")
    size = SMALL.get(style, SMALL["data"])
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table._tbl.tblStyle_val = style_id(doc, "Table Grid", WD_STYLE_TYPE.TABLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)
    widths = column_widths(header, rows, size)
    for column, mm in zip(table.columns, widths, strict=True):
        column.width = Mm(mm)  # the grid, which LibreOffice reads; Word reads each cell's width
    # The rows and cells as python-docx made them (each cell one empty paragraph), taken from the
    # XML: `row.cells` and `cell.width` work out merged cells first, which a new table has none of.
    trs = table._tbl.tr_lst
    for r, cells in enumerate([[[{"text": h, "bold": True}] for h in header], *rows]):
        tr_pr = trs[r].get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row never splits across pages
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
        tcs = trs[r].tc_lst
        for c, runs in enumerate(cells):
            tcs[c].width = Mm(widths[c])
            para = Paragraph(tcs[c].p_lst[0], table)
            # the last rows keep company: no table ends with one row alone on a page
            cell_format(para, _align(runs, r == 0), len(rows) - KEEP_LAST_ROWS <= r < len(rows))
            add_runs(para, runs, size)


def _align(runs: list[dict], head: bool):
    text = "".join(r["text"] for r in runs if not r.get("mark"))
    numeric = text.replace(",", "").replace(".", "").replace("%", "").lstrip("-").isdigit()
    if head:
        return WD_ALIGN_PARAGRAPH.CENTER
    return WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT


def _figure(doc, block: dict) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Pt(0)
    para.paragraph_format.keep_with_next = True
    para.paragraph_format.line_spacing = 1.0
    para.add_run().add_picture(
        io.BytesIO(base64.b64decode(block["png"])), width=Inches(PRINTED_WIDTH)
    )
    caption = block["caption"] + (f"（{block['note']}）" if block.get("note") else "")
    styled(doc, caption, "Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER


def _list(doc, block: dict) -> None:
    for n, runs in enumerate(block["items"], start=1):
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(32)
        prefix = f"{n}." if block.get("ordered") else "· "
        add_runs(para, [{"text": prefix}, *runs])


def _add(doc, block: dict) -> None:
    kind = block["kind"]
    if kind == "heading":
        styled(doc, block["text"], f"Heading {min(block['level'], 4)}")
    elif kind == "title":
        styled(doc, block["text"], "Title")
    elif kind == "banner":
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = text_run(para, block["text"])
        run.bold, run.font.color.rgb, run.font.size = True, MARK_COLOR, Pt(14)
    elif kind == "fields":
        for label, value in block["items"]:
            para = doc.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_runs(para, [{"text": label, "bold": True}, {"text": value}])
    elif kind == "paragraph":
        _paragraph(doc, block["runs"], block.get("style", "body"))
    elif kind == "list":
        _list(doc, block)
    elif kind == "table":
        _table(doc, block)
    elif kind == "figure":
        _figure(doc, block)


def notebook_blocks(nb: nbformat.NotebookNode) -> list[dict]:
    """The report's blocks in notebook order: Markdown cells' headings (## is level 1), then each
    output's DOC_MIME blocks: the filing edition. Cells tagged as hidden (parameters, the scores
    record) or as the review edition's (REVIEW_TAG: 数据核对提示, provenance) are skipped."""
    blocks: list[dict] = []
    for cell in nb.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & {*HIDDEN_TAGS, REVIEW_TAG}:
            continue
        if cell.cell_type == "markdown":
            blocks += markdown_blocks(cell.source, heading_offset=-1)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if DOC_MIME in data:
                blocks += data[DOC_MIME]["blocks"]
            elif "image/png" in data:
                blocks.append({"kind": "figure", "png": data["image/png"], "caption": ""})
    return blocks


@cache
def styled_blank() -> object:
    """python-docx's template with the report's styles and page, and without its empty first
    paragraph: made once per process and copied for each document (a copy is lxml's in C, the
    styling python-docx's in Python: 10 ms against 25 ms a document)."""
    doc = Document()
    _styles(doc)
    _page(doc)
    body = doc.element.body
    for para in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(para)
    return doc


def blank_document():
    """A copy of styled_blank() for one document (the same bytes as styling a new one:
    tests/report/test_same_bytes.py)."""
    return copy.deepcopy(styled_blank())


def docx_bytes(blocks: list[dict], title: str = "") -> bytes:
    """A Word document of the blocks, the same bytes for the same blocks."""
    doc = blank_document()
    with document_formats():
        for block in blocks:
            _add(doc, block)
    props = doc.core_properties
    props.title, props.author = strip_controls(title), ""
    props.last_modified_by = ""
    dated = document_time(blocks)
    props.created = props.modified = props.last_printed = dated
    props.revision, props.comments, props.keywords = 1, "", ""
    return docx_bytes_of(doc)


def document_time(blocks: list[dict]) -> dt.datetime:
    """The document's date (the title block's: the report's 填报日期) at midnight, for its core
    properties; 2000-01-01 for blocks without a title (a 自评表, a test's few blocks)."""
    date = next((b.get("date") for b in blocks if b["kind"] == "title"), None)
    return dt.datetime.fromisoformat(date or "2000-01-01")


def export_docx(nb: nbformat.NotebookNode) -> bytes:
    """The Word document of an executed report notebook."""
    try:
        title = str(extract_scores(nb).get("title", ""))
    except Exception:  # noqa: BLE001 - a notebook without a scores record still exports
        title = ""
    return docx_bytes(notebook_blocks(nb), title)


class DocxExporter(Exporter):
    """`jupyter nbconvert --to selfeval-docx executed.ipynb`: the Word document `selfeval run`
    writes beside the HTML report, byte for byte (registered in pyproject.toml)."""

    export_from_notebook = "Word document (selfeval)"
    output_mimetype = DOCX_MIME

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".docx"

    def from_notebook_node(self, nb, resources=None, **kw):
        nb_copy, resources = super().from_notebook_node(copy.deepcopy(nb), resources, **kw)
        resources["output_extension"] = ".docx"
        return export_docx(nb_copy), resources
