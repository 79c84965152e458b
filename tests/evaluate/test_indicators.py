"""Indicators: the example's figures are the reference report's; stated totals are used as stated
and compared with the lines; 未填报 and ※ follow every figure computed from them.

Every figure the report states or scores, for the complete example, with its ※ mark; and
every cross-check warning, whole, at and past its threshold."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal as D
from pathlib import Path

import pytest

from selfeval_lib import compute_indicators, load_report, load_unit
from selfeval_lib.values import Fig

from ..conftest import COMPLETE_PARAMS, EXAMPLE_PARAMS, edit


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
        "4,170.00万元※ 不一致，相差0.08万元※。"
        in v.warnings  # the fixture's lines are illustrative
    )


def test_a_large_shift_from_initial_budget_to_spending_warns(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/budget.csv",
        "1380.00,1420.00",
        "900.00,1420.00",
    )
    v = compute_indicators(load_unit(unit_copy))
    assert (
        "budget.csv 基本支出年初预算 1,090.00万元※，本年支出 1,589.88万元，变动45.86%※，超过评分表设定的30%，"
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
    assert "支出总计 4,000.00万元 小于本年支出 4,462.32万元" in text
    assert (
        'sangong.csv 第5行 列"决算" / row 5, column "决算"：“公务接待费”决算 5.42万元 超过预算 5.00万元'
        in text
    )
    assert "支出率 275.45%※ 超过100%" in text


def test_all_zero_budget_is_not_applicable(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    for old in ("1380.00,1420.00", "190.00,200.00", "2600.00,3178.19"):
        edit(budget, old, old.split(",")[0] + ",0")
    v = compute_indicators(load_unit(unit_copy))
    assert v.spending_rate.value is None and not v.spending_rate.not_stated
    assert "budget.csv 调整预算合计为0，部门预算资金支出率不适用。" in v.warnings


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
    for whole in ("年初预算合计 4,100.00万元", "调整预算合计 4,700.00万元"):
        assert any(w.startswith(f"unit.yaml {whole} 不等于其中基本支出 ") for w in v.warnings)
    assert (
        "unit.yaml 本年支出合计 4,462.32万元 不等于其中基本支出 1,589.88万元 与项目支出 2,852.44万元 "
        "之和 4,442.32万元，相差20.00万元。" in v.warnings
    )


def test_a_rate_written_as_a_fraction_is_pointed_out(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "unit.yaml", "  actual: 4462.32", "  actual: 4462.32\n  spending_rate: 0.93")
    v = compute_indicators(load_unit(unit_copy))
    # the framework's definition (本年支出 ÷ 调整预算) decides; the warning names both rates
    assert (v.spending_rate.value, v.stated_spending_rate.value) == (D("93.00"), D("0.93"))
    (warning,) = [w for w in v.warnings if "totals.spending_rate" in w]
    assert warning.endswith(
        "不一致（是否应为93%？支出率按百分数填写，如 96 表示 96%）；报告与评分采用按定义计算的 93%※。"
    )


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
        "4,170.00万元※ 不一致，相差0.08万元※。",
        "unit.yaml 年初预算合计 4,169.92万元 不等于其中基本支出 1,570.00万元※ 与项目支出 2,600.00万元※ "
        "之和 4,170.00万元※，相差0.08万元※。",
    )


# --- from figures ------------------------------------------------------------


# name: (value, marked). ※ follows every figure computed from an illustrative input: the budget
# lines' 年初预算/调整预算 and most 本年支出/上年支出, the 三公 lines; the totals of unit.yaml are
# stated and so unmarked.
FIGURES = {
    "basic": ("1589.88", False),  # stated in unit.yaml
    "project": ("2872.44", False),
    "personnel": ("1402.51", True),  # the 人员经费 line
    "public": ("187.37", True),
    "actual": ("4462.32", False),
    "basic_share": ("35.63", False),  # 1589.88 / 4462.32
    "project_share": ("64.37", False),
    "basic_last": ("1482.28", True),  # 1298.40 + 183.88
    "project_last": ("3661.30", False),
    "basic_change": ("107.60", True),
    "project_change": ("-788.86", False),
    "initial_budget": ("4170.00", True),
    "initial_basic": ("1570.00", True),
    "initial_project": ("2600.00", True),
    "adjusted_budget": ("4798.19", True),
    "adjusted_basic": ("1620.00", True),
    "adjusted_project": ("3178.19", True),
    "spending_rate": ("93.00", True),  # 4462.32 / 4798.19
    "stated_spending_rate": ("None", False),  # the complete example states no rate
    "computed_spending_rate": ("93.00", True),
    "basic_rate": ("98.14", True),  # 1589.88 / 1620
    "project_rate": ("90.38", True),  # 2872.44 / 3178.19
    "total_expenditure": ("4898.86", False),
    "sangong_budget": ("26.77", False),
    "sangong_actual": ("26.77", False),
    "sangong_last": ("28.13", True),  # 22.10 + 6.03
    "sangong_rate": ("100.00", False),
    "authorized": ("96", False),
    "in_service": ("86", False),
    "retired": ("48", False),
    "temporary": ("18", False),
    "staffing_rate": ("89.58", False),  # 86 / 96
    "temporary_ratio": ("20.93", False),  # 18 / 86
    "retired_ratio": ("55.81", False),  # 48 / 86
    "basic_per_staff": ("18.49", False),  # 1589.88 / 86
    "new_projects": ("1", False),
    "pre_assessed": ("1", False),
    "pre_assessment_rate": ("100.00", False),
    "last_total": ("5143.58", True),  # 上年支出合计: 1482.28 + 3661.30
    "sangong_change": ("-1.36", True),  # 26.77 - 28.13
}


def test_every_figure_of_the_complete_example():
    values = load_report(COMPLETE_PARAMS).indicators
    found = {
        f.name: (str(getattr(values, f.name).value), getattr(values, f.name).illustrative)
        for f in fields(values)
        if f.name
        not in ("targets", "warnings", "budget_lines", "sangong_lines", "line_sums", "lists")
    }
    assert found == FIGURES
    assert values.warnings == ()


def _shown(f) -> str:
    return f"{f.value}{'※' if f.illustrative else ''}"


def test_every_line_figure_of_the_complete_example():
    """Each budget and 三公 line with its amounts and its rate, computed once for every table,
    chart and workbook that shows them; and the sums of the lines each stated total is checked
    against."""
    values = load_report(COMPLETE_PARAMS).indicators
    budget = [
        (b.row, b.line.name, [_shown(f) for f in (*b.amounts, b.spending_rate)])
        for b in values.budget_lines
    ]
    assert budget == [
        (
            0,
            "工资福利支出及对个人和家庭的补助",
            ["1380.00※", "1420.00※", "1402.51※", "1298.40※", "98.77※"],
        ),
        (1, "商品和服务支出", ["190.00※", "200.00※", "187.37※", "183.88※", "93.69※"]),
        (2, "项目支出", ["2600.00※", "3178.19※", "2872.44", "3661.30", "90.38※"]),
    ]
    sangong = [
        (s.line.item, [_shown(f) for f in (*s.amounts, s.rate)]) for s in values.sangong_lines
    ]
    assert sangong == [
        ("因公出国（境）费", ["0.00※", "0.00※", "0.00※", "None※"]),  # 执行率 over 0: 不适用
        ("公务用车购置费", ["0.00※", "0.00※", "0.00※", "None※"]),
        ("公务用车运行维护费", ["21.35※", "21.35※", "22.10※", "100.00※"]),
        ("公务接待费", ["5.42※", "5.42※", "6.03※", "100.00※"]),
    ]
    assert {k: _shown(f) for k, f in values.line_sums.items()} == {
        "actual": "4462.32※",
        "basic": "1589.88※",
        "project": "2872.44",
        "initial_budget": "4170.00※",
        "initial_basic": "1570.00※",
        "initial_project": "2600.00※",
        "adjusted_budget": "4798.19※",
        "adjusted_basic": "1620.00※",
        "adjusted_project": "3178.19※",
        "sangong_budget": "26.77※",
        "sangong_actual": "26.77※",
    }


def test_every_target_of_the_complete_example():
    targets = load_report(COMPLETE_PARAMS).indicators.targets
    assert [
        (t.row, t.target.name, str(t.goal.value), str(t.actual.value), str(t.completion.value))
        for t in targets[:5]
    ] == [
        (0, "地区生产总值", "170000", "174477", "100"),
        (1, "一般公共预算收入", "1650", "1712.3764", "100"),
        (2, "农林牧渔业总产值", "132000", "135471", "100"),
        (3, "规模以上工业增加值", "7200", "7415", "100"),
        (4, "固定资产投资", "5000", "5085", "100"),
    ]
    assert [str(t.growth_pct.value) for t in targets[:5]] == ["3.4", "9.49", "4.0", "4.3", "None"]
    assert all(
        t.completion.illustrative and t.goal.illustrative and not t.actual.illustrative
        for t in targets
    )
    assert [len(targets), sum(t.met for t in targets)] == [16, 16]


def test_growth_is_computed_from_last_year_where_not_stated(unit_copy):
    targets = unit_copy.parent.parent / "data/2024/qianshan/targets.csv"
    edit(targets, "≥,5000,5085,,", "≥,5000,5085,4400,")
    edit(targets, "≥,6,6,,", "≥,6,6,0,")  # 美丽宜居示范村: nothing last year
    values = load_report(unit_copy).indicators
    # (5085 - 4400) / 4400 = 15.568 %, to one place as a unit would write it
    assert str(values.targets[4].growth_pct.value) == "15.6"
    assert values.targets[5].growth_pct.value is None  # no growth over nothing


# warnings: (edits of the complete example, the warnings, whole, in order)
WARNINGS = {
    "支出总计 below 本年支出": (
        [("unit.yaml", "total_expenditure: 4898.86", "total_expenditure: 4000")],
        [
            "unit.yaml 支出总计 4,000.00万元 小于本年支出 4,462.32万元，两者应满足 支出总计 ≥ 本年支出。"
        ],
    ),
    "a stated total a cent off its lines": (
        [("unit.yaml", "  actual: 4462.32", "  actual: 4462.33")],
        [
            "unit.yaml totals.actual 所列本年支出合计 4,462.33万元 与 budget.csv 各行合计 "
            "4,462.32万元※ 不一致，相差0.01万元※。",
            "unit.yaml 本年支出合计 4,462.33万元 不等于其中基本支出 1,589.88万元 与项目支出 "
            "2,872.44万元 之和 4,462.32万元，相差0.01万元。",
        ],
    ),
    "a stated change off": (
        [("unit.yaml", "  project: 2872.44", "  project: 2872.44\n  basic_change: 100")],
        [
            "unit.yaml totals.basic_change 所列比上年增减 100.00万元 与按本年、上年支出计算的 "
            "107.60万元※ 不一致。"
        ],
    ),
    "a stated rate off": (
        [("unit.yaml", "  project: 2872.44", "  project: 2872.44\n  spending_rate: 92.5")],
        [
            "unit.yaml totals.spending_rate 所列支出率 92.5% 与按评分表定义（本年支出÷调整预算）由"
            "本年支出 4,462.32万元、调整预算 4,798.19万元※ 计算的 93%※ 不一致；报告与评分采用按定义"
            "计算的 93%※。"
        ],
    ),
    "a stated rate over 100": (
        [("unit.yaml", "  project: 2872.44", "  project: 2872.44\n  spending_rate: 101")],
        [
            "unit.yaml totals.spending_rate 所列支出率 101% 与按评分表定义（本年支出÷调整预算）由"
            "本年支出 4,462.32万元、调整预算 4,798.19万元※ 计算的 93%※ 不一致；报告与评分采用按定义"
            "计算的 93%※。"
        ],
    ),
    "a shift past 30 % from the initial budget": (
        [("budget.csv", "2600.00,3178.19", "2209.00,3178.19")],
        [
            "budget.csv 项目支出年初预算 2,209.00万元※，本年支出 2,872.44万元，变动30.03%※，超过评分表设定的30%，"
            "请核实预算调整情况。"
        ],
    ),
    "a line's shift past 30 % inside a 支出类型 that moved little (issue 20: 公用经费 2.3×)": (
        [
            ("budget.csv", "190.00,200.00,187.37", "85.76,200.00,193.42"),
            ("unit.yaml", "  basic: 1589.88", "  basic: 1595.93"),
            ("unit.yaml", "  actual: 4462.32", "  actual: 4468.37"),
        ],
        [
            'budget.csv 第3行 列"本年支出" / row 3, column "本年支出"：“商品和服务支出”（公用经费）'
            "年初预算 85.76万元※，本年支出 193.42万元※，变动125.54%※，超过评分表设定的30%，"
            "请核实预算调整情况。"
        ],
    ),
    "a line without a budget but with spending": (
        [("budget.csv", "190.00,200.00,187.37", "190.00,0.00,187.37")],
        [
            'budget.csv 第3行 列"调整预算" / row 3, column "调整预算"：“商品和服务支出”调整预算为0但'
            "本年支出 187.37万元，支出率不适用。"
        ],
    ),
    "a line over its budget": (
        [("budget.csv", "1380.00,1420.00,1402.51", "1380.00,1400.00,1402.51")],
        [
            'budget.csv 第2行 列"本年支出" / row 2, column "本年支出"：“工资福利支出及对个人和家庭的'
            "补助”本年支出超过调整预算，支出率 100.18%（超过100%）。"
        ],
    ),
    "a 基本支出 line in 项目支出": (
        [("budget.csv", "基本支出,公用经费,", "基本支出,项目支出,")],
        [
            'budget.csv 第3行 列"经济分类" / row 3, column "经济分类"：“商品和服务支出”支出类型'
            "“基本支出”与经济分类“项目支出”不一致。"
        ],
    ),
    "a 项目支出 line in 公用经费": (
        [("budget.csv", "项目支出,项目支出,项目支出", "项目支出,公用经费,项目支出")],
        [
            'budget.csv 第4行 列"经济分类" / row 4, column "经济分类"：“项目支出”支出类型'
            "“项目支出”与经济分类“公用经费”不一致。"
        ],
    ),
    "a 三公 line over its budget": (
        [
            ("sangong.csv", "公务接待费,5.42,5.42", "公务接待费,5.42,5.43"),
            ("unit.yaml", "sangong_actual: 26.77", "sangong_actual: 26.78"),
        ],
        [
            'sangong.csv 第5行 列"决算" / row 5, column "决算"：“公务接待费”决算 5.43万元 超过预算 5.42万元。'
        ],
    ),
    "三公 without a budget": (
        [
            ("sangong.csv", "公务接待费,5.42,5.42", "公务接待费,0.00,5.42"),
            ("sangong.csv", "公务用车运行维护费,21.35,21.35", "公务用车运行维护费,0.00,21.35"),
            ("unit.yaml", "sangong_budget: 26.77", "sangong_budget: 0"),
        ],
        [
            'sangong.csv 第4行 列"决算" / row 4, column "决算"：“公务用车运行维护费”决算 21.35万元 '
            "超过预算 0.00万元。",
            'sangong.csv 第5行 列"决算" / row 5, column "决算"：“公务接待费”决算 5.42万元 超过预算 0.00万元。',
            "unit.yaml “三公”经费预算为0但决算 26.77万元，执行率不适用。",
        ],
    ),
    "more staff than posts": (
        [("unit.yaml", "in_service: 86", "in_service: 97")],
        ["unit.yaml 年末在职人数 97人 超过核定编制 96人。"],
    ),
    "growth off last year's figure by more than 0.1": (
        [("targets.csv", "≥,170000,174477,,3.4", "≥,170000,174477,170000,2.53")],
        [
            'targets.csv 第2行 列"增长率" / row 2, column "增长率"：“地区生产总值”增长率 2.53% 与上年值'
            "推算的 2.63% 不一致。"
        ],
    ),
    "a percentage over 100": (
        [("targets.csv", "%,≥,99,99.89", "%,≥,99,100.01")],
        [
            'targets.csv 第10行 列"实际值" / row 10, column "实际值"：“农村卫生厕所普及率”实际值 100.01% 超过100%。'
        ],
    ),
}

# the same checks exactly at their thresholds: no warning
QUIET = {
    "支出总计 equal to 本年支出": [
        ("unit.yaml", "total_expenditure: 4898.86", "total_expenditure: 4462.32")
    ],
    "a stated rate as computed, to its own places": [
        ("unit.yaml", "  project: 2872.44", "  project: 2872.44\n  spending_rate: 93.0")
    ],
    "a shift of exactly 30 %": [("budget.csv", "2600.00,3178.19", "2209.57,3178.19")],
    "a line's shift of 30 % to two places": [("budget.csv", "190.00,200.00", "267.67,200.00")],
    "a line spending exactly its budget": [
        ("budget.csv", "1380.00,1420.00,1402.51", "1380.00,1402.51,1402.51")
    ],
    "staff equal to posts": [("unit.yaml", "in_service: 86", "in_service: 96")],
    "growth off by 0.1 or less": [
        ("targets.csv", "≥,170000,174477,,3.4", "≥,170000,174477,170000,2.54")
    ],
    "a percentage of exactly 100": [("targets.csv", "%,≥,99,99.89", "%,≥,99,100")],
}


def _apply(params, edits):
    data = params.parent.parent / "data/2024/qianshan"
    for file, old, new in edits:
        edit(data / file, old, new)
    return load_report(params)


@pytest.mark.parametrize("case", list(WARNINGS))
def test_each_cross_check_warns_in_its_words(unit_copy, case):
    edits, expected = WARNINGS[case]
    assert list(_apply(unit_copy, edits).indicators.warnings) == expected


@pytest.mark.parametrize("case", list(QUIET))
def test_each_cross_check_is_quiet_at_its_threshold(unit_copy, case):
    assert _apply(unit_copy, QUIET[case]).indicators.warnings == ()


def test_no_adjusted_budget_at_all(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    for old in ("1380.00,1420.00,", "190.00,200.00,", "2600.00,3178.19,"):
        edit(data / "budget.csv", old, old.split(",")[0] + ",0.00,")
    r = load_report(unit_copy)
    assert r.indicators.spending_rate.value is None and not r.indicators.spending_rate.not_stated
    assert r.indicators.warnings[-1] == "budget.csv 调整预算合计为0，部门预算资金支出率不适用。"
    assert len(r.indicators.warnings) == 4  # and each line: no budget but spending


def _data(params):
    return params.parent.parent / "data/2024/qianshan"


def test_figures_not_stated_name_where_they_come_from(example_params):
    values = load_report(example_params).indicators
    # a budget line's 经济分类 not stated: neither 人员经费 nor 公用经费 can be summed
    for figure in (values.personnel, values.public):
        assert (figure.value, figure.missing) == (None, ('budget.csv: 第2行 列"经济分类"',))


PLACE = "sangong.csv: 无数据行"


def test_no_sangong_rows_is_not_stated_not_zero(unit_copy):
    sangong = _data(unit_copy) / "sangong.csv"
    sangong.write_text(sangong.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    for key in ("  sangong_budget: 26.77", "  sangong_actual: 26.77"):
        edit(_data(unit_copy) / "unit.yaml", key, "")
    values = load_report(unit_copy).indicators
    assert values.sangong_actual.missing == (PLACE,)
    assert values.sangong_budget.missing == (PLACE,)
    # nor was last year's 决算: it has no stated total, so it is 未填报 too (never blank)
    assert values.sangong_last.missing == (PLACE,)
    # the report's 未填报 list names the missing table once, not each 项目 it would hold
    report = load_report(unit_copy)
    assert [p for p in report.unit.not_stated() if p.startswith("sangong.csv")] == [PLACE]
    # a 无 row for the whole table: nothing is left out
    sangong.write_text(sangong.read_text(encoding="utf-8") + "无\n", encoding="utf-8")
    assert not [p for p in load_report(unit_copy).unit.not_stated() if "sangong" in p]


def test_a_count_not_stated_is_named_by_its_file_and_key(unit_copy):
    """unit.yaml's 编制人数 written 未填报: the figure names the key it would be read from."""
    edit(_data(unit_copy) / "unit.yaml", "authorized: 96", "authorized: 未填报")
    values = load_report(unit_copy).indicators
    assert values.authorized.missing == ("unit.yaml: staffing.authorized",)
    # given, and listed among the unit's illustrative keys: the figure carries the mark
    edit(_data(unit_copy) / "unit.yaml", "authorized: 未填报", "authorized: 96")
    edit(
        _data(unit_copy) / "unit.yaml",
        "year: 2024\n",
        "year: 2024\nillustrative: [staffing.authorized]\n",
    )
    assert load_report(unit_copy).indicators.authorized == Fig(D(96), True)


def test_an_assessment_not_stated_names_its_project(unit_copy):
    edit(
        _data(unit_copy) / "management.yaml",
        "pre_assessed: true}",
        "pre_assessed: 未填报}",
    )
    values = load_report(unit_copy).indicators
    assert values.pre_assessed.missing == ("management.yaml: new_projects.0.pre_assessed",)
    assert values.pre_assessment_rate.missing == values.pre_assessed.missing


def test_a_direction_not_stated_leaves_completion_unknown_and_says_why(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "万元,≥,170000,174477,,3.4,目标值", "万元,未填报,170000,未填报,,3.4,方向")
    target = load_report(unit_copy).indicators.targets[0]
    assert target.completion.value is None and target.met is None
    assert target.completion.missing == (
        'targets.csv: 第2行 列"方向"',
        'targets.csv: 第2行 列"实际值"',
    )
    assert target.completion.illustrative  # the 方向 cell is marked illustrative


def test_no_staff_means_no_per_head_figures(unit_copy):
    edit(_data(unit_copy) / "unit.yaml", "  in_service: 86 ", "  in_service: 0 ")
    values = load_report(unit_copy).indicators
    assert values.basic_per_staff.value is None and not values.basic_per_staff.not_stated
    assert values.temporary_ratio.value is None and values.staffing_rate.value == D("0.00")


# each stated total of unit.yaml against its lines: (key, stated one cent off, its label, the
# lines' sum with its mark, the difference with its mark, the file)
TOTALS = [
    ("actual", "4462.33", "本年支出合计", "4,462.32万元※", "0.01万元※", "budget.csv"),
    ("basic", "1589.89", "基本支出", "1,589.88万元※", "0.01万元※", "budget.csv"),
    ("project", "2872.45", "项目支出", "2,872.44万元", "0.01万元", "budget.csv"),
    ("initial_budget", "4170.01", "年初预算合计", "4,170.00万元※", "0.01万元※", "budget.csv"),
    ("initial_basic", "1570.01", "年初预算基本支出", "1,570.00万元※", "0.01万元※", "budget.csv"),
    ("initial_project", "2600.01", "年初预算项目支出", "2,600.00万元※", "0.01万元※", "budget.csv"),
    ("adjusted_budget", "4798.20", "调整预算合计", "4,798.19万元※", "0.01万元※", "budget.csv"),
    ("adjusted_basic", "1620.01", "调整预算基本支出", "1,620.00万元※", "0.01万元※", "budget.csv"),
    ("adjusted_project", "3178.20", "调整预算项目支出", "3,178.19万元※", "0.01万元※", "budget.csv"),
    ("sangong_budget", "26.78", "“三公”经费预算", "26.77万元※", "0.01万元※", "sangong.csv"),
    ("sangong_actual", "26.78", "“三公”经费决算", "26.77万元※", "0.01万元※", "sangong.csv"),
]


@pytest.mark.parametrize(
    "key, stated, label, lines, diff, source", TOTALS, ids=[t[0] for t in TOTALS]
)
def test_each_stated_total_a_cent_off_its_lines_warns(
    unit_copy, key, stated, label, lines, diff, source
):
    unit_yaml = _data(unit_copy) / "unit.yaml"
    text = unit_yaml.read_text(encoding="utf-8")
    old = next((line for line in text.splitlines() if line.startswith(f"  {key}:")), None)
    if old:
        edit(unit_yaml, old, f"  {key}: {stated}")
    else:
        edit(unit_yaml, "totals:", f"totals:\n  {key}: {stated}")
    number = f"{float(stated):,.2f}"  # two decimals, as the tables show amounts
    expected = (
        f"unit.yaml totals.{key} 所列{label} {number}万元 与 {source} 各行合计 {lines} 不一致，"
        f"相差{diff}。"
    )
    assert expected in load_report(unit_copy).indicators.warnings


def test_a_stated_rate_is_compared_to_its_own_places(unit_copy):
    data = _data(unit_copy)
    edit(data / "budget.csv", "2600.00,3178.19", "2600.00,3180.19")  # 92.96 % computed
    edit(data / "unit.yaml", "  project: 2872.44", "  project: 2872.44\n  spending_rate: 93.0")
    r = load_report(unit_copy)
    # they agree: no warning, and the rate scored is the definition's, to two places
    assert str(r.indicators.stated_spending_rate.value) == "93.0" and r.indicators.warnings == ()
    assert str(r.indicators.spending_rate.value) == "92.96"


def test_growth_exactly_a_tenth_off_is_quiet(unit_copy):
    # (5085 - 4500) / 4500 = 13.0 %, stated 12.9
    edit(_data(unit_copy) / "targets.csv", "≥,5000,5085,,", "≥,5000,5085,4500,12.9")
    assert load_report(unit_copy).indicators.warnings == ()


def test_a_line_with_neither_budget_nor_spending_is_quiet(unit_copy):
    data = _data(unit_copy)
    edit(data / "budget.csv", "190.00,200.00,187.37,183.88", "0.00,0.00,0.00,183.88")
    edit(data / "unit.yaml", "  basic: 1589.88", "  basic: 1402.51")
    edit(data / "unit.yaml", "  actual: 4462.32", "  actual: 4274.95")
    assert load_report(unit_copy).indicators.warnings == ()


def test_a_line_with_half_a_unit_of_spending_and_no_budget_warns(unit_copy):
    edit(_data(unit_copy) / "budget.csv", "190.00,200.00,187.37,183.88", "190.00,0.00,0.50,183.88")
    warnings = load_report(unit_copy).indicators.warnings
    assert (
        'budget.csv 第3行 列"调整预算" / row 3, column "调整预算"：“商品和服务支出”调整预算为0但本年支出 0.50万元，支出率不适用。'
        in warnings
    )


def test_a_line_with_a_zero_budget_and_its_spending_not_stated_is_not_checked(unit_copy):
    """Nothing to compare: the line's 本年支出 is 未填报 (listed as such), no 支出率 warning."""
    edit(
        _data(unit_copy) / "budget.csv", "190.00,200.00,187.37,183.88", "190.00,0.00,未填报,183.88"
    )
    r = load_report(unit_copy)
    assert not any("商品和服务支出" in w for w in r.indicators.warnings)
    assert r.indicators.budget_lines[1].spending_rate.not_stated


def test_spending_exactly_the_budget_is_not_over(unit_copy):
    data = _data(unit_copy)
    for old, new in (
        ("1380.00,1420.00,1402.51", "1380.00,1402.51,1402.51"),
        ("190.00,200.00,187.37", "190.00,187.37,187.37"),
        ("2600.00,3178.19,2872.44", "2600.00,2872.44,2872.44"),
    ):
        edit(data / "budget.csv", old, new)
    r = load_report(unit_copy)
    assert r.indicators.spending_rate.value == D("100.00") and r.indicators.warnings == ()


def _workbook_unit(tmp_path, stated: dict, example: Path = COMPLETE_PARAMS) -> tuple:
    """The complete example (or `example`) as a workbook whose 基本情况 states these totals
    (key -> value): its params file and the row of each key."""
    from openpyxl import load_workbook

    from selfeval_lib.report.template import write_template

    from ..inputs.test_workbook import change, key_rows

    unit = load_unit(example)
    book = tmp_path / "qianshan_2024.xlsx"
    write_template(book, unit.framework, unit)
    rows = key_rows(load_workbook(book)["基本情况"])

    def state(ws):
        for key, value in stated.items():
            ws.cell(rows[key], 2).value = value

    change(book, "基本情况", state)
    params = tmp_path / "params" / "wb_2024.yaml"
    params.parent.mkdir()
    params.write_text(f"unit_id: wb_2024\nyear: 2024\ndata: ../{book.name}\n", encoding="utf-8")
    return params, rows


def test_a_workbook_units_stated_total_warnings_name_its_cell_and_the_lines_cells(tmp_path):
    """A total the workbook's 基本情况 states is named by its cell, the lines it disagrees with by
    theirs (三公经费!B3:B6, the 预算 column): where a clerk looks to correct it."""
    from openpyxl import load_workbook

    params, rows = _workbook_unit(tmp_path, {"totals.sangong_budget": 0})
    row = rows["totals.sangong_budget"]
    assert load_report(params).card.warnings == (
        f"qianshan_2024.xlsx 基本情况!B{row} totals.sangong_budget 所列“三公”经费预算 0.00万元 与 "
        "qianshan_2024.xlsx 三公经费!B3:B6 各行合计 26.77万元※ 不一致，相差26.77万元※。",
        f"qianshan_2024.xlsx 基本情况!B{row} “三公”经费预算为0但决算 26.77万元，执行率不适用。",
    )
    sheets = load_workbook(params.parent.parent / "qianshan_2024.xlsx")  # the cells named
    assert sheets["基本情况"][f"B{row}"].value == 0
    assert sum(sheets["三公经费"][f"B{r}"].value for r in range(3, 7)) == pytest.approx(26.77)


def test_each_cross_check_of_a_workbook_unit_names_the_cell_of_the_total_it_questions(tmp_path):
    stated = {
        "totals.total_expenditure": 100,
        "totals.initial_basic": 100,
        "totals.basic_change": 999,
        "totals.spending_rate": 50,
    }
    params, rows = _workbook_unit(tmp_path, stated)
    b, at = "qianshan_2024.xlsx", {key: f"基本情况!B{rows[key]}" for key in stated}
    assert load_report(params).card.warnings == (
        f"{b} {at['totals.total_expenditure']} 支出总计 100.00万元 小于本年支出 4,462.32万元，"
        "两者应满足 支出总计 ≥ 本年支出。",
        f"{b} {at['totals.initial_basic']} totals.initial_basic 所列年初预算基本支出 100.00万元 与 "
        f"{b} 收支情况!D3:D4 各行合计 1,570.00万元※ 不一致，相差1,470.00万元※。",
        f"{b} 基本情况 年初预算合计 4,170.00万元※ 不等于其中基本支出 100.00万元 与项目支出 "
        "2,600.00万元※ 之和 2,700.00万元※，相差1,470.00万元※。",
        f"{b} {at['totals.basic_change']} totals.basic_change 所列比上年增减 999.00万元 与按本年、"
        "上年支出计算的 107.60万元※ 不一致。",
        f"{b} {at['totals.spending_rate']} totals.spending_rate 所列支出率 50% 与按评分表定义"
        "（本年支出÷调整预算）由本年支出 4,462.32万元、调整预算 4,798.19万元※ 计算的 93%※ 不一致；"
        "报告与评分采用按定义计算的 93%※。",
        f"{b} {at['totals.initial_basic']} 基本支出年初预算 100.00万元，本年支出 1,589.88万元，"
        "变动1489.88%，超过评分表设定的30%，请核实预算调整情况。",
    )


def test_a_zero_adjusted_budget_of_a_workbook_unit_names_the_rate_it_leaves_unused(tmp_path):
    params, rows = _workbook_unit(
        tmp_path, {"totals.adjusted_budget": 0, "totals.spending_rate": 93}
    )
    b, at = "qianshan_2024.xlsx", {key: f"基本情况!B{row}" for key, row in rows.items()}
    assert load_report(params).indicators.warnings == (
        f"{b} {at['totals.adjusted_budget']} totals.adjusted_budget 所列调整预算合计 0.00万元 与 {b} "
        "收支情况!E3:E5 各行合计 4,798.19万元※ 不一致，相差4,798.19万元※。",
        f"{b} 基本情况 调整预算合计 0.00万元 不等于其中基本支出 1,620.00万元※ 与项目支出 3,178.19万元※ "
        "之和 4,798.19万元※，相差4,798.19万元※。",
        f"{b} {at['totals.adjusted_budget']} 调整预算合计为0，部门预算资金支出率不适用；{b} "
        f"{at['totals.spending_rate']} totals.spending_rate 所列支出率 93% 不予采用。",
    )


def test_a_rate_over_100_percent_names_the_cell_it_rests_on(tmp_path):
    """Over 100 % (100.5 % is): the 调整预算合计 cell where the rate is computed from it, the
    stated 支出率's cell where the rate is the unit's own (its 调整预算 not stated)."""
    b = "qianshan_2024.xlsx"
    params, rows = _workbook_unit(tmp_path / "computed", {"totals.adjusted_budget": 4440})
    assert load_report(params).indicators.warnings[2:] == (
        f"{b} 基本情况!B{rows['totals.adjusted_budget']} 部门预算资金支出率 100.5% 超过100%，"
        "请核对调整预算与本年支出。",
    )
    params, rows = _workbook_unit(
        tmp_path / "stated", {"totals.spending_rate": 100.5}, example=EXAMPLE_PARAMS
    )
    assert load_report(params).indicators.warnings == (
        f"{b} 基本情况!B{rows['totals.spending_rate']} 部门预算资金支出率 100.5% 超过100%，"
        "请核对调整预算与本年支出。",
    )


def test_a_zero_sangong_budget_summed_from_its_lines_names_them(unit_copy):
    """No stated total: the 预算 of sangong.csv's lines is 0 while 决算 is not, so the 执行率
    does not apply, and the warning names the lines it was summed from."""
    data = _data(unit_copy)
    edit(data / "unit.yaml", "  sangong_budget: 26.77", "")
    for old, new in (("21.35,21.35", "0.00,21.35"), ("5.42,5.42", "0.00,5.42")):
        edit(data / "sangong.csv", old, new)
    assert load_report(unit_copy).indicators.warnings == (
        'sangong.csv 第4行 列"决算" / row 4, column "决算"：“公务用车运行维护费”决算 21.35万元 '
        "超过预算 0.00万元。",
        'sangong.csv 第5行 列"决算" / row 5, column "决算"：“公务接待费”决算 5.42万元 '
        "超过预算 0.00万元。",
        "sangong.csv “三公”经费预算为0但决算 26.77万元，执行率不适用。",
    )


def test_a_budget_line_shifting_beyond_the_limit_after_a_whole_type_is_named_by_its_type(unit_copy):
    """A line that is its whole 支出类型 (项目支出, listed first) is left to the check of its type;
    a later line moving beyond the limit still gets its own warning, named under its 支出类型
    where its 经济分类 is 未填报."""
    budget = _data(unit_copy) / "budget.csv"
    header, staff, office, project = budget.read_text(encoding="utf-8").splitlines()
    office = office.replace(
        "基本支出,公用经费,商品和服务支出,190.00", "基本支出,未填报,商品和服务支出,100.00"
    )
    budget.write_text("\n".join((header, project, staff, office)) + "\n", encoding="utf-8")
    shifts = [w for w in load_report(unit_copy).indicators.warnings if "变动" in w]
    assert shifts == [
        'budget.csv 第4行 列"本年支出" / row 4, column "本年支出"：“商品和服务支出”（基本支出）年初预算 '
        "100.00万元※，本年支出 187.37万元※，变动87.37%※，超过评分表设定的30%，请核实预算调整情况。"
    ]
