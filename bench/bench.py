"""Benchmark (not a test): N synthetic units three ways, timed in one run on this machine.

  (a) the naive loop: `papermill` CLI, then `jupyter nbconvert --to html --no-input`, per unit
  (b) `selfeval run --jobs 1`
  (c) `selfeval run` with all cores

Prints seconds per unit, the ratios a/b and a/c (ratios from one run, so a busy machine
shifts all three alike) and the peak memory of each phase's process tree: the sum of resident
sizes (RSS, which counts a page shared by forked kernels once per process) and of proportional
sizes (PSS, which shares such a page out among them: what the machine really spends), and the
largest single process of each kind (the runner, the kernel zygote, a kernel).

Then: where one unit's time goes (kernel start, cells — the last of which writes the 评分表
workbook in the kernel —, kernel stop, HTML export, Word export), measured in one warm process running units one after another as `selfeval run` does;
how long `selfeval --help` and `selfeval validate params/` take; and, with --scale N, (c) again
with N units, to show whether the cost per unit stays flat.

    .venv/bin/python bench/bench.py --units 20
    .venv/bin/python bench/bench.py --units 20 --scale 100
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "selfeval_report.ipynb"
ROLES = ("runner", "zygote", "kernel", "other")


def role(process: psutil.Process, root_pid: int) -> str:
    """runner (the command itself), zygote, kernel (forked from the zygote, or an ipykernel)."""
    if process.pid == root_pid:
        return "runner"
    try:
        cmdline = " ".join(process.cmdline())
        parent = process.parent()
        parent_cmdline = " ".join(parent.cmdline()) if parent else ""
    except psutil.Error:
        return "other"
    if "selfeval_lib.runs.kernels" in cmdline:  # a fork keeps its zygote's command line
        return "kernel" if "selfeval_lib.runs.kernels" in parent_cmdline else "zygote"
    return "kernel" if "ipykernel" in cmdline else "other"


class PeakMemory:
    """Samples a process tree until stopped: peak total RSS and PSS (MiB), and the peak RSS of
    the largest process of each role."""

    def __init__(self, pid: int):
        self.root, self.done = psutil.Process(pid), threading.Event()
        self.rss = self.pss = 0.0
        self.by_role = dict.fromkeys(ROLES, 0.0)
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                tree = []
            rss = pss = 0.0
            for process in tree:
                try:
                    info = process.memory_full_info()
                except psutil.Error:
                    continue
                rss += info.rss / 2**20
                pss += info.pss / 2**20
                kind = role(process, self.root.pid)
                self.by_role[kind] = max(self.by_role[kind], info.rss / 2**20)
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
            time.sleep(0.05)

    def stop(self) -> PeakMemory:
        self.done.set()
        self.thread.join()
        return self


def measure(commands: list[list[str]], cwd: Path) -> tuple[float, PeakMemory]:
    """Run commands one after another: seconds, and the memory peaks of any one command."""
    peak = None
    started = time.perf_counter()
    for command in commands:
        proc = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        sampler = PeakMemory(proc.pid)
        if proc.wait() != 0:
            raise SystemExit(f"failed: {' '.join(command)}")
        sampler.stop()
        if peak is None or sampler.rss > peak.rss:
            peak = sampler
    return time.perf_counter() - started, peak


def startup(command: list[str], cwd: Path, runs: int = 5) -> float:
    """Median wall time of a short command (seconds)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


PHASE_SCRIPT = r"""
import json, sys, time
from datetime import datetime
from pathlib import Path
from selfeval_lib.report import docx_export, export
from selfeval_lib.runs import engine, runner
from selfeval_lib.runs.kernels import Zygote

spent = {"export": [], "word": [], "stop": []}
def timed(name, fn):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name].append(time.perf_counter() - started)
    return wrapper
export.export_html = timed("export", export.export_html)
docx_export.export_docx = timed("word", docx_export.export_docx)
engine.Kernel.close = timed("stop", engine.Kernel.close)

params, out = sys.argv[1:-1], Path(sys.argv[-1])
Zygote.start()
runner.import_papermill()
rows = []
for n, path in enumerate(params):
    started = time.perf_counter()
    result = runner.run_unit(path, out, spare=n + 1 < len(params))
    total = time.perf_counter() - started
    assert result.status == "ok", result.error
    meta = json.loads(Path(result.outputs["ipynb"]).read_text(encoding="utf-8"))
    t = lambda s: datetime.fromisoformat(s).timestamp()
    cells = [c["metadata"]["papermill"] for c in meta["cells"]]
    rows.append({
        "kernel start": t(cells[0]["start_time"]) - t(meta["metadata"]["papermill"]["start_time"]),
        "cells": t(cells[-1]["end_time"]) - t(cells[0]["start_time"]),
        # the last cell, in the kernel: the scores record and the 评分表 workbook
        "of which the result cell (评分表 workbook)": t(cells[-1]["end_time"]) - t(cells[-1]["start_time"]),
        "after the cells (kernel stop)": t(meta["metadata"]["papermill"]["end_time"]) - t(cells[-1]["end_time"]),
        "total": total,
    })
rows = rows[1:]  # the first unit waits for the zygote's imports
keep = len(rows)
print(json.dumps({
    **{k: sum(r[k] for r in rows) / keep for k in rows[0]},
    "kernel stop alone": sum(spent["stop"][-keep:]) / keep,
    "HTML export": sum(spent["export"][-keep:]) / keep,
    "Word export": sum(spent["word"][-keep:]) / keep,
}))
"""


def phases(params: list[Path], work: Path) -> dict[str, float]:
    """Mean seconds per phase of one unit, units run one after another in one warm process."""
    import json

    out = subprocess.run(
        [sys.executable, "-c", PHASE_SCRIPT, *map(str, params), str(work / "phases")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=20, help="synthetic units (default 20)")
    parser.add_argument(
        "--scale", type=int, default=0, help="also run (c) with this many units (e.g. 100)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()

    from selfeval_lib.inputs.synth import write_synthetic_units

    started_at = datetime.now().astimezone()
    work = Path(tempfile.mkdtemp(prefix="selfeval-bench-"))
    params = write_synthetic_units(args.units, 2024, work)
    naive_out = work / "naive"
    naive_out.mkdir()
    naive = []
    for p in params:
        executed = naive_out / f"{p.stem}.ipynb"
        naive.append(
            [
                str(BIN / "papermill"),
                str(NOTEBOOK),
                str(executed),
                "-p",
                "params_path",
                str(p),
                "--cwd",
                str(NOTEBOOK.parent),
                "--no-progress-bar",
            ]
        )
        naive.append(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
        )
    selfeval = [str(BIN / "selfeval"), "run", str(work / "params"), "--force", "--no-overview"]
    phases_run = {
        "a": ("papermill + nbconvert CLI per unit", naive),
        "b": ("selfeval run --jobs 1", [[*selfeval, "--out", str(work / "b"), "--jobs", "1"]]),
        "c": (
            f"selfeval run (all {os.cpu_count()} cores)",
            [[*selfeval, "--out", str(work / "c")]],
        ),
    }
    results = {}
    for key, (label, commands) in phases_run.items():
        print(f"({key}) {label} ...", flush=True)
        results[key] = measure(commands, work)
    print("one unit, phase by phase ...", flush=True)
    per_phase = phases(params[: min(len(params), 9)], work)
    print("start-up times ...", flush=True)
    help_s = startup([str(BIN / "selfeval"), "--help"], ROOT)
    validate_s = startup([str(BIN / "selfeval"), "validate", "params/"], ROOT)
    noop_s = startup([*selfeval[:-2], "--no-overview", "--out", str(work / "c")], work)
    scaled = None
    if args.scale:
        print(f"(c) with {args.scale} units ...", flush=True)
        big = work / "scale"
        big_params = write_synthetic_units(args.scale, 2024, big)
        command = [str(BIN / "selfeval"), "run", str(big / "params"), "--force", "--no-overview"]
        scaled = (len(big_params), *measure([[*command, "--out", str(big / "out")]], big))

    n = args.units
    print(
        f"\n{n} synthetic units; {started_at:%Y-%m-%d %H:%M %Z}; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        f"load average at the end {os.getloadavg()[0]:.1f}"
    )
    header = f"{'phase':<40}{'s/unit':>8}{'total s':>9}{'a/x':>7}{'RSS MiB':>9}{'PSS MiB':>9}"
    print(header + f"{'largest runner/zygote/kernel MiB':>34}")
    for key, (label, _) in phases_run.items():
        seconds, peak = results[key]
        ratio = results["a"][0] / seconds
        largest = "/".join(f"{peak.by_role[r]:.0f}" for r in ("runner", "zygote", "kernel"))
        print(
            f"({key}) {label:<36}{seconds / n:>8.2f}{seconds:>9.1f}{ratio:>7.2f}"
            f"{peak.rss:>9.0f}{peak.pss:>9.0f}{largest:>34}"
        )
    if scaled:
        count, seconds, peak = scaled
        c_seconds, c_peak = results["c"]
        print(
            f"scaling of (c): {n} units {c_seconds / n:.2f} s/unit, peak RSS {c_peak.rss:.0f} MiB "
            f"(PSS {c_peak.pss:.0f}); {count} units {seconds / count:.2f} s/unit, "
            f"peak RSS {peak.rss:.0f} MiB (PSS {peak.pss:.0f})"
        )
    print(
        f"\none unit in a warm process, units one after another (mean of {min(n, 9) - 1} units, s):"
    )
    for name, value in per_phase.items():
        print(f"  {name:<32}{value:>7.3f}")
    print(
        f"\nselfeval --help {help_s:.2f} s; selfeval validate params/ {validate_s:.2f} s; "
        f"selfeval run of the {n} units again, nothing changed, {noop_s:.2f} s"
    )
    if not args.keep:
        shutil.rmtree(work)
    else:
        print(f"kept {work}")


if __name__ == "__main__":
    main()
