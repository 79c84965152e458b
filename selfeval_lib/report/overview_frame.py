"""The county overview as one pandas DataFrame (units × ranking columns, indicator scores), and
summary.xlsx written from it."""

from __future__ import annotations

import re

import pandas as pd

from ..fmt import ILLUSTRATIVE_MARK, excel_format, fig_of_record, present_fig
from ..values import NOT_APPLICABLE_WORD, NOT_STATED_WORD
from .frames import _cell
from .history import YearResult
from .xlsx import workbook_bytes

NOT_STATED_COUNT = f"{NOT_STATED_WORD}(项)"  # how many values the unit did not state
OUTSIDE = f"{NOT_APPLICABLE_WORD}说明"  # why the unit lies outside its framework
# beside the total: how many indicators were scored by the 未填报 rule (their data not stated)
SCORED_NOT_STATED = f"数据{NOT_STATED_WORD}的指标(项)"

LAST_TOTAL, LAST_GRADE, CHANGE = "上年得分", "上年等级", "变化"
YEAR_COLUMN = re.compile(r"^\d{4}(得分|等级)$")  # 2023得分, 2023等级: each earlier year on file


def year_columns(years) -> list[str]:
    """The 历年 columns of these years, oldest first: 2023得分, 2023等级, 2024得分 …"""
    return [f"{y}{what}" for y in sorted(set(years)) for what in ("得分", "等级")]


# Ranking columns, in the order summary.xlsx shows them (the index is 单位代码, written third).
RANKING = {
    "排名": "Int64",  # within the units scored by the same framework
    "单位": "string",
    "县（区）": "string",
    "评分表": "string",
    "自评总分": "Float64",
    "等级": "string",
    # last year beside this year (scores.json previous_year): 变化 is against last year's data
    # re-scored under this year's framework where the framework changed (like with like)
    LAST_TOTAL: "Float64",
    LAST_GRADE: "string",
    CHANGE: "Float64",
    "含示例数据": "boolean",  # the total and grade rest on illustrative (※) values
    SCORED_NOT_STATED: "Int64",  # NA for a scores file written before completeness existed
    "预算资金支出率(%)": "Float64",
    "“三公”经费预算(万元)": "Float64",
    "“三公”经费决算(万元)": "Float64",
    NOT_STATED_COUNT: "Int64",
    "数据核对提示(条)": "Int64",
    "合成示例": "boolean",
    "本次运行失败": "boolean",  # the unit's last run failed: its last good report is shown
    OUTSIDE: "string",  # why the unit lies outside its framework's years or unit kinds
}


# Figures of the scores records that may be 未填报, 不适用 or marked ※, by their frame column.
FIGURES = {
    "spending_rate": "预算资金支出率(%)",
    "sangong_budget": "“三公”经费预算(万元)",
    "sangong_actual": "“三公”经费决算(万元)",
}


def overview_frame(o) -> pd.DataFrame:
    """The Overview `o` (overview.py) as one row per unit (index 单位代码), grouped by framework
    (the largest group first) and ranked within it, best total first; the ranking columns, then
    one column per indicator with the score that counts (NA where its framework has none). `attrs` holds the year, each indicator's 分值
    (weight), 标注 (per unit, for the FIGURES and indicator columns: 未填报 or 不适用 for an NA,
    ※ for a number that rests on an illustrative value, "" otherwise) and the Overview itself, which the overview
    notebook's show_* helpers draw from."""
    names = list(dict.fromkeys(i["name"] for u in o.units for i in u["indicators"]))
    weights = {i["name"]: i["weight"] for u in reversed(o.units) for i in u["indicators"]}
    years = year_columns(e.year for u in o.units for e in u["earlier"])
    rows = []
    for framework, units in o.by_framework:
        for rank, u in enumerate(units, start=1):
            scores = {i["name"]: _cell(i["score"]) for i in u["indicators"]}
            last = u.get("previous_year") or {}
            rows.append(
                {
                    "单位代码": u["unit_id"],
                    "排名": rank,
                    "单位": u["unit_name"],
                    "县（区）": u.get("county") or pd.NA,
                    "评分表": framework,
                    "自评总分": _cell(u["total"]),
                    "等级": u["grade"],
                    LAST_TOTAL: _cell(last.get("total")),
                    LAST_GRADE: last.get("grade"),
                    CHANGE: _cell(last.get("change")),
                    "含示例数据": bool(u.get("illustrative")),
                    SCORED_NOT_STATED: u.get("completeness", {}).get("not_stated"),
                    "预算资金支出率(%)": _cell(u.get("spending_rate")),
                    "“三公”经费预算(万元)": _cell(u.get("sangong_budget")),
                    "“三公”经费决算(万元)": _cell(u.get("sangong_actual")),
                    NOT_STATED_COUNT: len(u.get("not_stated", [])),
                    "数据核对提示(条)": len(u["warnings"]),
                    "合成示例": bool(u.get("synthetic")),
                    "本次运行失败": bool(u.get("stale")),
                    OUTSIDE: u.get("outside_framework") or "",
                    **_year_cells(u["earlier"]),
                    **{name: scores.get(name) for name in names},
                }
            )
    columns = ["单位代码", *RANKING, *years, *names]
    frame = pd.DataFrame(rows, columns=columns).set_index("单位代码")
    kinds = {c: "Float64" if c.endswith("得分") else "string" for c in years}
    # typed: a missing figure (None) is <NA>
    frame = frame.astype({**RANKING, **kinds, **dict.fromkeys(names, "Float64")})
    status = {
        u["unit_id"]: {
            **{col: u.get("figure_status", {}).get(key, "") for key, col in FIGURES.items()},
            **(_year_marks(u, years) if years else {}),
            **{
                i["name"]: ILLUSTRATIVE_MARK if i.get("illustrative") else ""
                for i in u["indicators"]
            },
        }
        for u in o.units
    }
    frame.attrs.update(year=o.year, 分值=weights, 标注=status, overview=o)
    return frame


def _year_cells(earlier: tuple[YearResult, ...]) -> dict:
    """A unit's 历年 cells: each earlier year's total and grade as that year filed them."""
    cells = {}
    for e in earlier:
        cells |= {f"{e.year}得分": e.total, f"{e.year}等级": e.grade}
    return cells


def _year_marks(u: dict, years: list[str]) -> dict[str, str]:
    """标注 of the 上年 and 历年 columns: 不适用 where the unit has no such year on file, ※ beside
    a total that rests on illustrative values (变化: on either year's)."""
    last = u.get("previous_year") or {}
    had = {e.year: e for e in u["earlier"]}
    marks = {}
    if not last:
        marks = dict.fromkeys((LAST_TOTAL, LAST_GRADE, CHANGE), NOT_APPLICABLE_WORD)
    else:
        marks[LAST_TOTAL] = ILLUSTRATIVE_MARK if last.get("illustrative") else ""
        either = last.get("illustrative") or u.get("illustrative")
        marks[CHANGE] = ILLUSTRATIVE_MARK if either else ""
    for col in years:
        e = had.get(int(col[:4]))
        marks[col] = (
            NOT_APPLICABLE_WORD
            if e is None
            else ILLUSTRATIVE_MARK
            if e.illustrative and col.endswith("得分")
            else ""
        )
    return marks


SUMMARY_COLUMNS = (
    "排名",
    "单位",
    "单位代码",
    "县（区）",
    "评分表",
    "自评总分",
    "等级",
    SCORED_NOT_STATED,
    "预算资金支出率(%)",
    "“三公”经费预算(万元)",
    "“三公”经费决算(万元)",
    NOT_STATED_COUNT,
    "数据核对提示(条)",
    "合成示例",
    "说明",
)

SUMMARY_WIDTHS = (
    6,
    24,
    14,
    10,
    18,
    8,
    6,
    10,
    10,
    10,
    10,
    8,
    8,
    6,
    30,
)  # of SUMMARY_COLUMNS (print: 80 %)
INDICATOR_WIDTH = 10  # each indicator's column after them


HISTORY_WIDTH = 8  # each 上年 and 历年 column, after 等级
AFTER_GRADE = SUMMARY_COLUMNS.index("等级") + 1


def summary_parts(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The columns summary.xlsx adds to SUMMARY_COLUMNS: the 上年 and 历年 columns (after 等级;
    none where no unit has an earlier year on file) and the indicators (after 说明)."""
    extra = list(frame.columns[len(RANKING) :])
    years = [c for c in extra if YEAR_COLUMN.match(c)]
    history = [LAST_TOTAL, LAST_GRADE, CHANGE, *years] if years else []
    return history, [c for c in extra if c not in years]


def summary_rows(frame: pd.DataFrame, status: dict | None = None) -> list[list]:
    """The load_overview DataFrame as rows of summary.xlsx (SUMMARY_COLUMNS, then the indicators):
    a grade resting on illustrative values shows ※ (numbers carry it in their format, see
    export_summary_xlsx); a figure the unit did not state is 未填报, a rate over a zero base
    不适用, never 0 (an empty cell only for a scores file written before 标注 existed). `status`:
    the 标注 of the units (default: the frame's attrs)."""

    def plain(v):
        return None if v is pd.NA else v.item() if hasattr(v, "item") else v

    status = frame.attrs.get("标注", {}) if status is None else status
    history, indicators = summary_parts(frame)
    rows = []
    for unit_id, *row in frame.itertuples(name=None):
        v = {col: plain(row[n]) for n, col in enumerate(frame.columns)}
        for col, word in status.get(unit_id, {}).items():
            if v[col] is None and (f := fig_of_record(None, word)) is not None:
                v[col] = present_fig(f).text  # 未填报 or 不适用
        notes = "；".join(
            n
            for n in (
                "本次运行失败，显示上次结果" if v["本次运行失败"] else "",
                f"不在评分表适用范围：{v[OUTSIDE]}" if v[OUTSIDE] else "",
            )
            if n
        )
        rows.append(
            [
                v["排名"],
                v["单位"],
                unit_id,
                v["县（区）"] or NOT_STATED_WORD,
                v["评分表"],
                v["自评总分"],
                v["等级"] + (ILLUSTRATIVE_MARK if v["含示例数据"] else ""),
                *(v[col] for col in history),
                v[SCORED_NOT_STATED],
                v["预算资金支出率(%)"],
                v["“三公”经费预算(万元)"],
                v["“三公”经费决算(万元)"],
                v[NOT_STATED_COUNT],
                v["数据核对提示(条)"],
                "是" if v["合成示例"] else "否",
                notes,
                *(v[name] for name in indicators),
            ]
        )
    return rows


SUMMARY_PRINT_SCALE = 80  # % of the 11 pt body: 8.8 pt on paper, readable


def _print_summary(ws) -> None:
    """Landscape A4 at a fixed, readable scale rather than every column squeezed onto one page
    (26 columns at about 3 pt): the columns run on over as many pages as they need, each page
    repeating the header row and the unit's 排名, 单位 and 单位代码."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = SUMMARY_PRINT_SCALE
    ws.page_setup.pageOrder = "overThenDown"  # a unit's columns on consecutive pages
    ws.print_title_rows = "1:1"
    ws.print_title_cols = "A:C"
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def export_summary_xlsx(frame: pd.DataFrame) -> bytes:
    """summary.xlsx: the load_overview DataFrame, one row per unit, formatted to print on A4;
    for a province (units of several 县（区）) that sheet first, then one sheet per county."""
    from openpyxl import Workbook

    wb = Workbook()
    status = frame.attrs.get("标注", {})  # holds for every unit, in every sheet
    # the frame without its attrs: pandas deep-copies attrs (the Overview, every unit's record)
    # into each column, row and part it derives, so a province's workbook took minutes (O(units²))
    bare = pd.DataFrame(frame)
    _summary_sheet(wb.active, bare, f"{frame.attrs['year']}年度汇总", status)
    counties = bare["县（区）"].fillna("")
    if counties.nunique() > 1:
        for county in sorted(counties.unique()):
            part = bare[counties == county].copy()
            # ranked within the county (the frame is in ranking order within each framework)
            part["排名"] = part.groupby("评分表").cumcount() + 1
            title = _sheet_title(county or NOT_STATED_WORD)
            _summary_sheet(wb.create_sheet(), part, title, status)
    wb.properties.creator = "selfeval"
    return workbook_bytes(wb)  # fixed timestamps: the same units give the same bytes


def _sheet_title(name: str) -> str:
    """A county's name as an Excel sheet title: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if c in "[]:*?/\\" else c for c in name)[:31]


def _summary_sheet(ws, frame: pd.DataFrame, title: str, status: dict) -> None:
    """One sheet of summary.xlsx: the units of `frame` as ranked there; `status`: the 标注."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .xlsx import write_cell

    ws.title = title
    history, indicators = summary_parts(frame)
    header = [*SUMMARY_COLUMNS[:AFTER_GRADE], *history, *SUMMARY_COLUMNS[AFTER_GRADE:], *indicators]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    columns = {name: n for n, name in enumerate(header)}
    # a row's mark by its place: two scores files may name one unit (a copy kept by hand)
    illustrative = frame["含示例数据"].tolist()
    for n, row in enumerate(summary_rows(frame, status)):
        unit_id = row[columns["单位代码"]]
        ws.append(row)
        cells = ws[ws.max_row]
        for cell in cells:
            write_cell(cell, cell.value)  # names from data files are text, never formulas
        # ※ in the number format: the cell stays a number that sorts and sums
        marks = {"自评总分": bool(illustrative[n])}
        marks |= {col: word == ILLUSTRATIVE_MARK for col, word in status.get(unit_id, {}).items()}
        for col, mark in marks.items():
            cell = cells[columns[col]]
            if isinstance(cell.value, int | float):
                cell.number_format = excel_format("0.00", mark)
    widths = (
        *SUMMARY_WIDTHS[:AFTER_GRADE],
        *[HISTORY_WIDTH] * len(history),
        *SUMMARY_WIDTHS[AFTER_GRADE:],
        *[INDICATOR_WIDTH] * len(indicators),
    )
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for cell in ws[1]:  # headers wrap within their columns
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[1].height = 45  # three lines of a wrapped header
    ws.freeze_panes = "D2"
    _print_summary(ws)
