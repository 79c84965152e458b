"""The data contract: one declaration, in pydantic, of every input a unit-year provides."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from ..values import GRADES, Frozen, Grade, Number, _to_decimal  # noqa: F401 (re-exported)

UNIT_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


# --- scalar types -------------------------------------------------------------------------------


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError(
            "negative", "{found} 不能为负数 / {found} must not be negative", {"found": str(value)}
        )
    return value


def _two_places(value: Decimal) -> Decimal:
    if value != value.quantize(Decimal("0.01")):
        raise PydanticCustomError(
            "too_many_places",
            "{found} 超过两位小数（金额以万元计，保留两位） / {found} has more than two decimals "
            "(amounts are 万元 with two decimals)",
            {"found": str(value)},
        )
    return value


def _empty_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _yes_no(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        if text in ("是", "有", "yes", "true", "True"):
            return True
        if text in ("否", "无", "no", "false", "False"):
            return False
    return value


def _year_month(value: object) -> str:
    """Accept 2025-11, 2025-11-05 or a date; keep 'YYYY-MM' or 'YYYY-MM-DD' text."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        month = int(text[5:7])
        if 1 <= month <= 12:
            return text
    raise PydanticCustomError(
        "bad_date",
        '"{found}" 不是日期，应写为 2025-11 / "{found}" is not a date; write 2025-11',
        {"found": text},
    )


Amount = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    AfterValidator(_non_negative),
    AfterValidator(_two_places),
]
OptionalAmount = Annotated[Amount | None, BeforeValidator(_empty_to_none)]
OptionalNumber = Annotated[Number | None, BeforeValidator(_empty_to_none)]
Count = Annotated[int, Field(ge=0)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Text = Annotated[str, Field(min_length=1)]
YearMonth = Annotated[str, BeforeValidator(_year_month)]


def _illustrative_fields(value: object) -> tuple[str, ...]:
    """'年初预算;调整预算' -> ('年初预算', '调整预算'): which cells of a row are illustrative."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in re.split(r"[;；,，、]", value) if p.strip())
    return tuple(value)  # type: ignore[arg-type]


Illustrative = Annotated[tuple[str, ...], BeforeValidator(_illustrative_fields)]


# --- unit.yaml ----------------------------------------------------------------------------------


class Identity(Frozen):
    name: Text  # 单位全称, e.g. 徐闻县前山镇人民政府
    short_name: Text  # 简称, e.g. 前山镇
    county: Text
    superior: Text  # 主管部门
    unit_type: Text  # 单位类型, e.g. 行政单位
    nature: Text  # 单位基本性质, e.g. 政府机关
    accounting_standard: Text  # 执行会计制度
    industry_code: Annotated[str, Field(pattern=r"^\d{4}$")]
    industry_name: Text
    subordinate_units: Count = 0  # 下属二级预算单位数


class Staffing(Frozen):
    authorized: Count  # 机构编制部门核定人数
    in_service: Count  # 年末在职人数
    retired: Count  # 离退休人数
    temporary: Count  # 外聘临时工人数


class TeamMember(Frozen):
    role: Literal["组长", "副组长", "成员"]
    title: Text  # 职务
    name: str = ""  # may be empty: "九大办负责人为成员"
    duty: str = ""  # e.g. 分管财政工作的


class Evaluation(Frozen):
    notice_title: Text  # 《…通知》 without the book-title marks
    notice_number: Text  # 徐财绩〔2025〕5号
    fill_date: YearMonth  # 填报日期
    submitted: Text  # 自评材料报送时间, e.g. 11月初
    published_consistent: YesNo  # 报送与公开的自评材料一致
    team: tuple[TeamMember, ...] = Field(min_length=1)


class Totals(Frozen):
    """Totals as the unit's own 决算 tables state them; the lines must add up to them."""

    total_expenditure: OptionalAmount = None  # 支出总计(含本年支出以外部分)
    actual: OptionalAmount = None  # 本年支出合计
    basic: OptionalAmount = None  # 基本支出
    project: OptionalAmount = None  # 项目支出
    sangong_budget: OptionalAmount = None  # “三公”经费预算
    sangong_actual: OptionalAmount = None  # “三公”经费决算


class UnitFacts(Frozen):
    identity: Identity
    staffing: Staffing
    evaluation: Evaluation
    declared_grade: Grade | None = None  # the grade the unit itself declared
    totals: Totals = Totals()
    synthetic: bool = False  # fictional unit made by the generator
    illustrative: tuple[str, ...] = ()  # keys of figures the source does not state


# --- management.yaml ----------------------------------------------------------------------------

FactKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class NewProject(Frozen):
    name: Text
    pre_assessed: YesNo  # 是否开展事前绩效评估


class Management(Frozen):
    new_projects: tuple[NewProject, ...] = ()  # empty means: no new projects this year
    facts: dict[FactKey, bool | Number] = {}


# --- CSV tables ---------------------------------------------------------------------------------


class BudgetLine(Frozen):
    kind: Literal["基本支出", "项目支出"] = Field(alias="支出类型")
    econ: Literal["人员经费", "公用经费", "项目支出"] = Field(alias="经济分类")
    name: Text = Field(alias="科目名称")
    initial_budget: Amount = Field(alias="年初预算")
    adjusted_budget: Amount = Field(alias="调整预算")
    actual: Amount = Field(alias="本年支出")
    last_year: OptionalAmount = Field(alias="上年支出")
    illustrative: Illustrative = Field(default=(), alias="示例数据")


SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


class SanGongLine(Frozen):
    item: Annotated[
        Literal["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"],
        BeforeValidator(lambda v: str(v).strip().replace("(", "（").replace(")", "）")),
    ] = Field(alias="项目")
    budget: Amount = Field(alias="预算")
    actual: Amount = Field(alias="决算")
    last_year: OptionalAmount = Field(alias="上年决算")
    illustrative: Illustrative = Field(default=(), alias="示例数据")


def _direction(value: object) -> object:
    return {">=": "≥", "<=": "≤"}.get(str(value).strip(), str(value).strip())


class Target(Frozen):
    category: Literal["产出", "效益"] = Field(alias="类别")
    name: Text = Field(alias="指标")
    phrase: Annotated[str, BeforeValidator(lambda v: v or "")] = Field(default="", alias="表述")
    unit: str = Field(alias="计量单位")
    direction: Annotated[Literal["≥", "≤"], BeforeValidator(_direction)] = Field(alias="方向")
    target: Number = Field(alias="目标值")
    actual: Number = Field(alias="实际值")
    last_year: OptionalNumber = Field(default=None, alias="上年值")
    growth_pct: OptionalNumber = Field(default=None, alias="增长率")
    illustrative: Illustrative = Field(default=(), alias="示例数据")


def _score_places(value: Decimal) -> Decimal:
    if value != value.quantize(Decimal("0.01")):
        raise PydanticCustomError(
            "score_places",
            "{found} 超过两位小数 / {found} has more than two decimals (scores use two)",
            {"found": str(value)},
        )
    return value


Score = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_score_places)]


class SelfScore(Frozen):
    indicator: Text = Field(alias="指标")  # framework indicator id or name
    score: Score = Field(alias="自评得分")
    reason: Text = Field(alias="理由")
    illustrative: Illustrative = Field(default=(), alias="示例数据")


# CSV files of a data folder and the row model of each; the header row must name these columns.
TABLES: dict[str, type[Frozen]] = {
    "budget.csv": BudgetLine,
    "sangong.csv": SanGongLine,
    "targets.csv": Target,
    "self_scores.csv": SelfScore,
}

# Sections of narrative.md ("## 标题"); the report quotes them. Indicator notes: "## 指标:<名称>".
NARRATIVE_REQUIRED = ("单位职能", "重点工作", "自评过程", "主要做法和经验", "存在问题", "改进措施")
NARRATIVE_OPTIONAL = ("评价小组", "其他自评情况")
