"""What a total rests on (evaluate/completeness.py): the indicators and points scored on stated
data and by the framework's 未填报 rule, in the words shown beside every total."""

from __future__ import annotations

from decimal import Decimal as D

from selfeval_lib import load_report

from ..conftest import EXAMPLE_PARAMS, edit


def test_every_indicator_on_stated_data(unit_copy):
    done = load_report(unit_copy).card.completeness
    assert (done.indicators, done.not_stated, done.stated) == (12, 0, 12)
    assert done.statement == "12项指标所需数据均已填报。"


def test_some_not_stated_the_rest_scored_on_stated_data(unit_copy):
    facts = unit_copy.parent.parent / "data/2024/qianshan/management.yaml"
    edit(facts, "procurement_complaints: 0", "procurement_complaints: 未填报")
    edit(facts, "asset_inventories: 1", "asset_inventories: 未填报")
    card = load_report(unit_copy).card
    done = card.completeness
    assert (done.not_stated, done.not_stated_weight, done.policy_points) == (2, D(7), D(0))
    assert done.statement == (
        "12项指标中2项所需数据未填报，按评分表规定计0分；其余10项得79.00分※（满分93分）。"
    )
    assert done.stated_score + done.policy_points == card.total  # the parts make the total


def test_not_stated_but_self_scored_says_whose_points_count():
    """The example: 3 indicators' data are not stated, the unit scored them itself (※)."""
    card = load_report(EXAMPLE_PARAMS).card
    done = card.completeness
    assert (done.self_scored, done.self_points) == (3, D(42))
    assert done.statement == (
        "12项指标中3项所需数据未填报，按评分表规定计0分，单位对其自评共42.00分※；"
        "其余9项得44.00分（满分45分）。"
    )
    assert done.self_points + done.stated_score == card.total
