"""One unit's tables as pandas DataFrames, with the Chinese column names of its data files.

One missing-value marker everywhere: a value the unit did not state (未填报) is pd.NA, in every
column. Figures are nullable `Float64`, text the nullable `string` dtype (pandas' default `str`
would hold NaN), and a column whose values the data contract fixes (支出类型, 类别, 方向, …) is
categorical with the contract's categories, 是否完成 with 是/否.
"""

from __future__ import annotations

from decimal import Decimal
from numbers import Real

import pandas as pd

from ..evaluate.indicators import (
    BUDGET_AMOUNTS,
    SANGONG_AMOUNTS,
    TARGET_FIGURES,
    BudgetResult,
    SanGongResult,
    TargetResult,
)
from ..evaluate.scoring import IndicatorScore
from ..fmt import present_fig
from ..frameworks.model import LEVEL_TITLES
from ..inputs.schema import BudgetLine, SanGongLine, Target, literal_choices
from ..values import NOT_STATED, Fig

FIGURE = pd.Float64Dtype()
TEXT = pd.StringDtype()  # na_value pd.NA, as Float64's


def categories(*choices: str) -> pd.CategoricalDtype:
    """A categorical dtype whose categories are text: missing shows as <NA>, as elsewhere."""
    return pd.CategoricalDtype(pd.Index(choices, dtype=TEXT))


YES_NO = categories("是", "否")


def _columns(model: type) -> dict[str, object]:
    """A data file's columns and their dtypes: categorical where the contract fixes the values
    (a Literal field), text otherwise; the caller sets the figures."""
    dtypes = {}
    for field in model.model_fields.values():
        choices = literal_choices(field.annotation)
        dtypes[field.alias] = categories(*choices) if choices else TEXT
    return dtypes


def _cell(value: object) -> object:
    """A figure as a DataFrame cell: a float for a number, missing (pd.NA) for anything else.
    A value the unit did not state (None, 未填报) is missing, never 0: this is the one place
    that decides, so a new kind of not-stated value is handled here."""
    if isinstance(value, Fig):  # a computed figure: its value, or missing (未填报 / 不适用)
        value = present_fig(value).value
    if isinstance(value, bool) or not isinstance(value, Decimal | Real):
        return pd.NA
    return float(value)


def _text(value: object) -> object:
    """A text cell: missing (pd.NA) where the unit wrote 未填报 (or gave nothing)."""
    return pd.NA if value is NOT_STATED or value is None else value


def _marks(illustrative: tuple[str, ...]) -> str:
    """The 示例数据 cell as the data file writes it: the illustrative columns, ';'-separated."""
    return ";".join(illustrative)


def _frame(rows: list[dict], dtypes: dict[str, object]) -> pd.DataFrame:
    """Rows as a frame with exactly these columns and dtypes (an empty table keeps them too)."""
    return pd.DataFrame(rows, columns=list(dtypes)).astype(dtypes)


BUDGET_COLUMNS = {**_columns(BudgetLine), **dict.fromkeys(BUDGET_AMOUNTS.values(), FIGURE)}
SANGONG_COLUMNS = {**_columns(SanGongLine), **dict.fromkeys(SANGONG_AMOUNTS.values(), FIGURE)}
_TARGET = _columns(Target)
TARGET_COLUMNS = {
    **{c: _TARGET[c] for c in ("类别", "指标", "表述", "计量单位", "方向")},
    **dict.fromkeys([*TARGET_FIGURES.values(), "完成率"], FIGURE),
    "是否完成": YES_NO,
    "示例数据": TEXT,
}
SCORE_COLUMNS = {
    **dict.fromkeys(["指标代码", "一级指标", "二级指标", "指标"], TEXT),
    "分值": FIGURE,
    "评分标准": TEXT,
    **dict.fromkeys(["计算得分", "自评得分", "评审得分", "得分"], FIGURE),
    "得分依据/扣分原因": TEXT,
}


def _amounts(columns: dict[str, str], figures: tuple[Fig, ...]) -> dict[str, object]:
    """A line's amounts under their data file's column names."""
    return {c: _cell(f) for c, f in zip(columns.values(), figures, strict=True)}


def budget_frame(lines: tuple[BudgetResult, ...]) -> pd.DataFrame:
    """budget.csv: one row per spending line, amounts in 万元."""
    rows = [
        {
            "支出类型": b.line.kind,
            "经济分类": _text(b.line.econ),
            "科目名称": b.line.name,
            **_amounts(BUDGET_AMOUNTS, b.amounts),
            "示例数据": _marks(b.line.illustrative),
        }
        for b in lines
    ]
    return _frame(rows, BUDGET_COLUMNS)


def sangong_frame(lines: tuple[SanGongResult, ...]) -> pd.DataFrame:
    """sangong.csv: 三公经费 by item, 预算 / 决算 / 上年决算 in 万元."""
    rows = [
        {
            "项目": s.line.item,
            **_amounts(SANGONG_AMOUNTS, s.amounts),
            "示例数据": _marks(s.line.illustrative),
        }
        for s in lines
    ]
    return _frame(rows, SANGONG_COLUMNS)


def targets_frame(targets: tuple[TargetResult, ...]) -> pd.DataFrame:
    """targets.csv with what the report computes from it: 完成率 (%, capped at 100) and 是否完成
    (是/否, <NA> where it cannot be said); 增长率 is as stated, or computed from 上年值."""
    rows = [
        {
            "类别": t.target.category,
            "指标": t.target.name,
            "表述": t.target.phrase,
            "计量单位": _text(t.target.unit),
            "方向": _text(t.target.direction),
            **_amounts(TARGET_FIGURES, (t.goal, t.actual, t.last_year, t.growth_pct)),
            "完成率": _cell(t.completion),
            "是否完成": pd.NA if t.met is None else "是" if t.met else "否",
            "示例数据": _marks(t.target.illustrative),
        }
        for t in targets
    ]
    return _frame(rows, TARGET_COLUMNS)


def scores_frame(scores: tuple[IndicatorScore, ...]) -> pd.DataFrame:
    """The 评分表 as the report and the workbook have it: one row per indicator (index 指标代码),
    分值 (weight), 评分标准, 计算得分 (the framework's rule), 自评得分 (the unit's own score where
    it gave one with a reason, else <NA>), 评审得分 (where the framework has evaluator-scored
    indicators), 得分 (the score that counts) and 得分依据/扣分原因."""
    reviewed = any(s.reviewed for s in scores)
    depth = max((len(s.indicator.path) for s in scores), default=2)  # 三级指标 … where deeper
    rows = [
        {
            "指标代码": s.indicator.id,
            **{t: p for t, p in zip(LEVEL_TITLES[:depth], s.indicator.path, strict=False)},
            "指标": s.indicator.name,
            "分值": _cell(s.indicator.weight),
            "评分标准": s.indicator.standard,
            "计算得分": _cell(s.computed),
            "自评得分": _cell(s.self_score),
            "评审得分": _cell(s.review_score),
            "得分": _cell(s.score),
            "得分依据/扣分原因": s.basis,
        }
        for s in scores
    ]
    columns = [(k, v) for k, v in SCORE_COLUMNS.items() if reviewed or k != "评审得分"]
    deeper = [(t, TEXT) for t in LEVEL_TITLES[2:depth]]
    return _frame(rows, dict(columns[:3] + deeper + columns[3:])).set_index("指标代码")
