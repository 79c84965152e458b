"""The Excel route end to end: template -> filled workbook -> import -> run gives the example's report."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from selfeval_lib.cli import main

from ..conftest import EXAMPLE_PARAMS, visible_text

pytestmark = pytest.mark.notebook


def _body(html: str) -> str:
    """The report without its provenance footer and its list of 未填报 places (both name the
    input files, so they must differ between routes)."""
    body = html[: html.index('<footer class="selfeval provenance">')]
    return re.sub(r'<ol class="not-stated">.*?</ol>', "", body, flags=re.S)


def test_template_import_run_gives_the_examples_report(tmp_path, built_example, capsys):
    workbook = tmp_path / "前山镇数据表.xlsx"
    assert main(["template", "--from", str(EXAMPLE_PARAMS), "-o", str(workbook)]) == 0
    params = tmp_path / "params/qianshan_2024.yaml"
    assert (
        main(
            [
                "import",
                str(workbook),
                "--params",
                str(params),
                "--data",
                str(tmp_path / "data/2024/qianshan"),
            ]
        )
        == 0
    )
    assert main(["run", str(params), "--out", str(tmp_path / "reports"), "--no-overview"]) == 0
    capsys.readouterr()
    ours = (tmp_path / "reports/2024/qianshan_2024.html").read_text(encoding="utf-8")
    assert _body(ours) == _body(built_example.read_text(encoding="utf-8"))


def test_params_may_point_at_the_workbook_itself(tmp_path, built_example, capsys):
    workbook = tmp_path / "data/2024/qianshan.xlsx"
    workbook.parent.mkdir(parents=True)
    assert main(["template", "--from", str(EXAMPLE_PARAMS), "-o", str(workbook)]) == 0
    params = tmp_path / "params/qianshan_2024.yaml"
    params.parent.mkdir()
    params.write_text(
        "unit_id: qianshan_2024\nyear: 2024\ndata: ../data/2024/qianshan.xlsx\n", encoding="utf-8"
    )
    assert main(["run", str(params), "--out", str(tmp_path / "reports"), "--no-overview"]) == 0
    capsys.readouterr()
    ours = (tmp_path / "reports/2024/qianshan_2024.html").read_text(encoding="utf-8")
    assert _body(ours) == _body(built_example.read_text(encoding="utf-8"))
    assert "data/2024/qianshan.xlsx" in ours[ours.index("provenance") :]
    # the 未填报 list names the workbook's cells (NFKC: the full-width colon reads as ':')
    assert 'qianshan.xlsx 列"年初预算":收支情况!D3、D4' in visible_text(ours)


def test_the_scoresheet_beside_the_report_has_its_total_and_grade(built_example):
    sheet = load_workbook(built_example.with_suffix(".xlsx"))["评分表"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0] in ("合计", "等级")}
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "一级指标")
    scores = [header.index(name) for name in ("计算得分", "自评得分", "得分")]
    # 计算得分 and 得分: 44 computed from what the reference states, 86※ with the
    # illustrative self scores; the grade cells, not the legend beside them (优≥90、良≥80…);
    # 自评得分 has no total, as in the report
    assert [rows["合计"][c] for c in scores] == [44, None, 86]
    assert [rows["等级"][c] for c in scores] == ["差", None, "良※"]
    # the grade bands and each indicator's 指标解释 and 评分标准, as the framework states them
    assert rows["等级"][-1] == "等级标准：优≥90、良≥80、中≥60、差<60；单位申报等级：良"
    first = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "履职效能")
    explanation, standard = header.index("指标解释"), header.index("评分标准")
    assert first[2:4] == (
        "部门整体绩效目标产出完成情况",
        "部门围绕年度重点工作设定的产出类绩效目标的完成程度。",
    )
    assert first[standard].startswith("按各产出指标完成率（达到目标值的为100%") and explanation == 3
