from decimal import Decimal as D

from selfeval_lib.fmt import (
    describe_change,
    describe_growth,
    fmt_amount,
    fmt_figure,
    fmt_pct,
    fmt_score,
    fmt_wan,
    pct,
)


def test_amounts_are_written_as_the_reference_writes_them():
    assert fmt_wan(D("4898.86")) == "4,898.86万元"
    assert fmt_wan(D("1589.88")) == "1,589.88万元"
    assert fmt_wan(D("26.77")) == "26.77万元"
    assert fmt_amount(D("107.60")) == "107.6"
    assert fmt_amount(D("1000000")) == "1,000,000"
    assert fmt_amount(D("0.005")) == "0.01"  # half up, as accountants round


def test_percentages_computed_drop_zeros_entered_keep_their_precision():
    assert fmt_pct(pct(D("4462.32"), D("4798.19"))) == "93%"
    assert fmt_pct(pct(D("26.77"), D("26.77"))) == "100%"
    assert fmt_pct(pct(D("86"), D("96"))) == "89.58%"
    assert fmt_pct(D("4.0")) == "4.0%"
    assert fmt_pct(D("3.4")) == "3.4%"
    assert fmt_pct(D("9.49")) == "9.49%"


def test_a_rate_over_a_zero_base_is_not_applicable():
    assert pct(D("5"), D("0")) is None
    assert fmt_pct(None) == "不适用"


def test_change_and_growth_wording():
    assert describe_change(D("1589.88"), D("1482.28")) == "增加107.60万元"
    assert describe_change(D("2872.44"), D("3661.30")) == "减少788.86万元"
    assert describe_change(D("5"), D("5")) == "持平"
    assert describe_growth(D("3.4")) == "增长3.4%"
    assert describe_growth(D("-2.5")) == "下降2.5%"


def test_figures_as_entered_and_scores_with_two_places():
    assert fmt_figure(D("1712.3764")) == "1712.3764"
    assert fmt_figure(D("174477")) == "174477"
    assert fmt_score(D("86")) == "86.00"
