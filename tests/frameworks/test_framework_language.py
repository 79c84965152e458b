"""The framework language a county writes without code (issue 19): rules over the figures the
data holds, grade labels, groups with weights, missing-data policies, checklist points and
total-level rules. Each small framework under tests/data/frameworks/ scores the complete example
unit; every expected score is worked out by hand below from that unit's figures."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path
from types import SimpleNamespace

import pytest

from selfeval_lib import FrameworkError, ValidationErrors, load_framework, load_report
from selfeval_lib.evaluate.figures import compute_figure
from selfeval_lib.frameworks.figures import FIGURES
from selfeval_lib.frameworks.model import check_framework
from selfeval_lib.report.narrative import describe_targets
from selfeval_lib.report.tables import describe_review_note, score_part
from selfeval_lib.values import Fig

from ..conftest import COMPLETE_DATA, edit, visible_text

FRAMEWORKS = Path(__file__).parents[1] / "data" / "frameworks"


def scored_with(params: Path, framework: str):
    """The complete example unit scored by a test framework (its self scores and indicator notes,
    which name the shipped framework's indicators, left out)."""
    use_framework(params, framework)
    return load_report(params)


def use_framework(params: Path, framework: str) -> None:
    """The complete example unit under a test framework, without what names the shipped one's
    indicators (self scores, indicator notes)."""
    data = params.parent.parent / "data" / "2024" / "qianshan"
    (data / "self_scores.csv").write_text("指标,自评得分,理由,示例数据\n", encoding="utf-8")
    narrative = data / "narrative.md"
    text = narrative.read_text(encoding="utf-8")
    narrative.write_text(re.sub(r"## 指标:.*?(?=\n## |\Z)", "", text, flags=re.S), "utf-8")
    edit(params, "framework: gd_township_2024", f"framework: {FRAMEWORKS / framework}")


def use_variant(params: Path, framework: str, old: str, new: str) -> None:
    """The complete example unit under a test framework with one piece changed (use_framework)."""
    text = (FRAMEWORKS / framework).read_text(encoding="utf-8")
    assert old in text
    variant = params.parent / f"variant_{framework}"
    variant.write_text(text.replace(old, new), encoding="utf-8")
    use_framework(params, str(variant))


def scored_with_variant(params: Path, framework: str, old: str, new: str):
    """The complete example unit scored by a test framework with one piece changed."""
    use_variant(params, framework, old, new)
    return load_report(params)


def refused(tmp_path: Path, framework: str, old: str, new: str) -> str:
    """The error a test framework with one piece changed is refused with."""
    text = (FRAMEWORKS / framework).read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(str(bad))
    return str(caught.value)


def by_id(card) -> dict[str, D]:
    return {s.indicator.id: s.score for s in card.scores}


def test_every_named_figure_has_a_value_and_none_is_typed(unit_copy):
    report = load_report(unit_copy)
    values = {n: compute_figure(n, report.unit, report.indicators) for n in FIGURES}
    assert values["本年支出"].value == D("4462.32")
    assert values["年初预算项目支出"].value == D("2600.00")
    assert values["公用经费"].value == D("187.37")  # 本年支出 of the 公用经费 lines
    assert values["公务接待费上年决算"].value == D("6.03")
    assert (values["在职人数"].value, values["编制人数"].value) == (D(86), D(96))
    assert all(f.given for f in values.values())


def test_ratios_and_caps_over_named_figures_score_as_worked_out_by_hand(unit_copy):
    card = scored_with(unit_copy, "figures_by_name.yaml").card
    assert by_id(card) == {
        # 2872.44 ÷ 3178.19 = 90.38 %: 4.62 points under 95 at 0.5 → 15 − 2.31
        "project_rate": D("12.69"),
        # 1589.88 ÷ 1620 = 98.14 % of 10 points
        "basic_rate": D("9.81"),
        # 86 ÷ 96 = 89.58 %: the ≥ 85 % band
        "staffing": D("8"),
        # (4798.19 − 4170) ÷ 4170 = 15.06 %: 5.06 points over 10 at 0.5 → 15 − 2.53
        "budget_adjustment": D("12.47"),
        # (26.77 − 28.13) ÷ 28.13 = −4.83 %: not above 0
        "sangong_change": D("10"),
        # 187.37 within 200.00
        "public_cap": D("10"),
        # 1402.51 over 1380.00 by 1.63 %, 2 points each → 15 − 3.26
        "personnel_cap": D("11.74"),
        # 支出率 93 %, as the shipped `rate` rule scores it: 15 − 2 × 0.5
        "spending_rate": D("14"),
    }
    assert card.total == D("88.71")
    assert card.grade == "良"
    basis = {s.indicator.id: s.basis for s in card.scores}
    assert basis["budget_adjustment"] == (
        "预算调整率15.06%※，高于10%标准5.06个百分点※，每个百分点扣0.5分，扣2.53分※。"
    )
    assert basis["personnel_cap"] == (
        "人员经费1,402.51万元※，超过年初预算人员经费1,380.00万元※的1.63%※，每超1个百分点扣2分，"
        "扣3.26分※。"
    )
    assert basis["staffing"] == "编制使用率89.58%，≥85%，按评分表得8分，扣2分。"


def test_a_rule_over_figures_states_its_standard_and_a_wrong_one_is_flagged(tmp_path):
    for name in ("figures_by_name", "groups_and_grades", "national_cap", "checklist_points"):
        assert check_framework(load_framework(str(FRAMEWORKS / f"{name}.yaml"))) == []
    message = refused(tmp_path, "figures_by_name.yaml", "≥85%得8分", "≥85%得7分")
    assert "bad.yaml 第34行" in message
    assert (
        "indicators[2] (id: staffing).standard: 评分标准与规则不一致：评分标准写有7分，规则中没有；"
        "规则为8分，评分标准未写" in message
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        (
            "base: 调整预算项目支出",
            "base: 调整预算项目",
            19,
            'rule.base: "调整预算项目" 不是数据中已有的数 / is not a figure the data holds',
        ),
        (
            "figure: 支出率, full_at",
            "figure: 支出率, base: 本年支出, full_at",
            81,
            "rule: base: “支出率”已是百分数，不能再有 base / 支出率 is a percentage already",
        ),
        (
            "limit: 调整预算公用经费}",
            "limit: 在职人数}",
            65,
            'rule: limit: "在职人数" 与 "公用经费" 应为同一单位的金额或人数',
        ),
        (
            "bands: [{bound: 95, points: 10}, {bound: 85, points: 8}",
            "bands: [{bound: 85, points: 8}, {bound: 95, points: 10}",
            41,
            "rule: bands: 各档应从最好的一档起依次排列",
        ),
    ],
)
def test_a_mistake_in_a_figure_rule_names_its_line(tmp_path, old, new, line, says):
    message = refused(tmp_path, "figures_by_name.yaml", old, new)
    assert f"bad.yaml 第{line}行" in message
    assert says in message


def subtotals(card) -> list[tuple[str, D, D]]:
    return [(g.name, g.weight, g.score) for g in card.groups]


def test_groups_declare_weights_and_carry_subtotals_and_the_county_grades(unit_copy):
    report = scored_with(unit_copy, "groups_and_grades.yaml")
    card = report.card
    # 规划: 预算调整率 15.06 %, 5.06 over 10 at 0.5 → 15 − 2.53
    # 执行: 项目支出执行率 90.38 % → 20 − 2.31; 编制使用率 89.58 % → the ≥ 85 % band, 12
    # 效果: 公用经费 within budget 25; 人员经费 1.63 % over at 2 a point → 25 − 3.26
    assert subtotals(card) == [
        ("规划", D(15), D("12.47")),
        ("执行", D(35), D("29.69")),
        ("效果", D(50), D("46.74")),
    ]
    assert card.total == D("88.90")
    assert card.grade == "良好"  # 优秀 ≥ 90, 良好 ≥ 80
    record = report.scores_record()
    assert record["groups"][1] == {
        "name": "执行",
        "level": 1,
        "weight": 35.0,
        "score": 29.69,
        "illustrative": True,  # 项目支出执行率 rests on an illustrative 调整预算
    }
    assert [b["grade"] for b in record["grade_bands"]] == ["优秀", "良好", "合格", "不合格"]


def test_a_missing_indicator_reweighted_over_its_group_says_what_the_total_rests_on(unit_copy):
    unit_yaml = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "unit.yaml"
    edit(unit_yaml, "authorized: 96", "authorized: 未填报")
    card = scored_with(unit_copy, "groups_and_grades.yaml").card
    staffing = next(s for s in card.scores if s.indicator.id == "staffing")
    # 编制使用率 takes the rate of 项目支出执行率, the one stated indicator of 执行: 17.69 ÷ 20
    # = 88.45 %, × 15 = 13.2675 → 13.27
    assert staffing.score == D("13.27")
    assert staffing.basis == (
        "所需数据未填报（机构编制部门核定人数），按评分表规定，其分值按比例分配至已填报的"
        "“项目支出执行率”，按其得分率88.45%计13.27分。"
    )
    assert subtotals(card)[1] == ("执行", D(35), D("30.96"))
    assert card.total == D("90.17")
    assert card.grade == "优秀"
    assert (
        "指标“编制使用率”所需数据未填报，按评分表规定其分值15.00分按比例分配至已填报的"
        "“项目支出执行率”：总分据已填报的指标计算。"
    ) in card.warnings
    # its one peer 未填报 too: nothing to spread it over, and the warning says so
    edit(unit_yaml, "project: 2872.44", "project: 未填报")
    budget = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "budget.csv"
    edit(budget, "3178.19,2872.44,", "3178.19,未填报,")
    card = load_report(unit_copy).card
    assert by_id(card)["staffing"] == 0
    assert (
        "指标“编制使用率”所需数据未填报，同组无已填报的指标可按比例分配，其分值15.00分不得分："
        "总分据已填报的指标计算。"
    ) in card.warnings


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        (
            "{name: 执行, weight: 35}",
            "{name: 执行, weight: 30}",
            13,
            'groups.1.weight: "执行" 声明分值 30，其下各指标分值合计 35（project_rate 20 + '
            "staffing 15）/ declares 30 but its indicators weigh 35",
        ),
        (
            "{name: 效果, weight: 50}",
            "{name: 效果类, weight: 50}",
            14,
            'groups.2.name: "效果类" 没有指标的 level1 为此名称 / no indicator\'s level1 is this '
            'name; 可用 / allowed: 规划、执行、效果; 是否应为 / did you mean "效果"?',
        ),
        ("missing: reweight", "missing: re-weight", 39, "'no_points' or 'reweight'"),
    ],
)
def test_a_mistake_in_groups_or_missing_names_its_line(tmp_path, old, new, line, says):
    message = refused(tmp_path, "groups_and_grades.yaml", old, new)
    assert f"bad.yaml 第{line}行" in message
    assert says in message


def test_a_three_level_hierarchy_carries_a_subtotal_for_each_declared_group(unit_copy):
    report = scored_with(unit_copy, "three_levels.yaml")
    card = report.card
    # each indicator as the figures_by_name test works it out by hand from the same unit:
    # 预算执行率 93 % → 15 − 2 × 0.5 = 14; 项目支出执行率 90.38 % → 15 − 4.62 × 0.5 = 12.69;
    # 基本支出执行率 98.14 % of 10 = 9.81; 预算调整率 15.06 % → 15 − 5.06 × 0.5 = 12.47;
    # 公用经费 within budget 10; 人员经费 1.63 % over at 2 → 15 − 3.26 = 11.74;
    # “三公” −4.83 % on last year 10; 编制使用率 89.58 %: the ≥ 85 % band, 8
    assert subtotals(card) == [
        ("执行", D(55), D("48.97")),  # 14 + 12.69 + 9.81 + 12.47
        ("管理", D(45), D("39.74")),  # 10 + 11.74 + 10 + 8
        ("预算执行", D(40), D("36.50")),  # 14 + 12.69 + 9.81
        ("成本控制", D(45), D("39.74")),  # the whole of 管理
        ("支出进度", D(30), D("26.69")),  # 14 + 12.69
        ("经费控制", D(25), D("21.74")),  # 10 + 11.74
        ("综合", D(20), D(18)),  # 管理/成本控制/综合 by its path: 10 + 8, not 预算调整's 综合
    ]
    assert card.total == D("88.71")  # 48.97 + 39.74
    assert card.grade == "良"
    groups = report.scores_record()["groups"]
    assert groups[-1]["path"] == ["管理", "成本控制", "综合"]  # declared by path: which 综合
    assert [g for g in groups if "path" in g] == groups[-1:]
    assert [(g["name"], g["level"], g["score"]) for g in groups] == [
        ("执行", 1, 48.97),
        ("管理", 1, 39.74),
        ("预算执行", 2, 36.5),
        ("成本控制", 2, 39.74),
        ("支出进度", 3, 26.69),
        ("经费控制", 3, 21.74),
        ("综合", 3, 18.0),
    ]


@pytest.mark.parametrize(
    ("over", "staffing", "total", "grade"),
    [
        # peers under 管理/成本控制/综合: “三公”经费变动率 10 of 10 = 100 %, × 10 = 10
        ("level3", D(10), D("90.71"), "优"),
        # peers under 管理/成本控制: (10 + 11.74 + 10) ÷ (10 + 15 + 10) = 90.69 %, × 10 = 9.07
        ("level2", D("9.07"), D("89.78"), "良"),
    ],
)
def test_a_missing_indicator_is_reweighted_over_the_level_it_names(
    unit_copy, tmp_path, over, staffing, total, grade
):
    unit_yaml = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "unit.yaml"
    edit(unit_yaml, "authorized: 96", "authorized: 未填报")
    framework = tmp_path / "three_levels.yaml"
    text = (FRAMEWORKS / "three_levels.yaml").read_text(encoding="utf-8")
    framework.write_text(text.replace("reweight_over: level3", f"reweight_over: {over}"), "utf-8")
    card = scored_with(unit_copy, str(framework)).card
    assert by_id(card)["staffing"] == staffing
    assert card.total == total  # 88.71 − 8 + the reweighted score
    assert card.grade == grade
    assert subtotals(card)[-1] == ("综合", D(20), 10 + staffing)


def test_an_indicator_with_fewer_levels_than_its_framework_leaves_the_lower_levels_blank(
    unit_copy, tmp_path
):
    shallow = tmp_path / "shallow.yaml"
    text = (FRAMEWORKS / "three_levels.yaml").read_text(encoding="utf-8")
    shallow.write_text(
        text.replace("levels: [执行, 预算调整, 综合]", "levels: [执行, 预算调整]"), "utf-8"
    )
    part = score_part(scored_with(unit_copy, str(shallow)))
    table = next(b for b in part.blocks if b["kind"] == "table")
    rows = [["".join(run["text"] for run in cell) for cell in row] for row in table["rows"]]
    adjust = next(row for row in rows if row[4].startswith("预算调整率"))
    assert adjust[:4] == ["4", "执行", "预算调整", ""]


def test_the_score_table_prints_a_column_per_level_and_each_subtotal_in_every_format(unit_copy):
    """三级指标 beside 一级 and 二级, and a 小计 row for each declared group, in the page's and the
    Word report's 评分表 (the same blocks) and in the 评分表 workbook."""
    from io import BytesIO

    from openpyxl import load_workbook

    from selfeval_lib.report.scoresheet import scoresheet_bytes
    from selfeval_lib.report.tables import score_part

    r = scored_with(unit_copy, "three_levels.yaml")
    expected = [
        ("执行小计", "55.00", "48.97"),
        ("管理小计", "45.00", "39.74"),
        ("预算执行小计", "40.00", "36.50"),
        ("成本控制小计", "45.00", "39.74"),
        ("支出进度小计", "30.00", "26.69"),
        ("经费控制小计", "25.00", "21.74"),
        ("综合小计", "20.00", "18.00"),
    ]
    part = score_part(r)
    table = next(b for b in part.blocks if b["kind"] == "table")
    assert table["header"][:5] == ["序号", "一级指标", "二级指标", "三级指标", "指标（指标解释）"]
    rows = [["".join(run["text"] for run in cell) for cell in row] for row in table["rows"]]
    assert rows[0][:4] == ["1", "执行", "预算执行", "支出进度"]
    assert rows[0][4].startswith("预算执行率")
    score = table["header"].index("得分")
    printed = [(row[4], row[5], row[score]) for row in rows if row[4].endswith("小计")]
    # every subtotal rests on an illustrative (※) figure of the example unit: marked so
    assert printed == [(label, weight, f"{points}※") for label, weight, points in expected]
    assert rows[-1][4] == "合计" and rows[-1][score] == "88.71※"
    # a subtotal's and the total's rows: nothing but their label, weight and score (and grade)
    assert rows[-2] == ["", "", "", "", "综合小计", "20.00", "", "18.00※", ""]
    assert rows[-1] == ["", "", "", "", "合计", "100.00", "", "88.71※", "等级：良※"]
    page_rows = [
        [visible_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr>.*?</tr>", part.html, re.S)
    ]  # the review edition: 计算得分 and 自评得分 beside 得分
    assert page_rows[-2] == ["", "", "", "", "综合小计", "20.00", "", "", "", "18.00※", ""]
    assert page_rows[-1] == [
        "",
        "",
        "",
        "",
        "合计",
        "100.00",
        "",
        "88.71※",
        "",
        "88.71※",
        "等级:良※",
    ]
    # marked for the page's column widths, which follow the columns the third level moves right
    assert part.html.count('<table class="scores levels-3">') == 1
    page = visible_text(part.html)
    assert "1执行预算执行支出进度预算执行率" in page
    assert "综合小计20.0018.00※" in page
    sheet = load_workbook(BytesIO(scoresheet_bytes(r)))["评分表"]
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["一级指标", "二级指标", "三级指标", "指标", "指标解释"]
    defined = header.index("得分")
    assert [c.value for c in sheet[4]][:4] == ["执行", "预算执行", "支出进度", "预算执行率"]
    cells = [
        (row[0].value, f"{row[5].value:.2f}", f"{row[defined].value:.2f}")
        for row in sheet.iter_rows(min_row=4)
        if isinstance(row[0].value, str) and row[0].value.endswith("小计")
    ]
    assert cells == expected
    # a group's cells are merged down its indicators' rows: 支出进度 over rows 4 and 5
    assert "C4:C5" in {str(m) for m in sheet.merged_cells.ranges}
    assert list(r.scores_table.columns[:4]) == ["一级指标", "二级指标", "三级指标", "指标"]


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        (
            "{path: [管理, 成本控制, 综合], weight: 20}",
            "{name: 综合, level: 3, weight: 20}",
            19,
            'groups.6.name: "综合" 在多个上级之下都有此名称（执行、预算调整；管理、成本控制），请用 path '
            "写明是哪一个 / stands under several parents (执行、预算调整；管理、成本控制): declare it "
            "by path, e.g. path: [执行, 预算调整, 综合]",
        ),
        (
            "{path: [管理, 成本控制, 综合], weight: 20}",
            "{path: [管理, 综合], weight: 20}",
            19,
            'groups.6.path: "管理、综合" 没有指标位于此路径下（管理、综合）/ no indicator stands '
            "under this path",
        ),
        (
            "{path: [管理, 成本控制, 综合], weight: 20}",
            "{path: [管理, 成本控制, 综合], level: 2, weight: 20}",
            19,
            'groups.6: level: "2" 与 path 不符（按 path 应为 3）/ does not match path',
        ),
        (
            "{path: [管理, 成本控制, 综合], weight: 20}",
            "{path: [管理, 成本控制, 综合], weight: 25}",
            19,
            'groups.6.weight: "综合" 声明分值 25，其下各指标分值合计 20（sangong_change 10 + '
            "staffing 10）/ declares 25 but its indicators weigh 20",
        ),
        (
            "{name: 支出进度, level: 3, weight: 30}",
            "{name: 支出进度, level: 2, weight: 30}",
            17,
            'groups.4.name: "支出进度" 没有指标的 level2 为此名称 / no indicator\'s level2 is this '
            "name; 可用 / allowed: 预算执行、预算调整、成本控制",
        ),
        (
            "    levels: [执行, 预算执行, 支出进度]\n    weight: 15\n    explanation: 本年支出",
            "    levels: [执行, 预算执行, 支出进度]\n    level1: 执行\n    weight: 15\n"
            "    explanation: 本年支出",
            24,
            "indicators[0] (id: spending_rate): level1: 已写 levels，不能再写 level1/level2",
        ),
        (
            "    levels: [执行, 预算执行, 支出进度]\n    weight: 15\n    explanation: 本年支出",
            "    levels: [执行]\n    weight: 15\n    explanation: 本年支出",
            23,
            "indicators[0] (id: spending_rate): levels: 只写了 1 级，至少写两级（一级、二级）/ names 1 "
            "level(s); name at least two (一级 and 二级)",
        ),
        (
            "reweight_over: level3",
            "reweight_over: level4",
            77,
            'indicators[7] (id: staffing): reweight_over: "level4" 超出本指标的层级（共 3 级：管理、'
            "成本控制、综合）/ is deeper than the indicator's 3 levels; 允许 / allowed: level1、"
            "level2、level3、all",
        ),
    ],
)
def test_a_mistake_in_the_hierarchy_names_its_line(tmp_path, old, new, line, says):
    message = refused(tmp_path, "three_levels.yaml", old, new)
    assert f"bad.yaml 第{line}行" in message, message
    assert says in message, message


def stated_rate_only(params, rate: str) -> None:
    """The unit states its 支出率 and figures that give it: the 项目支出 line's 调整预算 is set so
    that 本年支出 4,462.32 ÷ 调整预算 is `rate` % to two places (the framework's definition
    computes the rate from the figures where both are stated)."""
    data = params.parent.parent / "data" / "2024" / "qianshan"
    edit(data / "unit.yaml", "  actual: 4462.32", f"  spending_rate: {rate}\n  actual: 4462.32")
    project = (D("446232") / D(rate) - D("1620")).quantize(D("0.01"))
    edit(data / "budget.csv", "2600.00,3178.19", f"2600.00,{project}")


@pytest.mark.parametrize(
    ("rate", "total", "grade", "uncapped"),
    [
        # 20 × rate ÷ 100 for 预算执行率, 40 + 40 for the two caps met: 80 + rate ÷ 5
        ("85", D("97.00"), "优", None),  # not below 80 %: no cap
        ("75", D("89"), "良", D("95.00")),  # 70–80 %: at most 89
        ("65", D("79"), "中", D("93.00")),  # 60–70 %: at most 79
        ("55", D("69"), "中", D("91.00")),  # below 60 %: at most 69
        ("45", D("59"), "差", D("89.00")),  # below 50 %: at most 59
    ],
)
def test_the_total_is_capped_by_the_execution_rate_and_says_so(
    unit_copy, rate, total, grade, uncapped
):
    stated_rate_only(unit_copy, rate)
    report = scored_with(unit_copy, "national_cap.yaml")
    card = report.card
    assert (card.total, card.grade, card.uncapped_total) == (total, grade, uncapped)
    assert report.scores_record()["total_cap"]["uncapped_total"] == (
        None if uncapped is None else float(uncapped)
    )


def test_the_capped_total_states_its_basis(unit_copy):
    stated_rate_only(unit_copy, "75")
    card = scored_with(unit_copy, "national_cap.yaml").card
    assert card.cap_basis == (
        # ※: the fixture's 调整预算 lines are illustrative, and so is the rate computed from them
        "预算执行率75%※，低于80%，按评分表总分不超过89.00分；各指标合计95.00分，超过上限的6.00分"
        "予以扣减，总分为89.00分※。"
    )


def test_a_cap_over_a_sangong_item_without_a_line_is_not_stated_and_names_the_missing_line(
    unit_copy,
):
    sangong = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "sangong.csv"
    edit(sangong, "公务接待费,5.42,5.42,6.03,预算;决算;上年决算\n", "")
    reception = scored_with(unit_copy, "national_cap.yaml").card.scores[2]
    assert (reception.indicator.id, reception.score, reception.basis) == (
        "reception_cap",
        D(0),
        "所需数据未填报（无“公务接待费”行），按评分表未填报规定不得分。",
    )
    assert reception.not_stated == ("sangong.csv: 无“公务接待费”行",)


def test_a_total_cap_over_a_sangong_item_without_a_line_caps_nothing_and_says_so(unit_copy):
    sangong = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "sangong.csv"
    edit(sangong, "公务接待费,5.42,5.42,6.03,预算;决算;上年决算\n", "")
    card = scored_with_variant(
        unit_copy,
        "national_cap.yaml",
        "  figure: 支出率\n  label: 预算执行率\n",
        "  figure: 公务接待费决算\n  base: 公务接待费预算\n  label: 公务接待费执行率\n",
    ).card
    said = "公务接待费执行率未填报或不适用，无法按评分表确定总分上限，总分未设上限。"
    assert (card.uncapped_total, card.cap_basis) == (None, said)
    assert said in card.warnings


def test_a_total_exactly_at_its_cap_is_not_capped(unit_copy):
    stated_rate_only(unit_copy, "75")
    report = scored_with_variant(
        unit_copy, "national_cap.yaml", "{below: 80, at_most: 89}", "{below: 80, at_most: 95}"
    )
    card = report.card
    assert (card.total, card.uncapped_total) == (D(95), None)
    assert card.cap_basis == (
        "预算执行率75%※，低于80%，按评分表总分不超过95.00分；各指标合计95.00分，未超过上限。"
    )
    assert report.scores_record()["total_cap"]["uncapped_total"] is None


def test_total_cap_bands_out_of_order_are_refused_with_their_line(tmp_path):
    message = refused(
        tmp_path, "national_cap.yaml", "{below: 70, at_most: 79}", "{below: 70, at_most: 99}"
    )
    assert "bad.yaml 第14行" in message
    assert (
        "total_cap: bands: 各档应按 below 由高到低排列，at_most 也依次降低（below 80、70、60、50，"
        "at_most 89、99、69、59）" in message
    )


def test_checklist_items_with_points_and_bonus_and_penalty_outside_the_100(unit_copy):
    management = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "management.yaml"
    edit(
        management,
        "procurement_intention_published_pct: 100",
        "procurement_intention_published_pct: 80",
    )
    edit(
        management,
        "budget_final_accounts_published: true",
        "budget_final_accounts_published: false",
    )
    edit(
        management,
        "facts:\n",
        "facts:\n  provincial_awards: 1\n  city_awards: 2\n  audit_findings: 2\n",
    )
    report = scored_with(unit_copy, "checklist_points.yaml")
    card = report.card
    assert by_id(card) == {
        "procurement": D("9.20"),  # 4 × 80 ÷ 100 + 3 + 3
        "disclosure": D("4"),  # 预决算 not published on time: its 6 points lost
        "spending_rate": D("74.40"),  # 93 % × 80
    }
    # 加分 2 + 2 capped at 3; 扣分 2 complaints at 1 each: 87.60 + 3 − 2
    assert (card.bonus, card.penalty, card.total, card.grade) == (D(3), D(2), D("88.60"), "良")
    assert card.computed_total == D("88.60")  # the framework's scores alone: the same shift
    assert card.extras_basis == (
        "加分项：“获省级以上表彰(次)”加2分；“获市级表彰(次)”加2分，合计4分，以3分为限，加3分。",
        "扣分项：“审计发现问题(个)”扣2分，合计扣2分。",
    )
    procurement = next(s for s in card.scores if s.indicator.id == "procurement")
    assert (
        procurement.basis == "“采购意向按时公开率(%)”为80（按80÷100%计3.2分，扣0.8分），扣0.8分。"
    )
    record = report.scores_record()
    assert (record["bonus"], record["penalty"], record["total"]) == (3.0, 2.0, 88.6)


def test_a_penalty_larger_than_the_score_leaves_both_totals_at_zero(unit_copy):
    """扣分项 of 2 × 50 over a unit scoring under 100: the total and the framework's computed total
    are 0, never below it (and never a floor above it)."""
    management = unit_copy.parent.parent / "data" / "2024" / "qianshan" / "management.yaml"
    edit(
        management,
        "facts:\n",
        "facts:\n  provincial_awards: 0\n  city_awards: 0\n  audit_findings: 2\n",
    )
    card = scored_with_variant(
        unit_copy,
        "checklist_points.yaml",
        "cap: 5\n  items:\n    - {fact: audit_findings, label: 审计发现问题(个), max: 0, deduct_each: 1}",
        "cap: 100\n  items:\n    - {fact: audit_findings, label: 审计发现问题(个), max: 0, deduct_each: 50}",
    ).card
    assert (card.penalty, card.total, card.computed_total) == (D(100), D(0), D(0))


def test_item_points_must_add_up_to_the_weight(tmp_path):
    message = refused(
        tmp_path, "checklist_points.yaml", "expect: true, points: 4}", "expect: true, points: 5}"
    )
    assert (
        "bad.yaml 第44行第7列 / line 44, column 7: indicators[1] (id: disclosure): rule.items: "
        "各检查项 points 合计 11，应等于本指标分值 10" in message
    )


# --- targets: categories the framework declares, 二级 and 分值, =, 定性, the deviation rule ------

TARGETS_HEADER = "类别,指标,表述,计量单位,方向,目标值,实际值,上年值,增长率,示例数据"


def targets_file(params: Path) -> Path:
    return params.parent.parent / "data" / "2024" / "qianshan" / "targets.csv"


def with_targets(params: Path, header: str, *rows: str) -> None:
    """The complete example's targets.csv under a new header, with rows added at its end."""
    path = targets_file(params)
    lines = (COMPLETE_DATA / "targets.csv").read_text(encoding="utf-8").splitlines()
    extra = header.removeprefix(TARGETS_HEADER).count(",")
    body = [line + "," * extra for line in lines[1:]]
    path.write_text("\n".join([header, *body, *rows]) + "\n", encoding="utf-8")


def refusal(params: Path) -> str:
    with pytest.raises(ValidationErrors) as caught:
        load_report(params)
    return str(caught.value)


def test_a_satisfaction_category_the_framework_declares_scores_its_targets(unit_copy):
    with_targets(
        unit_copy,
        TARGETS_HEADER + ",二级指标",
        "满意度,群众满意度,群众满意度,%,≥,90,85.5,,,,服务对象满意度指标",
        "满意度,企业满意度,企业满意度,%,≥,85,88,,,,服务对象满意度指标",
    )
    card = scored_with(unit_copy, "satisfaction_category.yaml").card
    assert by_id(card) == {
        "outputs": D("40"),  # the example's 5 产出 targets all met
        "outcomes": D("40"),  # … and its 11 效益 targets
        # 85.5 ÷ 90 = 95 %, 88 ≥ 85: 100 %; (95 + 100) ÷ 2 = 97.5 % × 20
        "satisfaction": D("19.5"),
    }
    satisfaction = next(s for s in card.scores if s.indicator.id == "satisfaction")
    assert satisfaction.basis == "满意度指标2项，完成1项，平均完成率97.5%，扣0.5分。"


def test_a_target_category_named_with_a_colon_keeps_its_paragraph_table_and_notes(
    unit_copy, tmp_path
):
    """A framework's own category name may hold a colon ("服务:满意度"): its indicator still shows
    its sentence and its targets' table, and the review notes name it whole."""
    from selfeval_lib.report.display import review_notes, show_indicators

    text = (FRAMEWORKS / "satisfaction_category.yaml").read_text(encoding="utf-8")
    framework = tmp_path / "colon_category.yaml"
    framework.write_text(
        text.replace("{name: 满意度,", '{name: "服务:满意度",').replace(
            "category: 满意度}", 'category: "服务:满意度"}'
        ),
        encoding="utf-8",
    )
    with_targets(
        unit_copy,
        TARGETS_HEADER + ",二级指标",
        "服务:满意度,群众满意度,群众满意度,%,≥,90,未填报,,,,服务对象满意度指标",
        "服务:满意度,企业满意度,企业满意度,%,≥,85,88,,,,服务对象满意度指标",
    )
    r = scored_with(unit_copy, str(framework))
    shown = show_indicators(r).data
    said = describe_targets(r.indicators, "服务:满意度")
    assert (
        said
        == "本年度，部门设定服务:满意度指标2项，其中1项的实际值未填报。群众满意度未填报；企业满意度88%。"
    )
    assert visible_text(said) in visible_text(shown)  # visible_text folds full-width punctuation
    tables = re.findall(r"<table.*?</table>", shown, flags=re.S)
    rows = [visible_text(t) for t in tables if "群众满意度" in t and "企业满意度" in t]
    assert len(rows) == 1, "the targets' table of 服务:满意度"
    assert review_notes(r) == ["服务:满意度指标2项中1项的实际值未填报，无法判断完成情况。"]


def test_a_category_or_level2_the_framework_does_not_declare_is_refused_naming_the_row(
    unit_copy,
):
    # the shipped framework declares no 满意度: the row is refused, not silently left out
    with_targets(unit_copy, TARGETS_HEADER, "满意度,群众满意度,群众满意度,%,≥,90,85.5,,,")
    said = refusal(unit_copy)
    assert (
        '第18行 列"类别" / row 18, column "类别": "满意度" 不是评分表 gd_township_2024 的'
        "目标类别 / is not a target category of framework gd_township_2024; 允许 / allowed: "
        "产出、效益"
    ) in said
    with_targets(
        unit_copy,
        TARGETS_HEADER + ",二级指标",
        "满意度,群众满意度,群众满意度,%,≥,90,85.5,,,,服务对象满意",
    )
    use_framework(unit_copy, "satisfaction_category.yaml")
    said = refusal(unit_copy)
    assert (
        '第18行 列"二级指标" / row 18, column "二级指标": "服务对象满意" 不是类别“满意度”的二级指标 / is '
        "not a 二级 of 满意度 in framework satisfaction_category; 允许 / allowed: 服务对象满意度指标"
    ) in said
    assert said.endswith('; 是否应为 / did you mean "服务对象满意度指标"?')
    # 未填报, as everywhere, is no 二级 to refuse: it is listed among what the unit did not state
    edit(targets_file(unit_copy), ",服务对象满意\n", ",未填报\n")
    assert 'targets.csv: 第18行 列"二级指标"' in load_report(unit_copy).unit.not_stated()


def test_a_target_s_level2_and_level_are_checked_against_what_the_framework_declares(unit_copy):
    """A 满意度 target without a 二级 is taken (not given is no wrong 二级); a wrong one is refused
    listing every 二级 declared; a 完成程度 where the framework declares none says so."""
    use_variant(
        unit_copy,
        "satisfaction_category.yaml",
        "level2: [服务对象满意度指标]",
        "level2: [服务对象满意度指标, 社会公众满意度指标]",
    )
    with_targets(
        unit_copy,
        TARGETS_HEADER + ",二级指标,完成程度",
        "满意度,群众满意度,群众满意度,%,≥,90,85.5,,,,,",
    )
    assert load_report(unit_copy).card.total is not None
    edit(targets_file(unit_copy), "85.5,,,,,", "85.5,,,,公众满意,达成")
    assert refusal(unit_copy).splitlines()[1:] == [
        '  - 第18行 列"二级指标" / row 18, column "二级指标": "公众满意" 不是类别“满意度”的二级指标 / '
        "is not a 二级 of 满意度 in framework satisfaction_category; 允许 / allowed: "
        '服务对象满意度指标、社会公众满意度指标; 是否应为 / did you mean "社会公众满意度指标"?',
        '  - 第18行 列"完成程度" / row 18, column "完成程度": "达成" 不是评分表 '
        "satisfaction_category 的完成程度 / is not a completion level of the framework; 允许 / "
        "allowed: （评分表未声明 completion_levels / none declared)",
    ]


POINTS_HEADER = TARGETS_HEADER + ",二级指标,分值"


def test_targets_with_level2_and_points_each_earn_their_points(unit_copy):
    path = targets_file(unit_copy)
    with_targets(unit_copy, POINTS_HEADER)
    text = path.read_text(encoding="utf-8")
    for name, level2, points in (
        ("地区生产总值", "数量指标", 10),
        ("一般公共预算收入", "数量指标", 10),
        ("农林牧渔业总产值", "数量指标", 10),
        ("规模以上工业增加值", "质量指标", 12),
        ("固定资产投资", "质量指标", 8),
    ):
        line = next(x for x in text.splitlines() if f",{name}," in x)
        text = text.replace(line, line.removesuffix(",,") + f",{level2},{points}")
    text = text.replace("固定资产投资,万元,≥,5000,5085", "固定资产投资,万元,≥,6000,5085")
    path.write_text(text, encoding="utf-8")
    card = scored_with(unit_copy, "target_points.yaml").card
    assert by_id(card) == {
        "quantity": D("30"),  # 10 + 10 + 10, each met
        # 规模以上工业增加值 met: 12; 固定资产投资 5085 ÷ 6000 = 84.75 % of 8 = 6.78
        "quality": D("18.78"),
        "outcomes": D("50"),
    }
    quality = next(s for s in card.scores if s.indicator.id == "quality")
    assert [(t.points, t.score) for t in quality.targets] == [(12, 12), (8, D("6.78"))]
    assert quality.basis == (
        # ※: the example's 目标值 are illustrative (示例数据)
        "产出（质量指标）指标2项，完成1项※，按各项分值乘以完成率合计18.78分※，扣1.22分※。"
    )


def test_targets_points_that_do_not_add_up_or_are_missing_are_refused_naming_the_indicator(
    unit_copy,
):
    use_framework(unit_copy, "target_points.yaml")
    rows = [
        "产出,道路里程,道路里程,公里,≥,10,10,,,,数量指标,20",
        "产出,桥梁座数,桥梁座数,座,≥,2,2,,,,数量指标,5",
        "产出,验收合格率,验收合格率,%,≥,100,100,,,,质量指标,",
    ]
    path = targets_file(unit_copy)
    path.write_text(
        "\n".join([POINTS_HEADER, *rows, "效益,示例,示例,个,≥,1,1,,,,,"]) + "\n", "utf-8"
    )
    said = refusal(unit_copy)
    assert (
        'qianshan/targets.csv: 2 处问题 / problem(s)\n  - 列"分值": 指标"数量指标"（quantity）的产出（数量指标）指标分值合计 25，应等于其分值 30'
        "（道路里程 20 + 桥梁座数 5）/ the 分值 of the targets of indicator quantity add up to 25, "
        "not its weight 30"
    ) in said
    assert (
        '第4行 列"分值" / row 4, column "分值": 缺少分值 / missing; 指标"质量指标"按各产出（质量指标）'
        "指标的分值计分，每项应填分值 / indicator quality scores each of its targets by its 分值"
    ) in said


def test_a_points_indicator_after_one_scored_by_average_still_has_its_points_checked(
    unit_copy,
):
    """target_points with 数量指标 averaged: 质量指标, after it, still asks its targets' 分值."""
    use_variant(
        unit_copy, "target_points.yaml", "level2: 数量指标, scoring: points}", "level2: 数量指标}"
    )
    rows = [
        "产出,道路里程,道路里程,公里,≥,10,10,,,,数量指标,",
        "产出,验收合格率,验收合格率,%,≥,100,100,,,,质量指标,",
    ]
    targets_file(unit_copy).write_text("\n".join([POINTS_HEADER, *rows]) + "\n", "utf-8")
    assert refusal(unit_copy).splitlines()[1:] == [
        '  - 第3行 列"分值" / row 3, column "分值": 缺少分值 / missing; 指标"质量指标"按各产出（质量'
        "指标）指标的分值计分，每项应填分值 / indicator quality scores each of its targets by its "
        "分值; 若资料未载明，请填写“未填报” / if the source does not state it, write 未填报"
    ]


def test_an_exact_target_is_met_when_hit_and_else_counts_its_stated_level(unit_copy):
    header = TARGETS_HEADER + ",完成程度"
    with_targets(
        unit_copy,
        header,
        "产出,工程验收合格率,工程验收合格率,%,=,100,100,,,,",
        "产出,村务公开次数,村务公开次数,次,=,12,10,,,,基本达成",
    )
    card = scored_with(unit_copy, "exact_target.yaml").card
    # 5 met + 100 (hit) + 80 (基本达成) over 7: 680 ÷ 7 = 97.14 % × 50 = 48.57
    assert by_id(card) == {"outputs": D("48.57"), "outcomes": D("50")}
    # a level the source does not state (示例数据 完成程度), a hit on an illustrative 实际值: the
    # completion resting on it is ※
    edit(targets_file(unit_copy), "次,=,12,10,,,,基本达成", "次,=,12,10,,,完成程度,基本达成")
    edit(targets_file(unit_copy), "%,=,100,100,,,,", "%,=,100,100,,,实际值,")
    report = load_report(unit_copy)
    levels = {t.target.name: t.completion for t in report.indicators.targets}
    assert (levels["工程验收合格率"], levels["村务公开次数"]) == (
        Fig(D(100), True),
        Fig(D(80), True),
    )
    # an 实际值 not stated: the completion is 未填报 whatever level is written beside it
    edit(targets_file(unit_copy), "次,=,12,10,,,完成程度,基本达成", "次,=,12,未填报,,,,基本达成")
    report = load_report(unit_copy)
    assert next(
        t for t in report.indicators.targets if t.target.name == "村务公开次数"
    ).completion.not_stated
    edit(targets_file(unit_copy), "次,=,12,未填报,,,,基本达成", "次,=,12,10,,,完成程度,基本达成")
    # missed and no level stated: its completion is 未填报, and the indicator earns no points
    edit(targets_file(unit_copy), "次,=,12,10,,,完成程度,基本达成", "次,=,12,10,,,,")
    outputs = load_report(unit_copy).card.scores[0]
    assert outputs.score == 0
    assert outputs.basis == "所需数据未填报（完成程度），按评分表未填报规定不得分。"
    assert outputs.not_stated == ('targets.csv: 第19行 列"完成程度"',)


def test_qualitative_targets_are_judged_by_the_level_the_unit_states(unit_copy):
    with_targets(
        unit_copy,
        TARGETS_HEADER + ",完成程度",
        "效益,人居环境整治成效,人居环境整治成效,,定性,效果明显,效果明显,,,,达成",
        "效益,河长制落实,河长制落实,,定性,9月前完成,11月完成,,,,部分达成",
    )
    card = scored_with(unit_copy, "qualitative_target.yaml").card
    # 11 met + 100 (达成) + 50 (部分达成) over 13: 1250 ÷ 13 = 96.15 % × 50 = 48.075
    assert by_id(card) == {"outputs": D("50"), "outcomes": D("48.08")}
    # the narrative says each by its 表述 and its words; one whose name is 未填报 not at all
    edit(targets_file(unit_copy), "效益,人居环境整治成效,", "效益,未填报,")
    edit(targets_file(unit_copy), "河长制落实,河长制落实,", "河长制落实,河长制全面落实,")
    said = describe_targets(load_report(unit_copy).indicators, "效益")
    assert "河长制全面落实11月完成" in said and "效果明显" not in said
    assert said.endswith("累计向优抚对象发放优抚定补金228.11万元；河长制全面落实11月完成。")
    edit(targets_file(unit_copy), "效益,未填报,", "效益,人居环境整治成效,")
    # a level the framework does not declare is refused, with the one meant
    edit(targets_file(unit_copy), "11月完成,,,,部分达成", "11月完成,,,,部分完成")
    assert (
        '第19行 列"完成程度" / row 19, column "完成程度": "部分完成" 不是评分表 qualitative_target 的'
        "完成程度 / is not a completion level of the framework; 允许 / allowed: 达成、基本达成、"
        "部分达成、未达成"
    ) in refusal(unit_copy)


def test_words_as_a_target_are_refused_unless_it_is_qualitative(unit_copy):
    with_targets(unit_copy, TARGETS_HEADER, "效益,河长制落实,河长制落实,,≥,9月前完成,11月完成,,,")
    assert (
        'qianshan/targets.csv: 1 处问题 / problem(s)\n  - 第18行 / row 18: 列"目标值" "9月前完成" 不是数字 / "9月前完成" is not a number；'
        "文字目标（如 效果明显、9月前）的方向应填“定性”并填写完成程度"
    ) in refusal(unit_copy)


def test_a_qualitative_target_needs_a_framework_with_completion_levels(unit_copy):
    with_targets(
        unit_copy,
        TARGETS_HEADER + ",完成程度",
        "效益,人居环境整治成效,人居环境整治成效,,定性,效果明显,效果明显,,,,达成",
    )
    said = refusal(unit_copy)  # the shipped framework declares none
    assert (
        '第18行 列"方向" / row 18, column "方向": 定性指标需按完成程度评分，评分表 gd_township_2024 未声明 '
        "completion_levels"
    ) in said


def test_the_deviation_rule_deducts_per_target_far_exceeded_unless_its_reason_is_given(
    unit_copy,
):
    with_targets(unit_copy, TARGETS_HEADER + ",偏差原因分析及改进措施")
    path = targets_file(unit_copy)
    for old, new in (
        # 174477 is (174477 − 130000) ÷ 130000 = 34.21 % above: deviation, no reason
        ("万元,≥,170000,174477,,3.4,目标值,", "万元,≥,130000,174477,,3.4,目标值,"),
        # 1712.3764 is 31.72 % above 1300, but its reason is given: excused for 产出
        ("万元,≥,1650,1712.3764,,9.49,目标值,", "万元,≥,1300,1712.3764,,9.49,目标值,新增税源"),
        # 效益 excuses nothing: 6 is 50 % above 4 (reason given) and 6.5 exactly 30 % above 5
        ("条,≥,6,6,,,目标值,", "条,≥,4,6,,,目标值,新增示范村"),
        ("公里,≥,6,6,,,目标值,", "公里,≥,5,6.5,,,目标值,"),
    ):
        edit(path, old, new)
    card = scored_with(unit_copy, "deviation.yaml").card
    assert by_id(card) == {"outputs": D("48"), "outcomes": D("46")}  # 50 − 2; 50 − 2 × 2
    outputs, outcomes = card.scores
    assert outputs.basis == (
        "产出指标5项，全部完成※，得满分。一般公共预算收入（超过31.72%※）完成值超过指标值30%及以上，"
        "视为偏差，已说明偏差原因，不扣分。地区生产总值（超过34.21%※）完成值超过指标值30%及以上，"
        "视为偏差且未说明偏差原因，每项扣2分，扣2分※，得48分※。"
    )
    assert outcomes.basis.endswith(
        "美丽宜居示范村（超过50%※）、乡村风貌示范带长度（超过30%※）完成值超过指标值30%及以上，"
        "视为偏差且未说明偏差原因，每项扣2分，扣4分※，得46分※。"
    )


def test_a_deviation_is_measured_above_a_positive_target_only(
    unit_copy,
):
    """A 指标值 of 0.5 exceeded by 1 is 100 % above it: a deviation, however small the figures;
    a 指标值 of -10 missed by -20 is no deviation (a percentage of a negative 指标值 measures
    nothing), and the target, missed, completes 0 %."""
    with_targets(
        unit_copy,
        TARGETS_HEADER + ",偏差原因分析及改进措施",
        "产出,小额目标,小额目标,万元,≥,0.5,1,,,,",
        "产出,负值目标,负值目标,%,≥,-10,-20,,,,",
    )
    outputs = scored_with(unit_copy, "deviation.yaml").card.scores[0]
    # the example's 5 targets met and 小额目标 met, 负值目标 0 %: 600 ÷ 7 = 85.71 % × 50 = 42.86;
    # 小额目标 alone deviates: − 2
    assert (outputs.score, outputs.basis) == (
        D("40.86"),
        "产出指标7项，完成6项※，平均完成率85.71%※，扣7.14分※。小额目标（超过100%※）完成值超过指标值"
        "30%及以上，视为偏差且未说明偏差原因，每项扣2分，扣2分※，得40.86分※。",
    )


def test_a_cap_on_head_counts_says_them_in_persons_and_both_zero_earns_full_points(unit_copy):
    """人员经费控制 of groups_and_grades.yaml as a cap of 在职人数 by 编制人数: the basis counts
    persons (人), not 万元; with both 0, the cap rule's default for a zero limit gives full points."""
    report = scored_with_variant(
        unit_copy,
        "groups_and_grades.yaml",
        "figure: 人员经费, limit: 年初预算人员经费,",
        "figure: 在职人数, limit: 编制人数,",
    )
    staff = report.card.scores[-1]
    assert (staff.indicator.name, staff.score, staff.basis) == (
        "人员经费控制",
        D(25),
        "在职人数86人，低于编制人数96人，得满分。",
    )
    unit = unit_copy.parent.parent / "data/2024/qianshan/unit.yaml"
    edit(unit, "  authorized: 96", "  authorized: 0")
    edit(unit, "  in_service: 86", "  in_service: 0")
    staff = load_report(unit_copy).card.scores[-1]
    assert (staff.score, staff.basis) == (
        D(25),
        "在职人数与编制人数均为0，按评分表零基数规定得满分。",
    )


def test_a_target_capped_from_above_is_never_a_deviation(unit_copy):
    """A ≤ target's 实际值 above its 指标值 is a miss, scored by its completion (10 ÷ 20 = 50 %),
    not a target far exceeded: the deviation rule does not catch it."""
    with_targets(
        unit_copy,
        TARGETS_HEADER + ",偏差原因分析及改进措施",
        "产出,上限目标,上限目标,万元,≤,10,20,,,,",
    )
    outputs = scored_with(unit_copy, "deviation.yaml").card.scores[0]
    # the example's 5 targets met and 上限目标 50 %: 550 ÷ 6 = 91.67 % × 50 = 45.835, no deduction
    assert (outputs.score, outputs.basis) == (
        D("45.84"),
        "产出指标6项，完成5项※，平均完成率91.67%※，扣4.16分※。",
    )


def test_a_deviation_bound_the_standard_does_not_print_is_flagged(tmp_path):
    said = refused(
        tmp_path,
        "deviation.yaml",
        "deviation: {over_pct: 30, deduct: 2}}",
        "deviation: {over_pct: 30, deduct: 3}}",
    )
    assert "评分标准写有2分，规则中没有；规则为3分，评分标准未写" in said


# --- the evaluator's score: items and indicators scored 0..N with a reason --------------------

REVIEW_HEADER = "指标,项目,评审得分,理由,示例数据"


def reviewed_unit(params: Path, *rows: str, self_rows: tuple[str, ...] = ()) -> Path:
    """The complete example unit under evaluator_scored.yaml, with these review_scores.csv rows
    (none: no review_scores.csv at all) and self_scores.csv rows; returns its data folder."""
    use_framework(params, "evaluator_scored.yaml")
    data = params.parent.parent / "data" / "2024" / "qianshan"
    if rows:
        (data / "review_scores.csv").write_text("\n".join([REVIEW_HEADER, *rows]) + "\n", "utf-8")
    (data / "self_scores.csv").write_text(
        "\n".join(["指标,自评得分,理由,示例数据", *self_rows]) + "\n", "utf-8"
    )
    return data


def test_the_evaluators_score_is_a_column_of_its_own_and_the_framework_says_which_counts(
    unit_copy,
):
    reviewed_unit(
        unit_copy,
        "planning,规划编制质量,4.5,规划目标清晰，但年度分解不足。,",
        "整体评价,,8,各项工作按计划推进。,",
        self_rows=("planning,9,制度健全、规划完整。,", "overall_review,7,部分工作滞后。,"),
    )
    report = load_report(unit_copy)
    card = report.card
    planning, overall, _ = card.scores
    # planning: 制度 yes 4 + the evaluator's 4.5 of 6 = 8.5; counts evaluator (the default), so
    # the unit's 9 is shown beside it and not counted
    assert (planning.computed, planning.self_score, planning.review_score, planning.score) == (
        D("8.5"),
        D("9"),
        D("8.5"),
        D("8.5"),
    )
    assert planning.basis == (
        "“规划编制质量”为评审4.5分（满分6分，扣1.5分），扣1.5分。评审理由：“规划编制质量”：规划目标"
        "清晰，但年度分解不足。按评分表以评审得分计入总分；单位自评9.00分：制度健全、规划完整（不计入"
        "总分）。"
    )
    # overall_review: the evaluator's 8; counts: self, so the unit's 7 counts
    assert (overall.review_score, overall.self_score, overall.score) == (D("8"), D("7"), D("7"))
    assert overall.basis == (
        "自评7.00分：部分工作滞后；按评分表以自评得分计入总分（评审8.00分：评审8.00分：各项工作按计划"
        "推进。）"
    )
    # the 评分表 (both editions): the 评审得分 column, ※ where the evaluator's score is
    # illustrative, and the note saying which score counts
    page = visible_text(score_part(report).html)
    assert (
        "“评审得分”为评审按评分表给出的得分(2项指标);规划编制以评审得分计入总分;整体评价按评分表以"
        "自评得分计入总分。" in page
    )
    total = re.findall(r"<tr>.*?</tr>", score_part(report).html, re.S)[-1]
    total_cells = [visible_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)]
    assert total_cells == ["", "", "", "合计", "100.00", "", "90.90※", "", "", "89.90※", "等级:良※"]
    # 8.5 + 7 + 93 % × 80 = 74.40 → 89.90; every computed score: 8.5 + 8 + 74.40 = 90.90
    assert (card.total, card.grade, card.computed_total) == (D("89.90"), "良", D("90.90"))
    record = report.scores_record()["indicators"]
    assert [(r["id"], r["review_score"], r["self_score"], r["counts"]) for r in record] == [
        ("planning", 8.5, 9.0, "review"),
        ("overall_review", 8.0, 7.0, "self"),
        ("spending_rate", None, None, "computed"),
    ]


def test_an_illustrative_evaluators_score_marks_the_computed_score_it_gives(unit_copy):
    """示例数据 "评审得分" on a review row: the computed score resting on it carries ※; an
    item's label is named without its spaces where its score is not stated."""
    framework = unit_copy.parent / "spaced.yaml"
    text = (FRAMEWORKS / "evaluator_scored.yaml").read_text(encoding="utf-8")
    framework.write_text(text.replace("{label: 规划编制质量,", "{label: 规划 编制质量,"), "utf-8")
    reviewed_unit(unit_copy, "overall_review,,8,各项工作按计划推进。,评审得分")
    edit(unit_copy, f"framework: {FRAMEWORKS / 'evaluator_scored.yaml'}", f"framework: {framework}")
    report = load_report(unit_copy)
    planning, overall, _ = report.card.scores
    assert (planning.inputs_illustrative, overall.inputs_illustrative) == (False, True)
    # the 评审得分 column: 未填报 (not given), 8.00※ (illustrative), empty (not reviewed)
    rows = re.findall(r"<tr>.*?</tr>", score_part(report).html, re.S)[1:4]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[8] for r in rows]
    assert [visible_text(c) for c in cells] == ["未填报", "8.00※", ""]
    assert (overall.review_score, overall.computed) == (D("8"), D("8"))
    assert planning.not_stated == ("review_scores.csv: 规划编制质量评审得分",)


def test_an_evaluators_score_not_given_is_not_stated_and_the_missing_policy_applies(unit_copy):
    reviewed_unit(unit_copy)  # no review_scores.csv
    card = load_report(unit_copy).card
    planning, overall, _ = card.scores
    assert (planning.score, planning.review_score, overall.score) == (D(0), None, D(0))
    assert planning.basis == (
        "所需数据未填报（规划编制质量评审得分），按评分表未填报规定不得分。按评分表以评审得分计入总分。"
    )
    assert planning.not_stated == ("review_scores.csv: 规划编制质量评审得分",)
    assert overall.basis.startswith("所需数据未填报（整体评价评审得分）")
    assert card.total == D("74.40")  # only 预算执行率 93 % × 80


def test_an_evaluators_score_outside_its_points_or_without_reason_is_refused(unit_copy):
    reviewed_unit(
        unit_copy,
        "planning,规划编制质量,7,规划完整。,",
        "planning,规划质量,3,规划完整。,",
        "spending_rate,,70,执行较好。,",
    )
    with pytest.raises(ValidationErrors) as caught:
        load_report(unit_copy)
    said = str(caught.value)
    assert "review_scores.csv: 3 处问题 / problem(s)" in said
    assert (
        '  - 第2行 列"评审得分" / row 2, column "评审得分": 7 超出 0–6 分（检查项"规划'
        '编制质量"分值 6）/ is outside 0–6, the points of this item' in said
    )
    assert (
        '第3行 列"项目" / row 3, column "项目": "规划质量" 不是指标"规划编制"中由评审评分的检查项 / '
        "is not an evaluator-scored item of indicator planning; 可用 / allowed: 规划编制质量"
        in said
    )
    assert (
        '第4行 列"指标" / row 4, column "指标": "spending_rate" 不是框架 evaluator_scored 中由评审'
        "评分的指标 / is not an indicator of framework evaluator_scored that the evaluator scores; "
        "可用 / allowed: 规划编制、整体评价" in said
    )


def two_evaluator_items(folder: Path) -> Path:
    """evaluator_scored.yaml with 规划编制's evaluator item split in two of 3 points each."""
    framework = folder / "two_items.yaml"
    text = (FRAMEWORKS / "evaluator_scored.yaml").read_text(encoding="utf-8")
    framework.write_text(
        text.replace(
            "规划编制质量由评审按0至6分评分并说明理由",
            "规划编制质量由评审按0至3分、规划执行质量由评审按0至3分评分并说明理由",
        ).replace(
            "        - {label: 规划编制质量, points: 6, scoring: evaluator}",
            "        - {label: 规划编制质量, points: 3, scoring: evaluator}\n"
            "        - {label: 规划执行质量, points: 3, scoring: evaluator}",
        ),
        encoding="utf-8",
    )
    return framework


def test_each_evaluator_item_takes_its_own_rows_score(unit_copy, tmp_path):
    """Each item's score is its own row's; the basis quotes each item's reason as written (less a
    closing 。), in the items' order, joined by ；."""
    framework = two_evaluator_items(tmp_path)
    reviewed_unit(
        unit_copy,
        "planning,规划执行质量,2.5,执行较好，详见附表X,",
        "planning,规划编制质量,1,年度分解不足。,",
    )
    edit(unit_copy, f"framework: {FRAMEWORKS / 'evaluator_scored.yaml'}", f"framework: {framework}")
    planning = load_report(unit_copy).card.scores[0]
    assert planning.review_score == D("7.5")  # 制度 yes 4 + 1 + 2.5
    assert planning.basis == (
        "“规划编制质量”为评审1分（满分3分，扣2分）；“规划执行质量”为评审2.5分（满分3分，扣0.5分），"
        "扣2.5分。评审理由：“规划编制质量”：年度分解不足；“规划执行质量”：执行较好，详见附表X。"
        "按评分表以评审得分计入总分。"
    )


def test_every_wrong_review_row_is_said_once_with_its_row_and_column(unit_copy, tmp_path):
    """Rows after a wrong one are still checked; an item on a whole-scored indicator, a score
    given twice and a score past an indicator's points are each said in full; 0 and the full
    points are allowed; with two evaluator-scored items both are offered."""
    framework = two_evaluator_items(tmp_path)
    reviewed_unit(
        unit_copy,
        "spending_rate,,70,执行较好。,",  # row 2: not evaluator-scored
        "planning,规划质量,3,规划完整。,",  # row 3: no such item
        "overall_review,整体,8,推进。,",  # row 4: an item on a whole-scored indicator
        "planning,规划编制质量,0,未编制。,",  # row 5: 0 is allowed
        "planning,规划编制质量,1,补编。,",  # row 6: the same item again
        "overall_review,,10,全部完成。,",  # row 7: the full points are allowed
        "overall_review,,10.5,超出。,",  # row 8: scored twice, and past its 10 points
    )
    edit(unit_copy, f"framework: {FRAMEWORKS / 'evaluator_scored.yaml'}", f"framework: {framework}")
    with pytest.raises(ValidationErrors) as caught:
        load_report(unit_copy)
    said = str(caught.value)
    problems = said.split("review_scores.csv: ", 1)[1].split("\n")
    assert problems == [
        "6 处问题 / problem(s)",
        '  - 第2行 列"指标" / row 2, column "指标": "spending_rate" 不是框架 evaluator_scored 中由评审'
        "评分的指标 / is not an indicator of framework evaluator_scored that the evaluator scores; "
        "可用 / allowed: 规划编制、整体评价",
        '  - 第3行 列"项目" / row 3, column "项目": "规划质量" 不是指标"规划编制"中由评审评分的检查项 / '
        "is not an evaluator-scored item of indicator planning; 可用 / allowed: 规划编制质量、"
        '规划执行质量; 是否应为 / did you mean "规划编制质量"?',
        '  - 第4行 列"项目" / row 4, column "项目": "整体" 指标"整体评价"整体由评审评分，项目应留空 / '
        "indicator overall_review is scored as a whole: leave 项目 empty",
        '  - 第6行 / row 6: 指标"规划编制"规划编制质量重复评审 / scored twice',
        '  - 第8行 / row 8: 指标"整体评价"重复评审 / scored twice',
        '  - 第8行 列"评审得分" / row 8, column "评审得分": 10.5 超出 0–10 分（指标"整体评价"分值 10）/ '
        "is outside 0–10, the points of this indicator",
    ]


def test_a_review_row_under_a_framework_the_evaluator_scores_nothing_of_says_so(unit_copy):
    data = unit_copy.parent.parent / "data" / "2024" / "qianshan"  # the shipped framework
    (data / "review_scores.csv").write_text(f"{REVIEW_HEADER}\n预算执行率,,8,好。,\n", "utf-8")
    with pytest.raises(ValidationErrors) as caught:
        load_report(unit_copy)
    assert (
        '第2行 列"指标" / row 2, column "指标": "预算执行率" 不是框架 gd_township_2024 中由评审评分的'
        "指标 / is not an indicator of framework gd_township_2024 that the evaluator scores; "
        "可用 / allowed: （无 / none）" in str(caught.value)
    )


@pytest.mark.parametrize("reason", ["", "未填报"])
def test_an_evaluators_score_without_its_reason_is_refused(unit_copy, reason):
    reviewed_unit(unit_copy, f"overall_review,,8,{reason},")
    with pytest.raises(ValidationErrors) as caught:
        load_report(unit_copy)
    assert (
        f'review_scores.csv: 1 处问题 / problem(s)\n  - 第2行 列"理由" / row 2, column "理由": '
        f'"{reason}"：评审得分须写明理由（为何得此分），不能为空或“未填报”；未评审的项请删去此行 / an '
        "evaluator's score needs its reason written out" in str(caught.value)
    )


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "{label: 规划编制质量, points: 6, scoring: evaluator}",
            "{fact: planning_quality, label: 规划编制质量, points: 6, scoring: evaluator}",
            "indicators[0] (id: planning).rule.items.1: scoring: evaluator 需要 points，且不写 "
            "fact / expect / max / min / deduct",
        ),
        (
            "{label: 规划编制质量, points: 6, scoring: evaluator}",
            "{label: 规划编制质量, points: 6}",
            "indicators[0] (id: planning).rule.items.1: fact: 缺少此项：检查项需要 fact",
        ),
        (
            "rule: {kind: ratio, figure: 支出率",
            "counts: evaluator\n    rule: {kind: ratio, figure: 支出率",
            'indicators[2] (id: spending_rate): counts: "evaluator" 只用于由评审评分的指标',
        ),
    ],
)
def test_an_evaluator_item_or_counts_written_wrong_is_refused_with_its_line(
    tmp_path, old, new, says
):
    message = refused(tmp_path, "evaluator_scored.yaml", old, new)
    assert re.search(r"bad\.yaml 第\d+行第\d+列 / line \d+", message)
    assert says in message


def test_the_review_note_names_every_indicator_by_which_score_counts():
    def scored(name, self_counts, reviewed=True):
        return SimpleNamespace(
            indicator=SimpleNamespace(name=name), reviewed=reviewed, self_counts=self_counts
        )

    card = SimpleNamespace(
        scores=[scored("规划编制", False), scored("整体评价", True), scored("预算执行率", False, False),
                scored("绩效目标", False), scored("履职效能", True)]
    )  # fmt: skip
    assert describe_review_note(card) == (
        "“评审得分”为评审按评分表给出的得分（4项指标）；规划编制、绩效目标以评审得分计入总分；"
        "整体评价、履职效能按评分表以自评得分计入总分。"
    )
    card.scores = [scored("整体评价", True)]
    assert describe_review_note(card) == (
        "“评审得分”为评审按评分表给出的得分（1项指标）；整体评价按评分表以自评得分计入总分。"
    )
