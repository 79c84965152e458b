"""未填报: a value the source does not state is never shown as a figure, never summed as 0, never
scored as if given; the report, scores.json and the overview list it."""

from __future__ import annotations

import copy
import json
import pickle
import re
import shutil
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest

import selfeval_lib as sel
from selfeval_lib import ValidationErrors, load_report, load_unit
from selfeval_lib.cli import main
from selfeval_lib.frameworks.model import framework_path
from selfeval_lib.report import narrative
from selfeval_lib.values import NOT_STATED

from ..conftest import edit, visible_text


def _blank_out(params: Path) -> Path:
    """The issue's unit: the complete example with staffing 离退休 and 临时工, every budget line's
    年初预算 and 调整预算, every target's 目标值 and two management facts written 未填报, and no
    self scores."""
    data = params.parent.parent / "data/2024/qianshan"
    edit(data / "unit.yaml", "  retired: 48 ", "  retired: 未填报 ")
    edit(data / "unit.yaml", "  temporary: 18 ", "  temporary: 未填报 ")
    budget = data / "budget.csv"
    lines = budget.read_text(encoding="utf-8").splitlines()
    rows = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[3] = cells[4] = "未填报"
        rows.append(",".join(cells))
    budget.write_text("\n".join(rows) + "\n", encoding="utf-8")
    targets = data / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [
        ",".join(c if n != 5 else "未填报" for n, c in enumerate(line.split(",")))
        for line in lines[1:]
    ]
    targets.write_text("\n".join(rows) + "\n", encoding="utf-8")
    edit(data / "management.yaml", "procurement_complaints: 0", "procurement_complaints: 未填报")
    edit(data / "management.yaml", "asset_report_accurate: true", "asset_report_accurate: 未填报")
    (data / "self_scores.csv").write_text("指标,自评得分,理由,示例数据\n", encoding="utf-8")
    return params


@pytest.mark.notebook
def test_a_unit_with_values_not_stated_runs_and_says_so(unit_copy, tmp_path, capsys):
    params = _blank_out(unit_copy)
    assert main(["validate", str(params)]) == 0
    out = tmp_path / "reports"
    assert main(["run", str(params), "--out", str(out), "--no-overview"]) == 0
    capsys.readouterr()
    page = (out / "2024/qianshan_2024.html").read_text(encoding="utf-8")
    text = visible_text(page)
    assert "离退休人数未填报、外聘临时工人数未填报" in text
    for invented in ("离退休人数0人", "外聘临时工人数0人", "全部完成", "临时工与在职人数之比"):
        assert invented not in text
    assert "本年度单位资金支出率未填报" in text
    assert "其中5项的目标值未填报。" in text  # the unit's voice: what is not stated
    assert "产出指标5项中5项的目标值未填报,无法判断完成情况。" in text  # the review notes
    scores = json.loads((out / "2024/qianshan_2024.scores.json").read_text(encoding="utf-8"))
    listed = scores["not_stated"]
    assert "unit.yaml: staffing.retired" in listed and "unit.yaml: staffing.temporary" in listed
    assert 'budget.csv: 第2行 列"年初预算"' in listed and 'budget.csv: 第4行 列"调整预算"' in listed
    assert 'targets.csv: 第17行 列"目标值"' in listed
    assert "management.yaml: facts.procurement_complaints" in listed
    assert len(listed) == 2 + 3 * 2 + 16 + 2
    by_id = {i["id"]: i for i in scores["indicators"]}
    for ident in ("output_completion", "outcome_completion", "spending_rate", "procurement"):
        assert by_id[ident]["score"] == 0
        assert by_id[ident]["basis"].endswith("按评分表未填报规定不得分。"), ident
        assert by_id[ident]["not_stated"]
    assert by_id["procurement"]["not_stated"] == ["management.yaml: facts.procurement_complaints"]
    assert "以下26项数据未填报" in text


def test_sentences_never_rest_on_a_missing_value(unit_copy):
    params = _blank_out(unit_copy)
    data = params.parent.parent / "data/2024/qianshan"
    edit(data / "unit.yaml", "  submitted: 11月初", "  submitted: 未填报")
    edit(data / "unit.yaml", "  published_consistent: true", "  published_consistent: 未填报")
    edit(data / "unit.yaml", "  superior: 徐闻县财政局", "  superior: 未填报")
    edit(
        data / "management.yaml",
        "new_projects:\n  - {name: 乡村振兴基础设施建设项目, pre_assessed: true}",
        "new_projects: 未填报",
    )
    r = load_report(params)
    assert "为行政单位（主管部门未填报）" in narrative.describe_profile(r.unit, r.indicators)
    assert (
        narrative.describe_staffing(r.indicators)
        == "在职人数占核定编制的89.58%；人均基本支出18.49万元。"
    )
    assert narrative.describe_submission(r.unit).startswith("自评材料报送时间未填报，")
    assert narrative.describe_publication(r.unit).endswith("是否一致未填报。")
    assert (
        narrative.describe_pre_assessment(r.unit, r.indicators)
        == "本年度部门是否有新增项目未填报。"
    )
    assert narrative.describe_spending_rate(r.indicators) == "本年度单位资金支出率未填报。"
    assert "全部完成" not in narrative.describe_targets(r.indicators, "效益")
    by_id = {s.indicator.id: s for s in r.card.scores}
    assert by_id["pre_assessment"].not_stated == ("management.yaml: new_projects",)


def test_a_team_not_stated_and_sangong_not_stated(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    text = (data / "unit.yaml").read_text(encoding="utf-8")
    text = re.sub(r"  team:\n(    - .*\n)+", "  team: 未填报\n", text)
    (data / "unit.yaml").write_text(text, encoding="utf-8")
    edit(data / "unit.yaml", "  sangong_actual: 26.77", "  sangong_actual: 未填报")
    r = load_report(unit_copy)
    assert narrative.describe_team(r.unit) == "评价小组人员构成未填报。"
    # the total is 未填报 but every line is given: their sum is computed (and marked), not invented
    assert narrative.describe_sangong(r.indicators).startswith(
        "“三公”经费财政拨款支出决算为26.77万元※"
    )
    sangong = data / "sangong.csv"
    lines = sangong.read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [
        ",".join("未填报" if n == 2 else c for n, c in enumerate(line.split(",")))
        for line in lines[1:]
    ]
    sangong.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = load_report(unit_copy)
    assert narrative.describe_sangong(r.indicators) == "“三公”经费财政拨款支出决算未填报。"
    assert r.card.scores[-1].computed == 0 and r.card.scores[-1].not_stated


def test_not_stated_has_no_truth_value_or_arithmetic():
    with pytest.raises(TypeError, match="^未填报 has no truth value: test `is NOT_STATED` first$"):
        bool(NOT_STATED)
    with pytest.raises(TypeError):
        NOT_STATED + D(1)  # noqa: B018
    with pytest.raises(TypeError):
        NOT_STATED < D(1)  # noqa: B015, B018


def test_not_stated_stays_one_value_through_pickling_and_copying():
    """A batch sends units between processes: 未填报 must still be `is NOT_STATED` there."""
    for moved in (
        pickle.loads(pickle.dumps(NOT_STATED)),
        copy.copy(NOT_STATED),
        copy.deepcopy([NOT_STATED])[0],
    ):
        assert moved is NOT_STATED
    assert (repr(NOT_STATED), str(NOT_STATED)) == ("NOT_STATED", "未填报")


def _not_stated_everywhere(params: Path) -> Path:
    """_blank_out, plus a team member's 职务 and the narrative's last section written 未填报."""
    data = _blank_out(params).parent.parent / "data/2024/qianshan"
    edit(data / "unit.yaml", "{role: 成员, title: 九大办负责人}", "{role: 成员, title: 未填报}")
    text = (data / "narrative.md").read_text(encoding="utf-8")
    text = text[: text.index("## 其他自评情况")] + "## 其他自评情况\n\n未填报\n"
    (data / "narrative.md").write_text(text, encoding="utf-8")
    return params


def test_the_not_stated_list_names_every_value_in_file_order(unit_copy):
    """What the report's 未填报 list and scores.json show: each value, a list's item by its index,
    each table cell by row and column, a narrative section by its title."""
    unit = load_unit(_not_stated_everywhere(unit_copy))
    assert unit.not_stated() == (
        "unit.yaml: staffing.retired",
        "unit.yaml: staffing.temporary",
        "unit.yaml: evaluation.team.2.title",
        "management.yaml: facts.procurement_complaints",
        "management.yaml: facts.asset_report_accurate",
        *(f'budget.csv: 第{n}行 列"{c}"' for n in (2, 3, 4) for c in ("年初预算", "调整预算")),
        *(f'targets.csv: 第{n}行 列"目标值"' for n in range(2, 18)),
        "narrative.md: ## 其他自评情况",
    )


def test_the_not_stated_list_of_a_workbook_names_sheet_and_cell(unit_copy, tmp_path):
    from selfeval_lib.report.template import write_template

    unit = load_unit(_not_stated_everywhere(unit_copy))
    book = unit_copy.parent.parent / "data/2024/qianshan_2024.xlsx"
    write_template(book, unit.framework, unit)
    params = unit_copy.parent / "book_2024.yaml"
    params.write_text(
        "unit_id: book_2024\nyear: 2024\ndata: ../data/2024/qianshan_2024.xlsx\n"
        "framework: gd_township_2024\n",
        encoding="utf-8",
    )
    listed = load_unit(params).not_stated()
    assert listed[:3] == (
        "qianshan_2024.xlsx: 基本情况!B21 staffing.retired",
        "qianshan_2024.xlsx: 基本情况!B22 staffing.temporary",
        "qianshan_2024.xlsx: 基本情况!B39 evaluation.team.2.title",
    )
    assert listed[5:7] == (
        'qianshan_2024.xlsx: 收支情况!D3 列"年初预算"',
        'qianshan_2024.xlsx: 收支情况!E3 列"调整预算"',
    )
    assert listed[-1] == "qianshan_2024.xlsx: 文字材料 ## 其他自评情况"
    assert len(listed) == len(unit.not_stated())


def test_a_unit_built_without_its_sources_names_the_data_files(unit_copy):
    """UnitData's places default to the data-folder file names (a unit built in a notebook)."""
    unit = replace(load_unit(_not_stated_everywhere(unit_copy)), sources={}, locations={}, keys={})
    assert unit.not_stated()[-1] == "narrative.md: ## 其他自评情况"
    assert unit.not_stated()[5] == "budget.csv: 年初预算"
    assert unit.locate_lines("budget.csv", [0, 1], "本年支出") == "budget.csv"
    assert unit.locate("budget.csv", 0, "本年支出") == "budget.csv"
    assert unit.locate("unit.yaml", key="staffing.retired") == "unit.yaml"


def test_a_blank_required_value_suggests_not_stated(unit_copy):
    edit(unit_copy.parent.parent / "data/2024/qianshan/budget.csv", "1380.00,1420.00", ",1420.00")
    with pytest.raises(ValidationErrors) as info:
        load_unit(unit_copy)
    assert (
        '第2行 列"年初预算" / row 2, column "年初预算": 缺少数值 / the value is missing; '
        "若资料未载明，请填写“未填报” / if the source does not state it, write 未填报"
    ) in str(info.value)


def test_only_identity_must_be_given(unit_copy):
    data = unit_copy.parent.parent / "data/2024/qianshan"
    for key in ("short_name", "county", "superior", "nature", "accounting_standard"):
        text = (data / "unit.yaml").read_text(encoding="utf-8")
        (data / "unit.yaml").write_text(re.sub(rf"  {key}: .*\n", "", text), encoding="utf-8")
    r = load_report(unit_copy)
    assert narrative.describe_title(r.unit) == "徐闻县前山镇人民政府部门整体支出绩效自评报告"
    assert "unit.yaml: identity.county" in r.unit.not_stated()
    edit(data / "unit.yaml", "  name: 徐闻县前山镇人民政府\n", "")
    with pytest.raises(ValidationErrors, match="identity.name: 缺少此项 / missing"):
        load_unit(unit_copy)


def test_not_stated_values_inside_lists_are_listed_in_the_checks_scores_and_overview(
    unit_copy, tmp_path
):
    """A 未填报 inside a list (one team member's 职务, one new project's 事前评估) is listed like
    any other: in the report's 数据核对 block, in scores.json and in the overview's 未填报 count."""
    data = unit_copy.parent.parent / "data/2024/qianshan"
    edit(
        data / "unit.yaml",
        "{role: 副组长, title: 党政办主任, name: 张东梅}",
        "{role: 副组长, title: 未填报, name: 张东梅}",
    )
    edit(data / "management.yaml", "pre_assessed: true}", "pre_assessed: 未填报}")
    r = load_report(unit_copy)
    listed = ["unit.yaml: evaluation.team.1.title", "management.yaml: new_projects.0.pre_assessed"]
    record = r.scores_record()
    assert record["not_stated"] == listed and record["warnings"] == []
    assert sel.show_warnings(r).data == (
        '<div class="selfeval warnings"><p>以下2项数据未填报（资料未载明），报告中相应位置写作'
        "“未填报”，依赖这些数据的指标按评分表未填报规定计分：</p>"
        '<ol class="not-stated"><li>unit.yaml: evaluation.team.1.title</li>'
        "<li>management.yaml: new_projects.0.pre_assessed</li></ol></div>"
    )
    year = tmp_path / "reports/2024"
    year.mkdir(parents=True)
    (year / "qianshan_2024.scores.json").write_text(json.dumps(record), encoding="utf-8")
    (year / "qianshan_2024.html").write_text("<html></html>", encoding="utf-8")  # ranked
    county = sel.load_overview(year)
    row = re.search(r"<tbody><tr>(.*?)</tr>", sel.show_ranking(county).data)[1]
    cells = [visible_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[7:] == ["2", "0", "—"]  # 未填报(项), 数据核对提示, no 自评表 here: no link
    assert county.loc["qianshan_2024", "未填报(项)"] == 2  # and so summary.xlsx


# --- stated figures beside computed ones ------------------------------------------------------


def test_a_stated_total_off_by_8_cents_warns_in_the_report_and_scores(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "  actual: 4462.32",
        "  actual: 4462.32\n  initial_budget: 4169.92",
    )
    r = load_report(unit_copy)
    warning = (
        "unit.yaml totals.initial_budget 所列年初预算合计 4,169.92万元 与 budget.csv 各行合计 "
        "4,170.00万元※ 不一致，相差0.08万元※。"
    )
    assert warning in r.scores_record()["warnings"]
    assert warning in sel.show_warnings(r).data


# --- no silent contradictions in the data ------------------------------------------------------


def test_a_column_named_twice_is_refused(unit_copy):
    budget = unit_copy.parent.parent / "data/2024/qianshan/budget.csv"
    edit(budget, "本年支出,上年支出", "本年支出,本年支出")
    with pytest.raises(ValidationErrors) as info:
        load_unit(unit_copy)
    assert "budget.csv: 1 处问题" in str(info.value)
    assert '表头列"本年支出"出现2次 / column "本年支出" appears 2 times in the header' in str(
        info.value
    )


def test_years_must_agree(unit_copy):
    edit(unit_copy.parent.parent / "data/2024/qianshan/unit.yaml", "year: 2024", "year: 2023")
    with pytest.raises(ValidationErrors) as info:
        load_unit(unit_copy)
    assert "键 / key year: 数据年度 2023 与 params 年度 2024 不一致" in str(info.value)
    edit(unit_copy.parent.parent / "data/2024/qianshan/unit.yaml", "year: 2023", "year: 2024")
    edit(unit_copy, "year: 2024", "year: 2023")
    with pytest.raises(ValidationErrors) as info:
        load_unit(unit_copy)
    # both disagree with the params file: one line each
    assert str(info.value).splitlines() == [
        f"{unit_copy.parent.parent / 'data/2024/qianshan/unit.yaml'}: 键 / key year: 数据年度 2024"
        " 与 params 年度 2023 不一致 / the data is for 2024, the params file says 2023",
        f"{unit_copy}: 键 / key data: 数据目录 ../data/2024/qianshan 属于 2024 年度，params 年度为"
        " 2023 / the data folder is under 2024, the params file says 2023",
    ]


# --- the framework says where it applies ---------------------------------------------------------


def _framework_copy(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "county.yaml"
    text = framework_path("gd_township_2024").read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_unit_outside_the_frameworks_scope_is_scored_with_a_warning(unit_copy):
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "  unit_type: 行政单位",
        "  unit_type: 行政单位\n  unit_kind: 县直部门",
    )
    r = load_report(unit_copy)
    assert r.card.outside == "单位类别“县直部门”不在评分表适用的单位类别（镇、乡）内"
    assert r.scores_record()["outside_framework"] == r.card.outside
    assert any(
        w.startswith(
            "qianshan_2024.yaml 键 / key framework: 单位类别“县直部门”不在评分表适用的单位类别"
        )
        for w in r.card.warnings
    )
    assert (
        "适用范围：单位类别“县直部门”不在评分表适用的单位类别（镇、乡）内"
        in sel.show_result(r).data
    )


def test_a_framework_may_refuse_units_outside_its_scope(unit_copy, tmp_path):
    county = _framework_copy(tmp_path, "  outside: warn", "  outside: refuse")
    edit(unit_copy, "framework: gd_township_2024", f"framework: {county}")
    edit(
        unit_copy.parent.parent / "data/2024/qianshan/unit.yaml",
        "  unit_type: 行政单位",
        "  unit_type: 行政单位\n  kind: 街道",  # the old key of unit_kind is still read
    )
    with pytest.raises(ValidationErrors) as info:
        load_unit(unit_copy)
    assert "单位类别“街道”不在评分表适用的单位类别（镇、乡）内" in str(info.value)
    assert "does not apply to this unit" in str(info.value)


def test_a_framework_may_refuse_a_year_outside_its_scope(unit_copy, tmp_path):
    """gd_township_2024 applies to 2024 only: refusing, it refuses a 2025 unit by its year."""
    county = _framework_copy(tmp_path, "  outside: warn", "  outside: refuse")
    data = unit_copy.parent.parent / "data"
    shutil.copytree(data / "2024/qianshan", data / "2025/qianshan")
    edit(data / "2025/qianshan/unit.yaml", "year: 2024", "year: 2025")
    params = unit_copy.with_name("qianshan_2025.yaml")
    params.write_text(
        f"unit_id: qianshan_2025\nyear: 2025\ndata: ../data/2025/qianshan\nframework: {county}\n"
        "previous: none\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationErrors) as info:
        load_unit(params)
    assert str(info.value) == (
        f"{params}: 评价年度2025不在评分表适用年度（2024）内；评分表 gd_township_2024 不适用于本单位 / "
        "framework gd_township_2024 does not apply to this unit (its applies_to refuses units "
        "outside its years or unit kinds); choose another framework in the params file"
    )


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("data/2024/nowhere", "数据目录 {} 不存在 / data folder not found"),
        ("nowhere.xlsx", "工作簿 {} 不存在 / workbook not found"),
    ],
)
def test_a_data_folder_or_workbook_that_is_not_there_is_named(unit_copy, data, said):
    edit(unit_copy, "data: ../data/2024/qianshan", f"data: ../{data}")
    with pytest.raises(ValidationErrors) as info:
        load_unit(unit_copy)
    where = (unit_copy.parent.parent / data).resolve()
    assert str(info.value) == f"{unit_copy}: 键 / key data: {said.format(where)}"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "  - {grade: 良, min: 80}",
            "  - {grade: 良, min: 90}",
            "grades: 等级区间重叠或未按从高到低排列（优 ≥ 90，良 ≥ 90，中 ≥ 60，差 ≥ 0）/ grade "
            "bands overlap or are not listed from highest to lowest",
        ),
        (
            "label: 开展内部财务审计和专项检查, expect: true, deduct: 1}",
            "label: 开展内部财务审计和专项检查, expect: true, deduct: -1}",
            'indicators[5] (id: financial_management).rule.items.1.deduct: "-1" 不能小于 0 / must '
            "be at least 0",
        ),
        (
            "    weight: 3\n    explanation: “三公”经费",
            "    weight: 4\n    explanation: “三公”经费",
            "indicators.weight: 各指标分值合计 101，应为100 / weights add up to 101, not 100",
        ),
        (
            "rule: {kind: coverage, measure: pre_assessment}",
            "rule: {kind: proportion, measure: pre_assessment}",
            'indicators[3] (id: pre_assessment).rule.kind: "proportion" 不是已知的规则类型 / is not '
            "a known rule kind; 允许 / allowed: target_completion, rate, budget_cap, ratio, cap, "
            "coverage, checklist, manual",
        ),
        (
            "    weight: 3\n    explanation: “三公”经费",
            "    weight: 0\n    explanation: “三公”经费",
            'indicators[11] (id: running_cost).weight: "0" 应大于 0 / must be greater than 0',
        ),
    ],
    ids=[
        "overlapping-bands",
        "negative-deduction",
        "weights-not-100",
        "unknown-kind",
        "zero-weight",
    ],
)
def test_a_bad_framework_is_refused_naming_the_place(tmp_path, old, new, expected):
    from selfeval_lib import FrameworkError, load_framework

    path = _framework_copy(tmp_path, old, new)
    with pytest.raises(FrameworkError) as info:
        load_framework(str(path))
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_the_blank_workbook_says_how_and_takes_not_stated_in_every_kind_of_cell(tmp_path):
    from openpyxl import load_workbook

    from selfeval_lib import load_framework
    from selfeval_lib.inputs.workbook.read import read_workbook
    from selfeval_lib.report.template import write_template

    path = tmp_path / "blank.xlsx"
    write_template(path, load_framework("gd_township_2024"))
    wb = load_workbook(path)
    guide = " ".join(str(c.value) for c in wb["填表说明"]["A"] if c.value)
    assert "资料未载明的数据，请填写“未填报”" in guide
    ws = wb["基本情况"]
    rows = {ws.cell(r, 4).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value}
    for key in (
        "staffing.retired",  # a count
        "evaluation.fill_date",  # a month
        "evaluation.published_consistent",  # a yes/no drop-down
        "declared_grade",  # a choice drop-down
        "totals.spending_rate",  # a figure
    ):
        ws.cell(rows[key], 2).value = "未填报"
    wb.save(path)
    problems = "\n".join(str(e) for e in read_workbook(path).errors)
    for key in (
        "staffing.retired",
        "evaluation.fill_date",
        "published_consistent",
        "spending_rate",
    ):
        assert f"key {key}" not in problems and f".{key}:" not in problems, key
    assert "identity.name: 缺少此项 / missing" in problems  # identity must still be given
