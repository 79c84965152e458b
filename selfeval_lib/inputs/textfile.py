"""A clerk's text file as text: its encoding and, for a table, its separator, as Excel and WPS save them.

Encodings, in the order they are tried: a byte-order mark says UTF-8, UTF-16 or UTF-32 ("Unicode
text" from Excel is UTF-16 with a mark); UTF-16 without a mark is known by its zero bytes (every
ASCII character of it — digits, commas, line ends — has one, at the same side of its pair); then UTF-8, then GB18030 (a superset of GBK: "CSV" from Excel or WPS on Chinese Windows).
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
SAMPLE = 20000  # characters looked at to tell the byte order of UTF-16 without a mark


def _readable(text: str) -> int:
    """How many of the first characters of `text` a Chinese table or text would hold: ASCII,
    CJK and its punctuation, full-width forms."""
    return sum(
        c.isascii() or "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" for c in text[:SAMPLE]
    )


def _utf16_without_mark(raw: bytes) -> tuple[str, str] | None:
    """(text, 'utf-16-le' or 'utf-16-be') of `raw` when it holds zero bytes, as UTF-16 text does
    (each ASCII character has one; UTF-8 and GB18030 text has none): the byte order that reads
    as more Chinese and ASCII text wins. Else None."""
    if len(raw) % 2 or 0 not in raw:
        return None
    try:  # UTF-8 text with a stray zero byte is UTF-8 (its NUL is then refused by name)
        raw.decode("utf-8")
        if raw.count(0) * 100 < len(raw):
            return None
    except UnicodeDecodeError:
        pass
    found = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        found.append((_readable(text), text, encoding))
    if not found:
        return None
    _, text, encoding = max(found, key=lambda f: f[0])  # a tie keeps little-endian (Windows)
    return text, encoding


def decode(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a clerk's file, or None when no encoding above reads it."""
    for mark, encoding in MARKS:
        if raw.startswith(mark):
            try:
                return raw[len(mark) :].decode(encoding), encoding
            except UnicodeDecodeError:
                return None  # a mark, then bytes not of its encoding: say so, never guess
    if utf16 := _utf16_without_mark(raw):
        return utf16
    for encoding in FALLBACKS:
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
