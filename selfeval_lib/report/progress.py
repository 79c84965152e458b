"""上年存在问题整改情况: last year's 存在问题 and 改进措施, item by item, beside the progress the unit
states this year in its narrative section 上年问题整改情况 (未填报 where it states none).

Nothing is invented: an item's progress is only the unit's own text under the same number
("**1.…**", "1.", "1、", "（1）"); a section without numbers is shown whole, under the list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..fmt import present_text
from ..inputs.schema import PROGRESS_SECTION
from ..values import NOT_STATED_WORD, is_not_stated_text
from .blocks import Part, paragraph
from .content import Report
from .tables import esc, table_part

# The start of a numbered item of a unit's text: '**1.标题**', '1. 内容', '1、', '（1）', '(1)'.
_ITEM = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*)?\s*(?:[（(]\s*(\d+)\s*[)）]|(\d+)\s*[.、．)）])\s*")
HEADERS = ["序号", "上年存在问题", "上年改进措施", "本年整改情况"]


@dataclass(frozen=True)
class ProgressItem:
    """One of last year's problems, its measure and this year's progress ("" where not given)."""

    number: int
    problem: str
    measure: str
    progress: str


def numbered_items(text: str) -> dict[int, str]:
    """A section's numbered items as plain text by their numbers (bold marks dropped, a title
    line joined to its paragraphs); {} where the section is empty or 未填报, {0: text} where it
    has text but no numbers."""
    if is_not_stated_text(text) or not text.strip():
        return {}
    items: dict[int, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.lstrip().startswith("<!--"):
            continue  # a comment of the file (a synthetic unit's note), not the unit's words
        match = _ITEM.match(line)
        if match:
            current = int(match[1] or match[2])
            line = line[match.end() :]
        words = line.replace("**", "").strip()
        if current is not None and words:
            items.setdefault(current, []).append(words)
    if not items:
        return {0: " ".join(x.strip() for x in text.splitlines() if x.strip())}
    return {n: _joined(parts) for n, parts in items.items()}


def _joined(parts: list[str]) -> str:
    """'绩效目标量化不足' + '部分效益目标…' -> '绩效目标量化不足：部分效益目标…'."""
    text = parts[0]
    for part in parts[1:]:
        text += part if text[-1] in "。；：:;，,！？" else f"：{part}"
    return text


def progress_items(r: Report) -> tuple[list[ProgressItem], str]:
    """Last year's problems with their measures and this year's progress, by number; and the
    unit's progress text where it has no numbers (shown whole). ([], "") without last year's
    data, or where last year's narrative lists neither problems nor measures."""
    last = r.unit.previous
    if last is None:
        return [], ""
    problems = numbered_items(last.narrative.get("存在问题", ""))
    measures = numbered_items(last.narrative.get("改进措施", ""))
    progress = numbered_items(r.unit.narrative.get(PROGRESS_SECTION, ""))
    whole = progress.pop(0, "")
    numbers = sorted(problems.keys() | measures.keys())
    items = [
        ProgressItem(n, problems.get(n, ""), measures.get(n, ""), progress.get(n, ""))
        for n in numbers
    ]
    return items, whole


def progress_part(r: Report) -> Part:
    """The list to report progress against, as a table; nothing without last year's list."""
    items, whole = progress_items(r)
    if not items:
        return Part()
    year = r.unit.previous.params.year
    intro = (
        f"上年（{year}年）自评报告所列存在问题及改进措施如下，本年整改情况为单位在"
        f"“{PROGRESS_SECTION}”中的填报："
    )
    numbered = any(i.progress for i in items) or not whole
    rows = [
        [
            str(i.number or ""),
            esc(i.problem),
            esc(i.measure),
            *([esc(present_text(i.progress))] if numbered else []),
        ]
        for i in items
    ]
    part = Part(f"<p>{esc(intro)}</p>", [paragraph(intro)])
    part += table_part(HEADERS if numbered else HEADERS[:3], rows)
    if whole:
        said = f"本年整改情况：{whole}"
        part += Part(f"<p>{esc(said)}</p>", [paragraph(said)])
    elif not any(i.progress for i in items):
        none = f"单位{NOT_STATED_WORD}上年问题整改情况。"
        part += Part(f"<p>{esc(none)}</p>", [paragraph(none)])
    return part
