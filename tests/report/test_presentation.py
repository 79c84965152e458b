"""Compute once, show many: the report stage never reads a figure of an input line by its column
name (every line figure is a field of the computed result), and one function (fmt.present_fig)
decides how a figure shows in every format, with one constant per mark."""

from __future__ import annotations

import ast
import typing
from decimal import Decimal as D
from pathlib import Path

import pytest

from selfeval_lib.fmt import (
    ILLUSTRATIVE_HTML,
    ILLUSTRATIVE_MARK,
    fig_of_record,
    present_fig,
)
from selfeval_lib.inputs.schema import TABLES
from selfeval_lib.values import NOT_APPLICABLE_WORD, NOT_STATED_WORD, Fig

PACKAGE = Path(__file__).resolve().parents[2] / "selfeval_lib"


def report_stage() -> list[Path]:
    """Every module of the report stage (the county overview included)."""
    return sorted((PACKAGE / "report").rglob("*.py"))


def _is_figure(annotation: object) -> bool:
    return annotation is D or any(_is_figure(a) for a in typing.get_args(annotation))


# The figure columns of the line tables, as the data contract names them: 年初预算, 调整预算,
# 本年支出, 上年支出, 预算, 决算, 上年决算, 目标值, 实际值, 上年值, 增长率.
FIGURE_COLUMNS = {
    field.alias
    for part in ("budget.csv", "sangong.csv", "targets.csv")
    for field in TABLES[part].model_fields.values()
    if _is_figure(field.annotation)
}


def _strings(source: str, fstring_parts: bool = True) -> list[tuple[int, str]]:
    """Every string constant of a module's code (f-strings' literal parts too, unless told),
    without its docstrings."""
    tree = ast.parse(source)
    parts = {
        id(v)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr) and not fstring_parts
        for v in node.values
    }
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings | parts
    ]


# 分值 is a target's points (targets.csv) and an indicator's points (the framework's weight), one
# concept: the 评分表 heads its weight column with the word, which is no read of targets.csv.
INDICATOR_WORDS = {"分值"}


def column_reads(source: str) -> list[tuple[int, str]]:
    """String constants that name a figure column of an input line table. A read by name is a
    whole string; a sentence's words around a figure (f"{x}实际值{y}") are prose."""
    columns = FIGURE_COLUMNS - INDICATOR_WORDS
    return [(line, text) for line, text in _strings(source, False) if text in columns]


def mark_literals(source: str) -> list[tuple[int, str]]:
    """String constants that write 未填报, 不适用 or ※ themselves."""
    marks = (NOT_STATED_WORD, NOT_APPLICABLE_WORD, ILLUSTRATIVE_MARK)
    return [(line, text) for line, text in _strings(source) if any(m in text for m in marks)]


def test_the_figure_columns_come_from_the_data_contract():
    assert FIGURE_COLUMNS == {
        "年初预算",
        "调整预算",
        "本年支出",
        "上年支出",
        "预算",
        "决算",
        "上年决算",
        "目标值",
        "实际值",
        "上年值",
        "增长率",
        "分值",
    }


def test_the_report_stage_reads_no_input_column_by_name():
    """Every rate, sum and amount of a budget, 三公 or target line that a table, chart or workbook
    shows is a field of the computed result (Indicators.budget_lines, .sangong_lines, .targets,
    .line_sums...); a column's header is taken from the contract (BUDGET_AMOUNTS...)."""
    found = {
        f"{path.relative_to(PACKAGE)}:{line}": text
        for path in report_stage()
        for line, text in column_reads(path.read_text(encoding="utf-8"))
    }
    assert found == {}


def test_no_module_of_the_report_stage_writes_a_mark_itself():
    """未填报, 不适用 and ※ are written by fmt.present_fig and the constants beside it, never
    typed again in the report stage: a sentence that needs the word uses the constant."""
    found = {
        f"{path.relative_to(PACKAGE)}:{line}": text
        for path in report_stage()
        for line, text in mark_literals(path.read_text(encoding="utf-8"))
    }
    assert found == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('x = unit.cell("budget.csv", n, "调整预算")', [(1, "调整预算")]),
        ('columns = ("预算", "决算")', [(1, "预算"), (1, "决算")]),
        ('def f():\n    """调整预算 in a docstring is prose."""\n', []),
        ('header = "调整预算合计"', []),  # a label that names a total, not a column read
        ('text = f"{names}实际值{NOT_STATED_WORD}"', []),  # a sentence
        ("text = f\"{b['调整预算']}\"", [(1, "调整预算")]),  # a read inside an f-string
    ],
)
def test_the_column_scan_finds_a_read_by_name(source, expected):
    assert column_reads(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('text = "支出率不适用"', [(1, "支出率不适用")]),
        ('text = f"{name}未填报，图中未列"', [(1, "未填报，图中未列")]),
        ("mark = '※' if marked else ''", [(1, "※")]),
        ("x = 1  # 未填报 in a comment is prose", []),
        ('def f():\n    """※ in a docstring is prose."""\n', []),
        ('text = f"{name}{NOT_STATED_WORD}"', []),
    ],
)
def test_the_mark_scan_finds_a_typed_mark(source, expected):
    assert mark_literals(source) == expected


# (figure, how present_fig shows it with fmt=str: state, value, text, illustrative, status)
CASES = [
    (Fig(D("93.00")), ("value", D("93.00"), "93.00", False, "")),
    (Fig(D("93.00"), True), ("value", D("93.00"), "93.00", True, ILLUSTRATIVE_MARK)),
    (Fig(None, True, ("budget.csv: 第2行",)), ("not_stated", None, "未填报", False, "未填报")),
    (Fig(None, True), ("not_applicable", None, "不适用", False, "不适用")),
]


@pytest.mark.parametrize(("f", "expected"), CASES)
def test_present_fig_decides_the_state_the_text_the_mark_and_the_status(f, expected):
    shown = present_fig(f)
    assert (shown.state, shown.value, shown.text, shown.illustrative, shown.status) == expected


def test_every_format_shows_a_figure_as_present_fig_decides():
    """The same four figures in an HTML/Word table cell, a sentence, a workbook cell, a DataFrame
    cell, scores.json's figure_status and the overview's text: one decision, every format."""
    from selfeval_lib.fmt import fmt_fig, fmt_pct
    from selfeval_lib.report.frames import _cell
    from selfeval_lib.report.overview import figure_text
    from selfeval_lib.report.tables import fig_cell, rate_cell

    rate, illustrative, unstated, na = (f for f, _ in CASES)
    html = [rate_cell(f).html for f in (rate, illustrative, unstated, na)]
    assert html == [
        '<span class="num">93%</span>',
        f'<span class="num">93%</span>{ILLUSTRATIVE_HTML}',
        '<span class="num">未填报</span>',
        '<span class="num">不适用</span>',
    ]
    assert fig_cell(illustrative).runs == [{"text": "93.00"}, {"text": "※", "mark": True}]
    assert fig_cell(na).runs == [{"text": ""}]  # an amount that does not apply: an empty cell
    assert [fmt_fig(f, fmt_pct) for f in (rate, illustrative, unstated, na)] == [
        "93%",
        "93%※",
        "未填报",
        "不适用",
    ]
    assert [_cell(f) for f in (rate, illustrative)] == [93.0, 93.0]
    assert all(_cell(f) is _cell(Fig(None)) for f in (unstated, na))  # pd.NA
    records = [{"rate": present_fig(f).value, "figure_status": {"rate": present_fig(f).status}}
               for f in (rate, illustrative, unstated, na)]  # fmt: skip
    assert [figure_text(r, "rate", lambda x: f"{x:.2f}%") for r in records] == [
        "93.00%",
        "93.00%※",
        "未填报",
        "不适用",
    ]
    assert figure_text({"rate": None}, "rate", str) == "—"  # a record that does not say why


def test_the_workbook_cell_takes_its_value_and_format_from_present_fig():
    from openpyxl import Workbook

    from selfeval_lib.report.datasheet import _write

    ws = Workbook().active
    for col, f in enumerate((f for f, _ in CASES), start=1):
        _write(ws, 1, col, f, "pct")
        _write(ws, 2, col, f, "amount")
    assert [(c.value, c.number_format) for c in ws[1]] == [
        (D("0.93"), "0.00%"),
        (D("0.93"), '0.00%"※"'),  # the cell stays a number that sorts and sums
        ("未填报", "General"),
        ("不适用", "General"),
    ]
    assert [c.value for c in ws[2]] == [D("93.00"), D("93.00"), "未填报", None]


def test_a_scores_record_figure_reads_back_as_it_was_shown():
    for f, _ in CASES:
        shown = present_fig(f)
        again = fig_of_record(shown.value, shown.status)
        assert present_fig(again) == shown
