"""The HTML report in a real browser: prints on A4 with a CJK font, and loads nothing from the network."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from selfeval_lib.report.canvas import bundled_font

from ..conftest import skip_unless_required

pytestmark = pytest.mark.notebook

CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        if os.environ.get("SELFEVAL_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here (SELFEVAL_REQUIRE_BROWSER) but not installed")
        pytest.skip(
            "no chromium: `apt-get install chromium` (as .ci/run does) to run the browser tests"
        )
    home = tmp_path_factory.mktemp("browser")
    # A reader's machine has a CJK font (Windows: Microsoft YaHei/SimSun); here we lend the
    # browser the Noto Sans CJK collection of the pinned noto-cjk-sans-otc wheel (the charts'
    # font) through a private fontconfig file.
    fonts = bundled_font().parent
    conf = home / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts}</dir><cachedir>{home / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(home)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={home / 'profile'}", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    return run, home


def test_report_prints_on_a4_with_a_cjk_font(browser, built_example):
    run, home = browser
    pdf = home / "report.pdf"
    run("--no-pdf-header-footer", f"--print-to-pdf={pdf}", built_example.as_uri())
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes, "no pages"
    for width, height in boxes:  # A4 is 595.28 x 841.89 pt
        assert abs(float(width) - 595.3) < 1.5 and abs(float(height) - 841.9) < 1.5
    assert 5 <= len(boxes) <= 20
    fonts = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([A-Za-z0-9_-]+)", data))
    assert any(b"CJK" in f for f in fonts), fonts


# Chromium's own housekeeping (component updates, time sync) is not the report's doing.
BROWSER_OWN = re.compile(rb"(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)(:\d+)?[/ ]")


def requests_made(run, home: Path, url: str) -> list[bytes]:
    """Load `url` with every request sent to a recording proxy on loopback; return the requests."""
    seen: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    request = conn.recv(4096)
                except OSError:
                    continue
                # Chromium may open a connection to the proxy ahead of need and close it unused
                # (seen once in CI): no bytes sent is no request made.
                if request:
                    seen.append(request.split(b"\r\n")[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        run(
            f"--proxy-server=http://127.0.0.1:{server.getsockname()[1]}",
            "--proxy-bypass-list=<-loopback>",
            "--dump-dom",
            url,
        )
    finally:
        server.close()
    return [r for r in seen if not BROWSER_OWN.search(r)]


def test_the_network_detector_sees_remote_loads(browser):
    run, home = browser
    page = home / "networked.html"
    page.write_text(
        '<script src="https://cdn.example.com/x.js"></script><img src="http://example.org/a.png">',
        encoding="utf-8",
    )
    requests = requests_made(run, home, page.as_uri())
    assert any(b"cdn.example.com" in r for r in requests) and any(
        b"example.org" in r for r in requests
    )


def test_report_loads_nothing_from_the_network(browser, built_example):
    run, home = browser
    assert requests_made(run, home, built_example.as_uri()) == []


# --- the county overview: the director's one screen, 60 synthetic units -------------------------

SCREEN = (1366, 768)

# A page that holds index.html in a frame of exactly the screen's size and, once it has loaded,
# runs a probe on it whose findings (a JSON object `out`) go into this page, which --dump-dom
# prints. `sandbox` (no allow-scripts) turns the frame's scripts off, not the probe's.
FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="index.html" width="{width}" height="{height}" style="border:0" {sandbox}>
</iframe><script>
document.getElementById("f").addEventListener("load", function () {{
  var win = this.contentWindow, doc = win.document, H = win.innerHeight;
  var out = {{width: win.innerWidth, height: H}};
  function seen(el) {{ var r = el.getBoundingClientRect(); return r.height > 0 && r.bottom <= H; }}
  function rows() {{
    return Array.prototype.filter.call(doc.querySelectorAll("table.ranking tbody tr"),
                                       function (r) {{ return r.getClientRects().length > 0; }});
  }}
  {probe}
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}});
</script></body></html>"""

# What the first screen shows, then the ranking sorted by 自评总分 and filtered by 等级 through
# the page's own controls.
FIRST_SCREEN = """
  var ths = Array.prototype.slice.call(doc.querySelectorAll("table.ranking thead th"));
  function column(name) {
    return ths.findIndex(function (th) { return th.textContent.trim() === name; });
  }
  out.totals = seen(doc.querySelector("dl.totals"));
  out.grade_chart = seen(doc.querySelector("svg.grade-chart"));
  out.rows_on_screen = rows().filter(seen).length;
  var total = column("自评总分"), grade = column("等级");
  ths[total].click(); ths[total].click();  // descending, then ascending
  out.ascending = rows().map(function (r) { return r.cells[total].textContent; });
  var select = doc.querySelector('select[data-filter="等级"]');
  select.value = "良";
  select.dispatchEvent(new win.Event("change"));
  out.filtered = rows().map(function (r) { return r.cells[grade].textContent; });
  out.status = doc.querySelector(".rank-status").textContent;"""

# The ranking rows a reader sees, and whether the script's controls are there.
ROWS_SHOWN = """
  out.units = rows().map(function (r) { return r.cells[0].id; });
  out.controls = doc.querySelectorAll(".rank-filters, .rank-status").length;"""


def probe_overview(run, index: Path, probe: str, sandbox: str = "") -> dict:
    harness = index.with_name("harness.html")  # beside it: the frame loads index.html
    page = FRAME.format(width=SCREEN[0], height=SCREEN[1], sandbox=sandbox, probe=probe)
    harness.write_text(page, encoding="utf-8")
    # file:// pages are of no origin: the harness may read its frame only with this flag
    dom = run("--allow-file-access-from-files", "--dump-dom", harness.as_uri()).stdout
    return json.loads(html.unescape(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)[1]))


@pytest.fixture(scope="module")
def county60(tmp_path_factory) -> tuple[Path, list[dict]]:
    """index.html of 60 synthetic units (`selfeval synth --units 60`), built by the real overview
    notebook; each unit's scores record computed in this process (the reports are stubs), and
    one unit marked failed in run.json, as the runner leaves it."""
    from selfeval_lib import load_report
    from selfeval_lib.inputs.synth import write_synthetic_units
    from selfeval_lib.runs.batch import run_overview

    root = tmp_path_factory.mktemp("county60")
    params = write_synthetic_units(60, 2024, root, 2024)
    year = root / "reports" / "2024"
    year.mkdir(parents=True)
    records = [load_report(p).scores_record() for p in params]
    for r in records:
        (year / f"{r['unit_id']}.scores.json").write_text(json.dumps(r), encoding="utf-8")
        (year / f"{r['unit_id']}.html").write_text("<html></html>", encoding="utf-8")
    failed = {"units": {records[-1]["unit_id"]: {"status": "failed"}}}
    (year / "run.json").write_text(json.dumps(failed), encoding="utf-8")
    return Path(run_overview(root / "reports", 2024)["html"]), records


def test_the_overview_first_screen_shows_totals_chart_and_ranking_that_sorts_and_filters(
    browser, county60
):
    run, home = browser
    index, records = county60
    found = probe_overview(run, index, FIRST_SCREEN)
    assert (found["width"], found["height"]) == SCREEN
    assert found["totals"] and found["grade_chart"]
    assert found["rows_on_screen"] >= 15, found["rows_on_screen"]
    totals = sorted(r["total"] for r in records)
    assert found["ascending"] == [f"{t:.2f}" for t in totals]
    good = sum(r["grade"] == "良" for r in records)
    assert 0 < good < 60 and found["filtered"] == ["良"] * good
    assert found["status"] == f"显示 {good} / 60 个单位"


def test_the_overview_without_scripts_is_the_complete_table(browser, county60):
    run, home = browser
    index, records = county60
    units = sorted(f"rank-{r['unit_id']}" for r in records)
    on = probe_overview(run, index, ROWS_SHOWN)
    assert on["controls"] == 2 and sorted(on["units"]) == units  # the script runs where allowed
    off = probe_overview(run, index, ROWS_SHOWN, sandbox='sandbox="allow-same-origin"')
    assert off["controls"] == 0 and sorted(off["units"]) == units


def test_the_overview_loads_nothing_from_the_network(browser, county60):
    run, home = browser
    assert requests_made(run, home, county60[0].as_uri()) == []


def test_the_printed_overview_is_a_summary_page_then_the_ranking_with_no_near_empty_page(
    browser, county60, tmp_path
):
    """Printed, every page but the last is at least a quarter full (the page number in the
    bottom margin not counted); the summary on page 1, the ranking from page 2; no ※ legend
    where no ※ is printed."""
    from PIL import Image, ImageOps

    from .test_docx_pdf import need, text

    run, home = browser
    pdf = tmp_path / "overview.pdf"
    run("--no-pdf-header-footer", f"--print-to-pdf={pdf}", county60[0].as_uri())
    pdftoppm = need("pdftoppm", "poppler-utils", "SELFEVAL_REQUIRE_PDF")
    subprocess.run([pdftoppm, "-r", "30", "-gray", "-png", pdf, tmp_path / "p"], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert 2 <= len(pages) <= 4, len(pages)
    for n, png in enumerate(pages, start=1):
        image = ImageOps.invert(Image.open(png).convert("L")).point(lambda v: 255 * (v > 95))
        width, height = image.size
        margin = round(height * 20 / 297)  # @page margin: 20 mm of 297 mm, top and bottom
        ink = image.crop((0, margin, width, height - margin)).getbbox()  # None: a blank page
        filled = ink[3] / (height - 2 * margin) if ink else 0
        if n < len(pages):
            assert filled >= 0.25, f"page {n} of {len(pages)} is {filled:.0%} full"
    first, rest = text(pdf, 1), text(pdf, 2, len(pages))
    assert "全县总体情况" in first and "需要关注的单位" in first and "自评得分排名" not in first
    assert "自评得分排名" in rest and "各指标得分率" not in first + rest  # charts: screen only
    assert "※" not in first + rest


CHECKS_HEADING = "<h2>附：数据核对提示</h2>"


def _checks_at(html: str, top: int) -> str:
    """The report with everything before the 数据核对提示 heading replaced by `top` px of blank:
    the box then starts `top` px down the first page, whatever the report holds above it."""
    start = html.index('<main class="report">') + len('<main class="report">')
    heading = html.rindex("<section", 0, html.index(CHECKS_HEADING))
    return f'{html[:start]}<div style="height: {top}px"></div>{html[heading:]}'


@pytest.mark.parametrize("top", [570, 710, 850])  # where Chromium stranded a label before
def test_the_checks_box_prints_no_slice_without_an_item(browser, built_example, top):
    """Started in the lower half of a page (A4 holds ~970 px at 96 px an inch), the 数据核对提示
    box leaves no part of itself there without an item: no label alone ("审核提示（2条）：" or
    "…按评分表未填报规定计分：" with its list on the next page), no heading alone."""
    run, home = browser
    page = home / f"checks{top}.html"
    page.write_text(_checks_at(built_example.read_text(encoding="utf-8"), top), encoding="utf-8")
    pdf = home / f"checks{top}.pdf"
    run("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        skip_unless_required(
            "SELFEVAL_REQUIRE_PDF", "pdftotext not installed: apt-get install poppler-utils"
        )
    pages = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    stranded = []
    for n, text in enumerate(pages, start=1):
        lines = [s.strip() for s in text.splitlines() if s.strip()]
        lines = [s for s in lines if not re.fullmatch(r"第\s*\d+\s*页\s*共\s*\d+\s*页", s)]
        # the heading, or a label ("审核提示（2条）：", "…按评分表未填报规定计分：") whose list is over
        if lines and (lines[-1] == "附：数据核对提示" or lines[-1].endswith("：")):
            stranded.append((n, lines[-1]))
    assert any("1. 产出指标5项中5项" in p for p in pages)  # the box was printed
    assert stranded == []
