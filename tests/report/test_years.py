"""Last year beside this year in what a reader opens: scores.json, the 评分表 workbook and 自评结果."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval_lib.report.content import load_report
from selfeval_lib.report.display import show_progress, show_result
from selfeval_lib.report.overview import load_overview, of_county, show_ranking
from selfeval_lib.report.overview_frame import export_summary_xlsx
from selfeval_lib.report.progress import numbered_items
from selfeval_lib.report.scoresheet import scoresheet_bytes

from ..conftest import EXAMPLE_PARAMS
from .test_overview import ranking_rows, text

YEARS = Path(__file__).resolve().parent.parent / "data" / "years"


def _write(folder: Path, record: dict) -> None:
    """A unit's scores.json and report as `selfeval run` leaves them in a year folder."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, ensure_ascii=False)
    (folder / f"{record['unit_id']}.scores.json").write_text(text, encoding="utf-8")
    (folder / f"{record['unit_id']}.html").write_text("<html></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """reports/2023, 2024, 2025 of 和岗镇 (hexi, one unit over three years), and in 2025 a unit
    with no earlier year on file (白石镇, solo_2025)."""
    root = tmp_path_factory.mktemp("county") / "reports"
    for year in (2023, 2024, 2025):
        record = load_report(YEARS / f"params/hexi_{year}.yaml").scores_record()
        _write(root / str(year), record)
    solo = {**record, "unit_id": "solo_2025", "unit_name": "示例县白石镇人民政府"}
    del solo["previous_year"]
    _write(root / "2025", solo)
    return root


def test_scores_json_has_last_years_score_per_indicator_and_in_total():
    record = load_report(YEARS / "params/hexi_2024.yaml").scores_record()
    rate = next(i for i in record["indicators"] if i["id"] == "spending_rate")
    assert (rate["score"], rate["previous_score"], rate["previous_rescored"], rate["change"]) == (
        10.0, 12.0, 10.0, 0.0,
    )  # fmt: skip
    cost = next(i for i in record["indicators"] if i["id"] == "running_cost")
    assert (cost["previous_score"], cost["previous_rescored"]) == (None, 3.0)  # new in 2024
    last = record["previous_year"]
    assert (last["year"], last["framework"], last["total"], last["grade"]) == (
        2023, "years_test_2023", 97.38, "优",
    )  # fmt: skip
    assert (last["rescored_total"], last["rescored_grade"]) == (97.33, "优")
    assert last["change"] == -0.91  # 96.42 − 97.33: like with like
    assert record["total"] == 96.42
    assert last["framework_changes"][-1] == "等级“良”由≥85.00分调整为≥80.00分"
    assert len(last["taken"]) == 10  # 1 budget line, 1 三公 item, 8 targets


def test_without_last_year_scores_json_has_no_previous_keys():
    record = load_report(EXAMPLE_PARAMS).scores_record()
    assert "previous_year" not in record
    assert not any("previous_score" in i for i in record["indicators"])


def test_the_workbook_shows_last_years_scores_beside_this_years():
    book = load_workbook(BytesIO(scoresheet_bytes(load_report(YEARS / "params/hexi_2024.yaml"))))
    rows = list(book["评分表"].iter_rows(min_row=3, values_only=True))
    assert rows[0][10:] == ("上年得分", "上年得分（按本年评分表）", "变化")
    by_name = {r[2]: r for r in rows[1:13]}
    assert by_name["部门预算资金支出率"][10:] == (12, 10, 0)
    assert by_name["运行成本"][10:] == (None, 3, 0)
    assert rows[13][0] == "合计" and rows[13][8] == 96.42 and rows[13][10:12] == (97.38, 97.33)
    assert round(rows[13][12], 2) == -0.91
    assert rows[14][0] == "等级" and rows[14][10:12] == ("优", "优")


def test_the_result_section_states_last_year_and_lists_the_framework_changes():
    html = show_result(load_report(YEARS / "params/hexi_2024.yaml")).part.html
    text = re.sub(r"<[^>]+>", " ", html)
    assert (
        "上年（2023年）按当年评分表（years_test_2023）得分97.38分，等级“优”；上年数据按本年评分表"
        "重新评分为97.33分，等级“优”，本年与之比较，本年得分较上年减少0.91分。"
    ) in text
    assert "评分表较上年变化（years_test_2023 → gd_township_2024）：" in text
    assert "删除指标“编制使用”（上年分值3.00分）" in text
    assert "上年得分（按本年评分表）" in html
    example = show_result(load_report(EXAMPLE_PARAMS)).part.html
    assert "上年得分" not in example and "评分表较上年变化" not in example


def test_the_overview_has_last_years_score_grade_and_change_and_every_earlier_year(reports):
    frame = load_overview(reports / "2025")
    history = ["上年得分", "上年等级", "变化", "2023得分", "2023等级", "2024得分", "2024等级"]
    assert frame.loc["hexi_2025", history].tolist() == [96.42, "优", -0.4, 97.38, "优", 96.42, "优"]
    assert frame.loc["solo_2025", history].isna().all()  # no earlier year on file
    marks = frame.attrs["标注"]
    assert [marks["solo_2025"][c] for c in history] == ["不适用"] * 7
    assert [marks["hexi_2025"][c] for c in history if c in marks["hexi_2025"]] == [""] * 6
    # the earlier years' scores files are what the columns were read from
    files = [f for f, _ in frame.attrs["overview"].inputs]
    assert files == [
        "hexi_2025.scores.json",
        "solo_2025.scores.json",
        "../2023/hexi_2023.scores.json",
        "../2024/hexi_2024.scores.json",
    ]
    # a county's own overview keeps the earlier years' files its units' columns were read from
    assert [f for f, _ in of_county(frame.attrs["overview"], "示例县").inputs] == files
    # 2024's overview: last year is 2023, re-scored under 2024's framework for 变化
    before = load_overview(reports / "2024")
    assert before.loc["hexi_2024", history[:5]].tolist() == [97.38, "优", -0.91, 97.38, "优"]
    assert "2024得分" not in before.columns


def test_summary_xlsx_and_the_ranking_show_the_years_beside_the_grade(reports):
    frame = load_overview(reports / "2025")
    rows = list(load_workbook(BytesIO(export_summary_xlsx(frame))).active.values)
    assert rows[0][5:15] == (
        "自评总分", "等级", "上年得分", "上年等级", "变化",
        "2023得分", "2023等级", "2024得分", "2024等级", "数据未填报的指标(项)",
    )  # fmt: skip
    assert rows[1][5:14] == (96.02, "优", 96.42, "优", -0.4, 97.38, "优", 96.42, "优")
    assert rows[2][7:14] == ("不适用",) * 7
    page = show_ranking(frame).data
    assert [r[3:8] for r in ranking_rows(page)] == [
        ["96.02", "优", "96.42", "优", "-0.40"],
        ["96.02", "优", "不适用", "不适用", "不适用"],
    ]
    assert "“变化”为本年得分减上年数据按本年评分表重新评分的得分" in page
    # a year with no unit of an earlier year on file has none of these columns
    alone = load_overview(reports / "2023")
    assert "上年得分" not in show_ranking(alone).data
    header = next(load_workbook(BytesIO(export_summary_xlsx(alone))).active.values)
    assert "上年得分" not in header and "2023得分" not in header


def test_the_years_page_shows_each_units_grade_and_score_per_year_on_file(reports, tmp_path):
    from selfeval_lib.runs.batch import update_years_page

    said = []
    update_years_page(reports, said.append)
    page = (reports / "years.html").read_text(encoding="utf-8")
    assert said == [f"✓ 历年等级 / grades over the years -> {reports / 'years.html'}"]
    rows = [
        [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1].split("</tbody>")[0])
    ]
    assert rows == [
        ["示例县和岗镇人民政府（合成示例）", "示例县", "优 97.38", "优 96.42", "优 96.02"],
        ["示例县白石镇人民政府（合成示例）", "示例县", "—", "—", "优 96.02"],
    ]  # one row for 和岗镇 over three years, linked by its data, not by its name
    assert '<a href="2023/hexi_2023.html">' in page and '<a href="2025/solo_2025.html">' in page
    assert "<title>2023—2025年度部门整体支出绩效自评等级</title>" in page
    assert "2024/hexi_2024.scores.json" in page  # provenance: the files it was read from
    assert "http" not in page and "<script" not in page and "src=" not in page  # offline
    assert update_years_page(reports, said.append) is None
    assert (reports / "years.html").read_text(encoding="utf-8") == page  # the same bytes
    assert len(said) == 1  # unchanged: not written again, and the log says nothing
    # the 2025 overview links the page
    assert (
        '<a href="../years.html">历年自评等级</a>'
        in show_ranking(load_overview(reports / "2025")).data
    )
    # a name from a data file is escaped; a single year gets no page
    hostile = {**json.loads((reports / "2023/hexi_2023.scores.json").read_text(encoding="utf-8"))}
    hostile |= {"unit_name": "<b>镇</b>", "unit_id": "other_2024", "year": 2024}
    _write(tmp_path / "one/2024", hostile)
    assert update_years_page(tmp_path / "one", said.append) is None
    assert not (tmp_path / "one/years.html").exists()
    _write(tmp_path / "one/2023", {**hostile, "unit_id": "other_2023", "year": 2023})
    update_years_page(tmp_path / "one", said.append)
    two = (tmp_path / "one/years.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;镇&lt;/b&gt;" in two and "<b>" not in two


def _progress_rows(shown) -> list[list[str]]:
    return [
        [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)]
        for tr in re.findall(r"<tr>(.*?)</tr>", shown.data, flags=re.S)
        if "<td" in tr
    ]


def test_last_years_problems_and_measures_are_the_list_this_year_reports_progress_against():
    r = load_report(YEARS / "params/hexi_2024.yaml")
    shown = show_progress(r)
    assert "<h3>（六）上年存在问题整改情况</h3>" in shown.data
    assert (
        "上年（2023年）自评报告所列存在问题及改进措施如下，本年整改情况为单位在"
        "“上年存在问题整改情况”中的填报："
    ) in text(shown.data)
    assert _progress_rows(shown) == [
        [
            "1",
            "绩效目标量化不足：部分效益目标缺乏可衡量的量化标准。",
            "细化绩效目标：加强培训，提高绩效目标的可衡量性。",
            "已为全部效益目标设定量化标准，并在年中复核。",
        ],
        [
            "2",
            "预算执行进度偏慢：上半年项目支出进度低于序时进度。",
            "加快预算执行：按月通报项目支出进度，督促项目单位加快实施。",
            "未填报",  # the unit states no progress on it: never invented
        ],
    ]
    table = next(b for b in shown.part.blocks if b["kind"] == "table")  # Word and PDF too
    assert table["header"] == ["序号", "上年存在问题", "上年改进措施", "本年整改情况"]
    assert shown.part.blocks[0] == {
        "kind": "heading",
        "level": 2,
        "text": "（六）上年存在问题整改情况",
    }


def test_progress_not_stated_or_in_one_text_and_no_list_without_last_year():
    later = load_report(YEARS / "params/hexi_2025.yaml")  # states no progress at all
    shown = show_progress(later)
    assert [row[3] for row in _progress_rows(shown)] == ["未填报"]
    assert "单位未填报上年问题整改情况。" in text(shown.data)
    said = {**later.unit.narrative, "上年存在问题整改情况": "各项问题均已整改到位。"}
    whole = show_progress(replace(later, unit=replace(later.unit, narrative=said)))
    assert _progress_rows(whole) == [
        ["1", "绩效目标量化不足：部分效益目标缺乏可衡量的量化标准。", "细化绩效目标：加强培训，提高绩效目标的可衡量性。"]
    ]  # fmt: skip
    assert "本年整改情况：各项问题均已整改到位。" in text(whole.data)
    assert show_progress(load_report(EXAMPLE_PARAMS)) is None  # no last year, no section
    first = load_report(YEARS / "params/hexi_2023.yaml")
    unsaid = {**first.unit.narrative, "上年存在问题整改情况": "未填报"}
    assert show_progress(replace(first, unit=replace(first.unit, narrative=unsaid))) is None
    own = {**first.unit.narrative, "上年存在问题整改情况": "**1.整改**\n\n已完成。"}
    alone = show_progress(replace(first, unit=replace(first.unit, narrative=own)))
    assert "<strong>1.整改</strong>" in alone.data and "<table" not in alone.data  # as written


def test_numbered_items_read_the_ways_a_clerk_numbers_them():
    assert numbered_items("（1）甲\n（2）乙；\n丙") == {1: "甲", 2: "乙；丙"}
    assert numbered_items("1、甲\n\n2、乙") == {1: "甲", 2: "乙"}
    assert numbered_items("- 1. 甲\n- 2. 乙") == {1: "甲", 2: "乙"}
    assert numbered_items("说明\n\n**1.标题**\n\n正文。") == {1: "标题：正文。"}
    assert numbered_items("没有编号的整段\n第二行") == {0: "没有编号的整段 第二行"}
    assert numbered_items("未填报") == {} and numbered_items("  ") == {}


def _scores(folder: Path, unit_id: str) -> dict:
    return json.loads((folder / f"{unit_id}.scores.json").read_text(encoding="utf-8"))


def test_the_ranking_heads_the_last_year_columns_and_explains_them(reports, tmp_path):
    page = show_ranking(load_overview(reports / "2025")).data
    head = re.findall(r"<th\b[^>]*>(.*?)</th>", page.split("<tbody>")[0])
    assert head == [
        "排名", "单位", "县（区）", "自评总分", "等级", "上年得分", "上年等级", "变化",
        "数据未填报的指标", "支出率", "未填报(项)", "数据核对提示", "自评表",
    ]  # fmt: skip
    notes = re.findall(r'<p class="note">(.*?)</p>', page, flags=re.S)
    assert len(notes) == 2 and notes[0].startswith("“未填报”为单位注明资料未载明的数据项数")
    assert notes[1] == (
        "“上年得分”“上年等级”为上年数据按上年评分表的得分与等级；评分表两年不同时，“变化”为本年得分"
        "减上年数据按本年评分表重新评分的得分（口径一致），详见各单位报告“自评结果”；“不适用”为没有"
        '该单位上年数据。各单位历年等级见<a href="../years.html">历年自评等级</a>。'
    )
    # last year's scores file is not on file (only the link scores.json keeps): no years page
    _write(tmp_path / "2024", _scores(reports / "2024", "hexi_2024"))
    alone = show_ranking(load_overview(tmp_path / "2024")).data
    assert "上年得分</th>" in alone and "years.html" not in alone
    assert re.findall(r'<p class="note">(.*?)</p>', alone, flags=re.S)[1].endswith(
        "“不适用”为没有该单位上年数据。"
    )


def test_last_and_earlier_years_resting_on_illustrative_values_carry_the_mark(reports, tmp_path):
    """※ beside 上年得分 where last year's total rests on illustrative values, beside 变化 where
    either year's does, and beside an earlier year's 得分 (never its 等级) filed so: in 标注,
    in summary.xlsx's number formats (the cell stays a number) and in the ranking's cells."""
    root = tmp_path / "reports"
    _write(root / "2023", {**_scores(reports / "2023", "hexi_2023"), "illustrative": True})
    hexi = _scores(reports / "2024", "hexi_2024")
    hexi["previous_year"] = {**hexi["previous_year"], "illustrative": True}
    _write(root / "2024", hexi)
    own = {**hexi, "unit_id": "own_2024", "unit_name": "示例县白石镇人民政府", "illustrative": True}
    own["previous_year"] = {
        **hexi["previous_year"], "illustrative": False, "unit_id": "gone", "total": 97.4,
    }  # fmt: skip
    _write(root / "2024", own)
    frame = load_overview(root / "2024")
    marks = frame.attrs["标注"]
    history = ["上年得分", "变化", "2023得分", "2023等级"]
    assert [marks["hexi_2024"][c] for c in history] == ["※", "※", "※", ""]
    assert [marks["own_2024"][c] for c in history] == ["", "※", "", ""]
    sheet = load_workbook(BytesIO(export_summary_xlsx(frame))).active
    header = [c.value for c in sheet[1]]
    rows = {r[2].value: {h: c for h, c in zip(header, r, strict=True)} for r in sheet.iter_rows(2)}
    formats = {u: [rows[u][c].number_format for c in history] for u in rows}
    assert formats == {
        "hexi_2024": ['0.00"※"', '0.00"※"', '0.00"※"', "General"],
        "own_2024": ["0.00", '0.00"※"', "0.00", "General"],
    }
    # the ranking: 上年得分 and 上年等级 marked by last year's values alone, 变化 by either year's;
    # each number sorts by its own value (data-v), printed with two decimals
    page = show_ranking(frame).data
    assert {r[1]: r[5:8] for r in ranking_rows(page)} == {
        "示例县和岗镇人民政府（合成示例）": ["97.38※", "优※", "-0.91※"],
        "示例县白石镇人民政府（合成示例）": ["97.40", "优", "-0.91※"],
    }
    sort_values = [re.findall(r'data-v="([^"]*)"', tr) for tr in page.split("<tr>")[2:]]
    assert [v[2:4] for v in sort_values] == [["97.38", "-0.91"], ["97.40", "-0.91"]]
