"""Rule kinds: the score and the basis sentence, which shows the arithmetic of the 评分标准."""

from decimal import Decimal as D

import pytest

from selfeval_lib.frameworks.rules import (
    check_item,
    score_budget_cap,
    score_checklist,
    score_coverage,
    score_manual,
    score_not_stated,
    score_rate,
    score_target_completion,
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
    assert score == D("1.50") and basis.startswith("“三公”经费决算105万元，超过预算100万元的5%")
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
