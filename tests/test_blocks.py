"""What the Word report says is what the HTML report says: every show_* output carries its content
twice (text/html and the blocks the Word export writes), and the two must agree, block kinds and
styles the Word export knows included (an unknown kind would be left out of the Word file)."""

from __future__ import annotations

import re
import unicodedata

import pytest

import selfeval_lib as sel
from selfeval_lib.report.blocks import Shown
from selfeval_lib.report.docx_export import SMALL

from .conftest import COMPLETE_PARAMS, EXAMPLE_PARAMS, ROOT, visible_text

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


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(
    scope="module",
    params=[EXAMPLE_PARAMS, COMPLETE_PARAMS, ROOT / "params" / "synth01_2024.yaml"],
    ids=["example", "complete", "synthetic"],
)
def report(request):
    return sel.load_report(request.param)


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
        page = _plain(visible_text(shown.part.html))
        assert _text(shown.part.blocks) == page, name
