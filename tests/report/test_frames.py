"""pandas where analysts look: a unit's tables and the county overview as DataFrames."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from decimal import Decimal as D
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

import selfeval_lib as sel
from selfeval_lib.report import overview
from selfeval_lib.report.frames import _cell, sangong_frame
from selfeval_lib.report.overview import read_overview, show_overview_chart, show_ranking
from selfeval_lib.report.overview_frame import export_summary_xlsx
from selfeval_lib.runs import NOTEBOOKS

from ..conftest import EXAMPLE_PARAMS, edit, use_no_sangong, visible_text


@pytest.fixture(scope="module")
def report():
    return sel.load_report(EXAMPLE_PARAMS)


def test_budget_lines_add_up_to_the_report_figures(report):
    budget = report.budget_table
    assert list(budget.columns[:7]) == [
        "支出类型", "经济分类", "科目名称", "年初预算", "调整预算", "本年支出", "上年支出",
    ]  # fmt: skip
    by_kind = budget.groupby("支出类型")["本年支出"].sum().round(2)
    assert by_kind.to_dict() == {"基本支出": 1589.88, "项目支出": 2872.44}  # as the report says
    assert round(budget["本年支出"].sum(), 2) == float(report.indicators.actual.value) == 4462.32
    # the reference states the 支出率 (93%), not the 调整预算: the column is missing, never 0
    assert budget["调整预算"].isna().all() and pd.isna(budget["调整预算"].sum(skipna=False))
    assert report.indicators.spending_rate.value == 93


def test_sangong_targets_and_scores(report):
    sangong = report.sangong_table
    assert list(sangong.columns[:4]) == ["项目", "预算", "决算", "上年决算"]
    # the reference states only the totals: the items are missing, the totals are the unit's
    assert sangong[["预算", "决算"]].isna().all().all()
    assert (
        report.indicators.sangong_actual.value
        == report.indicators.sangong_budget.value
        == D("26.77")
    )
    targets = report.targets_table
    assert {"目标值", "实际值", "完成率", "是否完成"} <= set(targets.columns)
    assert len(targets) == len(report.unit.targets)
    assert targets["目标值"].isna().all() and targets["是否完成"].isna().all()
    assert targets["实际值"].sum() > 0
    scores = report.scores_table
    assert scores.index[2] == "spending_rate" and scores.loc["spending_rate", "分值"] == 10
    assert (
        scores.loc["spending_rate", "得分依据/扣分原因"]
        == "单位所列支出率93%，低于95%标准2个百分点，每个百分点扣0.5分，扣1分。"
    )
    assert scores[["分值", "计算得分", "自评得分", "得分"]].sum().to_dict() == {
        "分值": 100.0, "计算得分": 44.0, "自评得分": 42.0, "得分": 86.0,
    }  # fmt: skip
    # 自评得分 only where the unit scored itself (3 indicators), as in the report and workbook
    assert scores["自评得分"].notna().sum() == 3 and pd.isna(
        scores.loc["spending_rate", "自评得分"]
    )


def test_a_figure_not_stated_is_missing_never_zero(unit_copy):
    budget_csv = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    edit(budget_csv, "187.37,183.88,", "187.37,,")  # 上年支出 of 商品和服务支出 not stated
    budget = sel.load_report(unit_copy).budget_table
    assert pd.isna(budget.loc[1, "上年支出"])
    assert pd.isna(budget.groupby("支出类型")["上年支出"].sum(skipna=False)["基本支出"])
    for value in (None, "未填报", object()):
        assert _cell(value) is pd.NA
    assert _cell(Decimal("1589.88")) == 1589.88 and _cell(0) == 0.0


def test_every_column_has_its_dtype(report):
    """Figures Float64, text the nullable string dtype, fixed choices categorical with the
    contract's categories: one missing marker (pd.NA, shown <NA>) in every column."""
    text, figure = pd.StringDtype(), pd.Float64Dtype()

    def kinds(*choices):
        return pd.CategoricalDtype(pd.Index(choices, dtype=text))

    assert report.budget_table.dtypes.to_dict() == {
        "支出类型": kinds("基本支出", "项目支出"),
        "经济分类": kinds("人员经费", "公用经费", "项目支出"),
        "科目名称": text,
        **dict.fromkeys(["年初预算", "调整预算", "本年支出", "上年支出"], figure),
        "示例数据": text,
    }
    assert report.sangong_table.dtypes.to_dict() == {
        "项目": kinds("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"),
        **dict.fromkeys(["预算", "决算", "上年决算"], figure),
        "示例数据": text,
    }
    assert report.targets_table.dtypes.to_dict() == {
        # 类别 is text: which categories there are, the unit's framework declares
        **dict.fromkeys(["类别", "指标", "表述", "计量单位"], text),
        "方向": kinds("≥", "≤", "=", "定性"),
        **dict.fromkeys(["目标值", "实际值", "上年值", "增长率", "完成率"], figure),
        "是否完成": kinds("是", "否"),
        "示例数据": text,
    }
    empty = sangong_frame(())  # a unit with no 三公 lines: the same columns, the same dtypes
    assert empty.empty and empty.dtypes.equals(report.sangong_table.dtypes)
    scores = report.scores_table
    assert scores.index.dtype == text and scores.dtypes.to_dict() == {
        **dict.fromkeys(["一级指标", "二级指标", "指标"], text),
        "分值": figure,
        "评分标准": text,
        **dict.fromkeys(["计算得分", "自评得分", "得分"], figure),
        "得分依据/扣分原因": text,
    }


def test_not_stated_is_pd_na_in_every_kind_of_column(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "budget.csv", "基本支出,人员经费,", "基本支出,未填报,")  # text (categorical)
    edit(data / "targets.csv", ",万元,≥,", ",未填报,未填报,")  # text and 方向
    r = sel.load_report(unit_copy)
    budget, targets = r.budget_table, r.targets_table
    assert targets.loc[0, "计量单位"] is pd.NA  # text: pd.NA, not NaN or None
    assert targets.loc[0, "目标值"] == 170000 and targets.loc[0, "上年值"] is pd.NA  # figures
    # a categorical column holds 未填报 as its missing code: <NA> when shown, isna() is True
    # (pandas hands out one such cell as nan; as text it is pd.NA again)
    assert budget["经济分类"].isna().tolist() == [True, False, False]
    assert budget["经济分类"].astype("string")[0] is pd.NA
    assert targets["方向"].isna()[0] and targets["是否完成"].isna()[0]
    assert "NaN" not in budget.to_string() + targets.to_string()
    assert budget.to_string().splitlines()[1].split()[2] == "<NA>"  # row 0, 经济分类
    assert set(targets["是否完成"].dropna()) <= {"是", "否"}


def test_a_sum_over_not_stated_figures_is_na_the_documented_way(report):
    """pandas' plain .sum() skips <NA> and gives 0.0 for a column that is all <NA>; the README's
    way, .sum(skipna=False), keeps a sum with a 未填报 part 未填报 (as the report does)."""
    budget = report.budget_table
    assert budget["调整预算"].isna().all()  # the reference does not state it
    assert budget["调整预算"].sum() == 0.0  # what the README warns of
    assert budget["调整预算"].sum(skipna=False) is pd.NA
    assert budget["调整预算"].sum(min_count=len(budget)) is pd.NA  # the same, spelled otherwise
    assert budget["本年支出"].sum(skipna=False) == 4462.32  # all given: the sum
    by_kind = budget.groupby("支出类型")[["本年支出", "调整预算"]].sum(skipna=False)
    assert by_kind["本年支出"].to_dict() == {"基本支出": 1589.88, "项目支出": 2872.44}
    assert by_kind["调整预算"].isna().all()
    partly = report.targets_table["目标值"]
    assert partly.isna().all() and partly.sum(skipna=False) is pd.NA


def _write_year(folder, report, units: dict[str, float]) -> None:
    """scores.json files as `selfeval run` writes them, one per unit, with the given totals."""
    folder.mkdir(parents=True)
    for unit_id, total in units.items():
        record = {**report.scores_record(), "unit_id": unit_id, "total": total}
        (folder / f"{unit_id}.scores.json").write_text(
            json.dumps(record, ensure_ascii=False), encoding="utf-8"
        )
        (folder / f"{unit_id}.html").write_text("<html></html>", encoding="utf-8")  # ranked


def test_load_overview_has_one_row_per_unit_and_a_column_per_indicator(
    report, tmp_path, monkeypatch
):
    _write_year(tmp_path / "reports/2024", report, {"a_2024": 80.5, "b_2024": 91.0, "c_2024": 86})
    monkeypatch.chdir(tmp_path)
    county = sel.load_overview("reports/2024")
    assert list(county.index) == ["b_2024", "c_2024", "a_2024"]  # best total first
    assert list(county["排名"]) == [1, 2, 3] and county.attrs["year"] == 2024
    names = [s.indicator.name for s in report.card.scores]
    assert list(county.columns[-12:]) == names
    assert county.loc["a_2024", names].sum() == 86.0  # the indicator scores of the record
    assert county.attrs["分值"]["部门预算资金支出率"] == 10
    assert sel.load_overview("reports", 2024).equals(county)


def test_summary_xlsx_is_the_overview_frame(report, tmp_path):
    _write_year(tmp_path / "2024", report, {"a_2024": 80.5, "b_2024": 91.0})
    county = sel.load_overview(tmp_path / "2024")
    rows = list(load_workbook(io.BytesIO(export_summary_xlsx(county))).active.values)
    assert rows[0][:15] == (
        "排名", "单位", "单位代码", "县（区）", "评分表", "自评总分", "等级", "数据未填报的指标(项)",
        "预算资金支出率(%)", "“三公”经费预算(万元)", "“三公”经费决算(万元)", "未填报(项)",
        "数据核对提示(条)", "合成示例", "说明",
    )  # fmt: skip
    assert rows[0][15:] == tuple(county.columns[-12:])
    assert [r[2] for r in rows[1:]] == ["b_2024", "a_2024"]
    assert rows[1][:9] == (
        1,
        "徐闻县前山镇人民政府",
        "b_2024",
        "徐闻县",
        "gd_township_2024",
        91,
        "良※",
        3,  # beside the grade: the indicators whose data were not stated
        93,
    )
    assert rows[1][11] == len(report.unit.not_stated()) == 52  # 未填报 counted per unit
    assert rows[1][13] == "否" and sum(rows[2][15:]) == 86


def test_summary_xlsx_of_two_scores_files_naming_one_unit_lists_both(report, tmp_path):
    """A copy of a unit's scores file kept beside it by hand (the same unit_id twice): summary.xlsx
    is still written, one row per file, each with its own ※."""
    _write_year(tmp_path / "2024", report, {"a_2024": 80.5, "b_2024": 91.0})
    record = json.loads((tmp_path / "2024/a_2024.scores.json").read_text(encoding="utf-8"))
    copy = {**record, "total": 70.0, "illustrative": False}
    (tmp_path / "2024/a_2024-copy.scores.json").write_text(
        json.dumps(copy, ensure_ascii=False), encoding="utf-8"
    )
    sheet = load_workbook(io.BytesIO(export_summary_xlsx(sel.load_overview(tmp_path / "2024"))))
    rows = [(r[2].value, r[5].value, r[5].number_format) for r in sheet.active.iter_rows(min_row=2)]
    assert [(unit, total) for unit, total, _ in rows] == [
        ("b_2024", 91), ("a_2024", 80.5), ("a_2024", 70)
    ]  # fmt: skip
    assert ["※" in fmt for *_, fmt in rows] == [True, True, False]


@pytest.mark.notebook
def test_explore_unit_notebook_runs_and_is_thin(built_example, tmp_path):
    import papermill as pm

    notebook = NOTEBOOKS / "explore_unit.ipynb"
    committed = nbformat.read(notebook, as_version=4)
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert code[0].metadata.get("tags") == ["parameters"]
    assert not any(
        line.lstrip().startswith(("def ", "class ", "for ", "while ", "import pandas"))
        for c in code
        for line in c.source.splitlines()
    )
    nb = pm.execute_notebook(
        str(notebook),
        str(tmp_path / "explored.ipynb"),
        parameters={"params_path": str(EXAMPLE_PARAMS), "year_folder": str(built_example.parent)},
        cwd=str(NOTEBOOKS),
        progress_bar=False,
        kernel_name="python3",
    )
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    every = "\n".join(  # every output of every cell, in every form it offers
        str(v) for o in outputs for v in (o.get("text", ""), *o.get("data", {}).values())
    )
    for internal in ("Fig(", "Decimal(", "object at 0x", "NaN"):  # values only, one NA marker
        assert internal not in every, internal
    shown = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "1589.88" in shown and "2872.44" in shown  # 基本支出 and 项目支出 by kind
    assert "(93.0, '')" in shown  # 支出率 as stated (93%), not back-solved, and shown unmarked
    assert "徐闻县前山镇人民政府" in shown  # the county view


def _ranking_rows(page: str) -> dict[str, list[str]]:
    """The overview ranking as a reader sees it: unit id (from its link) -> visible cells."""
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S):
        link = re.search(r'href="([^"]+)\.html"', tr)
        if link:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
            rows[link.group(1)] = [visible_text(c).strip() for c in cells]
    return rows


def test_overview_says_not_stated_not_applicable_and_marks_in_both_outputs(unit_copy, tmp_path):
    """A 支出率 the unit did not state is 未填报 (not "—", not an empty cell), one over a zero
    adjusted budget 不适用; a total or figure resting on illustrative values carries ※ in
    index.html and in summary.xlsx (in the number format: the cell stays a number)."""
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    records = {"marked_2024": sel.load_report(unit_copy).scores_record()}  # 93%※ (调整预算 ※)
    for old in ("1380.00,1420.00,", "190.00,200.00,", "2600.00,3178.19,"):
        edit(budget, old, old.split(",")[0] + ",0.00,")
    records["zero_2024"] = sel.load_report(unit_copy).scores_record()  # 不适用
    edit(budget, "1380.00,0.00,", "1380.00,未填报,")
    records["unstated_2024"] = sel.load_report(unit_copy).scores_record()  # 未填报
    year = tmp_path / "2024"
    year.mkdir()
    for total, (unit_id, record) in zip((91.0, 86.0, 80.5), records.items(), strict=True):
        record = {**record, "unit_id": unit_id, "total": total}
        (year / f"{unit_id}.scores.json").write_text(json.dumps(record), encoding="utf-8")
        (year / f"{unit_id}.html").write_text("<html></html>", encoding="utf-8")  # ranked
    assert all(r["illustrative"] for r in records.values())  # the fixture's ※ self scores

    ranking = _ranking_rows(show_ranking(read_overview(year)).data)
    # 排名, 单位, 县（区）, 自评总分, 等级, 数据未填报的指标 (what the grade rests on), 支出率, ...
    grades = [r["grade"] + "※" for r in records.values()]
    assert [ranking[u][3:7] for u in records] == [
        ["91.00※", grades[0], "0/12", "93.00%※"],
        ["86.00※", grades[1], "0/12", "不适用"],
        ["80.50※", grades[2], "1/12", "未填报"],
    ]

    county = sel.load_overview(year)
    ws = load_workbook(io.BytesIO(export_summary_xlsx(county))).active
    header = [c.value for c in ws[1]]
    total, grade, rate = (header.index(h) + 1 for h in ("自评总分", "等级", "预算资金支出率(%)"))
    rows = {ws.cell(r, 3).value: r for r in range(2, ws.max_row + 1)}
    cell = ws.cell
    assert [(cell(rows[u], total).value, cell(rows[u], total).number_format) for u in records] == [
        (91, '0.00"※"'),
        (86, '0.00"※"'),
        (80.5, '0.00"※"'),
    ]
    assert [cell(rows[u], grade).value for u in records] == grades
    assert [cell(rows[u], rate).value for u in records] == [93, "不适用", "未填报"]
    assert cell(rows["marked_2024"], rate).number_format == '0.00"※"'
    # an indicator score resting on an illustrative value carries ※ as in the report
    spending = header.index("部门预算资金支出率") + 1
    assert cell(rows["marked_2024"], spending).number_format == '0.00"※"'


def test_a_name_that_looks_like_a_formula_stays_text_in_summary_xlsx(report, tmp_path):
    """Excel turns a text cell beginning with = into a live formula once it is edited, unless
    the cell is marked quoted (as the unit's own workbook does)."""
    folder = tmp_path / "2024"
    _write_year(folder, report, {"a_2024": 80.5})
    path = folder / "a_2024.scores.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["unit_name"] = '=HYPERLINK("http://example.org","点击")'
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    sheet = load_workbook(io.BytesIO(export_summary_xlsx(sel.load_overview(folder)))).active
    cell = sheet.cell(2, 2)
    assert cell.value == '=HYPERLINK("http://example.org","点击")'
    assert cell.data_type == "s" and cell.quotePrefix


def _province_year(folder: Path, report) -> Path:
    """A year folder of four units, a_2024 to d_2024, of 甲县 and 乙区 in turn."""
    totals = {"a_2024": 91.0, "b_2024": 86.0, "c_2024": 80.5, "d_2024": 70.0}
    _write_year(folder, report, totals)
    for unit_id, county in zip(totals, ["甲县", "乙区", "甲县", "乙区"], strict=True):
        path = folder / f"{unit_id}.scores.json"
        record = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**record, "county": county}), encoding="utf-8")
    return folder


def test_a_provinces_summary_xlsx_has_a_sheet_for_all_then_one_per_county(report, tmp_path):
    """Units of several 县（区）: the first sheet ranks them all, then one sheet per county ranks
    its own units (ranks from 1); load_overview(..., county=) is that county's DataFrame."""
    folder = _province_year(tmp_path / "2024", report)
    book = load_workbook(io.BytesIO(export_summary_xlsx(sel.load_overview(folder))))
    assert book.sheetnames == ["2024年度汇总", "乙区", "甲县"]

    def ranked(ws):  # 排名, 单位代码, 县（区）, 自评总分
        return [(r[0], r[2], r[3], r[5]) for r in ws.iter_rows(min_row=2, values_only=True)]

    assert ranked(book["2024年度汇总"]) == [
        (1, "a_2024", "甲县", 91), (2, "b_2024", "乙区", 86),
        (3, "c_2024", "甲县", 80.5), (4, "d_2024", "乙区", 70),
    ]  # fmt: skip
    assert ranked(book["甲县"]) == [(1, "a_2024", "甲县", 91), (2, "c_2024", "甲县", 80.5)]
    assert ranked(book["乙区"]) == [(1, "b_2024", "乙区", 86), (2, "d_2024", "乙区", 70)]
    assert list(sel.load_overview(folder, county="乙区").index) == ["b_2024", "d_2024"]


def test_a_provinces_summary_xlsx_never_copies_the_units_records_per_column(report, tmp_path):
    """pandas deep-copies a frame's attrs (load_overview's hold every unit's record) into each
    column and part it derives: summary.xlsx must not, or its cost grows with the square of the
    units (300 units: a minute of CPU). The same bytes without the copies."""
    folder = _province_year(tmp_path / "2024", report)

    class Uncopyable:
        def __deepcopy__(self, memo):
            raise AssertionError("summary.xlsx copied the frame's attrs")

    guarded = sel.load_overview(folder)
    guarded.attrs["guard"] = Uncopyable()
    assert export_summary_xlsx(guarded) == export_summary_xlsx(sel.load_overview(folder))


def test_a_county_with_two_frameworks_shows_every_unit_in_the_heat_maps(
    unit_copy, tmp_path, monkeypatch
):
    """Units scored by two frameworks: ranked apart, one heat map per framework with its own
    indicators, and no unit left out of the charts or the DataFrame."""
    records = {"a_2024": sel.load_report(unit_copy).scores_record()}
    use_no_sangong(unit_copy)
    records["b_2024"] = sel.load_report(unit_copy).scores_record()
    year = tmp_path / "2024"
    year.mkdir()
    for (unit_id, record), name in zip(records.items(), ("甲镇", "乙镇"), strict=True):
        record = {**record, "unit_id": unit_id, "unit_name": name}
        (year / f"{unit_id}.scores.json").write_text(json.dumps(record), encoding="utf-8")
        (year / f"{unit_id}.html").write_text("<html></html>", encoding="utf-8")  # ranked
    drawn = []
    plot = overview.plot_heatmap
    monkeypatch.setattr(overview, "plot_heatmap", lambda o: drawn.append(o.units) or plot(o))
    o = read_overview(year)
    page = show_overview_chart(o, "heatmap").data
    assert [[u["unit_name"] for u in units] for units in drawn] == [["甲镇"], ["乙镇"]]
    captions = re.findall(r"<figcaption>([^<]*)<span", page)
    assert captions == [
        "图2-1 各单位各指标得分率（评分表：乡镇部门整体支出绩效自评指标框架（默认））",
        "图2-2 各单位各指标得分率（评分表：乡镇部门整体支出绩效自评指标框架（无“三公”经费指标，测试用））",
    ]
    legends = re.findall(r'<span class="chart-note">（指标：([^<]*)）</span>', page)
    assert [len(legend.split("；")) for legend in legends] == [12, 11]
    assert legends[0].endswith("12.运行成本") and legends[1].endswith("11.资产管理")
    ranking = visible_text(show_ranking(o).data)
    assert "(gd_township_2024),1个单位" in ranking and "(no_sangong),1个单位" in ranking
    assert "等级分布:" in ranking
    county = sel.load_overview(year)
    assert list(county.index) == ["a_2024", "b_2024"]
    assert county.loc["b_2024", "运行成本"] is pd.NA and county.loc["a_2024", "运行成本"] == 3
