"""Indicators: the example's figures are the reference report's; stated totals are used as stated
and compared with the lines; 未填报 and ※ follow every figure computed from them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from selfeval_lib import compute_indicators, load_unit

from .conftest import edit


def test_the_example_uses_the_figures_the_reference_states(example_params):
    v = compute_indicators(load_unit(example_params))
    assert (v.basic.value, v.project.value, v.actual.value) == (
        D("1589.88"),
        D("2872.44"),
        D("4462.32"),
    )
    assert (v.basic_change.value, v.project_change.value) == (D("107.6"), D("-788.86"))
    assert (v.basic_share.value, v.project_share.value) == (D("35.63"), D("64.37"))
    assert v.total_expenditure.value == D("4898.86")
    assert not any(f.illustrative for f in (v.basic, v.actual, v.basic_change, v.spending_rate))


def test_a_stated_rate_is_used_as_stated_and_nothing_is_back_solved(example_params):
    v = compute_indicators(load_unit(example_params))
    assert v.spending_rate.value == D("93") and not v.spending_rate.illustrative
    # the 调整预算 behind it is not stated: it stays 未填报, never 4,798.19
    assert v.adjusted_budget.value is None and v.adjusted_budget.not_stated
    assert 'budget.csv: 第2行 列"调整预算"' in v.adjusted_budget.missing


def test_sangong_staffing_and_projects_of_the_example(example_params):
    v = compute_indicators(load_unit(example_params))
    assert (v.sangong_budget.value, v.sangong_actual.value, v.sangong_rate.value) == (
        D("26.77"),
        D("26.77"),
        D("100.00"),
    )
    assert v.staffing_rate.value == D("89.58")
    assert v.basic_per_staff.value == D("18.49")
    assert (v.new_projects.value, v.pre_assessed.value, v.pre_assessment_rate.value) == (
        1,
        1,
        D("100.00"),
    )
    assert v.warnings == ()


def test_targets_without_a_stated_goal_have_no_completion(example_params):
    v = compute_indicators(load_unit(example_params))
    outputs = {t.target.name: t for t in v.targets_of("产出")}
    assert outputs["地区生产总值"].growth_pct.value == D("3.4")
    assert outputs["农林牧渔业总产值"].growth_pct.value == D("4.0")
    assert not outputs["固定资产投资"].growth_pct.given
    assert all(t.met is None and t.completion.not_stated for t in v.targets)


def test_complete_unit_targets_and_marks_follow_the_figures(unit_copy):
    v = compute_indicators(load_unit(unit_copy))
    assert all(t.met for t in v.targets)
    # every 目标值 of the fixture is illustrative: so is every completion, never the actual value
    assert all(t.completion.illustrative and not t.actual.illustrative for t in v.targets)
    # the lines' 调整预算 are illustrative: the rate computed from them is marked
    assert v.spending_rate.value == D("93.00") and v.spending_rate.illustrative
    assert v.adjusted_budget.value == D("4798.19") and v.adjusted_budget.illustrative


def test_a_sum_with_a_not_stated_part_is_not_stated_unless_the_total_is(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "budget.csv", "1380.00,1420.00", "未填报,1420.00")
    v = compute_indicators(load_unit(unit_copy))
    assert v.initial_budget.not_stated and v.initial_budget.value is None
    assert v.initial_budget.missing == ('budget.csv: 第2行 列"年初预算"',)
    edit(data / "unit.yaml", "  actual: 4462.32", "  actual: 4462.32\n  initial_budget: 4170.00")
    v = compute_indicators(load_unit(unit_copy))
    assert v.initial_budget.value == D("4170.00") and not v.initial_budget.not_stated


def test_a_stated_total_that_differs_from_its_lines_warns_with_both_figures(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "  actual: 4462.32",
        "  actual: 4462.32\n  initial_budget: 4169.92",
    )
    v = compute_indicators(load_unit(unit_copy))
    assert v.initial_budget.value == D("4169.92")  # the unit's own figure is the one shown
    assert (
        "unit.yaml totals.initial_budget 所列年初预算合计 4,169.92万元 与 budget.csv 各行合计 "
        "4,170万元※ 不一致，相差0.08万元※。" in v.warnings  # the fixture's lines are illustrative
    )


def test_a_large_shift_from_initial_budget_to_spending_warns(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/budget.csv",
        "1380.00,1420.00",
        "900.00,1420.00",
    )
    v = compute_indicators(load_unit(unit_copy))
    assert (
        "基本支出年初预算 1,090万元※，本年支出 1,589.88万元，变动45.86%※，超过评分表设定的30%，"
        "请核实预算调整情况。" in v.warnings
    )


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
    assert "支出总计 4,000万元 小于本年支出 4,462.32万元" in text
    assert (
        'sangong.csv 第5行 列"决算" / row 5, column "决算"：“公务接待费”决算 5.42万元 超过预算 5万元'
        in text
    )
    assert "支出率 275.45%※ 超过100%" in text


def test_all_zero_budget_is_not_applicable(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    for old in ("1380.00,1420.00", "190.00,200.00", "2600.00,3178.19"):
        edit(budget, old, old.split(",")[0] + ",0")
    v = compute_indicators(load_unit(unit_copy))
    assert v.spending_rate.value is None and not v.spending_rate.not_stated
    assert "调整预算合计为0，部门预算资金支出率不适用。" in v.warnings


def test_an_empty_sangong_table_is_not_stated_not_zero(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    (data / "sangong.csv").write_text("项目,预算,决算,上年决算,示例数据\n", encoding="utf-8")
    edit(data / "unit.yaml", "  sangong_budget: 26.77", "  # sangong_budget: 26.77")
    edit(data / "unit.yaml", "  sangong_actual: 26.77", "  # sangong_actual: 26.77")
    v = compute_indicators(load_unit(unit_copy))
    assert v.sangong_budget.not_stated and v.sangong_actual.not_stated


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
        "unit.yaml totals.basic 所列基本支出 1,589.88万元 与 budget.csv 各行合计 1,589.87万元※ 不一致，相差0.01万元※。"
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


def test_stated_parts_that_do_not_add_up_to_the_stated_whole_warn(unit_copy):
    """The report says "本年支出X。其中，基本支出Y；项目支出Z": stated figures that do not add up
    are named, with the difference, even where each agrees with some of the lines."""
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "unit.yaml", "project: 2872.44", "project: 2852.44")
    edit(
        data / "unit.yaml",
        "  actual:",
        "  initial_budget: 4100\n  adjusted_budget: 4700\n  actual:",
    )
    v = compute_indicators(load_unit(unit_copy))
    for whole in ("年初预算合计 4,100万元", "调整预算合计 4,700万元"):
        assert any(w.startswith(f"unit.yaml {whole} 不等于其中基本支出 ") for w in v.warnings)
    assert (
        "unit.yaml 本年支出合计 4,462.32万元 不等于其中基本支出 1,589.88万元 与项目支出 2,852.44万元 "
        "之和 4,442.32万元，相差20万元。" in v.warnings
    )


def test_a_rate_written_as_a_fraction_is_pointed_out(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "unit.yaml", "  actual: 4462.32", "  actual: 4462.32\n  spending_rate: 0.93")
    v = compute_indicators(load_unit(unit_copy))
    assert v.spending_rate.value == D("0.93")  # used as stated, never corrected silently
    (warning,) = [w for w in v.warnings if "totals.spending_rate" in w]
    assert warning.endswith("不一致（是否应为93%？支出率按百分数填写，如 96 表示 96%）。")


def test_targets_of_zero_or_negative_figures_are_met_or_missed_not_ratioed(unit_copy):
    """≤ -2 met by -3 was 66.67 % complete, ≥ -10 met by -5 was 50 %: a target met is 100 %; a
    ratio is taken only of positive figures, and a target missed otherwise is 0 % (as the
    framework's printed standard says)."""
    targets = unit_copy.parent.parent / "data/2024/qianshan/targets.csv"
    rows = targets.read_text(encoding="utf-8").splitlines()
    extra = [
        "产出,能耗增长率,单位GDP能耗同比增长,%,≤,-2,-3,,,",  # met
        "产出,亏损额,下属企业净利润,万元,≥,-10,-5,,,",  # met
        "产出,净利润,下属企业净利润,万元,≥,10,-5,,,",  # missed, a negative actual
        "产出,收入,某项收入,万元,≥,200,150,,,",  # missed, both positive: 75 %
        "产出,亏损额2,某项亏损,万元,≥,-10,-10,,,",  # met exactly
        "产出,能耗2,某项能耗,%,≤,-2,-2,,,",  # met exactly
        "产出,小额,某项小额,万元,≥,0.5,0.25,,,",  # missed, figures under 1: 50 %
        "产出,比率,某项比率,%,≤,0.2,0.5,,,",  # missed, figures under 1: 40 %
    ]
    targets.write_text("\n".join([rows[0], *extra]) + "\n", encoding="utf-8")
    v = compute_indicators(load_unit(unit_copy))
    completions = [t.completion.value for t in v.targets_of("产出")]
    assert completions == [D(100), D(100), D(0), D(75), D(100), D(100), D(50), D(40)]


@pytest.mark.parametrize(
    "stated, computed, hinted",
    [
        ("0.96", "96.15", True),
        ("0.96", "95.5", True),  # within one point of 96 %
        ("1", "100.3", True),  # 1 for 100 %
        ("0.96", "95", False),  # a whole point away: not a fraction of this rate
        ("0.96", "94.5", False),
        ("0", "0.4", False),  # 0 % is 0 however written
        ("1.5", "150.2", False),  # above 1: a rate of 1.5 %, not a fraction
        ("0.5", "93", False),  # a fraction, but not of this rate
    ],
)
def test_the_fraction_hint_only_where_the_rate_is_that_fraction(stated, computed, hinted):
    from selfeval_lib.evaluate.indicators import _as_percent_hint

    hint = _as_percent_hint(D(stated), D(computed))
    assert bool(hint) is hinted


@pytest.mark.parametrize(
    "column, stated, basic, project",
    [("initial", "4170.00", "1570.00", "2600.00"), ("adjusted", "4798.19", "1620.00", "3178.19")],
)
def test_a_stated_budget_total_is_never_taken_for_its_basic_or_project_line(
    unit_copy, column, stated, basic, project
):
    """A unit that states only the 年初预算 (or 调整预算) total keeps its 基本支出 and 项目支出 lines
    as summed from budget.csv: a total agreeing with its lines gives no warning at all."""
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "  actual: 4462.32",
        f"  actual: 4462.32\n  {column}_budget: {stated}",
    )
    v = compute_indicators(load_unit(unit_copy))
    assert v.warnings == ()
    figures = (getattr(v, f"{column}_{part}") for part in ("budget", "basic", "project"))
    assert [(f.value, f.illustrative) for f in figures] == [
        (D(stated), False),  # as stated
        (D(basic), True),  # the lines' sums: their 年初预算 and 调整预算 are illustrative (※)
        (D(project), True),
    ]


def test_a_stated_budget_total_off_its_lines_gives_exactly_its_two_warnings(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "  actual: 4462.32",
        "  actual: 4462.32\n  initial_budget: 4169.92",
    )
    assert compute_indicators(load_unit(unit_copy)).warnings == (
        "unit.yaml totals.initial_budget 所列年初预算合计 4,169.92万元 与 budget.csv 各行合计 "
        "4,170万元※ 不一致，相差0.08万元※。",
        "unit.yaml 年初预算合计 4,169.92万元 不等于其中基本支出 1,570万元※ 与项目支出 2,600万元※ "
        "之和 4,170万元※，相差0.08万元※。",
    )
