"""A unit's outputs put in place as one set: all of the new run, or all of the last good one."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import RunError, shown_path
from ..fileio import SHARED_MODE, write_atomic

# A failed run writes only this diagnostic notebook; it is no part of a unit's set of outputs.
DIAGNOSTIC = "failed"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def commit_outputs(files: dict[str, bytes], paths: dict[str, Path]) -> dict[str, str]:
    """Put `files` (kind -> bytes) at `paths` (kind -> file) as one set; returns kind -> sha256.

    Every file is first written to a staging folder beside the outputs (the same filesystem: a
    full disk, a file-size limit or a read-only folder fails here, before any output is touched).
    Then each output of the set already there, also one this run does not make (a PDF of the
    last run), is moved into the staging folder and the new files are moved in, the HTML last;
    if a move fails, every old file goes back. So a unit's outputs are all of one run; the
    manifest records their hashes, and a set that does not match them is run again."""
    kinds = [k for k in paths if k != DIAGNOSTIC]
    order = sorted(files, key=lambda k: k == "html")  # what readers open comes last
    base = paths["html"].parent
    in_the_way = [paths[k] for k in kinds if paths[k].exists() and not paths[k].is_file()]
    if in_the_way:
        raise RunError(
            f"{shown_path(in_the_way[0])}: 此处是文件夹或其他非文件，报告无法写入；请移走它 / "
            "something that is not a file (a folder?) is where this output goes: move it away; "
            "the unit's last good outputs are kept"
        )
    try:
        base.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{paths['html'].stem}.staging-", dir=base))
    except OSError as exc:
        raise RunError(cannot_write(base, exc)) from None
    try:
        for kind in order:
            try:
                (staging / kind).write_bytes(files[kind])
            except OSError as exc:
                raise RunError(cannot_write(paths[kind], exc)) from None
        _swap(staging, order, kinds, paths)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if DIAGNOSTIC in paths:  # a good run: an older failure's diagnosis is no longer current
        paths[DIAGNOSTIC].unlink(missing_ok=True)
    return {kind: sha256_of(files[kind]) for kind in order}


def _swap(staging: Path, order: list[str], kinds: list[str], paths: dict[str, Path]) -> None:
    """The old set out to staging/old, the new set in; on any failure, the old set back."""
    old = staging / "old"
    old.mkdir()
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for kind in kinds:
            if paths[kind].is_file():
                os.replace(paths[kind], old / kind)
                moved_out.append(kind)
        for kind in order:
            os.chmod(staging / kind, SHARED_MODE)
            os.replace(staging / kind, paths[kind])
            moved_in.append(kind)
    except OSError as exc:
        for kind in moved_in:
            paths[kind].unlink(missing_ok=True)
        for kind in moved_out:
            os.replace(old / kind, paths[kind])
        raise RunError(cannot_write(paths[(moved_in or order)[-1]], exc)) from None


def cannot_write(path: Path, exc: OSError) -> str:
    """A bilingual message for an OS error while writing `path`: the reason, what to do."""
    reason = exc.strerror or type(exc).__name__
    return (
        f"{shown_path(path)}: 无法写入（{reason}）；请检查磁盘空间、文件大小限制和文件夹权限，"
        f"上次成功的输出未被改动 / could not write it ({reason}): check the free space, file-size "
        "limits and the folder's permissions; the unit's last good outputs are kept"
    )


def write_diagnostic(data: bytes, path: Path) -> str:
    """The notebook of a failed run as far as it ran, written atomically, or not at all when it
    is not a whole notebook (papermill's save cut short by a file-size limit or a full disk).
    Returns '' when written, else why not (for the unit's error)."""
    try:
        nb = json.loads(data.decode("utf-8"))
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("not a notebook")
    except ValueError:
        path.unlink(missing_ok=True)  # an older run's diagnosis would be taken for this one's
        return (
            "\n诊断用笔记本不完整，未保存 / the notebook as far as it ran was cut short: not saved"
        )
    try:
        write_atomic(path, data)
    except OSError as exc:
        return "\n" + cannot_write(path, exc)
    return ""


def outputs_intact(recorded: dict[str, str], paths: dict[str, Path]) -> bool:
    """Every output the manifest recorded for the unit's last good run is there as recorded."""
    try:
        return all(
            paths[kind].is_file() and sha256_of(paths[kind].read_bytes()) == digest
            for kind, digest in recorded.items()
            if kind in paths
        )
    except OSError:
        return False
