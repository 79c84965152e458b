"""The shipped frameworks of the published families (issue 19) and their synthetic example units:
each framework validates and prints standards its rules compute, and its example unit scores,
per indicator, per group, in total and in grade, what the arithmetic in the comments below gives
from the unit's own files."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D

import pytest

from selfeval_lib import load_framework, load_report
from selfeval_lib.cli import main
from selfeval_lib.frameworks.model import check_framework, framework_path

from ..conftest import ROOT, edit, visible_text

PEE = "planning_execution_effect_2024"
PEE_PARAMS = ROOT / "params" / "synth_pee_2024.yaml"


def test_the_planning_execution_effect_framework_validates_and_prints_what_its_rules_compute(
    capsys,
):
    fw = load_framework(PEE)
    assert check_framework(fw) == []
    assert [(g.name, g.weight) for g in fw.groups] == [("规划", 15), ("执行", 35), ("效果", 50)]
    assert [(b.grade, b.min) for b in fw.grades] == [
        ("优秀", 90),
        ("良好", 80),
        ("合格", 60),
        ("不合格", 0),
    ]
    assert "并非任何地区官方公布的评分表" in fw.notice
    assert main(["framework", "check", str(framework_path(PEE))]) == 0
    printed = capsys.readouterr().out
    assert "✓ execution_rate 预算执行率（10分）" in printed
    # 服务对象满意度 re-weights over 效果 when its data is 未填报: its standard and selfeval's
    # reading both say so
    assert fw.find("satisfaction").missing == "reweight"
    assert (
        "    selfeval 的理解 / selfeval reads the rule as: “开展服务对象满意度调查”符合要求得2分，否则"
        "不得分；“服务对象满意度(%)”按实际值÷90%乘以4分计分；扣完为止。所需数据未填报的，按同一"
        "一级指标下已填报指标的得分率计分（分值按比例分配至这些指标）。\n"
    ) in printed
    assert "✗" not in printed


# The example unit's files (data/2024/synth_pee/), and what each indicator makes of them.
PEE_SCORES = {
    # 规划 (15)
    # targets_set yes 2 + targets_quantified no 0 + the evaluator's 1.5 of 2 for
    # 绩效目标与部门职责和预算相匹配 (review_scores.csv) = 3.5; the unit's self score of 4
    # (self_scores.csv) does not count: the framework counts the evaluator's score
    "target_setting": D("3.5"),
    # 调整预算 1180 + 190 + 1630 = 3000; 年初预算 1100 + 180 + 1320 = 2600;
    # (3000 − 2600) ÷ 2600 = 15.38 %: 5.38 points above 10 at 0.5 → 5 − 2.69
    "budget_adjustment": D("2.31"),
    # both checks hold: 2 + 2
    "budget_preparation": D("4"),
    # 执行 (35)
    # proportional: 本年支出 1170 + 194.75 + 1341.25 = 2706 ÷ 调整预算 3000 = 90.2 % × 10
    "execution_rate": D("9.02"),
    # 公用经费 194.75 over 调整预算公用经费 190 by 2.5 %: 10 % of 5 per 1 % → 5 − 1.25
    "public_cost_control": D("3.75"),
    # 三公 决算 13.60 + 11.40 = 25 within 预算 15 + 12 = 27
    "sangong_control": D("5"),
    # 采购意向公开率 95 % → 2 × 95 ÷ 100 = 1.9, + 内控制度 2 + no complaints 1
    "procurement": D("4.90"),
    # 1 + 1.5 + 1 + 1.5, every check holds
    "asset_management": D("5"),
    # 2 + 1 + 2, every check holds
    "financial_management": D("5"),
    # 效果 (50)
    # 产出: 153000 ≥ 150000, 1450 ÷ 1500 = 96.67 %, 121000 ≥ 120000, 6300 ≥ 6000;
    # (100 + 96.67 + 100 + 100) ÷ 4 = 99.17 % × 20 = 19.834
    "output_completion": D("19.83"),
    # 效益: 16 ÷ 20 = 80 %, 98.5 ≥ 98, 612.40 ≥ 600, 180 ÷ 200 = 90 %;
    # (80 + 100 + 100 + 90) ÷ 4 = 92.5 % × 20
    "outcome_completion": D("18.50"),
    # survey done 2 + 满意度 88.2 % → 4 × 88.2 ÷ 90 = 3.92
    "satisfaction": D("5.92"),
    # 预决算 published 2 + 绩效信息 not published 0
    "information_disclosure": D("2"),
}


def complete_synthetic_example(params):
    """An example unit's report, after checking it is marked synthetic and states every value."""
    report = load_report(params)
    assert report.unit.facts.synthetic
    assert report.unit.facts.identity.county == "示例县"
    assert report.unit.not_stated() == ()  # a complete example: every value stated
    return report


def test_the_planning_execution_effect_example_scores_as_worked_out_by_hand():
    report = complete_synthetic_example(PEE_PARAMS)
    # it states each fact the framework's checklists read (what `selfeval template` asks), no other
    assert set(report.unit.management.facts) == set(load_framework(PEE).fact_keys())
    card = report.card
    setting = card.scores[0]
    assert (setting.computed, setting.self_score, setting.review_score, setting.score) == (
        D("3.5"),
        D("4"),
        D("3.5"),
        D("3.5"),
    )
    assert setting.basis == (
        "“绩效目标细化量化”为否（扣2分）；“绩效目标与部门职责和预算相匹配”为评审1.5分（满分2分，扣0.5分），"
        "扣2.5分。评审理由：“绩效目标与部门职责和预算相匹配”：部门整体绩效目标与主要职责相符，但乡村道路"
        "提升项目的产出目标与其调整后预算未同步修改。按评分表以评审得分计入总分；单位自评4.00分：单位认为"
        "绩效目标已设定并与部门职责和预算相匹配，仅细化量化不足（不计入总分）。"
    )
    assert card.framework_id == PEE
    assert {s.indicator.id: s.score for s in card.scores} == PEE_SCORES
    basis = {s.indicator.id: s.basis for s in card.scores}
    assert basis["execution_rate"] == ("预算执行率90.2%，按预算执行率乘以分值10分计分，扣0.98分。")
    assert [(g.name, g.weight, g.score) for g in card.groups] == [
        ("规划", 15, D("9.81")),  # 3.5 + 2.31 + 4
        ("执行", 35, D("32.67")),  # 9.02 + 3.75 + 5 + 4.90 + 5 + 5
        ("效果", 50, D("46.25")),  # 19.83 + 18.50 + 5.92 + 2
    ]
    assert card.total == D("88.73")  # 9.81 + 32.67 + 46.25
    assert card.grade == "良好"  # 80 ≤ 88.73 < 90
    assert card.computed_total == D("88.73")  # the evaluator's points are the computed ones


def test_the_planning_execution_effect_example_reweights_a_missing_satisfaction_over_its_group(
    tmp_path,
):
    """服务对象满意度 (missing: reweight over its 一级 效果): with the unit's 满意度 未填报, its 6
    points go by the rate 效果's stated indicators score, not to 0; the rest is as stated."""
    shutil.copytree(ROOT / "data" / "2024" / "synth_pee", tmp_path / "data" / "2024" / "synth_pee")
    (tmp_path / "params").mkdir()
    params = tmp_path / "params" / PEE_PARAMS.name
    shutil.copy(PEE_PARAMS, params)
    edit(
        tmp_path / "data" / "2024" / "synth_pee" / "management.yaml",
        "service_satisfaction_pct: 88.2",
        "service_satisfaction_pct: 未填报",
    )
    card = load_report(params).card
    # 效果's stated peers: 产出 19.83 of 20, 效益 18.50 of 20, 信息公开 2 of 4:
    # (19.83 + 18.50 + 2) ÷ (20 + 20 + 4) = 40.33 ÷ 44 = 91.66 %; 6 × 40.33 ÷ 44 = 5.4995 → 5.50
    # (the survey's 2 points, stated, are not scored apart: the indicator rests on 未填报)
    assert {s.indicator.id: s.score for s in card.scores} == PEE_SCORES | {
        "satisfaction": D("5.50")
    }
    satisfaction = next(s for s in card.scores if s.indicator.id == "satisfaction")
    assert satisfaction.basis == (
        "所需数据未填报（服务对象满意度(%)），按评分表规定，其分值按比例分配至已填报的“产出目标完成情况”、"
        "“效益目标完成情况”、“信息公开”，按其得分率91.66%计5.5分。"
    )
    assert [(g.name, g.weight, g.score) for g in card.groups] == [
        ("规划", 15, D("9.81")),  # as stated: 3.5 + 2.31 + 4
        ("执行", 35, D("32.67")),  # as stated: 9.02 + 3.75 + 5 + 4.90 + 5 + 5
        ("效果", 50, D("45.83")),  # 19.83 + 18.50 + 5.50 + 2 (5.92 when stated)
    ]
    assert card.total == D("88.31")  # 9.81 + 32.67 + 45.83
    assert card.grade == "良好"  # 80 ≤ 88.31 < 90
    assert card.completeness.statement == (
        "13项指标中1项所需数据未填报，按评分表规定计5.50分；其余12项得82.81分（满分94分）。"
    )  # 88.31 − 5.50 = 82.81 from the 100 − 6 points that rest on stated data
    assert (
        "指标“服务对象满意度”所需数据未填报，按评分表规定其分值6.00分按比例分配至已填报的"
        "“产出目标完成情况”、“效益目标完成情况”、“信息公开”：总分据已填报的指标计算。"
    ) in card.warnings
    # the reweighted score rests on its peers' scores: ※ where one of them is ※
    assert not satisfaction.illustrative
    targets = tmp_path / "data" / "2024" / "synth_pee" / "targets.csv"
    edit(targets, "万元,≥,150000,153000,,5.1,,", "万元,≥,150000,153000,,5.1,,实际值")
    satisfaction = next(
        s for s in load_report(params).card.scores if s.indicator.id == "satisfaction"
    )
    assert (satisfaction.score, satisfaction.illustrative) == (D("5.50"), True)


@pytest.mark.notebook
def test_selfeval_run_on_the_planning_execution_effect_example_prints_its_grade_and_groups(
    tmp_path, capsys
):
    assert main(["run", str(PEE_PARAMS), "--out", str(tmp_path)]) == 0
    assert "✓ synth_pee_2024 2024: 良好 88.73分" in capsys.readouterr().out
    page = visible_text((tmp_path / "2024" / "synth_pee_2024.html").read_text(encoding="utf-8"))
    assert "合成示例单位" in page
    assert "单位自评结果为:良好。自评总分88.73分。" in page
    # each 评分表 row: 序号, 一级 (the group), 二级, 指标, then its 指标解释, 分值, 评分标准, scores
    assert "1规划目标设定绩效目标设定部门是否设定整体绩效目标" in page
    assert "4执行预算执行预算执行率预算执行率=本年支出" in page
    assert "10效果产出产出目标完成情况部门围绕年度重点工作" in page
    assert "预算执行率90.2%,按预算执行率乘以分值10分计分,扣0.98分。" in page
    assert (
        "合计100.0088.7388.73等级:良好合计88.73分:13项指标所需数据均已填报。"
        "等级标准:优秀≥90、良好≥80、合格≥60、不合格<60。"
    ) in page
    record = json.loads((tmp_path / "2024" / "synth_pee_2024.scores.json").read_text("utf-8"))
    assert [(g["name"], g["score"]) for g in record["groups"]] == [
        ("规划", 9.81),
        ("执行", 32.67),
        ("效果", 46.25),
    ]


def test_the_score_table_prints_each_groups_subtotal_in_every_format():
    """规划 15 / 执行 35 / 效果 50 printed as 小计 rows before 合计: in the page's and the Word
    report's 评分表 and in the 评分表 workbook, each with its weight and its subtotal."""
    from io import BytesIO

    from openpyxl import load_workbook

    from selfeval_lib.report.scoresheet import scoresheet_bytes
    from selfeval_lib.report.tables import score_part

    r = load_report(PEE_PARAMS)
    expected = [
        ("规划小计", "15.00", "9.81"),
        ("执行小计", "35.00", "32.67"),
        ("效果小计", "50.00", "46.25"),
    ]
    part = score_part(r)
    table = next(b for b in part.blocks if b["kind"] == "table")
    rows = [["".join(run["text"] for run in cell) for cell in row] for row in table["rows"]]
    score = table["header"].index("得分")  # the filing edition's table: no 计算得分/自评得分
    printed = [(row[3], row[4], row[score]) for row in rows if row[3].endswith("小计")]
    assert printed == expected  # what the Word report prints, from these blocks
    assert part.html.count('<table class="scores">') == 1  # two levels: no levels-N mark
    page = visible_text(part.html)
    assert [page.index(label) for label, *_ in expected] == sorted(
        page.index(label) for label, *_ in expected
    ) and page.index("效果小计") < page.index("合计")
    sheet = load_workbook(BytesIO(scoresheet_bytes(r)))["评分表"]
    cells = [
        (row[0].value, f"{row[4].value:.2f}", f"{row[9].value:.2f}")
        for row in sheet.iter_rows(min_row=4)
        if isinstance(row[0].value, str) and row[0].value.endswith("小计")
    ]
    assert cells == expected
    totals = [row for row in rows if row[3] == "合计"]
    assert rows.index(totals[0]) == len(rows) - 1  # the subtotals come before 合计
    # a 小计 and the 合计 row leave 评分标准, 评审得分 and the basis empty
    assert table["header"][5:8] == ["评分标准", "评审得分", "得分"]
    assert [row for row in rows if not row[0]] == [
        ["", "", "", "规划小计", "15.00", "", "", "9.81", ""],
        ["", "", "", "执行小计", "35.00", "", "", "32.67", ""],
        ["", "", "", "效果小计", "50.00", "", "", "46.25", ""],
        ["", "", "", "合计", "100.00", "", "", "88.73", "等级：良好"],
    ]


NAT = "national_selfeval_2024"
NAT_PARAMS = ROOT / "params" / "synth_nat_2024.yaml"


def test_the_national_framework_validates_and_declares_the_forms_categories_and_levels(capsys):
    fw = load_framework(NAT)
    assert check_framework(fw) == []
    assert [(c.name, c.level2) for c in fw.target_categories] == [
        ("产出", ("数量指标", "质量指标", "时效指标", "成本指标")),
        ("效益", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
        ("满意度", ("服务对象满意度指标",)),
    ]
    assert [(c.level, c.share) for c in fw.completion_levels] == [
        ("达成", 100),
        ("基本达成", 80),
        ("部分达成", 50),
        ("未达成", 0),
    ]
    assert [(b.below, b.at_most) for b in fw.total_cap.bands] == [
        (80, 89),
        (70, 79),
        (60, 69),
        (50, 59),
    ]
    assert "并非任何地区官方公布的评分表" in fw.notice
    assert main(["framework", "check", str(framework_path(NAT))]) == 0
    printed = capsys.readouterr().out
    assert "✓ outputs 产出指标（50分）" in printed and "✗" not in printed


# The example unit's files (data/2024/synth_nat/), and what each indicator makes of them.
NAT_SCORES = {
    # 本年支出 840 + 120 + 1040 = 2000 ÷ 调整预算 960 + 160 + 1480 = 2600 = 76.92 %;
    # 10 × 76.92 ÷ 100 = 7.692
    "budget_execution": D("7.69"),
    # 产出, each target its 分值 × completion:
    #   农村道路硬化里程 22 ≥ 20: 15; 危房改造户数 30 ≥ 20: 10; 工程验收合格率 = 100 hit: 10;
    #   完工时间 定性, 基本达成 80 %: 10 × 0.8 = 8; 人均公用经费 1.8 ≤ 2.0: 5 → 48;
    #   危房改造户数 30 is (30 − 20) ÷ 20 = 50 % above its 指标值 (≥ 30 %), no 偏差原因: − 2
    "outputs": D("46"),
    # 效益: 低保金发放率 98 ≥ 95: 10; 村集体经济收入 140 ≥ 100: 10 (40 % above, but its
    # 偏差原因 is given: no deduction); 长效机制 定性, 基本达成: 10 × 0.8 = 8 → 28
    "outcomes": D("28"),
    # 满意度: 85.5 of 90 → 85.5 ÷ 90 = 95 % × 10 = 9.5
    "satisfaction": D("9.5"),
}


def test_the_national_example_scores_as_worked_out_by_hand():
    report = complete_synthetic_example(NAT_PARAMS)
    card = report.card
    assert card.framework_id == NAT
    assert {s.indicator.id: s.score for s in card.scores} == NAT_SCORES
    outputs = next(s for s in card.scores if s.indicator.id == "outputs")
    # per 三级 target: (分值, earned, score after the deviation rule)
    assert [(t.points, t.earned, t.score) for t in outputs.targets] == [
        (15, 15, 15),
        (10, 10, 8),  # the deviation: 2 points lost
        (10, 10, 10),
        (10, 8, 8),
        (5, 5, 5),
    ]
    assert outputs.basis == (
        "产出指标5项，完成4项，按各项分值乘以完成率合计48分，扣2分。危房改造户数（超过50%）"
        "完成值超过指标值30%及以上，视为偏差且未说明偏差原因，每项扣2分，扣2分，得46分。"
    )
    outcomes = next(s for s in card.scores if s.indicator.id == "outcomes")
    assert [(t.points, t.earned, t.score) for t in outcomes.targets] == [
        (10, 10, 10),
        (10, 10, 10),  # 40 % above its 指标值, but its 偏差原因 is given: nothing lost
        (10, 8, 8),
    ]
    assert outcomes.basis.endswith(
        "村集体经济收入（超过40%）完成值超过指标值30%及以上，视为偏差，已说明偏差原因，不扣分。"
    )
    # 7.69 + 46 + 28 + 9.5 = 91.19; 执行率 76.92 % lies in 70–80 %: the total is at most 89
    assert card.uncapped_total == D("91.19")
    assert card.total == D("89")
    assert card.grade == "良"  # 80 ≤ 89 < 90 (91.19 uncapped would have been 优)
    assert card.cap_basis == (
        "预算执行率76.92%，低于80%，按评分表总分不超过89.00分；各指标合计91.19分，超过上限的2.19分"
        "予以扣减，总分为89.00分。"
    )


def test_the_national_examples_report_says_the_cap_and_shows_each_categorys_targets_and_points():
    from selfeval_lib.report.narrative import describe_result, describe_targets
    from selfeval_lib.report.tables import targets_part

    r = load_report(NAT_PARAMS)
    assert describe_result(r.card) == (
        "单位自评结果为：良。自评总分89.00分。预算执行率76.92%，低于80%，按评分表总分不超过89.00分；"
        "各指标合计91.19分，超过上限的2.19分予以扣减，总分为89.00分。4项指标所需数据均已填报。"
    )
    # a 满意度 paragraph, as for 产出 and 效益; a qualitative target states its words
    assert describe_targets(r.indicators, "满意度") == (
        "本年度，部门设定满意度指标1项，完成0项，群众满意度未达目标。群众满意度85.5%。"
    )
    assert "道路硬化工程完工时间10月中旬完工" in describe_targets(r.indicators, "产出")
    page = visible_text(targets_part(r, "产出").html)
    assert page.startswith("二级指标指标计量单位方向目标值实际值增长率完成率分值得分")
    assert "数量指标危房改造户数户≥2030100%10.008.00" in page  # 10 points less the deviation's 2
    assert "时效指标道路硬化工程完工时间定性9月前10月中旬完工80%10.008.00" in page


@pytest.mark.notebook
def test_selfeval_run_on_the_national_example_prints_its_capped_total_and_satisfaction(
    tmp_path, capsys
):
    assert main(["run", str(NAT_PARAMS), "--out", str(tmp_path)]) == 0
    assert "✓ synth_nat_2024 2024: 良 89.00分" in capsys.readouterr().out
    page = visible_text((tmp_path / "2024" / "synth_nat_2024.html").read_text(encoding="utf-8"))
    assert "合成示例单位" in page
    assert (
        "单位自评结果为:良。自评总分89.00分。预算执行率76.92%,低于80%,按评分表总分不超过89.00分;"
        "各指标合计91.19分,超过上限的2.19分予以扣减,总分为89.00分。"
    ) in page
    # the 满意度 indicator has its paragraph and table, as 产出 and 效益 have theirs
    assert "4.满意度指标本年度,部门设定满意度指标1项,完成0项,群众满意度未达目标。" in page
    assert "服务对象满意度指标群众满意度%≥9085.595%10.009.50" in page
    record = json.loads((tmp_path / "2024" / "synth_nat_2024.scores.json").read_text("utf-8"))
    assert (record["total"], record["total_cap"]["uncapped_total"]) == (89.0, 91.19)


def test_the_evaluators_score_is_its_own_column_in_every_format_and_only_where_it_scores(
    example_params,
):
    """绩效目标设定 of the 规划/执行/效果 example: 计算得分 3.50, the unit's 自评得分 4.00, the
    评审得分 3.50, the 得分 that counts 3.50, in the page's and Word's 评分表, the workbook and
    scores.json; 前山镇's framework has no evaluator-scored indicator and no such column."""
    from io import BytesIO

    from openpyxl import load_workbook

    from selfeval_lib.report.scoresheet import scoresheet_bytes
    from selfeval_lib.report.tables import score_part

    r = load_report(PEE_PARAMS)
    part = score_part(r)
    # the Word/PDF (filing) edition: the 评审得分 beside the 得分 that counts, and the basis
    # saying which counts (计算得分 and 自评得分 are the analyst's, the review edition's)
    table = next(b for b in part.blocks if b["kind"] == "table")
    header = table["header"]
    assert header[4:8] == ["分值", "评分标准", "评审得分", "得分"]
    cells = [["".join(run["text"] for run in cell) for cell in row] for row in table["rows"]]
    assert cells[0][3].startswith("绩效目标设定") and cells[0][6:8] == ["3.50", "3.50"]
    assert cells[0][8].endswith(
        "按评分表以评审得分计入总分；单位自评4.00分：单位认为绩效目标已设定并与部门"
        "职责和预算相匹配，仅细化量化不足（不计入总分）。"
    )
    assert cells[1][6:8] == ["", "2.31"]  # 预算调整率: not scored by the evaluator
    # the page (review edition): 计算得分, 自评得分, 评审得分, 得分 side by side
    page = visible_text(part.html)
    assert "计算得分自评得分评审得分得分得分依据" in page
    assert (
        "6.00设定部门整体绩效目标得2分" in page and "(以评审得分计入总分)。3.504.003.503.50" in page
    )
    assert "“评审得分”为评审按评分表给出的得分(1项指标);绩效目标设定以评审得分计入总分。" in page
    sheet = load_workbook(BytesIO(scoresheet_bytes(r)))["评分表"]
    assert [c.value for c in sheet[3]][6:10] == ["计算得分", "自评得分", "评审得分", "得分"]
    assert [float(c.value) for c in sheet[4][6:10]] == [3.5, 4.0, 3.5, 3.5]
    assert sheet[5][8].value is None  # 预算调整率: not scored by the evaluator
    record = r.scores_record()["indicators"][0]
    assert (record["review_score"], record["self_score"], record["counts"]) == (3.5, 4.0, "review")
    assert r.scores_table.loc["target_setting", "评审得分"] == 3.5

    qianshan = load_report(example_params)
    header = next(b for b in score_part(qianshan).blocks if b["kind"] == "table")["header"]
    assert "评审得分" not in header
    assert "review_score" not in qianshan.scores_record()["indicators"][0]
    assert "评审得分" not in qianshan.scores_table.columns
