"""Benchmark (not a test): N synthetic units three ways, timed in one run on this machine.

  (a) the naive loop: `papermill` CLI, then `jupyter nbconvert --to html --no-input`, per unit
  (b) `selfeval run --jobs 1`
  (c) `selfeval run` with all cores

Prints seconds per unit, the ratios a/b and a/c (ratios from one run, so a busy machine
shifts all three alike), timed with nothing watching them: watching a process tree takes CPU
(PeakMemory), and it would take it from (c), which keeps both cores busy, more than from (a),
which mostly keeps one. Then each is run again, watched ((a) for its first 2 units, each
unit's commands being alike), for the peak memory of its process tree: the sum of resident
sizes (RSS, which counts a page shared by forked kernels once per process) and of proportional
sizes (PSS, which shares such a page out among them: what the machine really spends), and the
largest single process of each kind (the runner, the kernel zygote, a kernel).

Then: where one unit's time goes (kernel start, cells — the last of which writes the 评分表
workbook in the kernel —, kernel stop, HTML export, Word export), measured in one warm process running units one after another as `selfeval run` does;
how long `selfeval --help` and `selfeval validate params/` take; and, for (c), the CPU seconds
per unit of the runner process and of the kernels (and their zygote), beside the core seconds
the wall time gave them.

With --scale N, (s): `selfeval run` again with N units and the overview, to show whether the cost
per unit stays flat against (c) (the run less its overview, within 15 %), the peak memory of the
client (the `selfeval run` process alone; the issue allows 700 MiB) and the overview's share of
the run (its time, from the run's own log line; the issue allows 5 %).
With --dask N, (d): N units spread over 30 县 (a province) run on a Dask scheduler and 2 workers
this script starts on 127.0.0.1 (and always stops), with the overview: the same figures per unit
per worker, the scheduler's and the workers' memory apart, and the province index over the
counties; the cost per unit is judged flat against --units units run on the same cluster right
after (like with like), (c) shown beside it as information. Either (or both) ends with the wall
time of a 30,000-unit country run extrapolated from the largest run's cost per unit per worker.

    .venv/bin/python bench/bench.py --units 20
    .venv/bin/python bench/bench.py --units 20 --scale 1000
    .venv/bin/python bench/bench.py --units 20 --dask 3000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "selfeval_report.ipynb"
ROLES = ("runner", "zygote", "kernel", "other")
COUNTRY = 30_000  # units of the extrapolated country run


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
    if "selfeval_lib.runs.zygote" in cmdline:  # a fork keeps its zygote's command line
        return "kernel" if "selfeval_lib.runs.zygote" in parent_cmdline else "zygote"
    return "kernel" if "ipykernel" in cmdline else "other"


class PeakMemory:
    """Samples a process tree until stopped, every `interval` seconds: peak total RSS and PSS
    (MiB), and the peak RSS of the largest process of each role (`memory=False`: neither, which
    lets it sample often); the CPU seconds of each role, every process's as last seen (short by
    up to one interval each); and the run's timeline, one (seconds since start, CPU-s of the tree
    so far, a kernel among its processes) a sample.

    Watching costs CPU (listing a tree scans every process of the machine, and PSS reads each
    process's page tables: about 15 ms for a run's five processes), taken from the run it
    watches: `refresh` seconds, if given, between listings and PSS reads (RSS and CPU still
    every `interval`), for long runs, where a tree changes slowly. Timed runs are not watched."""

    def __init__(self, pid: int, interval: float = 0.05, memory: bool = True, refresh: float = 0.0):
        self.root, self.done = psutil.Process(pid), threading.Event()
        self.interval, self.memory, self.started = interval, memory, time.monotonic()
        self.refresh = refresh
        self.rss = self.pss = 0.0
        self.kinds: dict[tuple, str] = {}  # (pid, start) -> role: a pid may come back
        self.cpu_seen: dict[tuple, float] = {}  # (pid, start) -> CPU seconds
        self.by_role = dict.fromkeys(ROLES, 0.0)
        self.samples: list[tuple[float, float, bool]] = []
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        tree: list[psutil.Process] = []
        looked = -self.refresh  # when the tree was last listed and PSS last read
        while not self.done.is_set():
            full = time.monotonic() - looked >= self.refresh
            if full:
                looked = time.monotonic()
                try:
                    tree = [self.root, *self.root.children(recursive=True)]
                except psutil.Error:
                    tree = []
            rss = pss = 0.0
            kernel = False
            for process in tree:
                try:
                    if not self.memory:
                        info = None
                    else:  # PSS reads the process's page tables: dear, so only when `full`
                        info = process.memory_full_info() if full else process.memory_info()
                    times = process.cpu_times()
                    key = (process.pid, process.create_time())
                except psutil.Error:
                    continue
                if self.kinds.get(key, "other") == "other":  # a fork not yet exec'd; once known,
                    self.kinds[key] = role(process, self.root.pid)  # kept when its parent ends
                kind = self.kinds[key]
                kernel = kernel or kind == "kernel"
                self.cpu_seen[key] = times.user + times.system
                if info is not None:
                    rss += info.rss / 2**20
                    pss += info.pss / 2**20 if full else 0.0
                    self.by_role[kind] = max(self.by_role[kind], info.rss / 2**20)
            self.rss = max(self.rss, rss)
            self.pss = max(self.pss, pss) if full else self.pss
            elapsed = time.monotonic() - self.started
            self.samples.append((elapsed, sum(self.cpu_seen.values()), kernel))
            time.sleep(self.interval)

    def cpu(self, kind: str) -> float:
        """CPU seconds of the processes of one role, as last seen."""
        return sum(cpu for key, cpu in self.cpu_seen.items() if self.kinds[key] == kind)

    def stop(self) -> PeakMemory:
        self.done.set()
        self.thread.join()
        return self


# How the long runs (--scale, --dask, and the cluster's processes meanwhile) are watched: RSS and
# CPU every 0.1 s, the process tree listed and PSS read every second. Their memory changes slowly;
# watching the way the 20-unit watched pass does would take a fifth of a core from the run.
LONG_WATCH = {"interval": 0.1, "refresh": 1.0}
NAIVE_WATCHED = 2  # units of (a) run again, watched: each unit's commands are alike


def measure(
    commands: list[list[str]], cwd: Path, log: Path | None = None, watch: dict | None = None
) -> tuple[float, PeakMemory | None]:
    """Run commands one after another: seconds, and the memory peaks of any one command.
    `log`: where their output goes. `watch`: PeakMemory's keywords, or None for a timed run that
    nothing watches (and no peaks)."""
    peak = None
    started = time.perf_counter()
    for command in commands:
        with open(log or os.devnull, "ab") as out:
            proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
            sampler = PeakMemory(proc.pid, **watch) if watch is not None else None
            proc.wait()
        if sampler is not None:
            sampler.stop()
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}" + (f"; see {log}" if log else ""))
        if sampler is not None and (peak is None or sampler.rss > peak.rss):
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
from selfeval_lib.runs.zygote import Zygote

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
    out = subprocess.run(
        [sys.executable, "-c", PHASE_SCRIPT, *map(str, params), str(work / "phases")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


OVERVIEW_LINE = re.compile(r"汇总 / overview \((\d+(?:\.\d+)?)s\)")  # runs/batch.py update_overview


@dataclass
class Run:
    """One measured `selfeval run`: its units, wall seconds and memory peaks, how many units ran
    at once (cores for the local executor, workers on Dask) and, from the run's own log line,
    the seconds its overview took to build."""

    units: int
    seconds: float
    peak: PeakMemory
    workers: int
    overview: float = 0.0

    @property
    def per_unit(self) -> float:
        """Wall seconds per unit of the run less its overview."""
        return (self.seconds - self.overview) / self.units

    @property
    def per_worker(self) -> float:
        """Seconds of one worker (or core) per unit: what a run on more workers divides."""
        return self.per_unit * self.workers


def run_measured(command: list[str], count: int, workers: int, cwd: Path, log: Path) -> Run:
    """`selfeval run` measured, its overview's time read from its log."""
    seconds, peak = measure([command], cwd, log, LONG_WATCH)
    overview = sum(map(float, OVERVIEW_LINE.findall(log.read_text(encoding="utf-8"))))
    return Run(count, seconds, peak, workers, overview)


def run_on_cluster(project: Path, count: int, workers: int, address: str) -> Run:
    """`selfeval run` of a synthetic project's units on the Dask scheduler at `address`."""
    command = [str(BIN / "selfeval"), "run", str(project / "params"), "--force"]
    return run_measured(
        [*command, "--out", str(project / "out"), "--scheduler", address],
        count,
        workers,
        project,
        project / "run.log",
    )


@contextlib.contextmanager
def local_cluster(work: Path, workers: int) -> Iterator[tuple[str, list[PeakMemory]]]:
    """`dask scheduler` and `workers` single-thread `dask worker`s on 127.0.0.1, each waited for
    (bounded) and always stopped; yields the address and memory samplers of the scheduler and
    of each worker's process tree (a worker starts the kernels of its units)."""
    from distributed import Client

    address_file, log = work / "scheduler.json", open(work / "dask.log", "ab")  # noqa: SIM115
    procs: list[subprocess.Popen] = []
    samplers: list[PeakMemory] = []
    try:
        procs.append(
            subprocess.Popen(
                [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0"]
                + ["--no-dashboard", "--scheduler-file", str(address_file)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 60
        while not address_file.exists():
            if procs[0].poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the Dask scheduler did not start; see {work / 'dask.log'}")
            time.sleep(0.2)
        address = json.loads(address_file.read_text(encoding="utf-8"))["address"]
        for n in range(workers):
            procs.append(
                subprocess.Popen(
                    [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny"]
                    + ["--no-dashboard", "--host", "127.0.0.1", "--name", f"bench-{n}"]
                    + ["--local-directory", str(work / "dask")],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=120)
        samplers = [PeakMemory(proc.pid, **LONG_WATCH) for proc in procs]
        yield address, samplers
    finally:
        for sampler in samplers:
            sampler.stop()
        for proc in reversed(procs):  # the workers first, then the scheduler
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def province(year_folder: Path, counties: int) -> str:
    """What the province overview holds: the counties index.html links to, the county pages."""
    index = (year_folder / "index.html").read_text(encoding="utf-8")
    linked = {unquote(c) for c in re.findall(r'<a href="index-([^"]+)\.html">', index)}
    written = {c for c in linked if (year_folder / f"index-{c}.html").is_file()}
    return (
        f"province overview: index.html links {len(linked)} 县 of the {counties} the units "
        f"belong to, {len(written)} of their pages written "
        f"({'as it should be' if len(written) == len(linked) == counties else 'MISSING PAGES'})"
    )


def flat(ratio: float) -> str:
    """Whether a cost per unit stays within 15 % of the 20-unit one, and which way it moved."""
    if abs(ratio - 1) <= 0.15:
        return "yes"
    return "no (cheaper at scale)" if ratio < 1 else "no (dearer at scale)"


def describe(run: Run, label: str, c: Run, unit_word: str, base: Run | None = None) -> list[str]:
    """The lines of a scaled run: cost per unit against (c), client memory, overview share.
    `base`: the same kind of run with (c)'s number of units on the same executor (a Dask run's
    like with like); the flat verdict is then against it, and (c) is shown as information."""
    ratio = run.per_worker / c.per_worker
    share = run.overview / run.seconds
    client = run.peak.by_role["runner"]
    against_c = (
        f"(c) {c.units} units {c.per_unit:.2f} s/unit = {c.per_worker:.2f} s per unit per core: "
        f"ratio {ratio:.2f}"
    )
    if base is None:
        cost = [f"{against_c}, flat within 15 %: {flat(ratio)}"]
    else:
        like = run.per_unit / base.per_unit
        cost = [
            f"{base.units} units on the same cluster right after, the run less its overview "
            f"{base.per_unit:.2f} s/unit: ratio {like:.2f}, flat within 15 %: {flat(like)}",
            f"    for information, against the local executor (not like with like): {against_c}",
        ]
    return [
        f"{label}: {run.units} units in {run.seconds:.1f} s",
        f"    units (the run less its overview) {run.per_unit:.2f} s/unit = {run.per_worker:.2f} s "
        f"per unit per {unit_word}; {cost[0]}",
        *cost[1:],
        f"    client peak RSS {client:.0f} MiB (the selfeval run process alone; ≤ 700 MiB: "
        f"{'yes' if client <= 700 else 'no'}); its process tree peak RSS {run.peak.rss:.0f} MiB, "
        f"PSS {run.peak.pss:.0f} MiB",
        f"    overview built in {run.overview:.1f} s = {share:.1%} of the run "
        f"(≤ 5 %: {'yes' if share <= 0.05 else 'no'})",
    ]


def extrapolate(run: Run, label: str) -> list[str]:
    """The wall time of a 30,000-unit run on 2, 8, 32 workers from `run`'s cost per unit per
    worker; the overview apart, at its cost per unit as measured (the client builds it alone)."""
    overview = run.overview / run.units * COUNTRY / 3600
    units = "; ".join(
        f"{w} workers {COUNTRY * run.per_worker / w / 3600:.1f} h" for w in (2, 8, 32)
    )
    return [
        f"a {COUNTRY:,}-unit country run, extrapolated from {label} ({run.units} units, "
        f"{run.per_worker:.2f} s per unit per worker), assuming the scheduler's and the "
        "overview's cost per unit stay flat as measured and one core per worker:",
        f"    the units: {units}",
        f"    then the overview, built by the client alone whatever the workers: {overview:.1f} h "
        f"({run.overview / run.units:.3f} s per unit; its notebooks, one for the index and one "
        "per 县, up to the client's cores at once)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=20, help="synthetic units (default 20)")
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        help="also run (c) with this many units, with the overview (e.g. 1000)",
    )
    parser.add_argument(
        "--dask",
        type=int,
        default=0,
        help="also run this many units of 30 县 on a local Dask scheduler and workers (e.g. 3000)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="Dask workers for --dask (default 2)"
    )
    parser.add_argument(
        "--counties", type=int, default=30, help="县 of the --dask province (default 30)"
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
        seconds, _ = measure(commands, work)  # timed: nothing watches it (see PeakMemory)
        # then again, watched, for the memory peaks and (c)'s CPU by role; (a) for a few units
        watched = commands[: 2 * NAIVE_WATCHED] if key == "a" else commands
        watched_seconds, peak = measure(watched, work, watch={})
        results[key] = seconds, peak, watched_seconds
    print("one unit, phase by phase ...", flush=True)
    per_phase = phases(params[: min(len(params), 9)], work)
    print("start-up times ...", flush=True)
    help_s = startup([str(BIN / "selfeval"), "--help"], ROOT)
    validate_s = startup([str(BIN / "selfeval"), "validate", "params/"], ROOT)
    noop_s = startup([*selfeval[:-2], "--no-overview", "--out", str(work / "c")], work)
    scaled = dasked = None
    if args.scale:
        print(f"(s) selfeval run, {args.scale} units, with the overview ...", flush=True)
        big = work / "scale"
        write_synthetic_units(args.scale, 2024, big)
        command = [str(BIN / "selfeval"), "run", str(big / "params"), "--force"]
        scaled = run_measured(
            [*command, "--out", str(big / "out")],
            args.scale,
            os.cpu_count() or 1,
            big,
            big / "run.log",
        )
    if args.dask:
        print(
            f"(d) Dask, {args.dask} units of {args.counties} 县, {args.workers} workers ...",
            flush=True,
        )
        province_dir = work / "dask"
        write_synthetic_units(args.dask, 2024, province_dir, counties=args.counties)
        with local_cluster(province_dir, args.workers) as (address, cluster_peaks):
            dasked = run_on_cluster(province_dir, args.dask, args.workers, address)
            # like with like: (c)'s number of units on the same cluster, run after the large
            # batch so that neither pays the workers' first start over few units
            print(f"(d) Dask, {args.units} units on the same cluster ...", flush=True)
            small_dir = work / "dask-small"
            write_synthetic_units(args.units, 2024, small_dir, counties=args.counties)
            dask_small = run_on_cluster(small_dir, args.units, args.workers, address)

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
        seconds, peak, _ = results[key]
        ratio = results["a"][0] / seconds
        largest = "/".join(f"{peak.by_role[r]:.0f}" for r in ("runner", "zygote", "kernel"))
        print(
            f"({key}) {label:<36}{seconds / n:>8.2f}{seconds:>9.1f}{ratio:>7.2f}"
            f"{peak.rss:>9.0f}{peak.pss:>9.0f}{largest:>34}"
        )
    c_seconds, c_peak, c_watched = results["c"]
    c = Run(n, c_seconds, c_peak, os.cpu_count() or 1)
    if scaled:
        print(
            f"scaling of (c): {n} units {c.per_unit:.2f} s/unit, peak RSS {c_peak.rss:.0f} MiB "
            f"(PSS {c_peak.pss:.0f}); {scaled.units} units {scaled.per_unit:.2f} s/unit (less "
            f"its overview), peak RSS {scaled.peak.rss:.0f} MiB (PSS {scaled.peak.pss:.0f})"
        )
        print("\n".join(describe(scaled, "(s) selfeval run with the overview", c, "core")))
    if dasked:
        counties = min(args.counties, args.dask)
        print(
            "\n".join(
                describe(
                    dasked,
                    f"(d) Dask, {counties} 县, {args.workers} workers on 127.0.0.1, "
                    "with the overview",
                    c,
                    "worker",
                    dask_small,
                )
            )
        )
        scheduler, *workers = cluster_peaks
        print(
            f"    scheduler peak RSS {scheduler.rss:.0f} MiB; workers (each with its kernels) "
            f"peak RSS {'/'.join(f'{w.rss:.0f}' for w in workers)} MiB, "
            f"PSS {'/'.join(f'{w.pss:.0f}' for w in workers)} MiB"
        )
        print(f"    {province(work / 'dask' / 'out' / '2024', counties)}")
    largest = max(
        [(r, label) for r, label in ((scaled, "(s)"), (dasked, "(d)")) if r],
        key=lambda pair: (pair[0].units, pair[1] == "(d)"),  # a tie: the one with workers
        default=None,
    )
    if largest:
        print("\n".join(extrapolate(*largest)))
    cpu = {kind: c_peak.cpu(kind) / n for kind in ROLES}
    watched = Run(n, c_watched, c_peak, os.cpu_count() or 1)
    print(
        f"\n(c) watched (again, for its memory and CPU; {watched.per_unit:.2f} s/unit against "
        f"{c.per_unit:.2f} timed), CPU seconds per unit (each process as last sampled, 0.05 s "
        f"apart): the runner {cpu['runner']:.2f}, the kernels {cpu['kernel']:.2f}, their zygote "
        f"{cpu['zygote']:.2f}, other {cpu['other']:.2f}; {sum(cpu.values()):.2f} in all, of the "
        f"{watched.per_worker:.2f} core seconds per unit its wall time gave ({c.workers} cores)"
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
