"""Display helpers: text from data files is escaped or sanitized; marks and warnings are shown."""

from __future__ import annotations

from selfeval_lib import load_report, show_cover, show_indicators, show_text, show_warnings

from .conftest import edit


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
