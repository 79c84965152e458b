"""What the README promises operators, each under test: atomic writes, a re-run when selfeval's
code, template or framework changes, exit status 1 when a unit fails, the overview's mark for a
unit whose latest run failed, and no progress bar without a terminal."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

import selfeval_lib.runs.batch as batch
from selfeval_lib import load_report
from selfeval_lib.cli import main
from selfeval_lib.fileio import _UMASK, PACKAGE_DIR, write_atomic
from selfeval_lib.report.overview import read_overview, show_ranking
from selfeval_lib.runs import DEFAULT_NOTEBOOK
from selfeval_lib.runs.batch import plan_batch, run_batch, tool_fingerprint
from selfeval_lib.runs.manifest import write_manifests
from selfeval_lib.runs.runner import UnitResult, output_paths

from .conftest import edit

# --- 原子写入: a reader never sees half a file, and a failed write leaves the old one ---------


def test_a_write_replaces_the_whole_file_readable_by_others(tmp_path):
    target = tmp_path / "2024" / "a.html"  # the folder is made as needed
    write_atomic(target, "旧")
    write_atomic(target, b"new bytes")
    assert target.read_bytes() == b"new bytes"
    assert os.stat(target).st_mode & 0o777 == 0o666 & ~_UMASK  # not mkstemp's 0600
    assert [p.name for p in target.parent.iterdir()] == ["a.html"]
    write_atomic(target, "前山镇")
    assert target.read_text(encoding="utf-8") == "前山镇"


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path, monkeypatch):
    """Renamed within one folder (one file system, so the rename is atomic), and named so that
    no reader of *.html or *.json ever lists it."""
    renamed = []
    real_replace = os.replace

    def replace(src, dst):
        renamed.append(src)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "a.html", "x")
    (tmp,) = renamed
    assert Path(tmp).parent == tmp_path
    assert Path(tmp).name.startswith(".a.html.") and Path(tmp).name.endswith(".tmp")


def test_a_write_that_fails_before_the_rename_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "a.html"
    target.write_text("the last good report", encoding="utf-8")

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, "a new report that never arrives " * 1000)
    assert target.read_text(encoding="utf-8") == "the last good report"
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]  # no temporary file left behind


def test_a_write_that_fails_mid_way_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("{}", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # neither text nor bytes: the write itself fails
    assert target.read_text(encoding="utf-8") == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


# --- 重新运行: selfeval's code, template and framework are part of every unit's fingerprint ----


@pytest.fixture
def package_copy(tmp_path, monkeypatch) -> Path:
    """A copy of selfeval_lib that tool_fingerprint reads instead of the installed one."""
    package = tmp_path / "selfeval_lib"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(batch, "PACKAGE_DIR", package)
    return package


@pytest.mark.parametrize(
    "changed",
    [
        "evaluate/scoring.py",  # a fix to a scoring rule
        "frameworks/rules.py",
        "frameworks/gd_township_2024.yaml",  # the shipped framework
        "report/templates/selfeval/index.html.j2",  # the HTML template
        "report/templates/selfeval/report.css",
        "report/templates/selfeval/conf.json",
        "report/templates/selfeval/overview.js",  # the overview's script
    ],
)
def test_a_change_to_selfeval_changes_the_fingerprint(package_copy, changed):
    before = tool_fingerprint(DEFAULT_NOTEBOOK)
    assert tool_fingerprint(DEFAULT_NOTEBOOK) == before  # stable while nothing changes
    path = package_copy / changed
    original = path.read_bytes()
    path.write_bytes(original + b"\n")
    assert tool_fingerprint(DEFAULT_NOTEBOOK) != before
    path.write_bytes(original)
    assert tool_fingerprint(DEFAULT_NOTEBOOK) == before


def test_a_new_module_counts_and_bytecode_does_not(package_copy):
    before = tool_fingerprint(DEFAULT_NOTEBOOK)
    cache = package_copy / "evaluate" / "__pycache__"
    cache.mkdir()
    (cache / "scoring.cpython-311.pyc").write_bytes(b"\x00")
    assert tool_fingerprint(DEFAULT_NOTEBOOK) == before
    (package_copy / "evaluate" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    assert tool_fingerprint(DEFAULT_NOTEBOOK) != before


def test_renaming_a_file_changes_the_fingerprint(package_copy):
    before = tool_fingerprint(DEFAULT_NOTEBOOK)
    (package_copy / "fmt.py").rename(package_copy / "fmt2.py")
    assert tool_fingerprint(DEFAULT_NOTEBOOK) != before


def test_a_change_to_the_notebooks_code_changes_the_fingerprint(tmp_path):
    notebook = tmp_path / "report.ipynb"
    shutil.copy(DEFAULT_NOTEBOOK, notebook)
    before = tool_fingerprint(notebook)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(1)"))
    nbformat.write(nb, notebook)
    assert tool_fingerprint(notebook) != before


def _pretend_built(out: Path, params: Path) -> None:
    """reports/2024 as a good run of the unit leaves it: its outputs, and run.json with the
    fingerprint the planner computes now."""
    (job,) = plan_batch([params], out).jobs
    for path in output_paths(out, 2024, "qianshan_2024").values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("built", encoding="utf-8")
    result = UnitResult(str(params), "qianshan_2024", 2024, "ok", grade="良", total=86.0)
    write_manifests(out, [result], {str(params): job.fingerprint}, interrupted=False)


def test_an_unchanged_unit_is_skipped_and_a_code_change_runs_it_again(
    unit_copy, tmp_path, package_copy
):
    out = tmp_path / "reports"
    _pretend_built(out, unit_copy)
    plan = plan_batch([unit_copy], out)
    assert (len(plan.jobs), [r.status for r in plan.skipped]) == (0, ["skipped"])
    assert (plan.skipped[0].grade, plan.skipped[0].total) == ("良", 86.0)
    rules = package_copy / "frameworks/rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# a fix\n", encoding="utf-8")
    assert [j.unit_id for j in plan_batch([unit_copy], out).jobs] == ["qianshan_2024"]


def test_a_changed_input_or_force_runs_the_unit_again(unit_copy, tmp_path):
    out = tmp_path / "reports"
    _pretend_built(out, unit_copy)
    assert len(plan_batch([unit_copy], out, force=True).jobs) == 1
    (out / "2024/qianshan_2024.scores.json").unlink()  # an output gone: built again
    assert len(plan_batch([unit_copy], out).jobs) == 1
    _pretend_built(out, unit_copy)
    edit(unit_copy.parent.parent / "data/2024/qianshan/budget.csv", "1402.51", "1402.52")
    assert len(plan_batch([unit_copy], out).jobs) == 1


# --- 汇总: a unit whose latest run failed shows its last good result, marked ---------------


@pytest.mark.parametrize("status", ["failed", "invalid", "interrupted"])
def test_the_overview_marks_a_unit_whose_latest_run_failed(unit_copy, tmp_path, status):
    year = tmp_path / "2024"
    year.mkdir()
    record = load_report(unit_copy).scores_record()
    (year / "qianshan_2024.scores.json").write_text(json.dumps(record), encoding="utf-8")
    (year / "qianshan_2024.html").write_text("<html></html>", encoding="utf-8")  # ranked
    good = UnitResult(str(unit_copy), "qianshan_2024", 2024, "ok", grade="良", total=86.0)
    write_manifests(tmp_path, [good], {str(unit_copy): "f"}, interrupted=False)
    page = show_ranking(read_overview(year)).data
    assert "徐闻县前山镇人民政府</a>（" not in page and "本次运行失败" not in page
    bad = UnitResult(str(unit_copy), "qianshan_2024", 2024, status, error="boom")
    write_manifests(tmp_path, [bad], {}, interrupted=False)
    page = show_ranking(read_overview(year)).data
    assert "徐闻县前山镇人民政府</a>（本次运行失败，显示上次结果）" in page
    assert "86.00" in page  # the last good total is what it shows


# --- 没有终端: no progress bar, only log lines ----------------------------------------------


def test_without_a_terminal_a_batch_draws_no_progress_bar(unit_copy, tmp_path, capfd):
    edit(unit_copy.parent.parent / "data/2024/qianshan/budget.csv", "1402.51", "-1")
    logged: list[str] = []
    results = run_batch([unit_copy], tmp_path / "out", log=logged.append, overview=False)
    assert [r.status for r in results] == ["invalid"]
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # stderr is no terminal here: no bar
    assert logged[0].startswith(f"✗ {unit_copy}: 数据无效 / invalid")
    assert logged[-1].startswith("用时 / elapsed ")


def test_asked_for_a_bar_it_is_drawn(unit_copy, tmp_path, capfd):
    """The other side of the test above: the bar goes to stderr when there is one."""
    edit(unit_copy.parent.parent / "data/2024/qianshan/budget.csv", "1402.51", "-1")
    run_batch([unit_copy], tmp_path / "out", log=lambda _: None, overview=False, progress=True)
    assert "1/1" in capfd.readouterr().err


# --- 退出状态: 0 only when every unit succeeded or was unchanged -----------------------------


def test_exit_status_1_when_a_unit_is_invalid_and_0_when_all_are_unchanged(
    unit_copy, tmp_path, capsys
):
    out = tmp_path / "reports"
    _pretend_built(out, unit_copy)
    assert main(["run", str(unit_copy), "--out", str(out), "--no-overview"]) == 0
    assert "1 成功或未变化 / succeeded or unchanged, 0 失败 / failed" in capsys.readouterr().out
    other = unit_copy.with_name("bad_2024.yaml")
    other.write_text(
        unit_copy.read_text(encoding="utf-8")
        .replace("qianshan_2024", "bad_2024")
        .replace("data/2024/qianshan", "data/2024/nothing"),
        encoding="utf-8",
    )
    assert main(["run", str(unit_copy.parent), "--out", str(out), "--no-overview"]) == 1
    assert "1 成功或未变化 / succeeded or unchanged, 1 失败 / failed" in capsys.readouterr().out


@pytest.mark.notebook
def test_exit_status_1_when_a_units_notebook_fails(unit_copy, tmp_path, capsys):
    """A kernel error is a failed unit: cron must see a non-zero exit status."""
    notebook = tmp_path / "failing.ipynb"
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell('raise RuntimeError("kernel fault")'))
    nbformat.write(nb, notebook)
    out = tmp_path / "reports"
    args = ["run", str(unit_copy), "--out", str(out), "--notebook", str(notebook), "--jobs", "1"]
    assert main([*args, "--no-overview"]) == 1
    printed = capsys.readouterr().out
    assert "RuntimeError: kernel fault" in printed
    assert "0 成功或未变化 / succeeded or unchanged, 1 失败 / failed" in printed
    assert (
        json.loads((out / "2024/run.json").read_text(encoding="utf-8"))["units"]["qianshan_2024"][
            "status"
        ]
        == "failed"
    )
