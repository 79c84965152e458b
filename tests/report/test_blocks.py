"""What the Word report says is what the HTML report says, less the review edition's matter: every
show_* output carries its content twice (text/html, the review edition, and the blocks the Word and
PDF exports write, the filing edition), and the two must agree, block kinds and styles the Word
export knows included (an unknown kind would be left out of the Word file)."""

from __future__ import annotations

import re
import unicodedata

import pytest

import selfeval_lib as sel
from selfeval_lib.report import canvas
from selfeval_lib.report.blocks import Shown
from selfeval_lib.report.docx_export import SMALL
from selfeval_lib.report.tables import REVIEW_COLUMNS, esc, filing_basis

from ..conftest import COMPLETE_PARAMS, EXAMPLE_PARAMS, ROOT, visible_text

KINDS = {"heading", "title", "banner", "fields", "paragraph", "list", "table", "figure"}
PARAGRAPH_STYLES = {"body", "plain", *SMALL}  # what docx_export sets a size or an indent for
TABLE_STYLES = {"data", "scores", "hashes"}
SECTIONS = ("重点工作", "自评过程", "主要做法和经验", "存在问题", "改进措施", "其他自评情况")


def _outputs(r) -> dict[str, Shown]:
    shown = {
        "cover": sel.show_cover(r),
        "profile": sel.show_profile(r),
        "team": sel.show_team(r),
        "submission": sel.show_submission(r),
        "publication": sel.show_publication(r),
        "result": sel.show_result(r),
        "scores chart": sel.show_chart(r, "scores"),
        "indicators": sel.show_indicators(r),
        "warnings": sel.show_warnings(r),
        "provenance": sel.show_provenance(r),
    }
    shown.update({section: sel.show_text(r, section) for section in SECTIONS})
    return shown


def _runs(runs: list[dict]) -> str:
    return "".join(r["text"] for r in runs)


def _text(blocks: list[dict]) -> str:
    """The words of the blocks, in order, as the Word file has them."""
    words = []
    for b in blocks:
        kind = b["kind"]
        if kind in ("heading", "title", "banner"):
            words.append(b["text"])
        elif kind == "fields":
            words += [label + value for label, value in b["items"]]
        elif kind == "paragraph":
            words.append(_runs(b["runs"]))
        elif kind == "list":
            words += [_runs(item) for item in b["items"]]
        elif kind == "table":  # the page lists the input files' hashes without a header row
            header = [] if b.get("style") == "hashes" else b["header"]
            words += header + [_runs(cell) for row in b["rows"] for cell in row]
        elif kind == "figure":
            words.append(b["caption"] + (f"（{b['note']}）" if b.get("note") else ""))
    return _plain("".join(words))


def _bold(blocks: list[dict]) -> str:
    """The words the Word file sets in bold: bold runs and level-3 headings (its style is bold 仿宋;
    a unit's one-line bold paragraph is one); table header rows are left out, as is the page's <th>."""
    words = []
    for b in blocks:
        runs = []
        if b["kind"] == "heading" and b["level"] == 3:
            words.append(b["text"])
        if b["kind"] == "paragraph":
            runs = b["runs"]
        elif b["kind"] == "list":
            runs = [r for item in b["items"] for r in item]
        elif b["kind"] == "table":
            runs = [r for row in b["rows"] for cell in row for r in cell]
        words += [r["text"] for r in runs if r.get("bold")]
        if b["kind"] == "fields":
            words += [label for label, _ in b["items"]]
    return _plain("".join(words))


def _strong(page: str) -> str:
    """The text of the page's <strong> elements, its <h4> headings and the cover's field labels
    (<dt>, bold)."""
    found = re.findall(r"<(strong|dt|h4)>(.*?)</\1>", page, re.S)
    return _plain("".join(visible_text(text) for _, text in found))


def _filing(page: str, r) -> str:
    """The page less what only the review edition states: the score table's 计算得分 and 自评得分
    columns, the computed score beside a self score, the framework's notice, the notes for the
    analyst, the pointer to the 数据核对提示, the warnings and the provenance."""
    if 'class="selfeval warnings' in page or 'class="selfeval provenance' in page:
        return ""

    def columns(table: re.Match) -> str:
        def row(tr: re.Match) -> str:
            cells = re.findall(r"<t[hd]>.*?</t[hd]>", tr.group(0), re.S)
            keep = [c for i, c in enumerate(cells) if i not in drop]
            return "<tr>" + "".join(keep) + "</tr>"

        heads = re.findall(r"<th>(.*?)</th>", table.group(0))
        drop = {i for i, h in enumerate(heads) if h in REVIEW_COLUMNS}
        return re.sub(r"<tr>.*?</tr>", row, table.group(0), flags=re.S)

    page = re.sub(r'<table class="scores">.*?</table>', columns, page, flags=re.S)
    for s in r.card.scores:
        page = page.replace(esc(s.basis), esc(filing_basis(s)))
    fw = r.unit.framework
    page = page.replace(esc(f"评分表：{fw.name}。{fw.notice}"), "")
    page = re.sub(r'<p class="note">(“计算得分”|适用范围：).*?</p>', "", page)
    return page.replace("，与各行合计不一致的见数据核对提示。", "。")


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(
    scope="module",
    params=[EXAMPLE_PARAMS, COMPLETE_PARAMS, ROOT / "params" / "synth01_2024.yaml"],
    ids=["example", "complete", "synthetic"],
)
def report(request):
    return sel.load_report(request.param)


@pytest.fixture(autouse=True)
def no_drawing(monkeypatch):
    """Charts are compared by caption and note here, not drawn (test_charts draws them): the
    tests stay fast enough for mutmut to run them for every mutant of display.py."""
    monkeypatch.setattr(canvas, "figure_png", lambda fig: b"PNG")


# The show_* calls are made in the tests themselves, not in a fixture: mutmut picks the tests that
# reach a function by what each test's own call does.


def test_every_block_is_of_a_kind_and_style_the_word_export_writes(report):
    for name, shown in _outputs(report).items():
        for b in shown.part.blocks:
            assert b["kind"] in KINDS, (name, b)
            if b["kind"] == "paragraph":
                assert b.get("style", "body") in PARAGRAPH_STYLES, (name, b)
            if b["kind"] == "table":
                assert b.get("style", "data") in TABLE_STYLES, (name, b)
                assert all(len(row) == len(b["header"]) for row in b["rows"]), (name, b)
            if b["kind"] == "heading":
                assert 1 <= b["level"] <= 4, (name, b)


def test_the_blocks_say_what_the_page_says(report):
    for name, shown in _outputs(report).items():
        page = _plain(visible_text(_filing(shown.part.html, report)))
        assert _text(shown.part.blocks) == page, name


def test_the_blocks_set_in_bold_what_the_page_sets_in_bold(report):
    for name, shown in _outputs(report).items():
        # the ※ after a bold figure is a superscript of its own in Word, inside <strong> on the page
        bold, strong = _bold(shown.part.blocks), _strong(_filing(shown.part.html, report))
        assert bold.replace("※", "") == strong.replace("※", ""), name


def _styles(blocks: list[dict], kind: str) -> list[str]:
    default = "data" if kind == "table" else "body"
    return [b.get("style", default) for b in blocks if b["kind"] == kind]


def test_the_blocks_are_styled_as_the_page_is(report):
    """Notes, score lines and tables carry the style of their class on the page (Word sets each
    in its own size); the warnings and the inputs' hashes are the review edition's alone."""
    outputs = _outputs(report)
    for name, shown in outputs.items():
        page, blocks = _filing(shown.part.html, report), shown.part.blocks
        paragraphs = _styles(blocks, "paragraph")
        assert paragraphs.count("note") == page.count('<p class="note">'), name
        assert paragraphs.count("score") == page.count('<p class="score-line">'), name
        tables = [s for s in _styles(blocks, "table") if s != "hashes"]
        assert tables == re.findall(r'<table class="([^"]*)"', page), name
    assert outputs["warnings"].part.blocks == outputs["provenance"].part.blocks == []
    assert "<p>" in outputs["warnings"].part.html and "SHA-256" in outputs["provenance"].part.html


def test_the_filing_editions_basis_is_the_units_own_reason_where_it_gave_a_self_score():
    from selfeval_lib.report.tables import score_part

    r = sel.load_report(COMPLETE_PARAMS)
    table = next(b for b in score_part(r).blocks if b["kind"] == "table")
    bases = {
        s.indicator.name: "".join(run["text"] for run in row[-1])
        for s, row in zip(r.card.scores, table["rows"], strict=False)
    }
    own = r.card.scores[0]  # 部门整体绩效目标产出完成情况: the unit's 20 and its reason
    assert own.self_score is not None and bases[own.indicator.name] == own.self_reason
    assert bases["部门预算资金支出率"] == (  # no self score: the computed basis
        "支出率93%※，低于95%标准2个百分点※，每个百分点扣0.5分，扣1分※。"
    )
