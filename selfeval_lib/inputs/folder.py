"""Read a unit from its data folder: unit.yaml, management.yaml, CSV tables, narrative.md."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml

from ..errors import DataError, excerpt
from ..fileio import read_yaml, write_atomic
from .contract import (
    PARTS,
    RawUnit,
    header_problems,
    key_where,
    known_section,
    narrative_problems,
    percent_hint,
    row_where,
    section_heading,
    validate_mapping,
    validate_records,
)
from .limits import limits, over_limit, readable_file
from .schema import FRAMEWORK_COLUMNS, NONE_WORD, OPTIONAL_TABLES, TABLES, Management, UnitFacts
from .textfile import decode, separator
from .workbook.layout import COLUMN_KINDS

MAPPINGS = {"unit.yaml": UnitFacts, "management.yaml": Management}
MAX_COLUMNS = 64  # columns a CSV header may have (the widest table of the contract has 11)
_PLAIN = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)


def read_text(path: Path) -> str:
    """Text of a data file: UTF-8, UTF-16 (with or without BOM) or GB18030 (textfile.py)."""
    found = decode(path.read_bytes())
    if found is None:
        raise DataError(
            str(path),
            [
                "无法识别的文字编码（可读 UTF-8、UTF-16、GBK/GB18030），请在 Excel/WPS 中另存为"
                "“CSV UTF-8（逗号分隔）”/ unknown text encoding (UTF-8, UTF-16 and GBK/GB18030 "
                'are read); in Excel or WPS save it as "CSV UTF-8 (comma delimited)"'
            ],
        )
    return found[0]


def _number_cell(kind: str, text: str) -> str:
    """A number cell as clerks type it, in a number column: full-width digits and point read as
    ASCII (１８７．３７ is 187.37); in a percent column (目标值, 实际值, 上年值, 增长率: see
    workbook/layout.py) "96%" is 96, as a workbook reads it. Anything else is left for the schema."""
    if kind not in ("amount", "figure", "figure_or_words", "number"):
        return text
    plain = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    if kind.startswith("figure") and plain.endswith("%"):
        plain = plain[:-1]
    return plain if _PLAIN.fullmatch(plain) else text


def read_table(path: Path, model: type) -> tuple:
    """Rows of one CSV as validated models; every bad cell of the file in one DataError."""
    models, _, problems = _table(path, model)
    if problems:
        raise DataError(str(path), problems)
    return models


def _table(path: Path, model: type, nones: list | None = None):
    if not path.is_file():
        return (), (), ["文件不存在 / file not found"]
    text = read_text(path)
    if "\x00" in text:
        return (
            (),
            (),
            ["含有空字符（NUL），不是文本表格 / contains NUL characters: not a text table"],
        )
    # old Mac (CR) and Windows (CRLF) line ends read like Unix ones
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # one cell may be as long as the file limit allows: a long cell is then refused by the
    # schema with its row, column and limit, not as "invalid CSV" (the module's 128 KB default)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=separator(text)))
    except csv.Error as exc:
        return (), (), [f"CSV 格式错误 / invalid CSV: {excerpt(exc, 80)}"]
    if len(rows) - 1 > limits().rows:
        return (), (), [over_limit("rows", len(rows) - 1)]
    if not rows:
        return (), (), ["文件为空，缺少表头行 / the file is empty; a header row is expected"]
    header = [h.strip() for h in rows[0]]
    if len(header) > MAX_COLUMNS:  # the contract's widest table has 11
        return (), (), [
            f"表头有 {len(header)} 列，超过 {MAX_COLUMNS} 列，不是数据合同中的表格 / the header has "
            f"{len(header)} columns, more than {MAX_COLUMNS}: not a table of the data contract"
        ]  # fmt: skip
    counts = Counter(h for h in header if h)
    twice = sorted(h for h, n in counts.items() if n > 1)
    if twice:
        return (
            (),
            (),
            [
                f'表头列"{excerpt(c)}"出现{counts[c]}次 / column "{excerpt(c)}" appears '
                f"{counts[c]} times in the header; keep one"
                for c in twice
            ],
        )
    problems = header_problems(header, model)
    if problems:
        return (), (), problems
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) > len(header):
            extra = len(row) - len(header)
            problems.append(
                f"第{number}行 / row {number}: 比表头多出 {extra} 个单元格（数字里的千分位逗号？"
                f"请去掉逗号，如 1589.88）/ has {extra} more cell(s) than the header "
                "(a thousands separator in a number? write 1589.88 without commas)"
            )
            continue
        cells = zip(header, row, strict=False)  # a short row: its missing cells are absent
        cells = {h: _number_cell(COLUMN_KINDS.get(h, ""), c.strip()) for h, c in cells}
        records.append((row_where(number), cells))
    models, wheres, bad = validate_records(model, records, nones)
    return models, wheres, problems + bad


def split_sections(text: str) -> tuple[dict[str, str], list[str]]:
    """Markdown split at '## ' headings, also typed '##标题', '##　指标：名称' (contract.py's
    section_heading); a '#' or '###' heading naming a section is refused, never read as text of
    the section before it."""
    sections: dict[str, list[str]] = {}
    current, problems = None, []
    for number, line in enumerate(text.splitlines(), start=1):
        heading = section_heading(line)
        if heading is not None and heading[0] == 2:
            current = heading[1]
            if current in sections:
                problems.append(
                    f'第{number}行 / line {number}: 重复的章节 "{excerpt(current)}" / duplicate section'
                )
            sections[current] = []
        elif heading is not None and known_section(heading[1]):
            problems.append(
                f'第{number}行 / line {number}: "{excerpt(line)}" 不是章节标题：章节以两个 # 开头 / '
                f'is not a section heading: a section starts with two #; write "## {excerpt(heading[1])}"'
            )
        elif current is not None:
            sections[current].append(line)
    sections = {k: "\n".join(v).strip() for k, v in sections.items()}
    problems += [
        f'"## {excerpt(title)}": {over_limit("section_chars", len(text))}'
        for title, text in sections.items()
        if len(text) > limits().section_chars
    ]
    return sections, problems


def _read_part(path: Path, name: str, folder: Path, nones: list):
    """One file of a data folder: (validated value or None, where per row, problems)."""
    if not path.exists() and not path.is_symlink():
        workbook = [p.name for p in path.parent.glob(f"{path.stem}.xls*")]
        hint = (
            f"; 找到 {workbook[0]}，请另存为 CSV UTF-8 / found {workbook[0]}: save it as CSV UTF-8"
            if workbook and path.suffix == ".csv"
            else ""
        )
        return None, (), [f"文件不存在 / file not found{hint}"]
    refused = readable_file(path, folder)
    if refused:
        return None, (), [refused]
    if name in MAPPINGS:
        try:
            content = read_yaml(path, ValueError)
        except ValueError as exc:  # the message starts with the path, which DataError adds again
            return None, (), [str(exc).removeprefix(str(path)).lstrip(": ")]
        value, problems = validate_mapping(MAPPINGS[name], content, key_where)
        return value, (), problems
    if name in TABLES:
        models, wheres, problems = _table(path, TABLES[name], nones)
        return (None if problems else models), wheres, problems
    if name in OPTIONAL_TABLES:
        models, wheres, problems = _table(path, OPTIONAL_TABLES[name])
        return (None if problems else models), wheres, problems
    text = read_text(path)
    sections, problems = split_sections(text)
    lines = {  # the line of each section's heading, for messages
        h[1]: n
        for n, line in enumerate(text.splitlines(), start=1)
        if (h := section_heading(line)) is not None and h[0] == 2
    }
    problems += narrative_problems(
        sections,
        lambda t: f"第{lines[t]}行 / line {lines[t]} ## {excerpt(t)}" if t in lines else f"## {t}",
    )
    return (None if problems else sections), (), problems


def read_folder(data_dir: Path) -> RawUnit:
    """Every part of a data folder, validated; problems collected per file, nothing raised."""
    raw = RawUnit()
    given = [n for n in OPTIONAL_TABLES if (data_dir / n).exists() or (data_dir / n).is_symlink()]
    for name in (*PARTS, *given):
        path = data_dir / name
        raw.labels[name], raw.keys[name] = str(path), key_where
        raw.files.append(path)
        nones: list = []
        try:
            value, wheres, problems = _read_part(path, name, data_dir, nones)
        except DataError as exc:  # unreadable text
            raw.errors.append(exc)
            continue
        if problems:
            raw.errors.append(DataError(str(path), problems))
        if value is not None:
            raw.parts[name], raw.rows[name] = value, wheres
            raw.none[name] = tuple(nones)
    management = raw.parts.get("management.yaml")
    for key, value in management.facts.items() if management is not None else ():
        if hint := percent_hint("management.yaml", f"facts.{key}", value):
            raw.warnings.append(hint)
    return raw


# --- writing a data folder (selfeval import, selfeval synth) ------------------------------------


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


def yaml_text(data: dict, comment: str) -> str:
    body = yaml.dump(_plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"# {comment}\n{body}"


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(value)  # 示例数据
    return format(value, "f") if isinstance(value, Decimal) else value  # amounts as typed


def _csv(rows: tuple, model: type, nones: tuple = ()) -> str:
    """A table with the schema's columns, as folder.py reads it (FRAMEWORK_COLUMNS only where a
    row gives one); its 无 rows last."""
    cells = [{k: _csv_cell(v) for k, v in row.model_dump(by_alias=True).items()} for row in rows]
    columns = [
        f.alias
        for f in model.model_fields.values()
        if f.alias not in FRAMEWORK_COLUMNS or any(c[f.alias] != "" for c in cells)
    ]
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(columns)
    out.writerows([c[k] for k in columns] for c in cells)
    group_column, name_column = getattr(model, "NONE_ROW", (None, None))
    out.writerows(
        [{group_column: n.group, name_column: NONE_WORD}.get(c, "") for c in columns] for n in nones
    )
    return buf.getvalue()


def _markdown(sections: dict[str, str]) -> str:
    return "".join(
        f"## {t}\n\n{text}\n\n" if text else f"## {t}\n\n" for t, text in sections.items()
    )


def write_folder(data_dir: Path, parts: dict, note: str, nones: dict | None = None) -> None:
    """Write validated parts (and the tables' 无 rows) as a data folder that read_folder reads
    back to the same values."""
    data_dir.mkdir(parents=True, exist_ok=True)
    nones = nones or {}
    files = {
        "unit.yaml": yaml_text(parts["unit.yaml"].model_dump(exclude_none=True), note),
        "management.yaml": yaml_text(parts["management.yaml"].model_dump(), note),
        **{name: _csv(parts[name], model, nones.get(name, ())) for name, model in TABLES.items()},
        "narrative.md": f"<!-- {note} -->\n\n" + _markdown(parts["narrative.md"]),
    }
    for name, text in files.items():
        write_atomic(data_dir / name, text)
