"""The README's cron lines, as written there, on a fresh copy of the project in cron's environment:
they write their log, every line after the local time, and git ignores what they leave."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from ..conftest import ROOT, skip_unless_required

pytestmark = pytest.mark.notebook
README = ROOT / "README.md"
STAMP = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) ")


def readme_cron_command(uses: str) -> str:
    """The command of the README's one cron line that runs `uses` (its five time fields cut)."""
    blocks = re.findall(r"^```cron\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)
    lines = [
        line
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.startswith("#") and uses in line
    ]
    assert len(lines) == 1, f"README.md: one cron line running {uses!r} expected, found {lines}"
    command = lines[0].split(None, 5)[5]
    assert "%" not in command, "cron reads an unescaped % as the end of the command"
    assert command.startswith("cd /srv/selfeval && "), command
    return command


def fresh_copy(tmp_path: Path) -> tuple[Path, set[str]]:
    """What a fresh clone holds (the files git tracks), with this environment's .venv beside it;
    its params/ keep the example unit only, so one report is built. Returns the folder and the
    files it was given."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        skip_unless_required(
            "SELFEVAL_REQUIRE_GIT",
            "not a git checkout with git installed: the fresh copy is made from `git ls-files`",
        )
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    project, given = tmp_path / "selfeval", {".venv"}
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, project / name)
            given.add(name)
    (project / ".venv").symlink_to(Path(sys.prefix))
    for params in (project / "params").glob("*.yaml"):
        if params.name != "qianshan_2024.yaml":
            params.unlink()
    return project, given


def run_as_cron(command: str, project: Path, home: Path) -> subprocess.CompletedProcess:
    """`sh -c` in cron's environment: a short PATH, no LANG, no terminal."""
    home.mkdir()
    return subprocess.run(
        ["sh", "-c", command.replace("cd /srv/selfeval ", f"cd '{project}' ", 1)],
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), "SHELL": "/bin/sh", "LOGNAME": "cron"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
    )


def assert_stamped_by_the_clock(log: Path, start: datetime, end: datetime) -> list[str]:
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines, f"{log} is empty"
    for line in lines:
        found = STAMP.match(line)
        assert found, f"{log}: a line without the local time: {line!r}"
        assert start <= datetime.fromisoformat(found[1]) <= end, line
    return lines


def assert_nothing_for_git(project: Path, given: set[str]) -> None:
    """What the run left (logs, reports, notebooks in out/) is ignored: `git status` stays clean."""
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, timeout=60)
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    assert set(untracked) - given == set()


def run_readme_cron_line(uses: str, log: str, tmp_path: Path) -> str:
    """The README's cron line running `uses`, on a fresh copy as cron runs it: it prints nothing
    (cron would mail it), builds the report, stamps every line of `log` with the local time and
    leaves nothing for git. Returns the log's text."""
    project, given = fresh_copy(tmp_path)
    start = datetime.now().replace(microsecond=0)
    done = run_as_cron(readme_cron_command(uses), project, tmp_path / "home")
    end = datetime.now()
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    lines = assert_stamped_by_the_clock(project / log, start, end)
    assert (project / "reports" / "2024" / "qianshan_2024.html").is_file()
    assert_nothing_for_git(project, given)
    return "\n".join(lines)


def test_the_readme_cron_line_of_selfeval_run_writes_a_stamped_log(tmp_path):
    text = run_readme_cron_line(".venv/bin/selfeval run", "logs/selfeval.log", tmp_path)
    assert re.search(r"^\S+ \S+ ✓ qianshan_2024 2024: ", text, re.M), text


def test_the_readme_cron_line_of_papermill_writes_a_stamped_log_without_warnings(tmp_path):
    text = run_readme_cron_line(".venv/bin/papermill", "logs/papermill.log", tmp_path)
    assert "Executing Cell 1---" in text and "Writing " in text  # papermill's and nbconvert's
    assert "WARNING" not in text and "without encryption" not in text
