"""The report's content as structured blocks, built beside its HTML from the same values.

Each show_* output carries, beside its `text/html`, a JSON part of MIME type DOC_MIME:
`{"blocks": [...]}`. Exporters of the filing edition (Word, PDF) walk the executed notebook and read
these blocks, never the HTML. The blocks are the filing edition: the unit's statement only. What
the analyst alone needs (数据核对提示, the 未填报 list, provenance, computed-versus-self-score notes,
the framework's own notices) is in the HTML only, the review edition. A block is a dict with a "kind":

- heading:   {"level": 1-4, "text"}   (notebook Markdown ## -> 1, ### -> 2, h4 in outputs -> 3;
                                       a unit's bold one-line paragraph "**1.xxx**" -> 3)
- title:     {"text", "date"}         the report's title; date: YYYY-MM-DD the document is dated
                                       (its 填报日期, else 1 January of the year after)
- banner:    {"text"}                 the synthetic-unit banner
- fields:    {"items": [[label, value], ...]}   the cover's 评价年度/评价单位/填报日期
- paragraph: {"runs", "style"}        style: body | note | score | plain
- list:      {"ordered", "items": [runs, ...], "style"}
- table:     {"header": [str], "rows": [[runs]], "style": data | scores | hashes}
- figure:    {"png" (base64), "caption", "note"}

A run is {"text"} with optional "bold": true and "mark": true (a ※ mark, set as a superscript).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from IPython.display import HTML
from markdown_it import MarkdownIt

from ..fmt import ILLUSTRATIVE_MARK

DOC_MIME = "application/vnd.selfeval.doc+json"
# A notebook cell tagged so is the review edition's (the HTML) and left out of the filing edition.
REVIEW_TAG = "review"
# The width a figure block prints at in Word and the PDF (139.7 mm), and canvas draws it: a whole
# number of pixels at 200 dpi, so none is lost to rounding.
PRINTED_WIDTH = 5.5  # inches
MARK_RUN = {"text": ILLUSTRATIVE_MARK, "mark": True}


def run(text: object, bold: bool = False) -> dict:
    r = {"text": str(text)}
    if bold:
        r["bold"] = True
    return r


@dataclass
class Cell:
    """A table cell: its escaped HTML (as the HTML report shows it) and its runs."""

    html: str
    runs: list[dict] = field(default_factory=list)

    def bold(self) -> Cell:
        return Cell(f"<strong>{self.html}</strong>", [{**r, "bold": True} for r in self.runs])


def cell_html(c: Cell | str) -> str:
    return c.html if isinstance(c, Cell) else c


def cell_runs(c: Cell | str) -> list[dict]:
    return c.runs if isinstance(c, Cell) else [run(html.unescape(c))] if c else []


@dataclass
class Part:
    """A piece of a show_* output: its HTML and the same content as blocks."""

    html: str = ""
    blocks: list[dict] = field(default_factory=list)

    def __add__(self, other: Part) -> Part:
        return Part(self.html + other.html, self.blocks + other.blocks)


def paragraph(text: str, style: str = "body") -> dict:
    return {"kind": "paragraph", "runs": [run(text)], "style": style}


def table(header: list[str], rows: list[list[Cell | str]], style: str = "data") -> dict:
    return {
        "kind": "table",
        "header": list(header),
        "rows": [[cell_runs(c) for c in row] for row in rows],
        "style": style,
    }


class Shown(HTML):
    """A show_* output: text/html (`.data`) for the HTML report, DOC_MIME for the other formats.

    text/plain is what IPython.display.HTML gives, so notebooks read as before."""

    def __init__(self, part: Part):
        super().__init__(part.html)
        self.part = part

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self.part.html,
            DOC_MIME: {"blocks": self.part.blocks},
            "text/plain": "<IPython.core.display.HTML object>",
        }


# Markdown (narrative.md sections, the notebook's headings) as blocks: the same parser the HTML
# uses, read as tokens. Raw HTML stays text and images are off, as in display.markdown_html.
_md = MarkdownIt("commonmark", {"html": False}).disable("image")
# A unit's own text (narrative.md) has no headings of its own: "# 标题" in it is text, never a
# heading that would stand among the report's (and in the Word file's navigation pane). Nor has
# it links: "[通知](http://…)", "<http://…>" and "[1]: http://…" stay text as typed, so a published
# report never sends its reader to a site a township's file chose (HTML, Word, and the PDF made
# from the HTML).
NARRATIVE_MD = MarkdownIt("commonmark", {"html": False}).disable(
    ["image", "heading", "lheading", "link", "autolink", "reference"]
)


def _inline_runs(token) -> list[dict]:
    runs, bold = [], 0
    for child in token.children or []:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type in ("text", "code_inline", "html_inline"):
            runs.append(run(child.content, bool(bold)))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(run("\n" if child.type == "hardbreak" else ""))
    return [r for r in runs if r["text"]]


SUBHEADING_CHARS = 40  # a bold line longer than this is an emphasised sentence, not a heading


def _text(runs: list[dict]) -> str:
    return "".join(r["text"] for r in runs)


def _is_subheading(runs: list[dict]) -> bool:
    """A unit's paragraph that is one short bold line ("**1.坚持项目牵引**"): the heading of what
    follows, a Word heading (kept with the next paragraph, in the navigation pane)."""
    text = _text(runs).strip()
    return (
        bool(text)
        and all(r.get("bold") for r in runs if r["text"].strip())
        and len(text) <= SUBHEADING_CHARS
        and "\n" not in text
        and text[-1] not in "。；;：:，,"
    )


def markdown_blocks(text: str, heading_offset: int = 0, narrative: bool = False) -> list[dict]:
    """Headings, paragraphs and lists of Markdown text (nested lists are flattened);
    `narrative`: a unit's text, whose '#' lines are text (NARRATIVE_MD)."""
    blocks: list[dict] = []
    parser = NARRATIVE_MD if narrative else _md
    tokens = parser.parse(text) if text.strip() else []
    lists: list[dict] = []
    heading_level = 0
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append({"kind": "list", "ordered": tok.type == "ordered_list_open", "items": []})
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            done = lists.pop()
            if lists:  # a nested list's items join its parent's
                lists[-1]["items"].extend(done["items"])
            else:
                blocks.append(done)
        elif tok.type == "list_item_open":
            lists[-1]["items"].append([])
        elif tok.type == "heading_open":
            heading_level = int(tok.tag[1]) + heading_offset
        elif tok.type == "inline":
            runs = _inline_runs(tok)
            if heading_level:
                blocks.append(
                    {
                        "kind": "heading",
                        "level": heading_level,
                        "text": _text(runs),
                    }
                )
                heading_level = 0
            elif lists:
                lists[-1]["items"][-1].extend(runs)
            elif narrative and _is_subheading(runs):
                blocks.append({"kind": "heading", "level": 3, "text": _text(runs)})
            else:
                blocks.append({"kind": "paragraph", "runs": runs, "style": "body"})
        elif tok.type in ("fence", "code_block"):
            blocks.append(paragraph(tok.content.rstrip("\n"), "plain"))
    return blocks
