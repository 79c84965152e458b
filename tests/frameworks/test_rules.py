"""Rule kinds: the score and the basis sentence, which shows the arithmetic of the 评分标准.

Every rule at its edges: exactly at a threshold, one cent either side, at its cap, with its
arguments in order, with and without the ※ mark; each basis sentence compared whole."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from selfeval_lib.frameworks.rules import (
    Deviating,
    check_item,
    check_share,
    describe_budget_cap,
    describe_cap,
    describe_check,
    describe_coverage,
    describe_manual,
    describe_rate,
    describe_ratio,
    describe_target_completion,
    fmt_quantity,
    score_budget_cap,
    score_cap,
    score_checklist,
    score_coverage,
    score_deviations,
    score_extras,
    score_manual,
    score_not_stated,
    score_rate,
    score_ratio,
    score_reweighted,
    score_target_completion,
    score_target_points,
)


def test_target_completion_all_met_and_partly_met():
    assert score_target_completion(D(25), "产出", [D(100)] * 5) == (
        D("25.00"),
        "产出指标5项，全部完成，得满分。",
    )
    score, basis = score_target_completion(D(20), "效益", [D(100), D(90)])
    assert score == D("19.00")
    assert basis == "效益指标2项，完成1项，平均完成率95%，扣1分。"


def test_no_targets_scores_zero_with_a_reason():
    assert score_target_completion(D(25), "产出", []) == (
        D(0),
        "未设定产出指标，无法衡量完成情况，不得分。",
    )


def test_rate_below_threshold_deducts_per_point_and_says_so():
    assert score_rate(D(10), "支出率", D("93.00"), D(95), D("0.5")) == (
        D("9.00"),
        "支出率93%，低于95%标准2个百分点，每个百分点扣0.5分，扣1分。",
    )
    assert score_rate(D(10), "支出率", D("10.00"), D(95), D("0.5"))[0] == D(0)  # never below zero


@pytest.mark.parametrize(
    "rate, score",
    [(D("95.00"), D("10.00")), (D("94.99"), D("9.99")), (D("95.01"), D("10.00"))],
)
def test_rate_at_and_either_side_of_the_threshold(rate, score):
    result, basis = score_rate(D(10), "支出率", rate, D(95), D(1))
    assert result == score
    assert ("达到95%标准" in basis) == (rate >= 95)
    assert "0个百分点" not in basis


def test_a_deduction_under_a_cent_is_stated_not_hidden():
    """0.01 point short at 0.5 a point is 0.005: the score rounds to full marks, and the basis
    says what was deducted and why the score is full, never only "得满分" after a shortfall."""
    score, basis = score_rate(D(10), "支出率", D("94.99"), D(95), D("0.5"))
    assert score == D("10.00")
    assert basis == (
        "支出率94.99%，低于95%标准0.01个百分点，每个百分点扣0.5分，"
        "应扣0.005分，得分保留两位小数后为满分。"
    )
    assert score_rate(D(10), "支出率", D("94.98"), D(95), D("0.5"))[1].endswith("扣0.01分。")


def test_rate_over_a_zero_budget_follows_the_stated_policy():
    assert score_rate(D(10), "支出率", None, D(95), D("0.5")) == (
        D(0),
        "调整预算为0，支出率不适用，按评分表零预算规定不得分。",
    )
    assert score_rate(D(10), "支出率", None, D(95), D("0.5"), "full_points")[0] == D(10)


def test_budget_cap_within_at_and_over_budget():
    assert score_budget_cap(D(3), "“三公”经费", D("26.77"), D("26.77")) == (
        D("3.00"),
        "“三公”经费决算26.77万元，等于预算26.77万元，得满分。",
    )
    assert score_budget_cap(D(3), "“三公”经费", D("26.77"), D("26.76")) == (
        D("3.00"),
        "“三公”经费决算26.76万元，低于预算26.77万元，得满分。",
    )
    score, basis = score_budget_cap(D(3), "“三公”经费", D(100), D(105))
    assert score == D("1.50") and basis.startswith(
        "“三公”经费决算105.00万元，超过预算100.00万元的5%"
    )
    assert score_budget_cap(D(3), "“三公”经费", D(100), D("110.00"))[0] == D(0)
    assert score_budget_cap(D(3), "“三公”经费", D(0), D(1))[0] == D(0)


def test_budget_cap_argument_order_matters():
    # budget 100, actual 90 is within budget; the swapped call is 11.11% over
    assert score_budget_cap(D(3), "x", D(100), D(90))[0] == D(3)
    assert score_budget_cap(D(3), "x", D(90), D(100))[0] == D(0)


def test_zero_sangong_budget_and_spending_follows_the_stated_policy():
    assert score_budget_cap(D(3), "“三公”经费", D(0), D(0)) == (
        D(3),
        "“三公”经费预算与决算均为0，未超预算，按评分表零预算规定得满分。",
    )
    assert score_budget_cap(D(3), "“三公”经费", D(0), D(0), "no_points")[0] == D(0)


def test_coverage_no_new_projects_is_explicit():
    assert score_coverage(D(5), "事前绩效评估", 0, 0) == (
        D(5),
        "本年度无新增项目，不涉及事前绩效评估，得满分。",
    )
    assert score_coverage(D(5), "事前绩效评估", 4, 3) == (
        D("3.75"),
        "新增项目4个，开展事前绩效评估3个，覆盖率75%，扣1.25分。",
    )


def test_each_complaint_deducts_one_point():
    check = check_item("采购投诉(起)", D(3), max=D(0), deduct_each=D(1))
    assert score_checklist(D(4), [check]) == (
        D("1.00"),
        "“采购投诉(起)”为3（每起扣1分，扣3分），扣3分。",
    )


def test_each_point_below_100_percent_deducts_a_tenth():
    check = check_item("采购意向按时公开率(%)", D(99), min=D(100), deduct_each=D("0.1"))
    assert score_checklist(D(4), [check]) == (
        D("3.90"),
        "“采购意向按时公开率(%)”为99（低于100%，每低1个百分点扣0.1分，扣0.1分），扣0.1分。",
    )
    at = check_item("采购意向按时公开率(%)", D(100), min=D(100), deduct_each=D("0.1"))
    assert score_checklist(D(4), [at])[0] == D(4)


def test_each_case_deducts_two_points_capped_at_the_weight():
    cases = check_item("违规违纪行为(起)", D(2), max=D(0), deduct_each=D(2))
    assert score_checklist(D(5), [cases])[0] == D(1)
    more = check_item("违规违纪行为(起)", D(3), max=D(0), deduct_each=D(2))
    score, basis = score_checklist(D(5), [more])
    assert score == D(0) and "合计扣6分，以分值5分为限" in basis


def test_a_fixed_deduction_once_and_yes_no_checks():
    failed = check_item("内控制度", False, expect=True, deduct=D(1))
    passed = check_item("合同备案", True, expect=True, deduct=D(1))
    once = check_item("年度资产清查(次)", D(0), min=D(1), deduct=D(1))
    assert score_checklist(D(4), [failed, passed, once]) == (
        D("2.00"),
        "“内控制度”为否（扣1分）；“年度资产清查(次)”为0（扣1分），扣2分。",
    )


def test_not_stated_scores_nothing_and_names_what_is_missing():
    score, basis = score_not_stated(D(5), ["目标值", "方向", "目标值"], 3)
    assert (
        score == 0 and basis == "所需数据未填报（目标值、方向，共3项），按评分表未填报规定不得分。"
    )
    assert score_not_stated(D(5), ["开展绩效运行监控"], 1)[1] == (
        "所需数据未填报（开展绩效运行监控），按评分表未填报规定不得分。"
    )


def test_manual_score_uses_its_reason():
    assert score_manual(D(5), D(4), "理由") == (D("4.00"), "理由")
    assert score_manual(D(5), None, "")[0] == D(0)


# --- from rule_edges ------------------------------------------------------------


@pytest.mark.parametrize(
    "rate, score, basis",
    [
        ("95.00", "10.00", "支出率95%，达到95%标准，得满分。"),
        ("95.01", "10.00", "支出率95.01%，达到95%标准，得满分。"),
        ("100.00", "10.00", "支出率100%，达到95%标准，得满分。"),
        (
            "94.98",
            "9.99",  # 0.02 points below: 0.01 deducted
            "支出率94.98%，低于95%标准0.02个百分点，每个百分点扣0.5分，扣0.01分。",
        ),
        (
            "94.99",
            "10.00",  # 0.005 deducted rounds (half up, to a cent) to nothing, and says so
            "支出率94.99%，低于95%标准0.01个百分点，每个百分点扣0.5分，"
            "应扣0.005分，得分保留两位小数后为满分。",
        ),
        (
            "93.00",
            "9.00",
            "支出率93%，低于95%标准2个百分点，每个百分点扣0.5分，扣1分。",
        ),
        (
            "75.00",
            "0.00",  # 20 points below: the whole weight, exactly
            "支出率75%，低于95%标准20个百分点，每个百分点扣0.5分，扣10分。",
        ),
        (
            "74.99",
            "0.00",  # past the weight: never below zero
            "支出率74.99%，低于95%标准20.01个百分点，每个百分点扣0.5分，扣10分。",
        ),
    ],
)
def test_spending_rate_at_and_either_side_of_95(rate, score, basis):
    assert score_rate(D(10), "支出率", D(rate), D(95), D("0.5")) == (D(score), basis)


def test_spending_rate_marks_the_rate_the_gap_and_the_deduction():
    assert score_rate(D(10), "支出率", D("93.00"), D(95), D("0.5"), mark="※") == (
        D("9.00"),
        "支出率93%※，低于95%标准2个百分点※，每个百分点扣0.5分，扣1分※。",
    )
    assert score_rate(D(10), "支出率", D("96.00"), D(95), D("0.5"), mark="※") == (
        D("10.00"),
        "支出率96%※，达到95%标准，得满分。",
    )


def test_a_zero_budget_earns_what_the_policy_says_and_nothing_else():
    none, full = (
        score_rate(D(10), "支出率", None, D(95), D("0.5"), policy)
        for policy in ("no_points", "full_points")
    )
    assert none == (D(0), "调整预算为0，支出率不适用，按评分表零预算规定不得分。")
    assert full == (D(10), "调整预算为0，支出率不适用，按评分表零预算规定得满分。")
    # the default policy is no_points
    assert score_rate(D(10), "支出率", None, D(95), D("0.5")) == none


# --- “三公”经费: within budget full; 10 % of the weight per 1 % over, all of it at +10 % --------


@pytest.mark.parametrize(
    "budget, actual, score, basis",
    [
        ("26.77", "26.77", "3.00", "“三公”经费决算26.77万元，等于预算26.77万元，得满分。"),
        ("26.77", "26.76", "3.00", "“三公”经费决算26.76万元，低于预算26.77万元，得满分。"),
        (
            "26.77",
            "26.78",  # one cent over: 0.04 % over, 0.012 points, rounded to a cent
            "2.99",
            "“三公”经费决算26.78万元，超过预算26.77万元的0.04%，扣0.01分。",
        ),
        ("100", "105", "1.50", "“三公”经费决算105.00万元，超过预算100.00万元的5%，扣1.5分。"),
        ("100", "109.99", "0.00", "“三公”经费决算109.99万元，超过预算100.00万元的9.99%，扣3分。"),
        ("100", "110", "0.00", "“三公”经费决算110.00万元，超过预算100.00万元的10%，扣3分。"),
        ("100", "150", "0.00", "“三公”经费决算150.00万元，超过预算100.00万元的50%，扣3分。"),
        ("0", "1", "0.00", "“三公”经费无预算但决算1.00万元，不得分。"),
    ],
)
def test_sangong_at_and_either_side_of_its_budget(budget, actual, score, basis):
    result = score_budget_cap(D(3), "“三公”经费", D(budget), D(actual))
    assert result == (D(score), basis)


def test_sangong_9_percent_over_keeps_a_tenth_of_the_weight():
    assert score_budget_cap(D(10), "x", D(100), D(109))[0] == D("1.00")
    assert score_budget_cap(D(10), "x", D(100), D("100.50"))[0] == D("9.50")


def test_sangong_budget_comes_before_actual():
    # within budget one way round, 11.11 % over the other
    assert score_budget_cap(D(3), "x", D(100), D(90)) == (
        D(3),
        "x决算90.00万元，低于预算100.00万元，得满分。",
    )
    assert score_budget_cap(D(3), "x", D(90), D(100)) == (
        D(0),
        "x决算100.00万元，超过预算90.00万元的11.11%，扣3分。",
    )


def test_sangong_marks_every_figure_and_the_deduction():
    assert score_budget_cap(D(3), "x", D(100), D(105), mark="※") == (
        D("1.50"),
        "x决算105.00万元※，超过预算100.00万元※的5%※，扣1.5分※。",
    )
    assert score_budget_cap(D(3), "x", D(100), D(100), mark="※")[1] == (
        "x决算100.00万元※，等于预算100.00万元※，得满分。"
    )
    assert (
        score_budget_cap(D(3), "x", D(0), D(2), mark="※")[1] == "x无预算但决算2.00万元※，不得分。"
    )


def test_sangong_zero_and_zero_earns_what_the_policy_says():
    assert score_budget_cap(D(3), "x", D(0), D(0), "no_points") == (
        D(0),
        "x预算与决算均为0，按评分表零预算规定不得分。",
    )
    assert score_budget_cap(D(3), "x", D(0), D(0), "full_points") == (
        D(3),
        "x预算与决算均为0，未超预算，按评分表零预算规定得满分。",
    )
    assert score_budget_cap(D(3), "x", D(0), D(0)) == score_budget_cap(
        D(3), "x", D(0), D(0), "full_points"
    )


# --- 目标完成: the average completion (each capped at 100 % upstream) times the weight ---------


def test_target_completion_sentences_with_and_without_marks():
    assert score_target_completion(D(25), "产出", [D(100), D(100)], "※") == (
        D("25.00"),
        "产出指标2项，全部完成※，得满分。",
    )
    assert score_target_completion(D(20), "效益", [D(100), D(90)], "※") == (
        D("19.00"),
        "效益指标2项，完成1项※，平均完成率95%※，扣1分※。",
    )
    assert score_target_completion(D(20), "效益", [D(80), D(90), D("99.99")]) == (
        D("18.00"),  # the average, 89.9967 %, rounds to 90 % before it is applied
        "效益指标3项，完成0项，平均完成率90%，扣2分。",
    )


def test_one_target_just_short_of_its_goal_loses_points():
    assert score_target_completion(D(25), "产出", [D(100), D(99)]) == (
        D("24.88"),  # 25 x 0.5 % = 0.125 deducted
        "产出指标2项，完成1项，平均完成率99.5%，扣0.12分。",
    )


def test_no_targets_scores_nothing():
    assert score_target_completion(D(25), "产出", [], "※") == (
        D(0),
        "未设定产出指标，无法衡量完成情况，不得分。",
    )


# --- 事前绩效评估覆盖率 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "total, covered, score, basis",
    [
        (0, 0, "5", "本年度无新增项目，不涉及事前绩效评估，得满分。"),
        (1, 1, "5.00", "新增项目1个，开展事前绩效评估1个，覆盖率100%，得满分。"),
        (1, 0, "0.00", "新增项目1个，开展事前绩效评估0个，覆盖率0%，扣5分。"),
        (3, 1, "1.67", "新增项目3个，开展事前绩效评估1个，覆盖率33.33%，扣3.33分。"),
        (3, 2, "3.33", "新增项目3个，开展事前绩效评估2个，覆盖率66.67%，扣1.67分。"),
    ],
)
def test_coverage_is_the_share_of_new_projects_assessed(total, covered, score, basis):
    assert score_coverage(D(5), "事前绩效评估", total, covered) == (D(score), basis)


# --- checklists: a fact against its bound, deducting once or per occurrence -----------------


def test_a_count_at_its_bound_passes_and_one_past_it_deducts():
    at = check_item("采购投诉(起)", D(2), max=D(2), deduct_each=D(1))
    past = check_item("采购投诉(起)", D(3), max=D(2), deduct_each=D(1))
    assert (at.deduct, at.found, at.how) == (D(0), "2", "")
    assert (past.deduct, past.found, past.how) == (D(1), "3", "超过2起的，每起扣1分")
    assert score_checklist(D(4), [past]) == (
        D("3.00"),
        "“采购投诉(起)”为3（超过2起的，每起扣1分，扣1分），扣1分。",
    )


def test_a_percentage_below_its_minimum_deducts_per_point():
    at = check_item("公开率(%)", D(95), min=D(95), deduct_each=D("0.1"))
    below = check_item("公开率(%)", D("92.5"), min=D(95), deduct_each=D("0.2"))
    assert at.deduct == D(0)
    assert (below.deduct, below.how) == (D("0.50"), "低于95%，每低1个百分点扣0.2分")
    over = check_item("超标面积(%)", D(7), max=D(5), deduct_each=D("0.5"))
    assert (over.deduct, over.how) == (D("1.0"), "超过5%的，每1个百分点扣0.5分")


def test_a_count_without_a_unit_in_its_label_is_counted_in_个():
    below = check_item("资产清查", D(1), min=D(3), deduct_each=D(1))
    assert (below.deduct, below.how) == (D(2), "低于3个，每低1个扣1分")
    chinese = check_item("资产清查（次）", D(0), min=D(2), deduct_each=D(1))
    assert chinese.how == "低于2次，每低1次扣1分"


def test_a_bound_once_deducts_its_points_once_however_far_past():
    assert check_item("资产清查(次)", D(0), min=D(3), deduct=D(1)).deduct == D(1)
    assert check_item("违规(起)", D(9), max=D(0), deduct=D(2)).deduct == D(2)
    assert check_item("违规(起)", D(0), max=D(0), deduct=D(2)).deduct == D(0)


def test_yes_no_checks_against_what_is_expected():
    failed = check_item("有违规", True, expect=False, deduct=D(1))
    passed = check_item("有违规", False, expect=False, deduct=D(1))
    assert (failed.deduct, failed.found) == (D(1), "是")
    assert (passed.deduct, passed.found) == (D(0), "否")


def test_checklist_sentences_for_one_item_many_items_and_the_cap():
    ok = check_item("内控制度", True, expect=True, deduct=D(1))
    also = check_item("合同备案", True, expect=True, deduct=D(1))
    assert score_checklist(D(4), [ok]) == (D("4.00"), "“内控制度”符合要求，得满分。")
    assert score_checklist(D(4), [ok, also]) == (D("4.00"), "2项检查均符合要求，得满分。")
    a = check_item("甲", False, expect=True, deduct=D(3))
    b = check_item("乙", False, expect=True, deduct=D(2))
    assert score_checklist(D(5), [a, b]) == (
        D("0.00"),
        "“甲”为否（扣3分）；“乙”为否（扣2分），扣5分。",  # exactly the weight: no cap note
    )
    c = check_item("丙", False, expect=True, deduct=D("0.01"))
    assert score_checklist(D(5), [a, b, c]) == (
        D("0.00"),
        "“甲”为否（扣3分）；“乙”为否（扣2分）；“丙”为否（扣0.01分），合计扣5.01分，以分值5分为限，扣5分。",
    )


# --- 未填报 and manual scores ----------------------------------------------------------------


def test_not_stated_names_each_field_once_and_counts_the_values():
    assert score_not_stated(D(5), ["目标值"], 1) == (
        D(0),
        "所需数据未填报（目标值），按评分表未填报规定不得分。",
    )
    assert score_not_stated(D(5), ["目标值", "目标值"], 2)[1] == (
        "所需数据未填报（目标值，共2项），按评分表未填报规定不得分。"
    )


def test_manual_scores_stay_within_zero_and_the_weight():
    assert score_manual(D(5), D(6), "多给") == (D("5.00"), "多给")
    assert score_manual(D(5), D(-1), "负分") == (D("0.00"), "负分")
    assert score_manual(D(5), D(5), "满分") == (D("5.00"), "满分")
    assert score_manual(D(5), None, "理由被忽略") == (D(0), "人工评分指标未填写自评得分，不得分。")


def test_one_count_within_its_bound_is_named_as_met():
    within = check_item("采购投诉(起)", D(0), max=D(0), deduct_each=D(1))
    assert score_checklist(D(4), [within]) == (D("4.00"), "“采购投诉(起)”符合要求，得满分。")
    enough = check_item("年度资产清查(次)", D(2), min=D(1), deduct=D(1))
    assert score_checklist(D(3), [enough]) == (D("3.00"), "“年度资产清查(次)”符合要求，得满分。")


# --- rules over named figures: ratio and cap, as a county analyst reads each branch ----------

W = D(10)


def ratio(value, **kw):
    return score_ratio(W, "编制使用率", value, **kw)


@pytest.mark.parametrize(
    "value, score, basis",
    [
        (D("95.00"), D("10.00"), "编制使用率95%，达到95%标准，得满分。"),
        (D("95.01"), D("10.00"), "编制使用率95.01%，达到95%标准，得满分。"),
        (
            D("94.00"),
            D("9.50"),
            "编制使用率94%，低于95%标准1个百分点，每个百分点扣0.5分，扣0.5分。",
        ),
        (
            D("60.00"),
            D("0.00"),
            "编制使用率60%，低于95%标准35个百分点，每个百分点扣0.5分，扣10分。",
        ),
    ],
)
def test_ratio_at_least_per_point_at_and_either_side_of_its_standard(value, score, basis):
    assert ratio(value, full_at=D(95), deduct_per_point=D("0.5")) == (score, basis)


@pytest.mark.parametrize(
    "value, score, basis",
    [
        (D("10.00"), D("10.00"), "编制使用率10%，未超过10%标准，得满分。"),
        (D("9.99"), D("10.00"), "编制使用率9.99%，未超过10%标准，得满分。"),
        (D("-4.83"), D("10.00"), "编制使用率-4.83%，未超过10%标准，得满分。"),
        (
            D("12.00"),
            D("8.00"),
            "编制使用率12%，高于10%标准2个百分点，每个百分点扣1分，扣2分。",
        ),
    ],
)
def test_ratio_at_most_per_point_at_and_either_side_of_its_standard(value, score, basis):
    got = ratio(value, direction="at_most", full_at=D(10), deduct_per_point=D(1))
    assert got == (score, basis)


def test_ratio_per_point_defaults_to_100_percent_and_no_deduction():
    assert ratio(D("100.00")) == (D("10.00"), "编制使用率100%，达到100%标准，得满分。")
    assert ratio(D("99.00")) == (
        D("10.00"),
        "编制使用率99%，低于100%标准1个百分点，每个百分点扣0分，得满分。",
    )


def test_ratio_marks_the_value_the_gap_and_the_deduction():
    got = ratio(D("94.00"), full_at=D(95), deduct_per_point=D("0.5"), mark="※")
    assert got == (
        D("9.50"),
        "编制使用率94%※，低于95%标准1个百分点※，每个百分点扣0.5分，扣0.5分※。",
    )
    assert ratio(D("96.00"), full_at=D(95), mark="※")[1] == "编制使用率96%※，达到95%标准，得满分。"


BANDS_UP = ((D(90), D(10)), (D(80), D(6)), (D(60), D(3)))


@pytest.mark.parametrize(
    "value, score, basis",
    [
        (D("90.00"), D("10.00"), "编制使用率90%，≥90%，按评分表得10分，得满分。"),
        (D("89.99"), D("6.00"), "编制使用率89.99%，≥80%，按评分表得6分，扣4分。"),
        (D("80.00"), D("6.00"), "编制使用率80%，≥80%，按评分表得6分，扣4分。"),
        (D("79.99"), D("3.00"), "编制使用率79.99%，≥60%，按评分表得3分，扣7分。"),
        (D("60.00"), D("3.00"), "编制使用率60%，≥60%，按评分表得3分，扣7分。"),
        (D("59.99"), D("0.00"), "编制使用率59.99%，未达到评分表任何一档，扣10分。"),
    ],
)
def test_ratio_bands_at_least_at_and_just_below_each_bound(value, score, basis):
    assert ratio(value, scoring="bands", bands=BANDS_UP) == (score, basis)


@pytest.mark.parametrize(
    "value, score, basis",
    [
        (D("5.00"), D("10.00"), "编制使用率5%，≤5%，按评分表得10分，得满分。"),
        (D("5.01"), D("5.00"), "编制使用率5.01%，≤10%，按评分表得5分，扣5分。"),
        (D("10.00"), D("5.00"), "编制使用率10%，≤10%，按评分表得5分，扣5分。"),
        (D("10.01"), D("0.00"), "编制使用率10.01%，未达到评分表任何一档，扣10分。"),
    ],
)
def test_ratio_bands_at_most_at_and_just_above_each_bound(value, score, basis):
    bands = ((D(5), D(10)), (D(10), D(5)))
    assert ratio(value, direction="at_most", scoring="bands", bands=bands) == (score, basis)


def test_ratio_bands_mark_the_value_and_the_deduction():
    assert ratio(D("85.00"), scoring="bands", bands=BANDS_UP, mark="※") == (
        D("6.00"),
        "编制使用率85%※，≥80%，按评分表得6分，扣4分※。",
    )
    assert ratio(D("50.00"), scoring="bands", bands=BANDS_UP, mark="※")[1] == (
        "编制使用率50%※，未达到评分表任何一档，扣10分※。"
    )


@pytest.mark.parametrize(
    "value, full_at, score, basis",
    [
        (D("85.00"), D(100), D("8.50"), "编制使用率85%，按编制使用率乘以分值10分计分，扣1.5分。"),
        (D("100.00"), D(100), D("10.00"), "编制使用率100%，按编制使用率乘以分值10分计分，得满分。"),
        (D("120.00"), D(100), D("10.00"), "编制使用率120%，按编制使用率乘以分值10分计分，得满分。"),
        (D("-5.00"), D(100), D("0.00"), "编制使用率-5%，按编制使用率乘以分值10分计分，扣10分。"),
        (
            D("81.00"),
            D(90),
            D("9.00"),
            "编制使用率81%，按编制使用率÷90%乘以分值10分计分，扣1分。",
        ),
        (D("81.00"), D(0), D("10.00"), "编制使用率81%，按编制使用率÷0%乘以分值10分计分，得满分。"),
    ],
)
def test_ratio_proportional_at_least_is_the_weight_times_value_over_standard_capped(
    value, full_at, score, basis
):
    assert ratio(value, scoring="proportional", full_at=full_at) == (score, basis)


@pytest.mark.parametrize(
    "value, score, basis",
    [
        (D("20.00"), D("5.00"), "编制使用率20%，按编制使用率÷10%乘以分值10分计分，扣5分。"),
        (D("10.01"), D("9.99"), "编制使用率10.01%，按编制使用率÷10%乘以分值10分计分，扣0.01分。"),
        (D("10.00"), D("10.00"), "编制使用率10%，按编制使用率÷10%乘以分值10分计分，得满分。"),
        (D("2.00"), D("10.00"), "编制使用率2%，按编制使用率÷10%乘以分值10分计分，得满分。"),
        (D("0.00"), D("10.00"), "编制使用率0%，按编制使用率÷10%乘以分值10分计分，得满分。"),
    ],
)
def test_ratio_proportional_at_most_is_the_weight_times_standard_over_value(value, score, basis):
    got = ratio(value, direction="at_most", scoring="proportional", full_at=D(10))
    assert got == (score, basis)


def test_ratio_proportional_marks_the_deduction():
    assert ratio(D("85.00"), scoring="proportional", mark="※") == (
        D("8.50"),
        "编制使用率85%※，按编制使用率乘以分值10分计分，扣1.5分※。",
    )


def test_a_ratio_of_0_against_an_at_most_0_standard_earns_the_full_weight():
    assert ratio(D(0), direction="at_most", scoring="proportional", full_at=D(0)) == (
        D(10),
        "编制使用率0%，按编制使用率÷0%乘以分值10分计分，得满分。",
    )


@pytest.mark.parametrize("scoring", ["per_point", "bands", "proportional"])
def test_ratio_over_a_zero_base_earns_what_zero_base_says(scoring):
    assert ratio(None, scoring=scoring) == (
        D(0),
        "编制使用率的基数为0，编制使用率不适用，按评分表零基数规定不得分。",
    )
    assert ratio(None, scoring=scoring, zero_base="full_points") == (
        D(10),
        "编制使用率的基数为0，编制使用率不适用，按评分表零基数规定得满分。",
    )


def describe(**kw):
    args = {
        "direction": "at_least",
        "scoring": "per_point",
        "full_at": D(95),
        "deduct_per_point": D("0.5"),
        "bands": (),
        "zero_base": "no_points",
    }
    return describe_ratio(W, "编制使用率", kw.pop("base", "编制人数"), **{**args, **kw})


def test_describe_ratio_per_point_in_both_directions_and_both_zero_policies():
    assert describe() == (
        "编制使用率≥95%得满分；每低1个百分点扣0.5分，扣完为止。编制人数为0的，编制使用率不适用，不得分。"
    )
    assert describe(direction="at_most", full_at=D(10), deduct_per_point=D(1), base=None) == (
        "编制使用率≤10%得满分；每高1个百分点扣1分，扣完为止。"
    )
    assert describe(zero_base="full_points").endswith("编制人数为0的，编制使用率不适用，得满分。")


def test_describe_ratio_bands_in_both_directions():
    assert describe(scoring="bands", bands=BANDS_UP) == (
        "编制使用率≥90%得10分；≥80%得6分；≥60%得3分；其余不得分。"
        "编制人数为0的，编制使用率不适用，不得分。"
    )
    bands = ((D(5), D(10)), (D("10.5"), D("5.5")))
    assert describe(direction="at_most", scoring="bands", bands=bands, base=None) == (
        "编制使用率≤5%得10分；≤10.5%得5.5分；其余不得分。"
    )


def test_describe_ratio_proportional_with_and_without_a_standard_other_than_100():
    assert describe(scoring="proportional", full_at=D(100), base=None) == (
        "按编制使用率乘以分值10分计分，最高为分值。"
    )
    assert describe(scoring="proportional", full_at=D(90), zero_base="full_points") == (
        "按编制使用率÷90%乘以分值10分计分，最高为分值。编制人数为0的，编制使用率不适用，得满分。"
    )


CAP = ("公用经费", "年初预算公用经费")


@pytest.mark.parametrize(
    "limit, actual, score, basis",
    [
        (
            D("26.77"),
            D("26.77"),
            D("3.00"),
            "公用经费26.77万元，等于年初预算公用经费26.77万元，得满分。",
        ),
        (
            D("26.77"),
            D("26.76"),
            D("3.00"),
            "公用经费26.76万元，低于年初预算公用经费26.77万元，得满分。",
        ),
        (
            D(100),
            D(105),
            D("1.50"),
            "公用经费105.00万元，超过年初预算公用经费100.00万元的5%，扣1.5分。",
        ),
        (
            D(100),
            D("109.99"),
            D("0.00"),
            "公用经费109.99万元，超过年初预算公用经费100.00万元的9.99%，扣3分。",
        ),
        (
            D(100),
            D(110),
            D("0.00"),
            "公用经费110.00万元，超过年初预算公用经费100.00万元的10%，扣3分。",
        ),
        (D(0), D(1), D(0), "年初预算公用经费为0但公用经费1.00万元，不得分。"),
    ],
)
def test_cap_within_at_and_over_its_limit_at_a_tenth_of_the_weight_per_percent(
    limit, actual, score, basis
):
    assert score_cap(D(3), CAP, limit, actual) == (score, basis)


def test_cap_at_9_percent_over_keeps_a_tenth_of_the_weight():
    assert score_cap(D(3), CAP, D(100), D(109))[0] == D("0.30")


@pytest.mark.parametrize(
    "actual, score, basis",
    [
        (D(100), D("3.00"), "公用经费100.00万元，等于年初预算公用经费100.00万元，得满分。"),
        (
            D(105),
            D("2.00"),
            "公用经费105.00万元，超过年初预算公用经费100.00万元的5%，每超1个百分点扣0.2分，扣1分。",
        ),
        (
            D(120),
            D("0.00"),
            "公用经费120.00万元，超过年初预算公用经费100.00万元的20%，每超1个百分点扣0.2分，扣3分。",
        ),
    ],
)
def test_cap_with_a_deduction_per_point_over(actual, score, basis):
    assert score_cap(D(3), CAP, D(100), actual, deduct_per_point=D("0.2")) == (score, basis)


def test_cap_both_zero_follows_the_zero_budget_policy():
    assert score_cap(D(3), CAP, D(0), D(0)) == (
        D(3),
        "公用经费与年初预算公用经费均为0，按评分表零基数规定得满分。",
    )
    assert score_cap(D(3), CAP, D(0), D(0), zero_budget="no_points") == (
        D(0),
        "公用经费与年初预算公用经费均为0，按评分表零基数规定不得分。",
    )


def test_cap_in_another_unit_and_with_marks():
    staff = ("在职人数", "编制人数")
    assert score_cap(D(5), staff, D(96), D(86), unit="人") == (
        D("5.00"),
        "在职人数86人，低于编制人数96人，得满分。",
    )
    assert score_cap(D(3), CAP, D(100), D(105), mark="※") == (
        D("1.50"),
        "公用经费105.00万元※，超过年初预算公用经费100.00万元※的5%※，扣1.5分※。",
    )


def test_fmt_quantity_writes_money_in_wan_and_counts_in_their_unit():
    assert fmt_quantity(D("1402.51"), "万元") == "1,402.51万元"
    assert fmt_quantity(D("86.50"), "人") == "86.5人"


def test_describe_cap_with_and_without_a_deduction_per_point():
    assert describe_cap("公用经费", "年初预算公用经费", None, "full_points") == (
        "公用经费不超过年初预算公用经费得满分（两者均为0的得满分）；超过的，超过1%扣分值的10%，"
        "超过10%及以上不得分。"
    )
    assert describe_cap("公用经费", "年初预算公用经费", D("0.2"), "no_points") == (
        "公用经费不超过年初预算公用经费得满分（两者均为0的不得分）；超过的，每超过1个百分点扣0.2分，"
        "扣完为止。"
    )


def test_describe_rate_budget_cap_and_coverage_whole():
    assert describe_rate(D(95), D("0.5"), "no_points") == (
        "支出率≥95%得满分；每低1个百分点扣0.5分，扣完为止；调整预算为0的，支出率不适用，不得分。"
    )
    assert describe_rate(D("92.5"), D(1), "full_points") == (
        "支出率≥92.5%得满分；每低1个百分点扣1分，扣完为止；调整预算为0的，支出率不适用，得满分。"
    )
    assert describe_budget_cap("full_points") == (
        "“三公”经费决算不超过预算得满分（预算与决算均为0的得满分）；超过预算的，超支1%扣分值的"
        "10%，超支10%及以上不得分。"
    )
    assert describe_budget_cap("no_points").startswith(
        "“三公”经费决算不超过预算得满分（预算与决算均为0的不得分）；"
    )
    assert describe_coverage() == "按事前绩效评估覆盖率乘以分值计分；本年度无新增项目的得满分。"


# --- checklist items with points, reweight, bonus and penalty ---------------------------------


@pytest.mark.parametrize(
    "label, value, bound, points, deduct, how",
    [
        ("采购意向按时公开率(%)", D(80), D(100), D(4), D("0.80"), "按80÷100%计3.2分"),
        ("采购意向按时公开率(%)", D("99.99"), D(100), D(4), D("0.00"), ""),  # 3.9996 → 4.00
        ("采购意向按时公开率(%)", D(100), D(100), D(4), D("0.00"), ""),
        ("采购意向按时公开率(%)", D(120), D(100), D(4), D("0.00"), ""),
        ("采购意向按时公开率(%)", D(-5), D(100), D(4), D("4.00"), "按-5÷100%计0分"),
        ("培训场次", D(3), D(5), D(3), D("1.20"), "按3÷5个计1.8分"),
        ("培训场次", D(3), D(0), D(3), D("0.00"), ""),
    ],
)
def test_an_item_scored_proportionally_earns_points_times_value_over_bound(
    label, value, bound, points, deduct, how
):
    check = check_share(label, value, bound, points)
    assert (check.label, check.deduct, check.found, check.how) == (
        label,
        deduct,
        str(value),
        how,
    )


def test_a_proportional_item_in_the_checklist_sentence():
    check = check_share("采购意向按时公开率(%)", D(80), D(100), D(4))
    assert score_checklist(D(10), [check]) == (
        D("9.20"),
        "“采购意向按时公开率(%)”为80（按80÷100%计3.2分，扣0.8分），扣0.8分。",
    )


def test_describe_check_for_each_kind_of_item():
    share = check_share("采购意向按时公开率(%)", D(99), D(100), D(4))
    assert (
        describe_check("采购意向按时公开率(%)", share, None, D(100), D(4), "proportional")
        == "“采购意向按时公开率(%)”按实际值÷100%乘以4分计分"
    )
    no = check_item("内控制度", False, expect=True, deduct=D(2))
    assert describe_check("内控制度", no, None, None, D(2)) == "“内控制度”符合要求得2分，否则不得分"
    assert describe_check("规划编制质量", no, None, None, D(6), "evaluator") == (
        "“规划编制质量”由评审按0至6分评分并说明理由"
    )
    assert describe_check("内控制度", no, None, None) == "“内控制度”为否的，扣2分"
    each = check_item("采购投诉(起)", D(1), max=D(0), deduct_each=D(1))
    assert describe_check("采购投诉(起)", each, D(0), None) == "“采购投诉(起)”每起扣1分"
    past = check_item("会议次数(次)", D(4), max=D(3), deduct=D("1.5"))
    assert describe_check("会议次数(次)", past, D(3), None) == "“会议次数(次)”超过3次的，扣1.5分"
    short = check_item("年度资产清查(次)", D(0), min=D(1), deduct=D(1))
    assert (
        describe_check("年度资产清查(次)", short, None, D(1))
        == "“年度资产清查(次)”低于1次的，扣1分"
    )


PEERS = [("预算执行率", D(8), D(10)), ("三公经费控制", D(3), D(5))]


def test_reweighted_scores_the_rate_of_its_stated_peers():
    # (8 + 3) ÷ (10 + 5) = 73.33 %; 5 × 11 ÷ 15 = 3.67
    assert score_reweighted(D(5), ["开展绩效运行监控"], 1, PEERS) == (
        D("3.67"),
        "所需数据未填报（开展绩效运行监控），按评分表规定，其分值按比例分配至已填报的"
        "“预算执行率”、“三公经费控制”，按其得分率73.33%计3.67分。",
    )
    assert score_reweighted(D(4), ["目标值", "方向"], 2, [("预算执行率", D(10), D(10))]) == (
        D("4.00"),
        "所需数据未填报（目标值、方向，共2项），按评分表规定，其分值按比例分配至已填报的"
        "“预算执行率”，按其得分率100%计4分。",
    )


def test_reweighted_without_a_stated_peer_earns_nothing():
    assert score_reweighted(D(5), ["开展绩效运行监控"], 1, []) == (
        D(0),
        "所需数据未填报（开展绩效运行监控），同组无已填报的指标可按比例分配，不得分。",
    )


@pytest.mark.parametrize(
    "cap, score, basis",
    [
        (D(5), D(3), "加分项：“获省级表彰(次)”加2分；“创新案例(个)”加1分，合计加3分。"),
        (D(3), D(3), "加分项：“获省级表彰(次)”加2分；“创新案例(个)”加1分，合计加3分。"),
        (
            D("2.5"),
            D("2.5"),
            "加分项：“获省级表彰(次)”加2分；“创新案例(个)”加1分，合计3分，以2.5分为限，加2.5分。",
        ),
    ],
)
def test_bonus_under_at_and_over_its_cap(cap, score, basis):
    parts = [("获省级表彰(次)", D(2)), ("获市级表彰(次)", D(0)), ("创新案例(个)", D(1))]
    assert score_extras("加分项", cap, parts, "加") == (score, basis)


def test_penalty_says_扣_and_nothing_applied_says_无():
    assert score_extras("扣分项", D(5), [("审计发现问题(个)", D(2))], "扣") == (
        D(2),
        "扣分项：“审计发现问题(个)”扣2分，合计扣2分。",
    )
    assert score_extras("扣分项", D(5), [("审计发现问题(个)", D(0))], "扣") == (
        D(0),
        "扣分项：无。",
    )


def test_describe_target_completion_by_average_or_points_with_and_without_deviation():
    assert describe_target_completion(D(25), "产出") == (  # average unless told
        "按各产出指标完成率（达到目标值的为100%）的平均值乘以分值25分计分；未设定产出指标的不得分。"
    )
    assert describe_target_completion(D(25), "产出", "points", (D(30), D(2), True)) == (
        "各产出指标按其分值乘以完成率（达到目标值的为100%；定性指标按完成程度）计分，合计为本指标"
        "得分；未设定产出指标的不得分。完成值超过指标值30%及以上的视为偏差，每项扣2分"
        "（说明偏差原因的不扣分）。"
    )
    assert describe_target_completion(D(25), "效益", "average", (D(30), D("1.5"), False)) == (
        "按各效益指标完成率（达到目标值的为100%）的平均值乘以分值25分计分；未设定效益指标的不得分。"
        "完成值超过指标值30%及以上的视为偏差，每项扣1.5分。"
    )


def test_describe_manual_says_who_scores():
    assert describe_manual() == "人工评分：单位自评打分并说明理由，selfeval 不计算。"
    assert (
        describe_manual("evaluator") == "评审评分：评审按0至分值评分并说明理由，selfeval 不计算。"
    )


def test_target_points_all_met_or_partly_met_and_unmarked_unless_told():
    assert score_target_points(D(20), "产出", [(D(12), D(100)), (D(8), D(100))]) == (
        D("20.00"),
        "产出指标2项，全部完成，得满分。",
    )
    assert score_target_points(D(20), "产出", [(D(12), D(100)), (D(4), D(50))]) == (
        D("16.00"),
        "产出指标2项，完成1项，按各项分值乘以完成率合计16分，扣4分。",
    )


def test_deviations_excused_and_charged_unmarked_unless_told():
    deviating = [
        Deviating("道路里程", D("34.21"), False, D(2)),
        Deviating("桥梁座数", D(50), True, D(0)),
    ]
    scored = (D(20), "产出指标2项，全部完成，得满分。")
    assert score_deviations(scored, D(30), D(2), deviating) == (
        D(18),
        "产出指标2项，全部完成，得满分。桥梁座数（超过50%）完成值超过指标值30%及以上，视为偏差，"
        "已说明偏差原因，不扣分。道路里程（超过34.21%）完成值超过指标值30%及以上，视为偏差且"
        "未说明偏差原因，每项扣2分，扣2分，得18分。",
    )
