"""Fuzzing the readers with hypothesis: for any input a township could send (CSV text, YAML text,
workbook cells, a params file), the only outcomes are success or selfeval's own error with a
message; never another exception, never a traceback. Bounded to a few seconds per reader."""

from __future__ import annotations

import csv
import io
import shutil
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell

from selfeval_lib import SelfEvalError, load_params, load_unit
from selfeval_lib.inputs.contract import known_section, section_heading
from selfeval_lib.inputs.folder import read_table, split_sections
from selfeval_lib.inputs.schema import TABLES
from selfeval_lib.inputs.workbook.read import read_workbook
from selfeval_lib.report.template import write_template

from ..conftest import COMPLETE_DATA, COMPLETE_PARAMS

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a hostile or careless file may hold: CJK, digits, separators, quotes, line ends of every
# kind, NUL, escape and bidi characters, and the words the contract knows.
ALPHABET = string.printable + "\x00\x1b\u202e\r，、；：“”万元％未填报是否≥≤一二三产出效益基本支出"
CELLS = st.one_of(
    st.text(alphabet=ALPHABET, max_size=30),
    st.sampled_from(["未填报", "1,589.88", "1589.88万元", "-0", "1e400", ".nan", "13000元", ""]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _outcome(load) -> str:
    """'ok' or 'refused'; any other exception fails the test (with the input hypothesis found)."""
    try:
        load()
    except SelfEvalError as exc:
        assert str(exc).strip(), "an error needs a message"
        assert "\x1b" not in str(exc) and "Traceback" not in str(exc)
        return "refused"
    return "ok"


def _unit(tmp_path: Path) -> Path:
    root = tmp_path / "u"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(COMPLETE_DATA, root / "data")
    (root / "params").mkdir()
    (root / "params" / "qianshan_2024.yaml").write_text(
        "unit_id: qianshan_2024\nyear: 2024\ndata: ../data\n", encoding="utf-8"
    )
    return root


@FUZZ
@given(
    table=st.sampled_from(sorted(TABLES)),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=12), max_size=6),
    keep_header=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_csv_is_read_or_refused_with_a_message(tmp_path, table, rows, keep_header, newline):
    root = _unit(tmp_path)
    path = root / "data" / table
    header = path.read_text(encoding="utf-8").splitlines()[0] if keep_header else ""
    body = [",".join(cells) for cells in rows]
    path.write_text(newline.join([header, *body]) + newline, encoding="utf-8")
    _outcome(lambda: load_unit(root / "params" / "qianshan_2024.yaml"))


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030"])
SEPARATORS = st.sampled_from([",", "\t", ";"])


def _read(path: Path, model: type) -> tuple:
    """A table as read: its rows, or its problems (without the file's path)."""
    try:
        return read_table(path, model)
    except SelfEvalError as exc:
        return (str(exc).replace(str(path), "<file>"),)


@FUZZ
@given(
    table=st.sampled_from(sorted(TABLES)),
    rows=st.lists(st.lists(CELLS.filter(lambda c: "\x00" not in c), max_size=12), max_size=6),
    encoding=ENCODINGS,
    sep=SEPARATORS,
)
def test_any_csv_reads_the_same_in_any_encoding_and_separator(tmp_path, table, rows, encoding, sep):
    """Whatever a table holds, UTF-16 (with or without BOM) or GB18030, separated by tabs or
    semicolons, reads as the same table in UTF-8 with commas: the same rows or the same problems."""
    header = (COMPLETE_DATA / table).read_text(encoding="utf-8").splitlines()[0].split(",")
    rows = [header, *rows]
    plain, other = tmp_path / f"plain_{table}", tmp_path / f"other_{table}"
    for path, enc, delimiter in ((plain, "utf-8", ","), (other, encoding, sep)):
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        path.write_bytes(buf.getvalue().encode(enc))
    assert _read(other, TABLES[table]) == _read(plain, TABLES[table])


HEADINGS = st.tuples(
    st.sampled_from(["", " ", "  "]),  # up to three spaces before it, as Markdown allows
    st.sampled_from(["##", "＃＃"]),
    st.sampled_from(["", " ", "\u3000", " \u3000", "\t"]),
    st.sampled_from(["", " ", "\u3000"]),  # around the colon
    st.sampled_from([":", "："]),
    st.sampled_from(["", ":", "："]),  # a trailing colon
).map(lambda p: f"{p[0]}{p[1]}{p[2]}指标{p[3]}{p[4]}{p[3]}部门预算资金支出率{p[5]}")


@FUZZ
@given(heading=HEADINGS, encoding=ENCODINGS)
def test_any_heading_form_starts_its_own_section(tmp_path, heading, encoding):
    """'##指标:…', '##　指标：…', '＃＃ 指标 ： …：' in any encoding: the text under it is that
    indicator's note, and the section before it keeps only its own text."""
    root = _unit(tmp_path)
    path = root / "data" / "narrative.md"
    text = path.read_text(encoding="utf-8").replace("## 指标:部门预算资金支出率", heading, 1)
    path.write_bytes(text.encode(encoding))
    unit = load_unit(root / "params" / "qianshan_2024.yaml")
    assert unit.narrative == load_unit(COMPLETE_PARAMS).narrative


@FUZZ
@given(line=st.text(alphabet="#＃ \u3000:：指标存在问题单位职能abc1", max_size=16))
def test_no_line_of_a_units_text_moves_silently_into_the_section_before(line):
    """Any line is a heading of its own section, refused naming its line, or text that names no
    section: a line that names a section is never read as text of the section before it."""
    sections, problems = split_sections(f"## 单位职能\n\n正文\n{line}\n后文\n")
    heading = section_heading(line)
    if heading is not None and heading[0] == 2:
        assert sections[heading[1]] == "后文" or heading[1] == "单位职能"
    elif heading is not None and known_section(heading[1]):
        assert any(p.startswith("第4行 / line 4: ") for p in problems)
    else:
        assert sections["单位职能"] == f"正文\n{line}\n后文".strip()


@FUZZ
@given(
    part=st.sampled_from(["unit.yaml", "management.yaml"]),
    text=st.one_of(
        st.text(alphabet=ALPHABET + ":-[]{}&*!|>'\"#%@`", max_size=200),
        st.lists(
            st.tuples(st.sampled_from(["year", "identity", "facts", "totals", "x"]), CELLS)
        ).map(lambda kv: "\n".join(f"{k}: {v}" for k, v in kv)),
    ),
)
def test_any_yaml_is_read_or_refused_with_a_message(tmp_path, part, text):
    root = _unit(tmp_path)
    (root / "data" / part).write_text(text, encoding="utf-8")
    _outcome(lambda: load_unit(root / "params" / "qianshan_2024.yaml"))


@FUZZ
@given(text=st.text(alphabet=ALPHABET + ":-[]{}&*!|>'\"", max_size=120))
def test_any_params_file_is_read_or_refused_with_a_message(tmp_path, text):
    path = tmp_path / "params" / "qianshan_2024.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _outcome(lambda: load_params(path))


def _template(tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    if not path.exists():
        unit = load_unit(COMPLETE_PARAMS)
        write_template(path, unit.framework, unit)
    return path


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(
                ["基本情况", "收支情况", "三公经费", "绩效目标", "管理情况", "自评打分", "文字材料"]
            ),
            st.integers(min_value=1, max_value=60),
            st.integers(min_value=1, max_value=12),
            st.one_of(CELLS, st.integers(min_value=-(10**12), max_value=10**12), st.none()),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_workbook_cells_are_read_or_refused_with_a_message(tmp_path, edits):
    book = tmp_path / "fuzzed.xlsx"
    wb = load_workbook(_template(tmp_path))
    for sheet, row, col, value in edits:
        if isinstance(value, str):  # what openpyxl itself can write into a cell
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = wb[sheet].cell(row, col)
        if not isinstance(cell, MergedCell):
            cell.value = value
    wb.save(book)
    raw = read_workbook(book)
    for error in raw.errors:
        assert isinstance(error, SelfEvalError) and str(error).strip()


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_workbook_are_refused_with_a_message(tmp_path, data):
    book = tmp_path / "bytes.xlsx"
    book.write_bytes(data)
    errors = read_workbook(book).errors
    said = ("无法打开工作簿", "是旧版 .xls 工作簿", "工作簿设有打开密码")  # damaged, xls, locked
    assert errors and all(any(s in str(e) for s in said) for e in errors)
