"""Benchmark (not a test): where the CPU of `selfeval run` goes, in CPU-seconds per unit.

On a machine shared with other work wall time is noise; CPU time is what the run itself spends.
Prints, for N synthetic units:

  1. `selfeval run` on all cores: CPU-s per unit of the runner, of the kernel zygote and of the
     unit kernels (psutil, sampled every 10 ms over the command's process tree);
  2. one unit's kernel cell by cell: each cell's CPU-s measured inside the kernel (a copy of the
     report notebook that reads time.process_time() before each cell), units one after another
     in one warm runner, as `selfeval run` drives them;
  3. the runner's own work after the cells, export by export, on the notebooks of step 2.

    .venv/bin/python bench/cpu.py --units 20
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import BIN, NOTEBOOK, PeakMemory

CLOCK = "import time as _t, builtins as _b\n_b.__dict__.setdefault('_cpu', []).append(_t.process_time())\n"
LAST = "import time as _t, builtins as _b, json as _j\n_b._cpu.append(_t.process_time())\nprint('CPU', _j.dumps(_b._cpu))"


def run_cpu(
    params_dir: Path, out: Path, jobs: int | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """CPU-s of `selfeval run` by role (runner, zygote, kernel), summed over the run; and its
    timeline: when the first kernel started and the last one ended, and the core-seconds the
    run's wall time gave but its processes did not use, before the first kernel, while kernels
    ran, and after the last one (bench.PeakMemory, sampling every 10 ms)."""
    command = [str(BIN / "selfeval"), "run", str(params_dir), "--force", "--no-overview"]
    command += ["--jobs", str(jobs)] if jobs else []
    proc = subprocess.Popen([*command, "--out", str(out)], stdout=subprocess.DEVNULL)
    sampler = PeakMemory(proc.pid, interval=0.01, memory=False)
    if proc.wait() != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    wall = time.monotonic() - sampler.started
    sampler.stop()
    by_role = {kind: sampler.cpu(kind) for kind in set(sampler.kinds.values())}
    return by_role, timeline(sampler.samples, wall, os.cpu_count() or 1)


def timeline(samples: list[tuple[float, float, bool]], wall: float, cores: int) -> dict[str, float]:
    """Seconds of wall time and idle core-seconds before the first kernel ran, while kernels
    ran, and after the last one had ended (the idle ones: the cores times the wall time of the
    phase, less the CPU-s the run's processes spent in it)."""
    with_kernel = [n for n, (_, _, kernel) in enumerate(samples) if kernel]
    if not with_kernel:
        return {}
    first, last = with_kernel[0], with_kernel[-1]
    bounds = [(0.0, 0.0), samples[first][:2], samples[last][:2], (wall, samples[-1][1])]
    out = {"wall s": wall}
    for name, (t0, c0), (t1, c1) in zip(
        ("start", "kernels", "tail"), bounds, bounds[1:], strict=False
    ):
        out[f"{name} s"] = t1 - t0
        out[f"{name} idle core-s"] = max(0.0, cores * (t1 - t0) - (c1 - c0))
    return out


CELLS_SCRIPT = r"""
import json, sys, time
from pathlib import Path
from selfeval_lib.runs import runner
from selfeval_lib.runs.zygote import Zygote
notebook, out, params = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
Zygote.start()
runner.import_papermill()
rows = []
for n, path in enumerate(params):
    result = runner.run_unit(path, out, notebook=notebook, spare=n + 1 < len(params))
    assert result.status == "ok", result.error
    nb = json.loads(Path(result.outputs["ipynb"]).read_text(encoding="utf-8"))
    text = "".join(nb["cells"][-1]["outputs"][0]["text"])
    clock = json.loads(text.split("CPU", 1)[1])
    rows.append([clock[0], *(b - a for a, b in zip(clock, clock[1:]))])
    print(result.outputs["ipynb"])
rows = rows[1:]  # the first unit waits for the zygote's imports
print(json.dumps([sum(column) / len(rows) for column in zip(*rows)]))
"""


def kernel_cells(params: list[Path], work: Path) -> tuple[list[tuple[str, float]], list[Path]]:
    """Mean CPU-s of each cell inside the kernel, and the executed notebooks."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    names = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", []):
            source = "".join(cell["source"])
            names.append(source.splitlines()[-1])
            cell["source"] = CLOCK + source
    nb["cells"].append(
        {
            "cell_type": "code",
            "id": "cpu",
            "metadata": {},
            "source": LAST,
            "outputs": [],
            "execution_count": None,
        }
    )
    timed = NOTEBOOK.parent / f".cpu-{os.getpid()}.ipynb"  # beside the notebook: its cwd
    timed.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    try:
        lines = subprocess.run(
            [
                sys.executable,
                "-c",
                CELLS_SCRIPT,
                str(timed),
                str(work / "cells"),
                *map(str, params),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    finally:
        timed.unlink()
    spent = json.loads(lines[-1])
    rows = [("kernel start (in the kernel, before the first cell)", spent[0])]
    rows += list(zip(names, spent[1:], strict=False))
    return rows, [Path(line) for line in lines[:-1]]


def runner_exports(notebooks: list[Path]) -> dict[str, float]:
    """Mean CPU-s of the runner's work on an executed notebook, step by step (the first unit
    warms the process up and is left out)."""
    import hashlib

    import nbformat

    from selfeval_lib.report.docx_export import export_docx
    from selfeval_lib.report.export import export_html, extract_forms, extract_scores

    spent: dict[str, float] = {}

    def timed(name, fn, *args):
        started = time.process_time()
        out = fn(*args)
        spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return out

    def read_out(nb) -> dict:
        extract_forms(nb)
        return extract_scores(nb)

    def scores_json(scores: dict) -> bytes:
        return json.dumps(scores, ensure_ascii=False, indent=2).encode()

    def hashes(*files: bytes) -> list[bytes]:
        return [hashlib.sha256(data).digest() for data in files]

    for n, path in enumerate(notebooks):
        if n == 1:
            spent.clear()
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        timed("the notebook written (nbformat.writes)", nbformat.writes, nb)
        scores = timed("scores record and 自评表 read out", read_out, nb)
        timed("scores.json", scores_json, scores)
        word = timed("Word export", export_docx, nb)
        page = timed("HTML export", export_html, nb, "", False).encode()
        timed("sha256 of the outputs", hashes, word, page)
    return {name: value / max(1, len(notebooks) - 1) for name, value in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=20, help="synthetic units (default 20)")
    parser.add_argument(
        "--jobs", type=int, help="selfeval run --jobs (default: its own, the cores)"
    )
    parser.add_argument(
        "--run-only", action="store_true", help="only the run: no cell-by-cell, no exports"
    )
    args = parser.parse_args()

    from selfeval_lib.inputs.synth import write_synthetic_units

    work = Path(tempfile.mkdtemp(prefix="selfeval-cpu-"))
    try:
        params = write_synthetic_units(args.units, 2024, work)
        print(f"selfeval run, {args.units} units ...", flush=True)
        by_role, phases = run_cpu(work / "params", work / "out", args.jobs)
        cells, notebooks, exports = [], [], {}
        if not args.run_only:
            print("one unit's kernel, cell by cell ...", flush=True)
            cells, notebooks = kernel_cells(params[: min(len(params), 6)], work)
            exports = runner_exports(notebooks)
    finally:
        shutil.rmtree(work)
    n = args.units
    total = sum(by_role.values())
    jobs = f"--jobs {args.jobs}" if args.jobs else "default --jobs"
    print(
        f"\nCPU-s per unit, {n} units ({jobs}), wall {phases.get('wall s', 0):.1f} s, load average {os.getloadavg()[0]:.1f} at the end:"
    )
    for kind in ("runner", "zygote", "kernel", "other"):
        if kind in by_role:
            print(f"  {kind:<60}{by_role[kind] / n:>7.3f}")
    print(f"  {'all':<60}{total / n:>7.3f}")
    if phases:
        print(
            f"\nthe run's wall time ({os.cpu_count()} cores): seconds, and core-seconds no process used:"
        )
        for name, what in (
            ("start", "to the first kernel"),
            ("kernels", "kernels running"),
            ("tail", "after the last kernel"),
        ):
            print(
                f"  {what:<44}{phases[name + ' s']:>7.2f} s{phases[name + ' idle core-s']:>8.2f} idle"
            )
    if args.run_only:
        return
    print(f"\none unit's kernel, CPU-s by cell (mean of {len(notebooks) - 1} units):")
    for name, value in cells:
        print(f"  {name[:60]:<60}{value:>7.3f}")
    print(f"  {'cells and kernel start':<60}{sum(v for _, v in cells):>7.3f}")
    print("\nthe runner's work on one executed notebook, CPU-s:")
    for name, value in exports.items():
        print(f"  {name:<60}{value:>7.3f}")


if __name__ == "__main__":
    main()
