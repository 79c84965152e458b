"""Charts: real matplotlib Figures with Chinese labels, no missing glyphs, the same bytes twice."""

from __future__ import annotations

import warnings

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Wedge
from matplotlib.text import Text

from selfeval_lib import load_report
from selfeval_lib.report.blocks import PRINTED_WIDTH
from selfeval_lib.report.canvas import figure_png, find_cjk_font
from selfeval_lib.report.display import CHARTS

from ..conftest import edit


@pytest.fixture(scope="module")
def report():
    from ..conftest import EXAMPLE_PARAMS

    return load_report(EXAMPLE_PARAMS)


def test_a_cjk_font_is_found():
    assert "CJK" in find_cjk_font() or "Hei" in find_cjk_font()


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_renders_chinese_without_missing_glyphs(report, name):
    caption, plot, _note = CHARTS[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plot(report)
        png = figure_png(fig)
    assert isinstance(fig, Figure)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    missing = [
        str(w.message)
        for w in caught
        if "Glyph" in str(w.message) or "missing from font" in str(w.message)
    ]
    assert missing == []
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts), caption


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_no_chart_prints_its_caption_again_as_its_title(report, name):
    """The caption under a chart (图2 主要经济指标及增长率) is its title: a title on the chart that
    says only the same would print it twice. A title that adds the total may stay."""
    caption, plot, _note = CHARTS[name]
    titles = [ax.get_title() for ax in plot(report).axes]
    assert caption not in titles, titles


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_is_drawn_at_its_printed_width_with_labels_of_9_pt_or_more(report, name):
    """A figure as wide as Word and the PDF print it (so its points are points on paper), saved
    at 200 dpi: no text on it smaller than 9 pt, no picture coarser than 200 dpi on paper."""
    fig = CHARTS[name][1](report)
    figure_png(fig)  # lays the figure out
    assert fig.get_size_inches()[0] == PRINTED_WIDTH
    assert fig.dpi >= 200
    small = {
        t.get_text(): t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text() and t.get_fontsize() < 9
    }
    assert small == {}


def test_chart_bytes_are_deterministic(report):
    _, plot, _ = CHARTS["scores"]
    assert figure_png(plot(report)) == figure_png(plot(report))


def test_economy_chart_labels_growth_rates(report):
    fig = CHARTS["economy"][1](report)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "174477万元，增长3.4%" in labels and "5085万元" in labels


def test_charts_use_the_bundled_font_even_beside_a_system_font_of_the_same_name():
    """The same PNG bytes on every machine: the pinned wheel's font, never a system "Noto Sans
    CJK SC" (Debian's fonts-noto-cjk) that matplotlib's font cache might list first."""
    from matplotlib import font_manager

    from selfeval_lib.report.canvas import bundled_font

    find_cjk_font()
    for weight in ("normal", "bold"):
        chosen = font_manager.findfont(
            font_manager.FontProperties(family="sans-serif", weight=weight)
        )
        assert chosen == str(bundled_font()), chosen


# --- what a reader sees in the charts of a partial unit -------------------------------------------


def _data(params):
    return params.parent.parent / "data/2024/qianshan"


def _seen(fig) -> dict:
    """What a reader checks in a chart: its title, legend, the texts on it, the bars (centre,
    height) and how many pie slices."""
    ax = fig.axes[0]
    legend = ax.get_legend()
    return {
        "title": ax.get_title(),
        "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
        "texts": [t.get_text() for t in ax.texts],
        "bars": [
            (round(b.get_x() + b.get_width() / 2, 1), round(b.get_height(), 2))
            for c in ax.containers
            for b in c
        ],
        "slices": sum(isinstance(p, Wedge) for p in ax.patches),
    }


def _charts(params, name):
    r = load_report(params)
    _, plot, note = CHARTS[name]
    return _seen(plot(r)), note(r)


def _no_project(params, *, total: bool = True, split: bool = True):
    """The complete example with 项目支出 未填报 (its line and its stated total), and optionally
    本年支出 not stated either, or 基本支出 not split into 人员经费 and 公用经费."""
    data = _data(params)
    edit(data / "budget.csv", "2600.00,3178.19,2872.44,3661.30", "2600.00,3178.19,未填报,未填报")
    edit(data / "unit.yaml", "  project: 2872.44", "")
    if not total:
        edit(data / "unit.yaml", "  actual: 4462.32", "")
    if not split:
        edit(data / "budget.csv", "基本支出,人员经费,", "基本支出,未填报,")


def test_structure_of_a_complete_unit_marks_shares_of_illustrative_parts(unit_copy):
    seen, note = _charts(unit_copy, "structure")
    assert seen["title"] == "本年支出构成（合计4,462.32万元）"
    assert seen["legend"] == [
        "人员经费 1,402.51万元※（31.43%※）",
        "公用经费 187.37万元※（4.20%※）",
        "项目支出 2,872.44万元（64.37%）",
    ]
    assert seen["slices"] == 3 and note == ""


def test_structure_with_a_part_not_stated_shares_the_stated_total_never_100_percent(unit_copy):
    """shiling: 基本支出 898.12 of 本年支出 2,310 was drawn as 100 % because 项目支出 was 未填报."""
    _no_project(unit_copy, split=False)
    seen, note = _charts(unit_copy, "structure")
    assert seen["title"] == "本年支出构成（合计4,462.32万元）"
    assert seen["legend"] == [
        "基本支出 1,589.88万元（35.63%）",  # of the total the title names
        "其余 2,872.44万元（64.37%）\n（项目支出未填报）",  # the rest, not called 项目支出
    ]
    assert seen["slices"] == 2
    assert note == (
        "人员经费与公用经费的划分未填报，图中列基本支出合计；"
        "项目支出未填报，图中“其余”为本年支出合计减已填报各项，未再细分"
    )


def test_the_rest_of_a_stated_total_is_marked_where_a_given_part_is(unit_copy):
    _no_project(unit_copy)
    seen, _ = _charts(unit_copy, "structure")
    assert seen["legend"] == [
        "人员经费 1,402.51万元※（31.43%※）",
        "公用经费 187.37万元※（4.20%※）",
        "其余 2,872.44万元※（64.37%※）\n（项目支出未填报）",
    ]


def test_structure_without_a_total_draws_no_shares(unit_copy):
    """hewan: 人员经费 86.91 % and 公用经费 13.09 % of 基本支出 were drawn under 本年支出."""
    _no_project(unit_copy, total=False)
    seen, note = _charts(unit_copy, "structure")
    assert seen["slices"] == 0 and seen["legend"] == []
    assert seen["texts"] == [
        "项目支出未填报，本年支出合计未填报\n无从计算构成占比\n"
        "已填报：人员经费 1,402.51万元※，公用经费 187.37万元※"
    ]
    assert "%" not in "".join(seen["texts"])
    assert note == "项目支出未填报，本年支出合计未填报，无从计算构成占比，不绘构成图"


def test_structure_whose_parts_miss_the_stated_total_names_the_base_of_its_shares(unit_copy):
    """liutang: titled with the stated 2,500.00 while the shares were of the parts' 2,475.70."""
    edit(_data(unit_copy) / "unit.yaml", "  actual: 4462.32", "  actual: 4500.00")
    seen, note = _charts(unit_copy, "structure")
    assert seen["title"] == "本年支出构成（各项合计4,462.32万元※）"
    assert seen["legend"] == [
        "人员经费 1,402.51万元※（31.43%※）",
        "公用经费 187.37万元※（4.20%※）",
        "项目支出 2,872.44万元（64.37%※）",  # of a whole that rests on ※ parts
    ]
    assert note == (
        "单位所列本年支出合计4,500.00万元与图中各项之和4,462.32万元※不一致，相差37.68万元※；"
        "占比按图中各项之和计算"
    )


def test_year_on_year_draws_every_given_bar_and_names_each_missing_one(unit_copy):
    """shiling: 基本支出 of both years was given, yet the chart said 基本支出与项目支出未填报."""
    _no_project(unit_copy)
    seen, note = _charts(unit_copy, "year_on_year")
    assert seen["bars"] == [(-0.2, 1482.28), (0.2, 1589.88)]  # 基本支出 2023, 2024
    assert seen["legend"] == ["2023年", "2024年"]
    assert seen["texts"] == ["1,482.28※", "未填报", "1,589.88", "未填报"]
    assert note == "2023年项目支出、2024年项目支出未填报，图中未列"


def test_year_on_year_leaves_out_a_year_with_nothing_given(unit_copy):
    _no_project(unit_copy)
    edit(_data(unit_copy) / "budget.csv", "1402.51,1298.40,", "1402.51,未填报,")
    seen, note = _charts(unit_copy, "year_on_year")
    assert seen["bars"] == [(0.2, 1589.88)] and seen["legend"] == ["2024年"]
    assert seen["texts"] == ["1,589.88", "未填报"]
    assert note == "2023年基本支出与项目支出、2024年项目支出未填报，图中未列"


def test_year_on_year_of_a_complete_unit_has_no_note(unit_copy):
    seen, note = _charts(unit_copy, "year_on_year")
    assert seen["bars"] == [(-0.2, 1482.28), (0.8, 3661.3), (0.2, 1589.88), (1.2, 2872.44)]
    assert "未填报" not in seen["texts"] and note == ""


def _outputs_in(params, unit: str):
    """Every 产出 target of the complete example set in `unit` instead of 万元."""
    targets = _data(params) / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines(keepends=True)
    targets.write_text(
        "".join(
            line.replace(",万元,", f",{unit},", 1) if line.startswith("产出,") else line
            for line in lines
        ),
        encoding="utf-8",
    )


def test_economy_without_a_wan_yuan_output_target_says_so(unit_copy):
    """hewan has no 产出 target in 万元; the chart said their actuals were 未填报."""
    _outputs_in(unit_copy, "亿元")
    seen, note = _charts(unit_copy, "economy")
    assert seen["texts"] == ["无以万元计的产出指标"] and note == ""


def test_economy_with_output_units_not_stated_does_not_claim_there_is_none(unit_copy):
    _outputs_in(unit_copy, "亿元")
    edit(_data(unit_copy) / "targets.csv", "全镇地区生产总值,亿元,", "全镇地区生产总值,未填报,")
    seen, note = _charts(unit_copy, "economy")
    assert seen["texts"] == ["产出指标中无已知以万元计的指标\n（部分指标计量单位未填报）"]
    assert note == "地区生产总值的计量单位未填报，图中未列"


def test_economy_with_actuals_not_stated_says_so(unit_copy):
    targets = _data(unit_copy) / "targets.csv"
    for actual in ("174477", "1712.3764", "135471", "7415", "5085"):
        edit(targets, f",{actual},", ",未填报,")
    seen, note = _charts(unit_copy, "economy")
    assert seen["texts"] == ["以万元计的产出指标实际值未填报"]
    assert note.endswith("实际值未填报，图中未列")


@pytest.mark.parametrize("which", ["example", "complete"])
def test_sangong_legend_covers_no_bar_and_no_figure(which):
    """hewan, and the example: one item's two bars span the axes and 'best' put the legend on
    the 决算 bar."""
    from ..conftest import COMPLETE_PARAMS, EXAMPLE_PARAMS

    r = load_report(EXAMPLE_PARAMS if which == "example" else COMPLETE_PARAMS)
    fig = CHARTS["sangong"][1](r)
    figure_png(fig)  # lays the figure out
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    covered = [*ax.patches, *ax.texts]
    assert covered and not [a for a in covered if a.get_window_extent().overlaps(legend)]
