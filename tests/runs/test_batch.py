"""Batches: faults stay with their unit, Ctrl-C leaves no half-written file, re-runs skip what is unchanged."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest
from openpyxl import load_workbook

from selfeval_lib.errors import ParamsError
from selfeval_lib.runs.batch import expand_paths, plan_batch, run_batch
from selfeval_lib.runs.manifest import summary_table
from selfeval_lib.runs.runner import DEFAULT_NOTEBOOK

from ..conftest import EXAMPLE_DATA, EXAMPLE_PARAMS

pytestmark = pytest.mark.notebook

# A cell that misbehaves only for the unit whose id names the fault.
FAULTS = """import os, time
if "hang" in params_path:
    time.sleep(600)
if "slow" in params_path:
    time.sleep(6)
if "boom" in params_path:
    raise RuntimeError("boom for this unit")
if "crash" in params_path:
    os.kill(os.getpid(), 9)"""


def make_project(root: Path, unit_ids: list[str]) -> Path:
    """A project with one params file per id, all on the example's data, and a faulty notebook."""
    shutil.copytree(EXAMPLE_DATA, root / "data/2024/qianshan")
    (root / "params").mkdir()
    for unit_id in unit_ids:
        text = EXAMPLE_PARAMS.read_text(encoding="utf-8").replace("qianshan_2024", unit_id)
        (root / "params" / f"{unit_id}.yaml").write_text(text, encoding="utf-8")
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell(FAULTS))
    nbformat.write(nb, root / "faulty.ipynb")
    return root


def manifest(out: Path) -> dict:
    return json.loads((out / "2024" / "run.json").read_text(encoding="utf-8"))


def test_faults_stay_with_their_unit(tmp_path):
    root = make_project(tmp_path, ["a_2024", "boom_2024", "hang_2024", "crash_2024", "bad_2024"])
    (root / "data/2024/bad").mkdir()
    (root / "params/bad_2024.yaml").write_text(
        "unit_id: bad_2024\nyear: 2024\ndata: ../data/2024/bad\n", encoding="utf-8"
    )
    out = root / "reports"
    lines: list[str] = []
    results = run_batch(
        expand_paths([str(root / "params")]),
        out,
        root / "faulty.ipynb",
        timeout=8,
        jobs=2,
        log=lines.append,
    )
    status = {r.unit_id: r.status for r in results}
    assert status == {
        "a_2024": "ok",
        "boom_2024": "failed",
        "hang_2024": "failed",
        "crash_2024": "failed",
        "bad_2024": "invalid",
    }
    errors = {r.unit_id: r.error for r in results}
    assert "RuntimeError: boom for this unit" in errors["boom_2024"]
    assert "timed out" in errors["hang_2024"].lower() or "timeout" in errors["hang_2024"].lower()
    assert "DeadKernelError" in errors["crash_2024"] or "died" in errors["crash_2024"].lower()
    assert "unit.yaml" in errors["bad_2024"] and "文件不存在 / file not found" in errors["bad_2024"]
    m = manifest(out)
    assert m["counts"] == {"ok": 1, "skipped": 0, "failed": 3, "invalid": 1, "interrupted": 0}
    assert m["units"]["a_2024"]["inputs"]["data/2024/qianshan/budget.csv"]
    assert (out / "2024/a_2024.html").is_file()
    assert (out / "2024/boom_2024.failed.ipynb").is_file()
    assert not [p for p in (out / "2024").iterdir() if p.name.startswith(".")]


def test_reruns_skip_unchanged_units_and_redo_changed_ones(tmp_path):
    root = make_project(tmp_path, ["a_2024", "b_2024"])
    out = root / "reports"
    params = expand_paths([str(root / "params")])
    first = run_batch(params, out, jobs=2, log=lambda _: None)
    assert [r.status for r in first] == ["ok", "ok"]
    html = (out / "2024/a_2024.html").read_bytes()
    index = (out / "2024/index.html").read_text(encoding="utf-8")
    assert '<a href="a_2024.html">' in index and '<a href="b_2024.html">' in index
    # each unit's 自评表 is linked beside it, and is where the link points
    form = '<a href="a_2024.%E8%87%AA%E8%AF%84%E8%A1%A8.xlsx">自评表</a>'
    assert form in index and (out / "2024/a_2024.自评表.xlsx").is_file()
    assert "2024年度部门整体支出绩效自评汇总" in index and "等级分布：优0个，良2个" in index
    rows = list(load_workbook(out / "2024/summary.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:7] == ("排名", "单位", "单位代码", "县（区）", "评分表", "自评总分", "等级")
    assert [r[2] for r in rows[1:]] == ["a_2024", "b_2024"] and rows[1][5] == 86
    assert rows[1][3:5] == ("徐闻县", "gd_township_2024") and rows[1][6] == "良※"
    logged: list[str] = []
    again = run_batch(params, out, jobs=2, log=logged.append)
    assert [r.status for r in again] == ["skipped", "skipped"]
    assert manifest(out)["counts"]["skipped"] == 2
    assert "= 2024 汇总未变化，跳过 / overview unchanged, skipped" in logged
    # a changed input re-runs its unit (both units share this data folder here)
    budget = root / "data/2024/qianshan/budget.csv"
    budget.write_text(budget.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = run_batch(params[:1], out, jobs=1, log=lambda _: None)
    assert [r.status for r in third] == ["ok"]
    forced = run_batch(params[:1], out, jobs=1, force=True, log=lambda _: None)
    assert [r.status for r in forced] == ["ok"]
    assert (out / "2024/a_2024.html").read_bytes() != html  # the input hash in the footer changed


def test_two_params_files_for_one_unit_year_are_refused_before_running(tmp_path):
    root = make_project(tmp_path, ["a_2024"])
    (root / "other").mkdir()
    shutil.copy(root / "params/a_2024.yaml", root / "other/a_2024.yaml")
    (root / "other/a_2024.yaml").write_text(
        (root / "params/a_2024.yaml").read_text(encoding="utf-8").replace("../data", "../data"),
        encoding="utf-8",
    )
    with pytest.raises(ParamsError, match="unit a_2024 year 2024 is already claimed by"):
        run_batch(
            expand_paths([str(root / "params"), str(root / "other")]),
            root / "reports",
            log=lambda _: None,
        )
    assert not (root / "reports").exists()


def test_ctrl_c_leaves_no_half_written_file_and_the_manifest_says_what_finished(tmp_path):
    root = make_project(tmp_path, ["a_2024", "b_2024", "hang_2024"])
    out = root / "reports"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "selfeval_lib.cli",
            "run",
            str(root / "params"),
            "--out",
            str(out),
            "--notebook",
            str(root / "faulty.ipynb"),
            "--jobs",
            "1",
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # a and b done (their log lines say so: a file on disk can come before the unit is
    # recorded, and --jobs bounds the kernels, not the exports); hang is running
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    while not all(any(f"✓ {u} " in line for line in lines) for u in ("a_2024", "b_2024")):
        assert proc.poll() is None and time.monotonic() < deadline, "".join(lines) or "timeout"
        time.sleep(0.2)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    proc.wait(timeout=60)
    reader.join(timeout=10)
    output = "".join(lines)
    assert proc.returncode == 130, output
    assert "Traceback" not in output and "Error" not in output.replace("RunError", ""), output
    m = manifest(out)
    assert m["complete"] is False and m["state"] == "interrupted"
    written = max(p.stat().st_mtime for p in (out / "2024").iterdir() if p.name != "run.json")
    assert written <= (out / "2024/run.json").stat().st_mtime  # nothing written after it
    assert {u: e["status"] for u, e in m["units"].items()} == {
        "a_2024": "ok",
        "b_2024": "ok",
        "hang_2024": "interrupted",
    }
    leftovers = [
        p.name for p in (out / "2024").iterdir() if p.name.startswith(".") or p.suffix == ".tmp"
    ]
    assert leftovers == []
    assert not (out / "2024/hang_2024.html").exists()


def test_a_failed_rerun_keeps_the_last_good_report_and_its_grade_in_the_manifest(tmp_path):
    root = make_project(tmp_path, ["boom_2024"])
    out = root / "reports"
    params = expand_paths([str(root / "params")])
    good = run_batch(params, out, jobs=1, log=lambda _: None, overview=False)  # the real notebook
    assert [r.status for r in good] == ["ok"]
    # the example's total rests on its illustrative self scores: the summary says so too
    table = summary_table(good)
    assert "良※" in table and "86.00※" in table
    html = (out / "2024/boom_2024.html").read_bytes()
    bad = run_batch(params, out, root / "faulty.ipynb", jobs=1, log=lambda _: None, overview=False)
    assert [r.status for r in bad] == ["failed"]
    entry = manifest(out)["units"]["boom_2024"]
    assert (entry["status"], entry["grade"], entry["total"]) == ("failed", "良", 86.0)
    assert entry["illustrative"] is True  # kept with the grade it describes
    assert (out / "2024/boom_2024.html").read_bytes() == html
    again = run_batch(params, out, jobs=1, log=lambda _: None, overview=False)  # unchanged inputs
    assert [(r.status, r.grade, r.total) for r in again] == [("skipped", "良", 86.0)]
    assert again[0].illustrative and "良※" in summary_table(again)


def test_sigkill_of_the_runner_takes_its_kernels_along_and_the_next_run_says_so(tmp_path):
    import psutil  # comes with distributed (the test extra, required in CI)

    root = make_project(tmp_path, ["hang_2024"])
    out = root / "reports"
    command = [sys.executable, "-m", "selfeval_lib.cli", "run", str(root / "params"), "--out"]
    command += [str(out), "--notebook", str(root / "faulty.ipynb"), "--jobs", "1"]
    proc = subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    runner = psutil.Process(proc.pid)
    deadline = time.monotonic() + 240

    def kernels() -> list:
        return [p for p in runner.children(recursive=True) if "kernels" in " ".join(p.cmdline())]

    while len(kernels()) < 2:  # the zygote and the unit's kernel, forked from it: it hangs now
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)
    family = runner.children(recursive=True)
    assert manifest(out)["state"] == "running"  # a killed run is visible as unfinished
    proc.kill()  # SIGKILL: no handler runs in the runner
    proc.communicate(timeout=30)
    _, alive = psutil.wait_procs(family, timeout=15)
    assert alive == [], [p.cmdline() for p in alive]
    again = subprocess.run(
        [*command, "--timeout", "3"], cwd=root, capture_output=True, text=True, timeout=240
    )
    assert "2024 年上次运行未正常结束" in again.stdout + again.stderr
    assert manifest(out)["state"] == "finished"


def test_the_timeout_bounds_the_whole_unit_not_only_each_cell(tmp_path):
    root = make_project(tmp_path, ["slow_2024", "a_2024"])
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    # each cell well within the 10 s limit, the four together past it; a plain unit has all 10 s
    # (it needs 1 to 3 on a busy machine)
    slow = "import time, os\nif 'slow' in os.path.basename(params_path):\n    time.sleep(3)"
    for n in range(4):
        nb.cells.insert(2 + n, nbformat.v4.new_code_cell(slow))
    nbformat.write(nb, root / "slow.ipynb")
    out = root / "reports"
    results = run_batch(
        expand_paths([str(root / "params")]), out, root / "slow.ipynb", timeout=10, jobs=1,
        log=lambda _: None, overview=False,
    )  # fmt: skip
    status = {r.unit_id: (r.status, r.error) for r in results}
    assert status["a_2024"][0] == "ok"
    assert status["slow_2024"][0] == "failed"
    assert (
        "超过单位时限 10 秒，内核已停止 / the unit ran past its time limit of 10 s"
        in (status["slow_2024"][1])
    )
    assert not (out / "2024/slow_2024.html").exists()


def test_a_unit_past_its_memory_cap_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_MAX_KERNEL_MB", "1500")  # a forked kernel starts near 900 MB
    root = make_project(tmp_path, ["big_2024", "a_2024"])
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    grab = "import os\nif 'big' in os.path.basename(params_path):\n    hoard = bytearray(3 << 30)"
    nb.cells.insert(2, nbformat.v4.new_code_cell(grab))
    nbformat.write(nb, root / "big.ipynb")
    results = run_batch(
        expand_paths([str(root / "params")]), root / "reports", root / "big.ipynb", jobs=1,
        log=lambda _: None, overview=False,
    )  # fmt: skip
    status = {r.unit_id: (r.status, r.error) for r in results}
    assert status["a_2024"][0] == "ok"
    assert status["big_2024"][0] == "failed" and "MemoryError" in status["big_2024"][1]


def test_an_unreachable_scheduler_is_one_message(tmp_path, capsys):
    from selfeval_lib.cli import main

    root = make_project(tmp_path, ["a_2024"])
    start = time.monotonic()
    code = main(
        ["run", str(root / "params"), "--out", str(root / "reports"), "--scheduler",
         "tcp://127.0.0.1:9"]  # loopback, a port nothing listens on
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and time.monotonic() - start < 60
    assert "无法连接 Dask 调度器 tcp://127.0.0.1:9 / cannot reach the Dask scheduler" in err
    assert "Traceback" not in err
    assert manifest(root / "reports")["units"]["a_2024"]["status"] == "failed"


def test_a_unit_whose_params_file_is_gone_leaves_the_overview(tmp_path):
    root = make_project(tmp_path, ["a_2024", "gone_2024"])
    out = root / "reports"
    run_batch(expand_paths([str(root / "params")]), out, jobs=2, log=lambda _: None)
    assert "gone_2024.html" in (out / "2024/index.html").read_text(encoding="utf-8")
    (root / "params/gone_2024.yaml").unlink()
    again = run_batch(expand_paths([str(root / "params")]), out, jobs=2, log=lambda _: None)
    assert [r.status for r in again] == ["skipped"]
    index = (out / "2024/index.html").read_text(encoding="utf-8")
    assert "gone_2024.html" not in index
    assert "（gone_2024）的 params 文件已删除，未列入汇总" in index


def test_a_change_to_last_years_data_reruns_this_years_unit_and_nothing_else(tmp_path):
    years = tmp_path / "years"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "years", years)
    paths = expand_paths([str(years / "params")])
    fingerprints = {j.unit_id: j.fingerprint for j in plan_batch(paths, tmp_path / "out").jobs}
    budget = years / "data/2023/hexi/budget.csv"
    budget.write_text(
        budget.read_text(encoding="utf-8").replace("2096.14", "2096.15"), encoding="utf-8"
    )
    after = {j.unit_id: j.fingerprint for j in plan_batch(paths, tmp_path / "out").jobs}
    changed = sorted(u for u in fingerprints if fingerprints[u] != after[u])
    assert changed == ["hexi_2023", "hexi_2024"]  # 2025 reads 2024's data only
