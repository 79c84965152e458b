"""Benchmark (not a test): N synthetic units three ways, timed in one run on this machine.

  (a) the naive loop: `papermill` CLI, then `jupyter nbconvert --to html --no-input`, per unit
  (b) `selfeval run --jobs 1`
  (c) `selfeval run` with all cores

Prints seconds per unit, the ratios a/b and a/c (ratios from one run, so a busy machine
shifts all three alike) and the peak memory of each phase's process tree.

    .venv/bin/python bench/bench.py --units 20
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "selfeval_report.ipynb"


class PeakMemory:
    """Samples the resident memory of a process and its children until stopped; keeps the peak."""

    def __init__(self, pid: int):
        self.root, self.peak, self.done = psutil.Process(pid), 0.0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.05)

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak


def measure(commands: list[list[str]], cwd: Path) -> tuple[float, float]:
    """Run commands one after another; (seconds, peak MiB of any one command's process tree)."""
    peak = 0.0
    started = time.perf_counter()
    for command in commands:
        proc = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        sampler = PeakMemory(proc.pid)
        if proc.wait() != 0:
            raise SystemExit(f"failed: {' '.join(command)}")
        peak = max(peak, sampler.stop())
    return time.perf_counter() - started, peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=20, help="synthetic units (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()

    from selfeval_lib.inputs.synth import write_synthetic_units

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
    phases = {
        "a": ("papermill + nbconvert CLI per unit", naive),
        "b": ("selfeval run --jobs 1", [[*selfeval, "--out", str(work / "b"), "--jobs", "1"]]),
        "c": (
            f"selfeval run (all {os.cpu_count()} cores)",
            [[*selfeval, "--out", str(work / "c")]],
        ),
    }
    results = {}
    for key, (label, commands) in phases.items():
        print(f"({key}) {label} ...", flush=True)
        results[key] = measure(commands, work)
    n = args.units
    print(
        f"\n{n} synthetic units; {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}"
    )
    print(f"{'phase':<40}{'s/unit':>8}{'total s':>9}{'a/x':>7}{'peak MiB':>10}")
    for key, (label, _) in phases.items():
        seconds, peak = results[key]
        ratio = results["a"][0] / seconds
        print(f"({key}) {label:<36}{seconds / n:>8.2f}{seconds:>9.1f}{ratio:>7.2f}{peak:>10.0f}")
    if not args.keep:
        shutil.rmtree(work)
    else:
        print(f"kept {work}")


if __name__ == "__main__":
    main()
