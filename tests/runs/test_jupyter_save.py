"""Saving in JupyterLab harms nothing: a notebook of notebooks/ saved after Run All, or after
previewing another unit, is written as committed (git sees no change), and the run fingerprint
reads sources and tags only, so outputs or metadata could not re-run a unit anyway."""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from selfeval_lib.runs import DEFAULT_NOTEBOOK
from selfeval_lib.runs.batch import tool_fingerprint
from selfeval_lib.runs.notebooks import notebook_fingerprint, pre_save_hook

from ..conftest import ROOT


def _executed_copy(notebook: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(notebook, as_version=4)
    for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"run {n}\n")]
        cell.metadata["execution"] = {"iopub.execute_input": "2026-11-27T02:30:00Z"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "file_extension": ".py"}
    return nb


def test_outputs_and_execution_counts_do_not_change_the_fingerprint(tmp_path):
    saved = tmp_path / "notebooks" / "selfeval_report.ipynb"
    saved.parent.mkdir()
    nbformat.write(_executed_copy(DEFAULT_NOTEBOOK), saved)
    assert saved.read_bytes() != DEFAULT_NOTEBOOK.read_bytes()
    assert notebook_fingerprint(saved) == notebook_fingerprint(DEFAULT_NOTEBOOK)
    assert tool_fingerprint(saved) == tool_fingerprint(DEFAULT_NOTEBOOK)


@pytest.mark.parametrize("change", ["source", "tags", "cell order"])
def test_sources_and_tags_change_the_fingerprint(tmp_path, change):
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    if change == "source":
        nb.cells[2].source += "\n"
    elif change == "tags":
        nb.cells[-1].metadata["tags"] = []  # the scores record would then show in the report
    else:
        nb.cells[3], nb.cells[4] = nb.cells[4], nb.cells[3]
    changed = tmp_path / "changed.ipynb"
    nbformat.write(nb, changed)
    assert tool_fingerprint(changed) != tool_fingerprint(DEFAULT_NOTEBOOK)


def test_the_hook_strips_only_notebooks_in_the_notebooks_folder():
    for path, stripped in [
        ("notebooks/selfeval_report.ipynb", True),
        ("notebooks/explore_unit.ipynb", True),
        ("my_analysis.ipynb", False),
        ("reports/2024/qianshan_2024.ipynb", False),
    ]:
        model = {
            "type": "notebook",
            "content": json.loads(nbformat.writes(_executed_copy(DEFAULT_NOTEBOOK))),
        }
        pre_save_hook(model=model, path=path, contents_manager=None)
        code = [c for c in model["content"]["cells"] if c["cell_type"] == "code"]
        assert all(not c["outputs"] and c["execution_count"] is None for c in code) is stripped
        assert all("execution" not in c["metadata"] for c in code) is stripped


def _with_parameters(nb: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """`nb` as an analyst previewing another unit leaves it: the parameters cell edited."""
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)
    nb.cells[0].source = source
    return nb


def _model(nb: nbformat.NotebookNode) -> dict:
    """What JupyterLab sends on Save (PUT /api/contents/<path>)."""
    return {"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))}


@pytest.fixture
def contents(tmp_path):
    """Jupyter's own file contents manager on a copy of notebooks/, with the hook registered as
    the server extension registers it."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    from selfeval_lib.runs import notebooks

    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    manager = FileContentsManager(root_dir=str(tmp_path))

    class Server:
        contents_manager = manager

    notebooks._load_jupyter_server_extension(Server)
    return manager, tmp_path


def test_a_preview_saved_in_notebooks_keeps_the_committed_bytes(contents, caplog):
    manager, root = contents
    template = root / "notebooks" / "selfeval_report.ipynb"
    committed = template.read_bytes()
    preview = _with_parameters(_executed_copy(template), 'params_path = "params/other_2024.yaml"')
    with caplog.at_level("WARNING"):
        manager.save(_model(preview), "notebooks/selfeval_report.ipynb")
    assert template.read_bytes() == committed
    assert [r.getMessage() for r in caplog.records] == [
        "notebooks/selfeval_report.ipynb: 参数单元格按已提交的内容保存，您的修改只在打开的标签页"
        "中；要保留，请“另存为”到 notebooks/ 以外 / the parameters cell is saved as committed "
        '(params_path = "params/qianshan_2024.yaml"  # the unit\'s params file (from the current '
        "folder, else from the project folder)); your edit stays in the open tab only. To keep "
        "it, use File > Save Notebook As… outside notebooks/; to change the committed default, "
        "edit the file outside JupyterLab and commit it."
    ]
    # Save As outside notebooks/ keeps everything the analyst did
    manager.save(_model(preview), "my_preview.ipynb")
    kept = nbformat.read(root / "my_preview.ipynb", as_version=4)
    assert kept.cells[0].source == 'params_path = "params/other_2024.yaml"'
    assert kept.cells[2].outputs and kept.metadata["language_info"]["version"] == "3.11.7"


def test_edits_to_other_cells_and_new_notebooks_in_notebooks_are_saved(contents):
    """Only what a run changes is held back: a developer's new cell is saved (without outputs),
    and a new notebook in notebooks/ keeps the parameters its author wrote."""
    manager, root = contents
    nb = _executed_copy(root / "notebooks" / "selfeval_report.ipynb")
    nb.cells.append(nbformat.v4.new_markdown_cell("## 附件"))
    manager.save(_model(nb), "notebooks/selfeval_report.ipynb")
    saved = nbformat.read(root / "notebooks" / "selfeval_report.ipynb", as_version=4)
    assert saved.cells[-1].source == "## 附件"
    assert all(not c.outputs for c in saved.cells if c.cell_type == "code")
    new = _with_parameters(nb, 'params_path = "params/other_2024.yaml"')
    manager.save(_model(new), "notebooks/other_unit.ipynb")
    saved = nbformat.read(root / "notebooks" / "other_unit.ipynb", as_version=4)
    assert saved.cells[0].source == 'params_path = "params/other_2024.yaml"'
    assert all(not c.outputs for c in saved.cells if c.cell_type == "code")


def _lab_command(fake_id: Path | None = None) -> list[str]:
    """The command `make lab` runs (make -n: printed, not run); with `fake_id`, a folder whose
    `id` program answers for the user, first on PATH."""
    env = dict(os.environ)
    if fake_id is not None:
        env["PATH"] = f"{fake_id}{os.pathsep}{env['PATH']}"
    venv = ".venv"
    printed = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", f"{venv}/.installed", "-o",
         f"{venv}/etc/jupyter/jupyter_server_config.d/selfeval.json", "lab"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=True,
    ).stdout  # fmt: skip
    (line,) = [line for line in printed.splitlines() if "jupyter lab" in line]
    return shlex.split(line)


@pytest.mark.parametrize("uid, allowed", [("0", True), ("1000", False)], ids=["root", "user"])
def test_make_lab_lets_root_start_jupyter_and_only_root(uid, allowed, tmp_path):
    (tmp_path / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (tmp_path / "id").chmod(0o755)
    command = _lab_command(fake_id=tmp_path)
    assert command[0].endswith("/bin/jupyter") and command[1] == "lab"
    assert ("--allow-root" in command) is allowed
    assert command[-1] == "notebooks/selfeval_report.ipynb"
    assert "--ServerApp.root_dir=." in command  # the project folder: Save As can leave notebooks/


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, token: str, method: str = "GET", body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"token {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def _git(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "user.name=selfeval", "-c", "user.email=selfeval@localhost", *args],
        cwd=project, capture_output=True, text=True, timeout=30,
    )  # fmt: skip


@pytest.fixture
def lab(tmp_path):
    """JupyterLab started as `make lab` starts it (the same command line: as root where the tests
    run as root), with no JUPYTER_CONFIG_PATH or personal settings, so only the environment's own
    Jupyter config applies, as for plain `jupyter lab`; on the loopback interface, a free port and
    a token, in a git clone of the notebooks. Yields (base URL, token, project, server log)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    for args in (["init", "-q"], ["add", "notebooks"], ["commit", "-qm", "as committed"]):
        _git(project, *args).check_returncode()
    command = _lab_command()
    command[0] = str(Path(sys.executable).with_name("jupyter"))  # this environment's Jupyter
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    env |= {
        "JUPYTER_CONFIG_DIR": str(tmp_path / "user-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*command, "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _request(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError) as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {exc}\n{log_path.read_text()}")
                time.sleep(0.3)
        yield base, token, project, log_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


@pytest.mark.notebook
def test_lab_starts_with_the_hook_and_without_warnings(lab):
    *_, log_path = lab
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "selfeval_lib.runs.notebooks | extension was successfully loaded." in log
    noisy = [
        line
        for line in log.splitlines()
        if line.startswith("[W") or re.search(r"warning|deprecat|pre.save", line, re.I)
    ]
    assert noisy == []


@pytest.mark.notebook
def test_saving_every_notebook_after_run_all_or_a_preview_leaves_git_clean(lab, built_example):
    """Run All in each notebook of notebooks/ (explore_unit and county_overview pointed at a
    built year, as an analyst previewing would), then Save through the server: git sees no
    change. The report notebook is then saved again with another unit in its parameters cell."""
    from nbclient import NotebookClient

    base, token, project, log_path = lab
    year = built_example.parent
    previews = {
        "selfeval_report.ipynb": None,  # Run All as it opens
        "explore_unit.ipynb": f'params_path = "params/qianshan_2024.yaml"\nyear_folder = "{year}"',
        "county_overview.ipynb": f'year_folder = "{year}"\ncounty = ""\nprepared = ""',
    }
    assert sorted(previews) == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    executed = {}
    for name, parameters in previews.items():
        nb = nbformat.read(project / "notebooks" / name, as_version=4)
        if parameters:
            nb = _with_parameters(nb, parameters)
        NotebookClient(
            nb, timeout=120, kernel_name="python3",
            resources={"metadata": {"path": str(project / "notebooks")}},
        ).execute()  # fmt: skip
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        assert outputs and not [o for o in outputs if o.output_type == "error"], name
        assert nb.metadata["language_info"]["version"]  # what Lab would write
        executed[name] = nb
        _request(f"{base}/api/contents/notebooks/{name}", token, "PUT", _model(nb))
    diff = _git(project, "diff", "--exit-code", "--stat", "notebooks/")
    assert diff.returncode == 0, _git(project, "diff", "notebooks/").stdout

    other = _with_parameters(executed["selfeval_report.ipynb"], 'params_path = "params/x.yaml"')
    _request(f"{base}/api/contents/notebooks/selfeval_report.ipynb", token, "PUT", _model(other))
    diff = _git(project, "diff", "--exit-code", "--stat", "notebooks/")
    assert diff.returncode == 0, _git(project, "diff", "notebooks/").stdout
    assert (
        log_path.read_text(encoding="utf-8").count("the parameters cell is saved as committed") == 3
    )
    # Save As outside notebooks/: the analyst's own copy keeps the preview and every output
    _request(f"{base}/api/contents/my_preview.ipynb", token, "PUT", _model(other))
    mine = nbformat.read(project / "my_preview.ipynb", as_version=4)
    assert mine.cells[0].source == 'params_path = "params/x.yaml"'
    assert sum(len(c.get("outputs", [])) for c in mine.cells) == sum(
        len(c.get("outputs", [])) for c in executed["selfeval_report.ipynb"].cells
    )
