"""Files: YAML read with errors that name the place, and writes that a reader never sees half of."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent  # selfeval_lib/; its parent is the source tree

_UMASK = os.umask(0)  # reading the umask means setting it: read once, restore at once
os.umask(_UMASK)


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; reports are meant to be shared
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def read_yaml(path: Path, error: type[Exception]) -> dict:
    """Read one YAML mapping, turning every failure into a bilingual error naming the file."""
    if not path.is_file():
        raise error(f"{path}: 文件不存在 / file not found")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise error(f"{path}: 不是 UTF-8 文本 / not UTF-8 text") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" 第{where.line + 1}行 / line {where.line + 1}" if where else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{path}{line}: YAML 格式错误 / invalid YAML: {problem}") from None
    if not isinstance(loaded, dict):
        raise error(f"{path}: 应为键值映射 / expected a mapping of keys to values")
    return loaded


PROJECT_DIR = PACKAGE_DIR.parent  # the source tree: notebooks/, params/, data/, reports/


def project_path(path: str | Path) -> Path:
    """A path as the notebooks take it: as given when it exists from the current folder (or is
    absolute), otherwise from the project folder. So `params/qianshan_2024.yaml` works from the
    project root (plain papermill), from notebooks/ (JupyterLab) and from anywhere else."""
    path = Path(path)
    if path.is_absolute() or path.exists():
        return path
    fallback = PROJECT_DIR / path
    return fallback if fallback.exists() else path
