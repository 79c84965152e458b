"""The county overview (report/overview.py, overview_frame.py): which units it lists and in what
order, the counts and notes it prints, each figure's text, its warnings, charts' captions and
pages, and summary.xlsx — from reports/<year>/*.scores.json as `selfeval run` writes them."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from pathlib import Path
from types import NoneType

import pandas as pd
import pytest
from matplotlib.figure import Figure

from selfeval_lib.report import overview
from selfeval_lib.report.overview import (
    figure_text,
    heatmap_legend,
    load_overview,
    read_overview,
    show_overview_chart,
    show_overview_provenance,
    show_overview_title,
    show_overview_warnings,
    show_ranking,
)
from selfeval_lib.report.overview_frame import (
    INDICATOR_WIDTH,
    RANKING,
    SUMMARY_WIDTHS,
    export_summary_xlsx,
    summary_rows,
)

BANDS = [{"grade": "优", "min": 90.0}, {"grade": "良", "min": 80.0}, {"grade": "中", "min": 60.0}]
BANDS.append({"grade": "差", "min": 0.0})


def record(unit_id: str, total: float, **fields) -> dict:
    """A unit's .scores.json record with the keys the overview reads (two indicators)."""
    grade = next(b["grade"] for b in BANDS if total >= b["min"])
    return {
        "unit_id": unit_id,
        "year": 2024,
        "unit_name": f"{unit_id}镇人民政府",
        "county": "徐闻县",
        "synthetic": False,
        "framework": "gd",
        "framework_name": "广东乡镇",
        "outside_framework": "",
        "indicators": [
            {"name": "预算执行", "weight": 20.0, "score": 20.0, "illustrative": False},
            {"name": "三公控制", "weight": 10.0, "score": 7.5, "illustrative": False},
        ],
        "total": total,
        "grade": grade,
        "illustrative": False,
        "grade_bands": BANDS,
        "spending_rate": 93.0,
        "sangong_budget": 12.0,
        "sangong_actual": 10.5,
        "figure_status": {"spending_rate": "", "sangong_budget": "", "sangong_actual": ""},
        "not_stated": [],
        "warnings": [],
        **fields,
    }


def year_folder(tmp_path: Path, *records: dict, run: dict | None = None) -> Path:
    """reports/2024 holding these records (and run.json's unit statuses, if given)."""
    folder = tmp_path / "reports" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    for r in records:
        text = json.dumps(r, ensure_ascii=False)
        (folder / f"{r['unit_id']}.scores.json").write_text(text, encoding="utf-8")
        (folder / f"{r['unit_id']}.html").write_text("<html></html>", encoding="utf-8")  # ranked
    if run is not None:
        (folder / "run.json").write_text(json.dumps({"units": run}), encoding="utf-8")
    return folder


def text(fragment: str) -> str:
    """An HTML fragment's text as a reader sees it (tags dropped, entities read)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def ranking_rows(page: str) -> list[list[str]]:
    """Each ranking table's body rows as a reader sees them (one list of cells per row)."""
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
        if cells:
            rows.append([text(c) for c in cells])
    return rows


# --- which units, in what order: read_overview / load_overview ------------------------------------


def test_units_rank_by_total_then_unit_id_and_each_file_is_hashed(tmp_path):
    folder = year_folder(tmp_path, record("b", 85.0), record("a", 85.0), record("c", 91.5))
    o = read_overview(folder)
    assert [u["unit_id"] for u in o.units] == ["c", "a", "b"]  # a tie: by unit id
    assert o.year == 2024 and o.problems == ()
    files = sorted(folder.glob("*.scores.json"))
    assert o.inputs == tuple((f.name, hashlib.sha256(f.read_bytes()).hexdigest()) for f in files)
    assert [u["stale"] for u in o.units] == [False, False, False]  # no run.json: none failed


def test_the_year_comes_from_the_folder_else_from_the_records(tmp_path):
    folder = tmp_path / "scores"
    folder.mkdir()
    (folder / "a.scores.json").write_text(json.dumps(record("a", 90.0, year=2023)), "utf-8")
    (folder / "a.html").write_text("<html></html>", encoding="utf-8")
    assert read_overview(folder).year == 2023  # not a year folder: the records say
    assert read_overview(folder, 2021).year == 2021  # the caller says
    empty = tmp_path / "none"
    empty.mkdir()
    assert read_overview(empty).year == 0 and read_overview(empty).units == ()
    assert read_overview(year_folder(tmp_path)).year == 2024  # reports/2024, still empty


def test_load_overview_reads_the_year_folder_either_way(tmp_path, monkeypatch):
    year_folder(tmp_path, record("a", 90.0), record("b", 70.0))
    monkeypatch.chdir(tmp_path)
    both = load_overview("reports", 2024), load_overview("reports/2024")
    assert [list(f.index) for f in both] == [["a", "b"], ["a", "b"]]
    assert both[0].attrs["year"] == both[1].attrs["year"] == 2024


def test_load_overview_of_a_prepared_overview_shows_those_units_without_reading_the_folder(
    tmp_path,
):
    """`selfeval run` gives each page of a province's overview its own units (of_county) in a
    prepared file: load_overview shows those, whatever the folder holds."""
    folder = year_folder(tmp_path, record("a", 90.0), record("b", 70.0, county="遂溪县"))
    prepared = tmp_path / "b.pickle"
    overview.write_prepared(overview.of_county(read_overview(folder), "遂溪县"), prepared)
    (folder / "b.scores.json").unlink()
    frame = load_overview(tmp_path / "elsewhere", prepared=str(prepared))
    assert list(frame.index) == ["b"] and frame.loc["b", "县（区）"] == "遂溪县"
    assert frame.attrs["overview"].county == "遂溪县"


def test_an_unreadable_or_removed_unit_is_left_out_and_said(tmp_path):
    params = tmp_path / "kept.yaml"
    params.write_text("unit_id: a\n", encoding="utf-8")
    run = {
        "a": {"status": "failed", "params_file": str(params)},
        "gone": {"status": "ok", "params_file": str(tmp_path / "removed.yaml")},
        "b": {"status": "invalid"},
        "c": {"status": "interrupted"},
        "d": {"status": "ok"},
        "nameless": {"status": "ok", "params_file": str(tmp_path / "removed.yaml")},
    }
    records = [record(u, 80.0 + n) for n, u in enumerate(("a", "gone", "b", "c", "d"))]
    records.append({k: v for k, v in record("nameless", 70.0).items() if k != "unit_name"})
    folder = year_folder(tmp_path, *records, run=run)
    (folder / "broken.scores.json").write_text("{not json", encoding="utf-8")
    (folder / "nototal.scores.json").write_text(json.dumps({"unit_id": "x"}), encoding="utf-8")
    year_folder(tmp_path, record("e", 99.0))
    (folder / "e.html").unlink()  # its report is gone: never ranked with a dead link
    o = read_overview(folder)
    assert [(u["unit_id"], u["stale"]) for u in o.units] == [
        ("d", False),
        ("c", True),
        ("b", True),
        ("a", True),
    ]
    assert [f for f, _ in o.inputs] == [
        "a.scores.json",
        "b.scores.json",
        "c.scores.json",
        "d.scores.json",
    ]
    assert o.problems[0].startswith(
        "broken.scores.json 无法读取，未列入汇总 / unreadable, left out: "
    )
    assert o.problems[1] == (
        "e.scores.json: 没有对应的报告 e.html，未列入汇总 / its report e.html is not there: left"
        " out of the overview"
    )
    assert o.problems[2] == (
        "gone镇人民政府（gone）的 params 文件已删除，未列入汇总"
        " / its params file was removed: left out of the overview (gone.scores.json is kept)"
    )
    assert o.problems[3] == (
        "（nameless）的 params 文件已删除，未列入汇总"
        " / its params file was removed: left out of the overview (nameless.scores.json is kept)"
    )
    assert (
        o.problems[4] == "nototal.scores.json 无法读取，未列入汇总 / unreadable, left out: 'total'"
    )
    page = show_overview_warnings(o).data
    assert [text(li) for li in re.findall(r"<li>(.*?)</li>", page)] == [text(p) for p in o.problems]


def test_a_run_json_without_units_means_no_unit_failed(tmp_path):
    folder = year_folder(tmp_path, record("a", 90.0))
    (folder / "run.json").write_text(json.dumps({"started": "x"}), encoding="utf-8")
    assert read_overview(folder).units[0]["stale"] is False


# --- what the page says ---------------------------------------------------------------------------


def test_the_title_counts_the_units_and_the_synthetic_ones(tmp_path):
    o = read_overview(year_folder(tmp_path, record("a", 90.0), record("b", 80.0)))
    assert show_overview_title(o).data == (
        '<h1 class="title">2024年度部门整体支出绩效自评汇总</h1>'
        "<p>本汇总收录2个单位的自评结果，按自评总分排序。</p>"
    )
    synthetic = [record(u, 80.0, synthetic=True) for u in ("c", "d")]
    year_folder(tmp_path, *synthetic)
    assert show_overview_title(load_overview(tmp_path / "reports/2024")).data == (
        '<h1 class="title">2024年度部门整体支出绩效自评汇总</h1>'
        "<p>本汇总收录4个单位的自评结果，按自评总分排序。</p>"
        '<div class="banner">其中2个为合成示例单位（程序生成的虚构数据），仅供演示，不代表任何真实单位。</div>'
    )


def test_the_ranking_ranks_within_each_framework_and_counts_the_grades(tmp_path):
    other = {"framework": "pee", "framework_name": "计划执行效果"}
    records = [
        record("a", 92.0, not_stated=["x", "y"], warnings=["w1"]),
        record(
            "b", 85.0, county=None, spending_rate=None, figure_status={"spending_rate": "未填报"}
        ),
        record("c", 88.0, **other, illustrative=True, warnings=["w1", "w2", "w3"]),
        record("d", 70.0, framework="pee"),
        record("e", 40.0),
        record("f", 50.0, framework="zz", framework_name=""),
    ]
    page = show_ranking(read_overview(year_folder(tmp_path, *records))).data
    assert page.startswith("<p>等级分布：优1个，良2个，中1个，差2个。</p>")
    assert re.findall(r"<p>(评分表：.*?)</p>", page) == [
        "评分表：广东乡镇（gd），3个单位，按自评总分排序：",
        "评分表：计划执行效果（pee），2个单位，按自评总分排序：",
        "评分表：zz（zz），1个单位，按自评总分排序：",
    ]
    rows = [
        ["1", "a镇人民政府", "徐闻县", "92.00", "优", "—", "93.00%", "2", "1", "—"],
        ["2", "b镇人民政府", "未填报", "85.00", "良", "—", "未填报", "0", "0", "—"],
        ["3", "e镇人民政府", "徐闻县", "40.00", "差", "—", "93.00%", "0", "0", "—"],
        ["1", "c镇人民政府", "徐闻县", "88.00※", "良※", "—", "93.00%", "0", "3", "—"],
        ["2", "d镇人民政府", "徐闻县", "70.00", "中", "—", "93.00%", "0", "0", "—"],
        ["1", "f镇人民政府", "徐闻县", "50.00", "差", "—", "93.00%", "0", "0", "—"],
    ]
    assert ranking_rows(page) == rows
    # the page as a reader sees it: each caption, its table's header and rows, nothing between
    header = "排名单位县（区）自评总分等级数据未填报的指标支出率未填报(项)数据核对提示自评表"
    tables = ["".join(cells) for cells in rows]
    assert text(page) == (
        "等级分布：优1个，良2个，中1个，差2个。"
        f"评分表：广东乡镇（gd），3个单位，按自评总分排序：{header}{''.join(tables[:3])}"
        f"评分表：计划执行效果（pee），2个单位，按自评总分排序：{header}{''.join(tables[3:5])}"
        f"评分表：zz（zz），1个单位，按自评总分排序：{header}{tables[5]}"
        "※ 总分含示例数据（参考资料未载明的数）。“未填报”为单位注明资料未载明的数据项数，"
        "依赖这些数据的指标按评分表未填报规定计分；“数据未填报的指标”为所需数据未填报、按此规定计分的指标数/指标总数，总分与等级据此理解。"
    )
    assert '<a href="a.html">a镇人民政府</a>' in page
    assert page.count("<table") == 3
    assert page.endswith(
        '<p class="note">※ 总分含示例数据（参考资料未载明的数）。“未填报”为单位注明资料未载明的数据项数，'
        "依赖这些数据的指标按评分表未填报规定计分；“数据未填报的指标”为所需数据未填报、按此规定计分的指标数/"
        "指标总数，总分与等级据此理解。</p>"
    )


def test_the_ranking_sorts_each_column_by_its_number_and_a_missing_one_last(tmp_path):
    """The script sorts a column by each cell's data-v: the number behind the text shown, ""
    (sorted last) where there is none; without a ※ on the page its legend is left out."""
    records = [
        record("a", 92.0, completeness={"indicators": 12, "not_stated": 3}, not_stated=["x"]),
        record("b", 85.0, spending_rate=None, figure_status={"spending_rate": "未填报"}),
    ]
    page = show_ranking(read_overview(year_folder(tmp_path, *records))).data
    keys = [re.findall(r'data-v="([^"]*)"', tr) for tr in re.findall(r"<tr>.*?</tr>", page)]
    # 排名, 自评总分, 数据未填报的指标, 支出率, 未填报(项), 数据核对提示
    assert [k for k in keys if k] == [
        ["1", "92.00", "3", "93.00", "1", "0"],
        ["2", "85.00", "", "", "0", "0"],
    ]
    assert ranking_rows(page)[0][5] == "3/12"
    assert '<p class="note">“未填报”为单位注明资料未载明的数据项数' in page


def test_the_ranking_links_a_units_form_only_where_it_is_there(tmp_path):
    """自评表 links the workbook written beside the unit's report; — where there is none."""
    folder = year_folder(tmp_path, record("a", 92.0), record("b", 85.0))
    (folder / "a.自评表.xlsx").write_bytes(b"")
    page = show_ranking(read_overview(folder)).data
    assert [row[-1] for row in ranking_rows(page)] == ["自评表", "—"]
    assert '<td><a href="a.%E8%87%AA%E8%AF%84%E8%A1%A8.xlsx">自评表</a></td></tr>' in page


def test_a_grade_outside_the_bands_is_counted_after_them(tmp_path):
    page = show_ranking(read_overview(year_folder(tmp_path, record("a", 95.0, grade="A")))).data
    assert page.startswith("<p>等级分布：优0个，良0个，中0个，差0个，A1个。</p>")


def test_records_without_grade_bands_count_by_the_default_bands(tmp_path):
    records = [record("a", 95.0, grade_bands=[]), record("b", 50.0, grade_bands=[])]
    page = show_ranking(read_overview(year_folder(tmp_path, *records))).data
    assert page.startswith("<p>等级分布：优1个，良0个，中0个，差1个。</p>")


def test_a_units_notes_follow_its_name(tmp_path):
    records = [
        record("a", 90.0, synthetic=True),
        record("b", 80.0, outside_framework="单位类别为街道"),
        record("c", 70.0, synthetic=True, outside_framework="2019年"),
    ]
    page = show_ranking(
        read_overview(year_folder(tmp_path, *records, run={"c": {"status": "failed"}}))
    ).data
    assert [row[1] for row in ranking_rows(page)] == [
        "a镇人民政府（合成示例）",
        "b镇人民政府（不在评分表适用范围：单位类别为街道）",
        "c镇人民政府（合成示例）（本次运行失败，显示上次结果）（不在评分表适用范围：2019年）",
    ]


@pytest.mark.parametrize(
    ("value", "status", "shown"),
    [
        (93.456, "", "93.46%"),
        (93.0, "※", "93.00%※"),
        (None, "未填报", "未填报"),
        (None, "不适用", "不适用"),
        (None, "", "—"),  # a record written before figure_status: it does not say why
    ],
)
def test_figure_text_shows_what_the_record_says(value, status, shown):
    u = {"spending_rate": value, "figure_status": {"spending_rate": status}}
    assert figure_text(u, "spending_rate", lambda x: f"{x:.2f}%") == shown


def test_figure_text_of_a_record_without_figure_status():
    assert figure_text({"spending_rate": 90.5}, "spending_rate", lambda x: f"{x:.1f}") == "90.5"
    assert figure_text({}, "spending_rate", str) == "—"


def test_the_warnings_name_each_unit_and_list_its_warnings_in_order(tmp_path):
    records = [
        record("a", 90.0, warnings=["第一条<b>", "第二条"]),
        record("b", 80.0),
        record("c", 70.0, warnings=["第三条"]),
    ]
    o = read_overview(year_folder(tmp_path, *records))
    assert show_overview_warnings(o).data == (
        '<ul class="warnings"><li><strong>a镇人民政府</strong><ol><li>第一条&lt;b&gt;</li>'
        "<li>第二条</li></ol></li><li><strong>c镇人民政府</strong><ol><li>第三条</li></ol></li></ul>"
    )
    o = read_overview(year_folder(tmp_path / "clean", record("b", 80.0)))
    assert show_overview_warnings(o).data == "<p>各单位数据核对均未发现问题。</p>"


def test_the_provenance_names_each_scores_file_and_its_hash(tmp_path):
    from selfeval_lib import __version__

    o = read_overview(year_folder(tmp_path, record("a", 90.0), record("b", 80.0)))
    page = show_overview_provenance(o).data
    rows = re.findall(r"<tr><td>(.*?)</td><td><code>(.*?)</code></td></tr>", page)
    assert rows == list(o.inputs) and [f for f, _ in rows] == ["a.scores.json", "b.scores.json"]
    assert page == (
        f'<footer class="selfeval provenance"><p>生成信息 / Provenance：selfeval {__version__}。'
        '汇总所据评分文件 SHA-256：</p><table class="hashes">'
        + "".join(f"<tr><td>{f}</td><td><code>{h}</code></td></tr>" for f, h in o.inputs)
        + "</table></footer>"
    )


# --- the charts' captions and pages ----------------------------------------------------------------


def captions(page: str) -> list[str]:
    return [text(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", page)]


def only_figures(page: str) -> bool:
    """The chart HTML is figures one after another, nothing between them."""
    *figures, rest = page.split("</figure>")
    return rest == "" and all(f.startswith('<figure class="selfeval chart">') for f in figures)


def test_a_year_without_units_says_so_for_every_chart(tmp_path):
    o = read_overview(year_folder(tmp_path))
    for name in ("distribution", "heatmap", "execution"):
        assert show_overview_chart(o, name).data == "<p>本年度尚无单位报告。</p>"


def test_each_chart_has_its_caption_and_the_heat_map_names_its_indicators(tmp_path):
    o = read_overview(year_folder(tmp_path, record("a", 90.0), record("b", 80.0)))
    assert captions(show_overview_chart(o, "distribution").data) == ["图1 自评总分分布"]
    assert captions(show_overview_chart(o, "execution").data) == ["图3 支出率与“三公”经费执行率"]
    heat = show_overview_chart(o, "heatmap").data
    assert captions(heat) == ["图2 各单位各指标得分率（指标：1.预算执行；2.三公控制）"]
    assert heatmap_legend(o.units) == "指标：1.预算执行；2.三公控制"


def test_many_units_continue_on_numbered_pages_and_each_framework_has_its_heat_map(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(overview, "PAGE_UNITS", 2)
    other = {"framework": "pee", "framework_name": "计划执行效果"}
    records = [record(u, 90.0 - n) for n, u in enumerate("abc")]
    records += [record("d", 80.0, **other, indicators=[record("x", 0)["indicators"][0]])]
    records += [record("e", 70.0, framework="zz", framework_name="")]
    o = read_overview(year_folder(tmp_path, *records))
    execution, heat = (show_overview_chart(o, name).data for name in ("execution", "heatmap"))
    assert only_figures(execution) and only_figures(heat)
    assert captions(execution) == [
        "图3 支出率与“三公”经费执行率（1/3）",
        "图3 支出率与“三公”经费执行率（2/3）",
        "图3 支出率与“三公”经费执行率（3/3）",
    ]
    assert captions(heat) == [
        "图2-1 各单位各指标得分率（评分表：广东乡镇）（1/2）（指标：1.预算执行；2.三公控制）",
        "图2-1 各单位各指标得分率（评分表：广东乡镇）（2/2）（指标：1.预算执行；2.三公控制）",
        "图2-2 各单位各指标得分率（评分表：计划执行效果）（指标：1.预算执行）",
        "图2-3 各单位各指标得分率（评分表：zz）（指标：1.预算执行；2.三公控制）",
    ]


def test_each_heat_map_page_draws_its_own_units(tmp_path, monkeypatch):
    monkeypatch.setattr(overview, "PAGE_UNITS", 2)
    drawn = []
    monkeypatch.setattr(overview, "plot_heatmap", lambda o: drawn.append(o.units) or Figure())
    o = read_overview(year_folder(tmp_path, *(record(u, 90.0 - n) for n, u in enumerate("abc"))))
    show_overview_chart(o, "heatmap")
    assert [[u["unit_id"] for u in page] for page in drawn] == [["a", "b"], ["c"]]


# --- the DataFrame and summary.xlsx -----------------------------------------------------------------


def summary_sheet(frame):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(export_summary_xlsx(frame))).active


def test_the_frame_ranks_within_each_framework_and_keeps_weights_and_marks(tmp_path):
    marked = [{"name": "预算执行", "weight": 20.0, "score": 18.0, "illustrative": True}]
    records = [
        record("a", 92.0, framework="pee", indicators=marked),
        record("b", 85.0, county=None, illustrative=True, synthetic=True),
        record("c", 88.0, spending_rate=None, figure_status={"spending_rate": "不适用"}),
    ]
    del records[1]["figure_status"]
    frame = load_overview(year_folder(tmp_path, *records, run={"c": {"status": "failed"}}))
    assert list(frame.index) == ["c", "b", "a"]  # the larger framework's group first
    assert list(frame["排名"]) == [1, 2, 1] and list(frame["评分表"]) == ["gd", "gd", "pee"]
    assert list(frame.columns[-2:]) == ["预算执行", "三公控制"]
    assert frame.loc["a", "预算执行"] == 18.0 and frame.loc["a", "三公控制"] is pd.NA
    assert frame.loc["b", "县（区）"] is pd.NA and frame.loc["c", "预算资金支出率(%)"] is pd.NA
    flags = frame[["含示例数据", "合成示例", "本次运行失败"]].astype(bool).values.tolist()
    assert flags == [[False, False, True], [True, True, False], [False, False, False]]
    assert frame.attrs["分值"] == {"预算执行": 20.0, "三公控制": 10.0}
    assert frame.attrs["标注"]["a"] == {
        "预算资金支出率(%)": "",
        "“三公”经费预算(万元)": "",
        "“三公”经费决算(万元)": "",
        "预算执行": "※",
    }
    plain = {"预算资金支出率(%)": "", "“三公”经费预算(万元)": "", "“三公”经费决算(万元)": ""}
    plain |= {"预算执行": "", "三公控制": ""}
    assert frame.attrs["标注"]["b"] == plain  # a record written before figure_status: no mark
    assert frame.attrs["标注"]["c"] == plain | {"预算资金支出率(%)": "不适用"}
    assert frame.attrs["year"] == 2024
    assert [str(frame.dtypes[n]) for n in ("预算执行", "三公控制")] == ["Float64", "Float64"]


def test_a_year_without_units_is_an_empty_frame_with_every_ranking_column(tmp_path):
    frame = load_overview(year_folder(tmp_path))
    assert frame.empty and frame.index.name == "单位代码"
    assert list(frame.columns) == list(RANKING)


def test_summary_xlsx_says_each_units_notes_flags_and_unstated_figures(tmp_path):
    records = [
        record("a", 92.0, synthetic=True, illustrative=True, not_stated=["x"], warnings=["w"]),
        record("b", 85.0, outside_framework="单位类别为街道", county=None),
        record("c", 80.0, spending_rate=None, figure_status={"spending_rate": "未填报"}),
        record("d", 70.0, outside_framework="2019年", sangong_budget=None),
    ]
    folder = year_folder(
        tmp_path, *records, run={"c": {"status": "failed"}, "d": {"status": "invalid"}}
    )
    ws = summary_sheet(load_overview(folder))
    rows = [list(r) for r in ws.iter_rows(min_row=2, max_col=15, values_only=True)]
    assert rows == [
        [1, "a镇人民政府", "a", "徐闻县", "gd", 92, "优※", None, 93, 12, 10.5, 1, 1, "是", None],
        [2, "b镇人民政府", "b", "未填报", "gd", 85, "良", None, 93, 12, 10.5, 0, 0, "否", "不在评分表适用范围：单位类别为街道"],
        [3, "c镇人民政府", "c", "徐闻县", "gd", 80, "良", None, "未填报", 12, 10.5, 0, 0, "否", "本次运行失败，显示上次结果"],
        [4, "d镇人民政府", "d", "徐闻县", "gd", 70, "中", None, 93, None, 10.5, 0, 0, "否", "本次运行失败，显示上次结果；不在评分表适用范围：2019年"],
    ]  # fmt: skip
    assert [c.font.bold for c in ws[1]] == [True] * ws.max_column  # the header row
    assert [c.font.bold for c in ws[2]] == [False] * ws.max_column
    assert ws.cell(2, 6).number_format == '0.00"※"' and ws.cell(3, 6).number_format == "0.00"
    assert ws.title == "2024年度汇总"


def test_summary_rows_are_plain_values_a_program_can_write_out(tmp_path):
    frame = load_overview(year_folder(tmp_path, record("a", 92.5), record("b", 85.0)))
    rows = summary_rows(frame)
    assert json.loads(json.dumps(rows)) == rows  # no numpy scalar: json would refuse it
    assert [type(v) for v in rows[0][:9]] == [int, str, str, str, str, float, str, NoneType, float]


def test_a_frame_whose_marks_were_dropped_still_gives_its_rows(tmp_path):
    """A pandas operation that drops attrs (as concat of frames of two years does) leaves the
    unstated figures empty cells: nothing to say why, and nothing made up."""
    records = [
        record("a", 92.0),
        record("b", 80.0, spending_rate=None, figure_status={"spending_rate": "未填报"}),
    ]
    frame = load_overview(year_folder(tmp_path, *records))
    assert [r[8] for r in summary_rows(frame)] == [93.0, "未填报"]  # the frame's own 标注
    frame.attrs.clear()
    assert [r[8] for r in summary_rows(frame)] == [93.0, None]


def test_summary_xlsx_prints_on_a4_with_its_header_on_every_page(tmp_path):
    from openpyxl.utils import get_column_letter

    ws = summary_sheet(load_overview(year_folder(tmp_path, record("a", 92.0))))
    setup = ws.page_setup
    # 9: A4, at 80 % over as many pages as the columns need (readable, not fit to one page)
    assert (setup.paperSize, setup.orientation, setup.scale) == (9, "landscape", 80)
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "D2"
    # a unit's columns on consecutive pages, each repeating 排名, 单位 and 单位代码
    assert (setup.pageOrder, ws.print_title_cols) == ("overThenDown", "$A:$C")
    # the scale holds, not "fit to page" (left unset: Excel's default, off)
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    m = ws.page_margins  # inches: narrow, to fit more columns on a page
    assert (m.left, m.right, m.top, m.bottom, m.header, m.footer) == (0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"  # Excel's page number and count
    widths = [ws.column_dimensions[get_column_letter(n)].width for n in range(1, 18)]
    assert widths == [*SUMMARY_WIDTHS, INDICATOR_WIDTH, INDICATOR_WIDTH]  # 单位 is the wide one
    # the header row: three lines of wrapped text, centred; the units' rows unwrapped
    header = {(c.alignment.wrap_text, c.alignment.vertical, c.alignment.horizontal) for c in ws[1]}
    assert header == {(True, "center", "center")} and ws.row_dimensions[1].height == 45
    assert {c.alignment.wrap_text for c in ws[2]} == {None}
    assert ws.parent.properties.creator == "selfeval"
    assert ws.parent.sheetnames == ["2024年度汇总"]  # one county: no sheet per county


def test_a_provinces_county_sheets_are_named_for_excel_and_a_unit_without_county_has_its_own(
    tmp_path,
):
    """A county sheet's title is the county's name with Excel's forbidden []:*?/\\ made _ and cut
    to Excel's 31 characters; units that state no 县（区） are ranked on a sheet named 未填报."""
    long = "湛江市徐闻县" + "甲" * 30
    records = [
        record("a", 92.0, county="湛江市/徐闻县[试点]"),
        record("b", 88.0, county=long),
        record("c", 85.0, county=None),
        record("d", 80.0, county="Xinhui*?:\\区"),
        record("e", 75.0, county=None),
    ]
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(export_summary_xlsx(load_overview(year_folder(tmp_path, *records))))
    )
    assert (
        book.sheetnames
        == [  # the counties in sorted order, 未填报 (no name) first
            "2024年度汇总",
            "未填报",
            "Xinhui____区",
            "湛江市_徐闻县_试点_",
            long[:31],
        ]
    )
    ranked = [r[:5] for r in book["未填报"].iter_rows(min_row=2, values_only=True)]
    assert ranked == [
        (1, "c镇人民政府", "c", "未填报", "gd"),
        (2, "e镇人民政府", "e", "未填报", "gd"),
    ]


def test_summary_xlsx_of_a_frame_whose_marks_were_dropped_marks_only_the_total(tmp_path):
    """Two frames concatenated lose their attrs; with the year set again, summary.xlsx is still
    written: the 自评总分 keeps its ※ (from 含示例数据), the other figures have no mark to show."""
    marked = [{"name": "预算执行", "weight": 20.0, "score": 18.0, "illustrative": True}]
    records = [record("a", 92.0, illustrative=True, indicators=marked), record("b", 80.0)]
    first, second = (
        load_overview(year_folder(tmp_path / n, r)) for n, r in zip("ab", records, strict=True)
    )
    frame = pd.concat([first, second])  # two counties' overviews: their attrs differ
    assert frame.attrs == {}
    frame.attrs["year"] = 2024
    ws = summary_sheet(frame)
    formats = [[c.number_format for c in row[5:]] for row in ws.iter_rows(min_row=2, max_row=3)]
    assert formats[0][0] == '0.00"※"' and formats[1][0] == "0.00"
    assert formats[0][-1] == "General"  # 预算执行 18.0: its ※ was in the dropped 标注


def test_scores_and_run_json_read_as_utf8_under_any_locale(tmp_path):
    """On a machine whose locale is not UTF-8 (LC_ALL=C here, a GBK Windows alike) the scores
    files and run.json, written as UTF-8, still read: the unit is listed and its failed run said."""
    import os
    import subprocess
    import sys

    import selfeval_lib

    folder = year_folder(tmp_path, record("a", 90.0))
    run = {"units": {"a": {"status": "failed", "error": "数据有误 / bad data"}}}
    (folder / "run.json").write_text(json.dumps(run, ensure_ascii=False), encoding="utf-8")
    code = (
        "import sys; from selfeval_lib.report.overview import read_overview; "
        "o = read_overview(sys.argv[1]); "
        "print(ascii([(u['unit_name'], u['stale']) for u in o.units]), ascii(o.problems))"
    )
    env = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    env["PYTHONPATH"] = str(Path(selfeval_lib.__file__).parent.parent)  # this selfeval_lib
    out = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out == f"{ascii([('a镇人民政府', True)])} ()\n"
    o = read_overview(folder)  # and as this process reads it
    assert out == f"{ascii([(u['unit_name'], u['stale']) for u in o.units])} {ascii(o.problems)}\n"


def test_summary_xlsx_gives_every_column_its_own_width():
    from selfeval_lib.report.overview_frame import SUMMARY_COLUMNS, SUMMARY_WIDTHS

    assert len(SUMMARY_WIDTHS) == len(SUMMARY_COLUMNS)
