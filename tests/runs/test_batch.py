"""Batches: faults stay with their unit, Ctrl-C leaves no half-written file, re-runs skip what is unchanged."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from openpyxl import load_workbook

from selfeval_lib.errors import ParamsError
from selfeval_lib.runs import DEFAULT_NOTEBOOK
from selfeval_lib.runs.batch import expand_paths, plan_batch, run_batch
from selfeval_lib.runs.manifest import summary_table

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
        timeout=30,  # per cell: the good unit's slowest cell (workbooks, 自评表) under a loaded machine
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


ZYGOTE = "selfeval_lib.runs.zygote"


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

    def kernels() -> list:  # a forked kernel keeps its zygote's command line
        return [p for p in runner.children(recursive=True) if ZYGOTE in " ".join(p.cmdline())]

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


def write_province(
    tmp_path: Path, units: int, names: tuple[str, ...] = ("甲县", "乙区")
) -> dict[str, list[str]]:
    """reports/2024 of `units` synthetic units of `names` in turn ("": a unit naming no county;
    scores and a stand-in report each, as the overview needs them); returns each county's unit
    ids."""
    from selfeval_lib.inputs.synth import write_synthetic_units
    from selfeval_lib.report.content import load_report

    year = tmp_path / "reports/2024"
    year.mkdir(parents=True)
    counties: dict[str, list[str]] = {}
    for n, params in enumerate(write_synthetic_units(units, 2024, tmp_path, 7)):
        record = {**load_report(params).scores_record(), "county": names[n % len(names)]}
        counties.setdefault(record["county"], []).append(record["unit_id"])
        (year / f"{record['unit_id']}.scores.json").write_text(json.dumps(record), "utf-8")
        (year / f"{record['unit_id']}.html").write_text("<html></html>", encoding="utf-8")
    return counties


def test_a_province_gets_an_index_over_its_counties_and_each_countys_overview(tmp_path):
    """Units of several 县（区） in one year folder: index.html over them all with a link to each
    county's overview (written beside it, so the units' links hold), which has only its units."""
    from selfeval_lib.runs.batch import run_overview

    counties = write_province(tmp_path, 4)
    year = tmp_path / "reports/2024"
    run_overview(tmp_path / "reports", 2024)
    index = (year / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'<a href="index-([^"]+)\.html">', index)
    assert sorted(unquote(c) for c in linked) == ["乙区", "甲县"]
    for county, units in counties.items():
        page = (year / f"index-{county}.html").read_text(encoding="utf-8")
        assert f"2024年度{county}部门整体支出绩效自评汇总" in page
        assert '<a href="index.html">返回全部县（区）汇总</a>' in page
        assert sorted(re.findall(r'id="rank-([^"]+)"', page)) == sorted(units)
    sheets = load_workbook(year / "summary.xlsx").sheetnames
    assert sheets == ["2024年度汇总", "乙区", "甲县"]


def test_a_provinces_units_that_name_no_county_get_a_page_of_their_own_with_only_them(tmp_path):
    """A unit whose scores name no 县（区）: the index links a 未填报 page, which lists those
    units only (as summary.xlsx's 未填报 sheet does), not the whole province."""
    from selfeval_lib.runs.batch import run_overview

    counties = write_province(tmp_path, 6, ("甲县", "乙区", ""))
    year = tmp_path / "reports/2024"
    run_overview(tmp_path / "reports", 2024)
    index = (year / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'<a href="index-([^"]+)\.html">', index)
    assert sorted(unquote(c) for c in linked) == ["乙区", "未填报", "甲县"]
    page = (year / "index-未填报.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'id="rank-([^"]+)"', page)) == sorted(counties[""])
    assert len(counties[""]) == 2
    assert "<title>2024年度未填报部门整体支出绩效自评汇总</title>" in page


def test_the_overview_pages_read_once_and_run_at_once_are_the_notebooks_own_bytes(tmp_path):
    """The runner reads a year's scores once and runs the pages side by side; each page is the
    very bytes the overview notebook gives run alone on the folder (as in JupyterLab: its
    parameters year_folder and county only), whatever the number of pages at once."""
    from selfeval_lib.report.export import export_html
    from selfeval_lib.runs import OVERVIEW_NOTEBOOK
    from selfeval_lib.runs.batch import run_overview
    from selfeval_lib.runs.runner import execute_report

    write_province(tmp_path, 6, ("甲县", "乙区", ""))
    year = tmp_path / "reports/2024"
    run_overview(tmp_path / "reports", 2024, jobs=2)
    at_once = {f.name: f.read_bytes() for f in sorted(year.glob("index*.html"))}
    at_once["summary.xlsx"] = (year / "summary.xlsx").read_bytes()
    assert sorted(at_once) == [
        "index-乙区.html", "index-未填报.html", "index-甲县.html", "index.html", "summary.xlsx"
    ]  # fmt: skip
    run_overview(tmp_path / "reports", 2024, jobs=1)
    assert {name: (year / name).read_bytes() for name in at_once} == at_once
    pages = (("index.html", ""), ("index-乙区.html", "乙区"), ("index-未填报.html", "未填报"))
    for page, county in pages:
        nb = execute_report(
            year,
            OVERVIEW_NOTEBOOK,
            tmp_path / "alone.ipynb",
            60,
            parameters={"year_folder": str(year), "county": county},
        )
        alone = export_html(nb, f"2024年度{county}部门整体支出绩效自评汇总").encode("utf-8")
        assert alone == at_once[page], page


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


def test_a_plan_for_the_cluster_keeps_no_validated_unit_in_the_client(tmp_path):
    """A province's run on Dask sends each unit's files; the client need not hold 3,000
    validated units (50 KB each) while they run. The local executor runs the ones it checked."""
    years = tmp_path / "years"
    shutil.copytree(Path(__file__).resolve().parent.parent / "data" / "years", years)
    paths = expand_paths([str(years / "params")])
    local = plan_batch(paths, tmp_path / "out").jobs
    cluster = plan_batch(paths, tmp_path / "out", keep_units=False).jobs
    assert [j.unit.params.unit_id for j in local] == [j.unit_id for j in cluster]
    assert [j.fingerprint for j in local] == [j.fingerprint for j in cluster]
    assert len(cluster) == 3 and all(j.unit is None for j in cluster)


# --- faults while writing: a unit's outputs are all of one run, the overview agrees -------------


@pytest.fixture(scope="module")
def example_built():
    """The example unit built once for real (its kernel's one computation)."""
    from selfeval_lib.inputs.params import load_params
    from selfeval_lib.runs.runner import build_unit

    built = build_unit(load_params(EXAMPLE_PARAMS), DEFAULT_NOTEBOOK, 300)
    assert not built.error, built.error
    return built


def _zip_marked(data: bytes, run: int) -> bytes:
    """A .docx or .xlsx still whole, told apart by its zip comment."""
    import io

    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as z:
        z.comment = f"run {run}".encode()
    return buffer.getvalue()


def builds_of_run(monkeypatch, example, run: int) -> None:
    """Units build without a kernel: the example's files, each marked as of `run`, with the
    total 80 + run (the runner and the overview are the real ones)."""
    from selfeval_lib.runs import runner

    def build(params, notebook, timeout, spare=False, slot=None):
        scores = json.loads(example.files["scores"])
        scores.update(unit_id=params.unit_id, total=80.0 + run)
        nb = json.loads(example.files["ipynb"])
        nb["metadata"]["run"] = run
        files = {
            "scores": json.dumps(scores, ensure_ascii=False).encode(),
            "html": example.files["html"].replace(
                b"</body>", f"<!-- run {run} --></body>".encode()
            ),
            "ipynb": json.dumps(nb).encode(),
            "docx": _zip_marked(example.files["docx"], run),
            "xlsx": _zip_marked(example.files["xlsx"], run),
        }
        return runner.Built(files, grade=scores["grade"], total=80.0 + run)

    monkeypatch.setattr(runner, "build_unit", build)


def run_of(out: Path, unit: str) -> set:
    """Which run each of a unit's outputs on disk is of."""
    base = out / "2024"
    found = {json.loads((base / f"{unit}.scores.json").read_text("utf-8"))["total"] - 80}
    found |= {json.loads((base / f"{unit}.ipynb").read_text("utf-8"))["metadata"]["run"]}
    for kind in ("docx", "xlsx"):
        with zipfile.ZipFile(base / f"{unit}.{kind}") as z:
            found.add(int(z.comment.split()[1]))
    html = base / f"{unit}.html"
    if html.is_file():
        found.add(int(html.read_text("utf-8").rsplit("<!-- run ", 1)[1].split()[0]))
    return found


def _disk_full(monkeypatch, out):
    real = Path.write_bytes

    def full(self, data):  # the HTML of unit b, as staged
        if self.name == "html" and self.parent.name.startswith(".b_2024."):
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)


def _read_only(monkeypatch, out):
    from selfeval_lib.runs import commit

    real = commit.tempfile.mkdtemp

    def refuse(suffix=None, prefix=None, dir=None):  # noqa: A002 - mkdtemp's own names
        if (prefix or "").startswith(".b_2024."):
            raise PermissionError(13, "Permission denied")
        return real(suffix, prefix, dir)

    monkeypatch.setattr(commit.tempfile, "mkdtemp", refuse)


def _blocked(monkeypatch, out):
    (out / "2024/b_2024.html").unlink()
    (out / "2024/b_2024.html").mkdir()


FAULTS_OF_B = {
    "disk full": (_disk_full, "No space left on device"),
    "read-only folder": (_read_only, "Permission denied"),
    "blocked path": (_blocked, "此处是文件夹或其他非文件，报告无法写入"),
}


@pytest.mark.parametrize("fault", FAULTS_OF_B, ids=FAULTS_OF_B)
def test_a_write_fault_keeps_a_units_outputs_of_one_run_and_the_overview_marks_it(
    tmp_path, monkeypatch, example_built, fault
):
    inject, reason = FAULTS_OF_B[fault]
    root = make_project(tmp_path, ["a_2024", "b_2024"])
    out, params = root / "reports", expand_paths([str(root / "params")])
    builds_of_run(monkeypatch, example_built, 1)
    run_batch(params, out, jobs=2, log=lambda _: None, overview=False)
    inject(monkeypatch, out)
    builds_of_run(monkeypatch, example_built, 2)
    lines: list[str] = []
    results = run_batch(params, out, jobs=2, force=True, log=lines.append)
    monkeypatch.undo()
    status = {r.unit_id: (r.status, r.error) for r in results}
    assert status["a_2024"] == ("ok", "")
    assert status["b_2024"][0] == "failed" and reason in status["b_2024"][1]
    assert "Traceback" not in "\n".join(lines)
    assert run_of(out, "a_2024") == {2} and run_of(out, "b_2024") == {1}
    m = manifest(out)
    assert (m["run"], m["state"], m["complete"]) == (2, "finished", True)
    assert {u: (e["status"], e["outputs_run"]) for u, e in m["units"].items()} == {
        "a_2024": ("ok", 2),
        "b_2024": ("failed", 1),
    }
    assert m["overview"]["status"] == "ok", m["overview"]
    index = (out / "2024/index.html").read_text("utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", index, flags=re.S)
    a_row = next(r for r in rows if 'href="a_2024.html"' in r)
    assert "82.00" in a_row and "本次运行失败" not in a_row
    if fault == "blocked path":  # no report of b to link to: not ranked, and said why
        assert not [r for r in rows if "b_2024.html" in r and "href" in r]
        assert "b_2024.scores.json: 没有对应的报告 b_2024.html，未列入汇总" in index
    else:
        b_row = next(r for r in rows if 'href="b_2024.html"' in r)
        assert "81.00" in b_row and "（本次运行失败，显示上次结果）" in b_row
        # b's last good outputs are whole and its inputs unchanged: the next run skips it;
        # a set that is not whole (as an older selfeval could leave) runs again
        builds_of_run(monkeypatch, example_built, 3)
        again = run_batch(params, out, jobs=2, log=lambda _: None, overview=False)
        assert [r.status for r in again] == ["skipped", "skipped"]
        assert run_of(out, "b_2024") == {1}
        shutil.copy(out / "2024/a_2024.scores.json", out / "2024/b_2024.scores.json")
        again = run_batch(params, out, jobs=2, log=lambda _: None, overview=False)
        assert [(r.unit_id, r.status) for r in again] == [("a_2024", "skipped"), ("b_2024", "ok")]
        assert run_of(out, "b_2024") == {3}
    assert not [p.name for p in (out / "2024").iterdir() if p.name.startswith(".")]


def test_a_damaged_run_json_and_a_gbk_console_stop_nothing(tmp_path, monkeypatch, example_built):
    import io

    from selfeval_lib.cli import make_log

    root = make_project(tmp_path, ["a_2024", "b_2024"])
    out, params = root / "reports", expand_paths([str(root / "params")])
    builds_of_run(monkeypatch, example_built, 1)
    run_batch(params, out, jobs=2, log=lambda _: None, overview=False)
    (out / "2024/run.json").write_text('{"units": [1, 2]}', encoding="utf-8")  # edited by hand
    console = io.BytesIO()
    gbk = io.TextIOWrapper(console, encoding="gbk", errors="strict", write_through=True)
    builds_of_run(monkeypatch, example_built, 2)
    results = run_batch(params, out, jobs=2, log=make_log(gbk))
    shown = console.getvalue().decode("gbk")
    assert [r.status for r in results] == ["ok", "ok"]  # the log line with ✓ stopped nothing
    assert "? a_2024 2024: 良 82.00分 (" in shown and "? b_2024 2024: 良 82.00分 (" in shown
    assert "运行记录已损坏（units 的类型不对：list / units has the wrong type: list）" in shown
    assert (out / "2024/run.json.damaged-1").read_text("utf-8") == '{"units": [1, 2]}'
    m = manifest(out)
    assert (m["state"], m["complete"], m["counts"]["ok"]) == ("finished", True, 2)
    assert run_of(out, "a_2024") == run_of(out, "b_2024") == {2}
    assert "82.00" in (out / "2024/index.html").read_text("utf-8")


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_sighup_and_sigterm_stop_the_batch_saying_why_in_both_languages(tmp_path, signum):
    root = make_project(tmp_path, ["hang_2024"])
    out = root / "reports"
    command = [sys.executable, "-m", "selfeval_lib.cli", "run", str(root / "params"), "--out"]
    command += [str(out), "--notebook", str(root / "faulty.ipynb"), "--jobs", "1"]
    proc = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (out / "2024/run.json").is_file():  # the unit is about to run
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)
    assert manifest(out)["units"]["hang_2024"]["status"] == "running"
    time.sleep(2.0)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    name = signal.Signals(signum).name
    why = {"SIGHUP": "终端或远程连接已关闭", "SIGTERM": "被要求结束"}[name]
    said = f"收到信号 {name}（{why}），批处理已停止 / received {name}"
    assert proc.returncode == 130
    assert said in stderr.decode() and "Traceback" not in stderr.decode()
    m = manifest(out)
    assert (m["state"], m["complete"]) == ("interrupted", False)
    assert m["units"]["hang_2024"]["status"] == "interrupted"
    assert m["units"]["hang_2024"]["error"].startswith(said)
