"""The lists a report summarises, as the unit gives them: items, none (无), or 未填报.

"None of these were set" and "not stated" are different statements: a unit that writes a 无 row
(targets.csv, budget.csv, sangong.csv), 无 or [] (team, new_projects) or 0 (subordinate_units)
says there are none; one that leaves a list out says nothing, and the list is 未填报."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..inputs.schema import BudgetLine, literal_choices
from ..inputs.unit import UnitData
from ..values import NOT_STATED, Fig

BUDGET_KINDS = literal_choices(BudgetLine.model_fields["kind"].annotation)  # 基本支出, 项目支出


@dataclass(frozen=True)
class Listed:
    """One list: `count` items; 0 where the unit states there are none; None where 未填报."""

    count: int | None
    where: str = ""  # where a 未填报 list would be (the report's 未填报 list names it)

    @property
    def none(self) -> bool:
        """The unit states there are none (本年度未设定… / 无…)."""
        return self.count == 0

    @property
    def not_stated(self) -> bool:
        return self.count is None

    @property
    def fig(self) -> Fig:
        """How many, as a figure: 未填报 where the list is."""
        if self.count is None:
            return Fig(None, missing=(self.where,))
        return Fig(Decimal(self.count))


def _rows(unit: UnitData, part: str, lines: list, group: str = "") -> Listed:
    """A table's lines of one group: listed, stated none by a 无 row (0), or 未填报 where the
    unit leaves the group out (`UnitData.groups_left_out` decides; '' the whole table)."""
    if group in unit.groups_left_out(part):
        return Listed(None, unit.left_out_place(part, group))
    return Listed(len(lines))


def _given(value: object, unit: UnitData, part: str, key: str) -> Listed:
    """A list (or count) of a YAML file: its length, or 未填报."""
    if value is NOT_STATED:
        return Listed(None, unit.place(part, key=key))
    return Listed(value if isinstance(value, int) else len(value))


def compute_lists(unit: UnitData) -> dict[str, Listed]:
    """Every list the report summarises, by key: targets.<category> for each category the
    framework declares (产出, 效益, 满意度 …), budget.基本支出, budget.项目支出, sangong, team,
    new_projects, subordinate_units."""
    lists = {
        f"targets.{c}": _rows(unit, "targets.csv", [t for t in unit.targets if t.category == c], c)
        for c in (category.name for category in unit.framework.target_categories)
    }
    lists |= {
        f"budget.{k}": _rows(unit, "budget.csv", [b for b in unit.budget if b.kind == k], k)
        for k in BUDGET_KINDS
    }
    facts = unit.facts
    return lists | {
        "sangong": _rows(unit, "sangong.csv", list(unit.sangong)),
        "team": _given(facts.evaluation.team, unit, "unit.yaml", "evaluation.team"),
        "new_projects": _given(
            unit.management.new_projects, unit, "management.yaml", "new_projects"
        ),
        "subordinate_units": _given(
            facts.identity.subordinate_units, unit, "unit.yaml", "identity.subordinate_units"
        ),
    }
