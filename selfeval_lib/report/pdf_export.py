"""The HTML report as a print-ready PDF, with WeasyPrint (`selfeval run --pdf`, `make pdf`).

WeasyPrint installs from PyPI (it needs Debian's pango at run time) and fetches nothing while it
works: the report is one file with its images inline. The PDF is set in the Noto Sans CJK SC of
the pinned `noto-cjk-sans-otc` wheel, the charts' font, embedded and subset, so the PDF looks
the same whatever fonts the machine has: WeasyPrint runs in a child process whose fontconfig
sees that font only. A4, "第 X 页 共 Y 页" at the foot of every page (report.css), rows, figures
and headings kept whole (report.css). The same HTML gives the same PDF bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import RunError
from .canvas import BUNDLED_FAMILY, bundled_font

# What the PDF adds to the report's own print styles: the one embedded font everywhere.
PDF_CSS = f"""
html, body, h1, h2, h3, h4, table, code, figcaption {{ font-family: "{BUNDLED_FAMILY}"; }}
"""
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{font_dir}</dir>
  <cachedir>{cache}</cachedir>
  <config><rescan><int>0</int></rescan></config>
</fontconfig>
"""
TIMEOUT = 300  # seconds for one report


def _fontconfig_file() -> Path:
    """A fontconfig setup that knows the bundled font and nothing else."""
    font = bundled_font()
    if font is None:
        raise RunError(
            "找不到项目字体 noto-cjk-sans-otc，无法生成 PDF / the bundled font (noto-cjk-sans-otc) "
            "is not installed: run `make install`"
        )
    home = Path(tempfile.gettempdir()) / f"selfeval-fontconfig-{os.getuid()}"
    home.mkdir(exist_ok=True)
    conf = home / "fonts.conf"
    text = FONTCONFIG.format(font_dir=font.parent, cache=home / "cache")
    if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
        conf.write_text(text, encoding="utf-8")
    return conf


def pdf_bytes(html: str) -> bytes:
    """The PDF of one HTML report (A4, fonts embedded), made by WeasyPrint in a child process."""
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
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise SystemExit(
            "WeasyPrint 不可用（需安装 pango：apt-get install libpango-1.0-0 libpangoft2-1.0-0）"
            f" / WeasyPrint is not usable (it needs Debian's pango): {exc}"
        ) from None
    fonts = FontConfiguration()
    document = HTML(string=html.decode("utf-8"), base_url=None)
    return document.write_pdf(
        stylesheets=[CSS(string=PDF_CSS, font_config=fonts)],
        font_config=fonts,
        uncompressed_pdf=False,
    )


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
