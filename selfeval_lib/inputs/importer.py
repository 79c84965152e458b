"""selfeval import: a filled workbook, checked like any unit, written as a data folder and params file."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from ..errors import (
    ParamsError,
    SelfEvalError,
    UsageError,
    ValidationErrors,
    describe_pydantic_error,
    excerpt,
    shown_path,
)
from ..fileio import write_atomic
from ..frameworks import DEFAULT_FRAMEWORK
from ..frameworks.model import load_framework
from .contract import PARTS, key_where
from .folder import write_folder, yaml_text
from .params import Params
from .unit import check_against_framework, check_parts
from .workbook.cells import clean_count, clean_text, is_blank
from .workbook.layout import SHEETS
from .workbook.read import keyed_rows, read_sheets

__all__ = ["import_workbook"]


# --- import: a workbook -> a data folder and a params file --------------------------------------


def _import_params(
    workbook: Path, sheets: dict, params_out: Path, data_out: Path, framework: str
) -> Params:
    """The params file's content: 评价年度 from 基本情况, the unit id from the file name, and the
    county's framework. The workbook's 指标框架 cell is never used: a township's file does not
    choose a file to read (its content is at most mentioned, escaped, in a warning)."""
    sheet = SHEETS["unit.yaml"]
    rows = keyed_rows(sheets[sheet], sheet)[0] if sheet in sheets else {}
    fields = {
        "unit_id": params_out.stem,
        "data": Path(os.path.relpath(data_out.resolve(), params_out.resolve().parent)).as_posix(),
        "framework": framework,
        "year": clean_count(rows["params.year"].value) if "params.year" in rows else None,
    }
    fields = {k: v for k, v in fields.items() if not is_blank(v)}
    try:
        return Params.model_validate({**fields, "path": params_out.resolve()})
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0])
            cell = rows.get(f"params.{name}")
            place = f"{workbook}: {sheet}!{cell.coordinate} " if cell else f"{params_out}: "
            lines.append(
                f"{place}{key_where('params.' + name)}: {describe_pydantic_error({**err, 'loc': ()})}"
            )
        raise ParamsError("\n".join(lines)) from None


def import_workbook(
    workbook_path: str | Path,
    params_out: str | Path,
    data_out: str | Path,
    *,
    force: bool = False,
    warn: Callable[[str], None] | None = None,
    framework: str = DEFAULT_FRAMEWORK,
) -> Path:
    """Check a filled workbook and write it as a data folder (unit.yaml, management.yaml, the CSV
    tables, narrative.md) plus a params file pointing at it; `load_unit(params_out)` then gives the
    same data. Raises ValidationErrors listing every problem; returns the params file's path.
    Existing files are replaced only with `force` (`selfeval import --force`); `warn` receives what was read but is worth a
    look (ignored columns, a rate typed as 0.93). `framework` is the county's (a bundled id or a
    path it chose); the workbook's own 指标框架 cell is ignored."""
    workbook, params_out, data_out = Path(workbook_path), Path(params_out), Path(data_out)
    raw, sheets = read_sheets(workbook)
    if warn is not None:
        for message in raw.warnings:
            warn(message)
    errors: list[SelfEvalError] = list(raw.errors)
    if not sheets:  # the workbook could not be read: its error is the whole story
        raise ValidationErrors(errors)
    cell = keyed_rows(sheets[SHEETS["unit.yaml"]], SHEETS["unit.yaml"])[0].get("params.framework")
    if cell is not None and warn is not None and clean_text(cell.value) not in (framework, None):
        warn(
            f"{workbook}: {SHEETS['unit.yaml']}!{cell.coordinate} 指标框架“{excerpt(cell.value)}”"
            f"已忽略，使用 {framework} / the workbook's framework cell is ignored; using {framework}"
        )
    params = None
    try:
        params = _import_params(workbook, sheets, params_out, data_out, framework)
        errors += check_against_framework(load_framework(params.framework, params_out.parent), raw)
    except SelfEvalError as exc:
        errors.append(exc)
    errors += check_parts(raw)  # the checks load_unit makes: never write what it refuses
    if errors:
        raise ValidationErrors(errors)
    existing = [shown_path(params_out)] if params_out.exists() else []
    kept = [name for name in PARTS if (data_out / name).exists()]
    existing += [f"{shown_path(data_out)}/ ({'、'.join(kept)})"] if kept else []
    if existing and not force:
        raise UsageError(
            f"{'、'.join(existing)}: 文件已存在，未覆盖；如需用此工作簿替换，请加 --force / files "
            "exist, not overwritten; add --force to replace them with this workbook"
        )
    # The file's name is the township's: it goes into a YAML comment and a Markdown comment, so
    # only letters, digits and a few marks of it (a newline would end the comment and add lines).
    name = re.sub(r"-{2,}", "-", re.sub(r"[^\w.()（）-]+", "_", workbook.name))[:80]
    note = f"Imported from {name} by selfeval import."
    write_folder(data_out, raw.parts, note, raw.none)
    params_out.parent.mkdir(parents=True, exist_ok=True)
    fields = params.model_dump(include={"unit_id", "year", "data", "framework"})
    write_atomic(params_out, yaml_text(fields, note))
    return params_out
