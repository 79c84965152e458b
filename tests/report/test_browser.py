"""The HTML report in a real browser: prints on A4 with a CJK font, and loads nothing from the network."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from selfeval_lib.report.canvas import bundled_font

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
