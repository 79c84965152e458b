"""The value of each named figure (frameworks/figures.py) for one unit, from its computed
`Indicators`: a rule reads `figure: 调整预算` here, never a typed copy of it."""

from __future__ import annotations

from ..fmt import pct
from ..frameworks.figures import BUDGET_FIGURES, FIGURES, SANGONG_FIGURES, STAFF_FIGURES
from ..inputs.unit import UnitData
from ..values import Fig, fig_apply, fig_sum
from .indicators import Indicators, by_econ, fig_pct

# The figures Indicators already holds (a total the unit states is used as stated there).
_HELD = {
    "本年支出": "actual",
    "基本支出": "basic",
    "项目支出": "project",
    "人员经费": "personnel",
    "公用经费": "public",
    "年初预算": "initial_budget",
    "年初预算基本支出": "initial_basic",
    "年初预算项目支出": "initial_project",
    "调整预算": "adjusted_budget",
    "调整预算基本支出": "adjusted_basic",
    "调整预算项目支出": "adjusted_project",
    "上年支出": "last_total",
    "上年基本支出": "basic_last",
    "上年项目支出": "project_last",
    "三公经费预算": "sangong_budget",
    "三公经费决算": "sangong_actual",
    "三公经费上年决算": "sangong_last",
    "支出率": "spending_rate",
    **{name: field for name, (_, field) in STAFF_FIGURES.items()},
}


def compute_figure(name: str, unit: UnitData, values: Indicators) -> Fig:
    """The named figure's value with its ※ mark and the 未填报 places it would need."""
    if name in _HELD:
        return getattr(values, _HELD[name])
    if name in SANGONG_FIGURES:
        _, field, item = SANGONG_FIGURES[name]
        lines = [s for s in values.sangong_lines if s.line.item == item]
        if not lines:  # no line of the item is not a zero: nothing was stated
            return Fig(None, missing=(unit.place("sangong.csv", column=f"无“{item}”行"),))
        return fig_sum(getattr(s, field) for s in lines)
    if name in BUDGET_FIGURES:
        _, field, _, econ = BUDGET_FIGURES[name]
        return by_econ(unit, values.budget_lines, econ, field)
    raise KeyError(f"{name} is not a figure of FIGURES: {', '.join(FIGURES)}")


def ratio_of(form: str, figure: Fig, base: Fig) -> Fig:
    """figure ÷ base (form ratio) or (figure − base) ÷ base (form change), in percent; not
    applicable (None) over a zero base."""
    if form == "ratio":
        return fig_pct(figure, base)
    return fig_apply(lambda f, b: pct(f - b, b), figure, base)
