"""The named figures of the data contract a rule may score (本年支出, 调整预算, 在职人数 …):
names and what each is, so a framework says `figure: 调整预算` and never types a figure the
unit's data already holds. Their values are computed in evaluate/figures.py, one per name here."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from ..errors import did_you_mean
from ..values import SANGONG_ITEMS

_KINDS = ("基本支出", "项目支出")
_ECONS = ("人员经费", "公用经费")
# each budget.csv amount: the name of its total, and the word its parts begin with
_BUDGETS = {
    "initial_budget": ("年初预算", "年初预算"),
    "adjusted_budget": ("调整预算", "调整预算"),
    "last_year": ("上年支出", "上年"),
}


def _budget_figures() -> dict[str, tuple[str, str, str | None, str | None]]:
    """name -> (what it is, budget.csv field, 支出类型, 经济分类)."""
    out: dict[str, tuple[str, str, str | None, str | None]] = {
        "本年支出": ("本年支出合计（全年执行数；unit.yaml 列明的合计优先）", "actual", None, None),
    }
    for kind in _KINDS:
        out[kind] = (f"本年支出中的{kind}", "actual", kind, None)
    for econ in _ECONS:
        out[econ] = (f"本年支出中经济分类为{econ}的各行合计", "actual", None, econ)
    for field, (total, word) in _BUDGETS.items():
        out[total] = (f"{total}合计", field, None, None)
        for kind in _KINDS:
            out[f"{word}{kind}"] = (f"{total}中的{kind}", field, kind, None)
        for econ in _ECONS:
            out[f"{word}{econ}"] = (f"{total}中经济分类为{econ}的各行合计", field, None, econ)
    return out


BUDGET_FIGURES = _budget_figures()
# name -> (what it is, sangong.csv field, 项目 or None for all items)
SANGONG_FIGURES: dict[str, tuple[str, str, str | None]] = {
    f"{item}{word}": (f"{what}{word}", field, item or None)
    for item, what in (("三公经费", "“三公”经费合计"), *((i, i) for i in SANGONG_ITEMS))
    for word, field in (("预算", "budget"), ("决算", "actual"), ("上年决算", "last_year"))
}
STAFF_FIGURES = {
    "编制人数": ("核定编制人数（unit.yaml staffing.authorized）", "authorized"),
    "在职人数": ("年末在职人数（unit.yaml staffing.in_service）", "in_service"),
    "离退休人数": ("离退休人数（unit.yaml staffing.retired）", "retired"),
    "临时聘用人数": ("临时聘用人员（unit.yaml staffing.temporary）", "temporary"),
}
# figures that are percentages already (a rule scores them without a base)
PERCENT_FIGURES = {
    "支出率": "本年支出÷调整预算×100%（二者之一未填报时，用 unit.yaml totals.spending_rate 所列）",
}

# Every name a rule's `figure`, `base` or `limit` may take, with what it is.
FIGURES: dict[str, str] = {
    **{k: v[0] for k, v in BUDGET_FIGURES.items()},
    **{k: v[0] for k, v in SANGONG_FIGURES.items()},
    **{k: v[0] for k, v in STAFF_FIGURES.items()},
    **PERCENT_FIGURES,
}


def figure_unit(name: str) -> str:
    """'%' for a percentage, '人' for a head count, '万元' for an amount."""
    if name in PERCENT_FIGURES:
        return "%"
    return "人" if name in STAFF_FIGURES else "万元"


def _known_figure(name: str) -> str:
    if name not in FIGURES:
        raise PydanticCustomError(
            "unknown_figure",
            '"{found}" 不是数据中已有的数 / is not a figure the data holds; 允许 / allowed: '
            "{allowed}{hint}",
            {"found": name, "allowed": "、".join(FIGURES), "hint": did_you_mean(name, [*FIGURES])},
        )
    return name


FigureName = Annotated[str, AfterValidator(_known_figure)]  # a name of frameworks/figures.py
