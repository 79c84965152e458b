"""Rows that state one item twice: refused, naming the file and both rows, never summed or shown twice.

One rule per table, each because of what the row means:

- sangong.csv: one row per 三公 item. A second row of an item is refused: the report would sum
  the two (a copied row doubles the item), and no source states an item in two parts.
- budget.csv: one row per 支出类型 and 科目名称. A second row of the same line is refused: the
  report lists lines by name, and two with one name cannot be told apart; write them as one
  line, or name them apart (办公费（一）, 办公费（二）).
- targets.csv: one row per 类别, 二级指标 and 指标 (the charts and the 绩效目标 table are by name;
  a national form may name one 三级 target under two 二级).
- unit.yaml evaluation.team: one entry per person: the same 职务 and 姓名 twice is refused
  (members named only by their post, or 未填报, may repeat).
- self_scores.csv: one row per indicator (checked with the framework in unit.py).
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import DataError, SelfEvalError, excerpt
from ..values import NOT_STATED, is_not_stated_text
from .contract import RawUnit, Where


def _level2(value: object, form: str) -> str:
    """A target's 二级指标 in a message, where it has one."""
    return form.format(excerpt(str(value))) if isinstance(value, str) and value else ""


# table -> (the fields that name one item, how the item is named in a message)
TABLE_KEYS: dict[str, tuple[tuple[str, ...], Callable[[tuple], str]]] = {
    "sangong.csv": (
        ("item",),
        lambda k: (
            f"“三公”经费项目“{k[0]}”有两行（不会相加）/ the 三公 item {k[0]} has two rows "
            "(they are not added up); keep one row per item"
        ),
    ),
    "budget.csv": (
        ("kind", "name"),
        lambda k: (
            f"{k[0]}“{excerpt(k[1])}”有两行 / the budget line {k[0]} “{excerpt(k[1])}” "
            "has two rows; write it as one line, or name the two apart (e.g. 办公费（一）、办公费（二）)"
        ),
    ),
    "targets.csv": (
        ("category", "level2", "name"),
        lambda k: (
            f"类别“{k[0]}”{_level2(k[1], '二级指标“{}”')}指标“{excerpt(k[2])}”重复 / the same "
            f"target (类别 {k[0]}{_level2(k[1], ', 二级指标 {}')}, 指标 {excerpt(k[2])}) is "
            "listed twice; keep one row"
        ),
    ),
}


def _twice(items: list[tuple[Where, tuple]], say: Callable[[tuple], str]) -> list[str]:
    """'第5行 与 第3行: …' for every row whose key an earlier row already has."""
    seen: dict[tuple, Where] = {}
    problems = []
    for where, key in items:
        if key in seen:
            problems.append(f"{where('')} 与 {seen[key]('')}: {say(key)}")
        seen.setdefault(key, where)
    return problems


def duplicate_problems(raw: RawUnit) -> list[SelfEvalError]:
    """Every table and list of `raw` that states one item twice, as one DataError per file."""
    errors: list[SelfEvalError] = []
    for part, (fields, say) in TABLE_KEYS.items():
        rows = raw.parts.get(part) or ()
        wheres = raw.rows.get(part, ())
        items = [
            (w, tuple(getattr(r, f) for f in fields)) for w, r in zip(wheres, rows, strict=True)
        ]
        if problems := _twice(items, say):
            errors.append(DataError(raw.labels[part], problems))
    facts = raw.parts.get("unit.yaml")
    team = facts.evaluation.team if facts is not None else NOT_STATED
    if team is not NOT_STATED:
        where = raw.keys.get("unit.yaml", lambda k: k)
        items = [  # members without a name (成员 九大办负责人, 未填报) may repeat: no person twice
            (lambda _, i=i: where(f"evaluation.team.{i}"), (str(m.title), m.name))
            for i, m in enumerate(team)
            if m.name.strip() and not is_not_stated_text(m.name)
        ]
        problems = _twice(
            items,
            lambda k: (
                f"评价小组成员“{excerpt(k[0])} {excerpt(k[1])}”列了两次 / the team member "
                f"{excerpt(k[0])} {excerpt(k[1])} is listed twice; keep one"
            ),
        )
        if problems:
            errors.append(DataError(raw.labels["unit.yaml"], problems))
    return errors
