"""The filing edition as a PDF in the Word file's official layout, with WeasyPrint (`selfeval run
--pdf`, `make pdf`).

The PDF is made from the same blocks as the Word file (docx_export.notebook_blocks), set by
filing_html in the GB/T 9704 layout, never from the HTML report: the review edition's 数据核对提示,
未填报 list and provenance are not in it. WeasyPrint installs from PyPI (it needs Debian's pango
at run time) and fetches nothing while it works: the page is one file with its images inline. It
runs in a child process whose fontconfig sees the Noto Serif CJK and Noto Sans CJK files of
Debian's fonts-noto-cjk and, of their faces, the SC ones only (FONTCONFIG rejects the JP, KR, TC
and HK faces the same files hold), so every glyph has its Simplified Chinese form and every font is
embedded and subset. The same notebook gives the same PDF bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from ..errors import RunError
from .docx_export import notebook_blocks
from .export import extract_scores
from .filing_html import SANS, SERIF, filing_html

OTHER_FORMS = ("JP", "KR", "TC", "HK")  # the CJK faces whose glyph forms are not Simplified Chinese
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
{dirs}
  <cachedir>{cache}</cachedir>
  <selectfont><rejectfont>
{rejects}
  </rejectfont></selectfont>
  <config><rescan><int>0</int></rescan></config>
</fontconfig>
"""
TIMEOUT = 300  # seconds for one report


def _font_dirs() -> list[str]:
    """The folders holding the Noto Serif CJK SC and Noto Sans CJK SC files (fc-list)."""
    fc_list = shutil.which("fc-list")
    found: set[str] = set()
    for family in (SERIF, SANS) if fc_list else ():
        done = subprocess.run(
            [fc_list, "-f", "%{file}\\n", family], capture_output=True, text=True, check=False
        )
        files = [line for line in done.stdout.splitlines() if line.strip()]
        if not files:
            found.clear()
            break
        found.update(str(Path(f).parent) for f in files)
    if not found:
        raise RunError(
            f"找不到字体 {SERIF} / {SANS}，无法生成 PDF（apt-get install fonts-noto-cjk）/ the "
            f"fonts {SERIF} and {SANS} are not installed: apt-get install fonts-noto-cjk"
        )
    return sorted(found)


def _fontconfig_file() -> Path:
    """A fontconfig setup that knows the Noto CJK files and, of their faces, the SC ones."""
    home = Path(tempfile.gettempdir()) / f"selfeval-fontconfig-{os.getuid()}"
    home.mkdir(exist_ok=True)
    conf = home / "filing-fonts.conf"
    rejects = "\n".join(
        f'    <pattern><patelt name="family"><string>Noto {kind} CJK {forms}</string></patelt>'
        "</pattern>"
        for kind in ("Serif", "Sans", "Sans Mono")
        for forms in OTHER_FORMS
    )
    text = FONTCONFIG.format(
        dirs="\n".join(f"  <dir>{d}</dir>" for d in _font_dirs()),
        cache=home / "filing-cache",
        rejects=rejects,
    )
    if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
        conf.write_text(text, encoding="utf-8")
    return conf


def export_pdf(nb: nbformat.NotebookNode) -> bytes:
    """The filing edition's PDF of an executed report notebook (the Word file's blocks)."""
    try:
        title = str(extract_scores(nb).get("title", ""))
    except RunError:
        title = ""
    return pdf_bytes(filing_html(notebook_blocks(nb), title))


def pdf_bytes(html: str) -> bytes:
    """The PDF of one HTML page (filing_html), made by WeasyPrint in a child process."""
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig_file())}
    env.pop("FONTCONFIG_PATH", None)
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__],
            input=html.encode("utf-8"),
            capture_output=True,
            env=env,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RunError(f"生成 PDF 超时 / making the PDF took over {TIMEOUT}s") from None
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RunError(
            "生成 PDF 失败 / could not make the PDF: "
            + (why[-1] if why else f"exit status {done.returncode}")
        )
    return done.stdout


def _render(html: bytes) -> bytes:
    """In the child process: HTML on stdin, PDF on stdout."""
    try:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise SystemExit(
            "WeasyPrint 不可用（需安装 pango：apt-get install libpango-1.0-0 libpangoft2-1.0-0）"
            f" / WeasyPrint is not usable (it needs Debian's pango): {exc}"
        ) from None
    fonts = FontConfiguration()
    document = HTML(string=html.decode("utf-8"), base_url=None)
    return document.write_pdf(font_config=fonts, uncompressed_pdf=False)


NO_OFFICE = (
    "未找到 LibreOffice，自评表未生成 PDF / LibreOffice is not installed, so the 自评表 has no "
    "PDF: apt-get install libreoffice-calc-nogui"
)


def office_found() -> str | None:
    """The LibreOffice program, where it is installed."""
    return shutil.which("libreoffice") or shutil.which("soffice")


def office_pdf_bytes(document: Path) -> bytes:
    """The PDF of a workbook or Word document (the 自评表) as headless LibreOffice prints it, with
    a profile of its own in a temporary folder (parallel runs share none)."""
    office = office_found()
    if office is None:
        raise RunError(f"{document.name}: {NO_OFFICE}")
    with tempfile.TemporaryDirectory(prefix="selfeval-office-") as scratch:
        profile = (Path(scratch) / "profile").as_uri()
        command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
        command += ["pdf", "--outdir", scratch, str(document)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise RunError(
                f"{document.name}: 生成 PDF 超时 / the PDF took over {TIMEOUT}s"
            ) from None
        pdf = Path(scratch) / f"{document.stem}.pdf"
        if not pdf.is_file():
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RunError(
                f"{document.name}: LibreOffice 未能生成 PDF / LibreOffice made no PDF: "
                + (why[-1] if why else f"exit status {done.returncode}")
            )
        return pdf.read_bytes()


if __name__ == "__main__":
    sys.stdout.buffer.write(_render(sys.stdin.buffer.read()))
