"""The inventory of the report's sentence templates: what each says, the inputs it needs and its
form when one of them is 未填报, in one place.

Every generated sentence is one of three things: the unit's own statement, a figure computed
from figures the unit stated, or a plain statement of what is not stated ("县道好路率未填报",
"评价小组人员构成未填报。"). No template states a value or fact it was not given: where an input
is 未填报 the template either says so in grammatical Chinese or leaves the clause out, as its
entry records. tests/report/test_sentences.py renders every entry with each of its inputs
未填报 in turn, so a template added here is checked as soon as it is listed.

Two voices (decided with issue 21's filing and review editions): a sentence of voice "unit"
is the unit's statement and says plainly what is not stated, nothing more; a sentence of voice
"review" is the analyst's note on what follows from it ("…无法判断完成情况", a grade that
differs from the declared one) and is shown only among the review notes (附：数据核对提示).

Inputs are dotted paths into the Report: "unit.facts.identity.superior" (a value of the data
contract), "unit.narrative.单位职能" (a narrative section), "indicators.actual" (a figure of the
computed result) or "indicators.targets[产出].actual" (that figure of every target of the
category)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..inputs.schema import NARRATIVE_OPTIONAL, NARRATIVE_REQUIRED
from ..values import NOT_STATED_WORD
from . import charts, display, narrative
from .blocks import Part
from .content import Report


@dataclass(frozen=True)
class Template:
    """One sentence template of the report.

    name: what it is, as the report's section names it.
    render: the sentence(s) for a report ('' where the template writes nothing).
    inputs: the dotted paths it reads that may be 未填报.
    not_stated: its form when one of them is 未填报.
    omits: the inputs whose 未填报 leaves a clause out rather than saying 未填报.
    voice: "unit" (the unit's statement) or "review" (the analyst's note, review notes only).
    """

    name: str
    render: Callable[[Report], str]
    inputs: tuple[str, ...]
    not_stated: str
    omits: tuple[str, ...] = ()
    voice: Literal["unit", "review"] = "unit"


W = NOT_STATED_WORD  # in the forms below
IDENTITY = "unit.facts.identity."
EVALUATION = "unit.facts.evaluation."


def _text(part) -> str:
    """The text of a display Part's paragraphs and list items, one per line."""
    lines = []
    for b in part.blocks:
        if b["kind"] == "paragraph":
            lines.append("".join(r["text"] for r in b["runs"]))
        elif b["kind"] == "list":
            lines += ["".join(r["text"] for r in item) for item in b["items"]]
    return "\n".join(lines)


def _target_inputs(category: str) -> tuple[str, ...]:
    rows = f"indicators.targets[{category}]."
    return ("indicators.targets", *(rows + f for f in ("name", "unit", "actual", "growth_pct")))


def _section_template(section: str) -> Template:
    return Template(
        f"文字材料：{section}",
        lambda r: _text(display.section_part(r, section)),
        (f"unit.narrative.{section}",),
        f"“{section}{W}。”",
    )


TEMPLATES: tuple[Template, ...] = (
    Template(
        "开头",
        lambda r: narrative.describe_intro(r.unit),
        (EVALUATION + "notice_title", EVALUATION + "notice_number", EVALUATION + "team"),
        f"不写所依据的通知（或其文号）；评价小组{W}的，不写“成立自评工作小组”",
        omits=(EVALUATION + "notice_title", EVALUATION + "notice_number", EVALUATION + "team"),
    ),
    Template(
        "单位概况",
        lambda r: narrative.describe_profile(r.unit, r.indicators),
        (
            *(
                IDENTITY + k
                for k in (
                    "superior",
                    "nature",
                    "accounting_standard",
                    "industry_name",
                    "subordinate_units",
                )
            ),
            *(f"indicators.{k}" for k in ("authorized", "in_service", "retired", "temporary")),
        ),
        f"“主管部门{W}”“单位基本性质{W}”“下属二级预算单位情况{W}”“离退休人数{W}”等",
    ),
    Template(
        "人员比例",
        lambda r: narrative.describe_staffing(r.indicators),
        ("indicators.staffing_rate", "indicators.basic_per_staff", "indicators.temporary_ratio"),
        f"{W}的比例不写；三者皆{W}的，整句不写",
        omits=(
            "indicators.staffing_rate",
            "indicators.basic_per_staff",
            "indicators.temporary_ratio",
        ),
    ),
    Template(
        "单位职能",
        lambda r: _text(sum(display.functions_part(r), Part())),
        ("unit.narrative.单位职能",),
        f"“单位主要职能{W}。”（不写“单位主要职能有：{W}”）",
    ),
    *(_section_template(s) for s in (*NARRATIVE_REQUIRED, *NARRATIVE_OPTIONAL)),
    Template(
        "评价小组",
        lambda r: narrative.describe_team(r.unit),
        (EVALUATION + "team",),
        f"“评价小组人员构成{W}。”；某一职务{W}的，“组长职务{W}”",
    ),
    Template(
        "报送时间",
        lambda r: narrative.describe_submission(r.unit),
        (EVALUATION + "submitted",),
        f"“自评材料报送时间{W}，…”",
    ),
    Template(
        "报送与公开一致",
        lambda r: narrative.describe_publication(r.unit),
        (EVALUATION + "published_consistent",),
        f"“…是否一致{W}。”",
    ),
    Template(
        "自评结果",
        lambda r: narrative.describe_result(r.card),
        (),
        f"总分与等级之后总说明其所依据的指标：几项所需数据{W}、按评分表计几分，其余几项得几分",
    ),
    *(
        Template(
            f"{category}目标",
            lambda r, c=category: narrative.describe_targets(r.indicators, c),
            _target_inputs(category),
            f"“本年度{category}类绩效目标{W}。”；“其中5项的方向、目标值{W}。”；"
            f"实际值{W}的写“县道好路率{W}”；名称{W}的写“名称{W}的指标”",
            omits=(f"indicators.targets[{category}].growth_pct",),
        )
        for category in ("产出", "效益")
    ),
    *(
        Template(
            f"{category}目标：审核提示",
            lambda r, c=category: narrative.review_targets(r.indicators, c),
            ("indicators.targets",),
            f"“{category}类绩效目标{W}，无法判断完成情况。”",
            voice="review",
        )
        for category in ("产出", "效益")
    ),
    Template(
        "支出率",
        lambda r: narrative.describe_spending_rate(r.indicators),
        ("indicators.spending_rate", "indicators.actual", "indicators.adjusted_budget"),
        f"“本年度单位资金支出率{W}。”；本年支出或调整预算{W}的，括号内的数不写",
        omits=("indicators.actual", "indicators.adjusted_budget"),
    ),
    Template(
        "新增项目事前评估",
        lambda r: narrative.describe_pre_assessment(r.unit, r.indicators),
        ("unit.management.new_projects", "indicators.pre_assessed"),
        f"“本年度部门是否有新增项目{W}。”；“其中1个是否开展事前绩效评估{W}。”",
    ),
    Template(
        "运行成本",
        lambda r: narrative.describe_running_cost(r.unit, r.indicators),
        (
            "indicators.total_expenditure",
            "indicators.actual",
            "indicators.basic",
            "indicators.project",
            "indicators.basic_change",
            "indicators.project_change",
            "indicators.sangong_actual",
            "indicators.sangong_budget",
        ),
        f"总支出{W}的不写；“本年支出{W}”“项目支出{W}”；增减{W}的不写；“三公”经费见下条",
        omits=(
            "indicators.total_expenditure",
            "indicators.basic_change",
            "indicators.project_change",
        ),
    ),
    Template(
        "“三公”经费",
        lambda r: narrative.describe_sangong(r.indicators),
        ("indicators.sangong_actual", "indicators.sangong_budget"),
        f"“‘三公’经费财政拨款支出决算{W}。”；“…，全年预算{W}。”",
    ),
    Template(
        "图：年度对比",
        lambda r: charts.note_year_on_year(r.indicators, r.unit.params.year),
        (
            "indicators.basic_last",
            "indicators.project_last",
            "indicators.basic",
            "indicators.project",
        ),
        f"“2023年基本支出与项目支出{W}，图中未列”",
    ),
)

# Text functions of narrative.py that write no sentence on the unit's inputs, and why.
NOT_SENTENCES = {
    "describe_title": "the title: the unit's name, which must be stated",
    "describe_fill_date": f"a cover field (填报日期：2025年11月 / {W}), not a sentence",
    "describe_bands": "the framework's grade bands, not the unit's data",
}
