"""The command line: exit codes and messages, bad data stopped before any kernel starts."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval_lib.cli import build_parser, main

from .conftest import EXAMPLE_PARAMS, edit


def test_validate_a_good_unit(capsys):
    assert main(["validate", str(EXAMPLE_PARAMS)]) == 0
    assert "徐闻县前山镇人民政府 2024 数据有效 / valid" in capsys.readouterr().out


def test_validate_prints_the_reports_cross_check_warnings(unit_copy, capsys):
    """Issue 20: a clerk sees a stated total 0.08 off its lines at `validate`, not after a run;
    the words are the report's own (one function computes both), and warnings keep exit 0."""
    from selfeval_lib import load_report

    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "  actual: 4462.32",
        "  actual: 4462.24",
    )
    assert main(["validate", str(unit_copy)]) == 0
    out = capsys.readouterr().out
    gap = (
        "  ! unit.yaml totals.actual 所列本年支出合计 4,462.24万元 与 budget.csv 各行合计 "
        "4,462.32万元※ 不一致，相差0.08万元※。"
    )
    assert (
        "数据有效 / valid\n  数据核对提示 2 条，报告中将同样列出 / 2 cross-check warning(s)" in out
    )
    assert gap in out.splitlines()
    assert [line[4:] for line in out.splitlines() if line.startswith("  ! ")] == list(
        load_report(unit_copy).warnings
    )


def test_validate_a_folder_reports_every_bad_unit(unit_copy, capsys):
    edit(unit_copy.parent.parent / "data/2024/qianshan/budget.csv", "1380.00", '"1,380"')
    second = unit_copy.with_name("second.yaml")
    second.write_text(
        unit_copy.read_text(encoding="utf-8").replace("qianshan_2024", "second"), encoding="utf-8"
    )
    assert main(["validate", str(unit_copy.parent)]) == 1
    err = capsys.readouterr().err
    assert err.count("budget.csv: 1 处问题 / problem(s)") == 2
    assert '"1,380" 不是数字 / "1,380" is not a number; 应写为 1380 / write 1380' in err


def test_run_refuses_bad_data_before_any_kernel(unit_copy, tmp_path, capsys, monkeypatch):
    import selfeval_lib.runs.batch as batch

    def no_workers(*args, **kwargs):  # units run on workers; none may start for invalid data
        raise AssertionError("workers were started for invalid data")

    monkeypatch.setattr(batch, "execute_local", no_workers)
    edit(unit_copy.parent.parent / "data/2024/qianshan/sangong.csv", "5.42,5.42", "5.42,-5.42")
    assert main(["run", str(unit_copy), "--out", str(tmp_path / "out")]) == 1
    printed = capsys.readouterr().out  # one log, in order, on stdout (what cron mails)
    assert "数据无效 / invalid" in printed and "must not be negative" in printed
    assert "0 成功或未变化 / succeeded or unchanged, 1 失败 / failed" in printed
    assert not list((tmp_path / "out").rglob("*.html"))
    manifest = json.loads((tmp_path / "out/2024/run.json").read_text(encoding="utf-8"))
    assert manifest["units"]["qianshan_2024"]["status"] == "invalid"
    from selfeval_lib.runs.zygote import Zygote

    assert Zygote._process is None  # started as `run` began, stopped: no unit needs a kernel


def test_missing_paths_and_empty_folders_are_clear(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "no such params file or folder" in capsys.readouterr().err
    assert main(["run", str(tmp_path)]) == 2
    assert "no params files (*.yaml) found" in capsys.readouterr().err


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and "selfeval 0.1.0" in capsys.readouterr().out
    assert main([]) == 2  # no command: the help, not a bare usage error
    assert "validate" in capsys.readouterr().out


# --- selfeval import: 1 when the workbook's data is refused, 2 when the command line must change


@pytest.fixture
def project(unit_copy, monkeypatch) -> Path:
    """A copy of the project with the example unit, as the working folder, and 前山镇.xlsx made
    from it the way the README says (`selfeval template --from …`)."""
    monkeypatch.chdir(unit_copy.parent.parent)
    assert main(["template", "--from", "params/qianshan_2024.yaml", "-o", "前山镇.xlsx"]) == 0
    return unit_copy.parent.parent


def _set_cell(book: Path, sheet: str, ref: str, value: object) -> None:
    wb = load_workbook(book)
    wb[sheet][ref].value = value
    wb.save(book)


def test_import_help_examples_work_as_given(project, capsys):
    """Every `selfeval import` line of `--help` (and of the README), run as written."""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["import", "--help"])
    examples = re.findall(r"^  (selfeval import .+)$", capsys.readouterr().out, re.M)
    assert len(examples) == 2
    shutil.copy(project / "前山镇.xlsx", project / "新寮镇.xlsx")  # a new township's workbook
    for line in examples:
        assert main(shlex.split(line)[1:]) == 0, line
    assert "✓ params/xinliao_2024.yaml -> data/2024/xinliao/" in capsys.readouterr().out
    assert main(["validate", "params/"]) == 0


def test_import_of_bad_data_exits_1_naming_the_cell(project, capsys):
    _set_cell(project / "前山镇.xlsx", "收支情况", "F3", "1,402.51万x")
    assert main(["import", "前山镇.xlsx", "--params", "params/new_2024.yaml",
                 "--data", "data/2024/new/"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "前山镇.xlsx: 1 处问题 / problem(s)" in err
    assert (
        '  - 收支情况!F3 列"本年支出" / column "本年支出": "1,402.51万x" 不是数字 / '
        '"1,402.51万x" is not a number' in err
    )
    assert "Traceback" not in err
    assert (
        not (project / "params/new_2024.yaml").exists() and not (project / "data/2024/new").exists()
    )


def test_import_over_existing_files_needs_force(project, capsys):
    budget = project / "data/2024/qianshan/budget.csv"
    before = budget.read_bytes()
    _set_cell(project / "前山镇.xlsx", "收支情况", "F3", 1402.61)  # a correction
    args = ["import", "前山镇.xlsx", "--params", "params/qianshan_2024.yaml",
            "--data", "data/2024/qianshan/"]  # fmt: skip
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == (
        "params/qianshan_2024.yaml、data/2024/qianshan/ (unit.yaml、management.yaml、budget.csv、"
        "sangong.csv、targets.csv、self_scores.csv、narrative.md): 文件已存在，未覆盖；"
        "如需用此工作簿替换，请加 --force / files exist, not overwritten; add --force to replace "
        "them with this workbook\n"
    )
    assert budget.read_bytes() == before
    assert main([*args, "--force"]) == 0
    assert "1402.61" in budget.read_text(encoding="utf-8") and "1402.51" not in budget.read_text(
        encoding="utf-8"
    )


def test_import_of_a_missing_workbook_is_a_usage_error(project, capsys):
    assert main(["import", "nope.xlsx", "--params", "params/x_2024.yaml", "--data", "d/"]) == 2
    assert capsys.readouterr().err == "nope.xlsx: 文件不存在 / no such workbook\n"
    assert main(["template", "--from", "nope.yaml", "-o", "x.xlsx"]) == 2
    assert capsys.readouterr().err == "nope.yaml: 文件不存在 / no such params file\n"
