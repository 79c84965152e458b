"""The lists a report summarises: items, none (无, stated by the unit) or 未填报 (left out).

Issue 20: "本年度未设定产出类绩效目标" for targets a source simply does not state, "项目支出0万元"
for a 支出类型 with no row, "无下属二级预算单位" for an omitted count. Each list here is read
three ways: listed, stated none, omitted."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from selfeval_lib import ValidationErrors, load_report
from selfeval_lib.evaluate.figures import compute_figure
from selfeval_lib.fmt import fmt_money
from selfeval_lib.values import Fig


def _data(params: Path) -> Path:
    return params.parent.parent / "data/2024/qianshan"


def _drop_rows(path: Path, start: str, add: str = "") -> None:
    """Delete a file's lines that start with `start`; append `add` (a 无 row) if given."""
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(start)]
    path.write_text("\n".join([*kept, *([add] if add else [])]) + "\n", encoding="utf-8")


def _counts(params: Path) -> dict[str, int | None]:
    return {k: v.count for k, v in load_report(params).indicators.lists.items()}


def test_every_list_of_the_complete_example_is_listed(unit_copy):
    assert _counts(unit_copy) == {
        "targets.产出": 5,
        "targets.效益": 11,
        "budget.基本支出": 2,
        "budget.项目支出": 1,
        "sangong": 4,
        "team": 3,
        "new_projects": 1,
        "subordinate_units": 0,
    }


def test_a_spending_type_without_rows_is_not_stated_and_a_wu_row_makes_it_none(unit_copy):
    """Trap: a 支出类型 with no row printed "项目支出0万元，比上年决算数持平"."""
    data = _data(unit_copy)
    for key in ("  project:", "  actual:"):  # no stated total stands in for the lines
        _drop_rows(data / "unit.yaml", key)
    _drop_rows(data / "budget.csv", "项目支出,")
    values = load_report(unit_copy).indicators
    assert values.lists["budget.项目支出"].not_stated
    for figure in (values.project, values.actual, values.project_last, values.initial_budget):
        assert (figure.value, figure.missing) == (None, ("budget.csv: 无“项目支出”行",))
    _drop_rows(data / "budget.csv", "项目支出,", "项目支出,,无,,,,,")
    values = load_report(unit_copy).indicators
    assert values.lists["budget.项目支出"].none
    assert (values.project.value, values.actual.value) == (D(0), D("1589.88"))
    # a 无 row says nothing of last year: that stays 未填报, so no "持平" is computed
    assert values.project_last.missing == ("budget.csv: 项目支出“无”行的上年支出",)
    assert values.project_change.value is None


def test_personnel_and_office_costs_without_basic_rows_follow_basic_spending(unit_copy):
    """人员经费 and 公用经费 are parts of 基本支出: with no 基本支出 row they are 未填报 naming the
    missing row (whatever the 项目支出 rows hold), and 0 once a 无 row says there is none, but last
    year's stays 未填报 (a 无 row says nothing of it)."""
    data = _data(unit_copy)
    _drop_rows(data / "budget.csv", "基本支出,")
    report = load_report(unit_copy)
    values = report.indicators
    for figure in (values.personnel, values.public):
        assert (figure.value, figure.missing) == (None, ("budget.csv: 无“基本支出”行",))
    _drop_rows(data / "budget.csv", "基本支出,", "基本支出,,无,,,,,")
    report = load_report(unit_copy)
    values = report.indicators
    assert (values.personnel, values.public) == (Fig(D(0)), Fig(D(0)))
    assert compute_figure("年初预算人员经费", report.unit, values) == Fig(D(0))
    assert compute_figure("上年公用经费", report.unit, values).missing == (
        "budget.csv: 基本支出“无”行的上年支出",
    )
    # 基本支出 of 公用经费 alone: 人员经费 is 0, a sum of no lines, shown as a table shows money
    _drop_rows(
        data / "budget.csv", "基本支出,", "基本支出,公用经费,商品和服务支出,190,200,187.37,180"
    )
    personnel = load_report(unit_copy).indicators.personnel
    assert (personnel, fmt_money(personnel.value)) == (Fig(D(0)), "0.00")


def test_targets_of_a_category_left_out_are_not_stated_and_scored_by_that_policy(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    _drop_rows(targets, "产出,")
    report = load_report(unit_copy)
    assert report.indicators.lists["targets.产出"].not_stated
    output = next(s for s in report.card.scores if s.indicator.id == "output_completion")
    assert output.not_stated == ("targets.csv: 无“产出”行",)
    assert "未设定" not in output.computed_basis
    assert "targets.csv: 无“产出”行" in report.unit.not_stated()  # the report's 未填报 list
    _drop_rows(targets, "产出,", "产出,无")
    report = load_report(unit_copy)
    assert report.indicators.lists["targets.产出"].none
    output = next(s for s in report.card.scores if s.indicator.id == "output_completion")
    assert (output.computed, output.computed_basis, output.not_stated) == (
        D(0),
        "未设定产出指标，无法衡量完成情况，不得分。",
        (),
    )
    assert not any("产出" in place for place in report.unit.not_stated())


def test_sangong_none_by_a_wu_row_and_an_item_left_out_is_not_stated(unit_copy):
    data = _data(unit_copy)
    _drop_rows(data / "unit.yaml", "  sangong_")
    _drop_rows(data / "sangong.csv", "公务接待费,")
    values = load_report(unit_copy).indicators
    assert values.sangong_actual.missing == ("sangong.csv: 无“公务接待费”行",)
    _drop_rows(data / "sangong.csv", "公务", "无")
    _drop_rows(data / "sangong.csv", "因公")
    values = load_report(unit_copy).indicators
    assert values.lists["sangong"].none
    assert (values.sangong_budget.value, values.sangong_actual.value) == (D(0), D(0))
    assert values.sangong_last.missing == ("sangong.csv: 三公经费“无”行的上年决算",)


@pytest.mark.parametrize(
    "key, old, new, count",
    [
        ("team", "  team:\n", "  team: 无\n  old_team:\n", 0),
        ("new_projects", "new_projects:\n", "new_projects: 无\nold_projects:\n", 0),
        ("new_projects", "new_projects:\n", "new_projects: []\nold_projects:\n", 0),
        ("subordinate_units", "  subordinate_units: 0\n", "  subordinate_units: 无\n", 0),
        ("subordinate_units", "  subordinate_units: 0\n", "", None),
    ],
)
def test_yaml_lists_say_none_with_wu_and_are_not_stated_when_left_out(
    unit_copy, key, old, new, count
):
    data = _data(unit_copy)
    file = data / ("management.yaml" if key == "new_projects" else "unit.yaml")
    text = file.read_text(encoding="utf-8").replace(old, new, 1)
    # the members (or projects) that followed now hang under a key of their own: drop it
    file.write_text(_without_key(text, "old_team" if key == "team" else "old_projects"), "utf-8")
    assert _counts(unit_copy)[key] == count


def _without_key(text: str, key: str) -> str:
    lines, out, skipping = text.splitlines(), [], False
    for line in lines:
        if line.strip().startswith(f"{key}:"):
            skipping = True
            continue
        if skipping and line.startswith(("    -", "  -")):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"


def test_new_projects_left_out_are_not_stated(unit_copy):
    management = _data(unit_copy) / "management.yaml"
    management.write_text(
        _without_key(management.read_text(encoding="utf-8"), "new_projects"), "utf-8"
    )
    values = load_report(unit_copy).indicators
    assert values.lists["new_projects"].not_stated
    assert values.new_projects.missing == ("management.yaml: new_projects",)


@pytest.mark.parametrize(
    "file, start, row, expected",
    [
        (
            "targets.csv",
            "",
            "产出,无,,,,,5",
            '第18行 列"实际值" / row 18, column "实际值": “无”行表示没有此类数据，其余单元格应留空，'
            '却填了"5" / a 无 row says there is none: leave its other cells empty',
        ),
        (
            "targets.csv",
            "",
            "满意度,无",
            # the framework declares the categories: gd_township_2024 has no 满意度
            '第18行 列"类别" / row 18, column "类别": "满意度" 不是评分表 gd_township_2024 的目标'
            "类别 / is not a target category of framework gd_township_2024; 允许 / allowed: 产出、效益",
        ),
        (
            "budget.csv",
            "",
            "项目支出,,无",
            "第5行 / row 5: 写了“无”（没有项目支出），但 第4行 / row 4 等行又列出了项目支出 / says "
            "there is no 项目支出, yet other rows list some; delete the 无 row or those rows",
        ),
        (
            "targets.csv",
            "",
            ",无",
            '第18行 列"类别" / row 18, column "类别": “无”行须写明没有哪一类别 / a 无 row names what '
            "there is none of: 类别 is empty",
        ),
        (
            "budget.csv",
            "",
            "其他支出,,无",  # the group column's choices are 支出类型's, not another column's
            '第5行 列"支出类型" / row 5, column "支出类型": “无”行须写明没有哪一支出类型，"其他支出" '
            "不是 基本支出、项目支出 之一 / a 无 row names what there is none of: 支出类型 must be "
            "one of 基本支出、项目支出",
        ),
        (
            "budget.csv",
            "",
            "其他支出,,无\n经常性支出,,无",  # every 无 row is checked, not only the first bad one
            '第6行 列"支出类型" / row 6, column "支出类型": “无”行须写明没有哪一支出类型，"经常性支出" '
            "不是 基本支出、项目支出 之一 / a 无 row names what there is none of: 支出类型 must be "
            "one of 基本支出、项目支出",
        ),
    ],
)
def test_a_wu_row_that_says_more_or_contradicts_the_table_is_refused(
    unit_copy, file, start, row, expected
):
    _drop_rows(_data(unit_copy) / file, "\0", row)  # append the row, keep the rest
    with pytest.raises(ValidationErrors) as info:
        load_report(unit_copy)
    assert f"  - {expected}" in str(info.value).splitlines()
