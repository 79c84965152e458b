"""The 评分表 and 数据表 of one unit as an .xlsx workbook that prints on A4."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..fmt import pct
from ..inputs.workbook.cells import (
    AMOUNT_FORMAT,
    GREY_FILL,
    HEADER_FILL,
    NOTE_FONT,
    figure_format,
    print_on_a4,
    put,
    row_height,
    workbook_bytes,
    write_atomic,
)
from .content import Report

SCORE_COLUMNS = {  # 评分表 column -> width
    "一级指标": 10,
    "二级指标": 12,
    "指标": 18,
    "分值": 7,
    "评分标准": 42,
    "计算得分": 9,  # what the framework's rule gives
    "自评得分": 9,  # the score that counts: the unit's own where it gave one with a reason
    "得分依据/扣分原因": 58,
}
DATA_WIDTHS = (11, 11, 26, 12, 12, 12, 12, 12, 16)  # 数据表 columns A..I
SCORE_FORMAT = "0.00"
PCT_FORMAT = "0.00%"  # rates are stored as Excel percentages: 93% is 0.93
NA = "不适用"  # a rate over a zero base
KINDS = {"t": "text", "a": "amount", "p": "pct", "f": "figure", "c": "count"}
UNIT_KINDS = {"万元": "amount", "万元/人": "amount", "%": "pct"}  # by the 单位 of a figure
_THIN = Side(style="thin", color="808080")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _title(ws, text: str, note: str, columns: int) -> None:
    put(ws, 1, 1, text, font=Font(bold=True, size=14))
    put(ws, 2, 1, note, font=NOTE_FONT, wrap=True)
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.cell(1, 1).alignment = CENTER


def _merge_runs(ws, first_row: int, col: int, keys: list) -> None:
    """Merge the cells of a column where consecutive rows repeat the same group."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if i - start > 1:
                ws.merge_cells(
                    start_row=first_row + start,
                    start_column=col,
                    end_row=first_row + i - 1,
                    end_column=col,
                )
            ws.cell(first_row + start, col).alignment = CENTER
            start = i


def _bands(grades) -> str:
    """'优≥90、良≥80、中≥60、差<60' from the framework's grade bands (highest first, last at 0)."""
    parts = [f"{b.grade}≥{b.min}" for b in grades if b.min]
    lowest = grades[-1]
    return "、".join(
        [*parts, f"{lowest.grade}<{grades[-2].min}" if len(grades) > 1 else lowest.grade]
    )


def _score_sheet(ws, report: Report) -> None:
    unit, card, fw = report.unit, report.card, report.unit.framework
    ws.title = "评分表"
    name = f"{unit.facts.identity.name}{unit.params.year}年度部门整体支出绩效自评评分表"
    _title(ws, name, f"评分表：{fw.name}。{fw.notice}", len(SCORE_COLUMNS))
    for col, (header, width) in enumerate(SCORE_COLUMNS.items(), start=1):
        put(ws, 3, col, header, bold=True, fill=HEADER_FILL, wrap=True).border = BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    widths = list(SCORE_COLUMNS.values())
    row = 4
    for s in card.scores:
        ind = s.indicator
        values = (
            ind.level1,
            ind.level2,
            ind.name,
            ind.weight,
            ind.standard,
            s.computed,
            s.score,
            s.basis,
        )
        for col, value in enumerate(values, start=1):
            fmt = SCORE_FORMAT if col in (4, 6, 7) else None
            put(ws, row, col, value, fmt=fmt, wrap=True).border = BOX
        ws.row_dimensions[row].height = max(
            row_height(str(v), w) or 15 for v, w in zip(values, widths, strict=True)
        )
        row += 1
    groups = [s.indicator for s in card.scores]
    _merge_runs(ws, 4, 1, [i.level1 for i in groups])
    _merge_runs(ws, 4, 2, [(i.level1, i.level2) for i in groups])
    declared = "" if card.declared_grade is None else f"；单位申报等级：{card.declared_grade}"
    closing = (
        ("合计", fw.total_weight, card.computed_total, card.total, ""),
        ("等级", None, card.computed_grade, card.grade, f"等级标准：{_bands(fw.grades)}{declared}"),
    )
    for label, weight, computed, result, remark in closing:
        put(ws, row, 1, label, bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.cell(row, 1).alignment = CENTER
        put(ws, row, 4, weight, fmt=SCORE_FORMAT)
        put(ws, row, 6, computed, fmt=SCORE_FORMAT if weight else None)
        put(ws, row, 7, result, fmt=SCORE_FORMAT if weight else None, bold=True)
        put(ws, row, 8, remark, wrap=True)
        for col in range(1, 9):
            ws.cell(row, col).border = BOX
        row += 1
    ws.freeze_panes = "A4"
    print_on_a4(ws, "3:3")


def _write(ws, row: int, col: int, value: object, kind: str) -> None:
    """One figure: amounts with two decimals, rates as Excel percentages, None as 不适用 (rates)."""
    if value is None:
        put(ws, row, col, NA if kind == "pct" else None).border = BOX
        return
    if kind == "pct":
        value, fmt = Decimal(value) / 100, PCT_FORMAT
    else:
        fmt = {"amount": AMOUNT_FORMAT, "count": "0", "figure": figure_format(value)}.get(kind)
    put(ws, row, col, value, fmt=fmt, wrap=kind == "text").border = BOX


def _heading(ws, row: int, title: str) -> None:
    put(ws, row, 1, title, bold=True, fill=GREY_FILL)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(DATA_WIDTHS))


def _box(ws, row: int, first: int, last: int) -> None:
    """Border the cells first..last of a row and merge them when there are several."""
    for col in range(first, last + 1):
        ws.cell(row, col).border = BOX
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _table(ws, row: int, title: str, header: list[str], kinds: str, rows: list[tuple]) -> int:
    """A titled table: header row, then rows; `kinds` has a letter per column (see KINDS)."""
    _heading(ws, row, title)
    for col, name in enumerate(header, start=1):
        put(ws, row + 1, col, name, bold=True, fill=HEADER_FILL, wrap=True).border = BOX
    for r, values in enumerate(rows, start=row + 2):
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            _write(ws, r, col, value, KINDS[kind])
    return row + len(rows) + 3


def _pairs(ws, row: int, title: str, items: list[tuple[str, object, str, str]]) -> int:
    """项目 | 数值 | 单位 | 说明 rows: the label spans columns A:C and the note F:I."""
    _heading(ws, row, title)
    spans = ((1, 3), (4, 4), (5, 5), (6, 9))
    header = ("项目", "数值", "单位", "计算方法 / 说明")
    for (first, last), text in zip(spans, header, strict=True):
        put(ws, row + 1, first, text, bold=True, fill=HEADER_FILL)
        _box(ws, row + 1, first, last)
    for r, (label, value, unit, note) in enumerate(items, start=row + 2):
        put(ws, r, 1, label, wrap=True)
        _write(ws, r, 4, value, UNIT_KINDS.get(unit, "count"))
        put(ws, r, 5, unit)
        put(ws, r, 6, note, wrap=True)
        for first, last in spans:
            _box(ws, r, first, last)
    return row + len(items) + 3


def _derived(report: Report) -> list[tuple[str, object, str, str]]:
    v = report.values

    def change(now, before):
        return None if before is None else now - before

    return [
        ("本年支出合计", v.actual, "万元", "基本支出 + 项目支出"),
        ("基本支出", v.basic, "万元", "支出类型为基本支出的各行本年支出之和"),
        ("项目支出", v.project, "万元", "支出类型为项目支出的各行本年支出之和"),
        ("人员经费", v.personnel, "万元", "经济分类为人员经费的本年支出"),
        ("公用经费", v.public, "万元", "经济分类为公用经费的本年支出"),
        ("基本支出占比", v.basic_share, "%", "基本支出 ÷ 本年支出"),
        ("项目支出占比", v.project_share, "%", "项目支出 ÷ 本年支出"),
        ("上年基本支出", v.basic_last, "万元", "基本支出各行上年支出之和"),
        ("上年项目支出", v.project_last, "万元", "项目支出各行上年支出之和"),
        ("基本支出增减", change(v.basic, v.basic_last), "万元", "本年 − 上年"),
        ("项目支出增减", change(v.project, v.project_last), "万元", "本年 − 上年"),
        ("年初预算合计", v.initial_budget, "万元", "各行年初预算之和"),
        ("调整预算合计", v.adjusted_budget, "万元", "各行调整预算（全年用款计划）之和"),
        ("部门预算资金支出率", v.spending_rate, "%", "本年支出 ÷ 调整预算"),
        ("基本支出支出率", v.basic_rate, "%", "基本支出 ÷ 基本支出调整预算"),
        ("项目支出支出率", v.project_rate, "%", "项目支出 ÷ 项目支出调整预算"),
        ("“三公”经费预算", v.sangong_budget, "万元", "各项预算之和"),
        ("“三公”经费决算", v.sangong_actual, "万元", "各项决算之和"),
        ("“三公”经费上年决算", v.sangong_last, "万元", "各项上年决算之和"),
        ("“三公”经费增减", change(v.sangong_actual, v.sangong_last), "万元", "本年决算 − 上年决算"),
        ("“三公”经费执行率", v.sangong_rate, "%", "决算 ÷ 预算"),
        ("在职人数占编制比例", v.staffing_rate, "%", "年末在职 ÷ 核定编制"),
        ("临时工占在职比例", v.temporary_ratio, "%", "外聘临时工 ÷ 年末在职"),
        ("离退休占在职比例", v.retired_ratio, "%", "离退休 ÷ 年末在职"),
        ("人均基本支出", v.basic_per_staff, "万元/人", "基本支出 ÷ 年末在职"),
        ("新增项目数", v.new_projects, "个", "管理情况填报"),
        ("开展事前绩效评估的新增项目数", v.pre_assessed, "个", "管理情况填报"),
        ("事前绩效评估覆盖率", v.pre_assessment_rate, "%", "无新增项目时不适用"),
    ]


def _data_sheet(ws, report: Report) -> None:
    unit, v = report.unit, report.values
    name = f"{unit.facts.identity.name}{unit.params.year}年度部门整体支出绩效自评数据表"
    _title(
        ws,
        name,
        "金额单位：万元；比率以百分比表示。前四部分为单位填报的数字，第五部分由其计算。",
        9,
    )
    for col, width in enumerate(DATA_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    marks = ";".join
    budget = [
        (
            b.kind,
            b.econ,
            b.name,
            b.initial_budget,
            b.adjusted_budget,
            b.actual,
            b.last_year,
            pct(b.actual, b.adjusted_budget),
            marks(b.illustrative),
        )
        for b in unit.budget
    ]
    last = None if v.basic_last is None or v.project_last is None else v.basic_last + v.project_last
    budget.append(
        ("合计", "", "", v.initial_budget, v.adjusted_budget, v.actual, last, v.spending_rate, "")
    )
    row = _table(
        ws,
        4,
        "一、收支情况",
        [
            "支出类型",
            "经济分类",
            "科目名称",
            "年初预算",
            "调整预算",
            "本年支出",
            "上年支出",
            "支出率",
            "示例数据",
        ],
        "tttaaaapt",
        budget,
    )
    sangong = [
        (
            s.item,
            "",
            "",
            s.budget,
            s.actual,
            s.last_year,
            pct(s.actual, s.budget),
            "",
            marks(s.illustrative),
        )
        for s in unit.sangong
    ]
    sangong.append(
        ("合计", "", "", v.sangong_budget, v.sangong_actual, v.sangong_last, v.sangong_rate, "", "")
    )
    row = _table(
        ws,
        row,
        "二、“三公”经费",
        ["项目", "", "", "预算", "决算", "上年决算", "执行率", "", "示例数据"],
        "tttaaaptt",
        sangong,
    )
    targets = [
        (
            t.target.category,
            t.target.name,
            f"{t.target.unit} {t.target.direction}",
            t.target.target,
            t.target.actual,
            t.target.last_year,
            t.growth_pct,
            t.completion,
            marks(t.target.illustrative),
        )
        for t in v.targets
    ]
    row = _table(
        ws,
        row,
        "三、绩效目标",
        [
            "类别",
            "指标",
            "计量单位 / 方向",
            "目标值",
            "实际值",
            "上年值",
            "增长率",
            "完成率",
            "示例数据",
        ],
        "tttfffppt",
        targets,
    )
    s, totals = unit.facts.staffing, unit.facts.totals
    entered = [
        ("机构编制部门核定人数", s.authorized, "人", "基本情况"),
        ("年末在职人数", s.in_service, "人", "基本情况"),
        ("离退休人数", s.retired, "人", "基本情况"),
        ("外聘临时工人数", s.temporary, "人", "基本情况"),
        ("支出总计（含本年支出以外部分）", totals.total_expenditure, "万元", "单位决算报表"),
        ("本年支出合计（单位填报）", totals.actual, "万元", "应等于各支出行之和"),
        ("基本支出（单位填报）", totals.basic, "万元", "应等于基本支出各行之和"),
        ("项目支出（单位填报）", totals.project, "万元", "应等于项目支出各行之和"),
        ("“三公”经费预算（单位填报）", totals.sangong_budget, "万元", "应等于三公经费各项之和"),
        ("“三公”经费决算（单位填报）", totals.sangong_actual, "万元", "应等于三公经费各项之和"),
    ]
    row = _pairs(ws, row, "四、人员与决算合计（单位填报）", entered)
    row = _pairs(ws, row, "五、计算指标", _derived(report))
    put(ws, row, 1, "数据核对提示", bold=True, fill=GREY_FILL)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=9)
    for r, text in enumerate(report.card.warnings or ("无。",), start=row + 1):
        put(ws, r, 1, text, wrap=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
        ws.row_dimensions[r].height = row_height(text, sum(DATA_WIDTHS))
    print_on_a4(ws, "1:2")


def scoresheet_bytes(report: Report) -> bytes:
    """One unit's 评分表 (scores, bases, total, grade) and 数据表 (every figure as entered and
    every derived figure) as .xlsx bytes formatted for A4; the same report gives the same bytes."""
    wb = Workbook()
    wb.properties.creator = "selfeval"
    _score_sheet(wb.active, report)
    _data_sheet(wb.create_sheet("数据表"), report)
    return workbook_bytes(wb)


def write_scoresheet(path: str | Path, report: Report) -> None:
    """Write `scoresheet_bytes(report)` to `path`, atomically."""
    write_atomic(path, scoresheet_bytes(report))
