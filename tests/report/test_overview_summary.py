"""The county overview's first screen: totals, the grade chart, the units needing attention."""

from __future__ import annotations

import re
import warnings

from selfeval_lib.report.overview import (
    Overview,
    of_county,
    show_overview_summary,
    show_overview_title,
    show_ranking,
)
from selfeval_lib.report.overview_summary import (
    attention_units,
    compute_totals,
    county_page,
    summary_html,
)

from ..conftest import visible_text

BANDS = [{"grade": g, "min": m} for g, m in (("优", 90), ("良", 80), ("中", 60), ("差", 0))]


def unit(unit_id: str, total: float, grade: str, **extra) -> dict:
    """A scores record with what the overview reads (all 12 indicators stated, no warning), its
    自评表 beside its report as read_overview finds it."""
    return {
        "unit_id": unit_id,
        "unit_name": f"{unit_id}镇人民政府",
        "total": total,
        "computed_total": total,
        "grade": grade,
        "grade_bands": BANDS,
        "synthetic": False,
        "warnings": [],
        "not_stated": [],
        "indicators": [],
        "completeness": {"indicators": 12, "not_stated": 0},
        "form": True,
        **extra,
    }


COUNTY = Overview(
    2024,
    (
        unit("a", 95.0, "优"),
        unit("b", 91.0, "优", warnings=["w1"]),
        unit("c", 86.0, "良", computed_total=91.5),  # self total 5.5 below the computed one
        unit("d", 82.0, "良", warnings=["w1", "w2"]),
        unit("e", 70.0, "中", completeness={"indicators": 12, "not_stated": 7}),
        unit("f", 66.0, "中", stale=True),
    ),
    (),
)


def test_county_totals_count_grades_spread_warnings_not_stated_and_failures():
    t = compute_totals(COUNTY)
    assert t.units == 6 and t.grades == (("优", 2), ("良", 2), ("中", 2), ("差", 0))
    assert round(t.mean, 2) == 81.67 and round(t.spread, 2) == 10.53
    assert (t.highest, t.lowest, t.with_warnings, t.failed) == (95.0, 66.0, 2, 1)
    assert (t.not_stated_indicators, t.indicators, t.units_not_stated) == (7, 72, 1)
    page = visible_text(summary_html(COUNTY))
    for shown in ("单位数6个", "平均分81.67", "标准差10.53", "最高 / 最低95.00 / 66.00",
                  "有数据核对提示2个单位", "指标数据未填报9.7%(1个单位有)", "本次运行失败1个单位"):  # fmt: skip
        assert shown in page, shown


def test_units_needing_attention_come_failed_first_then_not_stated_then_self_gap_then_warnings():
    listed = [(u["unit_id"], reasons) for u, reasons in attention_units(COUNTY)]
    assert listed == [
        ("f", ["本次运行失败，显示上次结果"]),
        ("e", ["7/12项指标数据未填报"]),
        ("c", ["自评总分86.00与按评分表计算的91.50相差5.50分"]),
        ("d", ["2条数据核对提示"]),
        ("b", ["1条数据核对提示"]),
    ]
    page = summary_html(COUNTY)
    assert "需要关注的单位（5个）" in page
    # each entry links to the unit's row in the ranking
    links = re.findall(r'<li><a href="#rank-(\w+)">', page)
    assert links == ["f", "e", "c", "d", "b"]
    rows = re.findall(r'id="rank-(\w+)"', show_ranking(COUNTY).data)
    assert sorted(rows) == sorted(links + ["a"])


def test_the_grade_chart_is_an_inline_svg_with_a_bar_per_grade():
    svg = re.search(r"<svg.*?</svg>", summary_html(COUNTY), re.S)[0]
    assert "<title>等级分布：优2个，良2个，中2个，差0个</title>" in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [200.0, 200.0, 200.0, 0.0]  # every bar against the largest group
    assert "http" not in svg.replace("http://www.w3.org", "")  # nothing fetched


def test_the_ranking_shows_the_illustrative_legend_only_where_a_mark_is_shown():
    plain = show_ranking(COUNTY).data
    marked = show_ranking(Overview(2024, (unit("m", 90.0, "优", illustrative=True),), ())).data
    assert "※" not in plain
    assert "90.00※" in marked and "※ 总分含示例数据" in marked


def test_the_summary_sits_beside_the_ranking_with_its_script():
    page = show_overview_summary(COUNTY).data
    assert page.index("一、全县总体情况") < page.index("二、自评得分排名")
    assert page.count('<table class="data ranking">') == 1
    script = re.search(r"<script>(.*?)</script>", page, re.S)[1]
    assert "table.ranking" in script and "http" not in script  # enhances; loads nothing
    assert show_overview_summary(Overview(2024, (), ())).data == "<p>本年度尚无单位报告。</p>"


# --- a province: units of several 县（区） ---------------------------------------------------------

PROVINCE = Overview(
    2024,
    tuple(
        {**u, "county": county}
        for u, county in zip(
            COUNTY.units, ["甲县", "乙区", "甲县", "乙区", "甲县", "甲县"], strict=True
        )
    ),
    tuple((f"{u['unit_id']}.scores.json", "0" * 64) for u in COUNTY.units),
)


def test_a_province_index_lists_its_counties_each_linked_to_its_own_overview():
    page = summary_html(PROVINCE)
    assert "一、各县（区）总体情况" in page and "各县（区）（2个，点击查看该县汇总）" in page
    rows = [visible_text(r) for r in re.findall(r"<tr><td><a.*?</tr>", page)]
    # 县（区）, units, mean, grades, units needing attention, failed
    assert rows == ["乙区286.50优1 良1 中0 差020", "甲县479.25优1 良1 中2 差031"]
    assert re.findall(r'<a href="(index-[^"]+)">', page) == [
        "index-%E4%B9%99%E5%8C%BA.html",  # index-乙区.html, quoted
        "index-%E7%94%B2%E5%8E%BF.html",
    ]
    assert county_page("乙区") == "index-乙区.html"


def test_a_province_index_leaves_its_units_charts_to_its_counties_pages():
    """3,000 units would be 200 charts (30 units each) on one page: the index draws the score
    distribution and says where the units' charts are; each county's page draws them."""
    from selfeval_lib.report.overview import show_overview_chart

    heat, execution = (show_overview_chart(PROVINCE, n).data for n in ("heatmap", "execution"))
    assert "<img" not in heat + execution and execution == ""
    assert heat == (
        "<p>各单位各指标得分率与支出率、“三公”经费执行率图按县（区）分列，见上表各县（区）的汇总页"
        "（2个县（区），6个单位）。</p>"
    )
    assert show_overview_chart(PROVINCE, "distribution").data.count("<img") == 1
    with warnings.catch_warnings():  # this fixture's units have no indicators: an empty map
        warnings.simplefilter("ignore", UserWarning)
        county = show_overview_chart(of_county(PROVINCE, "甲县"), "heatmap").data
    assert county.count("<img") == 1 and "按县（区）分列" not in county


def test_a_countys_overview_has_its_own_units_ranks_and_inputs_and_the_way_back():
    county = of_county(PROVINCE, "乙区")
    assert [u["unit_id"] for u in county.units] == ["b", "d"]
    assert county.inputs == (("b.scores.json", "0" * 64), ("d.scores.json", "0" * 64))
    title = visible_text(show_overview_title(county).data)
    assert title.startswith("2024年度乙区部门整体支出绩效自评汇总本汇总收录乙区2个单位")
    assert '<a href="index.html">返回全部县（区）汇总</a>' in show_overview_title(county).data
    assert "各县（区）" not in summary_html(county) and "一、全县总体情况" in summary_html(county)
    assert re.findall(r'rank-(\w+)">(\d+)<', show_ranking(county).data) == [("b", "1"), ("d", "2")]


def test_the_overview_of_the_units_that_name_no_county_is_titled_not_stated():
    """of_county(o, ""): the units whose record names no 县（区） (absent, null or ""), as the
    county 未填报 that summary.xlsx gives its own sheet."""
    a, b, c, d = COUNTY.units[:4]
    units = ({**a, "county": "甲县"}, {**b, "county": None}, {**c, "county": ""}, d)  # d: no key
    files = tuple((f"{u['unit_id']}.scores.json", "0" * 64) for u in units[:3])
    o = Overview(2024, units, files)
    none = of_county(o, "")
    assert [u["unit_id"] for u in none.units] == ["b", "c", "d"]
    assert none.inputs == (("b.scores.json", "0" * 64), ("c.scores.json", "0" * 64))
    assert none.county == "未填报"
    assert visible_text(show_overview_title(none).data).startswith("2024年度未填报部门整体支出")
    # the notebook's county="未填报" (index-未填报.html) is the same page
    assert of_county(o, "未填报") == none
    assert [u["unit_id"] for u in of_county(o, "甲县").units] == ["a"]
