"""A unit's outputs commit as one: after any write failure they are all of the last good run."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from selfeval_lib.errors import RunError
from selfeval_lib.runs import commit
from selfeval_lib.runs.commit import commit_outputs, outputs_intact, write_diagnostic
from selfeval_lib.runs.runner import output_paths

KINDS = ("scores", "xlsx", "ipynb", "docx", "html")


def files_of(run: int) -> dict[str, bytes]:
    """What one run of a unit makes: every file says which run it is of."""
    return {kind: f"{kind} of run {run}\n".encode() * 50 for kind in KINDS}


def on_disk(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((tmp_path / "2024").iterdir())}


@pytest.fixture
def last_good(tmp_path) -> dict[str, Path]:
    """A unit whose run 1 is in place, with the PDF made from it."""
    paths = output_paths(tmp_path, 2024, "a_2024")
    commit_outputs(files_of(1), paths)
    paths["pdf"].write_bytes(b"pdf of run 1")
    return paths


def test_a_good_run_replaces_the_whole_set_and_the_stale_pdf_and_diagnosis_go(last_good):
    last_good["failed"].write_text("{}", encoding="utf-8")  # an earlier failure's notebook
    hashes = commit_outputs(files_of(2), last_good)
    assert {k: last_good[k].read_bytes() for k in KINDS} == files_of(2)
    assert not last_good["pdf"].exists() and not last_good["failed"].exists()
    assert outputs_intact(hashes, last_good)
    assert sorted(p.name for p in last_good["html"].parent.iterdir()) == sorted(
        last_good[k].name for k in KINDS
    )  # no staging folder left behind


@pytest.mark.parametrize("failing", KINDS)
def test_a_full_disk_while_writing_any_output_keeps_every_output_of_the_last_run(
    last_good, tmp_path, monkeypatch, failing
):
    before = on_disk(tmp_path)
    real = Path.write_bytes

    def full(self, data):
        if self.name == failing:  # the staged copy of that output
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(RunError) as caught:
        commit_outputs(files_of(2), last_good)
    assert str(caught.value) == (
        f"{last_good[failing]}: 无法写入（No space left on device）；请检查磁盘空间、文件大小限制和"
        "文件夹权限，上次成功的输出未被改动 / could not write it (No space left on device): check "
        "the free space, file-size limits and the folder's permissions; the unit's last good "
        "outputs are kept"
    )
    assert on_disk(tmp_path) == before


@pytest.mark.parametrize("moves_before_failure", [0, 3, 6, 9])
def test_a_move_failing_midway_puts_the_last_run_back(
    last_good, tmp_path, monkeypatch, moves_before_failure
):
    before = on_disk(tmp_path)
    real, count = os.replace, [0]

    def flaky(src, dst):
        count[0] += 1
        if count[0] == moves_before_failure + 1:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(src, dst)

    monkeypatch.setattr(commit.os, "replace", flaky)
    with pytest.raises(RunError, match="Input/output error"):
        commit_outputs(files_of(2), last_good)
    monkeypatch.undo()
    assert on_disk(tmp_path) == before


def test_a_read_only_folder_is_a_message_and_changes_nothing(last_good, tmp_path, monkeypatch):
    before = on_disk(tmp_path)

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(commit.tempfile, "mkdtemp", read_only)
    with pytest.raises(RunError, match=r"2024: 无法写入（Permission denied）"):
        commit_outputs(files_of(2), last_good)
    assert on_disk(tmp_path) == before


def test_a_folder_where_the_report_goes_blocks_the_whole_set(last_good, tmp_path):
    last_good["html"].unlink()
    last_good["html"].mkdir()  # e.g. made by hand, or a sync tool's conflict folder
    on_disk_files = {p.name: p.read_bytes() for p in (tmp_path / "2024").iterdir() if p.is_file()}
    with pytest.raises(RunError, match="a_2024.html: 此处是文件夹或其他非文件，报告无法写入"):
        commit_outputs(files_of(2), last_good)
    assert {
        p.name: p.read_bytes() for p in (tmp_path / "2024").iterdir() if p.is_file()
    } == on_disk_files


def test_under_a_file_size_limit_nothing_half_written_is_left(last_good, tmp_path):
    """RLIMIT_FSIZE (ulimit -f) in a child process: the new HTML is past it."""
    before = on_disk(tmp_path)
    script = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from selfeval_lib.runs.commit import commit_outputs, write_diagnostic
        from selfeval_lib.runs.runner import output_paths
        resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))
        paths = output_paths(Path({str(tmp_path)!r}), 2024, "a_2024")
        files = {{k: f"{{k}} of run 2 ".encode() * 400 for k in {KINDS!r}}}
        files["scores"] = b"{{}}"  # small: written; the HTML is past the limit
        try:
            commit_outputs(files, paths)
        except Exception as exc:
            print(type(exc).__name__, exc)
        nb = '{{"cells": [], "nbformat": 4}}'.ljust(8000).encode()
        print(write_diagnostic(nb, paths["failed"]).strip())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("RunError ") and "File too large" in lines[0], done.stdout
    assert "a_2024.failed.ipynb: 无法写入（File too large）" in lines[1]
    assert on_disk(tmp_path) == before  # no new file, no truncated notebook


def test_a_notebook_cut_short_is_not_kept_as_the_diagnosis(tmp_path):
    path = output_paths(tmp_path, 2024, "a_2024")["failed"]
    path.parent.mkdir(parents=True)
    path.write_text('{"cells": []}', encoding="utf-8")  # an earlier failure's, now misleading
    why = write_diagnostic(b'{"cells": [{"cell_type": "code", "sour', path)
    assert (
        why
        == "\n诊断用笔记本不完整，未保存 / the notebook as far as it ran was cut short: not saved"
    )
    assert not path.exists()
    whole = json.dumps({"cells": [], "nbformat": 4}).encode()
    assert write_diagnostic(whole, path) == "" and path.read_bytes() == whole


def test_outputs_that_do_not_match_the_recorded_run_are_not_intact(last_good):
    hashes = commit_outputs(files_of(2), last_good)
    assert outputs_intact(hashes, last_good)
    last_good["scores"].write_bytes(files_of(1)["scores"])  # e.g. a partial set of an old version
    assert not outputs_intact(hashes, last_good)
    last_good["scores"].unlink()
    assert not outputs_intact(hashes, last_good)
