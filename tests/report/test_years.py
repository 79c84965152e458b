"""Last year beside this year in what a reader opens: scores.json, the 评分表 workbook and 自评结果."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from selfeval_lib.report.content import load_report
from selfeval_lib.report.display import show_result
from selfeval_lib.report.scoresheet import scoresheet_bytes

from ..conftest import EXAMPLE_PARAMS

YEARS = Path(__file__).resolve().parent.parent / "data" / "years"


def test_scores_json_has_last_years_score_per_indicator_and_in_total():
    record = load_report(YEARS / "params/hexi_2024.yaml").scores_record()
    rate = next(i for i in record["indicators"] if i["id"] == "spending_rate")
    assert (rate["score"], rate["previous_score"], rate["previous_rescored"], rate["change"]) == (
        10.0, 12.0, 10.0, 0.0,
    )  # fmt: skip
    cost = next(i for i in record["indicators"] if i["id"] == "running_cost")
    assert (cost["previous_score"], cost["previous_rescored"]) == (None, 3.0)  # new in 2024
    last = record["previous_year"]
    assert (last["year"], last["framework"], last["total"], last["grade"]) == (
        2023, "years_test_2023", 97.38, "优",
    )  # fmt: skip
    assert (last["rescored_total"], last["rescored_grade"]) == (97.33, "优")
    assert last["change"] == -0.91  # 96.42 − 97.33: like with like
    assert record["total"] == 96.42
    assert last["framework_changes"][-1] == "等级“良”由≥85.00分调整为≥80.00分"
    assert len(last["taken"]) == 10  # 1 budget line, 1 三公 item, 8 targets


def test_without_last_year_scores_json_has_no_previous_keys():
    record = load_report(EXAMPLE_PARAMS).scores_record()
    assert "previous_year" not in record
    assert not any("previous_score" in i for i in record["indicators"])


def test_the_workbook_shows_last_years_scores_beside_this_years():
    book = load_workbook(BytesIO(scoresheet_bytes(load_report(YEARS / "params/hexi_2024.yaml"))))
    rows = list(book["评分表"].iter_rows(min_row=3, values_only=True))
    assert rows[0][10:] == ("上年得分", "上年得分（按本年评分表）", "变化")
    by_name = {r[2]: r for r in rows[1:13]}
    assert by_name["部门预算资金支出率"][10:] == (12, 10, 0)
    assert by_name["运行成本"][10:] == (None, 3, 0)
    assert rows[13][0] == "合计" and rows[13][8] == 96.42 and rows[13][10:12] == (97.38, 97.33)
    assert round(rows[13][12], 2) == -0.91
    assert rows[14][0] == "等级" and rows[14][10:12] == ("优", "优")


def test_the_result_section_states_last_year_and_lists_the_framework_changes():
    html = show_result(load_report(YEARS / "params/hexi_2024.yaml")).part.html
    text = re.sub(r"<[^>]+>", " ", html)
    assert (
        "上年（2023年）按当年评分表（years_test_2023）得分97.38分，等级“优”；上年数据按本年评分表"
        "重新评分为97.33分，等级“优”，本年与之比较，本年得分较上年减少0.91分。"
    ) in text
    assert "评分表较上年变化（years_test_2023 → gd_township_2024）：" in text
    assert "删除指标“编制使用”（上年分值3.00分）" in text
    assert "上年得分（按本年评分表）" in html
    example = show_result(load_report(EXAMPLE_PARAMS)).part.html
    assert "上年得分" not in example and "评分表较上年变化" not in example
