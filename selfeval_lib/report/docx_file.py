"""What both Word files of a unit (the report, docx_export.py; the 自评表, form.py) make alike:
style fonts named for East Asian and Western text, and a zip with no clock in it. Importable
without nbformat and nbconvert, which the kernel writing the 自评表 never needs."""

from __future__ import annotations

import io
import zipfile

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # zip members: no clock in the file


def set_fonts(target, east: str, west: str) -> None:
    """Name the fonts of a style or run: Western (ascii/hAnsi) and East Asian."""
    target.font.name = west
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), west)
    fonts.set(qn("w:eastAsia"), east)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed member timestamps (python-docx stamps the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
