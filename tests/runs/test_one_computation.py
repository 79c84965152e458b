"""A unit is loaded once per process that needs it and computed and scored once overall: every
output (HTML, Word, workbook, scores.json) comes from the kernel's one result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ..conftest import EXAMPLE_PARAMS, ROOT

pytestmark = pytest.mark.notebook

# Loaded by every Python process the run starts (runner, kernel zygote, forked kernels): a
# profile hook that appends "<pid> <function>" to a file at each call of the functions counted.
# A file, not atexit: kernels end by signal.
SITECUSTOMIZE = """
import os, sys, threading
_LOG = os.environ["SELFEVAL_TEST_CALLS"]
_WATCH = {
    ("inputs/unit.py", "load_unit"),
    ("evaluate/indicators.py", "compute_indicators"),
    ("evaluate/scoring.py", "score_unit"),
}
def _profile(frame, event, arg):
    if event == "call":
        code = frame.f_code
        if code.co_name in ("load_unit", "compute_indicators", "score_unit"):
            path = code.co_filename.replace(os.sep, "/")
            for tail, name in _WATCH:
                if code.co_name == name and path.endswith("selfeval_lib/" + tail):
                    with open(_LOG, "a") as log:
                        log.write(f"{os.getpid()} {name}\\n")
sys.setprofile(_profile)
threading.setprofile(_profile)
"""


def test_one_unit_is_computed_and_scored_once_and_every_output_comes_from_that_result(tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    calls = tmp_path / "calls.txt"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")])),
        "SELFEVAL_TEST_CALLS": str(calls),
    }
    out = tmp_path / "reports"
    selfeval = Path(sys.executable).parent / "selfeval"
    run = subprocess.Popen(
        [str(selfeval), "run", str(EXAMPLE_PARAMS), "--out", str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    log, _ = run.communicate(timeout=300)
    assert run.returncode == 0, log

    lines = [line.split() for line in calls.read_text(encoding="utf-8").splitlines()]
    per_function = Counter(name for _, name in lines)
    assert per_function["compute_indicators"] == 1, lines
    assert per_function["score_unit"] == 1, lines
    # the runner validates before any kernel starts, the kernel loads for the report: one each
    loads = Counter(pid for pid, name in lines if name == "load_unit")
    assert sorted(loads.values()) == [1, 1], lines
    computing = {pid for pid, name in lines if name == "compute_indicators"}
    scoring = {pid for pid, name in lines if name == "score_unit"}
    assert computing == scoring  # in the kernel that loaded it for the report
    assert len(computing) == 1 and computing <= set(loads)
    assert str(run.pid) in loads and str(run.pid) not in computing  # the runner only validates

    # the workbook's figures are the scores record's
    scores = json.loads((out / "2024/qianshan_2024.scores.json").read_text(encoding="utf-8"))
    book = load_workbook(BytesIO((out / "2024/qianshan_2024.xlsx").read_bytes()))
    sheet = book.worksheets[0]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 3).value == "指标")
    col = {sheet.cell(header_row, c).value: c for c in range(1, sheet.max_column + 1)}
    rows = {
        sheet.cell(r, 3).value: tuple(
            sheet.cell(r, col[name]).value for name in ("分值", "计算得分", "得分")
        )
        for r in range(header_row + 1, sheet.max_row + 1)
        if sheet.cell(r, 3).value
    }
    for indicator in scores["indicators"]:
        weight, computed, score = rows[indicator["name"]]
        assert (weight, computed, score) == (
            indicator["weight"],
            indicator["computed_score"],
            indicator["score"],
        ), indicator["name"]


def test_the_runner_computes_nothing_it_reads_the_result_from_the_notebook():
    """The runner's source never calls the computation: a cheap guard beside the count above."""
    source = (ROOT / "selfeval_lib/runs/runner.py").read_text(encoding="utf-8")
    forms = ("compute_form", "form_xlsx_bytes", "form_docx_bytes")
    for name in ("compute_indicators", "score_unit", "scoresheet_bytes", "load_report", *forms):
        assert name not in source, name
