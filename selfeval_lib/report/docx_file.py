"""What both Word files of a unit (the report, docx_export.py; the 自评表, form.py) make alike:
style fonts named for East Asian and Western text, and a zip with no clock in it. Importable
without nbformat and nbconvert, which the kernel writing the 自评表 never needs."""

from __future__ import annotations

import io
import zipfile

from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # zip members: no clock in the file
MEDIA = "word/media/"  # where python-docx puts a document's pictures


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
    """The same zip with fixed member timestamps (python-docx stamps the time of saving): what
    docx_bytes_of writes in one pass, kept as the reference the tests hold it to."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(_member(info.filename), src.read(info.filename))
    return out.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    fixed = zipfile.ZipInfo(name, ZIP_TIME)
    # A chart is a PNG, deflated already: stored as it is (deflating it again took a tenth of the
    # Word report's time for 10 % of its bytes); the XML parts are deflated.
    stored = name.startswith(MEDIA)
    fixed.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    fixed.external_attr = 0o644 << 16
    return fixed


class _FixedZipWriter:
    """python-docx's zip writer (docx.opc.phys_pkg._ZipPkgWriter) with fixed_zip's members."""

    def __init__(self, out: io.BytesIO):
        self._zipf = zipfile.ZipFile(out, "w")

    def write(self, pack_uri, blob: bytes) -> None:
        self._zipf.writestr(_member(pack_uri.membername), blob)

    def close(self) -> None:
        self._zipf.close()


def docx_bytes_of(doc) -> bytes:
    """fixed_zip(doc.save()), written once: python-docx's save (OpcPackage.save and
    PackageWriter.write, parts in its order) into a zip with no clock in it, instead of saving,
    reading back and compressing every part again (a fifth of a Word file's time). Same bytes:
    tests/report/test_same_bytes.py."""
    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedZipWriter(out)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return out.getvalue()
