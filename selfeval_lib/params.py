"""Params files: which unit and year, where its data is, which framework, output options."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ParamsError
from .schema import UNIT_ID_PATTERN

DEFAULT_FRAMEWORK = "gd_township_2024"


class Params(BaseModel):
    """One unit-year. Relative paths in the file are relative to the file itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_id: Annotated[str, Field(pattern=UNIT_ID_PATTERN)]
    year: Annotated[int, Field(ge=2000, le=2100)]
    data: str  # data folder
    framework: str = DEFAULT_FRAMEWORK  # a bundled framework id, or a path to a framework YAML
    path: Path = Path()  # where this params file is (filled in by load_params)

    @property
    def data_dir(self) -> Path:
        return (self.path.parent / self.data).resolve()


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


def describe_pydantic_error(err: dict) -> str:
    """One bilingual line for one pydantic error (key path, what was found, what is expected)."""
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    found = err.get("input")
    if kind == "missing":
        what = "缺少此项 / missing"
    elif kind == "extra_forbidden":
        what = "未知的键 / unknown key (remove it or check the spelling)"
    elif kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        what = f'"{found}" 格式不符 / does not match the required form {pattern}'
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        what = f'"{found}" 不在允许值中 / is not one of: {expected}'
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        what = f'"{found}" 不是整数 / is not a whole number'
    elif kind in ("bool_parsing", "bool_type"):
        what = f'"{found}" 应为 是/否 / expected yes or no (是/否)'
    elif kind in ("greater_than_equal", "greater_than"):
        limit = err.get("ctx", {}).get("ge", err.get("ctx", {}).get("gt"))
        what = f'"{found}" 不能小于 {limit} / must be at least {limit}'
    elif kind in ("less_than_equal", "less_than"):
        limit = err.get("ctx", {}).get("le", err.get("ctx", {}).get("lt"))
        what = f'"{found}" 不能大于 {limit} / must be at most {limit}'
    elif kind in ("string_too_short", "too_short"):
        what = "不能为空 / must not be empty"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        what = f"应为键值映射，实为 {type(found).__name__} / expected a mapping"
    elif kind in ("tuple_type", "list_type"):
        what = f"应为列表，实为 {type(found).__name__} / expected a list"
    elif kind in ("string_type",):
        what = f'"{found}" 应为文字 / expected text'
    else:  # our own PydanticCustomErrors already carry a bilingual message
        what = err["msg"].removeprefix("Value error, ")
    return f"{loc}: {what}" if loc else what


def load_params(path: str | Path) -> Params:
    """Read and validate a params file; the unit id must be a plain name equal to the file stem."""
    path = Path(path).resolve()
    raw = read_yaml(path, ParamsError)
    try:
        params = Params.model_validate({**raw, "path": path})
    except ValidationError as exc:
        lines = [f"{path}: 键 / key {describe_pydantic_error(e)}" for e in exc.errors()]
        if any(
            e["loc"] == ("unit_id",) and e["type"] == "string_pattern_mismatch"
            for e in exc.errors()
        ):
            lines.append(
                "  unit_id 只能用小写字母、数字、_ 和 -,不超过64字符 / unit_id must be a plain "
                "name: lower-case letters, digits, _ and -, at most 64 characters"
            )
        raise ParamsError("\n".join(lines)) from None
    if params.unit_id != path.stem:
        raise ParamsError(
            f'{path}: 键 / key unit_id: "{params.unit_id}" 与文件名 "{path.stem}" 不一致 / '
            f'does not equal the file name stem "{path.stem}"; rename the file or the id'
        )
    return params
