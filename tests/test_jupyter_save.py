"""Saving in JupyterLab harms nothing: the committed notebooks stay output-free and a saved
notebook re-runs no unit (the run fingerprint reads sources and tags only)."""

from __future__ import annotations

import json
import os
import secrets
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

from selfeval_lib.runs.batch import tool_fingerprint
from selfeval_lib.runs.notebooks import notebook_fingerprint, pre_save_hook
from selfeval_lib.runs.runner import DEFAULT_NOTEBOOK

from .conftest import ROOT


def _executed_copy(notebook: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(notebook, as_version=4)
    for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"run {n}\n")]
        cell.metadata["execution"] = {"iopub.execute_input": "2026-11-27T02:30:00Z"}
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


@pytest.fixture
def jupyter_server(tmp_path):
    """A real Jupyter server on the loopback interface, with the project's Jupyter config (as
    `make lab` has it), serving a copy of the project."""
    project = tmp_path / "project"
    for folder in ("notebooks", "params", "data"):
        shutil.copytree(ROOT / folder, project / folder)
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": str(ROOT / "jupyter"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "user-config"),  # no personal settings
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",  # CI runs as root
            f"--ServerApp.root_dir={project}",
            f"--IdentityProvider.token={token}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _request(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError) as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Jupyter server did not start: {exc}\n"
                        + (tmp_path / "server.log").read_text(errors="replace")
                    ) from None
                time.sleep(0.3)
        yield base, token, project
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.mark.notebook
def test_saving_the_executed_report_through_jupyter_keeps_the_template_clean(jupyter_server):
    from nbclient import NotebookClient

    base, token, project = jupyter_server
    template = project / "notebooks" / "selfeval_report.ipynb"
    committed, fingerprint = template.read_bytes(), tool_fingerprint(template)
    nb = nbformat.read(template, as_version=4)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(template.parent)}},
    ).execute()  # Run All, as in JupyterLab (the kernel starts in the notebook's folder)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert len(outputs) > 15 and not [o for o in outputs if o.output_type == "error"]
    content = json.loads(nbformat.writes(nb))
    for path in ("notebooks/selfeval_report.ipynb", "explored.ipynb"):
        saved = _request(
            f"{base}/api/contents/{path}",
            token,
            "PUT",
            {"type": "notebook", "format": "json", "content": content},
        )
        assert saved["path"] == path
    on_disk = nbformat.read(template, as_version=4)
    code = [c for c in on_disk.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert [c.source for c in on_disk.cells] == [
        c.source for c in nbformat.reads(committed.decode("utf-8"), as_version=4).cells
    ]
    assert tool_fingerprint(template) == fingerprint  # `selfeval run` skips every unit
    # a notebook outside notebooks/ is the analyst's own: it keeps what they saved
    explored = nbformat.read(project / "explored.ipynb", as_version=4)
    assert sum(len(c.get("outputs", [])) for c in explored.cells) == len(outputs)
