"""A township's files are untrusted input: they never choose a file to read, never drive the
terminal, never reach the page unescaped, stay within stated limits, and every problem is one
clear bilingual message (never a traceback)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval_lib import ValidationErrors, load_report, load_unit
from selfeval_lib.cli import main
from selfeval_lib.inputs.importer import import_workbook
from selfeval_lib.inputs.workbook.read import read_workbook
from selfeval_lib.report.display import show_text
from selfeval_lib.report.template import write_template

from ..conftest import edit


def _errors(params: Path) -> str:
    with pytest.raises(ValidationErrors) as info:
        load_unit(params)
    return str(info.value)


def _book(unit_copy: Path, tmp_path: Path) -> Path:
    path = tmp_path / "unit.xlsx"
    unit = load_unit(unit_copy)
    write_template(path, unit.framework, unit)
    return path


# --- trust boundaries ----------------------------------------------------------------------------


def test_a_workbook_cannot_choose_the_framework_file(unit_copy, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("SECRET-LINE-1: do not show\n", encoding="utf-8")
    book = _book(unit_copy, tmp_path)
    wb = load_workbook(book)
    ws = wb["基本情况"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == "params.framework")
    ws.cell(row, 2).value = str(secret)
    wb.save(book)
    warned: list[str] = []
    params = import_workbook(
        book, tmp_path / "p/qianshan_2024.yaml", tmp_path / "d/2024/q", warn=warned.append
    )
    assert "framework: gd_township_2024" in params.read_text(encoding="utf-8")
    assert any("已忽略，使用 gd_township_2024" in w for w in warned)
    assert not any("SECRET-LINE" in w for w in warned)
    assert load_unit(params).framework.id == "gd_township_2024"


def test_a_symlink_out_of_the_data_folder_is_not_followed(unit_copy, tmp_path):
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0:SECRET:/root:/bin/bash\n", encoding="utf-8")
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    budget.unlink()
    budget.symlink_to(outside)
    message = _errors(unit_copy)
    assert "budget.csv" in message and "是符号链接，不读取" in message
    assert "SECRET" not in message and "root:x" not in message


def test_an_unknown_header_is_echoed_short_and_escaped(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    budget.write_text("root:x:0:0:" + "A" * 200 + "\x1b[2J\n", encoding="utf-8")
    message = _errors(unit_copy)
    assert "A" * 50 not in message and "…" in message and "\x1b" not in message


def test_names_from_a_workbook_never_reach_the_terminal_or_the_files_raw(
    unit_copy, tmp_path, capsys
):
    """An unknown column or sheet is echoed escaped; the workbook's own file name, written into
    the comments of the files import writes, cannot end a comment and add lines."""
    book = _book(unit_copy, tmp_path)
    wb = load_workbook(book)
    wb["收支情况"].cell(1, 9).value = "X\u202eevil\u009b31m\u200b"
    wb.create_sheet("S\u202eheet\u0085")
    named = tmp_path / "x\n## 指标:部门整体绩效目标产出完成情况\n# 注入的标题 -->.xlsx"
    wb.save(named)
    params, data = tmp_path / "out/params/qianshan_2024.yaml", tmp_path / "out/data/2024/q"
    assert main(["import", str(named), "--params", str(params), "--data", str(data)]) == 0
    said = capsys.readouterr()
    for text in (
        said.out + said.err,
        params.read_text("utf-8"),
        *(f.read_text("utf-8") for f in data.iterdir() if f.suffix in (".yaml", ".md")),
    ):
        assert not any(c in text for c in "\u202e\u009b\u200b\u0085")
        lines = text.splitlines()
        assert (
            "## 指标:部门整体绩效目标产出完成情况" not in lines
            and "# 注入的标题 -->.xlsx" not in lines
        )
    assert "\\u202e" in said.out + said.err  # shown escaped, not hidden
    assert load_report(params).unit.narrative.keys() == load_report(unit_copy).unit.narrative.keys()


def test_bidi_and_zero_width_characters_never_reach_the_word_report(unit_copy):
    """The HTML drops them; the Word file kept them, and an RLO made "001万元" read "100万元"."""
    from selfeval_lib.report.blocks import markdown_blocks
    from selfeval_lib.report.docx_export import docx_bytes, notebook_blocks  # noqa: F401
    from selfeval_lib.report.docx_export import docx_bytes as write

    blocks = markdown_blocks("金额\u202e元万001\u202c，核对\u200b无误\x1b。")
    document = write(blocks, "标题\u202e")
    with zipfile.ZipFile(io.BytesIO(document)) as packed:
        xml = packed.read("word/document.xml").decode("utf-8")
        core = packed.read("docProps/core.xml").decode("utf-8")
    assert "金额元万001，核对无误。" in xml and "\u202e" not in core


# --- every error is a message -------------------------------------------------------------------


def test_a_malformed_sheet_xml_is_a_message(unit_copy, tmp_path):
    book = _book(unit_copy, tmp_path)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data[: len(data) // 2]  # cut in the middle of an element
            dst.writestr(item, data)
    message = "\n".join(str(e) for e in read_workbook(broken).errors)
    assert "无法打开工作簿（文件已损坏或不是 .xlsx）" in message and "Traceback" not in message


def test_old_mac_line_ends_read_like_any_others(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    for name in ("budget.csv", "sangong.csv", "targets.csv"):
        path = data / name
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    assert load_report(unit_copy).card.total > 0


def test_nul_bytes_in_a_csv_are_a_message(unit_copy):
    (unit_copy.parent.parent / "data/2024/qianshan/sangong.csv").write_bytes(b"\x00\x00abc\n")
    assert "含有空字符（NUL），不是文本表格" in _errors(unit_copy)


def test_bad_option_values_are_refused_by_the_cli(capsys):
    for option in (["--jobs", "-1"], ["--jobs", "x"], ["--timeout", "0"]):
        with pytest.raises(SystemExit) as info:
            main(["run", "params/", *option])
        assert info.value.code == 2
        assert "应为不小于1的整数 / must be a whole number of at least 1" in capsys.readouterr().err


# --- text is data, not control ------------------------------------------------------------------


def test_escape_codes_in_a_name_are_refused_and_never_reach_the_terminal(unit_copy, capsys):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "name: 徐闻县前山镇人民政府",
        'name: "前山镇\\e[2J\\e[32m✓ valid\\u202e"',
    )
    assert main(["validate", str(unit_copy)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    assert "含有控制字符或方向控制字符（\\x1b \\u202e），不允许" in err


def test_control_characters_in_a_cell_and_in_text_never_reach_the_page(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "budget.csv", "商品和服务支出", "商品和\x1b[31m服务支出")
    assert '列"科目名称"' in _errors(unit_copy) and "\\x1b" in _errors(unit_copy)
    edit(data / "budget.csv", "商品和\x1b[31m服务支出", "商品和服务支出")
    edit(
        data / "narrative.md", "## 其他自评情况\n", "## 其他自评情况\n\n无\x00\x1b[2J\u202e异常。\n"
    )
    html = show_text(load_report(unit_copy), "其他自评情况").data
    assert "无异常" in html and not any(c in html for c in "\x00\x1b\u202e")


def test_headings_in_a_units_text_do_not_stand_among_the_reports(unit_copy):
    """'# 标题' in narrative.md was an <h1> in the page and a Heading 1 in the Word file's
    navigation pane, between the report's own sections."""
    from selfeval_lib.report.blocks import DOC_MIME

    edit(
        unit_copy.parent.parent / "data/2024/qianshan/narrative.md",
        "## 其他自评情况\n",
        "## 其他自评情况\n\n# 伪造的一级标题\n\n### 伪造的指标\n\n正文\n===\n",
    )
    shown = show_text(load_report(unit_copy), "其他自评情况")
    html, blocks = shown.data, shown._repr_mimebundle_()[DOC_MIME]["blocks"]
    assert "<h1" not in html and "<h3" not in html and "# 伪造的一级标题" in html
    assert {b["kind"] for b in blocks} == {"paragraph"}


# --- limits -------------------------------------------------------------------------------------


def test_a_too_large_csv_is_refused_quickly_naming_the_limit(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    line = "项目支出,项目支出,项目支出,1.00,1.00,1.00,1.00,\n"
    budget.write_text(budget.read_text(encoding="utf-8") + line * 120_000, encoding="utf-8")
    start = time.perf_counter()
    message = _errors(unit_copy)
    assert time.perf_counter() - start < 5
    assert "超过限制：一个数据文件（CSV/YAML/Markdown）的大小（MB）最多 5" in message
    assert "SELFEVAL_MAX_FILE_MB" in message


@pytest.mark.parametrize(
    ("file", "old", "key"),
    [
        ("unit.yaml", "short_name: 前山镇", "键 / key identity.short_name"),
        ("unit.yaml", "name: 张东梅", "键 / key evaluation.team.1.name"),
        ("targets.csv", "固定资产投资", '第6行 列"指标" / row 6, column "指标"'),
        ("budget.csv", "", '第2行 列"科目名称" / row 2, column "科目名称"'),
    ],
)
def test_a_one_megabyte_name_is_refused_at_once_naming_the_limit(unit_copy, file, old, key):
    """A 1 MB unit name (inside the 5 MB file limit) made the county overview take 88 s."""
    path = unit_copy.parent.parent / "data/2024/qianshan" / file
    text = path.read_text(encoding="utf-8")
    if file == "budget.csv":  # the 科目名称 of the first line
        line = text.splitlines()[1]
        new = ",".join(line.split(",")[:2] + ["前" * 350_000] + line.split(",")[3:])
        path.write_text(text.replace(line, new, 1), encoding="utf-8")
    else:
        edit(
            path, old, old.split(": ")[0] + ": " + "前" * 350_000 if ": " in old else "前" * 350_000
        )
    assert path.stat().st_size > 1_000_000
    start = time.perf_counter()
    message = _errors(unit_copy)
    # a guard against the 88 s it took, not a benchmark: PyYAML's pure-Python scanner reads a
    # 1 MB scalar in about 0.5 s on a quiet machine, 2 s under a load of 7 on 2 cores
    assert time.perf_counter() - start < 5
    assert (
        f'{key}: "前前前前前前前前前前前前前前前前前前前前…" 有 350000 个字，超过限制：一行文字最多 200 '
        "个字 / has 350000 characters, over the limit of 200 for one line of text "
        "(SELFEVAL_MAX_LINE_CHARS); shorten it" in message
    )


def test_a_unit_with_a_one_megabyte_name_never_reaches_the_overview(unit_copy, tmp_path, capsys):
    edit(unit_copy.parent.parent / "data/2024/qianshan/unit.yaml", "short_name: 前山镇",
         "short_name: " + "前" * 350_000)  # fmt: skip
    out = tmp_path / "out"
    start = time.perf_counter()
    assert main(["run", str(unit_copy), "--out", str(out)]) == 1
    assert time.perf_counter() - start < 5
    assert "超过限制：一行文字最多 200 个字" in capsys.readouterr().out
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all("前" * 200 not in p.read_text(encoding="utf-8", errors="replace") for p in written)


def test_too_many_rows_name_the_limit_and_the_setting(unit_copy, monkeypatch):
    monkeypatch.setenv("SELFEVAL_MAX_ROWS", "2")
    assert "一个表（或工作表）的数据行数最多 2，实为 3" in _errors(unit_copy)
    monkeypatch.setenv("SELFEVAL_MAX_ROWS", "many")
    with pytest.raises(Exception, match="SELFEVAL_MAX_ROWS"):
        load_unit(unit_copy)


def test_too_many_targets_name_the_limit_and_the_setting_and_exactly_the_limit_is_read(
    unit_copy, monkeypatch
):
    monkeypatch.setenv("SELFEVAL_MAX_TARGETS", "16")  # the example has 16 targets
    assert len(load_unit(unit_copy).targets) == 16
    monkeypatch.setenv("SELFEVAL_MAX_TARGETS", "15")
    assert (
        "targets.csv: 1 处问题 / problem(s)\n  - 超过限制：绩效目标的个数最多 15，实为 16 / over the "
        "limit: at most 15 (SELFEVAL_MAX_TARGETS; default 300), found 16"
    ) in _errors(unit_copy)


def test_stray_far_away_workbook_cells_are_read_fast(unit_copy, tmp_path):
    book = _book(unit_copy, tmp_path)
    wb = load_workbook(book)
    wb["收支情况"].cell(1_000_000, 1).value = "项目支出"
    wb["文字材料"].cell(900_000, 2).value = "x"
    wb["基本情况"].cell(3, 16_000).value = "y"
    wb.save(book)
    start = time.perf_counter()
    raw = read_workbook(book)
    assert time.perf_counter() - start < 10
    message = "\n".join(str(e) for e in raw.errors)
    assert "收支情况!C1000000" in message  # the stray row is reported where it is


def test_a_header_of_many_columns_is_refused_at_once(unit_copy):
    """200,000 columns took minutes (each counted against all) and printed 200,000 lines."""
    sangong = unit_copy.parent.parent / "data/2024/qianshan/sangong.csv"
    sangong.write_text(",".join(str(i) for i in range(200_000)) + "\n", encoding="utf-8")
    start = time.perf_counter()
    message = _errors(unit_copy)
    assert time.perf_counter() - start < 5
    assert "表头有 200000 列，超过 64 列，不是数据合同中的表格" in message
    assert message.count("\n") < 10


def test_a_workbook_that_unpacks_to_gigabytes_is_not_parsed(unit_copy, tmp_path, monkeypatch):
    """The size limit bounds the packed file; a repeated row packs a thousandfold. What it would
    unpack to is checked first (here against a 1 MB limit: at most 5 MB unpacked)."""
    monkeypatch.setenv("SELFEVAL_MAX_WORKBOOK_MB", "1")
    book = _book(unit_copy, tmp_path)
    bomb = tmp_path / "bomb.xlsx"
    row = "<row>" + "<c><v>1</v></c>" * 20 + "</row>"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", (row * 40_000).encode() + b"</sheetData>")
            dst.writestr(item.filename, data)
    assert bomb.stat().st_size < 1024 * 1024
    start = time.perf_counter()
    message = "\n".join(str(e) for e in read_workbook(bomb).errors)
    assert time.perf_counter() - start < 2
    assert "超过 5 MB（工作簿大小限制的5倍），不读取" in message and "unpacks to" in message


def test_a_workbook_that_unpacks_to_exactly_the_limit_is_read_one_byte_more_is_not(
    tmp_path, monkeypatch
):
    """The unpacked limit is inclusive: 5 MB for a 1 MB workbook limit is read, a byte more not."""
    from selfeval_lib.inputs.workbook.read import _unpacked_size

    monkeypatch.setenv("SELFEVAL_MAX_WORKBOOK_MB", "1")
    at, past, more = tmp_path / "at.xlsx", tmp_path / "past.xlsx", tmp_path / "more.xlsx"
    mb = 1024 * 1024
    for path, size in ((at, 5 * mb), (past, 5 * mb + 1), (more, int(5.5005 * mb))):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as packed:
            packed.writestr("a.xml", b"a" * (size - 10))
            packed.writestr("b.xml", b"b" * 10)
    assert _unpacked_size(at) == ""
    assert _unpacked_size(past).startswith("解压后 5 MB，超过 5 MB（工作簿大小限制的5倍），不读取")
    assert _unpacked_size(more) == (  # 5.5005 MB, in MB of 1024 × 1024 bytes
        "解压后 6 MB，超过 5 MB（工作簿大小限制的5倍），不读取 / unpacks to 6 MB, more than 5 MB "
        "(5 times the workbook limit, SELFEVAL_MAX_WORKBOOK_MB): not read"
    )


# --- messages that help -------------------------------------------------------------------------


def test_duplicate_yaml_keys_are_an_error_with_line_and_column(unit_copy):
    edit(unit_copy, "year: 2024", "year: 2024\nyear: 2023")
    with pytest.raises(Exception) as info:
        load_unit(unit_copy)
    assert "第4行第1列 / line 4, column 1: YAML 格式错误：键重复" in str(info.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x: " + "[" * 1000, "YAML 格式错误：嵌套超过40层 / invalid YAML: nested too deeply"),
        (
            "a0: &a0 [lol, lol]\na1: [*a0, *a0]\n",
            "YAML 格式错误：不允许使用锚点或别名（& 或 *），请直接写出每个值",
        ),
    ],
    ids=["nested a thousand deep", "aliases"],
)
def test_yaml_that_would_exhaust_the_stack_or_memory_is_one_message(
    unit_copy, capsys, text, expected
):
    """A 1 KB file of brackets overflowed Python's stack (a traceback that stopped the whole
    batch); ten levels of aliases stood for gigabytes. Both are refused where they start."""
    (unit_copy.parent.parent / "data/2024/qianshan/management.yaml").write_text(text, "utf-8")
    assert main(["validate", str(unit_copy)]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    assert "management.yaml: 1 处问题" in said and "第1行第" in said and expected in said
    assert "Traceback" not in said


def test_dollar_signs_in_names_are_drawn_as_typed_not_as_formulas(unit_copy):
    """matplotlib reads "$…$" as a formula: "$\\foo$" failed the unit (and, in the unit's name,
    the county overview of every unit) and "$\\frac{a}{b}$" was typeset. Names are drawn as typed."""
    from selfeval_lib.report.canvas import figure_png
    from selfeval_lib.report.display import CHARTS

    edit(
        unit_copy.parent.parent / "data/2024/qianshan/targets.csv",
        "产出,地区生产总值,全镇地区生产总值",
        "产出,$\\foo$ 与 $\\frac{a}{b}$,全镇地区生产总值",
    )
    report = load_report(unit_copy)
    figure = CHARTS["economy"][1](report)
    figure_png(figure)  # drawn without a parse error
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "$\\foo$ 与 $\\frac{a}{b}$" in labels
    assert not any(t.get_parse_math() for t in figure.axes[0].get_yticklabels())


def test_a_target_figure_past_any_measure_is_refused(unit_copy):
    """A 万元 actual of 1 and 400 zeros was printed as a fact and drawn as an infinite bar."""
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/targets.csv",
        "170000,174477",
        "170000,1" + "0" * 400,
    )
    message = _errors(unit_copy)
    assert '列"实际值"' in message and "超过 10¹²，不是可信的指标值 / " in message
    assert "0" * 100 not in message


@pytest.mark.parametrize(
    "value, expected",
    [
        (".nan", '"nan" 不是有限的数 / "nan" is not a finite number'),
        (".inf", '"inf" 不是有限的数'),
        ("1000000000000000", "超过 10,000,000 万元，不可能是本单位的金额"),
    ],
)
def test_nan_inf_and_implausible_amounts_are_refused(unit_copy, value, expected):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "total_expenditure: 4898.86",
        f"total_expenditure: {value}",
    )
    assert expected in _errors(unit_copy)


def test_unknown_params_key_lists_the_allowed_ones_and_the_nearest(unit_copy, capsys):
    edit(unit_copy, "data:", "datta:")
    assert main(["validate", str(unit_copy)]) == 1
    err = capsys.readouterr().err
    assert "允许的键 / allowed: unit_id, year, data, framework" in err
    assert 'did you mean "data"?' in err


def test_validate_refuses_two_params_files_for_one_unit_year(unit_copy, capsys):
    second = unit_copy.parent / "old" / unit_copy.name  # same unit id and year, another folder
    second.parent.mkdir()
    second.write_text(unit_copy.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["validate", str(unit_copy), str(second)]) == 1
    assert "qianshan_2024 year 2024 is already claimed by" in capsys.readouterr().err


def test_a_negative_zero_score_prints_as_zero(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv",
        "绩效管理制度执行,2,",
        "绩效管理制度执行,-0,",
    )
    report = load_report(unit_copy)
    assert "-0.00" not in report.card.scores[8].basis
    assert report.card.scores[8].basis.startswith("自评0.00分※")


def test_a_lone_surrogate_in_a_name_is_one_bilingual_message(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "name: 徐闻县前山镇人民政府",
        'name: "前山\\ud800镇"',
    )
    message = _errors(unit_copy)
    assert "unit.yaml" in message and "\\ud800" in message and "Input should be" not in message


def test_paragraph_fields_are_not_held_to_the_one_line_limit(unit_copy, monkeypatch):
    """年度总体目标 and a self score's 理由 are paragraphs: a long one is read; past the section
    limit it is refused like a narrative section."""
    long = "完成年度重点工作任务，" * 60  # 660 characters
    edit(unit_copy.parent.parent / "data/2024/qianshan/unit.yaml", "declared_grade: 良",
         f"declared_grade: 良\ngoals:\n  set: {long}")  # fmt: skip
    assert load_unit(unit_copy).facts.goals.set == long
    monkeypatch.setenv("SELFEVAL_MAX_SECTION_CHARS", "100")
    assert "有 660 个字，超过限制：一段文字最多 100 个字" in _errors(unit_copy)
