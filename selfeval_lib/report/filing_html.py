"""The filing edition's blocks (blocks.py) as one paged HTML document in the Word file's official
layout (GB/T 9704), for WeasyPrint to print (pdf_export.py).

It reads the same blocks as the Word exporter, never the HTML report (the review edition), and
sets them as docx_export sets them: A4, margins 37/35/28/26 mm, a serif body at 三号 (16 pt) on a
28 pt line pitch (22 lines a page) with a two-character first-line indent, headings in distinct
faces (FACES), bold where Word is bold, the tables' column widths, sizes and repeated headers,
"第 X 页 共 Y 页" at the foot. The faces are freely licensed Noto CJK SC ones (FACES says which
stands in for which official face); pdf_export embeds them.
"""

from __future__ import annotations

import html

from ..errors import strip_controls
from .blocks import PRINTED_WIDTH
from .docx_export import KEEP_LAST_ROWS, SMALL, column_widths
from .docx_runs import MARK_COLOR

# The official faces and their freely licensed stand-ins (Noto CJK, SIL OFL 1.1, SC forms):
# (CSS family, weight). No free 仿宋 or 楷体 with the full GB 2312 repertoire ships with Debian;
# a Song (Ming) serif is the face official documents print in when 仿宋 is missing, its bold the
# nearest to the heavy 小标宋 title, and the sans faces give the two heading levels faces of
# their own, the heavier one for 黑体's weight.
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
FACES = {
    "仿宋": (SERIF, 400),  # body, tables, Heading 3 and 4 (bold)
    "黑体": (SANS, 700),  # Heading 1
    "楷体": (SANS, 400),  # Heading 2, captions
    "小标宋": (SERIF, 700),  # the title
}
MARK = f"#{MARK_COLOR}"  # the ※ mark's colour, as in Word


def _face(name: str) -> str:
    family, weight = FACES[name]
    return f'font-family: "{family}"; font-weight: {weight};'


CSS = f"""
@page {{
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center {{
    content: "第 " counter(page) " 页 共 " counter(pages) " 页";
    {_face("仿宋")} font-size: 14pt; vertical-align: bottom; padding-bottom: 18mm;
  }}
}}
html {{ {_face("仿宋")} font-size: 16pt; line-height: 28pt; color: #000; }}
body {{ margin: 0; }}
p {{ margin: 0; text-align: justify; orphans: 2; widows: 2; }}
p.body, p.list {{ text-indent: 2em; }}
p.note {{ font-size: {SMALL["note"]}pt; line-height: 1.3; }}
p.score {{ font-size: {SMALL["score"]}pt; line-height: 1.3; text-indent: 2em; }}
p.plain {{ white-space: pre-wrap; }}
h1, h2, h3, h4 {{ font-size: 16pt; line-height: 28pt; margin: 6pt 0 0; text-indent: 2em;
  break-after: avoid; break-inside: avoid; }}
h1 {{ {_face("黑体")} }}
h2 {{ {_face("楷体")} }}
h3, h4 {{ {_face("仿宋")} font-weight: 700; }}
h1.title {{ {_face("小标宋")} font-size: 22pt; line-height: 1.4; text-align: center;
  text-indent: 0; margin: 12pt 0; }}
p.field {{ text-align: center; text-indent: 0; }}
p.banner {{ text-align: center; text-indent: 0; font-size: 14pt; font-weight: 700;
  color: {MARK}; }}
b {{ font-weight: 700; }}
sup.mark {{ color: {MARK}; font-size: 0.7em; line-height: 0; }}
table {{ border-collapse: collapse; margin: 0 auto; table-layout: fixed; }}
th, td {{ border: 0.5pt solid #000; padding: 0 1mm; line-height: 1.15; vertical-align: top;
  text-align: left; white-space: pre-wrap; overflow-wrap: anywhere; }}
th {{ text-align: center; font-weight: 700; }}
td.num {{ text-align: right; }}
tr {{ break-inside: avoid; }}
tr.keep {{ break-after: avoid; }}
figure {{ margin: 0; text-align: center; break-inside: avoid; }}
figure img {{ width: {PRINTED_WIDTH}in; }}
figcaption {{ {_face("楷体")} font-size: 12pt; line-height: 28pt; }}
"""


def _text(text: str) -> str:
    return html.escape(strip_controls(text))


def _runs(runs: list[dict]) -> str:
    out = []
    for r in runs:
        text = _text(r["text"])
        if r.get("mark"):
            text = f'<sup class="mark">{text}</sup>'
        elif r.get("bold"):
            text = f"<b>{text}</b>"
        out.append(text)
    return "".join(out)


def _numeric(runs: list[dict]) -> bool:
    text = "".join(r["text"] for r in runs if not r.get("mark"))
    return text.replace(",", "").replace(".", "").replace("%", "").lstrip("-").isdigit()


def _table(block: dict) -> str:
    header, rows, style = block["header"], block["rows"], block.get("style", "data")
    size = SMALL.get(style, SMALL["data"])
    widths = column_widths(header, rows, size)
    cols = "".join(f'<col style="width: {w:.2f}mm">' for w in widths)
    head = "".join(f"<th>{_text(h)}</th>" for h in header)
    body = []
    for n, row in enumerate(rows):
        keep = ' class="keep"' if len(rows) - KEEP_LAST_ROWS <= n < len(rows) - 1 else ""
        cells = "".join(f"<td{' class=num' if _numeric(c) else ''}>{_runs(c)}</td>" for c in row)
        body.append(f"<tr{keep}>{cells}</tr>")
    return (
        f'<table style="font-size: {size}pt"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _block(block: dict) -> str:
    kind = block["kind"]
    if kind == "heading":
        level = min(block["level"], 4)
        return f"<h{level}>{_text(block['text'])}</h{level}>"
    if kind == "title":
        return f'<h1 class="title">{_text(block["text"])}</h1>'
    if kind == "banner":
        return f'<p class="banner">{_text(block["text"])}</p>'
    if kind == "fields":
        return "".join(
            f'<p class="field"><b>{_text(label)}</b>{_text(value)}</p>'
            for label, value in block["items"]
        )
    if kind == "paragraph":
        return f'<p class="{block.get("style", "body")}">{_runs(block["runs"])}</p>'
    if kind == "list":
        ordered = block.get("ordered")
        return "".join(
            f'<p class="list">{_text(f"{n}." if ordered else "· ")}{_runs(runs)}</p>'
            for n, runs in enumerate(block["items"], start=1)
        )
    if kind == "table":
        return _table(block)
    if kind == "figure":
        caption = block["caption"] + (f"（{block['note']}）" if block.get("note") else "")
        return (
            f'<figure><img alt="{_text(caption)}" src="data:image/png;base64,{block["png"]}"/>'
            f"<figcaption>{_text(caption)}</figcaption></figure>"
        )
    return ""


def filing_html(blocks: list[dict], title: str = "") -> str:
    """The filing edition's blocks as one HTML page in the official layout (CSS)."""
    body = "\n".join(_block(b) for b in blocks)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_text(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
