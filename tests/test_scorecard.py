"""The scorecard a unit gets: checklists from its facts, 未填报 by the framework's policy, manual
indicators, self scores over computed ones, and the marks on total and grade."""

from __future__ import annotations

from decimal import Decimal as D

from selfeval_lib import load_report
from selfeval_lib.frameworks.model import framework_path

from .conftest import edit


def _data(params):
    return params.parent.parent / "data/2024/qianshan"


def _score(report, name):
    return _score_of(report.card, name)


def _score_of(card, name):
    return next(s for s in card.scores if s.indicator.name == name)


def test_checklist_facts_become_deductions_in_the_standards_words(unit_copy):
    facts = _data(unit_copy) / "management.yaml"
    edit(facts, "finance_violations: 0", "finance_violations: 2")
    edit(facts, "internal_audit_done: true", "internal_audit_done: false")
    edit(
        facts, "procurement_intention_published_pct: 100", "procurement_intention_published_pct: 97"
    )
    edit(facts, "asset_inventories: 1", "asset_inventories: 0")
    r = load_report(unit_copy)
    finance = _score(r, "财务管理合理性")
    assert (finance.computed, finance.computed_basis) == (
        D("0.00"),
        "“开展内部财务审计和专项检查”为否（扣1分）；“资金挪用、截留等违规违纪行为(起)”为2"
        "（每起扣2分，扣4分），扣5分。",
    )
    procurement = _score(r, "采购管理")
    assert (procurement.score, procurement.basis) == (
        D("3.70"),
        "“采购意向按时公开率(%)”为97（低于100%，每低1个百分点扣0.1分，扣0.3分），扣0.3分。",
    )
    assets = _score(r, "资产管理")
    assert (assets.score, assets.basis) == (D("2.00"), "“年度资产清查(次)”为0（扣1分），扣1分。")
    # 86 - 5 - 0.3 - 1, with the three self scores
    assert (r.card.total, r.card.grade) == (D("79.70"), "中")


def test_an_indicator_resting_on_a_fact_not_stated_scores_nothing_and_says_which(unit_copy):
    facts = _data(unit_copy) / "management.yaml"
    edit(facts, "procurement_complaints: 0", "procurement_complaints: 未填报")
    edit(facts, "procurement_control_rules: true", "procurement_control_rules: 未填报")
    r = load_report(unit_copy)
    procurement = _score(r, "采购管理")
    assert (procurement.computed, procurement.computed_basis) == (
        D(0),
        "所需数据未填报（建立采购内部控制管理制度、采购投诉(起)，共2项），按评分表未填报规定不得分。",
    )
    assert procurement.not_stated == (
        "management.yaml: facts.procurement_control_rules",
        "management.yaml: facts.procurement_complaints",
    )
    assert not procurement.inputs_illustrative


def test_targets_not_stated_are_named_by_their_column_once(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    edit(targets, "≥,170000,174477", "≥,未填报,174477")
    edit(targets, "≥,1650,1712.3764", "≥,未填报,1712.3764")
    output = _score(load_report(unit_copy), "部门整体绩效目标产出完成情况")
    assert output.computed_basis == "所需数据未填报（目标值，共2项），按评分表未填报规定不得分。"
    assert output.not_stated == ('targets.csv: 第2行 列"目标值"', 'targets.csv: 第3行 列"目标值"')
    assert output.score == D(20)  # the unit's own score still counts


def _manual_framework(unit_copy):
    """A county framework whose 预算编制约束性 is scored by hand."""
    framework = unit_copy.parent.parent / "county.yaml"
    text = framework_path("gd_township_2024").read_text(encoding="utf-8")
    framework.write_text(text.replace("id: gd_township_2024", "id: county_2024"), encoding="utf-8")
    start = text.index("      kind: checklist\n      items:\n        - {fact: budget_standards")
    end = text.index("  - id: financial_management")
    framework.write_text(
        framework.read_text(encoding="utf-8").replace(text[start:end], "      kind: manual\n"),
        encoding="utf-8",
    )
    edit(framework, "    rule:\n      kind: manual\n", "    rule: {kind: manual}\n")
    edit(unit_copy, "framework: gd_township_2024", f"framework: {framework}")
    facts = _data(unit_copy) / "management.yaml"
    edit(facts, "  budget_standards_followed: true", "")
    edit(facts, "  project_budget_itemized: true", "")


def test_a_manual_indicator_is_the_units_own_score(unit_copy):
    _manual_framework(unit_copy)
    scores = _data(unit_copy) / "self_scores.csv"
    scores.write_text(
        scores.read_text(encoding="utf-8")
        + "预算编制约束性,4,按标准编制，个别明细未细化，扣1分。,\n",
        encoding="utf-8",
    )
    r = load_report(unit_copy)
    manual = _score(r, "预算编制约束性")
    assert (manual.computed, manual.self_score, manual.score) == (D("4.00"), None, D("4.00"))
    assert manual.basis == "按标准编制，个别明细未细化，扣1分。" and not manual.illustrative
    assert r.card.total == D("85.00")  # 86 with the checklist's full 5 points
    scores.write_text(
        scores.read_text(encoding="utf-8").replace("扣1分。,\n", "扣1分。,自评得分\n"),
        encoding="utf-8",
    )
    manual = _score(load_report(unit_copy), "预算编制约束性")
    assert (
        manual.illustrative and manual.inputs_illustrative
    )  # an illustrative hand score is marked


def test_marks_on_the_total_follow_what_it_rests_on(unit_copy):
    r = load_report(unit_copy)
    card = r.card
    # the three self scores are illustrative, and so is every computed target completion
    assert (card.illustrative, card.computed_illustrative) == (True, True)
    assert (card.total_fig.value, card.total_fig.illustrative) == (D("86.00"), True)
    assert (card.computed_total, card.computed_grade) == (D("99.00"), "优")
    scores = _data(unit_copy) / "self_scores.csv"
    scores.write_text(
        scores.read_text(encoding="utf-8").replace(",自评得分\n", ",\n"), encoding="utf-8"
    )
    card = load_report(unit_copy).card
    own = [s for s in card.scores if s.self_score is not None]
    assert len(own) == 3 and not any(s.self_illustrative for s in own)
    assert [s.illustrative for s in own] == [False, False, False]
    assert own[0].basis.startswith("自评20.00分：") and "（系统计算25.00分※：" in own[0].basis
    # the total is still marked: 支出率 rests on the illustrative 调整预算
    assert _score_of(card, "部门预算资金支出率").illustrative
    assert card.illustrative is True and card.computed_illustrative is True


def test_a_declared_grade_not_stated_is_no_warning(unit_copy):
    edit(_data(unit_copy) / "unit.yaml", "declared_grade: 良", "declared_grade: 未填报")
    card = load_report(unit_copy).card
    assert card.declared_grade is None and card.warnings == ()


def test_a_fact_not_stated_in_a_workbook_is_named_by_its_label(tmp_path, capsys):
    from selfeval_lib.cli import main

    from .conftest import EXAMPLE_PARAMS

    workbook = tmp_path / "data/2024/qianshan.xlsx"
    workbook.parent.mkdir(parents=True)
    assert main(["template", "--from", str(EXAMPLE_PARAMS), "-o", str(workbook)]) == 0
    capsys.readouterr()
    params = tmp_path / "params/qianshan_2024.yaml"
    params.parent.mkdir()
    params.write_text(
        "unit_id: qianshan_2024\nyear: 2024\ndata: ../data/2024/qianshan.xlsx\n", encoding="utf-8"
    )
    execution = _score(load_report(params), "绩效管理制度执行")
    (place,) = execution.not_stated
    assert place.startswith("qianshan.xlsx: ") and place.endswith(" facts.monitoring_done")
    assert execution.computed_basis == (
        "所需数据未填报（开展绩效运行监控），按评分表未填报规定不得分。"
    )


def test_three_public_expenses_from_illustrative_lines_are_marked(unit_copy):
    for key in ("  sangong_budget: 26.77", "  sangong_actual: 26.77"):
        edit(_data(unit_copy) / "unit.yaml", key, "")
    running = _score(load_report(unit_copy), "运行成本")
    assert running.computed_basis == "“三公”经费决算26.77万元※，等于预算26.77万元※，得满分。"
    assert running.inputs_illustrative


def test_a_county_may_give_full_points_for_a_zero_budget(unit_copy):
    framework = unit_copy.parent.parent / "county.yaml"
    text = framework_path("gd_township_2024").read_text(encoding="utf-8")
    text = text.replace("id: gd_township_2024", "id: county_2024")
    text = text.replace(
        "deduct_per_point: 0.5, zero_budget: no_points}",
        "deduct_per_point: 0.5, zero_budget: full_points}",
    )
    framework.write_text(text, encoding="utf-8")
    edit(unit_copy, "framework: gd_township_2024", f"framework: {framework}")
    for old in ("1380.00,1420.00,", "190.00,200.00,", "2600.00,3178.19,"):
        edit(_data(unit_copy) / "budget.csv", old, old.split(",")[0] + ",0.00,")
    rate = _score(load_report(unit_copy), "部门预算资金支出率")
    assert (rate.score, rate.basis) == (
        D(10),
        "调整预算为0，支出率不适用，按评分表零预算规定得满分。",
    )
