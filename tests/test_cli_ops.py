"""Operators' details: timestamped log lines without a terminal, help with examples."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval_lib.cli import build_parser, main, make_log

from .conftest import ROOT

STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d "
STAMP_LINE = re.compile(STAMP + "(.*)$")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_without_a_terminal_every_log_line_has_a_timestamp():
    out = io.StringIO()
    make_log(out)("✗ bad_2024 2024: failed\nunit.yaml: 文件不存在 / file not found")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and all(re.match(STAMP, line) for line in lines)
    assert lines[1].endswith("unit.yaml: 文件不存在 / file not found")


def test_on_a_terminal_log_lines_are_left_as_they_are():
    out = Terminal()
    make_log(out)("✓ qianshan_2024 2024: 良 86.00分")
    assert out.getvalue() == "✓ qianshan_2024 2024: 良 86.00分\n"


def test_a_user_error_is_one_message_without_traceback(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nothing_here.yaml")]) == 2  # a user error: no traceback
    err = capsys.readouterr().err
    assert "no such params file or folder" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["run", "validate", "template", "import", "synth", "log"])
def test_each_command_help_shows_examples(command, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "example" in text
    assert re.search(rf"^  selfeval {command} \S", text, re.M)  # a command line to copy


def test_run_help_has_the_cron_line(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--help"])
    assert (
        "30 2 * * * cd /srv/selfeval && .venv/bin/selfeval run params/" in capsys.readouterr().out
    )


@pytest.mark.notebook
def test_the_progress_bar_counts_move_with_the_bar(tmp_path, capsys):
    """Every frame of the bar shows counts that add up to its n/total; log lines (the overview's
    too) are written above the bar, never into it."""
    from selfeval_lib.runs.batch import run_batch

    from .conftest import EXAMPLE_PARAMS

    logged: list[str] = []
    run_batch([EXAMPLE_PARAMS], tmp_path, jobs=1, progress=True, log=logged.append)
    frames = [f.strip() for f in capsys.readouterr().err.split("\r") if "|" in f]
    assert frames
    for frame in frames:
        match = re.search(
            r"(\d+)/(\d+) \[[\d:]+\], ok (\d+) · failed (\d+) · skipped (\d+)$", frame
        )
        assert match, frame
        n, _, ok, failed, skipped = map(int, match.groups())
        assert ok + failed + skipped == n, frame
    assert "100%" in frames[-1]
    assert not any("汇总" in f for f in frames)
    assert any(line.startswith("用时 / elapsed") for line in logged)


def test_python_dash_m_selfeval_is_the_selfeval_command(tmp_path):
    """What the README gives analysts without `make` (Windows): `python -m selfeval …`."""
    done = subprocess.run(
        [sys.executable, "-m", "selfeval", "validate", str(ROOT / "params/qianshan_2024.yaml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.endswith("qianshan_2024.yaml: 徐闻县前山镇人民政府 2024 数据有效 / valid\n")


def test_selfeval_log_appends_every_line_of_a_command_stamped_and_exits_as_it_exits(tmp_path):
    log = tmp_path / "logs" / "x.log"  # its folder does not exist yet
    log_args = ["log", str(log), sys.executable, "-c"]
    assert main([*log_args, "import sys; print('out'); print('err', file=sys.stderr)"]) == 0
    assert main([*log_args, "raise SystemExit('失败 / failed')"]) == 1
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [STAMP_LINE.match(line)[1] for line in lines] == ["out", "err", "失败 / failed"]


def test_selfeval_log_of_a_command_that_does_not_exist_says_so_in_one_line(tmp_path, capsys):
    log = tmp_path / "x.log"
    assert main(["log", str(log), "papermil", "x.ipynb"]) == 2
    message = "selfeval log: 无法运行 / cannot run 'papermil': No such file or directory"
    assert capsys.readouterr().err == message + "\n"
    assert STAMP_LINE.match(log.read_text(encoding="utf-8"))[1] == message


def test_output_into_a_closed_pipe_ends_quietly():
    """`selfeval framework check county.yaml | head -1`: the reader stops early; selfeval ends
    without a traceback, with the status a shell gives a command killed by SIGPIPE."""
    import os

    read, write = os.pipe()
    os.close(read)  # the reader is gone before selfeval writes
    framework = ROOT / "selfeval_lib/frameworks/gd_township_2024.yaml"
    selfeval = Path(sys.executable).parent / "selfeval"
    try:
        done = subprocess.run(
            [str(selfeval), "framework", "check", str(framework)],
            stdout=write, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(write)
    assert done.returncode == 141
    assert done.stderr == ""


def test_a_gbk_console_gets_question_marks_not_a_traceback():
    """Chinese Windows, or a redirect with PYTHONIOENCODING=gbk: ✓ cannot be encoded."""
    import os

    params = ROOT / "params/qianshan_2024.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "selfeval_lib.cli", "validate", str(params)],
        capture_output=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "gbk"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert done.stdout.decode("gbk") == f"? {params}: 徐闻县前山镇人民政府 2024 数据有效 / valid\n"


@pytest.mark.parametrize(
    "args,message",
    [
        (["synth", "--year", "99999"], "argument --year: '99999' 应为 2000 到 2099 之间的整数"),
        (["synth", "--units", "-5"], "argument --units: '-5' 应为 1 到 99999 之间的整数"),
        (["synth", "--units", "many"], "argument --units: 'many' 应为 1 到 99999 之间的整数"),
        (["synth", "--counties", "0"], "argument --counties: '0' 应为 1 到 999 之间的整数"),
    ],
)
def test_synth_options_out_of_range_are_usage_errors(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--out", str(tmp_path)])
    assert exit_.value.code == 2 and message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_folders_and_files_named_for_each_other_are_one_message(tmp_path, capsys):
    params = str(ROOT / "params/qianshan_2024.yaml")
    (tmp_path / "out").write_text("", encoding="utf-8")
    assert main(["run", params, "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"{tmp_path / 'out'}: 是文件，不是文件夹；--out 应为输出文件夹 / is a file, not a folder: "
        "--out names the folder reports are written to\n"
    )
    assert main(["run", params, "--out", str(tmp_path / "out/2024")]) == 2  # a file above it
    assert "is a file, not a folder" in capsys.readouterr().err
    assert main(["template", "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"{tmp_path}: 是文件夹；-o 应为要写入的工作簿文件，如 数据表.xlsx / is a folder: -o names "
        "the workbook file to write, e.g. 数据表.xlsx\n"
    )


def test_an_os_error_is_a_message_not_a_traceback(tmp_path, capsys, monkeypatch):
    """A read-only folder (as any user, root included: the write is refused by injection)."""
    import errno
    import os

    from selfeval_lib import fileio

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / "ro"))

    monkeypatch.setattr(fileio.tempfile, "mkstemp", refuse)
    assert main(["template", "-o", str(tmp_path / "ro/数据表.xlsx")]) == 1
    assert capsys.readouterr().err == (
        f"{tmp_path / 'ro'}: 无法读写（Permission denied）；请检查路径、磁盘空间和文件夹权限 / "
        "cannot read or write (Permission denied): check the path, the free space and the "
        "folder's permissions\n"
    )
    params = str(ROOT / "params/qianshan_2024.yaml")
    assert main(["run", params, "--out", str(tmp_path / "reports")]) == 1  # run.json first
    err = capsys.readouterr().err
    assert err == (
        f"{tmp_path / 'reports/2024/run.json'}: 运行记录无法写入（Permission denied）；请检查文件夹"
        "权限和磁盘空间 / the run record cannot be written (Permission denied): check the folder's "
        "permissions and free space\n"
    )
