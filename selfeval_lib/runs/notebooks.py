"""The committed notebooks: saved without outputs from JupyterLab, fingerprinted by what they do."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

TEMPLATE_FOLDER = "notebooks"  # notebooks saved in a folder of this name are the committed ones
VOLATILE_METADATA = ("execution", "collapsed", "scrolled")  # Lab's per-run cell metadata


def strip_outputs(nb: dict) -> dict:
    """Clear every code cell's outputs and execution count, and the cell metadata a run leaves
    behind (timings, scroll state), in place; returns `nb`. Sources and tags are untouched."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        metadata = cell.get("metadata", {})
        for key in VOLATILE_METADATA:
            metadata.pop(key, None)
    return nb


def pre_save_hook(model: dict, path: str, contents_manager=None, **kwargs) -> None:  # noqa: ARG001
    """Jupyter's ContentsManager.pre_save_hook (jupyter/jupyter_server_config.py, `make lab`):
    a notebook saved in notebooks/ (Save and autosave alike) is written without outputs, so the
    committed template stays clean however the analyst ran it. Notebooks elsewhere (an
    analyst's own, the executed reports) are saved as they are."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    if PurePosixPath(path).parent.name == TEMPLATE_FOLDER:
        strip_outputs(model["content"])


def notebook_fingerprint(notebook: Path) -> str:
    """What in a notebook changes the report it makes: each cell's type, source and tags, and
    the kernel. Not outputs, execution counts or other metadata, so a notebook saved after a run
    in JupyterLab re-runs nothing."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    essence = {
        "kernel": nb.get("metadata", {}).get("kernelspec", {}).get("name", ""),
        "cells": [
            [
                cell.get("cell_type"),
                "".join(cell.get("source", "")),
                list(cell.get("metadata", {}).get("tags", [])),
            ]
            for cell in nb.get("cells", [])
        ],
    }
    blob = json.dumps(essence, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
