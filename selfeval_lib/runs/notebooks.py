"""The committed notebooks: saved from JupyterLab as committed, fingerprinted by what they do."""

from __future__ import annotations

import hashlib
import json
import logging
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


def _parameters_cell(nb: dict) -> dict | None:
    """The cell papermill fills in: the first one tagged `parameters`."""
    tagged = (
        c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])
    )
    return next(tagged, None)


def _source(cell: dict) -> str:
    return "".join(cell.get("source", ""))


def _file_of(contents_manager, path: str) -> Path | None:
    """Where the contents manager keeps `path` (an API path, relative to the server's root
    folder), or None when it keeps no files under a root folder (or `path` leaves it)."""
    root = getattr(contents_manager, "root_dir", None)
    if not root:
        return None
    file = Path(root, path.strip("/"))
    return file if file.resolve().is_relative_to(Path(root).resolve()) else None


def _saved_notebook(file: Path | None) -> dict | None:
    """The notebook as it is on disk before this save, or None (a new file)."""
    if file is None or not file.is_file():
        return None
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # not a notebook we can read: nothing to keep from it


def pre_save_hook(model: dict, path: str, contents_manager=None, **kwargs) -> None:  # noqa: ARG001
    """Jupyter's pre-save hook (registered by this module's server extension): a notebook saved
    in notebooks/ (Save and autosave alike) keeps what it had on disk in everything JupyterLab
    changes by running it: no outputs or execution counts, the notebook metadata as it was (not
    the kernel's `language_info`), and the parameters cell as it was, so previewing another unit
    leaves the committed default (the edit stays in the open tab; the server log says so). Other
    cells are saved as edited. Notebooks elsewhere (an analyst's own, the executed reports) are
    saved as they are. The folder is the file's own, whatever folder the server serves."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    file = _file_of(contents_manager, path)
    if (file or PurePosixPath(path)).parent.name != TEMPLATE_FOLDER:
        return
    nb = strip_outputs(model["content"])
    saved = _saved_notebook(file)
    if saved is None:
        return  # a new notebook in notebooks/: its parameters are what its author wrote
    nb["metadata"] = saved.get("metadata", {})
    kept, edited = _parameters_cell(saved), _parameters_cell(nb)
    if kept is None or edited is None or _source(kept) == _source(edited):
        return
    edited["source"] = kept["source"]
    log = getattr(contents_manager, "log", None) or logging.getLogger(__name__)
    log.warning(
        "%s: 参数单元格按已提交的内容保存，您的修改只在打开的标签页中；要保留，请“另存为”到 "
        "notebooks/ 以外 / the parameters cell is saved as committed (%s); your edit stays in the "
        "open tab only. To keep it, use File > Save Notebook As… outside notebooks/; to change "
        "the committed default, edit the file outside JupyterLab and commit it.",
        path,
        _source(kept).strip().replace("\n", "; "),
    )


def _load_jupyter_server_extension(serverapp) -> None:
    """Jupyter server extension, enabled in the environment by
    jupyter/jupyter_server_config.d/selfeval.json (installed with selfeval): every Jupyter
    server of this environment (`make lab`, plain `jupyter lab`) runs `pre_save_hook`."""
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)


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
                _source(cell),
                list(cell.get("metadata", {}).get("tags", [])),
            ]
            for cell in nb.get("cells", [])
        ],
    }
    blob = json.dumps(essence, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
