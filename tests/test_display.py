"""Display helpers: text from data files is escaped or sanitized; marks and warnings are shown."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import pytest

from selfeval_lib import (
    load_report,
    show_chart,
    show_cover,
    show_indicators,
    show_profile,
    show_result,
    show_text,
    show_warnings,
)
from selfeval_lib.cli import main
from selfeval_lib.report.content import stated_deduction

from .conftest import NO_SANGONG, SPENDING, edit, use_no_sangong, visible_text


def _pages(r) -> list[str]:
    """The report's parts that hold figures, in the notebook's order, as a reader sees them."""
    shown = [show_profile(r), show_result(r), show_chart(r, "scores"), show_indicators(r)]
    return [s.data for s in shown]


def _captions(pages: list[str]) -> list[str]:
    return re.findall(r"<figcaption>(图\d+ [^<（]*)", "".join(pages))


def test_html_in_data_files_never_reaches_the_page_live(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(
        data / "narrative.md",
        "## 其他自评情况\n",
        "## 其他自评情况\n\n<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))\n",
    )
    edit(data / "unit.yaml", "short_name: 前山镇", 'short_name: "前山镇<b onmouseover=alert(4)>"')
    report = load_report(unit_copy)
    other = show_text(report, "其他自评情况").data
    assert "<script" not in other and "&lt;script&gt;alert(1)&lt;/script&gt;" in other
    assert "<img" not in other and 'href="javascript' not in other
    cover = show_cover(report).data
    assert "<b onmouseover" not in cover and "前山镇&lt;b onmouseover=alert(4)&gt;" in cover


def test_empty_section_reads_none(example_params):
    assert "<p>无。</p>" in show_text(load_report(example_params), "其他自评情况").data


def test_synthetic_units_carry_a_visible_banner(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "declared_grade: 良",
        "declared_grade: 良\nsynthetic: true",
    )
    assert "合成示例单位" in show_cover(load_report(unit_copy)).data


def test_illustrative_figures_are_marked_and_explained(unit_copy):
    page = show_indicators(load_report(unit_copy)).data
    assert '170000</span><sup class="mark" title="示例数据">※</sup>' in page
    assert "※ 示例数据：参考资料未载明该数" in page


def test_warnings_are_listed(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "in_service: 86",
        "in_service: 120",
    )
    page = show_warnings(load_report(unit_copy)).data
    assert "数据核对提示（1条）" in page and "年末在职人数 120人 超过核定编制 96人" in page


def test_images_in_data_files_are_never_loaded(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/narrative.md",
        "## 其他自评情况\n",
        "## 其他自评情况\n\n![logo](http://example.org/t.png) ![x](//example.org/x.png)\n",
    )
    other = show_text(load_report(unit_copy), "其他自评情况").data
    assert "<img" not in other


def test_the_not_stated_list_names_every_place_grouped_by_column(example_params):
    page = show_warnings(load_report(example_params)).data
    assert "以下52项数据未填报" in page
    assert "<li>management.yaml: facts.monitoring_done</li>" in page
    assert "<li>budget.csv 列&quot;年初预算&quot;：第2、3行</li>" in page
    assert (
        "<li>targets.csv 列&quot;目标值&quot;：第" + "、".join(str(n) for n in range(2, 18)) in page
    )


def test_a_framework_without_a_sangong_indicator_still_shows_the_units_spending_and_sangong(
    unit_copy, capsys
):
    """The unit's 三公 table, 图 and the paragraph on its spending and the change from last year
    are figures it stated: with no 三公 indicator to hold them, they stand in 单位基本情况."""
    assert main(["framework", "check", str(NO_SANGONG)]) == 0
    assert "运行成本" not in capsys.readouterr().out
    use_no_sangong(unit_copy)
    r = load_report(unit_copy)
    assert [s.indicator.name for s in r.card.scores][-1] == "资产管理"
    profile, result, scores_chart, indicators = _pages(r)
    text = visible_text(profile)
    assert "单位支出情况" + SPENDING in text
    assert "“三公”经费预算决算上年决算执行率" in text.replace(" ", "")  # the table's header
    assert "合计26.7726.77" in text.replace(" ", "")
    assert _captions([profile]) == ["图1 “三公”经费预算与决算"]
    # figures numbered in the order the pages show them
    assert _captions([profile, result, scores_chart, indicators]) == [
        "图1 “三公”经费预算与决算",
        "图2 各指标得分与分值",
        "图3 主要经济指标及增长率",
        "图4 本年支出构成",
        "图5 基本支出与项目支出年度对比",
    ]
    assert "“三公”经费" not in visible_text(indicators)


def test_the_shipped_framework_shows_spending_and_sangong_once_under_running_cost(unit_copy):
    pages = _pages(load_report(unit_copy))
    text = visible_text("".join(pages))
    assert text.count(SPENDING) == 1 and text.count("公务接待费") == 1  # paragraph, table
    assert "单位支出情况" not in text
    assert SPENDING in visible_text(pages[3].split("12.运行成本")[1])
    assert [c.split()[0] for c in _captions(pages)] == ["图1", "图2", "图3", "图4", "图5"]


def test_rate_before_targets_moves_the_figure_numbers_with_the_page(unit_copy, tmp_path):
    """Figure numbers follow the page, not the chart kind: with 支出率 before the 产出 targets,
    its two charts come first."""
    text = NO_SANGONG.read_text(encoding="utf-8")
    start, end = text.index("  - id: spending_rate"), text.index("  - id: pre_assessment")
    first = text.index("  - id: output_completion")
    moved = text[:first] + text[start:end] + text[first:start] + text[end:]
    framework = tmp_path / "rate_first.yaml"
    framework.write_text(moved, encoding="utf-8")
    use_no_sangong(unit_copy, framework)
    r = load_report(unit_copy)
    assert r.card.scores[0].indicator.id == "spending_rate"
    assert _captions(_pages(r)) == [
        "图1 “三公”经费预算与决算",
        "图2 各指标得分与分值",
        "图3 本年支出构成",
        "图4 基本支出与项目支出年度对比",
        "图5 主要经济指标及增长率",
    ]


@pytest.mark.parametrize(
    ("reason", "points"),
    [
        ("目标不够细化（见“存在问题”第1条），扣5分。", Decimal(5)),
        ("制度不健全扣2分；未开展监控扣1分。", Decimal(3)),
        ("按标准每起扣2分，共2起扣4分。", Decimal(4)),
        ("每低1个百分点扣0.5分，低2个百分点，扣除1分。", Decimal(1)),
        ("部分效益指标缺乏量化标准，酌情扣分。", None),
    ],
)
def test_the_deduction_a_self_score_reason_states(reason, points):
    assert stated_deduction(reason) == points


def test_a_self_score_reason_that_no_longer_matches_the_points_is_warned(unit_copy):
    scores = unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv"
    assert not [w for w in load_report(unit_copy).warnings if "自评理由" in w]  # 25 − 20 = 5
    edit(scores, "部门整体绩效目标产出完成情况,20,", "部门整体绩效目标产出完成情况,21,")
    r = load_report(unit_copy)
    warning = (
        "指标“部门整体绩效目标产出完成情况”的自评理由写明扣5分，但分值25.00分、自评得分21.00分，"
        "相差4.00分：请核实自评得分或理由。"
    )
    assert r.warnings[-1] == warning and warning not in r.card.warnings
    assert unicodedata.normalize("NFKC", warning) in visible_text(show_warnings(r).data)
    assert r.scores_record()["warnings"] == list(r.warnings)
