"""The one family of selfeval errors; every message is bilingual (中文 / English)."""

from __future__ import annotations


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
