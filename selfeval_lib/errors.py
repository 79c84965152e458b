"""The one family of selfeval errors; every message is bilingual (中文 / English)."""

from __future__ import annotations

# Added to every "missing" message: a blank is an error, 未填报 is an answer.
WRITE_NOT_STATED = "若资料未载明，请填写“未填报” / if the source does not state it, write 未填报"


class SelfEvalError(Exception):
    """Base of every error selfeval raises on purpose; the CLI prints it without a traceback."""


class ParamsError(SelfEvalError, ValueError):
    """A params file is missing, unreadable or invalid."""


class DataError(SelfEvalError, ValueError):
    """A unit's data files break the data contract. Holds every problem of one file."""

    def __init__(self, path: str, problems: list[str]):
        self.path = _shown(str(path))
        self.problems = list(problems)
        lines = [f"{self.path}: {len(self.problems)} 处问题 / problem(s)"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


def _shown(path: str) -> str:
    """A path as the user typed it: relative to the working folder when it is inside it."""
    from pathlib import Path

    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


class FrameworkError(SelfEvalError, ValueError):
    """An indicator framework file is invalid."""


class RunError(SelfEvalError, RuntimeError):
    """Executing or exporting a unit's notebook failed."""


class ValidationErrors(SelfEvalError, ValueError):
    """Several files of one unit failed validation; the message lists every one."""

    def __init__(self, errors: list[SelfEvalError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def describe_pydantic_error(err: dict, data: bool = True) -> str:
    """One bilingual line for one pydantic error (key path, what was found, what is expected).
    For a unit's data (`data`), a missing value gets the hint to write 未填报."""
    hint = f"; {WRITE_NOT_STATED}" if data else ""
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    found = err.get("input")
    if kind == "missing":
        what = f"缺少此项 / missing{hint}"
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
    elif kind == "greater_than_equal":
        limit = err["ctx"]["ge"]
        what = f'"{found}" 不能小于 {limit} / must be at least {limit}'
    elif kind == "greater_than":
        limit = err["ctx"]["gt"]
        what = f'"{found}" 应大于 {limit} / must be greater than {limit}'
    elif kind == "less_than_equal":
        limit = err["ctx"]["le"]
        what = f'"{found}" 不能大于 {limit} / must be at most {limit}'
    elif kind == "less_than":
        limit = err["ctx"]["lt"]
        what = f'"{found}" 应小于 {limit} / must be less than {limit}'
    elif kind in ("string_too_short", "too_short"):
        what = f"不能为空 / must not be empty{hint}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        what = f"应为键值映射，实为 {type(found).__name__} / expected a mapping"
    elif kind in ("tuple_type", "list_type"):
        what = f"应为列表，实为 {type(found).__name__} / expected a list"
    elif kind in ("string_type",):
        what = f'"{found}" 应为文字 / expected text'
    else:  # our own PydanticCustomErrors already carry a bilingual message
        what = err["msg"].removeprefix("Value error, ")
    return f"{loc}: {what}" if loc else what
