"""A clerk's text file as text: its encoding and, for a table, its separator, as Excel and WPS save them.

Encodings, in the order they are tried: a byte-order mark says UTF-8, UTF-16 or UTF-32 ("Unicode
text" from Excel is UTF-16 with a mark); UTF-16 without a mark is known by its zero bytes (every
ASCII character of it — digits, commas, line ends — has one, always at the same side of its
pair); then UTF-8, then GB18030 (a superset of GBK: "CSV" from Excel or WPS on Chinese Windows).
Separators: a comma, a tab (Excel's "Unicode text" and "text (tab-delimited)") or a semicolon
(Excel where the comma is the decimal sign), whichever the header row holds most of.
"""

from __future__ import annotations

import codecs

MARKS = (  # longest first: the UTF-32-LE mark begins with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
FALLBACKS = ("utf-8", "gb18030")
SEPARATORS = (",", "\t", ";")
SAMPLE = 4096  # bytes looked at to tell UTF-16 without a mark


def _utf16_without_mark(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the zero bytes of `raw` sit on one side of each pair (at
    least one pair in ten), as ASCII characters of UTF-16 do; else None. UTF-8 and GB18030 text
    has no zero bytes at all."""
    sample = raw[:SAMPLE]
    if len(raw) % 2 or len(sample) < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd * 10 >= pairs and even * 10 <= odd:
        return "utf-16-le"
    if even * 10 >= pairs and odd * 10 <= even:
        return "utf-16-be"
    return None


def decode(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a clerk's file, or None when no encoding above reads it."""
    for mark, encoding in MARKS:
        if raw.startswith(mark):
            try:
                return raw[len(mark) :].decode(encoding), encoding
            except UnicodeDecodeError:
                return None  # a mark, then bytes not of its encoding: say so, never guess
    guess = _utf16_without_mark(raw)
    for encoding in ((guess,) if guess else ()) + FALLBACKS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def separator(text: str) -> str:
    """The separator of a table: the one of SEPARATORS its first non-blank line holds most of
    (a header names columns, and no column name of the contract holds any of them)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # a tie keeps the first: the comma
    return best if counts[best] else ","
