"""Files: YAML read with errors that name the place, and writes that a reader never sees half of."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .errors import excerpt

PACKAGE_DIR = Path(__file__).resolve().parent  # selfeval_lib/; its parent is the source tree

_UMASK = os.umask(0)  # reading the umask means setting it: read once, restore at once
os.umask(_UMASK)
SHARED_MODE = 0o666 & ~_UMASK  # mkstemp makes 0600; reports are meant to be shared


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, SHARED_MODE)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


# pragma: no mutate block - from here on: YAML parsing and paths, outside `make mutation`'s scope
MAX_YAML_DEPTH = 40  # nesting levels; the deepest file of the contract has six


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key written twice (`year:` twice would silently keep the last),
    anchors and aliases (`*a` repeats a whole subtree: a few lines can stand for gigabytes) and
    nesting deeper than MAX_YAML_DEPTH (a file of `[[[[…` would exhaust Python's stack)."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "found an anchor or alias (& or *)", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(None, None, "nested too deeply", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"found duplicate key {key!r}", key_node.start_mark
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


# PyYAML's reasons, in Chinese for the county and township staff who read them.
_REASONS = (
    ("duplicate key", "键重复，每个键只能出现一次"),
    ("cannot start any token", "含有不能出现在此处的字符（制表符请换成空格）"),
    ("mapping values are not allowed", "此处不能出现“键: 值”（冒号后缺空格，或缩进不对）"),
    ("expected <block end>", "缩进不一致"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("expected ',' or ']'", "方括号 [ ] 未闭合"),
    ("expected ',' or '}'", "花括号 { } 未闭合"),
    ("found unexpected end of stream", "引号未闭合或文件意外结束"),
    ("anchor or alias", "不允许使用锚点或别名（& 或 *），请直接写出每个值"),
    ("nested too deeply", f"嵌套超过{MAX_YAML_DEPTH}层"),
)


def read_yaml(path: Path, error: type[Exception]) -> dict:
    """Read one YAML mapping, turning every failure into a bilingual error naming the file, the
    line and column, and the reason in Chinese and English."""
    return read_yaml_marked(path, error)[0]


def at_line(line: int, column: int) -> str:
    """' 第3行第5列 / line 3, column 5' (1-based), as every message about a place in a file says it."""
    return f" 第{line}行第{column}列 / line {line}, column {column}"


def read_yaml_marked(path: Path, error: type[Exception]) -> tuple[dict, YamlMarks]:
    """`read_yaml`, and where each key and value of the mapping stands in the file."""
    if not path.is_file():
        raise error(f"{path}: 文件不存在 / file not found")
    try:
        loader = _StrictLoader(path.read_text(encoding="utf-8-sig"))
        try:
            node = loader.get_single_node()
            loaded = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except UnicodeDecodeError:
        raise error(f"{path}: 不是 UTF-8 文本 / not UTF-8 text") from None
    except ValueError as exc:  # an integer of thousands of digits: Python will not convert it
        raise error(
            f"{path}: 数字位数过多，不是可信的数值 / a number with too many digits: "
            f"{excerpt(exc, 60)}"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = at_line(mark.line + 1, mark.column + 1) if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        reason = next((zh for en, zh in _REASONS if en in problem), "语法错误")
        raise error(
            f"{path}{where}: YAML 格式错误：{reason} / invalid YAML: {excerpt(problem, 120)}"
        ) from None
    if not isinstance(loaded, dict):
        raise error(
            f"{path}{at_line(1, 1)}: 应为键值映射（每行“键: 值”），实为"
            f"{'空文件' if loaded is None else type(loaded).__name__} / expected a mapping of "
            "keys to values"
        )
    return loaded, YamlMarks(node)


class YamlMarks:
    """Where the parts of a read YAML document stand: `at(("indicators", 3, "weight"))` gives
    the 1-based (line, column) of that value, as pydantic names a place (its `loc`)."""

    def __init__(self, root: yaml.Node):
        self.root = root

    def at(self, loc: tuple | list) -> tuple[int, int]:
        """The value at `loc`; a collection reached by its key gives the key (`indicators:`);
        a part not in the file (a missing key, a union member's name pydantic adds) is passed
        over, so the nearest enclosing place is given."""
        node, mark = self.root, self.root.start_mark
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                hit = next((kv for kv in node.value if kv[0].value == str(part)), None)
                if hit is not None:
                    node = hit[1]
                    scalar = isinstance(node, yaml.ScalarNode)
                    mark = node.start_mark if scalar else hit[0].start_mark
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if 0 <= part < len(node.value):
                    node = node.value[part]
                    mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def key_at(self, loc: tuple | list) -> tuple[int, int]:
        """The key named last in `loc` (an unknown key), else as `at`."""
        parent = self.root
        for part in loc[:-1]:
            if isinstance(parent, yaml.MappingNode):
                parent = next((v for k, v in parent.value if k.value == str(part)), parent)
            elif isinstance(parent, yaml.SequenceNode) and isinstance(part, int):
                parent = parent.value[part] if 0 <= part < len(parent.value) else parent
        if isinstance(parent, yaml.MappingNode) and loc:
            key = next((k for k, _ in parent.value if k.value == str(loc[-1])), None)
            if key is not None:
                return key.start_mark.line + 1, key.start_mark.column + 1
        return self.at(loc)


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
