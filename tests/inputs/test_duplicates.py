"""Rows that state one item twice are refused, naming the file and both rows (duplicates.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval_lib import ValidationErrors, load_unit
from selfeval_lib.inputs.unit import check_parts
from selfeval_lib.inputs.workbook.read import read_workbook
from selfeval_lib.report.template import write_template

from ..conftest import edit, national_copy


def _refused(params: Path) -> str:
    with pytest.raises(ValidationErrors) as info:
        load_unit(params)
    return str(info.value)


def _append_copy(path: Path, marker: str) -> None:
    """Append a copy of the first row holding `marker`."""
    text = path.read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if marker in row)
    path.write_text(text + line + "\n", encoding="utf-8")


def test_a_repeated_sangong_row_is_refused_not_summed(unit_copy):
    sangong = unit_copy.parent.parent / "data/2024/qianshan/sangong.csv"
    _append_copy(sangong, "公务接待费")
    message = _refused(unit_copy)
    assert f"{sangong}: 1 处问题" in message
    assert (
        "第6行 / row 6 与 第5行 / row 5: “三公”经费项目“公务接待费”有两行（不会相加）/ the 三公 "
        "item 公务接待费 has two rows (they are not added up); keep one row per item" in message
    )


def test_a_sangong_item_written_with_ascii_brackets_is_the_same_item(unit_copy):
    sangong = unit_copy.parent.parent / "data/2024/qianshan/sangong.csv"
    sangong.write_text(
        sangong.read_text(encoding="utf-8") + "因公出国（境）费,1.00,1.00,,\n", encoding="utf-8"
    )
    assert "第6行 / row 6 与 第2行 / row 2: “三公”经费项目“因公出国（境）费”有两行" in _refused(
        unit_copy
    )


def test_a_repeated_budget_line_is_refused_naming_both_rows(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    _append_copy(budget, "基本支出,人员经费")
    message = _refused(unit_copy)
    name = budget.read_text(encoding="utf-8").splitlines()[1].split(",")[2]
    assert (
        f"与 第2行 / row 2: 基本支出“{name}”有两行 / the budget line 基本支出 “{name}” has two "
        "rows; write it as one line, or name the two apart" in message
    )


def test_a_target_listed_twice_is_refused_naming_both_rows(unit_copy):
    _append_copy(unit_copy.parent.parent / "data/2024/qianshan/targets.csv", "固定资产投资")
    assert (
        "第18行 / row 18 与 第6行 / row 6: 类别“产出”指标“固定资产投资”重复 / the same target "
        "(类别 产出, 指标 固定资产投资) is listed twice" in _refused(unit_copy)
    )


def test_a_team_member_listed_twice_is_refused_naming_both_keys(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "    - {role: 成员, title: 九大办负责人}\n",
        "    - {role: 成员, title: 九大办负责人}\n    - {role: 成员, title: 党政办主任, name: 张东梅}\n",
    )
    assert (
        "键 / key evaluation.team.3 与 键 / key evaluation.team.1: 评价小组成员“党政办主任 张东梅”"
        "列了两次 / the team member 党政办主任 张东梅 is listed twice; keep one"
        in _refused(unit_copy)
    )


def test_a_repeated_sangong_row_in_a_workbook_names_both_cells(unit_copy, tmp_path):
    book = tmp_path / "unit.xlsx"
    unit = load_unit(unit_copy)
    write_template(book, unit.framework, unit)
    wb = load_workbook(book)
    ws = wb["三公经费"]
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "公务接待费")
    for col in range(1, 5):
        ws.cell(last + 1, col).value = ws.cell(last, col).value
    wb.save(book)

    message = str(check_parts(read_workbook(book))[0])
    assert (
        f"三公经费 第{last + 1}行 / row {last + 1} 与 三公经费 第{last}行 / row {last}: " in message
    )
    assert "“三公”经费项目“公务接待费”有两行（不会相加）" in message


def test_team_members_named_only_by_their_post_may_repeat(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "    - {role: 成员, title: 九大办负责人}\n",
        "    - {role: 成员, title: 九大办负责人}\n    - {role: 成员, title: 九大办负责人}\n"
        "    - {role: 成员, title: 未填报}\n    - {role: 成员, title: 未填报}\n",
    )
    assert len(load_unit(unit_copy).facts.evaluation.team) == 6


def test_one_target_name_under_two_level2_is_two_targets(tmp_path):
    params, targets = national_copy(tmp_path)
    edit(targets, "产出,危房改造户数,完成危房改造,户", "产出,工程验收合格率,完成危房改造,户")
    unit = load_unit(params)
    named = [(t.level2, t.name) for t in unit.targets if t.name == "工程验收合格率"]
    assert named == [("数量指标", "工程验收合格率"), ("质量指标", "工程验收合格率")]


def test_one_target_twice_under_one_level2_is_refused_naming_it(tmp_path):
    params, targets = national_copy(tmp_path)
    edit(targets, "产出,危房改造户数,完成危房改造,户", "产出,农村道路硬化里程,完成危房改造,户")
    assert (
        "第3行 / row 3 与 第2行 / row 2: 类别“产出”二级指标“数量指标”指标“农村道路硬化里程”重复 / "
        "the same target (类别 产出, 二级指标 数量指标, 指标 农村道路硬化里程) is listed twice"
        in _refused(params)
    )
