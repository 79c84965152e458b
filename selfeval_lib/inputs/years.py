"""Years connected: where last year's data of the same unit is, and what it fills in and checks
in this year's 上年 columns (budget.csv 上年支出, sangong.csv 上年决算, targets.csv 上年值).

Where last year is: the params file's `previous:` (last year's params file, or its data folder or
workbook), written by the operator; else the data tree's convention, data/<year>/<folder> →
data/<year-1>/<folder>, or the folder under data/<year-1>/ whose identity.unit_code is this
unit's. A township's file never names a path: only the params file does, and the convention
looks nowhere but beside this unit's own data folder. Last year's framework is the one its
params file names (a params file in this unit's params folder whose data is last year's
folder); without one, this year's."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from ..errors import ParamsError, SelfEvalError
from ..fileio import read_yaml
from ..fmt import fmt_figure, fmt_wan
from ..values import NOT_STATED
from .params import Params, load_params

# UnitData (unit.py) is named, not imported: unit.py calls this module while loading.
UnitData = "inputs.unit.UnitData"

# this year's 上年 column, and the column of last year's row that holds the same figure
CARRIED = {
    "budget.csv": ("budget", "上年支出", "本年支出", lambda r: (r.kind, r.name)),
    "sangong.csv": ("sangong", "上年决算", "决算", lambda r: (r.item,)),
    "targets.csv": ("targets", "上年值", "实际值", lambda r: (r.category, r.level2, r.name)),
}
_FIELDS = {"上年支出": "last_year", "上年决算": "last_year", "上年值": "last_year"}
_LAST_FIELDS = {"本年支出": "actual", "决算": "actual", "实际值": "actual"}


def find_previous(params: Params, unit_code: str | None) -> Params | None:
    """Last year's params of the same unit, or None where no data of last year is on file."""
    if params.previous:
        return _named_previous(params)
    data = params.data_dir
    if data.parent.name != str(params.year):
        return None  # not in a data/<year>/ tree: only `previous:` connects the years
    last_dir = data.parent.parent / str(params.year - 1)
    if not last_dir.is_dir():
        return None
    found = last_dir / data.name
    if not found.exists() and unit_code:
        found = next((d for d in sorted(last_dir.iterdir()) if _code_of(d) == unit_code), found)
    if not found.exists():
        return None
    for path in sorted(params.path.parent.glob("*.yaml")):
        try:
            other = load_params(path)
        except SelfEvalError:
            continue  # a broken params file is reported when it is itself run
        if other.year == params.year - 1 and other.data_dir == found.resolve():
            return other
    return _params_for(params, found)


def _named_previous(params: Params) -> Params:
    target = (params.path.parent / params.previous).resolve()
    if not target.exists():
        raise ParamsError(
            f"{params.path}: 键 / key previous: {params.previous} 不存在 / not found; 应为上年的 "
            "params 文件或数据目录 / write last year's params file or data folder"
        )
    if target.is_file() and target.suffix.lower() in (".yaml", ".yml"):
        last = load_params(target)
        if last.year != params.year - 1:
            raise ParamsError(
                f"{params.path}: 键 / key previous: {params.previous} 的年度为 {last.year}，应为 "
                f"{params.year - 1} / is for {last.year}; last year is {params.year - 1}"
            )
        return last
    return _params_for(params, target)


def _params_for(params: Params, data: Path) -> Params:
    """Last year's data folder read with this year's params (and framework)."""
    return params.model_copy(update={"year": params.year - 1, "data": str(data), "previous": None})


def _code_of(folder: Path) -> str | None:
    """The unit_code of a data folder of last year ('' where it has none or cannot be read)."""
    facts = folder / "unit.yaml"
    if not facts.is_file():
        return None
    try:
        identity = read_yaml(facts, ParamsError).get("identity") or {}
    except (SelfEvalError, AttributeError):
        return None
    code = identity.get("unit_code") if isinstance(identity, dict) else None
    return code if isinstance(code, str) else None


def connect_years(unit: UnitData, last: UnitData, root: Path) -> UnitData:
    """This year's unit with last year's figures in its 上年 columns where it left them 未填报
    (each taken figure listed as a warning naming both files), those it gave checked against
    last year's, and last year's files part of its inputs (so a change to them re-runs it).
    `root`: the project folder, from which files are named."""
    mine, theirs = unit.facts.identity.unit_code, last.facts.identity.unit_code
    if mine and theirs and mine != theirs:
        return replace(
            unit,
            input_warnings=(
                *unit.input_warnings,
                f"上年数据 {_name(last, 'unit.yaml', root)} 的单位代码“{theirs}”与本年“{mine}”"
                "不同，未作为本单位上年数据使用。",
            ),
        )
    warnings, taken, parts = [], [], {}
    for part, (attr, column, last_column, key) in CARRIED.items():
        fmt = fmt_figure if part == "targets.csv" else fmt_wan  # targets: their own units
        last_rows = {key(r): n for n, r in enumerate(getattr(last, attr))}
        rows = list(getattr(unit, attr))
        for n, row in enumerate(rows):
            m = last_rows.get(key(row))
            if m is None:
                continue
            before = getattr(getattr(last, attr)[m], _LAST_FIELDS[last_column])
            if not isinstance(before, Decimal):
                continue  # last year did not state it either (or a qualitative target's words)
            here = f"{_name(unit, part, root)} {_row(unit, part, n, column)}"
            there = f"上年数据 {_name(last, part, root)} {_row(last, part, m, last_column)}"
            given = getattr(row, _FIELDS[column])
            if given is NOT_STATED or given is None:
                marked = last_column in getattr(last, attr)[m].illustrative
                rows[n] = row.model_copy(
                    update={
                        "last_year": before,
                        "illustrative": (*row.illustrative, column) if marked else row.illustrative,
                    }
                )
                taken.append(f"{here} ← {there}")
                warnings.append(f"{here}未填报，取自{there}：{fmt(before)}。")
            elif given != before:
                warnings.append(
                    f"{here}填报 {fmt(given)}，与{there} {fmt(before)} 不一致，"
                    f"相差 {fmt(given - before)}。"
                )
        parts[attr] = tuple(rows)
    hashes = dict(unit.input_hashes) | dict(last.input_hashes)
    return replace(
        unit,
        **parts,
        input_warnings=(*unit.input_warnings, *warnings),
        input_hashes=tuple(sorted(hashes.items())),
        previous=last,
        taken=tuple(taken),
    )


def _name(unit: UnitData, part: str, root: Path) -> str:
    """A data file named from the project folder (data/2023/hexi/budget.csv), so two years'
    files of one name are told apart; a workbook: its file and sheet."""
    source = Path(unit.sources.get(part, part).split("!")[0])
    try:
        shown = source.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = source.as_posix()
    sheet = unit.sources.get(part, "").partition("!")[2]
    return f"{shown}!{sheet}" if sheet else shown


def _row(unit: UnitData, part: str, row: int, column: str) -> str:
    """'第2行 列"本年支出"' (a workbook: its cell)."""
    return unit.place(part, row, column).split(": ", 1)[1]
