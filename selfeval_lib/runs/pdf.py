"""`selfeval run --pdf`: a PDF beside each HTML report the batch made or kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import SelfEvalError
from ..fileio import write_atomic
from ..report.pdf_export import pdf_bytes
from .runner import UnitResult, output_paths


def pdf_path(out_dir: Path, year: int, unit_id: str) -> Path:
    return output_paths(out_dir, year, unit_id)["html"].with_suffix(".pdf")


def write_pdfs(
    results: Iterable[UnitResult], out_dir: Path, force: bool, log: Callable[[str], None]
) -> int:
    """Write <unit_id>.pdf for every unit whose report is current (made now or unchanged) when the
    PDF is missing, older than its HTML, or `force`; returns how many failed."""
    failed = 0
    for r in results:
        if r.status not in ("ok", "skipped") or r.year is None:
            continue
        html = output_paths(Path(out_dir), r.year, r.unit_id)["html"]
        pdf = pdf_path(Path(out_dir), r.year, r.unit_id)
        if not html.is_file():
            continue
        if not force and pdf.is_file() and pdf.stat().st_mtime >= html.stat().st_mtime:
            continue
        try:
            write_atomic(pdf, pdf_bytes(html.read_text(encoding="utf-8")))
        except (SelfEvalError, OSError) as exc:
            failed += 1
            log(f"✗ {r.unit_id} {r.year}: PDF 未生成 / no PDF: {exc}")
            continue
        log(f"✓ {r.unit_id} {r.year}: PDF -> {pdf}")
    return failed
