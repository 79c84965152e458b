"""The example's grade and how it comes about; self-assessed scores override only with a reason;
an indicator resting on 未填报 is scored by the framework's missing-data policy.

The scorecard a unit gets: checklists from its facts, 未填报 by the framework's policy, manual
indicators, self scores over computed ones, and the marks on total and grade."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from selfeval_lib import FrameworkError, load_framework, load_report
from selfeval_lib.errors import SelfEvalError
from selfeval_lib.evaluate.scoring import _fields, cap_rate, describe_total_cap, score_extras_of
from selfeval_lib.frameworks.model import Extras, TotalCap, framework_path
from selfeval_lib.values import NOT_STATED, Fig

from ..conftest import REFERENCE_INDICATORS, ROOT, edit, national_copy, stated_rate_unit


def test_the_example_grade_is_the_reference_grade_and_rests_on_marked_self_scores(example_params):
    card = load_report(example_params).card
    assert card.grade == "良"
    assert card.total == D("86.00")
    assert card.illustrative  # the three self scores are illustrative: the total and grade carry ※
    assert card.declared_grade == "良"
    assert card.warnings == ()


def test_overrides_show_both_scores_and_the_reason(example_params):
    card = load_report(example_params).card
    by_name = {s.indicator.name: s for s in card.scores}
    output = by_name["部门整体绩效目标产出完成情况"]
    assert (output.computed, output.self_score, output.score) == (D(0), D(20), D(20))
    assert output.self_illustrative and output.illustrative
    assert output.basis.startswith("自评20.00分※：")  # the self score is illustrative
    # the reference states no 目标值: the framework's missing-data policy, named in the basis
    assert output.basis.endswith(
        "（系统计算0.00分：所需数据未填报（方向、目标值，共10项），按评分表未填报规定不得分。）"
    )
    assert 'targets.csv: 第6行 列"目标值"' in output.not_stated
    assert (
        by_name["部门预算资金支出率"].basis
        == "单位所列支出率93%，低于95%标准2个百分点，每个百分点扣0.5分，扣1分。"
    )
    execution = by_name["绩效管理制度执行"]
    assert execution.not_stated == ("management.yaml: facts.monitoring_done",)
    # without the unit's own scores the framework alone gives 44: 差
    assert (card.computed_total, card.computed_grade) == (D("44.00"), "差")


def test_an_evaluator_scored_basis_quotes_the_self_reason_whole_but_its_closing_full_stop():
    """Where the evaluator's score counts, the unit's own score and reason follow in brackets: the
    reason as the unit wrote it, less a closing 。 (the sentence goes on)."""
    setting = load_report(ROOT / "params" / "synth_pee_2024.yaml").card.scores[0]
    assert setting.review_counts and setting.self_score == D(4)
    for reason, quoted in (
        ("目标已完成。", "目标已完成"),
        ("目标已完成，详见附表X", "目标已完成，详见附表X"),
    ):
        assert replace(setting, self_reason=reason).basis.endswith(
            f"按评分表以评审得分计入总分；单位自评4.00分：{quoted}（不计入总分）。"
        )


def test_declared_grade_that_disagrees_is_a_warning(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "declared_grade: 良",
        "declared_grade: 优",
    )
    card = load_report(unit_copy).card
    assert card.warnings == (
        "unit.yaml 单位申报的自评等级“优”与按评分表计算的等级“良”（86.00分）不一致。",
    )


def test_indicators_follow_the_reference_order():
    fw = load_framework("gd_township_2024")
    assert [i.name for i in fw.indicators] == REFERENCE_INDICATORS
    assert fw.total_weight == 100
    assert [fw.grade_for(D(x)) for x in (90, 89.99, 80, 60, 59.99)] == [
        "优",
        "良",
        "良",
        "中",
        "差",
    ]


def test_a_county_framework_replaces_the_default_without_code(unit_copy, tmp_path):
    county = tmp_path / "county.yaml"
    text = framework_path("gd_township_2024").read_text(encoding="utf-8")
    county.write_text(
        text.replace("full_at: 95, deduct_per_point: 0.5", "full_at: 90, deduct_per_point: 0.5")
        .replace("支出率≥95%得满分", "支出率≥90%得满分")  # the standard it prints says so too
        .replace("id: gd_township_2024", "id: county_2024"),
        encoding="utf-8",
    )
    edit(unit_copy, "framework: gd_township_2024", f"framework: {county}")
    card = load_report(unit_copy).card
    assert card.framework_id == "county_2024"
    assert card.total == D("87.00")  # 93% now meets the county's 90% threshold


def test_framework_header_says_weights_are_a_default():
    header = framework_path("gd_township_2024").read_text(encoding="utf-8")[:800]
    assert "CONFIGURABLE DEFAULT" in header and "NOT an official table" in header


def test_a_broken_framework_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\nname: x\nnotice: x\ngrades: []\nindicators:\n  - id: a\n    name: A\n",
        encoding="utf-8",
    )
    with pytest.raises(
        FrameworkError,
        match=r"bad.yaml 第6行第5列 / line 6, column 5: indicators\[0\] \(id: a\).level1: 缺少此项 / missing",
    ):
        load_framework(str(bad))
    with pytest.raises(
        FrameworkError, match="framework not found; bundled frameworks: gd_township_2024"
    ):
        load_framework("nope")


def test_a_framework_without_grade_bands_is_a_clear_error(tmp_path):
    text = framework_path("gd_township_2024").read_text(encoding="utf-8")
    start, end = text.index("grades:"), text.index("indicators:")
    bad = tmp_path / "no_grades.yaml"
    bad.write_text(text[:start] + "grades: []\n" + text[end:], encoding="utf-8")
    with pytest.raises(FrameworkError, match="grades: 等级区间重叠或未按从高到低排列"):
        load_framework(str(bad))


def test_an_indicator_scored_alone_is_scored_as_in_the_scorecard(example_params):
    """score_indicator works out the indicator's inputs itself when not given them."""
    from selfeval_lib.evaluate.scoring import score_indicator

    r = load_report(example_params)
    scored = [s for s in r.card.scores if not s.not_stated]
    assert scored
    for s in scored:
        assert score_indicator(s.indicator, r.unit, r.indicators) == (s.computed, s.basis)


def _manual_county(unit_copy, tmp_path) -> None:
    """The default framework with 运行成本 scored by hand."""
    county = tmp_path / "manual.yaml"
    text = framework_path("gd_township_2024").read_text(encoding="utf-8")
    county.write_text(
        text.replace(
            "rule: {kind: budget_cap, measure: sangong, zero_budget: full_points}",
            "rule: {kind: manual}",
        ).replace("id: gd_township_2024", "id: manual_2024"),
        encoding="utf-8",
    )
    edit(unit_copy, "framework: gd_township_2024", f"framework: {county}")


def test_a_manual_indicators_self_score_is_its_score_with_its_reason(unit_copy, tmp_path):
    _manual_county(unit_copy, tmp_path)
    scores = unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv"
    with scores.open("a", encoding="utf-8") as f:
        f.write("运行成本,2.5,公务接待超出预算，扣0.5分。,\n")
    card = load_report(unit_copy).card
    cost = next(s for s in card.scores if s.indicator.name == "运行成本")
    assert (cost.computed, cost.score) == (D("2.50"), D("2.50"))
    assert cost.basis == "公务接待超出预算，扣0.5分。"
    assert cost.self_score is None and cost.self_reason == ""  # not shown again as an override
    assert not cost.illustrative


def test_a_score_by_the_not_stated_policy_carries_no_mark_of_other_inputs(unit_copy):
    """调整预算 is illustrative (※) but 本年支出 is 未填报: the rate indicator scores 0 by the
    未填报 policy, which no illustrative value can change, so neither it nor a total resting on
    it is marked."""
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "budget.csv", "1402.51", "未填报")
    edit(data / "unit.yaml", "actual: 4462.32", "actual: 未填报")
    edit(data / "unit.yaml", "basic: 1589.88", "basic: 未填报")
    card = load_report(unit_copy).card
    rate = next(s for s in card.scores if s.indicator.name == "部门预算资金支出率")
    assert rate.not_stated and rate.score == 0
    assert not rate.illustrative and "※" not in rate.basis
    assert rate.basis == "所需数据未填报（本年支出合计），按评分表未填报规定不得分。"


@pytest.mark.parametrize("reason", ["", "未填报", " 未填报 "])
def test_a_self_score_without_a_written_reason_is_refused(unit_copy, reason):
    """A self score replaces the computed one only with its reason: an empty reason or 未填报 is
    refused, naming the row, and the message does not suggest writing 未填报."""
    scores = unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv"
    scores.write_text(
        f"指标,自评得分,理由,示例数据\n部门预算资金支出率,10,{reason},\n", encoding="utf-8"
    )
    with pytest.raises(SelfEvalError) as refused:
        load_report(unit_copy)
    message = str(refused.value)
    assert "self_scores.csv" in message and '第2行 列"理由"' in message
    assert "自评得分须写明理由" in message and "a self score needs its reason" in message
    assert "请填写“未填报”" not in message


# --- from scorecard ------------------------------------------------------------


def _data(params):
    return params.parent.parent / "data/2024/qianshan"


def _score(report, name):
    return _score_of(report.card, name)


def _score_of(card, name):
    return next(s for s in card.scores if s.indicator.name == name)


def test_checklist_facts_become_deductions_in_the_standards_words(unit_copy):
    facts = _data(unit_copy) / "management.yaml"
    edit(facts, "finance_violations: 0", "finance_violations: 2")
    edit(facts, "internal_audit_done: true", "internal_audit_done: false")
    edit(
        facts, "procurement_intention_published_pct: 100", "procurement_intention_published_pct: 97"
    )
    edit(facts, "asset_inventories: 1", "asset_inventories: 0")
    r = load_report(unit_copy)
    finance = _score(r, "财务管理合理性")
    assert (finance.computed, finance.computed_basis) == (
        D("0.00"),
        "“开展内部财务审计和专项检查”为否（扣1分）；“资金挪用、截留等违规违纪行为(起)”为2"
        "（每起扣2分，扣4分），扣5分。",
    )
    procurement = _score(r, "采购管理")
    assert (procurement.score, procurement.basis) == (
        D("3.70"),
        "“采购意向按时公开率(%)”为97（低于100%，每低1个百分点扣0.1分，扣0.3分），扣0.3分。",
    )
    assets = _score(r, "资产管理")
    assert (assets.score, assets.basis) == (D("2.00"), "“年度资产清查(次)”为0（扣1分），扣1分。")
    # 86 - 5 - 0.3 - 1, with the three self scores
    assert (r.card.total, r.card.grade) == (D("79.70"), "中")


def test_an_indicator_resting_on_a_fact_not_stated_scores_nothing_and_says_which(unit_copy):
    facts = _data(unit_copy) / "management.yaml"
    edit(facts, "procurement_complaints: 0", "procurement_complaints: 未填报")
    edit(facts, "procurement_control_rules: true", "procurement_control_rules: 未填报")
    r = load_report(unit_copy)
    procurement = _score(r, "采购管理")
    assert (procurement.computed, procurement.computed_basis) == (
        D(0),
        "所需数据未填报（建立采购内部控制管理制度、采购投诉(起)，共2项），按评分表未填报规定不得分。",
    )
    assert procurement.not_stated == (
        "management.yaml: facts.procurement_control_rules",
        "management.yaml: facts.procurement_complaints",
    )
    assert not procurement.inputs_illustrative


def test_targets_not_stated_are_named_by_their_column_once(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "≥,170000,174477", "≥,未填报,174477")
    edit(targets, "≥,1650,1712.3764", "≥,未填报,1712.3764")
    output = _score(load_report(unit_copy), "部门整体绩效目标产出完成情况")
    assert output.computed_basis == "所需数据未填报（目标值，共2项），按评分表未填报规定不得分。"
    assert output.not_stated == ('targets.csv: 第2行 列"目标值"', 'targets.csv: 第3行 列"目标值"')
    assert output.score == D(20)  # the unit's own score still counts


def _manual_framework(unit_copy):
    """A county framework whose 预算编制约束性 is scored by hand."""
    framework = unit_copy.parent.parent / "county.yaml"
    text = framework_path("gd_township_2024").read_text(encoding="utf-8")
    framework.write_text(text.replace("id: gd_township_2024", "id: county_2024"), encoding="utf-8")
    start = text.index("      kind: checklist\n      items:\n        - {fact: budget_standards")
    end = text.index("  - id: financial_management")
    framework.write_text(
        framework.read_text(encoding="utf-8").replace(text[start:end], "      kind: manual\n"),
        encoding="utf-8",
    )
    edit(framework, "    rule:\n      kind: manual\n", "    rule: {kind: manual}\n")
    edit(unit_copy, "framework: gd_township_2024", f"framework: {framework}")
    facts = _data(unit_copy) / "management.yaml"
    edit(facts, "  budget_standards_followed: true", "")
    edit(facts, "  project_budget_itemized: true", "")


def test_framework_check_reads_a_manual_indicator_as_scored_by_hand(unit_copy, capsys):
    from selfeval_lib.cli import main

    _manual_framework(unit_copy)
    assert main(["framework", "check", str(unit_copy.parent.parent / "county.yaml")]) == 0
    out = capsys.readouterr().out
    manual = out[out.index("预算编制约束性") :].splitlines()[:3]
    assert (
        manual[2]
        == "    selfeval 的理解 / selfeval reads the rule as: 人工评分：单位自评打分并说明理由，selfeval 不计算。"
    )


def test_a_manual_indicator_is_the_units_own_score(unit_copy):
    _manual_framework(unit_copy)
    scores = _data(unit_copy) / "self_scores.csv"
    scores.write_text(
        scores.read_text(encoding="utf-8")
        + "预算编制约束性,4,按标准编制，个别明细未细化，扣1分。,\n",
        encoding="utf-8",
    )
    r = load_report(unit_copy)
    manual = _score(r, "预算编制约束性")
    assert (manual.computed, manual.self_score, manual.score) == (D("4.00"), None, D("4.00"))
    assert manual.basis == "按标准编制，个别明细未细化，扣1分。" and not manual.illustrative
    assert r.card.total == D("85.00")  # 86 with the checklist's full 5 points
    scores.write_text(
        scores.read_text(encoding="utf-8").replace("扣1分。,\n", "扣1分。,自评得分\n"),
        encoding="utf-8",
    )
    manual = _score(load_report(unit_copy), "预算编制约束性")
    assert (
        manual.illustrative and manual.inputs_illustrative
    )  # an illustrative hand score is marked


def test_marks_on_the_total_follow_what_it_rests_on(unit_copy):
    r = load_report(unit_copy)
    card = r.card
    # the three self scores are illustrative, and so is every computed target completion
    assert (card.illustrative, card.computed_illustrative) == (True, True)
    assert (card.total_fig.value, card.total_fig.illustrative) == (D("86.00"), True)
    assert (card.computed_total, card.computed_grade) == (D("99.00"), "优")
    scores = _data(unit_copy) / "self_scores.csv"
    scores.write_text(
        scores.read_text(encoding="utf-8").replace(",自评得分\n", ",\n"), encoding="utf-8"
    )
    card = load_report(unit_copy).card
    own = [s for s in card.scores if s.self_score is not None]
    assert len(own) == 3 and not any(s.self_illustrative for s in own)
    assert [s.illustrative for s in own] == [False, False, False]
    assert own[0].basis.startswith("自评20.00分：") and "（系统计算25.00分※：" in own[0].basis
    # the total is still marked: 支出率 rests on the illustrative 调整预算
    assert _score_of(card, "部门预算资金支出率").illustrative
    assert card.illustrative is True and card.computed_illustrative is True


def test_a_declared_grade_not_stated_is_no_warning(unit_copy):
    edit(_data(unit_copy) / "unit.yaml", "declared_grade: 良", "declared_grade: 未填报")
    card = load_report(unit_copy).card
    assert card.declared_grade is None and card.warnings == ()


def test_a_fact_not_stated_in_a_workbook_is_named_by_its_label(tmp_path, capsys):
    from selfeval_lib.cli import main

    from ..conftest import EXAMPLE_PARAMS

    workbook = tmp_path / "data/2024/qianshan.xlsx"
    workbook.parent.mkdir(parents=True)
    assert main(["template", "--from", str(EXAMPLE_PARAMS), "-o", str(workbook)]) == 0
    capsys.readouterr()
    params = tmp_path / "params/qianshan_2024.yaml"
    params.parent.mkdir()
    params.write_text(
        "unit_id: qianshan_2024\nyear: 2024\ndata: ../data/2024/qianshan.xlsx\n", encoding="utf-8"
    )
    execution = _score(load_report(params), "绩效管理制度执行")
    (place,) = execution.not_stated
    assert place.startswith("qianshan.xlsx: ") and place.endswith(" facts.monitoring_done")
    assert execution.computed_basis == (
        "所需数据未填报（开展绩效运行监控），按评分表未填报规定不得分。"
    )


def test_a_declared_grade_that_disagrees_in_a_workbook_is_named_by_its_cell(tmp_path):
    from .test_indicators import _workbook_unit

    params, rows = _workbook_unit(tmp_path, {"declared_grade": "优"})
    card = load_report(params).card
    assert card.warnings == (
        f"qianshan_2024.xlsx 基本情况!B{rows['declared_grade']} 单位申报的自评等级“优”与按评分表"
        "计算的等级“良”（86.00分）不一致。",
    )


def test_three_public_expenses_from_illustrative_lines_are_marked(unit_copy):
    for key in ("  sangong_budget: 26.77", "  sangong_actual: 26.77"):
        edit(_data(unit_copy) / "unit.yaml", key, "")
    running = _score(load_report(unit_copy), "运行成本")
    assert running.computed_basis == "“三公”经费决算26.77万元※，等于预算26.77万元※，得满分。"
    assert running.inputs_illustrative


def test_a_county_may_give_full_points_for_a_zero_budget(unit_copy):
    framework = unit_copy.parent.parent / "county.yaml"
    text = framework_path("gd_township_2024").read_text(encoding="utf-8")
    text = text.replace("id: gd_township_2024", "id: county_2024")
    text = text.replace(
        "deduct_per_point: 0.5, zero_budget: no_points}",
        "deduct_per_point: 0.5, zero_budget: full_points}",
    )
    framework.write_text(text, encoding="utf-8")
    edit(unit_copy, "framework: gd_township_2024", f"framework: {framework}")
    for old in ("1380.00,1420.00,", "190.00,200.00,", "2600.00,3178.19,"):
        edit(_data(unit_copy) / "budget.csv", old, old.split(",")[0] + ",0.00,")
    rate = _score(load_report(unit_copy), "部门预算资金支出率")
    assert (rate.score, rate.basis) == (
        D(10),
        "调整预算为0，支出率不适用，按评分表零预算规定得满分。",
    )


# --- total-level rules: the cap tied to a rate, bonus and penalty items -----------------------

NATIONAL = [{"below": 80, "at_most": 89}, {"below": 70, "at_most": 79}]
NATIONAL += [{"below": 60, "at_most": 69}, {"below": 50, "at_most": 59}]
EXECUTION = TotalCap(figure="支出率", label="预算执行率", bands=NATIONAL)


@pytest.mark.parametrize(
    "rate, shown, below, cap",
    [
        ("79.99", "79.99%", "80", "89"),
        ("70.00", "70%", "80", "89"),
        ("69.99", "69.99%", "70", "79"),
        ("60.00", "60%", "70", "79"),
        ("59.99", "59.99%", "60", "69"),
        ("50.00", "50%", "60", "69"),
        ("49.99", "49.99%", "50", "59"),
        ("0.00", "0%", "50", "59"),
    ],
)
def test_the_total_cap_at_each_band_and_its_edges(rate, shown, below, cap):
    over = f"{95 - int(cap)}.00"  # 95 points less the cap
    assert describe_total_cap(EXECUTION, Fig(D(rate)), D(95)) == (
        D(cap),
        f"预算执行率{shown}，低于{below}%，按评分表总分不超过{cap}.00分；各指标合计95.00分，"
        f"超过上限的{over}分予以扣减，总分为{cap}.00分。",
    )


def test_no_cap_at_or_above_the_highest_band():
    for rate in ("80.00", "100.00"):
        assert describe_total_cap(EXECUTION, Fig(D(rate)), D(95)) == (
            None,
            f"预算执行率{rate[:-3]}%，不低于80%，总分不设上限。",
        )


def test_a_total_at_or_under_its_cap_is_not_reduced():
    for total in ("89.00", "88.99"):
        assert describe_total_cap(EXECUTION, Fig(D("75.00")), D(total)) == (
            D(89),
            f"预算执行率75%，低于80%，按评分表总分不超过89.00分；各指标合计{total}分，未超过上限。",
        )


def test_a_cap_on_an_illustrative_rate_is_marked():
    assert describe_total_cap(EXECUTION, Fig(D("75.00"), True), D(95))[1] == (
        "预算执行率75%※，低于80%，按评分表总分不超过89.00分；各指标合计95.00分，超过上限的6.00分"
        "予以扣减，总分为89.00分※。"
    )


def test_a_rate_not_stated_or_not_applicable_sets_no_cap_and_says_so():
    not_stated = Fig(None, False, ("unit.yaml: budget.adjusted",))
    for rate in (not_stated, Fig(None)):
        assert describe_total_cap(EXECUTION, rate, D(95)) == (
            None,
            "预算执行率未填报或不适用，无法按评分表确定总分上限，总分未设上限。",
        )
    unnamed = TotalCap(figure="本年支出", base="年初预算", bands=NATIONAL)
    assert describe_total_cap(unnamed, Fig(None), D(95))[1].startswith("本年支出÷年初预算未填报")


def test_the_cap_rate_is_the_named_figure_or_its_ratio_to_the_base(unit_copy):
    report = load_report(unit_copy)
    unit, values = report.unit, report.indicators
    # the complete example's lines are partly illustrative (※): so is every rate over them
    assert cap_rate(EXECUTION, unit, values) == Fig(D("93.00"), True)
    # 本年支出 4462.32 ÷ 年初预算 4170 = 107.01 %
    over_initial = TotalCap(figure="本年支出", base="年初预算", bands=NATIONAL)
    assert cap_rate(over_initial, unit, values) == Fig(D("107.01"), True)
    # figures read from the unit's budget lines: 公用经费 187.37 ÷ 年初预算公用经费 190 = 98.62 %
    public = TotalCap(figure="公用经费", base="年初预算公用经费", bands=NATIONAL)
    assert cap_rate(public, unit, values) == Fig(D("98.62"), True)


def test_not_stated_places_are_named_by_the_frameworks_label_or_the_columns_name():
    labels = {"facts.performance_monitoring": "开展绩效运行监控"}
    places = (
        "management.yaml: facts.performance_monitoring",
        "前山镇.xlsx: 管理情况!C5 facts.performance_monitoring",
        'budget.csv: 第2行 列"年初预算"',
        "unit.yaml: staffing.retired",
        "unit.yaml",  # a place that is only its file
    )
    assert _fields(places, labels) == [
        "开展绩效运行监控",
        "开展绩效运行监控",
        "年初预算",
        "离退休人数",
        "unit.yaml",
    ]


def facts_of(**facts):
    """A unit as score_extras_of reads it: its management facts (numbers as Decimal, as loaded)."""
    return SimpleNamespace(management=SimpleNamespace(facts=facts))


BONUS = Extras(
    name="加分项",
    cap=3,
    items=[
        {"fact": "provincial_awards", "label": "获省级以上表彰(次)", "min": 1, "points": 2},
        {"fact": "city_awards", "label": "获市级表彰(次)", "min": 1, "points": 2},
    ],
)
PENALTY = Extras(
    name="扣分项",
    cap=5,
    items=[{"fact": "audit_findings", "label": "审计发现问题(个)", "max": 0, "deduct_each": 1}],
)


def test_bonus_items_earn_their_points_when_their_check_holds():
    assert score_extras_of(BONUS, facts_of(provincial_awards=D(1), city_awards=D(0)), "加") == (
        D(2),
        "加分项：“获省级以上表彰(次)”加2分，合计加2分。",
    )
    assert score_extras_of(BONUS, facts_of(provincial_awards=D(0), city_awards=D(0)), "加") == (
        D(0),
        "加分项：无。",
    )


def test_penalty_items_deduct_as_a_checklist_item_does():
    assert score_extras_of(PENALTY, facts_of(audit_findings=D(2)), "扣") == (
        D(2),
        "扣分项：“审计发现问题(个)”扣2分，合计扣2分。",
    )
    assert score_extras_of(PENALTY, facts_of(audit_findings=D(0)), "扣") == (D(0), "扣分项：无。")


def test_an_extra_item_whose_fact_is_not_stated_adds_or_deducts_nothing():
    facts = facts_of(provincial_awards=NOT_STATED, city_awards=D(3))
    assert score_extras_of(BONUS, facts, "加") == (
        D(2),
        "加分项：“获市级表彰(次)”加2分，合计加2分。",
    )
    assert score_extras_of(PENALTY, facts_of(audit_findings=NOT_STATED), "扣") == (
        D(0),
        "扣分项：无。",
    )


def test_a_cap_rate_over_lines_whose_class_is_not_stated_names_their_places(unit_copy):
    budget = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "budget.csv"
    edit(budget, "基本支出,公用经费,商品和服务支出", "基本支出,未填报,商品和服务支出")
    report = load_report(unit_copy)
    public = TotalCap(
        figure="公用经费", base="年初预算公用经费", label="公用经费执行率", bands=NATIONAL
    )
    rate = cap_rate(public, report.unit, report.indicators)
    assert (rate.value, rate.missing) == (None, ('budget.csv: 第3行 列"经济分类"',))
    assert describe_total_cap(public, rate, D(95)) == (
        None,
        "公用经费执行率未填报或不适用，无法按评分表确定总分上限，总分未设上限。",
    )


def test_a_cap_rate_over_a_sangong_item_without_a_line_names_the_missing_line(unit_copy):
    sangong = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "sangong.csv"
    edit(sangong, "公务接待费,5.42,5.42,6.03,预算;决算;上年决算\n", "")
    report = load_report(unit_copy)
    hosting = TotalCap(figure="公务接待费决算", base="公务接待费预算", bands=NATIONAL)
    rate = cap_rate(hosting, report.unit, report.indicators)
    assert (rate.value, rate.missing) == (None, ("sangong.csv: 无“公务接待费”行",))


def test_a_stated_rate_the_figures_contradict_yields_to_the_frameworks_definition(unit_copy):
    """Issue 20: "支出率为100%（本年支出1,925.67万元，调整预算2,030.12万元）" must not happen."""
    stated_rate_unit(unit_copy, "100")
    report = load_report(unit_copy)
    values = report.indicators
    assert (values.spending_rate.value, values.stated_spending_rate.value) == (D("94.85"), D(100))
    assert (
        "unit.yaml totals.spending_rate 所列支出率 100% 与按评分表定义（本年支出÷调整预算）由本年支出 "
        "1,925.67万元、调整预算 2,030.12万元※ 计算的 94.85%※ 不一致；报告与评分采用按定义计算的 "
        "94.85%※。" in report.warnings
    )
    rate = _score(report, "部门预算资金支出率")
    assert (rate.score, rate.basis) == (
        D("9.93"),
        "按评分表定义（本年支出÷调整预算）计算的支出率（单位所列100%与之不符，未采用）94.85%※，"
        "低于95%标准0.15个百分点※，每个百分点扣0.5分，扣0.07分※。",
    )


def test_a_stated_rate_is_scored_only_where_its_figures_are_not_stated(example_params, unit_copy):
    rate = _score(load_report(example_params), "部门预算资金支出率")  # 调整预算 未填报
    assert rate.basis.startswith("单位所列支出率93%，")
    stated_rate_unit(unit_copy, "94.85")  # stated and computed agree: the definition's, unremarked
    rate = _score(load_report(unit_copy), "部门预算资金支出率")
    assert rate.basis.startswith("按评分表定义（本年支出÷调整预算）计算的支出率94.85%※，")


def test_a_capped_total_keeps_the_mark_of_the_scores_it_sums(tmp_path):
    """The national example, capped at 89 by its 执行率 (not ※), with its 群众满意度 实际值 示例数据:
    the 满意度 score is ※, and so are the capped total and its grade."""
    params, targets = national_copy(tmp_path)
    text = targets.read_text(encoding="utf-8").rstrip("\n")
    targets.write_text(text + "实际值\n", encoding="utf-8")
    card = load_report(params).card
    assert (card.total, card.uncapped_total, card.illustrative) == (D(89), D("91.19"), True)


def test_a_target_rule_reads_only_its_level2s_targets_and_their_points_only_to_sum_them(tmp_path):
    """The national example's 产出, scored by its 分值 (a 分值 that is 示例数据 marks the score),
    then under a framework whose 产出 rule averages only the 数量指标: 农村道路
    硬化里程 and 危房改造户数, both met (100 %), the latter 50 % above its 指标值 with no 偏差原因
    (− 2); the 质量/时效/成本 targets (one of them 80 %) do not count, nor does a 未填报 among
    them, nor any 分值 (an average reads none: one marked 示例数据 marks nothing). A 偏差原因 then
    excuses the deviation."""
    params, targets = national_copy(tmp_path)
    framework = tmp_path / "county.yaml"
    shutil.copy(framework_path("national_selfeval_2024"), framework)
    edit(framework, "id: national_selfeval_2024", "id: county_2024")
    averaged = "      category: 产出\n      level2: 数量指标\n"
    steps = [
        # the shipped rule sums each target's 分值 × completion: a 分值 that is 示例数据 makes
        # the sum and the score ※
        (
            [(targets, "公里,≥,20,22,,,,数量指标,15,,,", "公里,≥,20,22,,,,数量指标,15,,,分值")],
            D(46),
            "产出指标5项，完成4项※，按各项分值乘以完成率合计48分※，扣2分※。危房改造户数（超过50%※）"
            "完成值超过指标值30%及以上，视为偏差且未说明偏差原因，每项扣2分，扣2分※，得46分※。",
        ),
        # the average of the 数量指标 only; a 质量指标 target's 实际值 未填报 changes nothing
        (
            [
                (framework, "      category: 产出\n      scoring: points\n", averaged),
                (params, "framework: national_selfeval_2024", f"framework: {framework}"),
                (targets, "%,=,100,100,,,,质量指标,", "%,=,100,未填报,,,,质量指标,"),
            ],
            D(48),
            "产出（数量指标）指标2项，全部完成，得满分。危房改造户数（超过50%）完成值超过指标值30%及以上，"
            "视为偏差且未说明偏差原因，每项扣2分，扣2分，得48分。",
        ),
        # a 偏差原因 excuses the deviation
        (
            [(targets, "户,≥,20,30,,,,数量指标,10,,,", "户,≥,20,30,,,,数量指标,10,,新增危房,")],
            D(50),
            "产出（数量指标）指标2项，全部完成，得满分。危房改造户数（超过50%）完成值超过指标值30%及以上，"
            "视为偏差，已说明偏差原因，不扣分。",
        ),
    ]
    for edits, score, basis in steps:
        for path, old, new in edits:
            edit(path, old, new)
        outputs = load_report(params).card.scores[1]
        assert (outputs.indicator.id, outputs.score, outputs.basis) == ("outputs", score, basis)
