"""Display helpers: text from data files is escaped or sanitized; marks and warnings are shown.

The report's parts as a reader gets them: each show_* block compared whole (or, for the score
table, row by row), so a changed word, a lost paragraph or a dropped mark shows."""

from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from selfeval_lib import (
    RunError,
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
from selfeval_lib.inputs.places import group_places
from selfeval_lib.report import display
from selfeval_lib.report.content import stated_deduction
from selfeval_lib.report.docx_export import docx_bytes
from selfeval_lib.report.pdf_export import pdf_bytes

from ..conftest import (
    COMPLETE_PARAMS,
    EXAMPLE_PARAMS,
    NO_SANGONG,
    SPENDING,
    edit,
    skip_unless_required,
    use_no_sangong,
    visible_text,
)


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
    # in Word, the section is a level-3 heading of its own, like the HTML's <h4>
    headings = [b for b in show_profile(r).part.blocks if b.get("kind") == "heading"]
    assert headings == [{"kind": "heading", "level": 3, "text": "单位支出情况"}]


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
        ("制度不健全扣三分；未开展监控扣零点五分。", Decimal("3.5")),  # numerals in words
        ("目标不够细化，扣２分。", Decimal(2)),  # a full-width digit
        ("资金到位率低，扣减三分之一分值。", None),  # a share, not points
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


# --- from pages ------------------------------------------------------------


MARK = '<sup class="mark" title="示例数据">※</sup>'
FOOTNOTE = (
    '<p class="note">※ 示例数据：参考资料未载明该数，为演示评分表的计算而设定，并非单位填报数；'
    "由示例数据计算出的数（合计、比率、得分、总分与等级）同样标注※。正式报送前应以单位实际数替换。</p>"
)


@pytest.fixture(scope="module")
def complete():
    return load_report(COMPLETE_PARAMS)


def _data(params):
    return params.parent.parent / "data/2024/qianshan"


def test_cover(complete):
    assert display.show_cover(complete).data == (
        '<div class="selfeval cover-block"><h1 class="title">前山镇部门整体支出绩效自评报告</h1>'
        '<dl class="cover"><dt>评价年度：</dt><dd>2024</dd><dt>评价单位（公章）：</dt>'
        "<dd>徐闻县前山镇人民政府</dd><dt>填报日期：</dt><dd>2025年11月</dd></dl>"
        "<p>根据《徐闻县财政关于开展2024年度县级财政资金绩效自评工作的通知》（徐财绩〔2025〕5号）要求，"
        "我单位成立自评工作小组，开展2024年度部门整体支出绩效自评，形成本评价报告。"
        "现将2024年度徐闻县前山镇人民政府整体支出绩效自评情况报告如下：</p></div>"
    )
    # the Word file is dated from the 填报日期 the cover carries (its core properties)
    props = Document(io.BytesIO(docx_bytes(display.show_cover(complete).part.blocks)))
    assert props.core_properties.created.date().isoformat() == "2025-11-01"


def test_submission_and_publication(complete):
    assert display.show_submission(complete).data == (
        '<div class="selfeval block"><p>自评材料在11月初报送，'
        "我单位对所报送自评材料真实性、完整性、一致性、规范性负责。</p></div>"
    )
    assert display.show_publication(complete).data == (
        '<div class="selfeval block"><p>本单位所报送的自评报告、数据表、评分表与公开的自评报告、'
        "数据表、评分表一致。</p></div>"
    )


def test_team_the_units_first_paragraph_then_who_then_the_rest(complete):
    assert display.show_team(complete).data == (
        '<div class="selfeval block"><p>为确保绩效自评工作高效推进、结果客观公正，单位成立专项绩效自评'
        "工作小组，构建起“主要领导统筹、分管领导牵头、多部门协同”的工作格局。</p>\n"
        "<p>人员构成：由分管财政工作的李培易党委委员为组长，党政办主任张东梅为副组长，"
        "九大办负责人为成员。</p>"
        "<p>职能分工：组长统筹部署整体工作，审定自评方案与最终报告；副组长负责协调解决工作推进中的"
        "难点问题，监督工作进度与质量；各成员单位根据职责分工，梳理本领域工作资料、填报绩效数据，"
        "配合开展指标考核与分析研判，确保自评工作覆盖预算支出与重点业务领域。</p>\n</div>"
    )


def test_team_without_the_units_text(unit_copy):
    text = _data(unit_copy) / "narrative.md"
    page = text.read_text(encoding="utf-8")
    start = page.index("## 评价小组")
    end = page.index("## ", start + 3)
    text.write_text(page[:start] + page[end:], encoding="utf-8")
    assert display.show_team(load_report(unit_copy)).data == (
        '<div class="selfeval block"><p>人员构成：由分管财政工作的李培易党委委员为组长，'
        "党政办主任张东梅为副组长，九大办负责人为成员。</p></div>"
    )


def test_profile_sentence_ratios_and_functions(complete):
    page = display.show_profile(complete).data
    assert page.startswith(
        '<div class="selfeval block"><p>徐闻县前山镇人民政府为徐闻县财政局下的行政单位，'
        "单位基本性质是政府机关，执行政府会计准则制度，机构行业类型为[9221]综合事务管理机构。"
        "无下属二级预算单位；机构编制部门核定人数96人、年末在职人数86人、离退休人数48人、"
        "外聘临时工人数18人。</p><p>在职人数占核定编制的89.58%；人均基本支出18.49万元；"
        "外聘临时工与在职人数之比为20.93%。</p><p>单位主要职能有：</p><ol>\n<li>宣传贯彻落实"
    )
    assert page.endswith(
        "<li>完善党领导下的基层社会治理体系，提高基层自治水平。</li>\n</ol>\n</div>"
    )


def test_profile_without_ratios_has_no_empty_paragraph(unit_copy):
    edit(_data(unit_copy) / "unit.yaml", "  in_service: 86 ", "  in_service: 未填报 ")
    page = display.show_profile(load_report(unit_copy)).data
    assert "外聘临时工人数18人。</p><p>单位主要职能有：</p>" in page and "<p></p>" not in page


def test_a_section_as_written_or_not_stated(complete):
    """An empty or absent section is not "无": the unit did not say."""
    assert display.show_text(complete, "其他自评情况").data == (
        '<div class="selfeval block"><p>其他自评情况未填报。</p></div>'
    )
    assert display.show_text(complete, "没有的章节").data == (
        '<div class="selfeval block"><p>没有的章节未填报。</p></div>'
    )
    problems = display.show_text(complete, "存在问题").data
    assert problems.startswith('<div class="selfeval block"><p><strong>1.绩效目标设定的精准性')


def test_warnings_none(complete):
    assert display.show_warnings(complete).data == (
        '<div class="selfeval warnings ok"><p>数据核对未发现问题。</p></div>'
    )


def test_warnings_and_values_not_stated_are_listed_in_order(unit_copy):
    data = _data(unit_copy)
    edit(data / "unit.yaml", "  in_service: 86 ", "  in_service: 120 ")
    edit(data / "unit.yaml", "  retired: 48 ", "  retired: 未填报 ")
    edit(data / "management.yaml", "asset_inventories: 1", "asset_inventories: 未填报")
    assert display.show_warnings(load_report(unit_copy)).data == (
        '<div class="selfeval warnings"><p>数据核对提示（1条），请填报单位核实：</p><ol>'
        "<li>unit.yaml 年末在职人数 120人 超过核定编制 96人。</li></ol>"
        "<p>以下2项数据未填报（资料未载明），报告中相应位置写作“未填报”，"
        "依赖这些数据的指标按评分表未填报规定计分：</p>"
        '<ol class="not-stated"><li>unit.yaml: staffing.retired</li>'
        "<li>management.yaml: facts.asset_inventories</li></ol></div>"
    )


# --- the score table ---------------------------------------------------------------------------


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", page)


def test_score_table_header_rows_and_total(complete):
    page = display.show_result(complete).data
    assert page.startswith(
        '<div class="selfeval block"><p>单位自评结果为：良※。自评总分86.00分※。'
        "12项指标所需数据均已填报。</p>"
        '<div class="score-sheet"><table class="scores"><thead><tr><th>序号</th><th>一级指标</th><th>二级指标</th>'
        "<th>指标（指标解释）</th><th>分值</th><th>评分标准</th><th>计算得分</th><th>自评得分</th><th>得分</th>"
        "<th>得分依据 / 扣分原因</th></tr></thead><tbody>"
    )
    rows = _rows(page)
    assert len(rows) == 1 + 12 + 1
    assert rows[3] == (
        "<td>3</td><td>管理效率</td><td>预算执行</td><td>部门预算资金支出率"
        '<span class="explanation">支出率=本年支出÷调整预算（全年用款计划）×100%。</span></td>'
        '<td><span class="num">10.00</span></td>'
        "<td>支出率≥95%得满分；每低1个百分点扣0.5分，扣完为止；调整预算为0的，支出率不适用，不得分。</td>"
        f'<td><span class="num">9.00</span>{MARK}</td><td></td>'
        f'<td><strong><span class="num">9.00</span>{MARK}</strong></td>'
        "<td>支出率93%※，低于95%标准2个百分点※，每个百分点扣0.5分，扣1分※。</td>"
    )
    assert rows[9] == (  # a self score over a computed one: both, with the reason
        "<td>9</td><td>管理效率</td><td>预算管理</td><td>绩效管理制度执行"
        '<span class="explanation">绩效目标设定、监控、评价和结果应用是否按制度执行。</span></td>'
        '<td><span class="num">5.00</span></td>'
        "<td>绩效目标未经论证扣2分；未开展绩效运行监控扣1分；评价结果未应用、问题未跟踪整改的酌情扣分"
        "（自评说明理由）。</td>"
        '<td><span class="num">5.00</span></td>'
        f'<td><span class="num">2.00</span>{MARK}</td>'
        f'<td><strong><span class="num">2.00</span>{MARK}</strong></td>'
        "<td>自评2.00分※：绩效评价结果应用力度不够，整改措施落实缺乏有效跟踪监督，部分问题反复出现"
        "（见“存在问题”第2条），扣3分。（系统计算5.00分：2项检查均符合要求，得满分。）</td>"
    )
    assert rows[12] == (
        "<td>12</td><td>管理效率</td><td>运行成本</td><td>运行成本"
        '<span class="explanation">“三公”经费财政拨款支出决算与预算的对比。</span></td>'
        '<td><span class="num">3.00</span></td>'
        "<td>“三公”经费决算不超过预算得满分（预算与决算均为0的得满分）；超过预算的，按超支比例扣分"
        "（超支1%扣分值的10%），超支10%及以上不得分。</td>"
        '<td><span class="num">3.00</span></td><td></td>'
        '<td><strong><span class="num">3.00</span></strong></td>'
        "<td>“三公”经费决算26.77万元，等于预算26.77万元，得满分。</td>"
    )
    assert rows[13] == (
        "<td></td><td></td><td></td><td><strong>合计</strong></td>"
        '<td><span class="num">100.00</span></td><td></td>'
        f'<td><span class="num">99.00</span>{MARK}</td><td></td>'
        f'<td><strong><span class="num">86.00</span>{MARK}</strong></td>'
        f"<td><strong>等级：良{MARK}</strong></td>"
    )


def test_score_table_notes(complete):
    page = display.show_result(complete).data
    assert page.endswith(
        "</tbody></table>"
        '<p class="note">合计86.00分※：12项指标所需数据均已填报。</p>'
        '<p class="note">等级标准：优≥90、良≥80、中≥60、差&lt;60。评分表：乡镇部门整体支出绩效自评指标'
        "框架（默认）。各指标分值、阈值与扣分标准为"
        "可配置的默认值，并非官方公布的评分表；县（区）可替换为本地评分表。 所需数据未填报的，"
        "该指标不得分，单位可自评打分并说明理由。</p>"
        '<p class="note">“计算得分”为按评分表计算的得分，合计99.00分※（优※）；单位对3项指标'
        "（部门整体绩效目标产出完成情况、部门整体绩效目标效益完成情况、绩效管理制度执行）"
        "给出自评得分并说明理由，“得分”列采用自评得分，合计86.00分※（良※）。</p></div>"
        f"{FOOTNOTE}</div>"
    )


def _without_marks(params: Path) -> Path:
    """The unit_copy with no self scores and no 示例数据 mark on any line; returns its data."""
    data = _data(params)
    (data / "self_scores.csv").write_text("指标,自评得分,理由,示例数据\n", encoding="utf-8")
    for name in ("budget.csv", "sangong.csv", "targets.csv"):
        rows = (data / name).read_text(encoding="utf-8").splitlines()
        (data / name).write_text(
            "\n".join(r.rsplit(",", 1)[0] + "," for r in rows[1:]).join([rows[0] + "\n", "\n"]),
            encoding="utf-8",
        )
    return data


def test_score_table_without_self_scores_or_marks(unit_copy):
    _without_marks(unit_copy)
    r = load_report(unit_copy)
    page = display.show_result(r).data
    assert page.startswith(
        '<div class="selfeval block"><p>单位自评结果为：优。自评总分99.00分。'
        "12项指标所需数据均已填报。</p>"
    )
    assert "※" not in page
    assert _rows(page)[-1].endswith(
        '<td><strong><span class="num">99.00</span></strong></td><td><strong>等级：优</strong></td>'
    )
    assert page.endswith("单位可自评打分并说明理由。</p></div></div>")  # no self-score note


def test_score_table_names_the_indicators_scored_nothing_for_want_of_data(unit_copy):
    edit(
        _data(unit_copy) / "management.yaml",
        "monitoring_done: true",
        "monitoring_done: 未填报",
    )
    edit(
        _data(unit_copy) / "management.yaml",
        "procurement_complaints: 0",
        "procurement_complaints: 未填报",
    )
    page = display.show_result(load_report(unit_copy)).data
    # both are named; 绩效管理制度执行 has a self score, which the total counts
    assert (
        '<p class="note">合计82.00分※：12项指标中2项所需数据未填报，按评分表规定计0分，'
        "单位对其中1项自评共2.00分※；其余10项得80.00分※（满分91分）。"
        "所需数据未填报的指标：绩效管理制度执行、采购管理。</p>" in page
    )


# --- indicator paragraphs --------------------------------------------------------------------


def test_indicator_headings_and_score_lines(complete):
    page = display.show_indicators(complete).data
    names = [s.indicator.name for s in complete.card.scores]
    assert re.findall(r"<h4>(.*?)</h4>", page) == [f"{n}.{x}" for n, x in enumerate(names, 1)]
    lines = re.findall(r'<p class="score-line">(.*?)</p>', page)
    assert len(lines) == 12
    assert lines[2] == (
        "得分：9.00分※（分值10.00分）。支出率93%※，低于95%标准2个百分点※，每个百分点扣0.5分，扣1分※。"
    )
    assert lines[11] == (
        "得分：3.00分（分值3.00分）。“三公”经费决算26.77万元，等于预算26.77万元，得满分。"
    )
    assert page.endswith(f"{FOOTNOTE}</div>")


def test_provenance_lists_every_input_with_its_hash(complete):
    page = display.show_provenance(complete).data
    assert page.startswith(
        '<footer class="selfeval provenance"><p>生成信息 / Provenance：selfeval 0.1.0，'
        "评分表 / framework <code>gd_township_2024</code>，单位 / unit <code>qianshan_2024</code>。"
        '输入文件 SHA-256（前12位，完整值见 .scores.json）：</p><ul class="hashes">'
    )
    rows = re.findall(r'<li>(\S+) <code title="([0-9a-f]{64})">([0-9a-f]{12})</code></li>', page)
    assert [(p, h) for p, h, _ in rows] == list(complete.unit.input_hashes)
    assert all(full.startswith(short) for _, full, short in rows)
    # the seven data files, the params file and the framework
    assert len(rows) == 9 and rows[-1][0] == "selfeval_lib/frameworks/gd_township_2024.yaml"
    assert page.endswith("</ul></footer>")


def test_the_example_page_states_what_it_does_not_know(example_params):
    r = load_report(EXAMPLE_PARAMS)
    page = display.show_warnings(r).data
    count = len(r.unit.not_stated())
    assert page.startswith(  # first the review notes, in the analyst's words
        '<div class="selfeval warnings"><p>审核提示（2条）：</p><ol>'
        "<li>产出指标5项中5项的方向、目标值未填报，无法判断完成情况。</li>"
        "<li>效益指标11项中11项的方向、目标值未填报，无法判断完成情况。</li></ol>"
        f"<p>以下{count}项数据未填报（资料未载明），"
        "报告中相应位置写作“未填报”，依赖这些数据的指标按评分表未填报规定计分：</p>"
        '<ol class="not-stated"><li>management.yaml: facts.monitoring_done</li>'
    )
    assert page.count("<li>") == 2 + len(group_places(r.unit.not_stated()))  # grouped by column


# --- tables: every cell with its figure, mark, 未填报 or 不适用 ---------------------------------


def _n(text: str, illustrative: bool = False) -> str:
    return f'<td><span class="num">{text}</span>{MARK if illustrative else ""}</td>'


def _t(*cells: str) -> str:
    return "".join(f"<td>{c}</td>" for c in cells)


def _table(headers: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join(f"<tr>{r}</tr>" for r in rows)
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


TARGET_HEADERS = ["指标", "计量单位", "方向", "目标值", "实际值", "增长率", "完成率"]
BUDGET_HEADERS = [
    "支出类型",
    "经济分类",
    "科目",
    "年初预算",
    "调整预算",
    "本年支出",
    "上年支出",
    "支出率",
]
BUDGET_NOTE = (
    '<p class="note">金额单位：万元。合计行为单位所列合计数（未列的为各行合计），'
    "与各行合计不一致的见数据核对提示。</p>"
)


def test_targets_table(complete):
    from selfeval_lib.report.tables import targets_part

    rows = [
        _t(name, "万元", "≥") + _n(goal, True) + _n(actual) + _n(growth) + _n("100%", True)
        for name, goal, actual, growth in (
            ("地区生产总值", "170000", "174477", "3.4%"),
            ("一般公共预算收入", "1650", "1712.3764", "9.49%"),
            ("农林牧渔业总产值", "132000", "135471", "4.0%"),
            ("规模以上工业增加值", "7200", "7415", "4.3%"),
            ("固定资产投资", "5000", "5085", ""),
        )
    ]
    assert targets_part(complete, "产出").html == _table(TARGET_HEADERS, rows)


def test_targets_table_not_stated(example_params):
    from selfeval_lib.report.tables import targets_part

    first = _t("地区生产总值", "万元", "未填报") + _n("未填报") + _n("174477") + _n("3.4%")
    assert targets_part(load_report(example_params), "产出").html.startswith(
        _table(TARGET_HEADERS, [first + _n("未填报")])[: -len("</tbody></table>")]
    )


def test_budget_table(complete):
    from selfeval_lib.report.tables import budget_part

    rows = [
        _t("基本支出", "人员经费", "工资福利支出及对个人和家庭的补助")
        + "".join(_n(x, True) for x in ("1,380.00", "1,420.00", "1,402.51", "1,298.40", "98.77%")),
        _t("基本支出", "公用经费", "商品和服务支出")
        + "".join(_n(x, True) for x in ("190.00", "200.00", "187.37", "183.88", "93.69%")),
        _t("项目支出", "项目支出", "项目支出")
        + _n("2,600.00", True)
        + _n("3,178.19", True)
        + _n("2,872.44")
        + _n("3,661.30")
        + _n("90.38%", True),
        _t("<strong>合计</strong>", "", "")
        + _n("4,170.00", True)
        + _n("4,798.19", True)
        + _n("4,462.32")  # the stated total: not marked
        + _n("5,143.58", True)
        + _n("93%", True),
    ]
    assert budget_part(complete).html == _table(BUDGET_HEADERS, rows) + BUDGET_NOTE


def test_budget_table_not_stated_and_not_applicable(unit_copy):
    from selfeval_lib.report.tables import budget_part

    data = _data(unit_copy)
    edit(data / "budget.csv", "基本支出,人员经费,", "基本支出,未填报,")
    edit(data / "budget.csv", "190.00,200.00,187.37", "190.00,0.00,187.37")
    for key in ("  total_expenditure: 4898.86", "  actual: 4462.32", "  basic: 1589.88"):
        edit(data / "unit.yaml", key, "")
    edit(data / "unit.yaml", "  project: 2872.44", "")
    table = budget_part(load_report(unit_copy)).html
    assert _t("基本支出", "未填报", "工资福利支出及对个人和家庭的补助") in table
    assert _n("0.00", True) + _n("187.37", True) + _n("183.88", True) + _n("不适用") in table
    # no total stated in unit.yaml: the note says only the unit
    assert table.endswith('</table><p class="note">金额单位：万元。</p>')


def test_sangong_table(complete):
    from selfeval_lib.report.tables import sangong_part

    zero = "".join(_n("0.00", True) for _ in range(3)) + _n("不适用")
    rows = [
        _t("因公出国（境）费") + zero,
        _t("公务用车购置费") + zero,
        _t("公务用车运行维护费")
        + "".join(_n(x, True) for x in ("21.35", "21.35", "22.10", "100%")),
        _t("公务接待费") + "".join(_n(x, True) for x in ("5.42", "5.42", "6.03", "100%")),
        _t("<strong>合计</strong>") + _n("26.77") + _n("26.77") + _n("28.13", True) + _n("100%"),
    ]
    assert sangong_part(complete).html == (
        _table(["“三公”经费", "预算", "决算", "上年决算", "执行率"], rows)
        + '<p class="note">金额单位：万元。</p>'
    )


def test_sangong_table_with_only_stated_totals_says_last_year_is_not_stated(unit_copy):
    """No sangong.csv rows, totals stated in unit.yaml: last year's 决算 was not given, so the
    合计 row says 未填报 there (it was an empty cell)."""
    from selfeval_lib.report.tables import sangong_part

    sangong = _data(unit_copy) / "sangong.csv"
    sangong.write_text(sangong.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    rows = [_t("<strong>合计</strong>") + _n("26.77") + _n("26.77") + _n("未填报") + _n("100%")]
    assert sangong_part(load_report(unit_copy)).html == (
        _table(["“三公”经费", "预算", "决算", "上年决算", "执行率"], rows)
        + '<p class="note">金额单位：万元。</p>'
    )


def test_each_indicator_paragraph_in_order_sentence_table_note_charts_score(complete):
    page = re.sub(r"base64,[^\"]+", "base64,", display.show_indicators(complete).data)
    sections = re.split(r"<h4>\d+\.[^<]*</h4>", page)[1:]
    charts = [re.findall(r"<figcaption>(.*?)</figcaption>", s) for s in sections]
    assert charts == [
        ["图2 主要经济指标及增长率"],
        [],
        ["图3 本年支出构成", "图4 基本支出与项目支出年度对比"],
        *[[]] * 8,
        ["图5 “三公”经费预算与决算"],
    ]
    spending = sections[2]
    order = [
        spending.index("<p>本年度部门用款计划执行表中，单位资金支出率为93%※"),
        spending.index('<table class="data">'),  # the budget table
        spending.index("<p>资金支出情况良好"),  # the unit's own words on this indicator
        spending.index("<figcaption>图3"),
        spending.index('<p class="score-line">得分：9.00分※（分值10.00分）。'),
    ]
    assert order == sorted(order)
    assert "<table" not in sections[4]  # a checklist has no table
    assert sections[4].startswith("<p>在预算编制工作中")  # only the unit's words, then the score


# --- the rarer cases of each block ---------------------------------------------------------------


def _plain(params):
    """Drop every ※ 示例数据 cell of the CSV files: the unit's figures, as stated."""
    data = _data(params)
    for name in ("budget.csv", "sangong.csv", "targets.csv", "self_scores.csv"):
        rows = (data / name).read_text(encoding="utf-8").splitlines()
        (data / name).write_text(
            "\n".join([rows[0], *(r.rsplit(",", 1)[0] + "," for r in rows[1:])]) + "\n",
            encoding="utf-8",
        )


def test_self_score_note_without_any_mark(unit_copy):
    _plain(unit_copy)
    page = display.show_result(load_report(unit_copy)).data
    assert (
        '<p class="note">“计算得分”为按评分表计算的得分，合计99.00分（优）；单位对3项指标'
        "（部门整体绩效目标产出完成情况、部门整体绩效目标效益完成情况、绩效管理制度执行）"
        "给出自评得分并说明理由，“得分”列采用自评得分，合计86.00分（良）。</p></div>"
    ) in page
    assert "※" not in page


def test_two_indicators_scored_nothing_for_want_of_data_are_both_named(unit_copy):
    facts = _data(unit_copy) / "management.yaml"
    edit(facts, "procurement_complaints: 0", "procurement_complaints: 未填报")
    edit(facts, "asset_inventories: 1", "asset_inventories: 未填报")
    page = display.show_result(load_report(unit_copy)).data
    assert (
        '<p class="note">合计79.00分※：12项指标中2项所需数据未填报，按评分表规定计0分；'
        "其余10项得79.00分※（满分93分）。所需数据未填报的指标：采购管理、资产管理。</p>" in page
    )


def test_synthetic_banner_on_the_cover(unit_copy):
    edit(
        _data(unit_copy) / "unit.yaml", "declared_grade: 良", "declared_grade: 良\nsynthetic: true"
    )
    assert display.show_cover(load_report(unit_copy)).data.startswith(
        '<div class="selfeval cover-block"><div class="banner">合成示例单位：本报告数据为程序生成的'
        "虚构数据，仅供演示与测试，不代表任何真实单位。</div>"
        '<h1 class="title">前山镇部门整体支出绩效自评报告</h1>'
    )


def test_team_text_of_three_paragraphs_splits_after_the_first(unit_copy):
    narrative = _data(unit_copy) / "narrative.md"
    text = narrative.read_text(encoding="utf-8")
    start = text.index("## 评价小组\n")
    end = text.index("\n## ", start + 3)
    narrative.write_text(
        text[:start] + "## 评价小组\n\n第一段。\n\n第二段。\n\n第三段。\n" + text[end:],
        encoding="utf-8",
    )
    page = display.show_team(load_report(unit_copy)).data
    assert page.startswith('<div class="selfeval block"><p>第一段。</p>\n<p>人员构成：')
    assert "成员。</p><p>第二段。</p>\n<p>第三段。</p>" in page


def test_two_warnings_are_two_items(unit_copy):
    data = _data(unit_copy)
    edit(data / "unit.yaml", "  in_service: 86 ", "  in_service: 120 ")
    edit(data / "unit.yaml", "total_expenditure: 4898.86", "total_expenditure: 4000")
    assert display.show_warnings(load_report(unit_copy)).data == (
        '<div class="selfeval warnings"><p>数据核对提示（2条），请填报单位核实：</p><ol>'
        "<li>unit.yaml 支出总计 4,000.00万元 小于本年支出 4,462.32万元，两者应满足 支出总计 ≥ 本年支出。"
        "</li><li>unit.yaml 年末在职人数 120人 超过核定编制 96人。</li></ol></div>"
    )


def test_provenance_rows_are_adjacent(complete):
    page = display.show_provenance(complete).data
    assert page.count("</code></li><li>") == 8


def test_a_chart_is_an_inline_png_with_its_caption_and_no_empty_note():
    from matplotlib.figure import Figure

    page = display.figure_html(Figure(figsize=(1, 1)), "图1 标题")
    assert re.fullmatch(
        r'<figure class="selfeval chart"><img alt="图1 标题" src="data:image/png;base64,'
        r'iVBORw0KGgo[A-Za-z0-9+/=]+"/><figcaption>图1 标题</figcaption></figure>',
        page,
    )


def test_totals_that_do_not_apply_say_so(unit_copy):
    from selfeval_lib.report.tables import budget_part, sangong_part

    data = _data(unit_copy)
    for old in ("1380.00,1420.00,", "190.00,200.00,", "2600.00,3178.19,"):
        edit(data / "budget.csv", old, old.split(",")[0] + ",0.00,")
    for line in ("公务用车运行维护费,21.35,21.35", "公务接待费,5.42,5.42"):
        edit(data / "sangong.csv", line, line.split(",")[0] + ",0.00,0.00")
    edit(data / "unit.yaml", "sangong_budget: 26.77", "sangong_budget: 0")
    edit(data / "unit.yaml", "sangong_actual: 26.77", "sangong_actual: 0")
    r = load_report(unit_copy)
    assert re.search(r"<strong>合计</strong>.*不适用</span></td></tr></tbody>", budget_part(r).html)
    assert sangong_part(r).html.endswith(
        _n("0.00")
        + _n("0.00")
        + _n("28.13", True)
        + _n("不适用")
        + '</tr></tbody></table><p class="note">金额单位：万元。</p>'
    )


LINKS = (
    "见[县财政局通知](http://evil.example/a)、<https://evil.example/b>、[附件][1]和 "
    "http://evil.example/d\n\n[1]: http://evil.example/c\n"
)


def _uris_in_pdf(pdf: bytes) -> int:
    """Link annotations (/URI) of a PDF, also inside its compressed object streams."""
    found = pdf.count(b"/URI")
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            found += zlib.decompress(stream[1]).count(b"/URI")
        except zlib.error:
            continue
    return found


@pytest.fixture
def linked(unit_copy):
    """The 其他自评情况 section of a unit whose text links to outside sites, as shown."""
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/narrative.md",
        "## 其他自评情况\n",
        "## 其他自评情况\n\n" + LINKS,
    )
    return show_text(load_report(unit_copy), "其他自评情况")


def test_links_in_a_units_text_are_text_in_the_html(linked):
    page = linked.data
    assert "<a" not in page and "href" not in page
    assert (
        "见[县财政局通知](http://evil.example/a)、&lt;https://evil.example/b&gt;、[附件][1]和 "
        "http://evil.example/d</p>\n<p>[1]: http://evil.example/c</p>" in page
    )


def test_links_in_a_units_text_are_text_in_the_word_report(linked):
    data = docx_bytes(linked.part.blocks)
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        xml = "".join(docx.read(n).decode("utf-8") for n in docx.namelist() if n.endswith("rels"))
        body = docx.read("word/document.xml").decode("utf-8")
    assert "hyperlink" not in xml and "hyperlink" not in body and "evil.example" not in xml
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert any(
        "[县财政局通知](http://evil.example/a)、<https://evil.example/b>" in t for t in texts
    )
    assert "[1]: http://evil.example/c" in texts


def test_links_in_a_units_text_are_not_links_in_the_pdf(linked):
    """The PDF is made from the HTML report; a link there would be a /URI annotation."""
    try:
        control = pdf_bytes('<p><a href="http://evil.example/a">a</a></p>')
    except RunError as exc:  # WeasyPrint needs Debian's pango
        skip_unless_required("SELFEVAL_REQUIRE_PDF", f"{exc}: apt-get install libpango-1.0-0")
    assert _uris_in_pdf(control) > 0  # a real link is seen by this check
    assert _uris_in_pdf(pdf_bytes(f"<html><body>{linked.data}</body></html>")) == 0


def test_the_footnote_only_under_a_part_that_prints_a_mark(unit_copy):
    """A ※ on a figure no part prints (a target's 上年值 beside its stated 增长率) brings no ※
    footnote; a part that prints ※ has it."""
    data = _without_marks(unit_copy)
    edit(data / "targets.csv", "≥,170000,174477,,3.4,", "≥,170000,174477,168741,3.4,上年值")
    r = load_report(unit_copy)
    assert r.unit.targets[0].illustrative == ("上年值",)
    for shown in (display.show_result(r), display.show_indicators(r)):
        assert "※" not in shown.data and FOOTNOTE not in shown.data
    assert display.show_indicators(load_report(EXAMPLE_PARAMS)).data.endswith(f"{FOOTNOTE}</div>")


def test_the_last_cells_output_carries_the_one_result_to_the_runner_unchanged():
    """show_scores_data, the report notebook's last cell, is how the kernel's one computation
    reaches the runner: scores.json's record, the 评分表/数据表 workbook and both 自评表 files,
    each read back (as the runner reads an executed notebook) as what this Report makes."""
    import json

    import nbformat

    from selfeval_lib.evaluate.form import compute_form
    from selfeval_lib.report.export import extract_forms, extract_scores, extract_workbook
    from selfeval_lib.report.form import form_docx_bytes, form_xlsx_bytes
    from selfeval_lib.report.scoresheet import scoresheet_bytes

    r = load_report(EXAMPLE_PARAMS)
    bundle = display.show_scores_data(r)._repr_mimebundle_()
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "sel.show_scores_data(r)",
                outputs=[nbformat.v4.new_output("display_data", data=bundle)],
            )
        ]
    )
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # as written to and read from disk
    record = r.scores_record()
    assert extract_scores(nb) == record
    assert (record["grade"], record["total"]) == ("良", 86.0)  # as the example's report shows
    assert extract_workbook(nb) == scoresheet_bytes(r)
    figures = compute_form(r.unit, r.indicators, r.card)
    assert extract_forms(nb) == {
        "form_xlsx": form_xlsx_bytes(r, figures),
        "form_docx": form_docx_bytes(r, figures),
    }
    assert bundle["text/plain"] == json.dumps(record, ensure_ascii=False)[:200]


def test_the_last_cell_computes_the_forms_figures_once_for_both_files(monkeypatch):
    """The 自评表's figures are computed once and written into both its .xlsx and .docx (one
    computation per unit), not once per file."""
    from selfeval_lib.evaluate import form as evaluate_form
    from selfeval_lib.report import form as report_form

    calls = []

    def counted(*args):
        calls.append(args)
        return evaluate_form.compute_form(*args)

    monkeypatch.setattr(display, "compute_form", counted)
    monkeypatch.setattr(report_form, "compute_form", counted)
    display.show_scores_data(load_report(EXAMPLE_PARAMS))
    assert len(calls) == 1


def test_a_chart_that_would_compare_one_thing_with_nothing_is_left_out_with_a_sentence():
    """The example states one year's 基本支出/项目支出 and only the 三公 total: no 年度对比 of one
    year and no 预算与决算 chart of one category, a sentence in their place and no figure number."""
    report = load_report(EXAMPLE_PARAMS)
    year_on_year, sangong = show_chart(report, "year_on_year"), show_chart(report, "sangong")
    assert year_on_year.part.html == (
        '<p class="note">2023年基本支出与项目支出未填报，仅有2024年数，不绘年度对比图。</p>'
    )
    assert sangong.part.html == (
        '<p class="note">“三公”经费仅列合计数，预算与决算见上表，不绘对比图。</p>'
    )
    assert [b["kind"] for b in sangong.part.blocks] == ["paragraph"]
    assert display.figure_numbers(report) == {"scores": 1, "economy": 2, "structure": 3}


def test_a_unit_with_both_years_and_every_sangong_item_keeps_both_charts():
    r = load_report(COMPLETE_PARAMS)
    assert list(display.figure_numbers(r)) == [
        "scores", "economy", "structure", "year_on_year", "sangong"
    ]  # fmt: skip
    assert show_chart(r, "sangong").part.blocks[0]["caption"] == "图5 “三公”经费预算与决算"


def test_a_chart_is_the_same_png_caption_and_note_in_the_page_and_in_the_word_file():
    """The scores chart of the example: its note (what is 未填报, and the ※ of its score) under
    the numbered caption in the page, and the Word file's figure block with the very same PNG."""
    import base64

    r = load_report(EXAMPLE_PARAMS)
    part = show_chart(r, "scores").part
    note = (
        "12项指标中3项所需数据未填报，按评分表规定计0分，单位对其自评共42.00分※；其余9项得44.00分"
        "（满分45分）。※ 该得分含示例数据"
    )
    (block,) = part.blocks
    assert block == {
        "kind": "figure",
        "png": block["png"],
        "caption": "图1 各指标得分与分值",
        "note": note,
    }
    assert base64.b64decode(block["png"]).startswith(b"\x89PNG\r\n")
    assert part.html == (
        '<figure class="selfeval chart"><img alt="图1 各指标得分与分值" '
        f'src="data:image/png;base64,{block["png"]}"/><figcaption>图1 各指标得分与分值'
        f'<span class="chart-note">（{html.escape(note)}）</span></figcaption></figure>'
    )


@pytest.mark.parametrize(
    "said", [{"重点工作": "未填报", "单位职能": " 未填报 "}, {}], ids=["written", "absent"]
)
def test_a_section_and_the_functions_the_unit_left_unsaid_read_as_not_stated(said):
    """重点工作 and 单位职能 written as 未填报, or left out: the page says so in one sentence each,
    never prints 未填报 as if it were the unit's text (and never fails on the missing section)."""
    from dataclasses import replace

    r = load_report(EXAMPLE_PARAMS)
    kept = {k: v for k, v in r.unit.narrative.items() if k not in ("重点工作", "单位职能")}
    shown = replace(r, unit=replace(r.unit, narrative={**kept, **said}))
    assert visible_text(display.show_text(shown, "重点工作").data).strip() == "重点工作未填报。"
    (functions,) = display.functions_part(shown)
    assert visible_text(functions.html) == "单位主要职能未填报。"
    assert [b["runs"][0]["text"] for b in functions.blocks] == ["单位主要职能未填报。"]
