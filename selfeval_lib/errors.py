"""The one family of selfeval errors; every message is bilingual (中文 / English)."""

from __future__ import annotations

import re

# Characters a township's text may not smuggle into a terminal, log, page or workbook: C0 controls
# but tab and newline, DEL, C1 controls (ESC starts ANSI sequences), zero-width and bidi marks and
# overrides, line/paragraph separators, BOM.
CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069"
    "\ud800-\udfff\ufeff\ufff9-\ufffb\ufffe\uffff\U000e0000-\U000e007f]"
)  # and: soft hyphen, lone surrogates, annotation characters, U+FFFE/FFFF (which no XML,
#    so no Word file, may hold) and tag characters


def escape_controls(text: str) -> str:
    """Control, escape and bidi characters shown as \\x1b or \\u202e: text is data, never a command."""
    return CONTROLS.sub(
        lambda m: (
            f"\\x{ord(m[0]):02x}"
            if ord(m[0]) < 0x100
            else f"\\u{ord(m[0]):04x}"
            if ord(m[0]) < 0x10000
            else f"\\U{ord(m[0]):08x}"
        ),
        text,
    )


ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")  # terminal escape sequences


def strip_controls(text: str) -> str:
    """The same characters removed, escape sequences whole (for HTML and workbooks, where an
    escape would read as text)."""
    return CONTROLS.sub("", ANSI.sub("", text))


def excerpt(value: object, limit: int = 40) -> str:
    """A short, escaped piece of untrusted text for a message: never a whole file."""
    text = escape_controls(str(value))
    return text if len(text) <= limit else text[:limit] + "…"


# Added to every "missing" message: a blank is an error, 未填报 is an answer.
WRITE_NOT_STATED = "若资料未载明，请填写“未填报” / if the source does not state it, write 未填报"


class SelfEvalError(Exception):
    """Base of every error selfeval raises on purpose; the CLI prints it without a traceback.
    Its message never carries a control or escape character: they are shown escaped (\\x1b)."""

    def __init__(self, *args: object):
        if args and isinstance(args[0], str):
            args = (escape_controls(args[0]), *args[1:])
        super().__init__(*args)


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
        return shown_path(Path(path).resolve().relative_to(Path.cwd()).as_posix())
    except ValueError:
        return shown_path(path)


def shown_path(path: object) -> str:
    """A path for a message or log line: a file name is the township's, and a line break or an
    escape in it is shown escaped, never printed (it would add lines to the log)."""
    return escape_controls(str(path)).replace("\n", "\\n").replace("\r", "\\r")


class FrameworkError(SelfEvalError, ValueError):
    """An indicator framework file is invalid."""


class UsageError(SelfEvalError, ValueError):
    """The command line asks for what cannot be done as given: a path that is not there, files
    that exist without --force, a scheduler that cannot be reached. The CLI exits 2 for it, as
    argparse does for a bad option; every other SelfEvalError (bad data) exits 1."""


class RunError(SelfEvalError, RuntimeError):
    """Executing or exporting a unit's notebook failed."""


class BatchStopped(RunError):
    """The batch stopped before every unit ran (e.g. no Dask worker left): the units not run are
    recorded as interrupted, their last good reports kept."""


class ValidationErrors(SelfEvalError, ValueError):
    """Several files of one unit failed validation; the message lists every one."""

    def __init__(self, errors: list[SelfEvalError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def allowed_keys(model: type, loc: tuple) -> list[str]:
    """The keys a pydantic model accepts at `loc` (its fields, or a nested model's), as written
    in the files (aliases where a field has one). A union of models (a framework's rule kinds)
    is resolved by the member name pydantic puts in `loc` (rule.checklist.items)."""
    models = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((m.model_fields[part] for m in models if part in m.model_fields), None)
        if field is None:
            tagged = [m for m in models if part in _literal_values(m)]
            if not tagged:
                return []
            models = tagged[:1]
            continue
        inner = field.annotation
        args = [inner, *getattr(inner, "__args__", ())]
        models = [a for a in args if hasattr(a, "model_fields")]
        if not models:
            return []
    fields = models[0].model_fields if len(models) == 1 else {}
    return [f.alias or name for name, f in fields.items() if name != "path"]


def _literal_values(model: type) -> set:
    """The values a model's Literal fields take (a rule kind's `kind`)."""
    from typing import Literal, get_args, get_origin

    return {
        v
        for f in model.model_fields.values()
        if get_origin(f.annotation) is Literal
        for v in get_args(f.annotation)
    }


def did_you_mean(word: str, choices: list[str]) -> str:
    """'; 是否应为 / did you mean "data"?' for the choice nearest `word`, or ''."""
    import difflib

    near = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'; 是否应为 / did you mean "{near[0]}"?' if near else ""


def unknown_key(key: str, allowed: list[str]) -> str:
    """'; 允许的键 / allowed: …; 是否应为 / did you mean "data"?'"""
    text = f"; 允许的键 / allowed: {', '.join(allowed)}" if allowed else ""
    return text + did_you_mean(key, allowed)


# pydantic's bound errors: (its context key, Chinese, English)
_BOUNDS = {
    "greater_than_equal": ("ge", "不能小于", "at least"),
    "greater_than": ("gt", "应大于", "greater than"),
    "less_than_equal": ("le", "不能大于", "at most"),
    "less_than": ("lt", "应小于", "less than"),
}


def describe_pydantic_error(
    err: dict, data: bool = True, model: type | None = None, at: tuple = ()
) -> str:
    """One bilingual line for one pydantic error (key path, what was found, what is expected).
    For a unit's data (`data`), a missing value gets the hint to write 未填报."""
    hint = f"; {WRITE_NOT_STATED}" if data else ""
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    raw = err.get("input")
    found = excerpt(raw, 60)  # untrusted input: short and escaped
    if kind == "missing":
        what = f"缺少此项 / missing{hint}"
    elif kind == "extra_forbidden":
        what = "未知的键 / unknown key (remove it or check the spelling)"
        if model is not None and at:
            what += unknown_key(str(at[-1]), allowed_keys(model, tuple(at[:-1])))
    elif kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        what = f'"{found}" 格式不符 / does not match the required form {pattern}'
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        what = f'"{found}" 不在允许值中 / is not one of: {expected}'
        what += did_you_mean(str(raw), re.findall(r"'([^']*)'", expected))
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        what = f'"{found}" 不是整数 / is not a whole number'
    elif kind == "finite_number":  # .nan or .inf where a whole number belongs
        what = f'"{found}" 不是有限的数 / is not a finite number'
    elif kind in ("bool_parsing", "bool_type"):
        what = f'"{found}" 应为 是/否 / expected yes or no (是/否)'
    elif kind in _BOUNDS:
        key, zh, en = _BOUNDS[kind]
        limit = err["ctx"][key]
        what = f'"{found}" {zh} {limit} / must be {en} {limit}'
    elif kind in ("string_too_short", "too_short"):
        what = f"不能为空 / must not be empty{hint}"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        what = f"应为键值映射，实为 {type(raw).__name__} / expected a mapping"
    elif kind in ("tuple_type", "list_type"):
        what = f"应为列表，实为 {type(raw).__name__} / expected a list"
    elif kind in ("string_type",):
        what = f'"{found}" 应为文字 / expected text'
    elif kind == "string_unicode":  # e.g. a lone surrogate: not text any file can hold
        what = f'"{found}" 含有无效的字符编码 / is not valid Unicode text'
    else:  # our own PydanticCustomErrors already carry a bilingual message
        what = err["msg"].removeprefix("Value error, ")
    return f"{loc}: {what}" if loc else what
