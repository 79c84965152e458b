from decimal import Decimal as D

from selfeval_lib.frameworks.rules import (
    Check,
    score_budget_cap,
    score_checklist,
    score_coverage,
    score_manual,
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


def test_rate_below_threshold_deducts_per_point():
    assert score_rate(D(10), "支出率", D("93.00"), D(95), D("0.5")) == (
        D("9.00"),
        "支出率93%，低于95%标准2个百分点，扣1分。",
    )
    assert score_rate(D(10), "支出率", D("98.20"), D(95), D("0.5"))[0] == D(10)
    assert score_rate(D(10), "支出率", D("10.00"), D(95), D("0.5"))[0] == D(0)  # never below zero


def test_rate_over_a_zero_budget_is_not_applicable_not_a_crash():
    assert score_rate(D(10), "支出率", None, D(95), D("0.5")) == (
        D(0),
        "支出率不适用（调整预算为0），无法衡量预算执行，不得分。",
    )


def test_budget_cap_within_and_over_budget():
    assert score_budget_cap(D(3), "“三公”经费", D("26.77"), D("26.77")) == (
        D("3.00"),
        "“三公”经费决算26.77万元，等于预算26.77万元，得满分。",
    )
    score, basis = score_budget_cap(D(3), "“三公”经费", D(100), D(105))
    assert score == D("1.50") and "超过预算100万元的5%" in basis
    assert score_budget_cap(D(3), "“三公”经费", D(0), D(1))[0] == D(0)


def test_coverage_no_new_projects_is_explicit():
    assert score_coverage(D(5), "事前绩效评估", 0, 0) == (
        D(5),
        "本年度无新增项目，不涉及事前绩效评估，得满分。",
    )
    assert score_coverage(D(5), "事前绩效评估", 4, 3) == (
        D("3.75"),
        "新增项目4个，开展事前绩效评估3个，覆盖率75%，扣1.25分。",
    )


def test_checklist_deducts_failed_checks_only():
    checks = [Check("采购投诉(起)", False, D(1), "2"), Check("内控制度", True, D(1), "是")]
    assert score_checklist(D(4), checks) == (D("3.00"), "“采购投诉(起)”为2（扣1分），扣1分。")
    assert score_checklist(D(1), [Check("a", False, D(5), "否")])[0] == D(0)


def test_manual_score_uses_its_reason():
    assert score_manual(D(5), D(4), "理由") == (D("4.00"), "理由")
    assert score_manual(D(5), None, "")[0] == D(0)
