"""The data contract: the example loads; every kind of bad input gets a clear bilingual error."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import replace
from decimal import Decimal

import pytest

from selfeval_lib import ParamsError, ValidationErrors, load_params, load_unit
from selfeval_lib.inputs.folder import read_table
from selfeval_lib.inputs.schema import BudgetLine, SanGongLine

from ..conftest import COMPLETE_DATA, COMPLETE_PARAMS, edit
from ..evaluate.test_scoring import _manual_county


def test_the_example_unit_holds_the_reference_facts(example_params):
    unit = load_unit(example_params)
    assert unit.facts.identity.name == "徐闻县前山镇人民政府"
    assert unit.facts.identity.industry_code == "9221"
    s = unit.facts.staffing
    assert (s.authorized, s.in_service, s.retired, s.temporary) == (96, 86, 48, 18)
    assert unit.facts.declared_grade == "良"
    assert unit.facts.totals.total_expenditure == Decimal("4898.86")
    assert [p.name for p in unit.management.new_projects] == ["乡村振兴基础设施建设项目"]
    assert unit.narrative["存在问题"].startswith("**1.绩效目标设定的精准性有待进一步提升**")
    assert {t.name for t in unit.targets} >= {
        "地区生产总值",
        "一般公共预算收入",
        "农村卫生厕所普及率",
    }


def test_every_self_assessed_score_is_marked_illustrative_and_cites_the_problems(example_params):
    unit = load_unit(example_params)
    assert unit.self_scores
    for s in unit.self_scores:
        assert "自评得分" in s.illustrative
        assert "存在问题" in s.reason


def test_input_hashes_cover_params_data_and_framework(example_params):
    names = [p for p, _ in load_unit(example_params).input_hashes]
    assert "params/qianshan_2024.yaml" in names
    assert "data/2024/qianshan/budget.csv" in names
    assert "selfeval_lib/frameworks/gd_township_2024.yaml" in names


def _errors(params) -> str:
    with pytest.raises(ValidationErrors) as info:
        load_unit(params)
    return str(info.value)


def test_text_where_a_number_belongs(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    edit(budget, "1380.00,1420.00,1402.51", '1380.00,1420.00,"1,589.88万"')
    message = _errors(unit_copy)
    assert "budget.csv" in message
    assert (
        '第2行 列"本年支出" / row 2, column "本年支出": "1,589.88万" 不是数字 / "1,589.88万" is not a number; 应写为 1589.88 / write 1589.88'
        in message
    )


def test_negative_amount(unit_copy):
    edit(unit_copy.parent.parent / "data/2024/qianshan/sangong.csv", "21.35,21.35", "-21.35,21.35")
    assert (
        '第4行 列"预算" / row 4, column "预算": -21.35 不能为负数 / -21.35 must not be negative'
        in _errors(unit_copy)
    )


def test_all_problems_of_one_file_together_and_of_every_file(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "budget.csv", "1380.00,1420.00", "abc,1420.00")
    edit(data / "budget.csv", "190.00,200.00", "190.00,-1")
    edit(data / "unit.yaml", "in_service: 86", "in_service: 八十六")
    message = _errors(unit_copy)
    assert 'row 2, column "年初预算": "abc" 不是数字' in message
    assert 'row 3, column "调整预算": -1 不能为负数' in message
    assert (
        "unit.yaml" in message
        and 'staffing.in_service: "八十六" 不是整数 / is not a whole number' in message
    )


def test_wrong_and_missing_columns(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    edit(budget, "本年支出,上年支出", "本年实际,上年支出")
    message = _errors(unit_copy)
    assert '表头缺少列"本年支出" / missing column "本年支出"' in message
    assert '表头有未知列"本年实际" / unknown column "本年实际"' in message


def test_missing_file_and_missing_key(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    (data / "sangong.csv").unlink()
    edit(data / "unit.yaml", "  retired: 48      # 离退休人数\n", "")
    message = _errors(unit_copy)
    assert "sangong.csv" in message and "文件不存在 / file not found" in message
    assert (
        "键 / key staffing.retired: 缺少此项 / missing; 若资料未载明，请填写“未填报” / if the "
        "source does not state it, write 未填报" in message
    )


def test_unknown_key_is_refused(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "declared_grade: 良",
        "declared_grade: 良\ngrade_declared: 优",
    )
    assert "grade_declared: 未知的键 / unknown key" in _errors(unit_copy)


@pytest.mark.parametrize(
    ("file", "old", "new", "said"),
    [
        (
            "self_scores.csv",
            "绩效管理制度执行,2",
            "绩效管理执行,2",
            '"绩效管理执行" 不是框架 gd_township_2024 的指标 / is not an indicator of framework '
            "gd_township_2024",
        ),
        (  # a note for an indicator the framework lacks
            "narrative.md",
            "## 指标:采购管理",
            "## 指标:采购管里",
            '章节 "## 指标:采购管里": "采购管里" 不是框架 gd_township_2024 的指标 / is not an '
            "indicator of the framework",
        ),
    ],
)
def test_an_indicator_name_the_framework_lacks_is_refused_naming_its_file(
    unit_copy, file, old, new, said
):
    edit(unit_copy.parent.parent / "data/2024/qianshan" / file, old, new)
    message = _errors(unit_copy)
    assert file in message
    assert said in message


def test_score_above_its_weight(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv",
        "绩效管理制度执行,2",
        "绩效管理制度执行,7",
    )
    assert '自评得分": 7 超出 0–5 分' in _errors(unit_copy)


def test_self_score_rows_are_each_checked_naming_their_row(unit_copy):
    """An unknown indicator names its row and lists the framework's indicators; the rows after
    it are still checked; an indicator scored twice names the second row."""
    scores = unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv"
    edit(scores, "部门整体绩效目标产出完成情况,20", "部门整体产出,20")
    edit(scores, "绩效管理制度执行,2", "绩效管理制度执行,7")
    with scores.open("a", encoding="utf-8") as f:
        f.write("部门整体绩效目标效益完成情况,18,重复。,\n")
    said = _errors(unit_copy).splitlines()
    assert said[0].endswith("self_scores.csv: 3 处问题 / problem(s)")
    assert said[1:] == [
        '  - 第2行 列"指标" / row 2, column "指标": "部门整体产出" 不是框架 gd_township_2024 的指标 / '
        "is not an indicator of framework gd_township_2024; 可用 / allowed: 部门整体绩效目标产出完成"
        "情况、部门整体绩效目标效益完成情况、部门预算资金支出率、新增项目事前绩效评估、预算编制约束性、"
        "财务管理合理性、信息公开方面、绩效管理制度建设、绩效管理制度执行、采购管理、资产管理、运行成本",
        '  - 第4行 列"自评得分" / row 4, column "自评得分": 7 超出 0–5 分（指标"绩效管理制度执行"分值 5）'
        "/ is outside 0–5, the weight of this indicator",
        '  - 第5行 / row 5: 指标"部门整体绩效目标效益完成情况"重复自评 / scored twice',
    ]


def test_a_self_score_of_the_full_weight_is_taken(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv",
        "绩效管理制度执行,2",
        "绩效管理制度执行,5",
    )
    scores = {s.indicator: s.score for s in load_unit(unit_copy).self_scores}
    assert scores["绩效管理制度执行"] == Decimal(5)


def test_a_manual_indicator_without_a_self_score_is_refused(unit_copy, tmp_path):
    _manual_county(unit_copy, tmp_path)
    assert (
        '缺少人工评分指标"运行成本"的自评得分和理由 / indicator "running_cost" is scored by hand: '
        "add a row" in _errors(unit_copy)
    )


def test_missing_management_fact_names_the_indicator_and_what_to_write(unit_copy):
    """A count left out asks for a number, a yes/no check left out for true/false."""
    management = unit_copy.parent.parent / "data/2024/qianshan/management.yaml"
    edit(management, "  procurement_complaints: 0", "")
    edit(management, "  internal_audit_done: true ", "  # internal_audit_done: true ")
    said = _errors(unit_copy).splitlines()
    assert said[0].endswith("management.yaml: 2 处问题 / problem(s)")
    assert said[1:] == [
        '  - 键 / key facts.internal_audit_done: 缺少此项 / missing; 指标"财务管理合理性"需要"开展内部'
        '财务审计和专项检查",应填 是/否 (true/false); 若资料未载明，请填写“未填报” / if the source '
        "does not state it, write 未填报",
        '  - 键 / key facts.procurement_complaints: 缺少此项 / missing; 指标"采购管理"需要"采购投诉'
        '(起)",应填 数字 / a number; 若资料未载明，请填写“未填报” / if the source does not state '
        "it, write 未填报",
    ]


def test_a_count_where_a_yes_or_no_belongs_is_named_after_a_fact_not_stated(unit_copy):
    """The framework's first fact 未填报 (an answer) does not end the checks: the last one,
    a check written as a count, is still refused naming its key."""
    management = unit_copy.parent.parent / "data/2024/qianshan/management.yaml"
    edit(management, "budget_standards_followed: true ", "budget_standards_followed: 未填报 ")
    edit(management, "disposal_income_remitted: true ", "disposal_income_remitted: 3 ")
    said = _errors(unit_copy).splitlines()
    assert said[1:] == [
        '  - 键 / key facts.disposal_income_remitted: "3" 应为 是/否 / expected true or false'
    ]


def test_management_facts_as_a_clerk_writes_them(unit_copy):
    """是/否 words are yes/no; one message per fact that is neither yes/no nor a number (never one
    per type tried, nor the validator's internals); a yes/no where a count belongs says so."""
    management = unit_copy.parent.parent / "data/2024/qianshan/management.yaml"
    edit(management, "project_budget_itemized: true", "project_budget_itemized: 是")
    edit(
        management,
        "procurement_intention_published_pct: 100",
        'procurement_intention_published_pct: "100%"',
    )
    message = _errors(unit_copy)
    assert message.count("facts.") == 1  # 是 is yes
    assert (
        'facts.procurement_intention_published_pct: "100%" 应为 是/否 或数字（如 是、否、3、100）/ '
        "expected yes or no (是/否) or a number; 百分数写作 100 / a percentage is written 100"
    ) in message
    assert "function-before" not in message and ".bool" not in message
    edit(
        management,
        'procurement_intention_published_pct: "100%"',
        "procurement_intention_published_pct: 100",
    )
    edit(management, "procurement_complaints: 0", "procurement_complaints: 无")
    assert (
        "facts.procurement_complaints: 应为数字，不是 是/否 或 有/无（没有则填 0）/ expected a number, "
        'not yes or no (write 0 for none); 指标"采购管理"需要"采购投诉(起)"'
    ) in _errors(unit_copy)


@pytest.mark.parametrize("unit_id", ["../evil", "Qianshan 2024", "前山镇", "a/b"])
def test_unit_id_must_be_a_plain_name(unit_copy, unit_id):
    edit(unit_copy, "unit_id: qianshan_2024", f"unit_id: {unit_id!r}")
    with pytest.raises(ParamsError, match="unit_id must be a plain name"):
        load_params(unit_copy)


def test_unit_id_must_equal_the_file_stem(unit_copy):
    renamed = unit_copy.with_name("other.yaml")
    unit_copy.rename(renamed)
    with pytest.raises(ParamsError, match='does not equal the file name stem "other"'):
        load_params(renamed)


def test_missing_params_file():
    with pytest.raises(ParamsError, match="文件不存在 / file not found"):
        load_params("params/nope.yaml")


def test_csv_saved_by_excel_on_chinese_windows_reads_the_same(tmp_path, example_params):
    source = example_params.parent.parent / "data/2024/qianshan/budget.csv"
    text = source.read_text(encoding="utf-8")
    gb = tmp_path / "gb18030_encoded.csv"
    gb.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    bom = tmp_path / "utf8_bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    expected = read_table(source, BudgetLine)
    assert read_table(gb, BudgetLine) == expected
    assert read_table(bom, BudgetLine) == expected


@pytest.mark.parametrize(
    ("encoding", "mark"),
    [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-le", b""), ("utf-16-be", b""),
     ("gbk", b""), ("gb18030", b"")],
)  # fmt: skip
@pytest.mark.parametrize("sep", [",", "\t", ";"])
def test_csv_in_utf16_or_gbk_with_tabs_or_semicolons_reads_the_same(
    tmp_path, example_params, encoding, mark, sep
):
    """Excel's "Unicode text" is UTF-16 with tabs; WPS and Excel on Chinese Windows write GBK;
    Excel where the comma is the decimal sign separates with semicolons."""
    source = COMPLETE_DATA / "sangong.csv"
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    saved = tmp_path / f"sangong_{encoding}.csv"
    saved.write_bytes(mark + buf.getvalue().encode(encoding))
    assert read_table(saved, SanGongLine) == read_table(source, SanGongLine)


def test_percent_signs_and_full_width_digits_are_read_where_the_column_allows(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(data / "budget.csv", "1380.00,1420.00,1402.51", "1380.00,１４２０．００,1402.51")
    rows = (data / "targets.csv").read_text(encoding="utf-8").splitlines()
    percent = next(n for n, row in enumerate(rows) if ",%," in row)
    cells = rows[percent].split(",")
    cells[5], cells[6] = f"{cells[5]}%", f"{cells[6]}％"  # 目标值, 实际值
    edit(data / "targets.csv", rows[percent], ",".join(cells))
    read, complete = load_unit(unit_copy), load_unit(COMPLETE_PARAMS)
    assert (read.targets, read.budget) == (complete.targets, complete.budget)
    edit(data / "budget.csv", "１４２０．００", "1420.00%")  # an amount is never a percentage
    assert '"1420.00%" 不是数字' in _errors(unit_copy)


def test_a_file_in_no_known_encoding_says_how_to_save_it(unit_copy):
    (unit_copy.parent.parent / "data/2024/qianshan/sangong.csv").write_bytes(
        codecs.BOM_UTF8 + "项目".encode("gb18030")
    )
    assert (
        "无法识别的文字编码（可读 UTF-8、UTF-16、GBK/GB18030），请在 Excel/WPS 中另存为“CSV UTF-8"
        "（逗号分隔）”/ unknown text encoding" in _errors(unit_copy)
    )


def test_illustrative_column_may_only_name_columns(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/sangong.csv",
        "21.35,21.35,22.10,预算",
        "21.35,21.35,22.10,预算数",
    )
    assert "示例数据 names unknown columns 预算数" in _errors(unit_copy)


def test_unquoted_thousands_separator_splits_the_row_and_says_why(unit_copy):
    edit(unit_copy.parent.parent / "data/2024/qianshan/budget.csv", "1380.00", "1,380.00")
    assert "第2行 / row 2: 比表头多出 1 个单元格（数字里的千分位逗号？" in _errors(unit_copy)


def test_a_budget_without_rows_is_refused_before_any_kernel(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    budget.write_text(budget.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert (
        "  - 没有数据行：至少应有一行支出 / no data rows: at least one spending line is expected"
        in _errors(unit_copy).splitlines()
    )


def test_an_unknown_column_is_refused_listing_the_allowed_header(unit_copy):
    edit(unit_copy.parent.parent / "data/2024/qianshan/budget.csv", "示例数据\n", "示例数据,说明\n")
    assert (
        '表头有未知列"说明" / unknown column "说明"; 允许的列 / allowed: 支出类型,经济分类,科目名称,'
        "年初预算,调整预算,本年支出,上年支出,示例数据" in _errors(unit_copy)
    )


def test_a_short_wu_row_without_its_group_cell_is_refused_like_an_empty_one(unit_copy):
    """Columns may come in any order and a short row's missing cells are absent: a 无 row that
    ends before its 类别 says no more than one that leaves 类别 empty."""
    targets = unit_copy.parent.parent / "data/2024/qianshan/targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    swapped = [",".join([b, a, *rest]) for a, b, *rest in (line.split(",") for line in lines)]
    targets.write_text("\n".join([*swapped, "无", "乡村振兴项目数"]) + "\n", encoding="utf-8")
    message = _errors(unit_copy).splitlines()
    assert (
        '  - 第18行 列"类别" / row 18, column "类别": “无”行须写明没有哪一类别 / a 无 row names '
        "what there is none of: 类别 is empty" in message
    )
    # a line as short, also without 类别, is one the 无 row says there is none of
    assert (
        "  - 第18行 / row 18: 写了“无”（没有数据），但 第19行 / row 19 等行又列出了数据 / says "
        "there is no 数据, yet other rows list some; delete the 无 row or those rows" in message
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            '"1300.00元"',
            '"1300.00元" 以元为单位；金额应以万元计，例如 13000元 写作 1.3 / "1300.00元" is in 元; '
            "amounts are in 万元 (10,000 元): 13000元 is 1.3\n",
        ),
        (
            '"1,402.51万元"',
            '"1,402.51万元" 不是数字 / "1,402.51万元" is not a number; 应写为 1402.51',
        ),
        ("1402.51万", '"1402.51万" is not a number; 应写为 1402.51 / write 1402.51\n'),
        ('"187,37"', '"187,37" is not a number\n'),  # a decimal comma: no guess, it could be 18737
        ('""', '本年支出" / row 2, column "本年支出": 缺少数值 / the value is missing'),
        (
            "—",  # a clerk's dash for "nothing": the way to say so, or 0
            '"—" 不是数字 / "—" is not a number; 若资料未载明，请填写“未填报” / if the source does '
            "not state it, write 未填报; 确为零的填 0 / if it is zero, write 0",
        ),
    ],
)
def test_near_numbers_get_a_safe_hint_or_none(unit_copy, cell, message):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/budget.csv",
        "1380.00,1420.00,1402.51",
        f"1380.00,1420.00,{cell}",
    )
    assert message in _errors(unit_copy) + "\n"


def test_yaml_syntax_error_names_the_line(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml", "  retired: 48", "  retired: [48"
    )
    message = _errors(unit_copy)
    assert (
        "unit.yaml: 1 处问题" in message
        and "第21行第3列 / line 21, column 3: YAML 格式错误：方括号 [ ] 未闭合 / invalid YAML: expected"
        in message
    )


def test_a_workbook_where_a_csv_belongs_gets_a_hint(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    (data / "sangong.csv").rename(data / "sangong.xlsx")
    assert "文件不存在 / file not found; 找到 sangong.xlsx，请另存为 CSV UTF-8" in _errors(
        unit_copy
    )


def test_self_assessed_scores_have_two_decimals_at_most(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/self_scores.csv",
        "绩效管理制度执行,2",
        "绩效管理制度执行,1.995",
    )
    assert 'column "自评得分": 1.995 超过两位小数 / 1.995 has more than two decimals' in _errors(
        unit_copy
    )


def test_a_yaml_number_of_thousands_of_digits_is_a_message(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/management.yaml",
        "procurement_complaints: 0",
        "procurement_complaints: " + "9" * 5000,
    )
    message = _errors(unit_copy)
    assert "management.yaml: 1 处问题" in message
    assert "数字位数过多，不是可信的数值 / a number with too many digits" in message


def test_an_indicators_note_is_its_narrative_section_or_nothing(example_params):
    unit = load_unit(example_params)
    assert unit.indicator_note("spending_rate") == unit.narrative["指标:部门预算资金支出率"] != ""
    without = replace(
        unit, narrative={k: v for k, v in unit.narrative.items() if "支出率" not in k}
    )
    assert without.indicator_note("spending_rate") == ""
    assert unit.indicator_note("no_such_indicator") == ""


# --- section headings of narrative.md -----------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["##指标:部门预算资金支出率", "##　指标：部门预算资金支出率", "## 指标 ： 部门预算资金支出率",
     "＃＃ 指标:部门预算资金支出率", "  ## 指标:部门预算资金支出率：",
     "## 指标:部门预算资金支出率\xa0"],  # a no-break space pasted from Word, as a workbook cell takes it
)  # fmt: skip
def test_a_heading_typed_without_the_space_or_full_width_starts_its_section(unit_copy, heading):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/narrative.md",
        "## 指标:部门预算资金支出率",
        heading,
    )
    unit, complete = load_unit(unit_copy), load_unit(COMPLETE_PARAMS)
    assert unit.narrative == complete.narrative  # the section before it keeps only its own text


@pytest.mark.parametrize(
    "heading, typed",
    [("## 存在问题", "### 存在问题"), ("## 指标:部门预算资金支出率", "# 指标:部门预算资金支出率")],
)
def test_a_section_heading_with_one_or_three_hashes_is_refused_naming_the_line(
    unit_copy, heading, typed
):
    narrative = unit_copy.parent.parent / "data/2024/qianshan/narrative.md"
    edit(narrative, heading, typed)
    number = narrative.read_text(encoding="utf-8").splitlines().index(typed) + 1
    message = _errors(unit_copy)
    title = heading.removeprefix("## ")
    assert (
        f'第{number}行 / line {number}: "{typed}" 不是章节标题：章节以两个 # 开头 / is not a '
        f'section heading: a section starts with two #; write "## {title}"' in message
    )


@pytest.mark.parametrize(
    "typed, title",
    [
        ("##存在的问题", "存在的问题"),
        # only the first colon is read as ':' (as in 指标：名称); the title is echoed as typed
        ("## X镇补充 ： 其他：说明", "X镇补充:其他：说明"),
        ("## 附件：表X：", "附件:表X"),  # a trailing colon is dropped, not what stands before it
    ],
)
def test_an_unknown_heading_is_refused_naming_its_line(unit_copy, typed, title):
    narrative = unit_copy.parent.parent / "data/2024/qianshan/narrative.md"
    edit(narrative, "## 存在问题", typed)
    number = narrative.read_text(encoding="utf-8").splitlines().index(typed) + 1
    assert (
        f'第{number}行 / line {number} ## {title}: 未知章节 "{title}" / unknown section; 允许 / '
        "allowed: 单位职能、重点工作、自评过程、主要做法和经验、存在问题、改进措施、评价小组、"
        "其他自评情况、上年存在问题整改情况、指标:<指标名称>" in _errors(unit_copy)
    )


# --- a rate typed as a fraction ------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, typed, hinted",
    [
        ("procurement_intention_published_pct", "0.93", True),  # 0.93 %: rarely meant
        ("procurement_intention_published_pct", "0", False),  # 0 % and 1 % are as meant …
        ("procurement_intention_published_pct", "1", False),
        ("procurement_intention_published_pct", "1.5", False),  # … and so is 1.5 %
        ("asset_inventories", "0.5", False),  # not a rate: no percent hint
    ],
)
def test_only_a_rate_fact_between_0_and_1_gets_the_percent_hint(unit_copy, key, typed, hinted):
    management = unit_copy.parent.parent / "data/2024/qianshan/management.yaml"
    was = {"procurement_intention_published_pct": "100", "asset_inventories": "1"}[key]
    edit(management, f"  {key}: {was} ", f"  {key}: {typed} ")
    hint = (
        f"management.yaml 键 / key facts.{key}: {typed} 读作 {typed}%，若指 93% 请填 93 / read as "
        f"{typed}%; for 93% write 93"
    )
    assert load_unit(unit_copy).input_warnings == ((hint,) if hinted else ())


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        # bool is an int to pydantic: a yes/no is never read as 1 person
        (
            "authorized: 96",
            "authorized: true",
            'staffing.authorized: "true" 应为人数或个数（整数），不是 是/否 / expected a whole '
            "number, not yes or no",
        ),
        ("authorized: 96", "authorized: .nan", 'staffing.authorized: "nan" 不是有限的数 / is not a finite number'),
        ("actual: 4462.32", "actual: true", 'totals.actual: "True" 不是数字 / "True" is not a number'),
        ("actual: 4462.32", "actual: .inf", 'totals.actual: "inf" 不是有限的数 / "inf" is not a finite number'),
    ],
)  # fmt: skip
def test_a_yes_no_or_a_non_finite_number_where_a_figure_belongs_is_refused(
    unit_copy, old, new, said
):
    edit(unit_copy.parent.parent / "data/2024/qianshan/unit.yaml", old, new)
    assert _errors(unit_copy).splitlines()[1:] == [f"  - 键 / key {said}"]
