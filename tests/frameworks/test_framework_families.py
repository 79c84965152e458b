"""The shipped frameworks of the published families (issue 19) and their synthetic example units:
each framework validates and prints standards its rules compute, and its example unit scores,
per indicator, per group, in total and in grade, what the arithmetic in the comments below gives
from the unit's own files."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from selfeval_lib import load_framework, load_report
from selfeval_lib.cli import main
from selfeval_lib.frameworks.model import check_framework, framework_path

from ..conftest import ROOT, visible_text

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
    assert "✗" not in printed


# The example unit's files (data/2024/synth_pee/), and what each indicator makes of them.
PEE_SCORES = {
    # 规划 (15)
    # targets_set yes 2 + targets_quantified no 0 + targets_match_budget yes 2
    "target_setting": D("4"),
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


def test_the_planning_execution_effect_example_scores_as_worked_out_by_hand():
    report = load_report(PEE_PARAMS)
    assert report.unit.facts.synthetic
    assert report.unit.facts.identity.county == "示例县"
    assert report.unit.not_stated() == ()  # a complete example: every value stated
    # it states each fact the framework's checklists read (what `selfeval template` asks), no other
    assert set(report.unit.management.facts) == set(load_framework(PEE).fact_keys())
    card = report.card
    assert card.framework_id == PEE
    assert {s.indicator.id: s.score for s in card.scores} == PEE_SCORES
    basis = {s.indicator.id: s.basis for s in card.scores}
    assert basis["execution_rate"] == ("预算执行率90.2%，按预算执行率乘以分值10分计分，扣0.98分。")
    assert [(g.name, g.weight, g.score) for g in card.groups] == [
        ("规划", 15, D("10.31")),  # 4 + 2.31 + 4
        ("执行", 35, D("32.67")),  # 9.02 + 3.75 + 5 + 4.90 + 5 + 5
        ("效果", 50, D("46.25")),  # 19.83 + 18.50 + 5.92 + 2
    ]
    assert card.total == D("89.23")  # 10.31 + 32.67 + 46.25
    assert card.grade == "良好"  # 80 ≤ 89.23 < 90


@pytest.mark.notebook
def test_selfeval_run_on_the_planning_execution_effect_example_prints_its_grade_and_groups(
    tmp_path, capsys
):
    assert main(["run", str(PEE_PARAMS), "--out", str(tmp_path)]) == 0
    assert "✓ synth_pee_2024 2024: 良好 89.23分" in capsys.readouterr().out
    page = visible_text((tmp_path / "2024" / "synth_pee_2024.html").read_text(encoding="utf-8"))
    assert "合成示例单位" in page
    assert "单位自评结果为:良好。自评总分89.23分。" in page
    # each 评分表 row: 序号, 一级 (the group), 二级, 指标, then its 指标解释, 分值, 评分标准, scores
    assert "1规划目标设定绩效目标设定部门是否设定整体绩效目标" in page
    assert "4执行预算执行预算执行率预算执行率=本年支出" in page
    assert "10效果产出产出目标完成情况部门围绕年度重点工作" in page
    assert "预算执行率90.2%,按预算执行率乘以分值10分计分,扣0.98分。" in page
    assert "合计100.0089.2389.23等级:良好等级标准:优秀≥90、良好≥80、合格≥60、不合格<60。" in page
    record = json.loads((tmp_path / "2024" / "synth_pee_2024.scores.json").read_text("utf-8"))
    assert [(g["name"], g["score"]) for g in record["groups"]] == [
        ("规划", 10.31),
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
        ("规划小计", "15.00", "10.31"),
        ("执行小计", "35.00", "32.67"),
        ("效果小计", "50.00", "46.25"),
    ]
    part = score_part(r)
    table = next(b for b in part.blocks if b["kind"] == "table")
    rows = [["".join(run["text"] for run in cell) for cell in row] for row in table["rows"]]
    score = table["header"].index("得分")  # the filing edition's table: no 计算得分/自评得分
    printed = [(row[3], row[4], row[score]) for row in rows if row[3].endswith("小计")]
    assert printed == expected  # what the Word report prints, from these blocks
    page = visible_text(part.html)
    assert [page.index(label) for label, *_ in expected] == sorted(
        page.index(label) for label, *_ in expected
    ) and page.index("效果小计") < page.index("合计")
    sheet = load_workbook(BytesIO(scoresheet_bytes(r)))["评分表"]
    cells = [
        (row[0].value, f"{row[4].value:.2f}", f"{row[8].value:.2f}")
        for row in sheet.iter_rows(min_row=4)
        if isinstance(row[0].value, str) and row[0].value.endswith("小计")
    ]
    assert cells == expected
    totals = [row for row in rows if row[3] == "合计"]
    assert rows.index(totals[0]) == len(rows) - 1  # the subtotals come before 合计
