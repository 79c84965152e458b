"""The shipped framework means what it prints: for every rule, the 评分标准 printed in the report
and the 评分表 names the deduction the rule computes, and the basis sentence shows it."""

from __future__ import annotations

from decimal import Decimal as D
from functools import partial

import pytest

from selfeval_lib import load_framework
from selfeval_lib.frameworks.check import read_number
from selfeval_lib.frameworks.model import check_framework
from selfeval_lib.frameworks.rules import (
    score_budget_cap,
    score_checklist,
    score_rate,
    score_target_completion,
)

FRAMEWORK = load_framework("gd_township_2024")

# fact -> (a failing value, the deduction the printed standard gives for it, the standard's words)
CHECKLIST = {
    "budget_standards_followed": (False, "3", "未按标准编制人员经费和公用经费扣3分"),
    "project_budget_itemized": (False, "2", "项目支出未细化到具体项目和明细科目扣2分"),
    "finance_rules_established": (False, "2", "财务管理制度不健全扣2分"),
    "internal_audit_done": (False, "1", "未开展内部财务审计或专项检查扣1分"),
    "finance_violations": (D(2), "4", "每发生1起资金挪用、截留等违规违纪行为扣2分"),
    "budget_final_accounts_published": (False, "3", "预决算未按时公开扣3分"),
    "performance_info_published": (False, "2", "绩效信息未按时公开扣2分"),
    "performance_rules_established": (False, "5", "未制定绩效管理制度扣5分"),
    "targets_reviewed": (False, "2", "绩效目标未经论证扣2分"),
    "monitoring_done": (False, "1", "未开展绩效运行监控扣1分"),
    "procurement_intention_published_pct": (D(99), "0.1", "每低于100%一个百分点扣0.1分"),
    "procurement_control_rules": (False, "1", "未建立采购内控制度扣1分"),
    "contracts_signed_and_filed_on_time": (False, "1", "合同未按时签订备案扣1分"),
    "procurement_complaints": (D(3), "3", "每起采购投诉扣1分"),
    "asset_inventories": (D(0), "1", "未开展资产清查扣1分"),
    "asset_report_accurate": (False, "0.5", "资产年报数据不完整准确扣0.5分"),
    "asset_config_within_standard": (False, "0.5", "配置超标准扣0.5分"),
    "disposal_income_remitted": (False, "1", "处置收入未及时足额上缴或违规处置扣1分"),
}


def test_every_checklist_item_of_the_shipped_framework_is_checked_here():
    assert set(FRAMEWORK.fact_keys()) == set(CHECKLIST)


@pytest.mark.parametrize("fact", sorted(CHECKLIST))
def test_a_failed_check_deducts_what_its_standard_prints(fact):
    indicator, item = FRAMEWORK.fact_keys()[fact]
    value, deduction, words = CHECKLIST[fact]
    assert words in indicator.standard
    check = item.check(value)
    assert check.deduct == D(deduction)
    score, basis = score_checklist(indicator.weight, [check])
    assert f"扣{deduction}分）" in basis
    assert score == max(D(0), indicator.weight - D(deduction))


def test_the_library_finds_every_standard_of_the_shipped_framework_agrees_with_its_rule():
    assert check_framework(FRAMEWORK) == []


def _with_item(indicator, item, **changes):
    items = tuple(item.model_copy(update=changes) if i is item else i for i in indicator.rule.items)
    return indicator.model_copy(update={"rule": indicator.rule.model_copy(update={"items": items})})


@pytest.mark.parametrize("fact", sorted(CHECKLIST))
def test_a_deduction_changed_without_its_standard_is_flagged(fact):
    """check_framework (run by `validate`) sees each checklist deduction the tests above pin."""
    indicator, item = FRAMEWORK.fact_keys()[fact]
    key = "deduct" if item.deduct is not None else "deduct_each"
    new = getattr(item, key) + D("0.25")
    problem = _with_item(indicator, item, **{key: new}).check_standard()
    assert problem.startswith("评分标准与规则不一致：")
    assert f"规则为{new}分，评分标准未写" in problem


def checked(indicator, standard: str) -> str:
    """What check_standard says of an indicator that prints `standard` instead of its own."""
    return indicator.model_copy(update={"standard": standard}).check_standard()


def test_the_standard_is_read_in_full_width_digits_too():
    indicator, _ = FRAMEWORK.fact_keys()["performance_rules_established"]
    assert checked(indicator, "未制定绩效管理制度扣５分。") == ""
    four = checked(indicator, "未制定绩效管理制度扣４分。")
    assert "评分标准写有4分，规则中没有；规则为5分，评分标准未写" in four


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("3", "3"),
        ("2.5", "2.5"),
        ("三", "3"),
        ("两", "2"),
        ("十", "10"),
        ("十五", "15"),
        ("二十", "20"),
        ("九十五", "95"),
        ("一百", "100"),
        ("一百零五", "105"),
        ("一千零五十", "1050"),
        ("零点五", "0.5"),
        ("三点二五", "3.25"),
        ("九五", "95"),
        ("一〇〇", "100"),
    ],
)
def test_a_number_in_the_standard_is_read_in_digits_or_chinese_numerals(words, number):
    assert read_number(words) == D(number)


def test_the_standard_is_read_in_chinese_numerals():
    """扣三分 on a rule deducting 5 is flagged; 扣五分 agrees; 十分 after no verb of scoring
    (十分重视, very much) and 三分之一 name no points."""
    indicator, _ = FRAMEWORK.fact_keys()["performance_rules_established"]
    check = partial(checked, indicator)
    assert check("未制定绩效管理制度扣五分。") == ""
    assert check("十分重视绩效管理；未制定绩效管理制度的扣五分，不足三分之一的不计。") == ""
    assert "评分标准写有3分，规则中没有；规则为5分，评分标准未写" in check(
        "未制定绩效管理制度扣三分。"
    )
    assert "评分标准写有2分，规则中没有" in check("未制定绩效管理制度扣两分；其余扣五分。")
    assert "评分标准写有10分，规则中没有" in check("制定绩效管理制度得十分，未制定扣五分。")


def test_a_threshold_in_words_is_compared_with_the_rule():
    check = partial(checked, FRAMEWORK.find("spending_rate"))  # full at 95 %, 0.5 a point below
    assert check("支出率达到百分之九十五得满分；每低一个百分点扣零点五分。") == ""
    assert check("支出率≥九十五%得满分；每低1个百分点扣0.5分。") == ""
    assert "评分标准写有0.6分、90%，规则中没有；规则为0.5分、95%，评分标准未写" in check(
        "支出率达到百分之九十得满分；每低一个百分点扣零点六分。"
    )


def test_the_spending_rate_rule_matches_its_standard():
    ind = FRAMEWORK.find("spending_rate")
    rule = ind.rule
    assert f"支出率≥{rule.full_at}%得满分" in ind.standard
    assert f"每低1个百分点扣{rule.deduct_per_point}分" in ind.standard
    assert "调整预算为0的，支出率不适用，不得分" in ind.standard and rule.zero_budget == "no_points"
    score, basis = score_rate(ind.weight, "支出率", D(92), rule.full_at, rule.deduct_per_point)
    assert score == ind.weight - 3 * rule.deduct_per_point
    assert "低于95%标准3个百分点，每个百分点扣0.5分，扣1.5分" in basis


def test_the_running_cost_rule_matches_its_standard():
    ind = FRAMEWORK.find("running_cost")
    assert "超支10%及以上不得分" in ind.standard and "超支1%扣分值的10%" in ind.standard
    assert "预算与决算均为0的得满分" in ind.standard and ind.rule.zero_budget == "full_points"
    assert score_budget_cap(ind.weight, "x", D(100), D(110))[0] == 0
    assert score_budget_cap(ind.weight, "x", D(100), D(101))[0] == ind.weight * D("0.9")
    assert score_budget_cap(ind.weight, "x", D(0), D(0))[0] == ind.weight


def test_the_target_rules_match_their_standard():
    for ident in ("output_completion", "outcome_completion"):
        ind = FRAMEWORK.find(ident)
        assert "平均值乘以分值" in ind.standard and "达到目标值的为100%" in ind.standard
        score, _ = score_target_completion(ind.weight, ind.rule.category, [D(100), D(80)])
        assert score == ind.weight * D("0.9")


def test_the_framework_states_its_scope_and_policies():
    assert FRAMEWORK.applies_to.years == (2024,)
    assert FRAMEWORK.applies_to.unit_kinds == ("镇", "乡")
    assert FRAMEWORK.missing_data == "no_points"
    assert "所需数据未填报的，该指标不得分" in FRAMEWORK.notice
    assert FRAMEWORK.outside(2023, "镇") == "评价年度2023不在评分表适用年度（2024）内"
    assert FRAMEWORK.outside(2024, None) == "单位类别未填报不在评分表适用的单位类别（镇、乡）内"
