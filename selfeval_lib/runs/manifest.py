"""The run manifest (reports/<year>/run.json) and the summary table printed after a batch."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from .._version import __version__
from ..errors import RunError, excerpt, shown_path
from ..fileio import write_atomic
from .runner import UnitResult

MANIFEST = "run.json"
NOT_FINISHED = "running"  # a unit's status while its run is under way: left so by a killed run

# The keys a manifest's reader relies on, and the JSON types each may have (None: null).
_TOP_KEYS = {"state": (str,), "run": (int,), "units": (dict,), "overview": (dict, type(None))}
_UNIT_KEYS = {
    "status": (str,),
    "params_file": (str, type(None)),
    "last_ok_fingerprint": (str, type(None)),
    "grade": (str,),
    "total": (int, float, type(None)),
    "illustrative": (bool,),
    "output_hashes": (dict,),
    "outputs_run": (int, type(None)),
}


def manifest_path(out_dir: Path, year: int) -> Path:
    return Path(out_dir) / str(year) / MANIFEST


def read_manifest(out_dir: Path, year: int, log: Callable[[str], None] | None = None) -> dict:
    """reports/<year>/run.json, or an empty one when there is none. A run.json that is not a
    manifest (not JSON, or JSON of another shape: edited by hand, cut short) is set aside as
    run.json.damaged-N and reported through `log`; the run goes on without it, so every unit
    of the year runs again."""
    path = manifest_path(out_dir, year)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        problem = manifest_problem(manifest)
    except FileNotFoundError:
        return {"units": {}}
    except (OSError, ValueError) as exc:  # a folder, unreadable, not UTF-8, not JSON
        problem = f"无法读取或不是 JSON / unreadable or not JSON: {excerpt(exc, 80)}"
    if not problem:
        return manifest
    try:
        aside = path.with_name(f"{MANIFEST}.damaged-{_free_number(path)}")
        os.replace(path, aside)
        kept = f"已另存为 {aside.name} / set aside as {aside.name}"
    except OSError as exc:
        kept = f"无法另存（{exc.strerror}）/ could not be set aside ({exc.strerror})"
    (log or (lambda _: None))(
        f"! {shown_path(path)}: 运行记录已损坏（{problem}）；{kept}；本次按无记录运行，所有单位重新生成 / "
        "the run record is damaged: this run goes on without it and runs every unit again"
    )
    return {"units": {}}


def manifest_problem(manifest: object) -> str:
    """'' when `manifest` has the shape of a run.json, else what is wrong (Chinese / English)."""
    if not isinstance(manifest, dict):
        return f"应为 JSON 对象，实为 {type(manifest).__name__} / expected a JSON object"
    places = [("", manifest, _TOP_KEYS)]
    units = manifest.get("units", {})
    if isinstance(units, dict):
        places += [(f"units.{excerpt(k)}.", entry, _UNIT_KEYS) for k, entry in units.items()]
    for where, value, keys in places:
        if not isinstance(value, dict):
            return f"{where[:-1]} 应为对象，实为 {type(value).__name__} / expected an object"
        for key, types in keys.items():
            # bool is an int in Python, never a run number or a total in JSON
            if key in value and (
                not isinstance(value[key], types)
                or (isinstance(value[key], bool) and bool not in types)
            ):
                found = type(value[key]).__name__
                return (
                    f"{where}{key} 的类型不对：{found} / {where}{key} has the wrong type: {found}"
                )
    return ""


def _free_number(path: Path) -> int:
    n = 1
    while path.with_name(f"{MANIFEST}.damaged-{n}").exists():
        n += 1
    return n


def write_manifest(out_dir: Path, year: int, manifest: dict) -> Path:
    path = manifest_path(out_dir, year)
    try:
        write_atomic(path, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
    except OSError as exc:
        raise RunError(
            f"{shown_path(path)}: 运行记录无法写入（{exc.strerror}）；请检查文件夹权限和磁盘空间 / "
            f"the run record cannot be written ({exc.strerror}): check the folder's permissions "
            "and free space"
        ) from None
    return path


def update_manifest(out_dir: Path, year: int, **fields) -> None:
    """Set top-level keys of a year's run.json (the overview's entry, the final state)."""
    manifest = read_manifest(out_dir, year)
    write_manifest(out_dir, year, {**manifest, **fields})


def mark_running(
    out_dir: Path, units: dict[int, list[str]], log: Callable[[str], None] | None = None
) -> dict[int, list[str]]:
    """Before any unit runs: run.json of each year says `"state": "running"` with the run's
    number, and each unit about to run says `"status": "running"`, so a run that is killed
    (SIGKILL, a crash, a power cut) leaves its unfinished units marked as such. Returns, per
    year whose previous run had not finished, the units it left unfinished."""
    unfinished = {}
    for year, unit_ids in sorted(units.items()):
        manifest = read_manifest(out_dir, year, log)
        entries = dict(manifest.get("units", {}))
        if manifest.get("state") == NOT_FINISHED:
            unfinished[year] = sorted(k for k, e in entries.items() if e.get("status") == "running")
        for unit_id in unit_ids:
            entries[unit_id] = {**entries.get(unit_id, {}), "status": NOT_FINISHED}
        manifest.update(
            state=NOT_FINISHED,
            complete=False,
            selfeval_version=__version__,
            year=year,
            run=manifest.get("run", 0) + 1,
            units=dict(sorted(entries.items())),
        )
        write_manifest(out_dir, year, manifest)
    return unfinished


def write_manifests(
    out_dir: Path,
    results: list[UnitResult],
    fingerprints: dict[str, str],
    interrupted: bool,
    overviews: dict[int, dict] | None = None,
) -> list[Path]:
    """reports/<year>/run.json: this run's status per unit; a unit's last good fingerprint, the
    hashes of its outputs and the run that made them are kept until a newer good run replaces
    them (that is what lets the next run skip it, and says which run a unit's files are of)."""
    written = []
    for year in sorted({r.year for r in results if r.year is not None}):
        old = read_manifest(out_dir, year)
        run = old.get("run", 0) + (0 if old.get("state") == NOT_FINISHED else 1)
        units = {unit: _not_this_run(entry) for unit, entry in old["units"].items()}
        for r in (r for r in results if r.year == year):
            entry = {k: v for k, v in asdict(r).items() if k not in ("year",)}
            entry["params_file"] = str(Path(r.params_path).resolve())  # for the overview
            entry["seconds"] = round(r.seconds, 2)
            previous = old["units"].get(r.unit_id, {})
            if r.status == "ok":
                entry["last_ok_fingerprint"] = fingerprints.get(r.params_path)
                entry["outputs_run"] = run
            else:  # the last good outputs are still there: keep what describes them
                entry["last_ok_fingerprint"] = previous.get("last_ok_fingerprint")
                entry["output_hashes"] = previous.get("output_hashes", {})
                entry["outputs_run"] = previous.get("outputs_run")
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
            "run": run,
            "state": "interrupted" if interrupted else "finished",
            "complete": not interrupted,
            "counts": {
                s: sum(1 for r in results if r.year == year and r.status == s)
                for s in ("ok", "skipped", "failed", "invalid", "interrupted")
            },
            "units": dict(sorted(units.items())),
            "overview": (overviews or {}).get(year) or old.get("overview"),
        }
        written.append(write_manifest(out_dir, year, manifest))
    return written


def _not_this_run(entry: dict) -> dict:
    """A unit this run did not touch: a unit a killed run left running was interrupted; a unit
    whose params file is gone is removed (not skipped: it is no longer run at all)."""
    if entry.get("status") == NOT_FINISHED:
        return {
            **entry,
            "status": "interrupted",
            "error": "运行被终止，该单位未完成 / the run was killed before this unit finished",
        }
    params_file = entry.get("params_file")
    if params_file and not Path(params_file).exists():
        return {**entry, "status": "removed", "error": "params 文件已删除 / params file removed"}
    return entry


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
