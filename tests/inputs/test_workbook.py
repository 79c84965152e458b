"""The unit workbook (template, reader, import) and the 评分表/数据表 workbook: what a user sees."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import absolute_coordinate, get_column_letter
from openpyxl.utils.datetime import to_excel

from selfeval_lib import ValidationErrors, load_report, load_unit
from selfeval_lib.errors import UsageError
from selfeval_lib.evaluate.indicators import compute_indicators
from selfeval_lib.evaluate.scoring import score_unit
from selfeval_lib.inputs.contract import PARTS
from selfeval_lib.inputs.folder import read_folder
from selfeval_lib.inputs.importer import import_workbook
from selfeval_lib.inputs.places import cell_ranges
from selfeval_lib.inputs.schema import SANGONG_ITEMS, TABLES, UnitFacts
from selfeval_lib.inputs.workbook.cells import (
    clean_amount,
    clean_count,
    clean_month,
    clean_number,
    clean_percent,
    clean_text,
    format_places,
    is_percent_format,
)
from selfeval_lib.inputs.workbook.layout import SHEETS, unit_rows
from selfeval_lib.inputs.workbook.read import read_workbook
from selfeval_lib.report.scoresheet import write_scoresheet
from selfeval_lib.report.template import write_template
from selfeval_lib.values import NOT_STATED

# Workbook tests edit figures, so they start from the complete fixture (every value given).
from ..conftest import COMPLETE_DATA as EXAMPLE_DATA
from ..conftest import COMPLETE_PARAMS as EXAMPLE_PARAMS
from ..conftest import edit, libreoffice_pdf, skip_unless_required

SHEET_ORDER = [
    "填表说明",
    "基本情况",
    "收支情况",
    "三公经费",
    "绩效目标",
    "管理情况",
    "自评打分",
    "文字材料",
]


@pytest.fixture(scope="module")
def example():
    return load_unit(EXAMPLE_PARAMS)


@pytest.fixture(scope="module")
def expected():
    """The example's parts as its data folder gives them: what every workbook must read as."""
    return read_folder(EXAMPLE_DATA).parts


@pytest.fixture(scope="module")
def example_book(example, tmp_path_factory) -> bytes:
    """The example unit written into a workbook, once for the module (write_template's bytes do
    not change: tests/report/test_same_bytes.py)."""
    path = tmp_path_factory.mktemp("book") / "qianshan_2024.xlsx"
    write_template(path, example.framework, example)
    return path.read_bytes()


@pytest.fixture
def book(tmp_path, example_book) -> Path:
    """The example unit written into a workbook, a copy of its own for each test to edit."""
    path = tmp_path / "qianshan_2024.xlsx"
    path.write_bytes(example_book)
    return path


def change(path: Path, sheet: str, edit) -> None:
    """Open a workbook, let `edit(ws)` change one sheet like a user would, save it."""
    wb = load_workbook(path)
    edit(wb[sheet])
    wb.save(path)


def key_rows(ws) -> dict[str, int]:
    """Row of each key in a 项目/内容/键 sheet (the key column is D)."""
    return {ws.cell(r, 4).value: r for r in range(3, ws.max_row + 1) if ws.cell(r, 4).value}


def columns(ws, row: int = 2) -> dict[str, int]:
    return {ws.cell(row, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(row, c).value}


def problems(path: Path) -> str:
    return "\n".join(str(e) for e in read_workbook(path).errors)


# --- round trips ---------------------------------------------------------------------------------


def test_the_example_round_trips_exactly(book, expected):
    raw = read_workbook(book)
    assert raw.errors == [] and raw.warnings == []
    for part in PARTS:
        assert raw.parts[part] == expected[part], part
    assert raw.files == [book]
    assert raw.labels["budget.csv"] == f"{book}!收支情况"
    assert raw.rows["budget.csv"][0]("本年支出") == '收支情况!F3 列"本年支出" / column "本年支出"'
    assert raw.keys["unit.yaml"]("staffing.in_service").startswith("基本情况!B")
    wb = load_workbook(book)
    assert wb.sheetnames == SHEET_ORDER


def test_import_then_load_unit_gives_the_same_data(book, tmp_path, example):
    params = tmp_path / "project" / "params" / "qianshan_2024.yaml"
    data = tmp_path / "project" / "data" / "2024" / "qianshan"
    assert import_workbook(book, params, data) == params
    assert "data: ../data/2024/qianshan" in params.read_text(encoding="utf-8")
    imported = load_unit(params)
    for name in ("facts", "management", "budget", "sangong", "targets", "self_scores", "narrative"):
        assert getattr(imported, name) == getattr(example, name), name
    assert (data / "budget.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(
        f.alias for f in TABLES["budget.csv"].model_fields.values()
    )
    with pytest.raises(UsageError, match="文件已存在，未覆盖；如需用此工作簿替换，请加 --force"):
        import_workbook(book, params, data)
    import_workbook(book, params, data, force=True)


def test_import_refuses_an_invalid_workbook(book, tmp_path):
    change(book, "收支情况", lambda ws: setattr(ws["F3"], "value", "abc"))
    with pytest.raises(ValidationErrors, match='收支情况!F3 列"本年支出"'):
        import_workbook(book, tmp_path / "p" / "x_2024.yaml", tmp_path / "d")
    assert not (tmp_path / "d").exists()


def test_import_needs_the_year_and_a_budget(book, tmp_path):
    row = key_rows(load_workbook(book)["基本情况"])["params.year"]
    change(book, "基本情况", lambda ws: setattr(ws.cell(row, 2), "value", None))
    change(book, "收支情况", lambda ws: ws.delete_rows(3, 3))
    with pytest.raises(ValidationErrors) as info:
        import_workbook(book, tmp_path / "p" / "x_2024.yaml", tmp_path / "d")
    message = str(info.value)
    assert f"基本情况!B{row} 键 / key params.year: 缺少此项 / missing" in message
    assert "收支情况: 1 处问题 / problem(s)" in message and "至少应有一行支出" in message
    assert not (tmp_path / "d").exists()


def test_a_params_file_may_point_at_the_workbook(book, tmp_path, example):
    params = tmp_path / "params" / "wb_2024.yaml"
    params.parent.mkdir()
    params.write_text(f"unit_id: wb_2024\nyear: 2024\ndata: ../{book.name}\n", encoding="utf-8")
    unit = load_unit(params)
    assert (unit.facts, unit.budget, unit.narrative) == (
        example.facts,
        example.budget,
        example.narrative,
    )
    assert book.name in dict(unit.input_hashes)


def test_warnings_of_a_workbook_unit_name_its_sheet_and_cell(book, tmp_path):
    """数据核对提示 of a unit whose params point at a workbook name the workbook's cells (never a
    budget.csv or unit.yaml it does not have), and those cells hold the figures the warning shows."""

    def edit_lines(ws):
        ws["F3"].value += 30
        ws["J2"].value = "备注"  # a column the reader ignores, with a warning

    change(book, "收支情况", edit_lines)
    keys = key_rows(load_workbook(book)["基本情况"])
    change(
        book, "基本情况", lambda ws: setattr(ws.cell(keys["staffing.in_service"], 2), "value", 97)
    )
    params = tmp_path / "params" / "wb_2024.yaml"
    params.parent.mkdir()
    params.write_text(f"unit_id: wb_2024\nyear: 2024\ndata: ../{book.name}\n", encoding="utf-8")
    warnings = load_report(params).card.warnings
    b = book.name
    assert warnings == (
        f'{b} 收支情况!J2: 未知列"备注"已忽略 / unknown column "备注" ignored',
        f"{b} 基本情况!B{keys['totals.actual']} totals.actual 所列本年支出合计 4,462.32万元 与 {b} "
        "收支情况!F3:F5 各行合计 4,492.32万元※ 不一致，相差30.00万元※。",
        f"{b} 基本情况!B{keys['totals.basic']} totals.basic 所列基本支出 1,589.88万元 与 {b} "
        "收支情况!F3:F4 各行合计 1,619.88万元※ 不一致，相差30.00万元※。",
        f'{b} 收支情况!F3 列"本年支出" / column "本年支出"：“工资福利支出及对个人和家庭的补助”'
        "本年支出超过调整预算，支出率 100.88%（超过100%）。",
        f"{b} 基本情况!B{keys['staffing.in_service']} 年末在职人数 97人 超过核定编制 96人。",
    )
    sheets = load_workbook(book)  # the cells named hold the figures shown
    assert sheets["基本情况"][f"B{keys['totals.actual']}"].value == 4462.32
    assert sheets["基本情况"][f"B{keys['totals.basic']}"].value == 1589.88
    assert sum(sheets["收支情况"][f"F{r}"].value for r in (3, 4, 5)) == pytest.approx(4492.32)
    assert [sheets["收支情况"][f"A{r}"].value for r in (3, 4, 5, 6)] == ["基本支出"] * 2 + [
        "项目支出",
        None,
    ]


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        (["收支情况!F3", "收支情况!F4", "收支情况!F5", "收支情况!F9"], "收支情况!F3:F5、F9"),
        (["收支情况!F4", "收支情况!F7"], "收支情况!F4、F7"),
        (["三公经费!C3"], "三公经费!C3"),
        ([], ""),
    ],
)
def test_the_lines_of_a_sum_are_named_as_cell_ranges(cells, shown):
    assert cell_ranges(cells) == shown


def test_a_blank_template_filled_in_like_a_user_reads_as_the_example(tmp_path, example, expected):
    path = tmp_path / "blank.xlsx"
    write_template(path, example.framework)
    wb = load_workbook(path)
    ws, facts = wb["基本情况"], example.facts
    rows = key_rows(ws)
    values = {
        "params.year": "2024",
        # unit_code (the code across years) is not asked by the workbook yet; the example has none
        **{f"identity.{k}": v for k, v in facts.identity.model_dump(exclude_none=True).items()},
        **{f"staffing.{k}": v for k, v in facts.staffing.model_dump().items()},
        "staffing.authorized": "９６",  # full-width digits, typed on a Chinese IME
        "evaluation.notice_title": facts.evaluation.notice_title,
        "evaluation.notice_number": facts.evaluation.notice_number,
        "evaluation.fill_date": datetime(2025, 11, 1),  # Excel made a date of "2025-11"
        "evaluation.submitted": facts.evaluation.submitted,
        "evaluation.published_consistent": "是",
        "declared_grade": "良",
        **{
            f"totals.{k}": f"{v:,}"  # "4,898.86"
            for k, v in facts.totals.model_dump().items()
            if v is not None
        },
    }
    values["identity.industry_code"] = 9221  # typed as a number
    for n, member in enumerate(facts.evaluation.team, start=1):
        values |= {f"evaluation.team.{n}.{k}": v for k, v in member.model_dump().items()}
    for key, value in values.items():
        ws.cell(rows[key], 2).value = value
    for part, attribute in (("budget.csv", "budget"), ("sangong.csv", "sangong")):
        ws = wb[SHEETS[part]]
        cols = columns(ws)
        for r, line in enumerate(getattr(example, attribute), start=3):
            for alias, value in line.model_dump(by_alias=True).items():
                if isinstance(value, Decimal):
                    value = f"{value:,}"  # numbers stored as text, with separators
                ws.cell(r, cols[alias]).value = (
                    ";".join(value) if isinstance(value, tuple) else value
                )
    for part, attribute in (("targets.csv", "targets"), ("self_scores.csv", "self_scores")):
        ws = wb[SHEETS[part]]
        cols = columns(ws)
        for r, line in enumerate(getattr(example, attribute), start=3):
            for alias, value in line.model_dump(by_alias=True).items():
                value = float(value) if isinstance(value, Decimal) else value
                ws.cell(r, cols[alias]).value = (
                    ";".join(value) if isinstance(value, tuple) else value
                )
    ws = wb["管理情况"]
    rows = key_rows(ws)
    for key, value in example.management.facts.items():
        ws.cell(rows[f"facts.{key}"], 2).value = (
            ("是" if value else "否") if isinstance(value, bool) else int(value)
        )
    top = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "新增项目名称")
    for r, project in enumerate(example.management.new_projects, start=top + 1):
        ws.cell(r, 1).value, ws.cell(r, 2).value = (
            project.name,
            "是" if project.pre_assessed else "否",
        )
    ws = wb["文字材料"]
    titles = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    for title, text in example.narrative.items():
        ws.cell(titles[title], 2).value = text
    wb.save(path)

    raw = read_workbook(path)
    assert raw.errors == []
    for part in PARTS[:-1]:
        assert raw.parts[part] == expected[part], part
    narrative = raw.parts["narrative.md"]
    assert {t: s for t, s in narrative.items() if t in expected["narrative.md"]} == expected[
        "narrative.md"
    ]
    # a template row left empty is an empty section, which the report treats as absent
    assert all(narrative[t] == "" for t in narrative.keys() - expected["narrative.md"].keys())


# --- one function per messy-cell concern -----------------------------------------------------------


@pytest.mark.parametrize(
    "value, number_format, read",
    [
        ("1589.88", "General", Decimal("1589.88")),  # a number stored as text
        ("1,589.88", "General", Decimal("1589.88")),  # thousands separators
        ("１５８９.８８", "General", Decimal("1589.88")),  # full-width digits
        (" 1 589.88 ", "General", Decimal("1589.88")),  # spaces
        (1589.8799999999999, "General", Decimal("1589.88")),  # a formula's float: Excel's 15 digits
        (1380, "#,##0.00", Decimal("1380.00")),  # the zeros the cell shows
        (12345678901234567, "General", Decimal("12345678901234567")),  # a whole number: as stored
        ("1,58", "General", "1,58"),  # not a number: left for the schema to refuse
        ("1589.88万", "General", "1589.88万"),
        ("93%", "General", "93%"),  # a percent sign outside a percent column: for the schema
    ],
)
def test_clean_number(value, number_format, read):
    result = clean_number(value, number_format)
    assert result == read and type(result) is type(read) and str(result) == str(read)


def test_only_wan_yuan_is_a_unit_for_amounts():
    assert clean_amount("1,589.88万元") == Decimal("1589.88")
    assert clean_amount("1589.88 万元") == Decimal("1589.88")
    assert clean_amount("1,589.88元") == "1,589.88元"  # the schema refuses 元 (see below)
    assert clean_amount("1,58万元") == "1,58万元"  # not a number: the schema quotes it as typed


@pytest.mark.parametrize(
    "value, number_format, read",
    [
        (0.93, "0%", Decimal("93")),  # a %-formatted cell shows 93%: Excel keeps 0.93
        (0.934, "0.0%", Decimal("93.4")),
        (1, "0%", Decimal("100")),
        ("93%", "General", Decimal("93")),
        ("９３％", "General", Decimal("93")),
        (93, "General", Decimal("93")),
        (0.93, "General", Decimal("0.93")),  # what the cell shows: 0.93 (percent)
        (3.4, '0.0"%"', Decimal("3.4")),  # a quoted % is only a label
    ],
)
def test_clean_percent_reads_percentage_points_as_the_cell_shows_them(value, number_format, read):
    assert clean_percent(value, number_format) == read


@pytest.mark.parametrize(
    "value, read",
    [
        (datetime(2025, 11, 1), "2025-11"),  # Excel turns a typed 2025-11 into Nov 1st
        (datetime(2025, 11, 5), "2025-11-05"),
        (to_excel(datetime(2025, 11, 1)), "2025-11"),  # a date serial in a General cell
        ("2025年11月", "2025-11"),
        ("２０２５年１１月", "2025-11"),
        ("2025/11", "2025-11"),
        ("2025.1", "2025-01"),
        ("2025-11", "2025-11"),
        ("2025年11月5日", "2025-11-05"),
        (" 2025-11 ", "2025-11"),
        ("11月初", "11月初"),  # not a date: left for the schema to refuse
        (2025, "2025"),
        (36526, "2000-01"),  # the first and the last serial read as dates: 2000-01-01 …
        (73050, "2099-12-31"),  # … and 2099-12-31
        (None, None),  # an empty cell: left for the schema to call missing
    ],
)
def test_clean_month(value, read):
    assert clean_month(value) == read


def test_clean_text_and_count():
    assert clean_text("\u3000 前山镇 \n") == "前山镇"
    assert clean_text("第一段\r\n第二段") == "第一段\n第二段"
    assert clean_text(9221) == "9221" and clean_text(9221.0) == "9221"
    # a long number typed into a text cell reads as its digits, never in E notation
    assert clean_text(1e16) == "10000000000000000" and clean_text(1.5e-7) == "0.00000015"
    assert clean_count("８６") == 86 and clean_count(86.0) == 86 and clean_count("86.5") == "86.5"
    assert clean_count("0.0000005") == "0.0000005"  # refused as typed, never as 5E-7


def test_number_formats():
    assert [format_places(f) for f in ("General", "#,##0.00", "0.0%", '0.00"万元"')] == [0, 2, 1, 2]
    assert is_percent_format("0.00%") and not is_percent_format('0.0"%"')
    assert format_places("#,##0;-#,##0.00") == 0  # a number shows as the first section says


# --- messy cells in a real workbook ----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["1402.51", "1,402.51", "１４０２.５１", "1402.51万元", " 1,402.51 万元 "],
)
def test_amounts_as_users_type_them_read_the_same(book, expected, typed):
    change(book, "收支情况", lambda ws: setattr(ws["F3"], "value", typed))
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["budget.csv"] == expected["budget.csv"]


def test_an_amount_in_yuan_is_refused_with_the_cell(book):
    change(book, "收支情况", lambda ws: setattr(ws["F3"], "value", "1,402.51元"))
    assert (
        '收支情况!F3 列"本年支出" / column "本年支出": "1,402.51元" 以元为单位；金额应以万元计'
        in problems(book)
    )


def test_percentages_and_rate_facts(book, expected):
    def growth(ws):
        ws["I3"].value, ws["I3"].number_format = 0.034, "0.0%"  # 3.4% as Excel stores it
        ws["I4"].value = "9.49%"

    change(book, "绩效目标", growth)
    row = key_rows(load_workbook(book)["管理情况"])["facts.procurement_intention_published_pct"]

    def rate(ws):
        ws.cell(row, 2).value, ws.cell(row, 2).number_format = 1, "0%"  # shows 100%

    change(book, "管理情况", rate)
    raw = read_workbook(book)
    assert raw.errors == [] and raw.warnings == []
    assert raw.parts["targets.csv"] == expected["targets.csv"]
    assert raw.parts["management.yaml"] == expected["management.yaml"]

    def fraction(ws):
        ws.cell(row, 2).value, ws.cell(row, 2).number_format = 0.93, "General"  # shows 0.93

    change(book, "管理情况", fraction)
    raw = read_workbook(book)
    assert raw.parts["management.yaml"].facts["procurement_intention_published_pct"] == Decimal(
        "0.93"
    )
    assert raw.warnings == [
        f"qianshan_2024.xlsx 管理情况!B{row} 键 / key facts.procurement_intention_published_pct: "
        "0.93 读作 0.93%，"
        "若指 93% 请填 93 / read as 0.93%; for 93% write 93"
    ]


def test_a_fact_labelled_in_percent_is_a_rate_whatever_its_key(book):
    rows = key_rows(load_workbook(book)["管理情况"])
    share, count = rows["facts.asset_inventories"], rows["facts.finance_violations"]

    def fractions(ws):
        ws.cell(share, 1).value, ws.cell(share, 2).value = "资产清查覆盖率(%)", 0.5
        ws.cell(count, 2).value = 0.5  # 资金挪用、截留等违规违纪行为(起): not a rate

    change(book, "管理情况", fractions)
    assert read_workbook(book).warnings == [
        f"qianshan_2024.xlsx 管理情况!B{share} 键 / key facts.asset_inventories: 0.5 读作 0.5%，"
        "若指 50% 请填 50 / read as 0.5%; for 50% write 50"
    ]


def test_a_rate_typed_as_a_fraction_keeps_its_hint_after_import(book, tmp_path):
    row = key_rows(load_workbook(book)["管理情况"])["facts.procurement_intention_published_pct"]
    change(book, "管理情况", lambda ws: setattr(ws.cell(row, 2), "value", 0.93))
    told: list[str] = []
    params = tmp_path / "p" / "qianshan_2024.yaml"
    import_workbook(book, params, tmp_path / "d", warn=told.append)
    hint = (
        "键 / key facts.procurement_intention_published_pct: 0.93 读作 0.93%，若指 93% 请填 93 / "
        "read as 0.93%; for 93% write 93"
    )
    assert told == [f"qianshan_2024.xlsx 管理情况!B{row} {hint}"]
    assert load_unit(params).input_warnings == (f"management.yaml {hint}",)


# --- what a reader of the cells would not see: refused with what to do in Excel/WPS ---------------


def test_merged_data_cells_are_refused_naming_the_range(book):
    change(book, "收支情况", lambda ws: ws.merge_cells("F3:F4"))
    assert (
        "收支情况!F3:F4: 合并单元格无法逐格读取；请选中后取消合并（Excel：开始→合并后居中；WPS：开始→"
        "合并居中→取消合并单元格），每格各填其值 / merged cells cannot be read cell by cell"
        in problems(book)
    )


def test_the_templates_own_merged_titles_are_read(book):
    assert read_workbook(book).errors == []  # its notes and section titles are merged


@pytest.mark.parametrize(("sheet", "key"), [("收支情况", None), ("基本情况", "identity.name")])
def test_a_hidden_row_of_data_is_refused_naming_it(book, sheet, key):
    row = 4 if key is None else key_rows(load_workbook(book)[sheet])[key]
    change(book, sheet, lambda ws: setattr(ws.row_dimensions[row], "hidden", True))
    assert (
        f"{sheet}!A{row}: 此行被隐藏，其内容会写入报告；请选中上下两行，右键“取消隐藏”，核对后保留或删除 / "
        "the row is hidden, yet what it holds would go into the report" in problems(book)
    )


def test_a_hidden_column_of_data_is_refused_naming_its_cells_but_the_key_column_is_not(book):
    assert read_workbook(book).errors == []  # the template hides its own 键 columns
    ws = load_workbook(book)["收支情况"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "支出类型")
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == "本年支出")
    letter = get_column_letter(col)
    change(book, "收支情况", lambda ws: setattr(ws.column_dimensions[letter], "hidden", True))
    found = problems(book)
    assert (
        f"收支情况!{letter}{header + 1}: 此列被隐藏，其内容会写入报告；请选中左右两列，右键“取消隐藏”，"
        "核对后保留或删除 / the column is hidden, yet what it holds would go into the report"
        in found
    )
    assert f"收支情况!{letter}{header + 2}: 此列被隐藏" in found


def test_a_hidden_sheet_is_refused_naming_it(book):
    change(book, "三公经费", lambda ws: setattr(ws, "sheet_state", "hidden"))
    assert (
        "三公经费: 工作表被隐藏，其内容会写入报告；请右键任一工作表标签，选“取消隐藏”，核对其内容 / the "
        "sheet is hidden" in problems(book)
    )


def test_a_formula_without_a_saved_result_is_refused_naming_its_cell(book):
    change(book, "收支情况", lambda ws: setattr(ws["F3"], "value", "=SUM(D3:E3)"))
    assert (
        "收支情况!F3: 公式 =SUM(D3:E3) 没有保存的计算结果（文件由程序生成或未重新计算）；请在 Excel 或 "
        "WPS 中打开后保存一次，或把公式改为数值 / the formula has no saved result" in problems(book)
    )


def test_a_password_protected_workbook_says_how_to_remove_the_password(tmp_path):
    """An encrypted .xlsx is an OLE compound file holding an EncryptionInfo stream (as Excel and
    WPS write it); this one is its first sector and the stream's name, enough for the reader."""
    book = tmp_path / "locked.xlsx"
    book.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le")
    )
    assert problems(book) == (
        f"{book}: 1 处问题 / problem(s)\n  - 工作簿设有打开密码（已加密），无法读取；请删除密码后保存"
        "（Excel：文件→信息→保护工作簿→用密码进行加密，清空密码；WPS：文件→文档加密→密码加密，清空打开"
        "密码）/ the workbook is protected by a password (encrypted) and cannot be read: remove the "
        "password and save (Excel: File → Info → Protect Workbook → Encrypt with Password, clear "
        "it; WPS: 文件 → 文档加密 → 密码加密)"
    )
    book.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert "是旧版 .xls 工作簿，请在 Excel 或 WPS 中另存为 .xlsx" in problems(book)


@pytest.mark.parametrize(
    "typed", [datetime(2025, 11, 1), to_excel(datetime(2025, 11, 1)), "2025年11月", "2025/11"]
)
def test_fill_date_as_users_type_it(book, expected, typed):
    row = key_rows(load_workbook(book)["基本情况"])["evaluation.fill_date"]
    change(book, "基本情况", lambda ws: setattr(ws.cell(row, 2), "value", typed))
    assert read_workbook(book).parts["unit.yaml"] == expected["unit.yaml"]


def test_a_bad_date_names_its_cell(book):
    row = key_rows(load_workbook(book)["基本情况"])["evaluation.fill_date"]
    change(book, "基本情况", lambda ws: setattr(ws.cell(row, 2), "value", "2025年13月"))
    assert (
        f'基本情况!B{row} 键 / key evaluation.fill_date: "2025-13" 不是日期，应写为 2025-11'
        in problems(book)
    )


def test_the_units_illustrative_keys_are_read_as_a_list(book):
    """基本情况's 示例数据 row: the keys whose figures are ※, split as the CSV column is."""
    row = key_rows(load_workbook(book)["基本情况"])["illustrative"]
    typed = " staffing.retired；staffing.temporary "
    change(book, "基本情况", lambda ws: setattr(ws.cell(row, 2), "value", typed))
    unit = read_workbook(book).parts["unit.yaml"]
    assert unit.illustrative == ("staffing.retired", "staffing.temporary")


def test_changes_on_last_year_read_as_signed_amounts(book):
    """基本情况's 比上年增减 rows: a decrease typed with its unit, an increase as a number that
    keeps the places its cell shows."""
    rows = key_rows(load_workbook(book)["基本情况"])

    def typed(ws):
        ws.cell(rows["totals.basic_change"], 2).value = "-12.5万元"
        cell = ws.cell(rows["totals.project_change"], 2)
        cell.value, cell.number_format = 3.4, "0.00"

    change(book, "基本情况", typed)
    totals = read_workbook(book).parts["unit.yaml"].totals
    assert (str(totals.basic_change), str(totals.project_change)) == ("-12.5", "3.40")


def test_spaces_around_values_are_trimmed(book, expected):
    def pad(ws):
        ws["A3"].value, ws["C4"].value = " 基本支出", "  商品和服务支出\u3000"

    change(book, "收支情况", pad)
    assert read_workbook(book).parts["budget.csv"] == expected["budget.csv"]


def test_blank_rows_between_data_are_skipped_and_rows_keep_their_numbers(book, expected):
    change(book, "收支情况", lambda ws: ws.insert_rows(4, amount=2))
    raw = read_workbook(book)
    assert raw.parts["budget.csv"] == expected["budget.csv"]
    assert raw.rows["budget.csv"][1]("年初预算") == '收支情况!D6 列"年初预算" / column "年初预算"'
    change(book, "收支情况", lambda ws: setattr(ws["F7"], "value", "abc"))
    assert '收支情况!F7 列"本年支出" / column "本年支出": "abc" 不是数字' in problems(book)


def test_a_row_holding_only_spaces_is_blank(book, expected):
    def spaces(ws):
        ws.insert_rows(4)
        ws["B4"].value, ws["F4"].value = " ", "\u3000"  # a clerk's space, a full-width one

    change(book, "收支情况", spaces)
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["budget.csv"] == expected["budget.csv"]


def test_extra_columns_are_ignored_with_a_warning(book, expected, tmp_path):
    def note(ws):
        ws["J2"].value, ws["J3"].value = "备注", "据决算报表"

    change(book, "收支情况", note)
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["budget.csv"] == expected["budget.csv"]
    assert raw.warnings == [
        'qianshan_2024.xlsx 收支情况!J2: 未知列"备注"已忽略 / unknown column "备注" ignored'
    ]
    told = []
    import_workbook(book, tmp_path / "p" / "x_2024.yaml", tmp_path / "d", warn=told.append)
    assert told == raw.warnings


def test_a_renamed_sheet_is_named_with_the_expected_ones(book, expected):
    change(book, "三公经费", lambda ws: setattr(ws, "title", "三公"))
    raw = read_workbook(book)
    message = problems(book)
    assert (
        'missing sheet "三公经费"; 应有的工作表 / expected sheets: 填表说明、基本情况、收支情况、三公经费'
        in message
    )
    assert "现有 / found: 填表说明、基本情况、收支情况、三公、绩效目标" in message
    assert "sangong.csv" not in raw.parts and raw.parts["budget.csv"] == expected["budget.csv"]


def test_a_sheet_name_with_stray_spaces_is_still_found(book, expected):
    change(book, "三公经费", lambda ws: setattr(ws, "title", " 三公经费 "))
    assert read_workbook(book).parts["sangong.csv"] == expected["sangong.csv"]


def test_merged_header_cells_are_read_from_their_top_left(book, expected):
    def two_row_header(ws):
        ws.insert_rows(2)  # row 2: group headers over row 3
        for col in (1, 2, 3, 6, 7, 8):
            ws.cell(2, col).value = ws.cell(3, col).value
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        ws["D2"].value = "预算"
        ws.merge_cells("D2:E2")

    change(book, "收支情况", two_row_header)
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["budget.csv"] == expected["budget.csv"]
    assert raw.rows["budget.csv"][0]("本年支出").startswith("收支情况!F4 ")


def test_headers_as_a_clerk_formats_them(book, expected):
    """A header wrapped onto two lines or padded with spaces, and one merged across a column
    that has no header of its own (counted once; that column is not read)."""

    def format_headers(ws):
        ws["F2"].value, ws["D2"].value = "本年\n支出", " 年初预算 "
        ws.merge_cells("H2:I2")  # 示例数据 over a column with no header of its own
        ws["I3"].value = "据决算报表"

    change(book, "收支情况", format_headers)
    raw = read_workbook(book)
    assert raw.errors == [] and raw.warnings == []
    assert raw.parts["budget.csv"] == expected["budget.csv"]


def test_all_problems_of_the_workbook_together_with_sheet_and_cell(book):
    rows = key_rows(load_workbook(book)["基本情况"])
    change(book, "收支情况", lambda ws: setattr(ws["D3"], "value", "1,589.88万"))
    change(book, "三公经费", lambda ws: setattr(ws["B4"], "value", -1))
    change(
        book,
        "基本情况",
        lambda ws: setattr(ws.cell(rows["staffing.in_service"], 2), "value", "八十六"),
    )
    change(book, "基本情况", lambda ws: setattr(ws.cell(rows["identity.name"], 2), "value", None))
    raw = read_workbook(book)
    assert len(raw.errors) == 1
    message = str(raw.errors[0])
    assert "4 处问题 / problem(s)" in message
    assert '收支情况!D3 列"年初预算" / column "年初预算": "1,589.88万" 不是数字' in message
    assert "应写为 1589.88 / write 1589.88" in message
    assert '三公经费!B4 列"预算" / column "预算": -1.00 不能为负数' in message
    row = rows["staffing.in_service"]
    assert f'基本情况!B{row} 键 / key staffing.in_service: "八十六" 不是整数' in message
    assert (
        f"基本情况!B{rows['identity.name']} 键 / key identity.name: 缺少此项 / missing" in message
    )


def test_problems_of_headers_keys_and_sections_name_their_cells(book):
    """What a clerk sees for a column named twice, a header row gone, a key twice, narrative text
    without a title, a section twice or empty, a "## " line; and an extra sheet is ignored."""
    wb = load_workbook(book)
    wb["收支情况"]["G2"].value = "本年支出"  # over 上年支出
    wb["三公经费"].delete_rows(1, 2)
    ws = wb["管理情况"]
    ws.cell(key_rows(ws)["facts.procurement_complaints"], 4).value = "facts.asset_report_accurate"
    key = key_rows(ws)["facts.asset_report_accurate"]
    ws = wb["文字材料"]
    last = ws.max_row
    ws["B3"].value = "第一段\n## 小标题"
    ws["B5"].value = "评价小组\n### 存在问题"  # a section named with three #: refused as well
    ws.cell(last + 1, 2).value = "没有标题的内容"
    ws.cell(last + 2, 1).value, ws.cell(last + 2, 2).value = "单位职能", "又一段"
    ws.cell(last + 3, 1).value = "存在问题"
    wb.create_sheet("备注")
    wb.save(book)
    raw = read_workbook(book)
    assert str(raw.errors[0]).splitlines()[1:] == [
        '  - 收支情况!G2: 列"本年支出"重复 / column "本年支出" appears twice',
        '  - 收支情况 第2行 / row 2: 表头缺少列"上年支出" / missing column "上年支出"; 表头应为 / '
        "expected header: 支出类型,经济分类,科目名称,年初预算,调整预算,本年支出,上年支出,示例数据",
        "  - 三公经费: 找不到表头行 / no header row; 表头应为 / expected: 项目,预算,决算,上年决算,"
        "示例数据",
        f"  - 管理情况!D{key}: 键 facts.asset_report_accurate 重复 / key appears twice",
        '  - 文字材料!B3: 内容中不能有以"## "开头的行（那是章节标题） / a line may not start with '
        '"## " (that starts a section); use **粗体** for sub-headings',
        '  - 文字材料!B5: 内容中不能有以"## "开头的行（那是章节标题） / a line may not start with '
        '"## " (that starts a section); use **粗体** for sub-headings',
        f"  - 文字材料!A{last + 1}: 内容缺少章节名 / text without a section title",
        f'  - 文字材料!A{last + 2}: 重复的章节 "单位职能" / duplicate section',
        f'  - 文字材料!A{last + 3}: 重复的章节 "存在问题" / duplicate section',
        f'  - 文字材料!B{last + 3}: 缺少章节 "存在问题" 或内容为空 / missing or empty section "存在问题"',
    ]
    assert raw.warnings == [f"{book}: 未知工作表“备注”已忽略 / unknown sheet ignored"]
    assert {"budget.csv", "sangong.csv", "management.yaml", "narrative.md"}.isdisjoint(raw.parts)


def test_a_sheet_without_its_title_row_is_read_from_row_1(book, expected):
    def delete_title(ws):  # as Excel does: the title's merged cells go with its row
        ws.unmerge_cells("A1:H1")
        ws.delete_rows(1)

    change(book, "收支情况", delete_title)
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["budget.csv"] == expected["budget.csv"]
    assert raw.rows["budget.csv"][0]("本年支出") == '收支情况!F2 列"本年支出" / column "本年支出"'


def test_the_header_is_looked_for_in_the_first_ten_rows(book, expected):
    change(book, "收支情况", lambda ws: ws.insert_rows(2, amount=8))  # header in row 10
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["budget.csv"] == expected["budget.csv"]
    change(book, "收支情况", lambda ws: ws.insert_rows(2))  # row 11: too far down
    assert problems(book).splitlines()[1].startswith("  - 收支情况: 找不到表头行 / no header row")


def test_a_header_row_with_one_known_name_is_told_what_it_lacks(book):
    def rename(ws):
        for cell in ws[2][1:]:
            cell.value = f"{cell.value}（万元）" if cell.value else None

    change(book, "三公经费", rename)
    message = problems(book)
    assert '三公经费 第2行 / row 2: 表头缺少列"预算" / missing column "预算"' in message
    assert "找不到表头行" not in message


def test_a_header_name_typed_past_column_200_is_a_stray_cell_not_a_second_column(book, expected):
    change(book, "收支情况", lambda ws: setattr(ws.cell(2, 201), "value", "本年支出"))
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["budget.csv"] == expected["budget.csv"]


def test_a_header_pasted_twice_is_read_once_then_as_data(book):
    def paste(ws):
        ws.insert_rows(3)
        for cell in ws[2]:
            ws.cell(3, cell.column).value = cell.value

    change(book, "收支情况", paste)
    assert '收支情况!D3 列"年初预算" / column "年初预算": "年初预算" 不是数字' in problems(book)


def test_a_table_sheet_over_the_row_limit_is_refused_not_cut(book, monkeypatch):
    monkeypatch.setenv("SELFEVAL_MAX_ROWS", "2")
    over = [line for line in problems(book).splitlines() if line.startswith("  - 收支情况!")]
    assert len(over) == 1 and over[0].endswith(
        ": 第3个数据行 / data row 3: 超过限制：一个表（或工作表）的数据行数最多 2，实为 3 / over the "
        "limit: at most 2 (SELFEVAL_MAX_ROWS; default 2000), found 3"
    )  # the cell of the first row past the limit, as every table names it
    monkeypatch.setenv("SELFEVAL_MAX_ROWS", "3")
    assert "  - 收支情况!" not in problems(book)
    change(book, "收支情况", lambda ws: ws.insert_cols(1))  # the table starts in column B
    monkeypatch.setenv("SELFEVAL_MAX_ROWS", "2")
    over = [line for line in problems(book).splitlines() if line.startswith("  - 收支情况!")]
    assert [line.split(": ")[0] for line in over] == ["  - 收支情况!B5"]  # its first column


def test_a_key_typed_wrong_names_the_cell_of_the_key_it_extends_or_belongs_to(book):
    """An error below a key (a fact key's form) or above it (staffing.in_service typed with a
    sub-key) names the 内容 cell of the key as typed, never just the sheet."""
    facts = key_rows(load_workbook(book)["管理情况"])["facts.asset_inventories"]
    staffing = key_rows(load_workbook(book)["基本情况"])["staffing.in_service"]
    change(
        book, "管理情况", lambda ws: setattr(ws.cell(facts, 4), "value", "facts.Asset_inventories")
    )
    change(
        book, "基本情况", lambda ws: setattr(ws.cell(staffing, 4), "value", "staffing.in_service.x")
    )
    assert problems(book).splitlines()[1:] == [
        f"  - 基本情况!B{staffing} 键 / key staffing.in_service: \"{{'x': '86'}}\" 不是整数 / is not "
        "a whole number",
        f'  - 管理情况!B{facts} 键 / key facts.Asset_inventories.[key]: "Asset_inventories" 格式不符 '
        "/ does not match the required form ^[a-z][a-z0-9_]*$",
    ]


@pytest.mark.parametrize("names", [("内容", "键"), ("项目", "键"), ("项目", "内容")])
def test_the_header_of_a_keyed_sheet_is_the_row_naming_all_three_columns(book, expected, names):
    """A note above the header that happens to name two of 项目, 内容, 键 is not the header."""

    def note(ws):
        ws["E1"].value, ws["F1"].value = names  # beside the title, above the header

    change(book, "基本情况", note)
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["unit.yaml"] == expected["unit.yaml"]


def test_a_key_cell_of_spaces_between_keys_is_passed_over(book, expected):
    change(book, "基本情况", lambda ws: setattr(ws["D6"], "value", "  "))  # a section's title row
    raw = read_workbook(book)
    assert raw.errors == [] and raw.parts["unit.yaml"] == expected["unit.yaml"]


def test_every_problem_of_the_unit_sheet_is_told_at_once_naming_its_cell(book):
    """A key twice does not hide the rest: a year that is not a number, a key the contract does
    not know, a team member without a role (named at the team's first cell)."""
    rows = key_rows(load_workbook(book)["基本情况"])

    def errors(ws):
        ws.cell(rows["params.year"], 2).value = "二〇二四"
        ws.cell(rows["evaluation.team.1.role"], 2).value = None
        ws.cell(rows["identity.short_name"], 4).value = "identity.nickname"
        ws.cell(rows["identity.county"], 4).value = "identity.name"

    change(book, "基本情况", errors)
    team, nickname = rows["evaluation.team.1.role"], rows["identity.short_name"]
    assert problems(book).splitlines()[1:] == [
        f"  - 基本情况!D{rows['identity.county']}: 键 identity.name 重复 / key appears twice",
        f'  - 基本情况!B{rows["params.year"]} 键 / key year: "二〇二四" 不是整数 / is not a whole '
        "number",
        f"  - 基本情况!B{nickname} 键 / key identity.nickname: 未知的键 / unknown key (remove it or "
        "check the spelling); 允许的键 / allowed: name, unit_type, unit_kind, short_name, county, "
        "superior, nature, accounting_standard, industry_code, industry_name, subordinate_units, "
        'unit_code; 是否应为 / did you mean "name"?',
        f"  - 基本情况!B{team} 键 / key evaluation.team.0.role: 缺少此项 / missing; 若资料未载明，"
        "请填写“未填报” / if the source does not state it, write 未填报",
    ]


def test_management_facts_read_yes_no_as_typed_and_every_problem_at_once(book):
    rows = key_rows(load_workbook(book)["管理情况"])

    def facts(ws):
        ws.cell(rows["facts.monitoring_done"], 2).value = " 否 "  # spaces around: still 否
        ws.cell(rows["facts.targets_reviewed"], 2).value = False  # Excel's FALSE

    change(book, "管理情况", facts)
    read = read_workbook(book).parts["management.yaml"].facts
    assert (read["monitoring_done"], read["targets_reviewed"]) == (False, False)

    def errors(ws):  # a key twice does not hide a fact that is neither yes/no nor a number
        ws.cell(rows["facts.internal_audit_done"], 2).value = "也许"
        ws.cell(rows["facts.procurement_complaints"], 4).value = "facts.asset_report_accurate"

    change(book, "管理情况", errors)
    assert problems(book).splitlines()[1:] == [
        f"  - 管理情况!D{rows['facts.asset_report_accurate']}: 键 facts.asset_report_accurate 重复 "
        "/ key appears twice",
        f"  - 管理情况!B{rows['facts.internal_audit_done']} 键 / key facts.internal_audit_done: "
        '"也许" 应为 是/否 或数字（如 是、否、3、100）/ expected yes or no (是/否) or a number',
    ]


def test_a_blank_required_cell_and_a_top_level_key_name_their_cells(book):
    row = key_rows(load_workbook(book)["基本情况"])["declared_grade"]
    change(book, "基本情况", lambda ws: setattr(ws.cell(row, 2), "value", "好"))
    change(book, "收支情况", lambda ws: setattr(ws["F3"], "value", None))
    assert problems(book).splitlines()[1:] == [
        f'  - 基本情况!B{row} 键 / key declared_grade: "好" 不在允许值中 / is not one of: '
        "'优', '良', '中' or '差'",
        '  - 收支情况!F3 列"本年支出" / column "本年支出": 缺少数值 / the value is missing; '
        "若资料未载明，请填写“未填报” / if the source does not state it, write 未填报",
    ]


def test_a_key_whose_row_is_gone_is_named_with_its_sheet(book):
    row = key_rows(load_workbook(book)["基本情况"])["identity.name"]

    def clear(ws):  # the row's key and value cleared, as if the row were deleted
        ws.cell(row, 2).value = ws.cell(row, 4).value = None

    change(book, "基本情况", clear)
    assert problems(book).splitlines()[1:] == [
        "  - 基本情况 键 / key identity.name: 缺少此项 / missing; 若资料未载明，请填写“未填报” / "
        "if the source does not state it, write 未填报"
    ]


def test_a_keyed_sheet_needs_its_key_column_and_skips_rows_without_a_key(book):
    def note(ws):  # a clerk's note in a row whose 键 is only a space
        row = ws.max_row + 1
        ws.cell(row, 2).value, ws.cell(row, 4).value = "一段备注", " "

    change(book, "基本情况", note)
    change(book, "管理情况", lambda ws: setattr(ws["D2"], "value", "Key"))
    assert problems(book).splitlines()[1:] == [
        "  - 管理情况: 找不到表头行（项目、内容、键） / header row 项目, 内容, 键 not found"
    ]


def test_a_cleared_sheet_is_named_with_the_header_it_lacks(book):
    change(book, "三公经费", lambda ws: ws.delete_rows(1, ws.max_row))
    assert problems(book).splitlines()[1:] == [
        "  - 三公经费: 找不到表头行 / no header row; 表头应为 / expected: 项目,预算,决算,上年决算,"
        "示例数据"
    ]


def test_framework_checks_point_at_the_management_cell(book, tmp_path):
    row = key_rows(load_workbook(book)["管理情况"])["facts.procurement_complaints"]
    change(book, "管理情况", lambda ws: setattr(ws.cell(row, 2), "value", None))
    params = tmp_path / "params" / "wb_2024.yaml"
    params.parent.mkdir()
    params.write_text(f"unit_id: wb_2024\nyear: 2024\ndata: ../{book.name}\n", encoding="utf-8")
    with pytest.raises(ValidationErrors) as info:
        load_unit(params)
    assert (
        f'管理情况!B{row} 键 / key facts.procurement_complaints: 缺少此项 / missing; 指标"采购管理"'
        in str(info.value)
    )


def test_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "unit.xlsx"
    path.write_text("类别,指标\n", encoding="utf-8")
    assert problems(path) == (
        f"{path}: 1 处问题 / problem(s)\n  - "
        "无法打开工作簿（文件已损坏或不是 .xlsx），请用 Excel 另存为 .xlsx / cannot open the workbook "
        "(damaged, or not .xlsx: BadZipFile: File is not a zip file); save it as .xlsx"
    )


def test_a_damaged_workbooks_long_error_is_cut_to_80_characters(book, tmp_path):
    """A workbook whose [Content_Types].xml names a workbook part it lacks, by a long name the
    file chose: the message quotes the first 80 characters of openpyxl's error, not the rest."""
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(damaged, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b'"/xl/workbook.xml"', b'"/xl/' + b"w" * 100 + b'.xml"')
            out.writestr(info, data)
    quoted = "KeyError: \"There is no item named 'xl/" + "w" * 42 + "…"
    assert len(quoted) == 81  # 80 characters and the mark of the cut
    assert problems(damaged) == (
        f"{damaged}: 1 处问题 / problem(s)\n  - "
        "无法打开工作簿（文件已损坏或不是 .xlsx），请用 Excel 另存为 .xlsx / cannot open the workbook "
        f"(damaged, or not .xlsx: {quoted}); save it as .xlsx"
    )


def test_a_workbook_is_held_to_the_workbook_limit_not_the_data_file_limit(book, monkeypatch):
    """A workbook may be larger than a CSV may (SELFEVAL_MAX_WORKBOOK_MB, not _FILE_MB); past its
    own limit it is refused naming the file, and nothing of it is read."""
    monkeypatch.setenv("SELFEVAL_MAX_FILE_MB", "0.001")
    assert read_workbook(book).errors == []
    monkeypatch.setenv("SELFEVAL_MAX_WORKBOOK_MB", "0.001")
    assert problems(book) == (
        f"{book}: 1 处问题 / problem(s)\n  - 超过限制：一个工作簿的大小（MB）最多 0.001，实为 0.0 MB"
        " / over the limit: at most 0.001 (SELFEVAL_MAX_WORKBOOK_MB; default 20), found 0.0 MB"
    )


def test_a_missing_sheet_does_not_hide_the_problems_of_the_sheets_after_it(book):
    """收支情况 renamed 收支 and a bad self score in 自评打分, a later sheet: both are reported."""
    wb = load_workbook(book)
    wb["收支情况"].title = "收支"
    wb["自评打分"].cell(3, 2).value = "很多"
    wb.save(book)
    said = problems(book).splitlines()
    assert said[0].endswith("2 处问题 / problem(s)")
    assert said[1].startswith('  - 缺少工作表"收支情况" / missing sheet "收支情况"; ')
    assert (
        said[2]
        == '  - 自评打分!B3 列"自评得分" / column "自评得分": "很多" 不是数字 / "很多" is not a number'
    )


def test_csv_from_excel_on_chinese_windows_loads_the_same_unit(tmp_path, example):
    for encoding in ("gb18030", "utf-8-sig"):
        project = tmp_path / encoding
        shutil.copytree(EXAMPLE_DATA, project / "data" / "2024" / "qianshan")
        (project / "params").mkdir()
        text = EXAMPLE_PARAMS.read_text(encoding="utf-8").replace(
            "../complete_qianshan", "../data/2024/qianshan"
        )
        (project / "params" / EXAMPLE_PARAMS.name).write_text(text, encoding="utf-8")
        for name in (*TABLES, "narrative.md"):
            path = project / "data" / "2024" / "qianshan" / name
            text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
            path.write_bytes(text.encode(encoding))
        unit = load_unit(project / "params" / EXAMPLE_PARAMS.name)
        for name in (
            "facts",
            "management",
            "budget",
            "sangong",
            "targets",
            "self_scores",
            "narrative",
        ):
            assert getattr(unit, name) == getattr(example, name), (encoding, name)


# --- what the template offers a user --------------------------------------------------------------


def _lists(ws) -> dict[str, str]:
    """Each drop-down's list by the ranges it covers."""
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


def _list_at(ws, ref: str) -> str | None:
    """The drop-down list of a cell (number-only rules are not drop-downs)."""
    return next(
        (
            dv.formula1
            for dv in ws.data_validations.dataValidation
            if ref in dv.sqref and dv.type == "list"
        ),
        None,
    )


def test_drop_downs_offer_the_contracts_fixed_sets(book, example):
    wb = load_workbook(book)
    assert _list_at(wb["收支情况"], "A3") == '"基本支出,项目支出"'
    # 未填报 is offered wherever the contract takes it, and only there
    assert _list_at(wb["收支情况"], "B150") == '"人员经费,公用经费,项目支出,未填报"'
    # 无: the unit had no “三公” at all (a 无 row; an item it had none of is written with 0)
    assert _list_at(wb["三公经费"], "A3") == '"' + ",".join(SANGONG_ITEMS) + ',无"'
    assert _list_at(wb["绩效目标"], "A3") == '"产出,效益"'
    assert _list_at(wb["绩效目标"], "E3") == '"≥,≤,=,定性,未填报"'
    # 类别 offers the framework's target categories; 完成程度 only where it declares levels
    assert _list_at(wb["绩效目标"], "M3") is None
    names = ",".join(i.name for i in example.framework.indicators)
    assert _list_at(wb["自评打分"], "A3") == f'"{names}"'
    ws = wb["基本情况"]
    rows = key_rows(ws)
    assert _list_at(ws, f"B{rows['declared_grade']}") == '"优,良,中,差,未填报"'
    assert _list_at(ws, f"B{rows['identity.unit_kind']}") == '"镇,乡,街道,县直部门,其他"'
    assert _list_at(ws, f"B{rows['evaluation.team.1.role']}") == '"组长,副组长,成员"'
    assert _list_at(ws, f"B{rows['evaluation.published_consistent']}") == '"是,否,未填报"'
    assert _list_at(ws, f"B{rows['identity.name']}") is None
    ws = wb["管理情况"]
    rows = key_rows(ws)
    assert _list_at(ws, f"B{rows['facts.budget_standards_followed']}") == '"是,否,未填报"'
    assert _list_at(ws, f"B{rows['facts.procurement_complaints']}") is None
    assert _list_at(ws, f"B{ws.max_row}") == '"是,否,未填报"'  # 事前绩效评估 of new projects


def test_headers_frozen_and_protected_data_cells_open(book):
    wb = load_workbook(book)
    for name in SHEET_ORDER[1:]:
        ws = wb[name]
        assert ws.freeze_panes == "A3", name
        assert ws.protection.sheet and not ws.protection.insertRows and not ws.protection.deleteRows
        assert ws["A2"].protection.locked, name  # the header
    for name, ref in [
        ("收支情况", "F3"),
        ("绩效目标", "I3"),
        ("文字材料", "B3"),
        ("自评打分", "C3"),
    ]:
        assert not wb[name][ref].protection.locked, (name, ref)
    ws = wb["收支情况"]
    assert not ws.column_dimensions["F"].protection.locked  # rows typed below the data, too
    assert ws["F3"].number_format == "#,##0.00"
    ws = wb["基本情况"]
    rows = key_rows(ws)
    assert not ws.cell(rows["staffing.in_service"], 2).protection.locked
    assert ws.cell(rows["staffing.in_service"], 1).protection.locked  # the label
    assert ws.column_dimensions["D"].hidden  # the key column
    assert ws.cell(rows["params.framework"], 2).protection.locked


def test_the_layout_has_a_row_for_every_key_of_the_unit_facts():
    def leaves(model, prefix=""):
        for name, field in model.model_fields.items():
            inner = field.annotation
            if name == "team":
                yield from (f"{prefix}team.1.{k}" for k in ("role", "title", "name", "duty"))
            elif isinstance(inner, type) and hasattr(inner, "model_fields"):
                yield from leaves(inner, f"{prefix}{name}.")
            else:
                yield prefix + name

    layout = {key for key, _, _ in unit_rows(1) if key} | {"year"}  # year: the params.year row
    assert "params.year" in layout
    # identity.unit_code (years.py) is not asked by the workbook yet: a row for it would move
    # every cell of 基本情况 below it; a workbook unit is connected to last year by `previous:`
    assert set(leaves(UnitFacts)) - {"identity.unit_code"} <= layout
    assert layout - set(leaves(UnitFacts)) == {"params.year", "params.framework"}


def test_text_from_users_is_never_a_formula_in_the_template(tmp_path, example):
    narrative = {**example.narrative, "其他自评情况": "=SUM(A1)", "改进措施": "- 第一条\n- 第二条"}
    unit = replace(example, narrative=narrative)
    path = tmp_path / "formula.xlsx"
    write_template(path, example.framework, unit)
    ws = load_workbook(path)["文字材料"]
    cell = next(
        ws.cell(r, 2) for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "其他自评情况"
    )
    assert (cell.value, cell.data_type) == ("=SUM(A1)", "s")
    assert read_workbook(path).parts["narrative.md"] == narrative


# --- the 评分表 and 数据表 workbook --------------------------------------------------------------


@pytest.fixture(scope="module")
def report():
    return load_report(EXAMPLE_PARAMS)


@pytest.fixture
def scoresheet(tmp_path, report) -> Path:
    path = tmp_path / "2024" / "qianshan_2024.xlsx"
    write_scoresheet(path, report)
    return path


def _row_of(ws, label: str, col: int = 1) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == label)


SCORE_HEADERS = [
    "一级指标",
    "二级指标",
    "指标",
    "指标解释",
    "分值",
    "评分标准",
    "计算得分",
    "自评得分",
    "得分",
    "得分依据/扣分原因",
]
C = {header: n for n, header in enumerate(SCORE_HEADERS, start=1)}  # as a reader finds them


def test_the_score_sheet_total_and_grade_are_the_reports(scoresheet, report):
    wb = load_workbook(scoresheet)
    assert wb.sheetnames == ["评分表", "数据表"]
    ws = wb["评分表"]
    assert [c.value for c in ws[3]] == SCORE_HEADERS  # the report's columns, without 序号
    total = _row_of(ws, "合计")
    assert Decimal(str(ws.cell(total, C["得分"]).value)) == report.card.total == Decimal("86.00")
    assert (
        Decimal(str(ws.cell(total, C["计算得分"]).value))
        == report.card.computed_total
        == Decimal("99.00")
    )
    assert ws.cell(total, C["自评得分"]).value is None  # 自评得分 has no total, as in the report
    # the total rests on the fixture's illustrative self scores, so it and the grade carry ※;
    # the computed total rests on illustrative target figures, so it carries ※ too
    assert ws.cell(total, C["得分"]).number_format == '0.00"※"'
    assert ws.cell(total, C["计算得分"]).number_format == '0.00"※"'
    grade = _row_of(ws, "等级")
    assert (
        (ws.cell(grade, C["计算得分"]).value, ws.cell(grade, C["得分"]).value)
        == ("优※", "良※")
        == (report.card.computed_grade + "※", report.card.grade + "※")
    )
    assert (
        ws.cell(grade, C["得分依据/扣分原因"]).value
        == "等级标准：优≥90、良≥80、中≥60、差<60；单位申报等级：良"
    )
    for row, s in enumerate(report.card.scores, start=4):
        assert ws.cell(row, C["指标"]).value == s.indicator.name
        assert ws.cell(row, C["评分标准"]).value == s.indicator.standard
        assert Decimal(str(ws.cell(row, C["计算得分"]).value)) == s.computed
        assert Decimal(str(ws.cell(row, C["得分"]).value)) == s.score
        assert ws.cell(row, C["得分依据/扣分原因"]).value == s.basis
    assert "A4:A5" in {str(r) for r in ws.merged_cells.ranges}  # 履职效能 spans its two indicators


def _score_rows(path: Path) -> dict[str, tuple]:
    """评分表 rows by indicator (and 合计, 等级): (计算得分, 自评得分, 得分), each as
    (value, number format) the way a user reads the cell; the lines to sign under the table hold
    no score."""
    ws = load_workbook(path)["评分表"]
    rows = {}
    for r in range(4, ws.max_row + 1):
        cells = [ws.cell(r, c) for c in (C["计算得分"], C["自评得分"], C["得分"])]
        if any(c.value is not None for c in cells):
            name = ws.cell(r, C["指标"]).value or ws.cell(r, 1).value
            rows[name] = tuple((c.value, c.number_format) for c in cells)
    return rows


def test_self_score_column_holds_only_the_units_own_scores(unit_copy, tmp_path):
    scores = unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines()
    scores.write_text(
        "\n".join([lines[0], *(x for x in lines if x.startswith("绩效管理制度执行"))]) + "\n",
        encoding="utf-8",
    )  # the unit scores only 绩效管理制度执行 itself (2 points, illustrative)
    report = load_report(unit_copy)
    path = tmp_path / "one.xlsx"
    write_scoresheet(path, report)
    rows = _score_rows(path)
    own = rows["绩效管理制度执行"]
    assert own[1] == (2, '0.00"※"') and own[2] == (2, '0.00"※"')
    for s in report.card.scores:
        if s.indicator.name != "绩效管理制度执行":  # no self score: empty, as in HTML and Word
            computed, self_cell, final = rows[s.indicator.name]
            assert self_cell[0] is None, s.indicator.name
            assert computed[0] == final[0] == float(s.computed)
    assert rows["合计"][1][0] is None and rows["等级"][1][0] is None


def test_a_computed_total_on_illustrative_inputs_carries_the_mark(unit_copy, tmp_path):
    scores = unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv"
    scores.write_text("指标,自评得分,理由,示例数据\n", encoding="utf-8")  # no self scores
    report = load_report(unit_copy)
    assert (
        report.card.computed_illustrative and report.card.illustrative
    )  # targets rest on ※ inputs
    path = tmp_path / "none.xlsx"
    write_scoresheet(path, report)
    rows = _score_rows(path)
    total = float(report.card.total)
    # 计算得分 合计 and 得分 合计 both show 99.00※; the grades 优※, as the report does
    assert rows["合计"][0] == rows["合计"][2] == (total, '0.00"※"')
    assert rows["等级"][0][0] == rows["等级"][2][0] == report.card.grade + "※" == "优※"
    for name, (computed, _, final) in rows.items():
        if name not in ("合计", "等级"):
            s = next(x for x in report.card.scores if x.indicator.name == name)
            assert computed[1] == ('0.00"※"' if s.inputs_illustrative else "0.00"), name
            assert final[1] == ('0.00"※"' if s.illustrative else "0.00"), name


def test_the_data_sheet_holds_entered_and_derived_figures(scoresheet):
    ws = load_workbook(scoresheet)["数据表"]
    row = _row_of(ws, "本年支出合计")
    assert (ws.cell(row, 4).value, ws.cell(row, 5).value) == (4462.32, "万元")
    assert ws.cell(row, 4).number_format == "#,##0.00"
    rate = ws.cell(_row_of(ws, "部门预算资金支出率"), 4)
    # shows 93.00%※: the rate rests on the fixture's illustrative 调整预算
    assert rate.value == 0.93 and rate.number_format == '0.00%"※"'
    assert ws.cell(_row_of(ws, "年末在职人数"), 4).value == 86
    budget = _row_of(ws, "工资福利支出及对个人和家庭的补助", col=3)
    assert [ws.cell(budget, c).value for c in (4, 5, 6, 7)] == [1380, 1420, 1402.51, 1298.4]
    assert ws.cell(_row_of(ws, "公务接待费"), 5).value == 5.42
    assert (
        ws.cell(_row_of(ws, "因公出国（境）费"), 7).value == "不适用"
    )  # a rate over a zero budget


def test_user_text_is_written_as_text_never_as_a_formula(tmp_path, report):
    unit = report.unit
    budget = (unit.budget[0].model_copy(update={"name": "=SUM(A1)"}), *unit.budget[1:])
    targets = (unit.targets[0].model_copy(update={"name": "@cmd"}), *unit.targets[1:])
    unit = replace(unit, budget=budget, targets=targets)
    values = compute_indicators(unit)
    card = score_unit(unit, values)
    scores = list(card.scores)
    scores[2] = replace(scores[2], computed_basis='=HYPERLINK("http://x")')  # a manual reason
    scores[3] = replace(scores[3], computed_basis="-2+3")
    report = replace(report, unit=unit, indicators=values, card=replace(card, scores=tuple(scores)))
    path = tmp_path / "inject.xlsx"
    write_scoresheet(path, report)
    wb = load_workbook(path)
    cells = {c.value: c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None}
    for text in ("=SUM(A1)", "@cmd", '=HYPERLINK("http://x")', "-2+3"):
        assert cells[text].data_type == "s", text


def test_both_sheets_print_on_a4(scoresheet):
    for ws in load_workbook(scoresheet):
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows


def test_the_same_report_gives_the_same_bytes(report, scoresheet):
    from zipfile import ZipFile

    from selfeval_lib.report.scoresheet import scoresheet_bytes

    data = scoresheet_bytes(report)
    assert data == scoresheet.read_bytes() == scoresheet_bytes(report)
    with ZipFile(scoresheet) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert scoresheet.stat().st_mode & 0o044  # readable by colleagues, like the reports


@pytest.mark.notebook
def test_libreoffice_turns_the_score_workbook_into_an_a4_pdf(scoresheet, tmp_path):
    (tmp_path / "pdf").mkdir()
    pdf = libreoffice_pdf(scoresheet, tmp_path / "pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(842, 595)}


def _pages(pdf: Path, tmp_path: Path) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Each page's height and its words (yMin, yMax, text), as pdftotext -bbox reads them."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        skip_unless_required(
            "SELFEVAL_REQUIRE_PDF", "pdftotext not installed: apt-get install poppler-utils"
        )
    bbox = tmp_path / "bbox.html"
    subprocess.run([pdftotext, "-bbox", str(pdf), str(bbox)], check=True, timeout=60)
    pages = re.findall(
        r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', bbox.read_text(), re.S
    )
    word = r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<'
    return [
        (float(h), [(float(a), float(b), w) for a, b, w in re.findall(word, body)])
        for h, body in pages
    ]


def _rules_below(pdf: Path, page: int, top: float, bottom: float, tmp_path: Path) -> int:
    """Horizontal lines drawn between `top` and `bottom` (points) on a page: rendered at 72 dpi
    in grey, the pixel rows dark across half the page's width or more."""
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    prefix = tmp_path / f"page{page}"
    subprocess.run(
        [pdftoppm, "-r", "72", "-gray", "-singlefile", "-f", str(page), "-l", str(page),
         "-png", str(pdf), str(prefix)],
        check=True, timeout=60,
    )  # fmt: skip
    image = Image.open(f"{prefix}.png").convert("L")
    dark = image.point(lambda v: 255 if v < 200 else 0)  # borders (grey 80) and text
    width = image.width
    return sum(
        sum(dark.crop((0, y, width, y + 1)).histogram()[255:]) > width / 2
        for y in range(int(top), int(bottom))
    )


@pytest.mark.notebook
def test_the_blank_template_prints_no_page_that_is_only_a_header(tmp_path, example):
    """Printed by LibreOffice, every page of a blank workbook holds something under its header:
    a sheet's rows, or, for a table with no rows yet, boxed rows to fill in by hand, never a
    sheet's note and column names alone on a page. What prints is what is written (print areas):
    not the spare rows that carry the drop-downs."""
    path = tmp_path / "blank.xlsx"
    write_template(path, example.framework)
    wb = load_workbook(path)
    heads = {
        ws.title: re.sub(r"\s", "", "".join(str(c.value or "") for r in (1, 2) for c in ws[r]))
        for ws in wb.worksheets
    }
    for ws in wb.worksheets:  # what is written, and nothing below it
        assert ws.print_area == f"'{ws.title}'!{absolute_coordinate(ws.dimensions)}", ws.title
    pdf = libreoffice_pdf(path, tmp_path)
    header_only = []
    for n, (height, words) in enumerate(_pages(pdf, tmp_path), start=1):
        body = [(a, b, w) for a, b, w in words if a < height - 60]  # the page number below
        sheet = next((t for t, head in heads.items() if all(w in head for _, _, w in body)), None)
        if sheet is None:
            continue  # a word of the page is no header's: rows of the sheet
        foot = min(a for a, _, _ in words if a >= height - 60)
        text_end = max(b for _, b, _ in body)
        if _rules_below(pdf, n, text_end + 2, foot - 2, tmp_path) < 10:
            header_only.append((n, sheet))
    assert header_only == []


def test_input_cells_are_shaded_amounts_take_numbers_or_not_stated_and_the_guide_fits_a_page(book):
    wb = load_workbook(book)
    unit = wb["基本情况"]
    rows = key_rows(unit)
    assert unit.cell(rows["staffing.retired"], 2).fill.fgColor.rgb == "00FFF5D6"  # input: shaded
    assert unit.cell(rows["params.framework"], 2).fill.fgColor.rgb == "00F2F2F2"  # fixed: grey
    assert unit.cell(rows["identity.name"], 1).fill.fgColor.rgb != "00FFF5D6"  # a label
    budget = wb["收支情况"]
    rules = {str(dv.sqref): dv.formula1 for dv in budget.data_validations.dataValidation}
    amount = next(ref for ref in rules if ref.startswith("D3:"))  # 年初预算
    assert rules[amount] == 'OR(ISNUMBER(D3),D3="未填报")'
    assert budget["D3"].fill.fgColor.rgb == "00FFF5D6"
    facts = wb["管理情况"]
    rules = {str(dv.sqref): dv.formula1 for dv in facts.data_validations.dataValidation}
    row = key_rows(facts)["facts.procurement_complaints"]
    assert rules[f"B{row}"] == f'OR(ISNUMBER(B{row}),B{row}="未填报")'
    guide = wb["填表说明"]
    assert guide.page_setup.fitToHeight == 1 and guide.sheet_properties.pageSetUpPr.fitToPage


def test_each_drop_down_offers_wei_tian_bao_exactly_where_the_contract_takes_it(tmp_path, example):
    """A clerk picks from each list: 未填报 is offered for what may be left unstated (是/否, the
    grade, 经济分类, 方向), never for what must be given (单位类型, a team member's role, 支出类型,
    a target's category). The workbook is written here, not taken from the module's copy: the
    test is then the one that reaches the drop-downs' code (mutmut maps a module fixture's calls
    to whichever test set it up first)."""
    path = tmp_path / "qianshan_2024.xlsx"
    write_template(path, example.framework, example)
    wb = load_workbook(path)
    lists = {
        (ws.title, str(dv.sqref).split(":")[0].split()[0]): dv.formula1
        for ws in wb.worksheets
        for dv in ws.data_validations.dataValidation
        if dv.type == "list" and ws.title != "自评打分"
    }
    assert lists == {
        ("基本情况", "B12"): '"镇,乡,街道,县直部门,其他"',
        ("基本情况", "B28"): '"是,否,未填报"',
        ("基本情况", "B30"): '"组长,副组长,成员"',
        ("基本情况", "B55"): '"优,良,中,差,未填报"',
        ("收支情况", "A3"): '"基本支出,项目支出"',
        ("收支情况", "B3"): '"人员经费,公用经费,项目支出,未填报"',
        ("三公经费", "A3"): '"因公出国（境）费,公务用车购置费,公务用车运行维护费,公务接待费,无"',
        ("绩效目标", "A3"): '"产出,效益"',
        ("绩效目标", "E3"): '"≥,≤,=,定性,未填报"',
        ("管理情况", "B4"): '"是,否,未填报"',
    }


def test_what_the_unit_did_not_state_reads_not_stated_in_the_data_sheet(unit_copy, tmp_path):
    """Stated totals the unit left out, and the 三公 last year of a unit that gives only the
    totals (no sangong.csv rows), read 未填报: never blank, never 不适用 (a rate over a zero base)."""
    data = unit_copy.parent.parent / "data/2024/qianshan"
    for key in ("  total_expenditure: 4898.86", "  actual: 4462.32"):
        edit(data / "unit.yaml", key, "")
    sangong = data / "sangong.csv"
    sangong.write_text(sangong.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    path = tmp_path / "partial.xlsx"
    write_scoresheet(path, load_report(unit_copy))
    ws = load_workbook(path)["数据表"]

    def value(label: str, col: int = 4):
        return ws.cell(_row_of(ws, label), col).value

    for label in (
        "支出总计（含本年支出以外部分）（单位填报）",
        "本年支出合计（单位填报）",
        "部门预算资金支出率（单位填报）",  # was 不适用
        "基本支出比上年增减（单位填报）",
        "“三公”经费上年决算",
        "“三公”经费增减",
    ):
        assert value(label) == "未填报", label
    assert value("基本支出（单位填报）") == 1589.88  # what it states stays as stated
    assert value("“三公”经费预算（单位填报）") == 26.77
    sangong_total = _row_of(ws, "“三公”经费上年决算") - 1  # the row above in section 五
    assert ws.cell(sangong_total, 4).value == 26.77
    # section 二: 合计 | 预算 | 决算 | 上年决算 | 执行率
    heading = _row_of(ws, "二、“三公”经费")
    total = next(r for r in range(heading, ws.max_row) if ws.cell(r, 1).value == "合计")
    assert [ws.cell(total, c).value for c in (4, 5, 6, 7)] == [26.77, 26.77, "未填报", 1]
    # a rate over a zero base is still 不适用
    edit(data / "unit.yaml", "  sangong_budget: 26.77", "  sangong_budget: 0")
    write_scoresheet(path, load_report(unit_copy))
    ws = load_workbook(path)["数据表"]
    assert value("“三公”经费执行率") == "不适用"


def test_the_data_sheet_gives_unit_and_direction_columns_of_their_own(tmp_path):
    """三、绩效目标 of the 数据表: 计量单位 and 方向 each in a column of its own, no cell of the
    table merged, so a clerk sorts or filters on either."""
    path = tmp_path / "book.xlsx"
    write_scoresheet(path, load_report(EXAMPLE_PARAMS))
    ws = load_workbook(path)["数据表"]
    header = _row_of(ws, "三、绩效目标") + 1
    assert [c.value for c in ws[header]] == [
        "类别", "指标", "计量单位", "方向", "目标值", "实际值", "上年值", "增长率", "完成率",
        "示例数据",
    ]  # fmt: skip
    assert [c.value for c in ws[header + 1]][:4] == ["产出", "地区生产总值", "万元", "≥"]
    last = _row_of(ws, "四、人员与决算合计（单位填报）") - 2
    merged = [str(m) for m in ws.merged_cells.ranges if header <= m.min_row <= last]
    assert merged == []


def test_wu_alone_in_the_new_projects_table_means_none(unit_copy, tmp_path):
    """A clerk writes 无 as the only new project's name: there are none, not a project named 无
    whose 事前绩效评估 is missing; an empty table says nothing (未填报), as an omitted key does."""
    from selfeval_lib.report.template import write_template

    unit = load_unit(unit_copy)
    path = tmp_path / "unit.xlsx"
    write_template(path, unit.framework, unit)
    wb = load_workbook(path)
    ws = wb["管理情况"]
    top = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "新增项目名称")
    for r in range(top + 1, ws.max_row + 1):
        ws.cell(r, 1).value = ws.cell(r, 2).value = None
    ws.cell(top + 1, 1).value = "无"
    wb.save(path)
    raw = read_workbook(path)
    assert raw.errors == []
    assert raw.parts["management.yaml"].new_projects == ()
    ws.cell(top + 1, 1).value = None
    wb.save(path)
    assert read_workbook(path).parts["management.yaml"].new_projects is NOT_STATED


def _new_projects(book: Path, edit) -> tuple[str, object, int]:
    """The example's workbook with its 新增项目 table emptied and then filled by `edit(ws, top)`:
    the errors as the clerk reads them, the projects read, and the table's header row."""
    ws = load_workbook(book)["管理情况"]
    top = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "新增项目名称")

    def empty_then_edit(ws):
        for r in range(top + 1, ws.max_row + 1):
            ws.cell(r, 1).value = ws.cell(r, 2).value = None
        edit(ws, top)

    change(book, "管理情况", empty_then_edit)
    management = read_workbook(book).parts.get("management.yaml")
    return problems(book), management.new_projects if management else None, top


def _fill(ws, top: int, rows: dict[int, tuple]) -> None:
    for offset, (name, flag) in rows.items():
        ws.cell(top + offset, 1).value, ws.cell(top + offset, 2).value = name, flag


def test_the_new_projects_table_reads_past_a_blank_row(book):
    """A row between two projects left blank but for spaces and a note beside the table is
    skipped, not the end of the table."""

    def fill(ws, top):
        _fill(ws, top, {1: ("项目甲", "是"), 2: ("  ", " "), 3: ("项目乙", "否")})
        ws.cell(top + 2, 3).value = "以下为下半年新增"

    errors, projects, _ = _new_projects(book, fill)
    assert errors == ""
    assert [(p.name, p.pre_assessed) for p in projects] == [("项目甲", True), ("项目乙", False)]


def test_a_new_projects_faults_name_their_cells(book):
    """A 是否 that is neither, and a 是 with no project name: each error names its own cell."""
    errors, projects, top = _new_projects(
        book, lambda ws, top: _fill(ws, top, {1: ("项目甲", "也许"), 2: (None, "是")})
    )
    assert projects is None
    assert errors.splitlines()[1:] == [
        f'  - 管理情况!B{top + 1} 键 / key new_projects.0.pre_assessed: "也许" 应为 是/否 / '
        "expected yes or no (是/否)",
        f"  - 管理情况!A{top + 2} 键 / key new_projects.1.name: 不能为空 / must not be empty; "
        "若资料未载明，请填写“未填报” / if the source does not state it, write 未填报",
    ]


def test_labels_merged_over_two_fact_rows_change_nothing(book, expected):
    """A clerk tidying the sheet merges two facts' labels (column A, which is not read): the
    facts read as before, and the 新增项目 table below is still found."""
    change(book, "管理情况", lambda ws: ws.merge_cells("A4:A5"))
    assert [ws.cell(4, 4).value for ws in [load_workbook(book)["管理情况"]]] == [
        "facts.budget_standards_followed"
    ]
    raw = read_workbook(book)
    assert raw.errors == []
    assert raw.parts["management.yaml"] == expected["management.yaml"]


def test_a_new_projects_table_without_its_header_is_one_error(book):
    """The header renamed: one error naming the sheet and the header it looks for — not the rows
    of the whole sheet read as projects."""

    def rename(ws, top):
        ws.cell(top, 1).value = "项目"
        _fill(ws, top, {1: ("项目甲", "是")})

    errors, projects, _ = _new_projects(book, rename)
    assert errors.splitlines()[1:] == [
        '  - 管理情况: 找不到"新增项目名称"表头 / header "新增项目名称" not found'
    ]
    assert projects is None


def test_wei_tian_bao_alone_in_the_new_projects_table_is_not_stated(book):
    errors, projects, _ = _new_projects(book, lambda ws, top: _fill(ws, top, {1: ("未填报", None)}))
    assert (errors, projects) == ("", NOT_STATED)


def test_a_name_merged_over_two_project_rows_is_refused_once_naming_the_range(book):
    """A clerk merges one name over two rows (two projects of one name): refused, the range named
    once (both rows read touch it), and the second row's missing name named by its cell."""

    def merge(ws, top):
        _fill(ws, top, {1: ("项目甲", "是"), 2: (None, "否")})
        ws.merge_cells(f"A{top + 1}:A{top + 2}")

    errors, projects, top = _new_projects(book, merge)
    lines = errors.splitlines()
    assert lines[0].endswith("2 处问题 / problem(s)")
    assert lines[1].startswith(f"  - 管理情况!A{top + 1}:A{top + 2}: 合并单元格无法逐格读取")
    assert lines[2].startswith(f"  - 管理情况!A{top + 2} 键 / key new_projects.1.name: 不能为空")
    assert projects is None


def test_a_workbook_with_its_team_but_no_other_evaluation_rows_names_each_missing_key(book):
    """The clerk deleted the rows of 评价 above and below the team (their keys gone): each key
    is named as missing, the team still read — never a crash on the team alone."""

    def clear(ws):
        for r in range(3, ws.max_row + 1):
            key = ws.cell(r, 4).value or ""
            if key.startswith("evaluation.") and not key.startswith("evaluation.team."):
                for c in range(1, 5):
                    ws.cell(r, c).value = None

    change(book, "基本情况", clear)
    missing = ["notice_title", "notice_number", "fill_date", "submitted", "published_consistent"]
    assert problems(book).splitlines()[1:] == [
        f"  - 基本情况 键 / key evaluation.{key}: 缺少此项 / missing; 若资料未载明，请填写“未填报” / "
        "if the source does not state it, write 未填报"
        for key in missing
    ]


def test_a_required_section_whose_row_is_gone_is_named_on_the_sheet(book):
    """The clerk deleted the 单位职能 row of 文字材料 (title and text): the section is named as
    missing, on the sheet (it has no cell any more)."""

    def clear(ws):
        (row,) = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "单位职能"]
        ws.cell(row, 1).value = ws.cell(row, 2).value = None

    change(book, "文字材料", clear)
    assert problems(book).splitlines()[1:] == [
        '  - 文字材料: 缺少章节 "单位职能" 或内容为空 / missing or empty section "单位职能"'
    ]


def _swap_narrative_columns(ws) -> None:
    """The clerk puts 内容 first and 章节 second (header and every row)."""
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 1).value, ws.cell(r, 2).value = ws.cell(r, 2).value, ws.cell(r, 1).value


def test_the_narrative_reads_with_its_columns_in_either_order(book, expected):
    change(book, "文字材料", _swap_narrative_columns)
    raw = read_workbook(book)
    assert raw.errors == []
    narrative = raw.parts["narrative.md"]
    assert {t: narrative[t] for t in expected["narrative.md"]} == expected["narrative.md"]


def test_a_narrative_with_its_columns_swapped_past_the_row_limit_names_the_title_column(
    book, monkeypatch
):
    monkeypatch.setenv("SELFEVAL_MAX_ROWS", "3")
    change(book, "文字材料", _swap_narrative_columns)
    found = [p for e in read_workbook(book).errors for p in e.problems if p.startswith("文字材料")]
    assert [p.split(": 超过限制")[0] for p in found] == [
        "文字材料!B6: 第4个数据行 / data row 4"  # B: where the titles are
    ]


@pytest.mark.parametrize("renamed", ["章节", "内容"])
def test_a_narrative_header_missing_one_of_its_names_is_one_error(book, renamed):
    """章节 or 内容 renamed (标题, 正文): the sheet is refused with the header it looks for."""

    def rename(ws):
        column = 1 if renamed == "章节" else 2
        assert ws.cell(2, column).value == renamed
        ws.cell(2, column).value = {"章节": "标题", "内容": "正文"}[renamed]

    change(book, "文字材料", rename)
    assert problems(book).splitlines()[1:] == [
        "  - 文字材料: 找不到表头行（章节、内容） / header row 章节, 内容 not found"
    ]


@pytest.mark.parametrize("word", ["章节", "内容"])
def test_one_word_of_the_narrative_header_above_it_does_not_move_the_header(book, expected, word):
    """A row inserted above the header holding only 章节 (or 内容), as a title: the header is
    still the row that names both."""

    def insert(ws):
        ws.insert_rows(2)
        ws.cell(2, 1).value = word

    change(book, "文字材料", insert)
    raw = read_workbook(book)
    assert raw.errors == []
    narrative = raw.parts["narrative.md"]
    assert {t: narrative[t] for t in expected["narrative.md"]} == expected["narrative.md"]


def test_a_hidden_narrative_row_is_refused_naming_the_sheet_and_row(book):
    change(book, "文字材料", lambda ws: setattr(ws.row_dimensions[4], "hidden", True))
    assert (
        problems(book).splitlines()[1].startswith("  - 文字材料!A4: 此行被隐藏，其内容会写入报告")
    )


# --- limits ----------------------------------------------------------------------------------------

LIMIT = 80  # SELFEVAL_MAX_ROWS in the tests below: above the rows of every keyed sheet
PAST_THE_LIMIT = {  # sheet -> (the header of its table, a line a clerk might add)
    "收支情况": ("支出类型", lambda n: ["项目支出", "项目支出", f"项目{n}", 1, 1, 1, 1]),
    "管理情况": ("新增项目名称", lambda n: [f"新增项目{n}", "是"]),
    "文字材料": ("章节", lambda n: [f"补充说明{n}", "内容"]),
}


@pytest.mark.parametrize("sheet", PAST_THE_LIMIT)
def test_a_table_past_the_row_limit_is_refused_naming_its_first_row_past_it(
    book, monkeypatch, sheet
):
    """A table one row longer than the limit is refused whole, naming the cell of the row past
    it; it is never read cut short (the rows past the limit silently dropped)."""
    monkeypatch.setenv("SELFEVAL_MAX_ROWS", str(LIMIT))
    header, line = PAST_THE_LIMIT[sheet]

    def fill_to(rows: int) -> int:
        """Lines added below the table until it has `rows` data rows; the last one's row."""
        wb = load_workbook(book)
        ws = wb[sheet]
        top = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == header)
        given = sum(any(c.value is not None for c in ws[r]) for r in range(top + 1, ws.max_row + 1))
        last = ws.max_row + rows - given
        for r in range(ws.max_row + 1, last + 1):
            for col, value in enumerate(line(r), start=1):
                ws.cell(r, col, value)
        wb.save(book)
        return last

    fill_to(LIMIT)  # at the limit: read (文字材料 then says its titles are unknown, nothing more)
    assert "SELFEVAL_MAX_ROWS" not in problems(book)
    last = fill_to(LIMIT + 1)
    assert [e.problems for e in read_workbook(book).errors] == [
        [
            f"{sheet}!A{last}: 第{LIMIT + 1}个数据行 / data row {LIMIT + 1}: 超过限制：一个表（或"
            f"工作表）的数据行数最多 {LIMIT}，实为 {LIMIT + 1} / over the limit: at most {LIMIT} "
            f"(SELFEVAL_MAX_ROWS; default 2000), found {LIMIT + 1}"
        ]
    ]


def test_a_keyed_sheet_past_the_row_limit_is_refused_naming_its_first_key_past_it(
    book, monkeypatch
):
    monkeypatch.setenv("SELFEVAL_MAX_ROWS", str(LIMIT))
    wb = load_workbook(book)
    ws = wb["基本情况"]
    last = ws.max_row + LIMIT + 1 - len(key_rows(ws))
    for r in range(ws.max_row + 1, last + 1):
        ws.cell(r, 1, "补充项目")
        ws.cell(r, 4, f"extra.item{r}")
    wb.save(book)
    assert [e.problems for e in read_workbook(book).errors] == [
        [
            f"基本情况!D{last}: 第{LIMIT + 1}个数据行 / data row {LIMIT + 1}: 超过限制：一个表（或"
            f"工作表）的数据行数最多 {LIMIT}，实为 {LIMIT + 1} / over the limit: at most {LIMIT} "
            f"(SELFEVAL_MAX_ROWS; default 2000), found {LIMIT + 1}"
        ]
    ]


def test_the_national_examples_workbook_offers_its_frameworks_targets_and_reads_back(tmp_path):
    """The 绩效目标 sheet of a national-shape unit: 类别, 二级指标 and 完成程度 drop-downs from its
    framework; its 分值, 完成程度, 偏差原因 and a qualitative target's words read back as given."""
    nat = load_unit(Path(__file__).parents[2] / "params" / "synth_nat_2024.yaml")
    book = tmp_path / "青石镇.xlsx"
    write_template(book, nat.framework, nat)
    ws = load_workbook(book)["绩效目标"]
    header = [c.value for c in ws[2]]
    letter = {name: chr(ord("A") + n) for n, name in enumerate(header)}
    assert _list_at(ws, f"{letter['类别']}3") == '"产出,效益,满意度"'
    assert _list_at(ws, f"{letter['完成程度']}3") == '"达成,基本达成,部分达成,未达成,未填报"'
    assert _list_at(ws, f"{letter['二级指标']}3").startswith(
        '"数量指标,质量指标,时效指标,成本指标,'
    )
    raw = read_workbook(book)
    assert raw.errors == []
    assert raw.parts["targets.csv"] == nat.targets
    # imported as a data folder, its targets.csv is the shipped one, byte for byte
    import_workbook(
        book, tmp_path / "params" / "x.yaml", tmp_path / "x", framework="national_selfeval_2024"
    )
    shipped = Path(__file__).parents[2] / "data" / "2024" / "synth_nat" / "targets.csv"
    assert (tmp_path / "x" / "targets.csv").read_bytes() == shipped.read_bytes()
    words = next(t for t in raw.parts["targets.csv"] if t.direction == "定性")
    assert (words.target, words.actual, words.points, words.level) == (
        "9月前",
        "10月中旬完工",
        Decimal(10),
        "基本达成",
    )


def test_wu_rows_and_wu_values_survive_the_workbook_and_the_import(unit_copy, tmp_path):
    """What a unit states it has none of (a 无 row, team 无, new projects 无) stays none through
    `selfeval template --from` and `selfeval import`, never turning into 未填报 or a line."""
    data = unit_copy.parent.parent / "data/2024/qianshan"
    targets = data / "targets.csv"
    kept = [
        t for t in targets.read_text(encoding="utf-8").splitlines() if not t.startswith("产出,")
    ]
    targets.write_text("\n".join([*kept, "产出,无"]) + "\n", encoding="utf-8")
    edit(data / "unit.yaml", "  team:\n", "  team: 无\n  gone:\n")
    text = (data / "unit.yaml").read_text(encoding="utf-8")
    (data / "unit.yaml").write_text(re.sub(r"  gone:\n(    - .*\n)+", "", text), "utf-8")
    edit(data / "management.yaml", "new_projects:\n  - {", "new_projects: 无\ngone:\n  - {")
    text = (data / "management.yaml").read_text(encoding="utf-8")
    (data / "management.yaml").write_text(re.sub(r"gone:\n(  - .*\n)+", "", text), "utf-8")
    unit = load_unit(unit_copy)
    book = tmp_path / "unit.xlsx"
    write_template(book, unit.framework, unit)
    ws = load_workbook(book)["绩效目标"]
    assert [ws.cell(ws.max_row, c).value for c in (1, 2, 3)] == ["产出", "无", None]
    params = import_workbook(book, tmp_path / "params/new_2024.yaml", tmp_path / "data/2024/new")
    again = load_unit(params)
    assert [n.group for n in again.none_rows["targets.csv"]] == ["产出"]
    assert again.targets == unit.targets
    assert (again.facts.evaluation.team, again.management.new_projects) == ((), ())
    assert "产出,无,,,,,,,,," in (tmp_path / "data/2024/new/targets.csv").read_text("utf-8")
