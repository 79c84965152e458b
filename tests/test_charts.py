"""Charts: real matplotlib Figures with Chinese labels, no missing glyphs, the same bytes twice."""

from __future__ import annotations

import warnings

import pytest
from matplotlib.figure import Figure

from selfeval_lib import load_report
from selfeval_lib.report.charts import figure_png, find_cjk_font
from selfeval_lib.report.display import CHARTS


@pytest.fixture(scope="module")
def report():
    from .conftest import EXAMPLE_PARAMS

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

    from selfeval_lib.report.charts import bundled_font

    find_cjk_font()
    for weight in ("normal", "bold"):
        chosen = font_manager.findfont(
            font_manager.FontProperties(family="sans-serif", weight=weight)
        )
        assert chosen == str(bundled_font()), chosen
