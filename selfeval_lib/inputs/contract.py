"""Validation shared by every input format: records, mappings and narrative through the schema."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ..errors import SelfEvalError, describe_pydantic_error, excerpt
from .schema import NARRATIVE_OPTIONAL, NARRATIVE_REQUIRED, is_none_word, literal_choices

# Where a value came from, for messages: a CSV row and column, a YAML key, a workbook cell.
Where = Callable[[str], str]

# The parts of one unit-year, as data-folder file names (a workbook has a sheet for each).
PARTS = (
    "unit.yaml",
    "management.yaml",
    "budget.csv",
    "sangong.csv",
    "targets.csv",
    "self_scores.csv",
    "narrative.md",
)


def row_where(number: int) -> Where:
    """'第4行 列"本年支出" / row 4, column "本年支出"' for CSV files."""
    return lambda column: (
        f'第{number}行 列"{column}" / row {number}, column "{column}"'
        if column
        else f"第{number}行 / row {number}"
    )


def key_where(key: str) -> str:
    return f"键 / key {key}"


@dataclass
class RawUnit:
    """A unit's parts, each validated through the schema, with where each value came from."""

    parts: dict[str, object] = field(default_factory=dict)  # part name -> model or tuple of models
    rows: dict[str, tuple[Where, ...]] = field(default_factory=dict)  # table part -> where per row
    keys: dict[str, Callable[[str], str]] = field(
        default_factory=dict
    )  # mapping part -> where per key
    labels: dict[str, str] = field(
        default_factory=dict
    )  # part -> file (or workbook!sheet) for errors
    errors: list[SelfEvalError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # input files, for provenance hashes
    warnings: list[str] = field(default_factory=list)  # read but worth a look (ignored columns...)
    none: dict[str, tuple[NoneRow, ...]] = field(default_factory=dict)  # table part -> 无 rows


def header_problems(header: list[str], model: type, extra_ok: bool = False) -> list[str]:
    """Required columns present; unknown columns refused (or, for workbooks, let through)."""
    columns = [f.alias for f in model.model_fields.values()]
    required = [f.alias for f in model.model_fields.values() if f.is_required()]
    problems = [
        f'表头缺少列"{c}" / missing column "{c}"; 表头应为 / expected header: {",".join(columns)}'
        for c in required
        if c not in header
    ]
    if not extra_ok:
        problems += [
            f'表头有未知列"{excerpt(c)}" / unknown column "{excerpt(c)}"; 允许的列 / allowed: '
            f"{','.join(columns)}"
            for c in header
            if c not in columns
        ]
    return problems


@dataclass(frozen=True)
class NoneRow:
    """A table's 无 row: the unit states there is no line of `group` (a 类别 of targets.csv, a
    支出类型 of budget.csv; '' for the whole table, as sangong.csv's 项目 无). Not a line."""

    group: str
    where: Where


def take_none_rows(
    model: type, records: list[tuple[Where, dict]]
) -> tuple[list[tuple[Where, dict]], list[NoneRow], list[str]]:
    """Split off the 无 rows of a table whose model has NONE_ROW (group column, name column):
    the name cell 无, the group cell naming what there is none of, every other cell empty."""
    group_column, name_column = getattr(model, "NONE_ROW", (None, None))
    if name_column is None:
        return records, [], []
    lines, nones, problems = [], [], []
    for where, record in records:
        if not is_none_word(record.get(name_column)):
            lines.append((where, record))
            continue
        group = str(record.get(group_column, "")).strip() if group_column else ""
        allowed = (
            literal_choices(model.model_fields[_field(model, group_column)].annotation)
            if group_column
            else ()
        )
        if group_column and not allowed and not group:  # a free-text group (targets' 类别:
            # the framework declares them; unit.py checks the 无 row's against it)
            problems.append(
                f"{where(group_column)}: “无”行须写明没有哪一{group_column} / a 无 row names what "
                f"there is none of: {group_column} is empty"
            )
        elif group_column and allowed and group not in allowed:
            problems.append(
                f'{where(group_column)}: “无”行须写明没有哪一{group_column}，"{excerpt(group)}" 不是 '
                f"{'、'.join(allowed)} 之一 / a 无 row names what there is none of: "
                f"{group_column} must be one of {'、'.join(allowed)}"
            )
            continue
        filled = [
            c for c, v in record.items()
            if c not in (group_column, name_column) and v not in ("", None)
        ]  # fmt: skip
        problems += [
            f'{where(c)}: “无”行表示没有此类数据，其余单元格应留空，却填了"{excerpt(record[c])}" / a '
            f"无 row says there is none: leave its other cells empty"
            for c in filled
        ]
        nones.append(NoneRow(group, where))
    for none in nones:
        listed = [
            w for w, r in lines
            if not group_column or str(r.get(group_column, "")).strip() == none.group
        ]  # fmt: skip
        if listed:
            what = none.group or "数据"
            problems.append(
                f"{none.where('')}: 写了“无”（没有{what}），但 {listed[0]('')} 等行又列出了{what} / "
                f"says there is no {what}, yet other rows list some; delete the 无 row or those rows"
            )
    return lines, nones, problems


def _field(model: type, alias: str) -> str:
    return next(n for n, f in model.model_fields.items() if f.alias == alias)


def validate_records(
    model: type, records: list[tuple[Where, dict]], nones: list[NoneRow] | None = None
) -> tuple[tuple, tuple[Where, ...], list[str]]:
    """Each record (column alias -> value) through the model; empty optional cells are absent.
    Where `nones` is given, a table's 无 rows (take_none_rows) are collected there, not read
    as lines."""
    fields = {f.alias: f for f in model.model_fields.values()}
    out, wheres, problems = [], [], []
    if nones is not None:
        records, found, problems = take_none_rows(model, records)
        nones += found
    for where, record in records:
        record = {
            k: v
            for k, v in record.items()
            if k in fields and (v not in ("", None) or fields[k].is_required())
        }
        try:
            out.append(model.model_validate(record))
            wheres.append(where)
        except ValidationError as exc:
            for err in exc.errors():
                column = str(err["loc"][0]) if err["loc"] else ""
                problems.append(f"{where(column)}: {describe_pydantic_error({**err, 'loc': ()})}")
    return tuple(out), tuple(wheres), problems


def validate_mapping(
    model: type, raw: dict, where: Callable[[str], str]
) -> tuple[object | None, list[str]]:
    """A nested mapping (unit.yaml, management.yaml) through the model."""
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            what = describe_pydantic_error({**err, "loc": ()}, True, model, err["loc"])
            problems.append(f"{where(loc)}: {what}")
        return None, problems


def narrative_problems(sections: dict[str, str], where: Callable[[str], str]) -> list[str]:
    """Required sections present and not empty; only known sections or 指标:<名称> notes."""
    allowed = NARRATIVE_REQUIRED + NARRATIVE_OPTIONAL
    problems = [
        f'{where(title)}: 缺少章节 "{title}" 或内容为空 / missing or empty section "{title}"'
        for title in NARRATIVE_REQUIRED
        if not sections.get(title)
    ]
    problems += [
        f'{where(title)}: 未知章节 "{excerpt(title)}" / unknown section; 允许 / allowed: {"、".join(allowed)}、指标:<指标名称>'
        for title in sections
        if title not in allowed and not title.startswith("指标:")
    ]
    return problems


# A heading line as a clerk types it: '## 单位职能', '##单位职能', '##　指标：名称' (full-width
# space and colon), '＃＃ 存在问题' (full-width hashes), up to three spaces before it as Markdown
# allows. Group 1: the hashes; group 2: the title.
_HEADING = re.compile(r"^[ \u3000]{0,3}([#＃]+)(.*)$")
_SPACE = "[\\s\u3000]*"


def section_title(text: str) -> str:
    """A section title as the contract names it: spaces trimmed, a full-width colon read as ':'
    and spaces around it dropped ('指标 ：预算执行率' -> '指标:预算执行率'), a trailing colon
    dropped ('单位职能：' -> '单位职能')."""
    title = re.sub(f"{_SPACE}[:：]{_SPACE}", ":", text.strip(), count=1)  # \xa0 from Word too
    return title.rstrip(":：")


def section_heading(line: str) -> tuple[int, str] | None:
    """(number of '#', title) of a heading line of a unit's text, else None."""
    match = _HEADING.match(line)
    return (len(match[1]), section_title(match[2])) if match else None


def known_section(title: str) -> bool:
    return title in NARRATIVE_REQUIRED + NARRATIVE_OPTIONAL or title.startswith("指标:")


def percent_hint(where: str, key: str, value: object, rate: bool = False) -> str:
    """A rate fact (a key ending in _pct, or `rate`) typed as a fraction: 0.93 is read as 0.93 %,
    which is rarely meant. The same words for a workbook cell and a management.yaml key, so the
    hint stays after `selfeval import` has written the workbook as a data folder."""
    rate = rate or key.endswith("_pct")
    if not (rate and isinstance(value, Decimal) and 0 < value < 1):
        return ""
    points = format((value * 100).normalize(), "f")
    return (
        f"{where} {key_where(key)}: {value} 读作 {value}%，若指 {points}% 请填 {points} / read "
        f"as {value}%; for {points}% write {points}"
    )
