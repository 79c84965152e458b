"""The framework language a county writes without code (issue 19): rules over the figures the
data holds, grade labels, groups with weights, missing-data policies, checklist points and
total-level rules. Each small framework under tests/data/frameworks/ scores the complete example
unit; every expected score is worked out by hand below from that unit's figures."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from selfeval_lib import FrameworkError, load_framework, load_report
from selfeval_lib.evaluate.figures import compute_figure
from selfeval_lib.frameworks.figures import FIGURES
from selfeval_lib.frameworks.model import check_framework

from .conftest import edit

FRAMEWORKS = Path(__file__).parent / "data" / "frameworks"


def scored_with(params: Path, framework: str):
    """The complete example unit scored by a test framework (its self scores and indicator notes,
    which name the shipped framework's indicators, left out)."""
    data = params.parent.parent / "data" / "2024" / "qianshan"
    (data / "self_scores.csv").write_text("指标,自评得分,理由,示例数据\n", encoding="utf-8")
    narrative = data / "narrative.md"
    text = narrative.read_text(encoding="utf-8")
    narrative.write_text(re.sub(r"## 指标:.*?(?=\n## |\Z)", "", text, flags=re.S), "utf-8")
    edit(params, "framework: gd_township_2024", f"framework: {FRAMEWORKS / framework}")
    return load_report(params)


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
        "人员经费1,402.51万元※，超过年初预算人员经费1,380万元※的1.63%※，每超1个百分点扣2分，"
        "扣3.26分※。"
    )
    assert basis["staffing"] == "编制使用率89.58%，≥85%，按评分表得8分，扣2分。"


def test_a_rule_over_figures_states_its_standard_and_a_wrong_one_is_flagged(tmp_path):
    text = (FRAMEWORKS / "figures_by_name.yaml").read_text(encoding="utf-8")
    assert check_framework(load_framework(str(FRAMEWORKS / "figures_by_name.yaml"))) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("≥85%得8分", "≥85%得7分"), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(str(bad))
    assert "bad.yaml 第34行" in str(caught.value)
    assert (
        "indicators[2] (id: staffing).standard: 评分标准与规则不一致：评分标准写有7分，规则中没有；"
        "规则为8分，评分标准未写" in str(caught.value)
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
    text = (FRAMEWORKS / "figures_by_name.yaml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(str(bad))
    assert f"bad.yaml 第{line}行" in str(caught.value)
    assert says in str(caught.value)
