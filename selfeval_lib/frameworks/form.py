"""The layout of the 部门整体支出绩效自评表 a framework's units file: which blocks, which funds rows
and where their 执行率 and 得分 come from, which rows the indicator table lists. A province whose
form differs changes its framework file; a framework that declares none gets the national shape."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from ..values import Frozen
from .figures import FigureName

BLOCKS = ("header", "funds", "goals", "indicators", "total", "signatures")
INDICATOR_COLUMNS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "全年实际值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
FUNDS_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
IndicatorId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class FundsRow(Frozen):
    """资金行 / one row of the funds block: its label and the named figures in its columns."""

    label: str
    """行名称 / the row's label as the form prints it (年度资金总额, 基本支出, 项目支出, 其他资金)."""
    initial: FigureName | None = None
    """年初预算数 / the named figure in the 年初预算数 (A) column; none: the cell is 不适用."""
    budget: FigureName | None = None
    """全年预算数 / the named figure in the 全年预算数 column (调整预算, the year's plan)."""
    actual: FigureName | None = None
    """全年执行数 / the named figure in the 全年执行数 (B) column."""
    rate: FigureName | None = None
    """执行率 / a named percentage printed as the row's 执行率 (支出率, which the unit may state);
    none: 全年执行数 ÷ the base `rate_base` names."""
    rate_base: Literal["budget", "initial"] = "budget"
    """执行率分母 / where `rate` is none, 执行率 = 全年执行数 ÷ 全年预算数 (budget) or ÷ 年初预算数
    (initial)."""
    indicator: IndicatorId | Literal["auto"] | None = None
    """计分指标 / the framework indicator whose 分值 and 得分 the row prints (the score its rule
    gives, e.g. 执行率 × 分值 capped at the 分值); auto: the first indicator of kind rate, or of
    kind ratio of 支出率 or of 本年支出 over 调整预算; none: no points on this row."""


def _national_rows() -> tuple[FundsRow, ...]:
    return (
        FundsRow(
            label="年度资金总额",
            initial="年初预算",
            budget="调整预算",
            actual="本年支出",
            rate="支出率",
            indicator="auto",
        ),
        FundsRow(
            label="基本支出",
            initial="年初预算基本支出",
            budget="调整预算基本支出",
            actual="基本支出",
        ),
        FundsRow(
            label="项目支出",
            initial="年初预算项目支出",
            budget="调整预算项目支出",
            actual="项目支出",
        ),
    )


class FormIndicators(Frozen):
    """绩效指标表 / the form's performance-indicator table."""

    rows: Literal["targets", "framework"] = "targets"
    """行来源 / targets: one row per target of targets.csv (产出/效益/满意度 三级 targets, the
    national form); framework: one row per framework indicator not already scored in the funds
    block (a county form listing its 评分表)."""
    columns: tuple[Literal[INDICATOR_COLUMNS], ...] = INDICATOR_COLUMNS  # type: ignore[valid-type]
    """列 / the columns, in order, from 一级指标, 二级指标, 三级指标, 年度指标值, 全年实际值, 分值,
    得分, 偏差原因分析及改进措施."""


class Form(Frozen):
    """自评表 / the one-page 部门整体支出绩效自评表 written beside each report (`<unit_id>.自评表.xlsx`
    and `.docx`): its blocks, funds rows and indicator table. Omitted: the national layout."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "funds": [
                        {
                            "label": "年度资金总额",
                            "initial": "年初预算",
                            "budget": "调整预算",
                            "actual": "本年支出",
                            "rate": "支出率",
                            "indicator": "spending_rate",
                        },
                        {"label": "基本支出", "budget": "调整预算基本支出", "actual": "基本支出"},
                        {"label": "项目支出", "budget": "调整预算项目支出", "actual": "项目支出"},
                    ],
                    "indicators": {"rows": "framework"},
                }
            ]
        }
    )

    title: str = "部门整体支出绩效自评表"
    """表名 / the form's title, printed after the year: （2024年度）部门整体支出绩效自评表."""
    blocks: tuple[Literal[BLOCKS], ...] = BLOCKS  # type: ignore[valid-type]
    """区块 / the blocks, in order: header (部门/单位名称, 主管部门, 填报日期, 联系人, 电话), funds
    (年度资金), goals (年度总体目标), indicators (绩效指标), total (总分), signatures (填表人 …)."""
    funds: tuple[FundsRow, ...] = Field(default_factory=_national_rows)
    """资金行 / the funds block's rows; by default 年度资金总额, 基本支出, 项目支出."""
    indicators: FormIndicators = FormIndicators()
    """绩效指标表 / which rows and columns the indicator table has."""
    signatures: tuple[str, ...] = ("填表人", "审核人", "单位负责人", "单位（盖章）")
    """签字栏 / the signature lines under the form."""
