"""The run manifest (reports/<year>/run.json) and the summary table printed after a batch."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .._version import __version__
from ..fileio import write_atomic
from .runner import UnitResult

MANIFEST = "run.json"


def read_manifest(out_dir: Path, year: int) -> dict:
    path = Path(out_dir) / str(year) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"units": {}}


def mark_running(out_dir: Path, years: list[int]) -> list[int]:
    """Before any unit runs: run.json of each year says `"state": "running"`, so a run that is
    killed (SIGKILL, a crash, a power cut) is visible as unfinished. Returns the years whose
    previous run had not finished."""
    unfinished = []
    for year in years:
        manifest = read_manifest(out_dir, year)
        if manifest.get("state") == "running":
            unfinished.append(year)
        manifest.update(state="running", complete=False, selfeval_version=__version__, year=year)
        path = Path(out_dir) / str(year) / MANIFEST
        write_atomic(path, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
    return unfinished


def write_manifests(
    out_dir: Path,
    results: list[UnitResult],
    fingerprints: dict[str, str],
    interrupted: bool,
    overviews: dict[int, dict] | None = None,
) -> list[Path]:
    """reports/<year>/run.json: this run's status per unit; a unit's last good fingerprint is kept
    until a newer good run replaces it (that is what lets the next run skip it)."""
    written = []
    for year in sorted({r.year for r in results if r.year is not None}):
        old = read_manifest(out_dir, year)["units"]
        units = dict(old)
        for r in (r for r in results if r.year == year):
            entry = {k: v for k, v in asdict(r).items() if k not in ("year",)}
            entry["params_file"] = str(Path(r.params_path).resolve())  # for the overview
            entry["seconds"] = round(r.seconds, 2)
            previous = old.get(r.unit_id, {})
            if r.status == "ok":
                entry["last_ok_fingerprint"] = fingerprints.get(r.params_path)
            else:  # the last good report is still there: keep what describes it
                entry["last_ok_fingerprint"] = previous.get("last_ok_fingerprint")
                if r.status != "skipped":
                    entry["illustrative"] = previous.get("illustrative", False)
                    entry["grade"], entry["total"] = (
                        previous.get("grade", ""),
                        previous.get("total"),
                    )
            units[r.unit_id] = entry
        manifest = {
            "selfeval_version": __version__,
            "year": year,
            "state": "interrupted" if interrupted else "finished",
            "complete": not interrupted,
            "counts": {
                s: sum(1 for r in results if r.year == year and r.status == s)
                for s in ("ok", "skipped", "failed", "invalid", "interrupted")
            },
            "units": dict(sorted(units.items())),
            "overview": (overviews or {}).get(year) or read_manifest(out_dir, year).get("overview"),
        }
        path = Path(out_dir) / str(year) / MANIFEST
        write_atomic(
            path, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        )
        written.append(path)
    return written


def summary_table(results: list[UnitResult]) -> str:
    """A plain-text table for the end of a batch (and for cron mail)."""
    rows = [("unit", "year", "status", "grade", "total", "seconds")]
    for r in sorted(results, key=lambda r: (r.year or 0, r.unit_id or r.params_path)):
        total = "" if r.total is None else f"{r.total:.2f}{r.mark}"
        rows.append(
            (
                r.unit_id or Path(r.params_path).name,
                str(r.year or ""),
                r.status,
                f"{r.grade}{r.mark}" if r.grade else "",
                total,
                f"{r.seconds:.1f}",
            )
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # CJK takes two columns
