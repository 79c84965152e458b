"""The 数据表 sheet of a unit's workbook: every figure as entered (with ※ and 未填报) and every
derived figure, and the helpers both sheets use to write boxed, formatted cells."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..evaluate.indicators import BUDGET_AMOUNTS, SANGONG_AMOUNTS, TARGET_FIGURES
from ..fmt import present_fig
from ..inputs.places import TOTAL_LABELS
from ..values import NOT_APPLICABLE_WORD, NOT_STATED_WORD, Fig
from .content import Report
from .xlsx import (
    AMOUNT_FORMAT,
    GREY_FILL,
    HEADER_FILL,
    NOTE_FONT,
    figure_format,
    fit_sheet,
    print_on_a4,
    put,
    row_height,
)
from .xlsx_styles import merge, restyle

DATA_WIDTHS = (11, 11, 26, 12, 12, 12, 12, 12, 12, 16)  # 数据表 columns A..J


PCT_FORMAT = "0.00%"  # rates are stored as Excel percentages: 93% is 0.93


KINDS = {"t": "text", "a": "amount", "p": "pct", "f": "figure", "c": "count"}


UNIT_KINDS = {"万元": "amount", "万元/人": "amount", "%": "pct"}  # by the 单位 of a figure


_THIN = Side(style="thin", color="808080")


BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


# Totals and rates a unit may state (unit.yaml totals): key, unit, how the 数据表 checks it; each
# named as the report names it (places.TOTAL_LABELS).
_TOTALS_CHECKED = (
    ("total_expenditure", "万元", "单位决算报表"),
    ("actual", "万元", "应等于各支出行之和"),
    ("basic", "万元", "应等于基本支出各行之和"),
    ("project", "万元", "应等于项目支出各行之和"),
    ("initial_budget", "万元", "应等于各行年初预算之和"),
    ("initial_basic", "万元", "应等于基本支出各行年初预算之和"),
    ("initial_project", "万元", "应等于项目支出各行年初预算之和"),
    ("adjusted_budget", "万元", "应等于各行调整预算之和"),
    ("adjusted_basic", "万元", "应等于基本支出各行调整预算之和"),
    ("adjusted_project", "万元", "应等于项目支出各行调整预算之和"),
    ("spending_rate", "%", "单位所列；本年支出、调整预算均已填报时以 本年支出÷调整预算 为准"),
    ("basic_change", "万元", "单位所列"),
    ("project_change", "万元", "单位所列"),
    ("sangong_budget", "万元", "应等于三公经费各项之和"),
    ("sangong_actual", "万元", "应等于三公经费各项之和"),
)
STATED_TOTALS = tuple((k, TOTAL_LABELS[k], u, n) for k, u, n in _TOTALS_CHECKED)


def sheet_title(ws, text: str, note: str, columns: int) -> None:
    put(ws, 1, 1, text, font=Font(bold=True, size=14))
    put(ws, 2, 1, note, font=NOTE_FONT, wrap=True)
    for row in (1, 2):
        merge(ws, row, 1, row, columns)
    restyle(ws.cell(1, 1), alignment=CENTER)


def _write(ws, row: int, col: int, value: object, kind: str) -> None:
    """One cell: a figure as present_fig shows it (amounts with two decimals, rates as Excel
    percentages, ※ in the number format; 未填报, or 不适用 for a rate over a zero base, as the
    word), or text as it is."""
    if not isinstance(value, Fig):
        put(ws, row, col, value, wrap=kind == "text", border=BOX)
        return
    shown = present_fig(value, na=NOT_APPLICABLE_WORD if kind == "pct" else "")
    if shown.value is None:
        put(ws, row, col, shown.text or None, border=BOX)
        return
    number = shown.value
    if kind == "pct":
        number, fmt = Decimal(number) / 100, PCT_FORMAT
    else:
        fmt = {"amount": AMOUNT_FORMAT, "count": "0", "figure": figure_format(number)}.get(kind)
    put(ws, row, col, number, fmt=shown.number_format(fmt), wrap=kind == "text", border=BOX)


def _heading(ws, row: int, title: str) -> None:
    put(ws, row, 1, title, bold=True, fill=GREY_FILL)
    merge(ws, row, 1, row, len(DATA_WIDTHS))


def _box(ws, row: int, first: int, last: int) -> None:
    """Border the cells first..last of a row and merge them when there are several."""
    for col in range(first, last + 1):
        restyle(ws.cell(row, col), border=BOX)
    if last > first:
        merge(ws, row, first, row, last)


def _table(ws, row: int, title: str, header: list[str], kinds: str, rows: list[tuple]) -> int:
    """A titled table: header row, then rows; `kinds` has a letter per column (see KINDS)."""
    _heading(ws, row, title)
    for col, name in enumerate(header, start=1):
        put(ws, row + 1, col, name, bold=True, fill=HEADER_FILL, wrap=True, border=BOX)
    for r, values in enumerate(rows, start=row + 2):
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            _write(ws, r, col, value, KINDS[kind])
    return row + len(rows) + 3


def _pairs(ws, row: int, title: str, items: list[tuple[str, object, str, str]]) -> int:
    """项目 | 数值 | 单位 | 说明 rows: the label spans columns A:C and the note F to the last."""
    _heading(ws, row, title)
    spans = ((1, 3), (4, 4), (5, 5), (6, len(DATA_WIDTHS)))
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


def _entered(unit, dotted: str) -> Fig:
    """A figure the unit fills in (section 四): one it left out is 未填报 at its own place, as
    if it had written so; never 不适用 (that is a rate over a zero base) and never an empty cell."""
    f = unit.key(dotted)
    return (
        f
        if f.given or f.not_stated
        else Fig(None, f.illustrative, (unit.place("unit.yaml", key=dotted),))
    )


def _derived(report: Report) -> list[tuple[str, object, str, str]]:
    v = report.indicators
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
        ("基本支出增减", v.basic_change, "万元", "单位所列，或 本年 − 上年"),
        ("项目支出增减", v.project_change, "万元", "单位所列，或 本年 − 上年"),
        ("年初预算合计", v.initial_budget, "万元", "单位所列，或各行年初预算之和"),
        ("调整预算合计", v.adjusted_budget, "万元", "单位所列，或各行调整预算（全年用款计划）之和"),
        (
            "部门预算资金支出率",
            v.spending_rate,
            "%",
            "本年支出 ÷ 调整预算（二者不全时为单位所列）",
        ),
        ("基本支出支出率", v.basic_rate, "%", "基本支出 ÷ 基本支出调整预算"),
        ("项目支出支出率", v.project_rate, "%", "项目支出 ÷ 项目支出调整预算"),
        ("“三公”经费预算", v.sangong_budget, "万元", "各项预算之和"),
        ("“三公”经费决算", v.sangong_actual, "万元", "各项决算之和"),
        ("“三公”经费上年决算", v.sangong_last, "万元", "各项上年决算之和"),
        ("“三公”经费增减", v.sangong_change, "万元", "本年决算 − 上年决算"),
        ("“三公”经费执行率", v.sangong_rate, "%", "决算 ÷ 预算"),
        ("在职人数占编制比例", v.staffing_rate, "%", "年末在职 ÷ 核定编制"),
        ("临时工占在职比例", v.temporary_ratio, "%", "外聘临时工 ÷ 年末在职"),
        ("离退休占在职比例", v.retired_ratio, "%", "离退休 ÷ 年末在职"),
        ("人均基本支出", v.basic_per_staff, "万元/人", "基本支出 ÷ 年末在职"),
        ("新增项目数", v.new_projects, "个", "管理情况填报"),
        ("开展事前绩效评估的新增项目数", v.pre_assessed, "个", "管理情况填报"),
        ("事前绩效评估覆盖率", v.pre_assessment_rate, "%", f"无新增项目时{NOT_APPLICABLE_WORD}"),
    ]


def data_sheet(ws, report: Report) -> None:
    unit, v = report.unit, report.indicators
    name = f"{unit.facts.identity.name}{unit.params.year}年度部门整体支出绩效自评数据表"
    sheet_title(
        ws,
        name,
        "金额单位：万元；比率以百分比表示。前四部分为单位填报的数字，第五部分由其计算。",
        len(DATA_WIDTHS),
    )
    for col, width in enumerate(DATA_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    marks = ";".join
    budget = [
        (
            b.line.kind,
            str(b.line.econ),
            b.line.name,
            *b.amounts,
            b.spending_rate,
            marks(b.line.illustrative),
        )
        for b in v.budget_lines
    ]
    budget.append(
        (
            "合计",
            "",
            "",
            v.initial_budget,
            v.adjusted_budget,
            v.actual,
            v.last_total,
            v.spending_rate,
            "",
        )
    )
    row = _table(
        ws,
        4,
        "一、收支情况",
        ["支出类型", "经济分类", "科目名称", *BUDGET_AMOUNTS.values(), "支出率", "示例数据"],
        "tttaaaapt",
        budget,
    )
    sangong = [
        (s.line.item, "", "", *s.amounts, s.rate, "", marks(s.line.illustrative))
        for s in v.sangong_lines
    ]
    sangong.append(
        ("合计", "", "", v.sangong_budget, v.sangong_actual, v.sangong_last, v.sangong_rate, "", "")
    )
    row = _table(
        ws,
        row,
        "二、“三公”经费",
        ["项目", "", "", *SANGONG_AMOUNTS.values(), "执行率", "", "示例数据"],
        "tttaaaptt",
        sangong,
    )
    targets = [
        (
            t.target.category,
            t.target.name,
            f"{t.target.unit}",  # 计量单位 and 方向 apart: each sorts and filters on its own
            f"{t.target.direction}",
            t.goal_words or t.goal,  # a qualitative target's words
            t.actual_words or t.actual,
            t.last_year,
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
        ["类别", "指标", "计量单位", "方向", *TARGET_FIGURES.values(), "完成率", "示例数据"],
        "ttttfffppt",
        targets,
    )

    def key(dotted: str) -> Fig:
        return _entered(unit, dotted)

    entered = [
        ("机构编制部门核定人数", key("staffing.authorized"), "人", "基本情况"),
        ("年末在职人数", key("staffing.in_service"), "人", "基本情况"),
        ("离退休人数", key("staffing.retired"), "人", "基本情况"),
        ("外聘临时工人数", key("staffing.temporary"), "人", "基本情况"),
        *(
            (f"{label}（单位填报）", key(f"totals.{k}"), unit_, note)
            for k, label, unit_, note in STATED_TOTALS
        ),
    ]
    row = _pairs(ws, row, "四、人员与决算合计（单位填报）", entered)
    row = _pairs(ws, row, "五、计算指标", _derived(report))
    put(ws, row, 1, "数据核对提示", bold=True, fill=GREY_FILL)
    merge(ws, row, 1, row, len(DATA_WIDTHS))
    missing = unit.not_stated()
    lines = [*report.warnings, *(f"{NOT_STATED_WORD}：{m}" for m in missing)]
    for r, text in enumerate(lines or ["无。"], start=row + 1):
        put(ws, r, 1, text, wrap=True)
        merge(ws, r, 1, r, len(DATA_WIDTHS))
        ws.row_dimensions[r].height = row_height(text, sum(DATA_WIDTHS))
    fit_sheet(ws)
    print_on_a4(ws, "1:2")
