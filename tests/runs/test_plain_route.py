"""The plain route: papermill's and nbconvert's own command lines give `selfeval run`'s report."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, edit

pytestmark = pytest.mark.notebook
BIN = Path(sys.executable).parent


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.mark.parametrize("with_params", [False, True], ids=["defaults", "-p params_path"])
def test_papermill_then_nbconvert_to_selfeval_gives_the_same_bytes(
    built_example, tmp_path, with_params
):
    executed = tmp_path / "x.ipynb"
    extra = ["-p", "params_path", "params/qianshan_2024.yaml"] if with_params else []
    _run([str(BIN / "papermill"), "notebooks/selfeval_report.ipynb", str(executed), *extra], ROOT)
    _run(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "selfeval",
            str(executed),
            "--output-dir",
            str(tmp_path / "y"),
        ],
        ROOT,
    )
    html = (tmp_path / "y" / "x.html").read_bytes()
    assert not re.search(rb"https?://", html)  # nothing from the network, not even a link
    assert b"<title>\xe5\x89\x8d\xe5\xb1\xb1\xe9\x95\x87" in html  # 前山镇…, not "x"
    assert html == built_example.read_bytes()


def test_papermill_runs_the_default_unit_from_any_folder(tmp_path):
    notebook = ROOT / "notebooks" / "selfeval_report.ipynb"
    _run([str(BIN / "papermill"), str(notebook), str(tmp_path / "x.ipynb")], tmp_path)
    assert "单位自评结果为：良" in (tmp_path / "x.ipynb").read_text(encoding="utf-8")


def test_a_relative_params_path_is_read_from_the_current_folder_first(tmp_path, unit_copy):
    """A unit outside the project: its params file is found from where papermill is run."""
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "short_name: 前山镇",
        "short_name: 后山镇",
    )
    executed = tmp_path / "out.ipynb"
    _run(
        [
            str(BIN / "papermill"),
            str(ROOT / "notebooks/selfeval_report.ipynb"),
            str(executed),
            "-p",
            "params_path",
            "params/qianshan_2024.yaml",
        ],
        unit_copy.parent.parent,
    )
    assert "后山镇部门整体支出绩效自评报告" in executed.read_text(encoding="utf-8")


def test_the_scratch_folder_of_the_readme_commands_exists():
    """`papermill … out/x.ipynb` needs out/ to exist (papermill does not create folders)."""
    assert (ROOT / "out" / ".gitignore").is_file()


def test_a_missing_params_file_is_a_clear_error(tmp_path):
    done = subprocess.run(
        [
            str(BIN / "papermill"),
            str(ROOT / "notebooks/selfeval_report.ipynb"),
            str(tmp_path / "x.ipynb"),
            "-p",
            "params_path",
            "params/nowhere_2024.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "params/nowhere_2024.yaml: 文件不存在 / file not found" in done.stderr + done.stdout


def test_the_selfeval_engine_makes_the_output_folder_and_the_kernel_does_not_warn(tmp_path):
    """`papermill --engine selfeval` into a folder that does not exist yet: the folder is made
    (papermill's own engine stops with a traceback there), and the kernel talks over IPC, so
    ipykernel's "running over TCP without encryption" warning never reaches the user."""
    executed = tmp_path / "new" / "folder" / "x.ipynb"
    done = _run(
        [
            str(BIN / "papermill"),
            "--engine",
            "selfeval",
            "notebooks/selfeval_report.ipynb",
            str(executed),
            "-p",
            "params_path",
            "params/qianshan_2024.yaml",
            "--log-output",
        ],
        ROOT,
    )
    assert "单位自评结果为：良" in executed.read_text(encoding="utf-8")
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert not re.search(r"WARNING|without encryption", output), output[:2000]
