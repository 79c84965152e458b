"""Standard sentences follow the figures: all met / partly met, no new projects, over budget.

Each standard sentence, whole, in each of its cases: 低于 / 等于 / 超过, all met / some missed /
not known, stated / 未填报; and the score that the same figures give, where one follows."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from selfeval_lib import load_report
from selfeval_lib.report import narrative as n
from selfeval_lib.report.narrative import (
    describe_pre_assessment,
    describe_sangong,
    describe_targets,
    describe_team,
)

from ..conftest import edit, stated_rate_unit


def test_team_sentence_is_the_reference_sentence(example_params):
    r = load_report(example_params)
    assert (
        describe_team(r.unit)
        == "人员构成：由分管财政工作的李培易党委委员为组长，党政办主任张东梅为副组长，九大办负责人为成员。"
    )


def test_missed_targets_are_named(unit_copy):
    edit(unit_copy.parent.parent / "data/2024/qianshan/targets.csv", "≥,7200,7415", "≥,8000,7415")
    text = describe_targets(load_report(unit_copy).indicators, "产出")
    # the fixture's 目标值 are illustrative, so the count of completed targets carries ※
    assert text.startswith("本年度，部门设定产出指标5项，完成4项※，规模以上工业增加值未达目标。")


def test_no_new_projects(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/management.yaml",
        "new_projects:\n  - {name: 乡村振兴基础设施建设项目, pre_assessed: true}",
        "new_projects: []",
    )
    r = load_report(unit_copy)
    assert (
        describe_pre_assessment(r.unit, r.indicators)
        == "本年度部门无新增项目，不涉及新增项目事前绩效评估。"
    )
    assert r.card.scores[3].basis == "本年度无新增项目，不涉及事前绩效评估，得满分。"


def test_sangong_over_budget_wording(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "sangong.csv", "5.42,5.42", "5.00,5.42")
    edit(data / "unit.yaml", "sangong_budget: 26.77", "sangong_budget: 26.35")
    text = describe_sangong(load_report(unit_copy).indicators)
    assert (
        text
        == "“三公”经费财政拨款支出决算为26.77万元，完成全年预算26.35万元的101.59%，超过预算安排的经费数。"
    )


# --- from sentences ------------------------------------------------------------


def _data(params: Path) -> Path:
    return params.parent.parent / "data/2024/qianshan"


def _score(report, name: str):
    return next(s for s in report.card.scores if s.indicator.name == name)


# --- “三公”经费: the sentence and the score agree on 低于 / 等于 / 超过 ------------------------


def _sangong(params: Path, 接待: str, total: str):
    edit(_data(params) / "sangong.csv", "公务接待费,5.42,5.42", f"公务接待费,5.42,{接待}")
    edit(_data(params) / "unit.yaml", "sangong_actual: 26.77", f"sangong_actual: {total}")
    return load_report(params)


def test_sangong_below_budget(unit_copy):
    r = _sangong(unit_copy, "5.00", "26.35")
    assert n.describe_sangong(r.indicators) == (
        "“三公”经费财政拨款支出决算为26.35万元，完成全年预算26.77万元的98.43%，"
        "低于预算安排的经费数。"
    )
    running_cost = _score(r, "运行成本")
    assert (running_cost.score, running_cost.basis) == (
        D("3.00"),
        "“三公”经费决算26.35万元，低于预算26.77万元，得满分。",
    )


def test_sangong_equal_to_budget(unit_copy):
    r = load_report(unit_copy)
    assert n.describe_sangong(r.indicators) == (
        "“三公”经费财政拨款支出决算为26.77万元，完成全年预算26.77万元的100%，等于预算安排的经费数。"
    )
    assert _score(r, "运行成本").basis == "“三公”经费决算26.77万元，等于预算26.77万元，得满分。"


def test_sangong_over_budget(unit_copy):
    r = _sangong(unit_copy, "6.42", "27.77")
    assert n.describe_sangong(r.indicators) == (
        "“三公”经费财政拨款支出决算为27.77万元，完成全年预算26.77万元的103.74%，"
        "超过预算安排的经费数。"
    )
    running_cost = _score(r, "运行成本")
    # 3.74 % over: 3 x 0.374 = 1.122 points off
    assert (running_cost.score, running_cost.basis) == (
        D("1.88"),
        "“三公”经费决算27.77万元，超过预算26.77万元的3.74%，扣1.12分。",
    )
    assert r.card.total == D("84.88")  # 86 with the full 3 points


def test_sangong_without_a_budget(unit_copy):
    data = _data(unit_copy)
    for line in ("公务用车运行维护费,21.35,21.35", "公务接待费,5.42,5.42"):
        item = line.split(",")[0]
        edit(data / "sangong.csv", line, f"{item},0.00,0.00")
    edit(data / "unit.yaml", "sangong_budget: 26.77", "sangong_budget: 0")
    edit(data / "unit.yaml", "sangong_actual: 26.77", "sangong_actual: 0")
    r = load_report(unit_copy)
    assert n.describe_sangong(r.indicators) == (
        "“三公”经费财政拨款支出决算为0.00万元，全年未安排预算，执行率不适用。"
    )
    assert _score(r, "运行成本").basis == (
        "“三公”经费预算与决算均为0，未超预算，按评分表零预算规定得满分。"
    )


def _blank_column(path: Path, column: int) -> None:
    """Write 未填报 in one column of every data row of a CSV file."""
    rows = path.read_text(encoding="utf-8").splitlines()
    rows[1:] = [
        ",".join("未填报" if i == column else c for i, c in enumerate(r.split(",")))
        for r in rows[1:]
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_sangong_budget_or_spending_not_stated(unit_copy):
    edit(_data(unit_copy) / "unit.yaml", "sangong_budget: 26.77", "sangong_budget: 未填报")
    _blank_column(_data(unit_copy) / "sangong.csv", 1)
    r = load_report(unit_copy)
    assert (
        n.describe_sangong(r.indicators)
        == "“三公”经费财政拨款支出决算为26.77万元，全年预算未填报。"
    )
    edit(_data(unit_copy) / "unit.yaml", "sangong_actual: 26.77", "sangong_actual: 未填报")
    _blank_column(_data(unit_copy) / "sangong.csv", 2)
    r = load_report(unit_copy)
    assert n.describe_sangong(r.indicators) == "“三公”经费财政拨款支出决算未填报。"


# --- 运行成本: totals and year-on-year changes ------------------------------------------------


def test_running_cost_states_totals_and_changes_both_ways(unit_copy):
    r = load_report(unit_copy)
    assert n.describe_running_cost(r.unit, r.indicators) == (
        "单位2024年度总支出4,898.86万元，其中本年支出4,462.32万元。"
        "其中，基本支出1,589.88万元，比上年决算数增加107.60万元※；"  # 上年支出 is illustrative
        "项目支出2,872.44万元，比上年决算数减少788.86万元；"
        "“三公”经费财政拨款支出决算为26.77万元，完成全年预算26.77万元的100%，等于预算安排的经费数。"
    )


def test_running_cost_without_total_expenditure_or_last_year(unit_copy):
    data = _data(unit_copy)
    edit(data / "unit.yaml", "  total_expenditure: 4898.86", "  total_expenditure: 未填报")
    _blank_column(data / "budget.csv", 6)
    r = load_report(unit_copy)
    text = n.describe_running_cost(r.unit, r.indicators)
    assert text.startswith(
        "单位2024年度本年支出4,462.32万元。其中，基本支出1,589.88万元；项目支出2,872.44万元；"
    )


def test_a_change_of_nothing_reads_flat(unit_copy):
    edit(_data(unit_copy) / "budget.csv", "2872.44,3661.30", "2872.44,2872.44")
    r = load_report(unit_copy)
    assert "项目支出2,872.44万元，比上年决算数持平；" in n.describe_running_cost(
        r.unit, r.indicators
    )


# --- 支出率 ----------------------------------------------------------------------------------


def test_spending_rate_sentence_given_zero_and_not_stated(unit_copy):
    r = load_report(unit_copy)
    assert n.describe_spending_rate(r.indicators) == (
        "本年度部门用款计划执行表中，单位资金支出率为93%※（本年支出4,462.32万元，调整预算4,798.19万元※）。"
    )
    data = _data(unit_copy)
    budget = data / "budget.csv"
    rows = budget.read_text(encoding="utf-8").splitlines()
    rows = [rows[0]] + [
        ",".join(c if i != 4 else "0.00" for i, c in enumerate(r.split(","))) for r in rows[1:]
    ]
    budget.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = load_report(unit_copy)
    assert n.describe_spending_rate(r.indicators) == "本年度调整预算为0，单位资金支出率不适用。"
    rows = [rows[0]] + [
        ",".join(c if i != 4 else "未填报" for i, c in enumerate(r.split(","))) for r in rows[1:]
    ]
    budget.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert (
        n.describe_spending_rate(load_report(unit_copy).indicators)
        == "本年度单位资金支出率未填报。"
    )


def test_a_stated_rate_its_own_figures_contradict_is_not_the_rate_stated(unit_copy):
    """Issue 20: never "支出率为100%（本年支出1,925.67万元，调整预算2,030.12万元）"."""
    stated_rate_unit(unit_copy, "100")
    sentence = n.describe_spending_rate(load_report(unit_copy).indicators)
    assert "支出率为94.85%※（本年支出1,925.67万元，调整预算2,030.12万元※）" in sentence
    assert "100%" not in sentence


# --- 目标: completion capped at 100 %, and the sentence that says so ---------------------------


def test_an_overachieved_target_counts_as_100_percent_not_more(unit_copy):
    """130 % of one goal does not make up for 80 % of another: the average is 96 %, not 103.8 %."""
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "≥,7200,7415", "≥,7200,9360")  # 130 %
    edit(targets, "≥,5000,5085", "≥,5000,4000")  # 80 %
    r = load_report(unit_copy)
    completions = [t.completion.value for t in r.indicators.targets_of("产出")]
    assert completions == [D(100), D(100), D(100), D(100), D("80.00")]
    output = _score(r, "部门整体绩效目标产出完成情况")
    assert (output.computed, output.computed_basis) == (
        D("24.00"),
        "产出指标5项，完成4项※，平均完成率96%※，扣1分※。",
    )
    assert n.describe_targets(r.indicators, "产出").startswith(
        "本年度，部门设定产出指标5项，完成4项※，固定资产投资未达目标。"
    )


def test_a_target_to_stay_below_is_complete_at_or_below_its_goal(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    # 农村生活污水治理率 as a ceiling: 96.5 against ≤ 95 is 98.45 %; against ≤ 97 fully met
    edit(targets, "%,≥,95,96.5", "%,≤,95,96.5")
    r = load_report(unit_copy)
    sewage = next(t for t in r.indicators.targets if t.target.name == "农村生活污水治理率")
    assert sewage.completion.value == D("98.45") and sewage.met is False
    edit(targets, "%,≤,95,96.5", "%,≤,97,96.5")
    sewage = next(
        t
        for t in load_report(unit_copy).indicators.targets
        if t.target.name == "农村生活污水治理率"
    )
    assert sewage.completion.value == D(100) and sewage.met is True


def test_a_zero_base_counts_as_fully_met(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "个,≥,11,11", "个,≥,0,11")  # a goal of 0 to reach: met by anything
    edit(targets, "名,≥,261,261", "名,≤,261,0")  # at most 261, and none: met
    r = load_report(unit_copy)
    by_name = {t.target.name: t for t in r.indicators.targets}
    assert by_name["危房改造申报任务"].completion.value == D(100)
    assert by_name["优抚对象人数"].completion.value == D(100)
    assert _score(r, "部门整体绩效目标效益完成情况").computed == D("25.00")


def test_targets_all_met_some_missed_and_not_known(unit_copy):
    r = load_report(unit_copy)
    assert n.describe_targets(r.indicators, "产出").startswith(
        "本年度，部门围绕重点工作任务设定的各项绩效目标产出均按计划推进，5项指标全部完成※。"
        "全镇地区生产总值174477万元，增长3.4%；"
    )
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "≥,7200,7415", "≥,8000,7415")
    edit(targets, "≥,132000,135471", "≥,未填报,135471")
    text = n.describe_targets(load_report(unit_copy).indicators, "产出")
    assert text.startswith(
        "本年度，部门设定产出指标5项，其中1项的目标值未填报；规模以上工业增加值未达目标※。"
    )


def test_targets_set_none_is_said_only_where_the_unit_said_so(unit_copy):
    """Issue 20: "本年度未设定产出类绩效目标" only for a 无 row, never for rows left out."""
    targets = _data(unit_copy) / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("产出,")]
    targets.write_text("\n".join(kept) + "\n", encoding="utf-8")
    values = load_report(unit_copy).indicators
    said = n.describe_targets(values, "产出")
    assert "未设定" not in said and "未填报" in said
    # and the analyst's note: rows left out leave the completion unknown
    assert n.review_targets(values, "产出") == "产出类绩效目标未填报，无法判断完成情况。"
    targets.write_text("\n".join([*kept, "产出,无"]) + "\n", encoding="utf-8")
    values = load_report(unit_copy).indicators
    assert n.describe_targets(values, "产出") == "本年度未设定产出类绩效目标。"
    assert n.review_targets(values, "产出") == ""  # none set: nothing to judge
    # one target, neither its name nor its actual stated: counted in the lead, nothing more
    targets.write_text("\n".join([*kept, "产出,未填报,,万元,≥,170000,未填报,,,"]) + "\n", "utf-8")
    assert n.describe_targets(load_report(unit_copy).indicators, "产出") == (
        "本年度，部门设定产出指标1项，其中1项的实际值未填报。"
    )


def test_each_target_item_with_its_growth_up_down_or_flat(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "174477,,3.4", "174477,,-2")
    edit(targets, "1712.3764,,9.49", "1712.3764,,0")
    text = n.describe_targets(load_report(unit_copy).indicators, "产出")
    assert "全镇地区生产总值174477万元，下降2%；一般公共预算收入1712.3764万元，持平；" in text
    assert text.endswith("固定资产投资5085万元。")


# --- 事前绩效评估 ----------------------------------------------------------------------------

PROJECTS = "new_projects:\n  - {name: 乡村振兴基础设施建设项目, pre_assessed: true}"


@pytest.mark.parametrize(
    "projects, sentence, score",
    [
        (
            "new_projects:\n  - {name: 甲项目, pre_assessed: true}\n  - {name: 乙项目, pre_assessed: false}",
            "部门新增甲项目、乙项目2个，其中1个开展了事前绩效评估，评估覆盖率达50%。",
            "2.50",
        ),
        (
            "new_projects:\n  - {name: 甲项目, pre_assessed: true}\n  - {name: 乙项目, pre_assessed: true}",
            "部门新增甲项目、乙项目2个，均严格按照规定开展事前绩效评估工作，评估覆盖率达100%。",
            "5.00",
        ),
        ("new_projects: []", "本年度部门无新增项目，不涉及新增项目事前绩效评估。", "5"),
        (
            "new_projects:\n  - {name: 甲项目, pre_assessed: 未填报}\n  - {name: 乙项目, pre_assessed: true}",
            "部门新增甲项目、乙项目2个，其中1个是否开展事前绩效评估未填报。",
            "0",
        ),
        ("new_projects: 未填报", "本年度部门是否有新增项目未填报。", "0"),
    ],
)
def test_pre_assessment_sentence_and_score(unit_copy, projects, sentence, score):
    edit(_data(unit_copy) / "management.yaml", PROJECTS, projects)
    r = load_report(unit_copy)
    assert n.describe_pre_assessment(r.unit, r.indicators) == sentence
    assert _score(r, "新增项目事前绩效评估").score == D(score)


# --- the unit's own facts: stated or 未填报 --------------------------------------------------


def test_intro_with_and_without_the_notice(unit_copy):
    unit_yaml = _data(unit_copy) / "unit.yaml"
    edit(unit_yaml, "notice_number: 徐财绩〔2025〕5号", "notice_number: 未填报")
    intro = n.describe_intro(load_report(unit_copy).unit)
    assert intro.startswith(
        "根据《徐闻县财政关于开展2024年度县级财政资金绩效自评工作的通知》要求，"
        "我单位成立自评工作小组，开展2024年度部门整体支出绩效自评，形成本评价报告。"
    )
    assert intro.endswith("现将2024年度徐闻县前山镇人民政府整体支出绩效自评情况报告如下：")
    edit(
        unit_yaml,
        "notice_title: 徐闻县财政关于开展2024年度县级财政资金绩效自评工作的通知",
        "notice_title: 未填报",
    )
    assert n.describe_intro(load_report(unit_copy).unit).startswith("我单位成立自评工作小组，")
    text = (unit_yaml).read_text(encoding="utf-8")
    unit_yaml.write_text(re.sub(r"  team:\n(    - .*\n)+", "  team: 未填报\n", text), "utf-8")
    # no team stated, no method: nothing the unit did not state (no 查阅、核实有关账务)
    assert n.describe_intro(load_report(unit_copy).unit) == (
        "我单位开展2024年度部门整体支出绩效自评，形成本评价报告。"
        "现将2024年度徐闻县前山镇人民政府整体支出绩效自评情况报告如下："
    )


def test_profile_with_everything_not_stated_that_may_be(unit_copy):
    unit_yaml = _data(unit_copy) / "unit.yaml"
    for key, value in (
        ("superior", "徐闻县财政局"),
        ("nature", "政府机关"),
        ("accounting_standard", "政府会计准则制度"),
        ("industry_code", '"9221"'),
        ("industry_name", "综合事务管理机构"),
        ("subordinate_units", "0"),
    ):
        edit(unit_yaml, f"  {key}: {value}", f"  {key}: 未填报")
    edit(unit_yaml, "  retired: 48 ", "  retired: 未填报 ")
    r = load_report(unit_copy)
    assert n.describe_profile(r.unit, r.indicators) == (
        "徐闻县前山镇人民政府为行政单位（主管部门未填报），单位基本性质未填报，执行的会计制度未填报，"
        "机构行业类型未填报。下属二级预算单位情况未填报；机构编制部门核定人数96人、年末在职人数86人、"
        "离退休人数未填报、外聘临时工人数18人。"
    )


def test_profile_industry_without_code_and_subordinate_units(unit_copy):
    unit_yaml = _data(unit_copy) / "unit.yaml"
    edit(unit_yaml, '  industry_code: "9221"', "  industry_code: 未填报")
    edit(unit_yaml, "  subordinate_units: 0", "  subordinate_units: 3")
    r = load_report(unit_copy)
    assert n.describe_profile(r.unit, r.indicators).startswith(
        "徐闻县前山镇人民政府为徐闻县财政局下的行政单位，单位基本性质是政府机关，执行政府会计准则制度，"
        "机构行业类型为综合事务管理机构。下属二级预算单位3个；"
    )


def test_staffing_ratios_only_where_their_figures_are_given(unit_copy):
    r = load_report(unit_copy)
    assert n.describe_staffing(r.indicators) == (
        "在职人数占核定编制的89.58%；人均基本支出18.49万元；外聘临时工与在职人数之比为20.93%。"
    )
    unit_yaml = _data(unit_copy) / "unit.yaml"
    edit(unit_yaml, "  temporary: 18 ", "  temporary: 未填报 ")
    edit(unit_yaml, "  authorized: 96 ", "  authorized: 未填报 ")
    assert n.describe_staffing(load_report(unit_copy).indicators) == "人均基本支出18.49万元。"
    edit(unit_yaml, "  in_service: 86 ", "  in_service: 未填报 ")
    assert n.describe_staffing(load_report(unit_copy).indicators) == ""


def test_fill_date_submission_publication_and_team(unit_copy):
    unit_yaml = _data(unit_copy) / "unit.yaml"
    r = load_report(unit_copy)
    assert n.describe_fill_date(r.unit) == "2025年11月"
    assert n.describe_submission(r.unit) == (
        "自评材料在11月初报送，我单位对所报送自评材料真实性、完整性、一致性、规范性负责。"
    )
    assert n.describe_publication(r.unit) == (
        "本单位所报送的自评报告、数据表、评分表与公开的自评报告、数据表、评分表一致。"
    )
    edit(unit_yaml, "fill_date: 2025-11", "fill_date: 2025-11-05")
    edit(unit_yaml, "submitted: 11月初", "submitted: 未填报")
    edit(unit_yaml, "published_consistent: true", "published_consistent: false")
    edit(
        unit_yaml,
        "{role: 副组长, title: 党政办主任, name: 张东梅}",
        "{role: 副组长, title: 未填报, name: 张东梅}",
    )
    r = load_report(unit_copy)
    assert n.describe_fill_date(r.unit) == "2025年11月5日"
    assert n.describe_submission(r.unit) == (
        "自评材料报送时间未填报，我单位对所报送自评材料真实性、完整性、一致性、规范性负责。"
    )
    assert n.describe_publication(r.unit) == (
        "本单位所报送的自评报告、数据表、评分表与公开的自评报告、数据表、评分表不一致。"
    )
    assert n.describe_team(r.unit) == (
        "人员构成：由分管财政工作的李培易党委委员为组长，张东梅（职务未填报）为副组长，九大办负责人为成员。"
    )
    edit(
        unit_yaml,
        "{role: 组长, duty: 分管财政工作的, name: 李培易, title: 党委委员}",
        "{role: 组长, title: 未填报}",
    )
    edit(unit_yaml, "{role: 成员, title: 九大办负责人}", "{role: 成员, title: 未填报}")
    assert n.describe_team(load_report(unit_copy).unit) == (
        "人员构成：由张东梅（职务未填报）为副组长；组长、成员职务未填报。"
    )
    edit(unit_yaml, "{role: 副组长, title: 未填报, name: 张东梅}", "{role: 副组长, title: 未填报}")
    assert (
        n.describe_team(load_report(unit_copy).unit) == "人员构成：组长、副组长、成员职务未填报。"
    )
    text = unit_yaml.read_text(encoding="utf-8")
    unit_yaml.write_text(re.sub(r"  team:\n(    - .*\n)+", "  team: 无\n", text), "utf-8")
    assert n.describe_team(load_report(unit_copy).unit) == "本单位未成立自评工作小组。"  # team: 无
    unit_yaml.write_text(text, "utf-8")
    edit(unit_yaml, "fill_date: 2025-11-05", "fill_date: 未填报")
    edit(unit_yaml, "published_consistent: false", "published_consistent: 未填报")
    r = load_report(unit_copy)
    assert n.describe_fill_date(r.unit) == "未填报"
    assert n.describe_publication(r.unit) == (
        "本单位所报送的自评报告、数据表、评分表与公开的自评报告、数据表、评分表是否一致未填报。"
    )


def test_result_sentence_marks_an_illustrative_total(unit_copy):
    r = load_report(unit_copy)
    assert (
        n.describe_result(r.card)
        == "单位自评结果为：良※。自评总分86.00分※。12项指标所需数据均已填报。"
    )
    (_data(unit_copy) / "self_scores.csv").write_text(
        "指标,自评得分,理由,示例数据\n", encoding="utf-8"
    )
    r = load_report(unit_copy)
    assert (r.card.total, r.card.grade) == (D("99.00"), "优")
    assert (
        n.describe_result(r.card)
        == "单位自评结果为：优※。自评总分99.00分※。12项指标所需数据均已填报。"
    )
    # the unit declared 良: that the grades differ is a review note, not the unit's statement
    assert (
        "unit.yaml 单位申报的自评等级“良”与按评分表计算的等级“优”（99.00分）不一致。"
        in r.card.warnings
    )
    assert n.describe_title(r.unit) == "前山镇部门整体支出绩效自评报告"


def test_industry_name_not_stated_with_its_code(unit_copy):
    edit(
        _data(unit_copy) / "unit.yaml",
        "  industry_name: 综合事务管理机构",
        "  industry_name: 未填报",
    )
    r = load_report(unit_copy)
    assert "执行政府会计准则制度，机构行业类型未填报。" in n.describe_profile(r.unit, r.indicators)


def test_targets_without_marks_and_two_fields_not_stated(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    rows = targets.read_text(encoding="utf-8").splitlines()
    targets.write_text(
        "\n".join([rows[0], *(r.removesuffix("目标值") for r in rows[1:])]) + "\n", encoding="utf-8"
    )
    r = load_report(unit_copy)
    assert n.describe_targets(r.indicators, "产出").startswith(
        "本年度，部门围绕重点工作任务设定的各项绩效目标产出均按计划推进，5项指标全部完成。"
    )
    edit(targets, "万元,≥,170000,174477", "万元,≥,未填报,174477")
    edit(targets, "万元,≥,1650,1712.3764", "万元,未填报,1650,1712.3764")
    values = load_report(unit_copy).indicators
    # the unit's statement says what is not stated; what follows from it is a review note
    assert n.describe_targets(values, "产出").startswith(
        "本年度，部门设定产出指标5项，其中2项的目标值、方向未填报。全镇地区生产总值"
    )
    assert n.review_targets(values, "产出") == (
        "产出指标5项中2项的目标值、方向未填报，无法判断完成情况。"
    )


def test_a_stated_rate_without_a_stated_budget_has_no_figures_in_brackets(example_params):
    r = load_report(example_params)
    assert (
        n.describe_spending_rate(r.indicators)
        == "本年度部门用款计划执行表中，单位资金支出率为93%。"
    )


def test_target_items_carry_their_own_marks_units_and_words(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    edit(
        targets,
        "万元,≥,170000,174477,,3.4,目标值",
        "万元,≥,170000,174477,,3.4,目标值;实际值;增长率",
    )
    edit(targets, "万元,≥,1650,1712.3764", "未填报,≥,1650,1712.3764")
    edit(targets, "万元,≥,5000,5085", "万元,≥,5000,未填报")
    text = n.describe_targets(load_report(unit_copy).indicators, "产出")
    assert text.endswith(
        "全镇地区生产总值174477万元※，增长3.4%※；一般公共预算收入1712.3764（计量单位未填报），增长9.49%；"
        "农林牧渔业总产值135471万元，增长4.0%；规模以上工业增加值7415万元，增长4.3%；"
        "固定资产投资未填报。"
    )


def test_the_units_own_growth_word(example_params):
    text = n.describe_targets(load_report(example_params).indicators, "产出")
    assert "农林牧渔业总产值135471万元，同比增长4.0%；" in text


def test_every_missed_target_is_named(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "≥,7200,7415", "≥,8000,7415")
    edit(targets, "≥,5000,5085", "≥,6000,5085")
    assert n.describe_targets(load_report(unit_copy).indicators, "产出").startswith(
        "本年度，部门设定产出指标5项，完成3项※，规模以上工业增加值、固定资产投资未达目标。"
    )
    edit(targets, "≥,132000,135471", "≥,未填报,135471")
    assert n.describe_targets(load_report(unit_copy).indicators, "产出").startswith(
        "本年度，部门设定产出指标5项，其中1项的目标值未填报；"
        "规模以上工业增加值、固定资产投资未达目标※。"
    )


def test_projects_whose_assessment_is_not_stated_are_counted(unit_copy):
    edit(
        _data(unit_copy) / "management.yaml",
        PROJECTS,
        "new_projects:\n  - {name: 甲, pre_assessed: true}\n  - {name: 乙, pre_assessed: true}\n"
        "  - {name: 丙, pre_assessed: 未填报}",
    )
    r = load_report(unit_copy)
    assert n.describe_pre_assessment(r.unit, r.indicators) == (
        "部门新增甲、乙、丙3个，其中1个是否开展事前绩效评估未填报。"
    )


def test_subordinate_units_left_out_are_not_stated_not_none(unit_copy):
    """Trap: an omitted `subordinate_units` printed "无下属二级预算单位"."""
    unit_yaml = _data(unit_copy) / "unit.yaml"
    edit(unit_yaml, "  subordinate_units: 0\n", "")
    r = load_report(unit_copy)
    said = n.describe_profile(r.unit, r.indicators)
    assert "无下属二级预算单位" not in said and "下属二级预算单位情况未填报" in said
    edit(unit_yaml, "  industry_name:", "  subordinate_units: 无\n  industry_name:")
    r = load_report(unit_copy)
    assert "无下属二级预算单位" in n.describe_profile(r.unit, r.indicators)


# --- traps: sentences that stated what the unit did not -----------------------------------------


def test_a_spending_type_with_no_row_is_not_stated_not_zero(unit_copy):
    """Budget lines of 基本支出 only: 项目支出 is 未填报, never "项目支出0万元，比上年决算数持平"."""
    data = _data(unit_copy)
    budget = data / "budget.csv"
    lines = budget.read_text(encoding="utf-8").splitlines()
    budget.write_text("\n".join(x for x in lines if not x.startswith("项目支出")) + "\n", "utf-8")
    edit(data / "unit.yaml", "  project: 2872.44 ", "  # project not stated ")
    r = load_report(unit_copy)
    assert r.indicators.project.missing == ("budget.csv: 无“项目支出”行",)
    text = n.describe_running_cost(r.unit, r.indicators)
    assert "项目支出未填报；" in text
    assert "项目支出0" not in text and "持平" not in text
    assert "其中本年支出4,462.32万元。其中，基本支出" in text  # the stated total
    # without it, 本年支出 is 未填报 too, and the lines are no longer "其中" of a figure said
    edit(data / "unit.yaml", "  actual: 4462.32 ", "  # actual not stated ")
    text = n.describe_running_cost(r.unit, load_report(unit_copy).indicators)
    assert "其中本年支出未填报。基本支出1,589.88万元" in text


def test_a_target_named_not_stated_is_never_said_twice(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "产出,地区生产总值,全镇地区生产总值,万元", "产出,未填报,,万元")
    text = n.describe_targets(load_report(unit_copy).indicators, "产出")
    assert "未填报未填报" not in text
    assert "。名称未填报的指标174477万元，增长3.4%；一般公共预算收入1712.3764万元" in text
    # missed, it is named for what it is: one target whose name is not stated
    edit(targets, "产出,未填报,,万元,≥,170000,174477", "产出,未填报,,万元,≥,180000,174477")
    text = n.describe_targets(load_report(unit_copy).indicators, "产出")
    assert "，完成4项※，1项名称未填报的指标未达目标。" in text
    edit(targets, "产出,未填报,,万元,≥,180000,174477", "产出,未填报,,万元,≥,170000,174477")
    # neither its name nor its actual: nothing to say of it (it is counted in the lead)
    edit(targets, "产出,未填报,,万元,≥,170000,174477", "产出,未填报,,万元,≥,170000,未填报")
    text = n.describe_targets(load_report(unit_copy).indicators, "产出")
    assert "未填报未填报" not in text
    assert text.startswith("本年度，部门设定产出指标5项，其中1项的实际值未填报。一般公共预算收入")


def test_a_target_whose_actual_is_not_stated_names_it_without_its_verb(unit_copy):
    """ "县道好路率达" + 未填报 is not Chinese: the bare name is said, "县道好路率未填报"."""
    targets = _data(unit_copy) / "targets.csv"
    edit(
        targets,
        "效益,农村生活污水治理率,农村生活污水治理率达,%,≥,95,96.5",
        "效益,农村生活污水治理率,农村生活污水治理率达,%,≥,95,未填报",
    )
    text = n.describe_targets(load_report(unit_copy).indicators, "效益")
    assert "；农村生活污水治理率未填报；" in text and "达未填报" not in text


def test_amounts_in_sentences_have_the_tables_two_decimals(unit_copy):
    edit(_data(unit_copy) / "unit.yaml", "total_expenditure: 4898.86", "total_expenditure: 5381.8")
    r = load_report(unit_copy)
    assert n.describe_running_cost(r.unit, r.indicators).startswith(
        "单位2024年度总支出5,381.80万元，其中本年支出4,462.32万元。"
        "其中，基本支出1,589.88万元，比上年决算数增加107.60万元※；"
    )


@pytest.mark.parametrize(
    "bands, said",
    [
        ((("优", 90), ("良", 80), ("中", 60), ("差", 0)), "优≥90、良≥80、中≥60、差<60"),
        ((("合格", 60), ("基本合格", 40), ("不合格", 0)), "合格≥60、基本合格≥40、不合格<40"),
        ((("A", 95), ("B", 85), ("C", 75), ("D", 60), ("E", 0)), "A≥95、B≥85、C≥75、D≥60、E<60"),
        ((("合格", 0),), "合格"),
    ],
)
def test_the_grade_bands_are_said_as_the_framework_draws_them(bands, said):
    """The 评分标准's grade line for four bands, three, five, or a single one (every total)."""
    from selfeval_lib.frameworks.model import GradeBand

    assert n.describe_bands([GradeBand(grade=g, min=m) for g, m in bands]) == said
