"""Limits on what a township's files may hold, stated and enforced before anything is parsed.

Each limit has a default generous for any real township and an environment variable for a
county that needs more (an operator's setting, never a township's): a file over a limit is
refused with one clear message naming the limit and the variable."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ParamsError

# name -> (default, environment variable, what it bounds)
DEFAULTS = {
    "file_mb": (5, "SELFEVAL_MAX_FILE_MB", "一个数据文件（CSV/YAML/Markdown）的大小（MB）"),
    "workbook_mb": (20, "SELFEVAL_MAX_WORKBOOK_MB", "一个工作簿的大小（MB）"),
    "rows": (2000, "SELFEVAL_MAX_ROWS", "一个表（或工作表）的数据行数"),
    "targets": (300, "SELFEVAL_MAX_TARGETS", "绩效目标的个数"),
    "section_chars": (50000, "SELFEVAL_MAX_SECTION_CHARS", "一个文字章节的字数"),
    "line_chars": (200, "SELFEVAL_MAX_LINE_CHARS", "一行文字（名称、标题、指标名称等）的字数"),
    "kernel_mb": (3072, "SELFEVAL_MAX_KERNEL_MB", "一个单位的内核进程可用的内存（MB）"),
}


@dataclass(frozen=True)
class Limits:
    file_mb: float
    workbook_mb: float
    rows: int
    targets: int
    section_chars: int
    line_chars: int
    kernel_mb: float


def limits() -> Limits:
    """The limits in force: the defaults, or what the operator set in the environment."""
    values = {}
    for name, (default, variable, _) in DEFAULTS.items():
        text = os.environ.get(variable, "").strip()
        if not text:
            values[name] = default
            continue
        try:
            value = float(text) if name.endswith("_mb") else int(text)
        except ValueError:
            value = -1
        if value <= 0:
            raise ParamsError(
                f"环境变量 {variable}={text!r} 应为正数 / the environment variable {variable} must "
                f"be a positive number (default {default})"
            )
        values[name] = value
    return Limits(**values)


def over_limit(name: str, found: object) -> str:
    """The message for a limit exceeded: what was found, the limit, and how to raise it."""
    default, variable, what = DEFAULTS[name]
    limit = getattr(limits(), name)
    return (
        f"超过限制：{what}最多 {limit:g}，实为 {found} / over the limit: at most {limit:g} "
        f"({variable}; default {default}), found {found}"
    )


def readable_file(path: Path, folder: Path, limit: str = "file_mb") -> str:
    """'' if `path` may be read as one of a unit's files: a regular file, inside `folder` (no
    symbolic link, no '..' out of it), within its size limit; else why not (nothing is read)."""
    if path.is_symlink():
        return (
            "是符号链接，不读取；请放入文件本身 / is a symbolic link: not read; put the file itself"
        )
    if not path.resolve().is_relative_to(folder.resolve()):
        return "不在单位的数据目录内，不读取 / is outside the unit's data folder: not read"
    if not path.is_file():
        return "不是普通文件 / is not a regular file"
    size = path.stat().st_size
    if size > getattr(limits(), limit) * 1024 * 1024:
        return over_limit(limit, f"{size / 1024 / 1024:.1f} MB")
    return ""
