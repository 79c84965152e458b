"""The command line: exit codes and messages, bad data stopped before any kernel starts."""

from __future__ import annotations

import json

import pytest

from selfeval_lib.cli import main

from .conftest import EXAMPLE_PARAMS, edit


def test_validate_a_good_unit(capsys):
    assert main(["validate", str(EXAMPLE_PARAMS)]) == 0
    assert "徐闻县前山镇人民政府 2024 数据有效 / valid" in capsys.readouterr().out


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
