"""Indicators of the example unit are the reference report's figures; cross-checks warn, never crash."""

from __future__ import annotations

from decimal import Decimal as D

from selfeval_lib import compute_indicators, load_unit

from .conftest import edit


def test_spending_structure_and_year_on_year(example_params):
    v = compute_indicators(load_unit(example_params))
    assert (v.basic, v.project, v.actual) == (D("1589.88"), D("2872.44"), D("4462.32"))
    assert v.basic - v.basic_last == D("107.60")
    assert v.project - v.project_last == D("-788.86")
    assert (v.basic_share, v.project_share) == (D("35.63"), D("64.37"))
    assert v.total_expenditure == D("4898.86")


def test_spending_rate_sangong_and_staffing(example_params):
    v = compute_indicators(load_unit(example_params))
    assert v.spending_rate == D("93.00")
    assert (v.sangong_budget, v.sangong_actual, v.sangong_rate) == (
        D("26.77"),
        D("26.77"),
        D("100.00"),
    )
    assert v.staffing_rate == D("89.58")
    assert v.basic_per_staff == D("18.49")
    assert (v.new_projects, v.pre_assessed, v.pre_assessment_rate) == (1, 1, D("100.00"))


def test_targets_completion_and_growth(example_params):
    v = compute_indicators(load_unit(example_params))
    outputs = {t.target.name: t for t in v.targets_of("产出")}
    assert outputs["地区生产总值"].growth_pct == D("3.4")
    assert outputs["农林牧渔业总产值"].growth_pct == D("4.0")
    assert outputs["固定资产投资"].growth_pct is None
    assert all(t.met for t in v.targets)
    assert v.warnings == ()


def test_sums_over_zero_and_rates_over_100_become_warnings(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "budget.csv", "2600.00,3178.19", "2600.00,0")  # zero budget on a spent line
    edit(data / "unit.yaml", "in_service: 86", "in_service: 120")
    edit(data / "unit.yaml", "total_expenditure: 4898.86", "total_expenditure: 4000")
    edit(data / "sangong.csv", "5.42,5.42", "5.00,5.42")
    v = compute_indicators(load_unit(unit_copy))
    text = "\n".join(v.warnings)
    assert (
        'budget.csv 第4行 列"调整预算" / row 4, column "调整预算"：“项目支出”调整预算为0但本年支出 '
        "2,872.44万元，支出率不适用。" in text
    )
    assert "年末在职人数 120人 超过核定编制 96人" in text
    assert "支出总计 4,000万元 小于各支出行本年支出合计 4,462.32万元" in text
    assert (
        'sangong.csv 第5行 列"决算" / row 5, column "决算"：“公务接待费”决算 5.42万元 超过预算 5万元'
        in text
    )
    assert "支出率 275.45% 超过100%" in text


def test_all_zero_budget_is_not_applicable(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    for old in ("1380.00,1420.00", "190.00,200.00", "2600.00,3178.19"):
        edit(budget, old, old.split(",")[0] + ",0")
    v = compute_indicators(load_unit(unit_copy))
    assert v.spending_rate is None
    assert "调整预算合计为0，部门预算资金支出率不适用。" in v.warnings


def test_growth_inconsistent_with_last_year_warns(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/targets.csv",
        "174477,,3.4",
        "174477,160000,3.4",
    )
    v = compute_indicators(load_unit(unit_copy))
    assert any("地区生产总值”增长率 3.4% 与上年值推算的 9.05% 不一致" in w for w in v.warnings)


def test_lines_that_do_not_add_up_to_the_stated_totals_warn(unit_copy):
    edit(unit_copy.parent.parent / "data/2024/qianshan/budget.csv", "1402.51", "1402.50")
    v = compute_indicators(load_unit(unit_copy))
    assert (
        "unit.yaml totals.basic 所列基本支出 1,589.88万元 与 budget.csv 各行合计 1,589.87万元 不一致，相差0.01万元。"
        in v.warnings
    )
    assert any(
        w.startswith("unit.yaml totals.actual 所列本年支出合计 4,462.32万元") for w in v.warnings
    )


def test_warnings_name_the_row_of_the_file_even_after_blank_lines(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    text = budget.read_text(encoding="utf-8")
    budget.write_text(
        text.replace("\n项目支出,", "\n\n项目支出,").replace("2600.00,3178.19", "2600.00,2000.00"),
        encoding="utf-8",
    )
    v = compute_indicators(load_unit(unit_copy))
    assert any(
        w.startswith('budget.csv 第5行 列"本年支出"') and "本年支出超过调整预算" in w
        for w in v.warnings
    )
