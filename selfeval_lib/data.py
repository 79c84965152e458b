"""Load one unit-year's data folder through the data contract, collecting every problem."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from .errors import DataError, ParamsError, SelfEvalError, ValidationErrors
from .framework import Framework, framework_path, load_framework
from .params import Params, describe_pydantic_error, load_params, read_yaml
from .schema import (
    NARRATIVE_OPTIONAL,
    NARRATIVE_REQUIRED,
    TABLES,
    BudgetLine,
    Management,
    SanGongLine,
    SelfScore,
    Target,
    UnitFacts,
)

ENCODINGS = ("utf-8-sig", "gb18030")  # Excel on Chinese Windows saves CSV as GB18030


@dataclass(frozen=True)
class UnitData:
    """Everything one unit-year provides, validated. Immutable."""

    params: Params
    framework: Framework
    facts: UnitFacts
    management: Management
    budget: tuple[BudgetLine, ...]
    sangong: tuple[SanGongLine, ...]
    targets: tuple[Target, ...]
    self_scores: tuple[SelfScore, ...]
    narrative: dict[str, str]  # section title -> Markdown text
    input_hashes: tuple[tuple[str, str], ...]  # (file, sha256), files as given, sorted

    def is_illustrative(self, key: str) -> bool:
        return key in self.facts.illustrative

    def indicator_note(self, indicator_id: str) -> str:
        ind = self.framework.find(indicator_id)
        return self.narrative.get(f"指标:{ind.name}", "") if ind else ""


def read_text(path: Path) -> str:
    """Text of a data file as UTF-8 (with or without BOM) or GB18030."""
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(
        str(path), ["无法识别的文字编码,请另存为 UTF-8 / unknown text encoding; save as UTF-8"]
    )


def read_table(path: Path, model: type) -> tuple:
    """Rows of one CSV as validated models; every bad cell of the file in one DataError."""
    if not path.is_file():
        raise DataError(str(path), ["文件不存在 / file not found"])
    rows = list(csv.reader(io.StringIO(read_text(path))))
    if not rows:
        raise DataError(
            str(path), ["文件为空,缺少表头行 / the file is empty; a header row is expected"]
        )
    header = [h.strip() for h in rows[0]]
    fields = model.model_fields
    columns = [f.alias for f in fields.values()]
    required = [f.alias for f in fields.values() if f.is_required()]
    problems = [
        f'表头缺少列"{c}" / missing column "{c}"; 表头应为 / expected header: {",".join(columns)}'
        for c in required
        if c not in header
    ]
    problems += [
        f'表头有未知列"{c}" / unknown column "{c}"; 允许的列 / allowed: {",".join(columns)}'
        for c in header
        if c not in columns
    ]
    if problems:
        raise DataError(str(path), problems)
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) > len(header):
            problems.append(
                f"第{number}行 / row {number}: 比表头多出 {len(row) - len(header)} 个单元格(数字里的千分位逗号?"
                f"请去掉逗号,如 1589.88) / has {len(row) - len(header)} more cell(s) than the header "
                "(a thousands separator in a number? write 1589.88 without commas)"
            )
            continue
        record = {h: cell.strip() for h, cell in zip(header, row, strict=False)}
        record = {
            k: v for k, v in record.items() if v != "" or fields_by_alias(model)[k].is_required()
        }
        try:
            out.append(model.model_validate(record))
        except ValidationError as exc:
            for err in exc.errors():
                column = err["loc"][0] if err["loc"] else ""
                text = describe_pydantic_error({**err, "loc": ()})
                problems.append(
                    f'第{number}行 列"{column}" / row {number}, column "{column}": {text}'
                )
    if problems:
        raise DataError(str(path), problems)
    return tuple(out)


def fields_by_alias(model: type) -> dict:
    return {f.alias: f for f in model.model_fields.values()}


def read_model(path: Path, model: type):
    """One YAML file as a validated model; every bad key of the file in one DataError."""
    raw = read_yaml(path, lambda msg: DataError(str(path), [msg.split(": ", 1)[-1]]))
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(
            str(path), [f"键 / key {describe_pydantic_error(e)}" for e in exc.errors()]
        ) from None


def read_narrative(path: Path) -> dict[str, str]:
    """narrative.md split at '## ' headings; required sections present, unknown ones refused."""
    if not path.is_file():
        raise DataError(str(path), ["文件不存在 / file not found"])
    sections: dict[str, list[str]] = {}
    current = None
    problems = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if line.startswith("## "):
            current = line[3:].strip().replace("：", ":")
            if current in sections:
                problems.append(
                    f'第{number}行 / line {number}: 重复的章节 "{current}" / duplicate section'
                )
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    text = {k: "\n".join(v).strip() for k, v in sections.items()}
    allowed = NARRATIVE_REQUIRED + NARRATIVE_OPTIONAL
    for title in NARRATIVE_REQUIRED:
        if not text.get(title):
            problems.append(
                f'缺少章节 "## {title}" 或内容为空 / missing or empty section "## {title}"'
            )
    for title in text:
        if title not in allowed and not title.startswith("指标:"):
            problems.append(
                f'未知章节 "## {title}" / unknown section; 允许 / allowed: {"、".join(allowed)}、指标:<指标名称>'
            )
    if problems:
        raise DataError(str(path), problems)
    return text


def check_against_framework(
    data_dir: Path, framework: Framework, loaded: dict
) -> list[SelfEvalError]:
    """Problems only visible with the framework in hand, checked in every file that did load:
    unknown indicators, scores over their weight, facts the framework needs."""
    errors: list[SelfEvalError] = []
    checks = {
        "self_scores.csv": _check_self_scores,
        "management.yaml": _check_facts,
        "narrative.md": _check_indicator_notes,
    }
    for name, check in checks.items():
        if name in loaded:
            problems = check(framework, loaded[name])
            if problems:
                errors.append(DataError(str(data_dir / name), problems))
    return errors


def _check_self_scores(framework: Framework, self_scores: tuple[SelfScore, ...]) -> list[str]:
    problems = []
    names = "、".join(i.name for i in framework.indicators)
    seen = set()
    for number, s in enumerate(self_scores, start=2):
        ind = framework.find(s.indicator)
        if ind is None:
            problems.append(
                f'第{number}行 列"指标" / row {number}, column "指标": "{s.indicator}" 不是框架 '
                f"{framework.id} 的指标 / is not an indicator of framework {framework.id}; "
                f"可用 / allowed: {names}"
            )
            continue
        if ind.id in seen:
            problems.append(f'第{number}行 / row {number}: 指标"{ind.name}"重复自评 / scored twice')
        seen.add(ind.id)
        if not Decimal(0) <= s.score <= ind.weight:
            problems.append(
                f'第{number}行 列"自评得分" / row {number}, column "自评得分": {s.score} 超出 '
                f'0–{ind.weight} 分(指标"{ind.name}"分值 {ind.weight}) / is outside '
                f"0–{ind.weight}, the weight of this indicator"
            )
    problems += [
        f'缺少人工评分指标"{i.name}"的自评得分和理由 / indicator "{i.id}" is scored by hand: add a row'
        for i in framework.indicators
        if i.rule.kind == "manual" and i.id not in seen
    ]
    return problems


def _check_facts(framework: Framework, management: Management) -> list[str]:
    facts, problems = management.facts, []
    for key, (ind, item) in framework.fact_keys().items():
        if key not in facts:
            kind = "是/否 (true/false)" if item.expect is not None else "数字 / a number"
            problems.append(
                f'键 / key facts.{key}: 缺少此项 / missing; 指标"{ind.name}"需要"{item.label}",'
                f"应填 {kind}"
            )
        elif item.expect is not None and not isinstance(facts[key], bool):
            problems.append(
                f'键 / key facts.{key}: "{facts[key]}" 应为 是/否 / expected true or false'
            )
        elif item.expect is None and isinstance(facts[key], bool):
            problems.append(f'键 / key facts.{key}: "{facts[key]}" 应为数字 / expected a number')
    return problems


def _check_indicator_notes(framework: Framework, narrative: dict[str, str]) -> list[str]:
    return [
        f'章节 "## {t}": "{t[3:]}" 不是框架 {framework.id} 的指标 / is not an indicator of the framework'
        for t in narrative
        if t.startswith("指标:") and framework.find(t[3:]) is None
    ]


def hash_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_unit(params: Params | str | Path) -> UnitData:
    """Validate every file of a unit-year; raise ValidationErrors listing all bad files at once."""
    if not isinstance(params, Params):
        params = load_params(params)
    errors: list[SelfEvalError] = []
    framework = None
    try:
        framework = load_framework(params.framework, params.path.parent)
    except SelfEvalError as exc:
        errors.append(exc)
    data_dir = params.data_dir
    if not data_dir.is_dir():
        raise ValidationErrors(
            [
                ParamsError(
                    f"{params.path}: 键 / key data: 数据目录 {data_dir} 不存在 / data folder not found"
                )
            ]
        )
    loaded: dict[str, object] = {}
    readers = {
        "unit.yaml": lambda p: read_model(p, UnitFacts),
        "management.yaml": lambda p: read_model(p, Management),
        "narrative.md": read_narrative,
        **{name: (lambda p, m=model: read_table(p, m)) for name, model in TABLES.items()},
    }
    for name, reader in readers.items():
        try:
            loaded[name] = reader(data_dir / name)
        except SelfEvalError as exc:
            errors.append(exc)
    if framework is not None:
        errors += check_against_framework(data_dir, framework, loaded)
    if errors:
        raise ValidationErrors(errors)
    files = [
        params.path,
        *(data_dir / n for n in readers),
        framework_path(params.framework, params.path.parent),
    ]
    root = params.path.parent.parent
    hashes = tuple(sorted((_display_path(f, root), hash_file(f)) for f in files))
    return UnitData(
        params=params,
        framework=framework,
        facts=loaded["unit.yaml"],
        management=loaded["management.yaml"],
        budget=loaded["budget.csv"],
        sangong=loaded["sangong.csv"],
        targets=loaded["targets.csv"],
        self_scores=loaded["self_scores.csv"],
        narrative=loaded["narrative.md"],
        input_hashes=hashes,
    )


def _display_path(path: Path, root: Path) -> str:
    """Paths relative to the project (params/.., data/..) so provenance is the same on every machine."""
    path = path.resolve()
    for base in (root.resolve(), Path(__file__).resolve().parent.parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name
