"""The data contract: one declaration, in pydantic, of every input a unit-year provides."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, AliasChoices, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from ..errors import CONTROLS, escape_controls, excerpt
from ..values import (  # noqa: F401 (GRADES, SANGONG_ITEMS re-exported)
    GRADES,
    NOT_STATED,
    SANGONG_ITEMS,
    Frozen,
    Grade,
    Number,
    OrNotStated,
    _to_decimal,
    is_not_stated_text,
)
from .limits import limits

UNIT_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def literal_choices(annotation: object) -> tuple[str, ...]:
    """The values a Literal field allows (also inside Optional): the schema's own drop-down list,
    a DataFrame's categories."""
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(typing.get_args(annotation))
    return tuple(c for arg in typing.get_args(annotation) for c in literal_choices(arg))


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


NONE_WORD = "无"  # a clerk's "there is none" (not 未填报: the source does say there is none)


def is_none_word(value: object) -> bool:
    return isinstance(value, str) and value.strip() == NONE_WORD


def _none_as(empty: object):
    """A list or count where 无 says "none" (an empty list, 0); omitted stays 未填报."""
    return lambda value: empty if is_none_word(value) else value


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


MAX_AMOUNT = Decimal(10) ** 7  # 万元: 1,000亿元, far beyond any township or county department


def _plausible(value: Decimal) -> Decimal:
    """An amount no unit could have spent is a typing error (元 for 万元, an extra digit)."""
    if abs(value) > MAX_AMOUNT:
        raise PydanticCustomError(
            "implausible",
            "{found} 超过 {limit} 万元，不可能是本单位的金额（是否以元为单位或多打了位数？）/ {found} "
            "is over {limit} 万元: not a plausible amount for a unit (in 元? an extra digit?)",
            {"found": str(value), "limit": f"{MAX_AMOUNT:,}"},
        )
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    AfterValidator(_non_negative),
    AfterValidator(_two_places),
    AfterValidator(_plausible),
]
OptionalAmount = Annotated[Amount | None, BeforeValidator(_empty_to_none)]
MAX_MEASURE = Decimal(10) ** 12  # no target of a unit is measured in more (GDP in 万元: 10^6)


def _measurable(value: Decimal) -> Decimal:
    if abs(value) > MAX_MEASURE:
        raise PydanticCustomError(
            "implausible",
            "{found} 超过 10¹²，不是可信的指标值 / {found} is over 10^12: not a plausible figure",
            {"found": excerpt(value)},
        )
    return value


Measure = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_measurable)]
OptionalMeasure = Annotated[Measure | None, BeforeValidator(_empty_to_none)]


def _no_yes_no(value: object) -> object:
    """A count is never a yes/no: `true` would otherwise be read as 1 person (bool is an int)."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "count_not_bool",
            '"{found}" 应为人数或个数（整数），不是 是/否 / expected a whole number, not yes or no',
            {"found": str(value).lower()},  # as YAML writes it
        )
    return value


Count = Annotated[int, BeforeValidator(_no_yes_no), Field(ge=0, le=1_000_000)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]


def _no_controls(value: str) -> str:
    """Names and short texts may not carry control, escape or bidi characters."""
    found = CONTROLS.findall(value)
    if found:
        raise PydanticCustomError(
            "control_characters",
            '"{found}" 含有控制字符或方向控制字符（{chars}），不允许 / contains control or bidi '
            "characters ({chars}), which are not allowed",
            {
                "found": excerpt(value),
                "chars": " ".join(dict.fromkeys(escape_controls(c) for c in found)),
            },
        )
    return value


def _at_most(limit_name: str, zh: str, en: str, variable: str) -> Callable[[str], str]:
    """A validator holding text to a limit of limits.py: a 1 MB unit name is refused here, before
    it reaches a chart, a table or the county overview."""

    def check(value: str) -> str:
        limit = getattr(limits(), limit_name)
        if len(value) > limit:
            raise PydanticCustomError(
                "too_long",
                '"{found}" 有 {n} 个字，超过限制：{zh}最多 {limit} 个字 / has {n} characters, over '
                "the limit of {limit} for {en} ({variable}); shorten it",
                {"found": excerpt(value, 20), "n": len(value), "limit": limit, "zh": zh,
                 "en": en, "variable": variable},
            )  # fmt: skip
        return value

    return check


# names, titles, target names, team members: one line each
_one_line = _at_most("line_chars", "一行文字", "one line of text", "SELFEVAL_MAX_LINE_CHARS")
# 年度总体目标, 偏差原因分析及改进措施, a self score's 理由: paragraphs, held as a narrative section
_paragraph = _at_most("section_chars", "一段文字", "a paragraph", "SELFEVAL_MAX_SECTION_CHARS")


Text = Annotated[str, Field(min_length=1), AfterValidator(_one_line), AfterValidator(_no_controls)]
Plain = Annotated[str, AfterValidator(_one_line), AfterValidator(_no_controls)]  # may be empty
Paragraph = Annotated[
    str, Field(min_length=1), AfterValidator(_paragraph), AfterValidator(_no_controls)
]
PlainParagraph = Annotated[str, AfterValidator(_paragraph), AfterValidator(_no_controls)]
YearMonth = Annotated[str, BeforeValidator(_year_month)]
Change = Annotated[
    Decimal, BeforeValidator(_to_decimal), AfterValidator(_two_places), AfterValidator(_plausible)
]
OptionalChange = Annotated[Change | None, BeforeValidator(_empty_to_none)]
Percent = Annotated[
    Decimal, BeforeValidator(_to_decimal), AfterValidator(_non_negative), Field(le=10000)
]
OptionalPercent = Annotated[Percent | None, BeforeValidator(_empty_to_none)]


def _illustrative_fields(value: object) -> tuple[str, ...]:
    """'年初预算;调整预算' -> ('年初预算', '调整预算'): which cells of a row are illustrative."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in re.split(r"[;；,，、]", value) if p.strip())
    return tuple(value)  # type: ignore[arg-type]


Illustrative = Annotated[tuple[str, ...], BeforeValidator(_illustrative_fields)]


# --- unit.yaml ----------------------------------------------------------------------------------


UNIT_KINDS = ("镇", "乡", "街道", "县直部门", "其他")  # what a framework says it applies to
UnitKind = Literal["镇", "乡", "街道", "县直部门", "其他"]


def unit_kind_of(name: str) -> str | None:
    """单位类别 from a unit's full name, where the name says it plainly; else None."""
    name = name.strip()
    for ending, kind in (
        ("镇人民政府", "镇"),
        ("乡人民政府", "乡"),
        ("街道办事处", "街道"),
        ("镇政府", "镇"),
        ("乡政府", "乡"),
    ):
        if name.endswith(ending):
            return kind
    return None


class Identity(Frozen):
    """Only the unit's name and type must be stated; anything else may be 未填报."""

    name: Text  # 单位全称, e.g. 徐闻县前山镇人民政府
    unit_type: Text  # 单位类型, e.g. 行政单位
    # 单位类别 (镇/乡/街道/县直部门/其他): one name, unit_kind, in files, code and scores.json; read
    # from the name where not given (…镇人民政府 → 镇). `kind:`, its old key, is still read.
    unit_kind: UnitKind | None = Field(None, validation_alias=AliasChoices("unit_kind", "kind"))
    short_name: OrNotStated[Text] = NOT_STATED  # 简称, e.g. 前山镇
    county: OrNotStated[Text] = NOT_STATED
    superior: OrNotStated[Text] = NOT_STATED  # 主管部门
    nature: OrNotStated[Text] = NOT_STATED  # 单位基本性质, e.g. 政府机关
    accounting_standard: OrNotStated[Text] = NOT_STATED  # 执行会计制度
    industry_code: OrNotStated[Annotated[str, Field(pattern=r"^\d{4}$")]] = NOT_STATED
    industry_name: OrNotStated[Text] = NOT_STATED
    # 下属二级预算单位数: 0 or 无 when there are none; omitted is 未填报
    subordinate_units: OrNotStated[Annotated[Count, BeforeValidator(_none_as(0))]] = NOT_STATED
    # the unit's code, the same every year: it ties this year's data to last year's (years.py)
    unit_code: Annotated[str, Field(pattern=UNIT_ID_PATTERN)] | None = None

    @model_validator(mode="after")
    def _unit_kind_from_name(self) -> Identity:
        if self.unit_kind is None:
            object.__setattr__(self, "unit_kind", unit_kind_of(self.name))  # frozen once built
        return self

    @property
    def title_name(self) -> str:
        """The name a title uses: the short name where stated, else the full name."""
        return self.name if self.short_name is NOT_STATED else self.short_name


class Staffing(Frozen):
    authorized: OrNotStated[Count]  # 机构编制部门核定人数
    in_service: OrNotStated[Count]  # 年末在职人数
    retired: OrNotStated[Count]  # 离退休人数
    temporary: OrNotStated[Count]  # 外聘临时工人数


class TeamMember(Frozen):
    role: Literal["组长", "副组长", "成员"]
    title: OrNotStated[Text]  # 职务
    name: Plain = ""  # may be empty: "九大办负责人为成员"
    duty: Plain = ""  # e.g. 分管财政工作的


class Evaluation(Frozen):
    notice_title: OrNotStated[Text]  # 《…通知》 without the book-title marks
    notice_number: OrNotStated[Text]  # 徐财绩〔2025〕5号
    fill_date: OrNotStated[YearMonth]  # 填报日期
    submitted: OrNotStated[Text]  # 自评材料报送时间, e.g. 11月初
    published_consistent: OrNotStated[YesNo]  # 报送与公开的自评材料一致
    # 自评工作小组: its members; 无 (an empty tuple) where the unit formed none
    team: OrNotStated[Annotated[tuple[TeamMember, ...], BeforeValidator(_none_as(()))]]
    contact: OrNotStated[Text] | None = None  # 联系人 (the 自评表's header); absent: 未填报
    phone: OrNotStated[Text] | None = None  # 联系电话


class Totals(Frozen):
    """Totals and rates as the unit's own report or 决算 tables state them. Where the lines exist
    too, both are kept and compared; where only the stated figure exists, it is used as stated."""

    total_expenditure: OrNotStated[OptionalAmount] = None  # 支出总计(含本年支出以外部分)
    actual: OrNotStated[OptionalAmount] = None  # 本年支出合计
    basic: OrNotStated[OptionalAmount] = None  # 基本支出
    project: OrNotStated[OptionalAmount] = None  # 项目支出
    initial_budget: OrNotStated[OptionalAmount] = None  # 年初预算合计
    initial_basic: OrNotStated[OptionalAmount] = None  # 年初预算 基本支出
    initial_project: OrNotStated[OptionalAmount] = None  # 年初预算 项目支出
    adjusted_budget: OrNotStated[OptionalAmount] = None  # 调整预算(全年用款计划)合计
    adjusted_basic: OrNotStated[OptionalAmount] = None
    adjusted_project: OrNotStated[OptionalAmount] = None
    spending_rate: OrNotStated[OptionalPercent] = None  # 支出率 as stated, percent (93 = 93%)
    basic_change: OrNotStated[OptionalChange] = None  # 基本支出 比上年决算数 增(+)减(-), 万元
    project_change: OrNotStated[OptionalChange] = None  # 项目支出 比上年决算数 增(+)减(-), 万元
    sangong_budget: OrNotStated[OptionalAmount] = None  # “三公”经费预算
    sangong_actual: OrNotStated[OptionalAmount] = None  # “三公”经费决算


class Goals(Frozen):
    """年度总体目标: the goals set at the start of the year and what was achieved (the 自评表)."""

    set: OrNotStated[Paragraph] | None = None  # 年初设定的年度总体目标; absent: 未填报
    achieved: OrNotStated[Paragraph] | None = None  # 全年实际完成情况


class UnitFacts(Frozen):
    year: int | None = None  # the year the data is for; must equal the params file's year
    identity: Identity
    staffing: Staffing
    evaluation: Evaluation
    declared_grade: OrNotStated[Grade | None] = None  # the grade the unit itself declared
    totals: Totals = Totals()
    goals: Goals = Goals()  # 年度总体目标, set and achieved
    synthetic: bool = False  # fictional unit made by the generator
    illustrative: tuple[str, ...] = ()  # keys of figures the source does not state


# --- management.yaml ----------------------------------------------------------------------------

FactKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class NewProject(Frozen):
    name: Text
    pre_assessed: OrNotStated[YesNo]  # 是否开展事前绩效评估


def _fact_value(value: object) -> object:
    """A management fact is yes/no (是/否) or a number; which one, the framework says (checked
    in unit._check_facts). One message for anything else, not one per kind tried."""
    value = _yes_no(value)
    if isinstance(value, bool | Decimal):
        return value
    try:
        return _to_decimal(value)
    except PydanticCustomError:
        text = excerpt(str(value).strip())
        plain = text.removesuffix("%").removesuffix("％").strip()
        hint = f"; 百分数写作 {plain} / a percentage is written {plain}" if plain != text else ""
        raise PydanticCustomError(
            "fact_value",
            '"{found}" 应为 是/否 或数字（如 是、否、3、100）/ expected yes or no (是/否) or a '
            "number{hint}",
            {"found": text, "hint": hint},
        ) from None


FactValue = Annotated[bool | Decimal, BeforeValidator(_fact_value)]


class Management(Frozen):
    # 无 (or []): no new projects this year; omitted or 未填报: the source does not say
    new_projects: OrNotStated[Annotated[tuple[NewProject, ...], BeforeValidator(_none_as(()))]] = (
        NOT_STATED
    )
    facts: dict[FactKey, OrNotStated[FactValue]] = {}


# --- CSV tables ---------------------------------------------------------------------------------


class BudgetLine(Frozen):
    # a 无 row: (the column naming what there is none of, the column that says 无)
    NONE_ROW: ClassVar[tuple[str | None, str]] = ("支出类型", "科目名称")
    kind: Literal["基本支出", "项目支出"] = Field(alias="支出类型")
    econ: OrNotStated[Literal["人员经费", "公用经费", "项目支出"]] = Field(alias="经济分类")
    name: Text = Field(alias="科目名称")
    initial_budget: OrNotStated[Amount] = Field(alias="年初预算")
    adjusted_budget: OrNotStated[Amount] = Field(alias="调整预算")
    actual: OrNotStated[Amount] = Field(alias="本年支出")
    last_year: OrNotStated[OptionalAmount] = Field(alias="上年支出")
    illustrative: Illustrative = Field(default=(), alias="示例数据")


class SanGongLine(Frozen):
    # a 无 row: (the column naming what there is none of, the column that says 无)
    NONE_ROW: ClassVar[tuple[str | None, str]] = (None, "项目")
    item: Annotated[
        Literal["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"],
        BeforeValidator(lambda v: str(v).strip().replace("(", "（").replace(")", "）")),
    ] = Field(alias="项目")
    budget: OrNotStated[Amount] = Field(alias="预算")
    actual: OrNotStated[Amount] = Field(alias="决算")
    last_year: OrNotStated[OptionalAmount] = Field(alias="上年决算")
    illustrative: Illustrative = Field(default=(), alias="示例数据")


def _score_places(value: Decimal) -> Decimal:
    if value != value.quantize(Decimal("0.01")):
        raise PydanticCustomError(
            "score_places",
            "{found} 超过两位小数 / {found} has more than two decimals (scores use two)",
            {"found": str(value)},
        )
    return value + 0  # -0 is 0: no score is printed as -0.00


Score = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_score_places)]
Points = Annotated[Score, AfterValidator(_non_negative)]


def _direction(value: object) -> object:
    return {">=": "≥", "<=": "≤", "＝": "="}.get(str(value).strip(), str(value).strip())


# 指标性质 of a target: ≥ (at least), ≤ (at most), = (exactly), 定性 (qualitative: its 指标值 and
# 完成值 are words such as 效果明显 or 9月前, and the unit states the 完成程度 it reached)
TARGET_DIRECTIONS = ("≥", "≤", "=", "定性")


def _measure_or_words(value: object) -> object:
    """A target's figure: a number, or (for a qualitative target) words; which one the row's
    方向 decides (Target._figures_fit_direction)."""
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return _measurable(_to_decimal(value))
    except PydanticCustomError:
        return str(value).strip()


MeasureOrWords = Annotated[Decimal | str, BeforeValidator(_measure_or_words)]


class Target(Frozen):
    # a 无 row: (the column naming what there is none of, the column that says 无)
    NONE_ROW: ClassVar[tuple[str | None, str]] = ("类别", "指标")
    # 一级 of the national form: 产出, 效益, 满意度 … as the framework's target_categories declare
    category: Text = Field(alias="类别")
    name: Text = Field(alias="指标")
    phrase: Annotated[Plain, BeforeValidator(lambda v: v or "")] = Field(default="", alias="表述")
    unit: OrNotStated[Plain] = Field(alias="计量单位")
    direction: OrNotStated[
        Annotated[Literal["≥", "≤", "=", "定性"], BeforeValidator(_direction)]
    ] = Field(alias="方向")
    target: OrNotStated[MeasureOrWords] = Field(alias="目标值")  # words only for 定性
    actual: OrNotStated[MeasureOrWords] = Field(alias="实际值")
    last_year: OrNotStated[OptionalMeasure] = Field(default=None, alias="上年值")
    growth_pct: OrNotStated[OptionalMeasure] = Field(default=None, alias="增长率")
    growth_word: Annotated[Plain, BeforeValidator(lambda v: (v or "").strip())] = Field(
        default="", alias="增长表述"
    )  # the source's own word for the growth, e.g. 同比增长 (default: 增长/下降)
    level2: OrNotStated[Annotated[Plain, BeforeValidator(lambda v: (v or "").strip())]] = Field(
        default="", alias="二级指标"
    )  # 数量指标, 社会效益指标 …: one of the 二级 its category declares; empty: not given
    points: OrNotStated[Annotated[Points | None, BeforeValidator(_empty_to_none)]] = Field(
        default=None, alias="分值"
    )  # the target's own points (三级指标分值); None: not given
    level: OrNotStated[Annotated[Plain, BeforeValidator(lambda v: (v or "").strip())]] = Field(
        default="", alias="完成程度"
    )  # 达成, 基本达成 …: a level the framework's completion_levels declare; empty: not given
    deviation_reason: OrNotStated[
        Annotated[PlainParagraph, BeforeValidator(lambda v: (v or "").strip())]
    ] = Field(default="", alias="偏差原因分析及改进措施")  # empty: not given
    illustrative: Illustrative = Field(default=(), alias="示例数据")

    @model_validator(mode="after")
    def _figures_fit_direction(self) -> Target:
        """Words as a 目标值 or 实际值 only for a qualitative (定性) target; a number for the rest."""
        if self.direction == "定性":
            return self
        for column, value in (("目标值", self.target), ("实际值", self.actual)):
            if isinstance(value, str):
                try:
                    _measurable(_to_decimal(value))
                except PydanticCustomError as exc:
                    raise PydanticCustomError(
                        "target_words",
                        '列"{column}" {why}；文字目标（如 效果明显、9月前）的方向应填“定性”并填写完成程度 / '
                        "words are for a qualitative target: write 定性 as its 方向 and state "
                        "its 完成程度",
                        {"column": column, "why": exc.message()},
                    ) from None
        return self

    @property
    def qualitative(self) -> bool:
        return self.direction == "定性"


def _reason(message: str) -> type[str]:
    """A score's reason: not empty, not 未填报 (else refused with `message`)."""

    def given(value: str) -> str:
        if not value.strip() or is_not_stated_text(value):
            raise PydanticCustomError("reason_required", message, {"found": excerpt(value)})
        return value

    return Annotated[
        str, AfterValidator(given), AfterValidator(_paragraph), AfterValidator(_no_controls)
    ]


# A self score replaces the computed one only with its reason.
Reason = _reason(
    '"{found}"：自评得分须写明理由（为何得此分），不能为空或“未填报”；不自评的指标请删去此行，'
    "按评分表计算得分 / a self score needs its reason written out, not empty or 未填报; "
    "to keep the computed score, delete the row"
)
# An evaluator's score counts only with its reason.
ReviewReason = _reason(
    '"{found}"：评审得分须写明理由（为何得此分），不能为空或“未填报”；未评审的项请删去此行 / '
    "an evaluator's score needs its reason written out, not empty or 未填报; delete the "
    "row of an item not yet scored"
)


class SelfScore(Frozen):
    indicator: Text = Field(alias="指标")  # framework indicator id or name
    score: Score = Field(alias="自评得分")
    reason: Reason = Field(alias="理由")
    illustrative: Illustrative = Field(default=(), alias="示例数据")


class ReviewScore(Frozen):
    """One row of review_scores.csv: the evaluator's score of an indicator (scored_by:
    evaluator) or of one evaluator-scored checklist item (named in 项目), with its reason."""

    indicator: Text = Field(alias="指标")  # framework indicator id or name
    item: Annotated[Plain, BeforeValidator(lambda v: (v or "").strip())] = Field(
        default="", alias="项目"
    )  # the checklist item's label; empty for an indicator scored as a whole
    score: Score = Field(alias="评审得分")
    reason: ReviewReason = Field(alias="理由")
    illustrative: Illustrative = Field(default=(), alias="示例数据")


# Files a data folder may hold besides PARTS, read only where present (review_scores.csv: only
# frameworks with evaluator-scored indicators read it).
OPTIONAL_TABLES: dict[str, type[Frozen]] = {"review_scores.csv": ReviewScore}

# CSV files of a data folder and the row model of each; the header row must name these columns.
TABLES: dict[str, type[Frozen]] = {
    "budget.csv": BudgetLine,
    "sangong.csv": SanGongLine,
    "targets.csv": Target,
    "self_scores.csv": SelfScore,
}

# Columns of targets.csv that only frameworks scoring by them need (the national form's 二级指标,
# 分值, 完成程度, 偏差原因): a data folder has them only where a row gives one.
FRAMEWORK_COLUMNS = ("二级指标", "分值", "完成程度", "偏差原因分析及改进措施")

# Sections of narrative.md ("## 标题"); the report quotes them. Indicator notes: "## 指标:<名称>".
NARRATIVE_REQUIRED = ("单位职能", "重点工作", "自评过程", "主要做法和经验", "存在问题", "改进措施")
# 上年存在问题整改情况: this year's progress on last year's 存在问题, item by item under their numbers
PROGRESS_SECTION = "上年存在问题整改情况"
NARRATIVE_OPTIONAL = ("评价小组", "其他自评情况", PROGRESS_SECTION)
