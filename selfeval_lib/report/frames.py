"""One unit's tables as pandas DataFrames, with the Chinese column names of its data files."""

from __future__ import annotations

from decimal import Decimal
from numbers import Real

import pandas as pd

from ..evaluate.indicators import TargetResult
from ..evaluate.scoring import IndicatorScore
from ..inputs.schema import BudgetLine, SanGongLine
from ..values import NOT_STATED, Fig


def _cell(value: object) -> object:
    """A figure as a DataFrame cell: a float for a number, missing (pd.NA) for anything else.
    A value the unit did not state (None, 未填报) is missing, never 0: this is the one place
    that decides, so a new kind of not-stated value is handled here."""
    if isinstance(value, Fig):  # a computed figure: its value, or missing (未填报 / 不适用)
        value = value.value
    if isinstance(value, bool) or not isinstance(value, Decimal | Real):
        return pd.NA
    return float(value)


def _text(value: object) -> object:
    """A text cell: missing (pd.NA) where the unit wrote 未填报."""
    return pd.NA if value is NOT_STATED else value


def _marks(illustrative: tuple[str, ...]) -> str:
    """The 示例数据 cell as the data file writes it: the illustrative columns, ';'-separated."""
    return ";".join(illustrative)


def _frame(rows: list[dict], numbers: list[str]) -> pd.DataFrame:
    """Figures as nullable floats: a missing one shows as <NA> and is left out of sums."""
    frame = pd.DataFrame(rows)
    return frame.astype({c: "Float64" for c in numbers if c in frame.columns})


BUDGET_NUMBERS = ["年初预算", "调整预算", "本年支出", "上年支出"]


def budget_frame(lines: tuple[BudgetLine, ...]) -> pd.DataFrame:
    """budget.csv: one row per spending line, amounts in 万元."""
    rows = [
        {
            "支出类型": b.kind,
            "经济分类": _text(b.econ),
            "科目名称": b.name,
            "年初预算": _cell(b.initial_budget),
            "调整预算": _cell(b.adjusted_budget),
            "本年支出": _cell(b.actual),
            "上年支出": _cell(b.last_year),
            "示例数据": _marks(b.illustrative),
        }
        for b in lines
    ]
    return _frame(rows, BUDGET_NUMBERS)


def sangong_frame(lines: tuple[SanGongLine, ...]) -> pd.DataFrame:
    """sangong.csv: 三公经费 by item, 预算 / 决算 / 上年决算 in 万元."""
    rows = [
        {
            "项目": s.item,
            "预算": _cell(s.budget),
            "决算": _cell(s.actual),
            "上年决算": _cell(s.last_year),
            "示例数据": _marks(s.illustrative),
        }
        for s in lines
    ]
    return _frame(rows, ["预算", "决算", "上年决算"])


def targets_frame(targets: tuple[TargetResult, ...]) -> pd.DataFrame:
    """targets.csv with what the report computes from it: 完成率 (%, capped at 100) and 是否完成;
    增长率 is as stated, or computed from 上年值."""
    rows = [
        {
            "类别": t.target.category,
            "指标": t.target.name,
            "表述": t.target.phrase,
            "计量单位": _text(t.target.unit),
            "方向": _text(t.target.direction),
            "目标值": _cell(t.goal),
            "实际值": _cell(t.actual),
            "上年值": _cell(t.target.last_year),
            "增长率": _cell(t.growth_pct),
            "完成率": _cell(t.completion),
            "是否完成": pd.NA if t.met is None else t.met,
            "示例数据": _marks(t.target.illustrative),
        }
        for t in targets
    ]
    return _frame(rows, ["目标值", "实际值", "上年值", "增长率", "完成率"])


def scores_frame(scores: tuple[IndicatorScore, ...]) -> pd.DataFrame:
    """The 评分表 as the report and the workbook have it: one row per indicator (index 指标代码),
    分值 (weight), 评分标准, 计算得分 (the framework's rule), 自评得分 (the unit's own score where
    it gave one with a reason, else <NA>), 得分 (the score that counts) and 得分依据/扣分原因."""
    rows = [
        {
            "指标代码": s.indicator.id,
            "一级指标": s.indicator.level1,
            "二级指标": s.indicator.level2,
            "指标": s.indicator.name,
            "分值": _cell(s.indicator.weight),
            "评分标准": s.indicator.standard,
            "计算得分": _cell(s.computed),
            "自评得分": _cell(s.self_score),
            "得分": _cell(s.score),
            "得分依据/扣分原因": s.basis,
        }
        for s in scores
    ]
    return _frame(rows, ["分值", "计算得分", "自评得分", "得分"]).set_index("指标代码")
