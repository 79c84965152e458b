"""The one-page 部门整体支出绩效自评表 beside each report: every figure and score it shares with the
report is the report's (scores.json, the HTML), its layout is the framework's `form:`, 未填报 prints
as 未填报, and it prints on one A4 landscape page."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from selfeval_lib import load_report
from selfeval_lib.evaluate.form import compute_form
from selfeval_lib.report.form import ONE_PAGE_ROWS, form_docx_bytes, form_xlsx_bytes

from ..conftest import (
    EXAMPLE_PARAMS,
    ROOT,
    edit,
    libreoffice_pdf,
    skip_unless_required,
    visible_text,
)

SHIPPED = sorted((ROOT / "params").glob("*.yaml"))  # 前山镇 and every synthetic unit
FUNDS_TOTAL = "年度资金总额"


def _sheet(data: bytes):
    return load_workbook(BytesIO(data)).worksheets[0]


def _rows(ws) -> list[list[object]]:
    """Every row's values, a merged cell's value in its first cell only (as the sheet stores it)."""
    return [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_col=8)]


def _row(rows: list[list[object]], label: str, col: int = 0) -> list[object]:
    return next(r for r in rows if r[col] == label)


def _table(rows: list[list[object]]) -> list[list[object]]:
    """The indicator table's rows, each with its 一级 and 二级 filled down (merged in the sheet)."""
    start = next(n for n, r in enumerate(rows) if r[0] == "一级指标") + 1
    end = next(n for n, r in enumerate(rows) if r[0] == "总分")
    table, above = [], [None, None]
    for r in rows[start:end]:
        above = [r[0] if r[0] is not None else above[0], r[1] if r[1] is not None else above[1]]
        table.append([*above, *r[2:]])
    return table


def _points(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("params", SHIPPED, ids=lambda p: p.stem)
def test_the_form_shares_every_figure_and_score_with_the_scores_record(params):
    r = load_report(params)
    scores = json.loads(json.dumps(r.scores_record()))  # as scores.json holds it
    by_id = {i["id"]: i for i in scores["indicators"]}
    rows = _rows(_sheet(form_xlsx_bytes(r)))
    fw = r.unit.framework

    assert _row(rows, "部门（单位）名称")[1] == scores["unit_name"]
    funds = _row(rows, FUNDS_TOTAL, col=1)
    scored = fw.form_indicator(fw.form.funds[0].indicator)
    assert (funds[5], funds[7]) == (by_id[scored.id]["weight"], by_id[scored.id]["score"])
    if scores["spending_rate"] is None:
        assert funds[6] in ("未填报", "不适用")
    else:  # stored as an Excel percentage
        assert _points(Decimal(str(funds[6])) * 100) == _points(scores["spending_rate"])

    table = _table(rows)
    if fw.form.indicators.rows == "framework":  # one row per indicator not in the funds block
        shown = {row[2]: (row[5], row[6]) for row in table}
        expected = {
            i["name"]: (i["weight"], i["score"]) for i in scores["indicators"] if i is not None
        }
        del expected[by_id[scored.id]["name"]]
        assert shown == expected
    else:  # one row per target; a category's targets add up to its indicator's score
        targets = [t.target for t in r.indicators.targets]
        assert [row[2] for row in table] == [t.name for t in targets]
        for s in r.card.scores:
            if s.indicator.rule.kind != "target_completion" or not s.targets:
                continue
            rows_of = [
                row
                for row, t in zip(table, targets, strict=True)
                if t.category == s.indicator.rule.category
            ]
            assert sum(_points(row[6]) for row in rows_of) == _points(
                by_id[s.indicator.id]["score"]
            )
            assert sum(_points(row[5]) for row in rows_of) == _points(
                by_id[s.indicator.id]["weight"]
            )

    total = _row(rows, "总分")
    assert total[5] == float(fw.total_weight) and total[6] == scores["total"]
    assert total[7].startswith(f"等级：{scores['grade']}")


def test_what_the_example_does_not_state_prints_未填报_and_its_total_is_marked():
    r = load_report(EXAMPLE_PARAMS)
    ws = _sheet(form_xlsx_bytes(r))
    rows = _rows(ws)
    assert _row(rows, "填报日期")[1:8] == [
        "2025年11月",
        None,
        "联系人",
        "未填报",
        "电话",
        None,
        "未填报",
    ]
    assert _row(rows, "部门（单位）名称")[5] == "徐闻县财政局"
    goals = rows[next(n for n, row in enumerate(rows) if row[0] == "年度总体目标") + 1]
    assert (goals[1], goals[5]) == ("未填报", "未填报")
    funds = {row[1]: row[2:8] for row in rows if row[1] in ("基本支出", "项目支出")}
    assert funds["基本支出"] == ["未填报", "未填报", 1589.88, "不适用", "未填报", "不适用"]
    # the total rests on the example's illustrative self scores: ※ in the number format
    total_cell = next(
        c for c in ws[next(n for n, row in enumerate(rows, 1) if row[0] == "总分")] if c.column == 7
    )
    assert total_cell.value == 86 and total_cell.number_format == '0.00"※"'


def test_a_national_unit_fills_every_cell_its_data_states():
    r = load_report(ROOT / "params" / "synth_nat_2024.yaml")
    ws = _sheet(form_xlsx_bytes(r))
    inner = {cell for rng in ws.merged_cells.ranges for cell in rng.cells} - {
        (rng.min_row, rng.min_col) for rng in ws.merged_cells.ranges
    }
    last = max(n for n, row in enumerate(_rows(ws), 1) if row[0] == "总分")
    empty = [
        ws.cell(row, col).coordinate
        for row in range(2, last + 1)
        for col in range(1, 9)
        if (row, col) not in inner and ws.cell(row, col).value in (None, "")
    ]
    assert empty == []
    table = _table(_rows(ws))
    by_name = {row[2]: row for row in table}
    # a qualitative target's words; a target the deviation rule counts, its reason as stated
    assert by_name["道路硬化工程完工时间"][3:5] == ["9月前", "10月中旬完工"]
    assert by_name["农村道路硬化里程"][3:8] == ["≥20公里", "22公里", 15, 15, "无"]
    assert by_name["危房改造户数"][6:8] == [8, "未填报"]  # 50 % over its 指标值: deducted 2
    total = _row(_rows(ws), "总分")
    assert total[6] == 89 and "总分不超过89.00分" in total[7]  # capped by the 预算执行率


def test_a_framework_declares_its_own_form(unit_copy, tmp_path):
    framework = tmp_path / "province.yaml"
    text = (ROOT / "selfeval_lib/frameworks/gd_township_2024.yaml").read_text(encoding="utf-8")
    form = text.index("form:")
    framework.write_text(
        text[:form]
        + "form:\n"
        + "  title: 部门整体支出绩效自评表（省定格式）\n"
        + "  blocks: [header, funds, indicators, total]\n"
        + "  funds:\n"
        + "    - {label: 年度资金总额, budget: 调整预算, actual: 本年支出, indicator: spending_rate}\n"
        + "    - {label: 其他资金}\n"
        + "  indicators: {rows: targets, columns: [一级指标, 三级指标, 年度指标值, 全年实际值]}\n",
        encoding="utf-8",
    )
    edit(unit_copy, "framework: gd_township_2024", f"framework: {framework}")
    rows = _rows(_sheet(form_xlsx_bytes(load_report(unit_copy))))
    assert rows[0][0] == "（2024年度）部门整体支出绩效自评表（省定格式）"
    assert [r[1] for r in rows if r[1] in (FUNDS_TOTAL, "基本支出", "其他资金")] == [
        FUNDS_TOTAL,
        "其他资金",
    ]
    assert _row(rows, "其他资金", col=1)[2:8] == ["不适用"] * 6
    assert not any(r[0] in ("年度总体目标", "填表人") for r in rows)
    assert _row(rows, "一级指标")[:4] == ["一级指标", "三级指标", "年度指标值", "全年实际值"]


def test_a_long_table_repeats_its_header_on_every_page_and_a_short_one_fits_one():
    r = load_report(EXAMPLE_PARAMS)
    figures = compute_form(r.unit, r.indicators, r.card)
    assert len(figures.lines) <= ONE_PAGE_ROWS
    short = _sheet(form_xlsx_bytes(r, figures))
    header = next(n for n, row in enumerate(_rows(short), 1) if row[0] == "一级指标")
    assert short.print_title_rows == f"${header}:${header}"
    assert short.page_setup.orientation == "landscape" and short.page_setup.fitToHeight == 1
    long = _sheet(form_xlsx_bytes(r, dataclasses.replace(figures, lines=figures.lines * 3)))
    assert long.page_setup.fitToHeight == 0 and long.print_title_rows == f"${header}:${header}"


def test_the_word_form_prints_the_same_cells_on_landscape_a4():
    r = load_report(ROOT / "params" / "synth_nat_2024.yaml")
    xlsx = [str(v) for row in _rows(_sheet(form_xlsx_bytes(r))) for v in row if isinstance(v, str)]
    doc = Document(BytesIO(form_docx_bytes(r)))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    words = {cell.text for row in doc.tables[0].rows for cell in row.cells}
    assert {t for t in xlsx if not t.startswith(("（", "填表人"))} <= words
    assert {"89.00", "7.69", "76.92%", "2,000.00"} <= words
    assert doc.paragraphs[-1].text.startswith("填表人：")


# --- the real run: the files beside the report --------------------------------------------------


def _pdf_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        skip_unless_required(
            "SELFEVAL_REQUIRE_PDF", f"{name} not installed: apt-get install poppler-utils"
        )
    return found


@pytest.mark.notebook
def test_the_run_writes_the_form_beside_the_report_with_the_reports_figures(built_example):
    form = built_example.with_name("qianshan_2024.自评表.xlsx")
    assert form.is_file() and built_example.with_name("qianshan_2024.自评表.docx").is_file()
    scores = json.loads(built_example.with_name("qianshan_2024.scores.json").read_text("utf-8"))
    page = visible_text(built_example.read_text(encoding="utf-8"))
    rows = _rows(_sheet(form.read_bytes()))
    funds = _row(rows, FUNDS_TOTAL, col=1)
    assert funds[4] == 4462.32 and "4,462.32" in page  # 全年执行数 = the report's 本年支出
    assert funds[6] * 100 == scores["spending_rate"] == 93 and "93%" in page
    assert _row(rows, "总分")[6] == scores["total"] and f"{scores['total']:.2f}" in page
    for row in _table(rows):  # every indicator's score as the report's 评分表 prints it
        assert re.search(re.escape(row[2]) + r"\s*\S*?\s*" + f"{row[5]:.2f}", page), row[2]


@pytest.mark.notebook
def test_the_example_form_prints_on_one_a4_landscape_page_with_embedded_cjk_fonts(
    built_example, tmp_path
):
    pdf = libreoffice_pdf(built_example.with_name("qianshan_2024.自评表.xlsx"), tmp_path)
    info = subprocess.run([_pdf_tool("pdfinfo"), str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info), info
    assert re.search(r"Page size:\s+841.\d+ x 595.\d+ pts \(A4\)", info), info
    fonts = subprocess.run([_pdf_tool("pdffonts"), str(pdf)], capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes " in r for r in rows)  # every font embedded
    assert any("CJK" in r for r in rows), fonts.stdout
    text = subprocess.run(
        [_pdf_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert re.search(r"联系人\s+未填报\s+电话\s+未填报", text), text
    assert "部门整体支出绩效自评表" in text and "86.00※" in text and "等级：良" in text
