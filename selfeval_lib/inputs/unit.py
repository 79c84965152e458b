"""Load one unit-year (data folder or workbook) through the data contract, checked against its framework."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import (
    WRITE_NOT_STATED,
    DataError,
    ParamsError,
    SelfEvalError,
    ValidationErrors,
    did_you_mean,
)
from ..fileio import PACKAGE_DIR
from ..frameworks.model import Framework, framework_path, load_framework
from ..values import NOT_STATED, NOT_STATED_WORD, Fig, fig, is_not_stated_text
from .contract import NoneRow, RawUnit, Where
from .duplicates import duplicate_problems
from .folder import read_folder
from .limits import limits, over_limit
from .params import Params, load_params
from .places import cell_ranges
from .schema import (
    BudgetLine,
    Management,
    ReviewScore,
    SanGongLine,
    SelfScore,
    Target,
    UnitFacts,
    literal_choices,
)
from .years import connect_years, find_previous

TABLE_ATTRS = {"budget.csv": "budget", "sangong.csv": "sangong", "targets.csv": "targets"}
_MODELS = {"budget.csv": BudgetLine, "sangong.csv": SanGongLine, "targets.csv": Target}


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
    review_scores: tuple[ReviewScore, ...] = ()  # review_scores.csv, where the folder has it
    input_warnings: tuple[str, ...] = ()  # read, but worth a look (a workbook's ignored columns...)
    sources: dict[str, str] = field(default_factory=dict)  # part -> its file (or workbook!sheet)
    locations: dict[str, tuple[Where, ...]] = field(default_factory=dict)  # table -> where per row
    keys: dict[str, Callable[[str], str]] = field(default_factory=dict)  # mapping -> where per key
    none_rows: dict[str, tuple[NoneRow, ...]] = field(default_factory=dict)  # table -> its 无 rows
    previous: UnitData | None = None  # last year's data of the same unit, where on file (years.py)
    taken: tuple[str, ...] = ()  # 上年 figures taken from last year's data: "this ← that"

    def none_row(self, part: str, group: str = "") -> NoneRow | None:
        """The 无 row by which a table states there is no line of `group` ('' : the table)."""
        return next((n for n in self.none_rows.get(part, ()) if n.group == group), None)

    def locate(self, part: str, row: int | None = None, column: str = "", key: str = "") -> str:
        """Where a figure came from, for warnings: 'budget.csv 第4行 列"本年支出" / row 4, ...',
        'unit.yaml'; a workbook gives its file, sheet and cell: '前山镇.xlsx 收支情况!F4 列"本年支出"
        / ...', and for a key its 内容 cell: '前山镇.xlsx 基本情况!B20' (a data folder: 'unit.yaml')."""
        file, _, sheet = Path(self.sources.get(part, part)).name.partition("!")
        wheres = self.locations.get(part, ())
        if row is not None and row < len(wheres):
            return f"{file} {wheres[row](column)}"
        return f"{file} {self._key_cell(part, key) or sheet}".rstrip()

    def locate_lines(self, part: str, rows: list[int], column: str) -> str:
        """Where a column's lines are, for a warning about their sum: the data file ('budget.csv'),
        or the workbook's cells ('前山镇.xlsx 收支情况!F3:F9、F12')."""
        file, _, sheet = Path(self.sources.get(part, part)).name.partition("!")
        wheres = self.locations.get(part, ())
        cells = [wheres[n](column).partition(" ")[0] for n in rows if n < len(wheres)]
        return f"{file} {cell_ranges(cells) or sheet}" if sheet else file

    def _key_cell(self, part: str, key: str) -> str:
        """The workbook cell of a key ('基本情况!B20'); '' in a data folder."""
        where = self.keys.get(part, lambda k: "")(key) if key else ""
        return where.split(" 键 / key ")[0] if " 键 / key " in where else ""

    def place(self, part: str, row: int | None = None, column: str = "", key: str = "") -> str:
        """Where a value is, compactly, for the 未填报 list and scores.json: 'budget.csv: 第2行
        列"年初预算"', 'unit.yaml: staffing.retired', '前山镇.xlsx: 基本情况!C20 staffing.retired'."""
        label = Path(self.sources.get(part, part)).name.split("!")[0]  # a workbook: its file
        if key:
            cell = self._key_cell(part, key)
            return f"{label}: {cell + ' ' if cell else ''}{key}"
        wheres = self.locations.get(part, ())
        if row is not None and row < len(wheres):
            return f"{label}: {wheres[row](column).split(' / ')[0]}"
        return f"{label}: {column}"  # every caller names the column (or the missing row)

    def cell(self, part: str, row: int, column: str) -> Fig:
        """One table cell (by its column name) as a figure, with its ※ mark and its place."""
        line = getattr(self, TABLE_ATTRS[part])[row]
        name = next(n for n, f in type(line).model_fields.items() if f.alias == column)
        value = getattr(line, name)
        return fig(value, column in line.illustrative, where=self.place(part, row, column))

    def key(self, dotted: str) -> Fig:
        """A figure of unit.yaml by its key (staffing.retired, totals.basic), with mark and place."""
        value: object = self.facts
        for part in dotted.split("."):
            value = getattr(value, part)
        place = self.place("unit.yaml", key=dotted)
        return fig(value, dotted in self.facts.illustrative, where=place)

    def not_stated(self) -> tuple[str, ...]:
        """Every value the unit wrote 未填报, by file and field (or sheet!cell), in file order."""
        found = [self.place("unit.yaml", key=k) for k in _keys_not_stated(self.facts.model_dump())]
        found += [
            self.place("management.yaml", key=k)
            for k in _keys_not_stated(self.management.model_dump())
        ]
        for part, attr in TABLE_ATTRS.items():
            for row, line in enumerate(getattr(self, attr)):
                for column, value in line.model_dump(by_alias=True).items():
                    if value == NOT_STATED_WORD:
                        found.append(self.place(part, row, column))
            found += [self.left_out_place(part, group) for group in self.groups_left_out(part)]
        file, _, sheet = Path(self.sources.get("narrative.md", "narrative.md")).name.partition("!")
        found += [
            f"{file}: {sheet + ' ' if sheet else ''}## {title}"  # a workbook: its 文字材料 sheet
            for title, text in self.narrative.items()
            if is_not_stated_text(text)
        ]
        return tuple(found)

    def groups_left_out(self, part: str) -> tuple[str, ...]:
        """What a table leaves out, with neither a line nor a 无 row: the 类别 of targets.csv,
        the 支出类型 of budget.csv, the 项目 of sangong.csv ('' where it has no row at all)."""
        if part == "sangong.csv":
            if self.none_row(part) is not None:
                return ()
            if not self.sangong:
                return ("",)
        field = {"targets.csv": "category", "budget.csv": "kind", "sangong.csv": "item"}[part]
        lines = getattr(self, TABLE_ATTRS[part])
        groups = (
            tuple(c.name for c in self.framework.target_categories)  # the framework declares them
            if part == "targets.csv"
            else literal_choices(_MODELS[part].model_fields[field].annotation)
        )
        listed = {getattr(line, field) for line in lines}
        return tuple(g for g in groups if g not in listed and self.none_row(part, g) is None)

    def left_out_place(self, part: str, group: str) -> str:
        """Where a group the table leaves out would be: its missing 无 row ('' the whole table)."""
        return self.place(part, column=f"无“{group}”行" if group else "无数据行")

    def indicator_note(self, indicator_id: str) -> str:
        ind = self.framework.find(indicator_id)
        return self.narrative.get(f"指标:{ind.name}", "") if ind else ""


def _keys_not_stated(value: object, prefix: str = "") -> list[str]:
    """Dotted keys of a dumped model whose value is 未填报 (lists by index)."""
    if value == NOT_STATED_WORD:
        return [prefix]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return []
    return [
        k
        for key, v in items
        for k in _keys_not_stated(v, f"{prefix}.{key}" if prefix else str(key))
    ]


def check_parts(raw: RawUnit) -> list[SelfEvalError]:
    """Rules across rows that a row-by-row schema cannot state."""
    errors: list[SelfEvalError] = []
    if raw.parts.get("budget.csv") == ():
        errors.append(
            DataError(
                raw.labels["budget.csv"],
                [
                    "没有数据行：至少应有一行支出 / no data rows: at least one spending line is expected"
                ],
            )
        )
    targets = raw.parts.get("targets.csv", ())
    if len(targets) > limits().targets:
        errors.append(DataError(raw.labels["targets.csv"], [over_limit("targets", len(targets))]))
    return errors + duplicate_problems(raw)


def check_year(params: Params, raw: RawUnit) -> list[SelfEvalError]:
    """The params file's year, the data's own year and the data folder's year agree."""
    problems = []
    facts = raw.parts.get("unit.yaml")
    if facts is not None and facts.year is not None and facts.year != params.year:
        problems.append(
            f"{raw.labels['unit.yaml']}: 键 / key year: 数据年度 {facts.year} 与 params 年度 "
            f"{params.year} 不一致 / the data is for {facts.year}, the params file says {params.year}"
        )
    for part in params.data_dir.parts:
        if re.fullmatch(r"(19|20|21)\d\d", part) and int(part) != params.year:
            problems.append(
                f"{params.path}: 键 / key data: 数据目录 {params.data} 属于 {part} 年度，params 年度为 "
                f"{params.year} / the data folder is under {part}, the params file says {params.year}"
            )
    return [ParamsError("\n".join(problems))] if problems else []


def check_scope(framework: Framework, params: Params, raw: RawUnit) -> list[SelfEvalError]:
    """A framework that refuses units outside its years or unit kinds refuses them here."""
    facts = raw.parts.get("unit.yaml")
    if framework.applies_to.outside != "refuse" or facts is None:
        return []
    why = framework.outside(params.year, facts.identity.unit_kind)
    if not why:
        return []
    return [
        ParamsError(
            f"{params.path}: {why}；评分表 {framework.id} 不适用于本单位 / framework {framework.id} "
            "does not apply to this unit (its applies_to refuses units outside its years or unit "
            "kinds); choose another framework in the params file"
        )
    ]


def check_against_framework(framework: Framework, raw: RawUnit) -> list[SelfEvalError]:
    """Problems only visible with the framework in hand, checked in every part that did load:
    unknown indicators, scores over their weight, facts the framework needs."""
    errors: list[SelfEvalError] = []
    checks = {
        "self_scores.csv": lambda v: _check_self_scores(framework, v, raw.rows["self_scores.csv"]),
        "management.yaml": lambda v: _check_facts(framework, v, raw.keys["management.yaml"]),
        "narrative.md": lambda v: _check_indicator_notes(framework, v),
        "targets.csv": lambda v: (
            _check_targets(framework, v, raw.rows["targets.csv"])
            + _check_none_categories(framework, raw.none["targets.csv"])
        ),
        "review_scores.csv": lambda v: check_review_scores(
            framework, v, raw.rows["review_scores.csv"]
        ),
    }
    for name, check in checks.items():
        if name in raw.parts:
            problems = check(raw.parts[name])
            if problems:
                errors.append(DataError(raw.labels[name], problems))
    return errors


def _check_self_scores(
    framework: Framework, self_scores: tuple[SelfScore, ...], wheres: tuple[Where, ...]
) -> list[str]:
    problems = []
    names = "、".join(i.name for i in framework.indicators)
    seen = set()
    for where, s in zip(wheres, self_scores, strict=True):
        ind = framework.find(s.indicator)
        if ind is None:
            problems.append(
                f'{where("指标")}: "{s.indicator}" 不是框架 '
                f"{framework.id} 的指标 / is not an indicator of framework {framework.id}; "
                f"可用 / allowed: {names}"
            )
            continue
        if ind.id in seen:
            problems.append(f'{where("")}: 指标"{ind.name}"重复自评 / scored twice')
        seen.add(ind.id)
        if not Decimal(0) <= s.score <= ind.weight:
            problems.append(
                f"{where('自评得分')}: {s.score} 超出 "
                f'0–{ind.weight} 分（指标"{ind.name}"分值 {ind.weight}）/ is outside '
                f"0–{ind.weight}, the weight of this indicator"
            )
    problems += [
        f'缺少人工评分指标"{i.name}"的自评得分和理由 / indicator "{i.id}" is scored by hand: add a row'
        for i in framework.indicators
        if i.rule.kind == "manual" and not i.reviewed and i.id not in seen
    ]
    return problems


def check_review_scores(
    framework: Framework, reviews: tuple[ReviewScore, ...], wheres: tuple[Where, ...]
) -> list[str]:
    """Each row names an evaluator-scored indicator (and, for a checklist, one of its
    evaluator-scored items) once, with a score from 0 to its points."""
    problems, seen = [], set()
    reviewed = [i for i in framework.indicators if i.reviewed]
    names = "、".join(i.name for i in reviewed) or "（无 / none）"
    for where, r in zip(wheres, reviews, strict=True):
        ind = framework.find(r.indicator)
        if ind is None or not ind.reviewed:
            problems.append(
                f'{where("指标")}: "{r.indicator}" 不是框架 {framework.id} 中由评审评分的指标 / is '
                f"not an indicator of framework {framework.id} that the evaluator scores; "
                f"可用 / allowed: {names}{did_you_mean(r.indicator, [i.name for i in reviewed])}"
            )
            continue
        items = [i for i in getattr(ind.rule, "items", ()) if i.by_evaluator]
        labels = [i.label for i in items]
        item = next((i for i in items if i.label == r.item), None)
        if items and item is None:
            problems.append(
                f'{where("项目")}: "{r.item}" 不是指标"{ind.name}"中由评审评分的检查项 / is not an '
                f"evaluator-scored item of indicator {ind.id}; 可用 / allowed: {'、'.join(labels)}"
                f"{did_you_mean(r.item, labels)}"
            )
            continue
        if not items and r.item:
            problems.append(
                f'{where("项目")}: "{r.item}" 指标"{ind.name}"整体由评审评分，项目应留空 / '
                f"indicator {ind.id} is scored as a whole: leave 项目 empty"
            )
            continue
        top = item.points if item else ind.weight
        if (ind.id, r.item) in seen:
            problems.append(f'{where("")}: 指标"{ind.name}"{r.item}重复评审 / scored twice')
        seen.add((ind.id, r.item))
        if not Decimal(0) <= r.score <= top:
            what = f'检查项"{item.label}"分值' if item else f'指标"{ind.name}"分值'
            problems.append(
                f"{where('评审得分')}: {r.score} 超出 0–{top} 分（{what} {top}）/ is outside "
                f"0–{top}, the points of this {'item' if item else 'indicator'}"
            )
    return problems


def _check_facts(
    framework: Framework, management: Management, where: Callable[[str], str]
) -> list[str]:
    facts, problems = management.facts, []
    for key, (ind, item) in framework.fact_keys().items():
        if key not in facts:
            kind = "是/否 (true/false)" if item.expect is not None else "数字 / a number"
            problems.append(
                f'{where("facts." + key)}: 缺少此项 / missing; 指标"{ind.name}"需要"{item.label}",'
                f"应填 {kind}; {WRITE_NOT_STATED}"
            )
        elif facts[key] is NOT_STATED:
            continue
        elif item.expect is not None and not isinstance(facts[key], bool):
            problems.append(
                f'{where("facts." + key)}: "{facts[key]}" 应为 是/否 / expected true or false'
            )
        elif item.expect is None and isinstance(facts[key], bool):
            problems.append(
                f"{where('facts.' + key)}: 应为数字，不是 是/否 或 有/无（没有则填 0）/ expected "
                f'a number, not yes or no (write 0 for none); 指标"{ind.name}"需要"{item.label}"'
            )
    return problems


def _unknown_category(framework: Framework, where: Where, category: str) -> str:
    """The message for a 类别 the framework does not declare (a target's or a 无 row's)."""
    categories = [c.name for c in framework.target_categories]
    return (
        f'{where("类别")}: "{category}" 不是评分表 {framework.id} 的目标类别 / is not a '
        f"target category of framework {framework.id}; 允许 / allowed: "
        f"{'、'.join(categories)}{did_you_mean(category, categories)}"
    )


def _check_none_categories(framework: Framework, nones: tuple) -> list[str]:
    """A 无 row of targets.csv names a category the framework declares."""
    return [
        _unknown_category(framework, n.where, n.group)
        for n in nones
        if framework.category(n.group) is None
    ]


def _check_targets(
    framework: Framework, targets: tuple[Target, ...], wheres: tuple[Where, ...]
) -> list[str]:
    """Each target's 类别, 二级指标 and 完成程度 are ones the framework declares; where an indicator
    scores each target by its 分值, the 分值 are given and add up to the indicator's weight."""
    problems = []
    levels = [c.level for c in framework.completion_levels]
    for where, t in zip(wheres, targets, strict=True):
        declared = framework.category(t.category)
        if declared is None:
            problems.append(_unknown_category(framework, where, t.category))
        elif (
            t.level2 is not NOT_STATED
            and declared.level2
            and t.level2 not in ("", *declared.level2)
        ):
            allowed = list(declared.level2)
            problems.append(
                f'{where("二级指标")}: "{t.level2}" 不是类别“{t.category}”的二级指标 / is not a 二级 '
                f"of {t.category} in framework {framework.id}; 允许 / allowed: "
                f"{'、'.join(allowed)}{did_you_mean(t.level2, allowed)}"
            )
        if t.level is not NOT_STATED and t.level and t.level not in levels:
            allowed = "、".join(levels) or "（评分表未声明 completion_levels / none declared)"
            problems.append(
                f'{where("完成程度")}: "{t.level}" 不是评分表 {framework.id} 的完成程度 / is not a '
                f"completion level of the framework; 允许 / allowed: {allowed}"
                f"{did_you_mean(t.level, levels)}"
            )
        if t.qualitative and not levels:
            problems.append(
                f"{where('方向')}: 定性指标需按完成程度评分，评分表 {framework.id} 未声明 "
                f"completion_levels / a qualitative target is scored by its 完成程度, and "
                f"framework {framework.id} declares no completion_levels"
            )
    for ind in framework.indicators:
        rule = ind.rule
        if rule.kind != "target_completion" or rule.scoring != "points":
            continue
        rows = [
            (where, t)
            for where, t in zip(wheres, targets, strict=True)
            if rule.takes(t.category, t.level2)
        ]
        problems += [
            f'{where("分值")}: 缺少分值 / missing; 指标"{ind.name}"按各{rule.shown_category}指标的'
            f"分值计分，每项应填分值 / indicator {ind.id} scores each of its targets by its 分值; "
            f"{WRITE_NOT_STATED}"
            for where, t in rows
            if t.points is None
        ]
        given = [t.points for _, t in rows]
        if rows and all(p is not None and p is not NOT_STATED for p in given):
            total = sum(given, Decimal(0))
            if total != ind.weight:
                parts = " + ".join(f"{t.name} {t.points}" for _, t in rows)
                problems.append(
                    f'列"分值": 指标"{ind.name}"（{ind.id}）的{rule.shown_category}指标分值合计 '
                    f"{total}，应等于其分值 {ind.weight}（{parts}）/ the 分值 of the targets of "
                    f"indicator {ind.id} add up to {total}, not its weight {ind.weight}"
                )
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
    """Validate every file of a unit-year; raise ValidationErrors listing all bad files at once.
    Where last year's data of the same unit is on file (years.py), it is read too: it fills and
    checks this year's 上年 figures, and is kept as `previous`."""
    if not isinstance(params, Params):
        params = load_params(params)
    unit = _read_unit(params)
    try:
        last = find_previous(params, unit.facts.identity.unit_code)
    except SelfEvalError as exc:
        raise ValidationErrors([exc]) from None
    if last is None:
        return unit
    try:
        last_unit = _read_unit(last)
    except ValidationErrors as exc:
        raise ValidationErrors(
            [
                ParamsError(
                    f"{params.path}: 上年数据 {last.data_dir} 有误 / last year's data has problems "
                    f"(fix them, or set previous: in the params file):\n{exc}"
                )
            ]
        ) from None
    return connect_years(unit, last_unit, params.path.parent.parent)


def _read_unit(params: Params) -> UnitData:
    """One unit-year's own files, validated."""
    errors: list[SelfEvalError] = []
    framework = None
    try:
        framework = load_framework(params.framework, params.path.parent)
    except SelfEvalError as exc:
        errors.append(exc)
    source = params.data_dir
    if source.suffix.lower() == ".xlsx":
        if not source.is_file():
            raise ValidationErrors(
                [
                    ParamsError(
                        f"{params.path}: 键 / key data: 工作簿 {source} 不存在 / workbook not found"
                    )
                ]
            )
        from .workbook.read import read_workbook  # openpyxl is loaded only when needed

        raw = read_workbook(source)
    else:
        if not source.is_dir():
            raise ValidationErrors(
                [
                    ParamsError(
                        f"{params.path}: 键 / key data: 数据目录 {source} 不存在 / data folder not found"
                    )
                ]
            )
        raw = read_folder(source)
    errors += raw.errors + check_parts(raw) + check_year(params, raw)
    if framework is not None:
        errors += check_against_framework(framework, raw) + check_scope(framework, params, raw)
    if errors:
        raise ValidationErrors(errors)
    files = [
        params.path,
        *dict.fromkeys(raw.files),
        framework_path(params.framework, params.path.parent),
    ]
    root = params.path.parent.parent
    hashes = tuple(sorted((_display_path(f, root), hash_file(f)) for f in files))
    return UnitData(
        params=params,
        framework=framework,
        facts=raw.parts["unit.yaml"],
        management=raw.parts["management.yaml"],
        budget=raw.parts["budget.csv"],
        sangong=raw.parts["sangong.csv"],
        targets=raw.parts["targets.csv"],
        self_scores=raw.parts["self_scores.csv"],
        review_scores=raw.parts.get("review_scores.csv", ()),
        narrative=raw.parts["narrative.md"],
        input_hashes=hashes,
        input_warnings=tuple(raw.warnings),
        sources=dict(raw.labels),
        locations=dict(raw.rows),
        keys=dict(raw.keys),
        none_rows=dict(raw.none),
    )


def _display_path(path: Path, root: Path) -> str:
    """Paths relative to the project (params/.., data/..) so provenance is the same on every machine."""
    path = path.resolve()
    for base in (root.resolve(), PACKAGE_DIR.parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name
