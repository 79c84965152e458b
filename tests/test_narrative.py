"""Standard sentences follow the figures: all met / partly met, no new projects, over budget."""

from __future__ import annotations

from selfeval_lib import load_report
from selfeval_lib.report.narrative import (
    describe_pre_assessment,
    describe_sangong,
    describe_targets,
    describe_team,
)

from .conftest import edit


def test_team_sentence_is_the_reference_sentence(example_params):
    r = load_report(example_params)
    assert (
        describe_team(r.unit)
        == "人员构成：由分管财政工作的李培易党委委员为组长，党政办主任张东梅为副组长，九大办负责人为成员。"
    )


def test_missed_targets_are_named(unit_copy):
    edit(unit_copy.parent.parent / "data/2024/qianshan/targets.csv", "≥,7200,7415", "≥,8000,7415")
    text = describe_targets(load_report(unit_copy).indicators, "产出")
    # the fixture's 目标值 are illustrative, so the count of completed targets carries ※
    assert text.startswith("本年度，部门设定产出指标5项，完成4项※，规模以上工业增加值未达目标。")


def test_no_new_projects(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/management.yaml",
        "new_projects:\n  - {name: 乡村振兴基础设施建设项目, pre_assessed: true}",
        "new_projects: []",
    )
    r = load_report(unit_copy)
    assert (
        describe_pre_assessment(r.unit, r.indicators)
        == "本年度部门无新增项目，不涉及新增项目事前绩效评估。"
    )
    assert r.card.scores[3].basis == "本年度无新增项目，不涉及事前绩效评估，得满分。"


def test_sangong_over_budget_wording(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "sangong.csv", "5.42,5.42", "5.00,5.42")
    edit(data / "unit.yaml", "sangong_budget: 26.77", "sangong_budget: 26.35")
    text = describe_sangong(load_report(unit_copy).indicators)
    assert (
        text
        == "“三公”经费财政拨款支出决算为26.77万元，完成全年预算26.35万元的101.59%，超过预算安排的经费数。"
    )
