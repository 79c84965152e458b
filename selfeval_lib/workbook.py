"""The data contract as one Excel workbook per unit: read it, write its template, import it."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import ValidationError

from .contract import PARTS, key_where
from .errors import DataError, ParamsError, SelfEvalError, ValidationErrors
from .framework import load_framework
from .params import DEFAULT_FRAMEWORK, Params, describe_pydantic_error
from .schema import TABLES
from .workbook_cells import clean_count, clean_text, is_blank
from .workbook_layout import SHEETS
from .workbook_read import keyed_rows, read_sheets, read_workbook
from .workbook_template import write_template

__all__ = ["import_workbook", "read_workbook", "write_template"]


# --- import: a workbook -> a data folder and a params file --------------------------------------


class _Dumper(yaml.SafeDumper):
    """YAML with exact decimals: 4898.86 is written as typed, never through a float."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "int" if re.fullmatch(r"-?\d+", text) else "float"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", text)


_Dumper.add_representer(Decimal, _decimal)


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _yaml(data: dict, comment: str) -> str:
    body = yaml.dump(_plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"# {comment}\n{body}"


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(value)  # 示例数据
    return format(value, "f") if isinstance(value, Decimal) else value  # amounts as typed


def _csv(rows: tuple, model: type) -> str:
    """A table with exactly the schema's columns, as folder.py reads it."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow([f.alias for f in model.model_fields.values()])
    out.writerows([_csv_cell(v) for v in row.model_dump(by_alias=True).values()] for row in rows)
    return buf.getvalue()


def _markdown(sections: dict[str, str]) -> str:
    return "".join(
        f"## {t}\n\n{text}\n\n" if text else f"## {t}\n\n" for t, text in sections.items()
    )


def _write_text(path: Path, text: str) -> None:
    """UTF-8, atomically: a half-written file never replaces a good one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _import_params(workbook: Path, sheets: dict, params_out: Path, data_out: Path) -> Params:
    """The params file's content: 评价年度 and 指标框架 from 基本情况, the unit id from the file name."""
    sheet = SHEETS["unit.yaml"]
    rows = keyed_rows(sheets[sheet], sheet)[0] if sheet in sheets else {}
    fields = {
        "unit_id": params_out.stem,
        "data": Path(os.path.relpath(data_out.resolve(), params_out.resolve().parent)).as_posix(),
        "framework": clean_text(rows["params.framework"].value)
        if "params.framework" in rows
        else None,
        "year": clean_count(rows["params.year"].value) if "params.year" in rows else None,
    }
    fields = {k: v for k, v in fields.items() if not is_blank(v)}
    fields.setdefault("framework", DEFAULT_FRAMEWORK)
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
    overwrite: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Path:
    """Check a filled workbook and write it as a data folder (unit.yaml, management.yaml, the CSV
    tables, narrative.md) plus a params file pointing at it; `load_unit(params_out)` then gives the
    same data. Raises ValidationErrors listing every problem; returns the params file's path.
    Existing files are replaced only with `overwrite`; `warn` receives what was read but is worth a
    look (ignored columns, a rate typed as 0.93)."""
    from .data import check_against_framework  # the data stage reads workbooks: import lazily

    workbook, params_out, data_out = Path(workbook_path), Path(params_out), Path(data_out)
    raw, sheets = read_sheets(workbook)
    if warn is not None:
        for message in raw.warnings:
            warn(message)
    errors: list[SelfEvalError] = list(raw.errors)
    params = None
    try:
        params = _import_params(workbook, sheets, params_out, data_out)
        errors += check_against_framework(load_framework(params.framework, params_out.parent), raw)
    except SelfEvalError as exc:
        errors.append(exc)
    if raw.parts.get("budget.csv") == ():  # refused by load_unit too: never write what it refuses
        errors.append(
            DataError(
                raw.labels["budget.csv"],
                [
                    "没有数据行：至少应有一行支出 / no data rows: at least one spending line is expected"
                ],
            )
        )
    if errors:
        raise ValidationErrors(errors)
    existing = [p for p in (params_out, *(data_out / name for name in PARTS)) if p.exists()]
    if existing and not overwrite:
        raise SelfEvalError(
            "文件已存在，未覆盖 / files exist, not overwritten (overwrite=True; selfeval import "
            f"--force): {', '.join(str(p) for p in existing)}"
        )
    data_out.mkdir(parents=True, exist_ok=True)
    note = f"Imported from {workbook.name} by selfeval import."
    parts = raw.parts
    files = {
        "unit.yaml": _yaml(parts["unit.yaml"].model_dump(), note),
        "management.yaml": _yaml(parts["management.yaml"].model_dump(), note),
        **{name: _csv(parts[name], model) for name, model in TABLES.items()},
        "narrative.md": f"<!-- {note} -->\n\n" + _markdown(parts["narrative.md"]),
    }
    for name, text in files.items():
        _write_text(data_out / name, text)
    params_out.parent.mkdir(parents=True, exist_ok=True)
    fields = params.model_dump(include={"unit_id", "year", "data", "framework"})
    _write_text(params_out, _yaml(fields, note))
    return params_out
