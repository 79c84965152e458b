"""Last year's scores (evaluate/years.py): as filed under last year's framework, re-scored under
this year's where the framework changed, and the list of what changed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from selfeval_lib.evaluate.years import compare_frameworks, score_previous
from selfeval_lib.frameworks.model import load_framework
from selfeval_lib.inputs.unit import load_unit

YEARS = Path(__file__).resolve().parent.parent / "data" / "years"


def test_the_framework_change_lists_exactly_the_changes():
    last = load_framework(str(YEARS / "frameworks/years_test_2023.yaml"), YEARS)
    this = load_framework("gd_township_2024", YEARS)
    assert compare_frameworks(last, this) == [
        "“部门整体绩效目标产出完成情况”分值由23.00分调整为25.00分",
        "“部门预算资金支出率”分值由12.00分调整为10.00分",
        "新增指标“运行成本”（分值3.00分）",
        "删除指标“编制使用”（上年分值3.00分）",
        "等级“良”由≥85.00分调整为≥80.00分",
    ]
    assert compare_frameworks(this, this) == []


def test_last_years_data_is_scored_as_filed_and_rescored_under_this_years_framework():
    previous = score_previous(load_unit(YEARS / "params/hexi_2024.yaml"))
    assert previous.year == 2023 and previous.framework_id == "years_test_2023"
    # as filed: 支出率 over 12 points, 编制使用 scored, no 运行成本
    assert previous.score_of("spending_rate").score == Decimal("12.00")
    assert previous.score_of("staffing_use").score == Decimal("3.00")
    assert previous.score_of("running_cost") is None
    assert (previous.card.total, previous.card.grade) == (Decimal("97.38"), "优")
    # re-scored: this year's weights and indicators
    assert previous.rescored_of("spending_rate").score == Decimal("10.00")
    assert previous.rescored_of("running_cost").score == Decimal("3.00")
    assert previous.rescored_of("staffing_use") is None
    assert (previous.rescored.total, previous.rescored.grade) == (Decimal("97.33"), "优")
    assert previous.comparable is previous.rescored


def test_the_same_framework_both_years_is_not_rescored():
    previous = score_previous(load_unit(YEARS / "params/hexi_2025.yaml"))
    assert previous.year == 2024 and previous.changes == () and previous.rescored is None
    assert previous.comparable is previous.card
    assert score_previous(load_unit(YEARS / "params/hexi_2023.yaml")) is None
