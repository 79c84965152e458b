"""Report charts: matplotlib Figures (not pyplot) with Chinese labels in a CJK font."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # charts are files, never windows; set before anything imports pyplot

from matplotlib import font_manager, ft2font  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..evaluate.indicators import Indicators  # noqa: E402
from ..evaluate.scoring import Scorecard  # noqa: E402
from ..fmt import describe_growth  # noqa: E402

# CJK families we accept when the bundled font is missing, best first.
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
    "SimSun",
)
BUNDLED_FAMILY = "Noto Sans CJK SC (selfeval)"  # the font of the pinned mplfonts wheel
COLORS = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0")


@cache
def find_cjk_font() -> str:
    """The CJK font family charts use.

    The Noto Sans CJK SC that the pinned `mplfonts` wheel ships comes first, so the same inputs
    give the same PNG bytes on every machine (a Dask worker's system fonts must not change a
    report). Only where that wheel is absent do we fall back to a CJK font the system has.
    """
    try:
        from importlib.resources import files

        bundled = Path(str(files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"))
    except ModuleNotFoundError:
        bundled = None
    if bundled is not None and bundled.is_file():
        # Registered under a family name of its own: Debian's fonts-noto-cjk is "Noto Sans CJK SC"
        # too, and matplotlib, asked for that name, would take whichever its font cache lists
        # first, so the PNG bytes would depend on the machine and on when that cache was built.
        entry = font_manager.ttfFontProperty(ft2font.FT2Font(str(bundled)))
        font_manager.fontManager.ttflist.append(dataclasses.replace(entry, name=BUNDLED_FAMILY))
        return _use(BUNDLED_FAMILY)
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_CJK_FAMILIES:
        if family in installed:
            return _use(family)
    raise RuntimeError(
        "找不到中文字体 / no CJK font found: install the pinned dependencies "
        "(pip install -e .) or a CJK font such as fonts-noto-cjk"
    )


def _use(family: str) -> str:
    """Charts are set in `family` (once per process: the choice never changes)."""
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 minus
    return family


def new_figure(width: float = 7.0, height: float = 3.6) -> Figure:
    """A white, constrained-layout Figure whose text is set in the CJK font."""
    find_cjk_font()
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    fig.set_facecolor("white")
    return fig


def _f(value: Decimal | None) -> float:
    return float(value or 0)


def _label_bars(ax, bars, labels: list[str] | None = None) -> None:
    """Write each bar's value (or the given label) just above it."""
    for n, bar in enumerate(bars):
        text = f"{bar.get_height():,.2f}" if labels is None else labels[n]
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )


def _label_ends(ax, y, ends: list[float], labels: list[str]) -> None:
    """Write each horizontal bar's label just past its end."""
    for yy, end, label in zip(y, ends, labels, strict=True):
        ax.annotate(
            label, (end, yy), va="center", fontsize=8, xytext=(3, 0), textcoords="offset points"
        )


def plot_spending_structure(values: Indicators) -> Figure:
    """本年支出构成: 人员经费 / 公用经费 / 项目支出 (万元 and share)."""
    fig = new_figure(6.4, 3.4)
    ax = fig.add_subplot()
    parts = [
        ("人员经费", values.personnel),
        ("公用经费", values.public),
        ("项目支出", values.project),
    ]
    parts = [(k, v) for k, v in parts if v > 0]
    if not parts:  # nothing spent: say so rather than draw an empty pie
        ax.text(0.5, 0.5, "本年无支出数据", ha="center", va="center", fontsize=12)
        ax.set_axis_off()
        return fig
    total = sum(_f(v) for _, v in parts)
    ax.pie(
        [_f(v) for _, v in parts],
        colors=COLORS[: len(parts)],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.45, "edgecolor": "white"},
    )
    ax.legend(
        [f"{k} {_f(v):,.2f}万元（{_f(v) * 100 / total:.2f}%）" for k, v in parts],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
        fontsize=9,
    )
    ax.set_title(f"本年支出构成（合计{_f(values.actual):,.2f}万元）", fontsize=11)
    ax.set_aspect("equal")
    return fig


def plot_year_on_year(values: Indicators, year: int) -> Figure:
    """基本支出 and 项目支出, this year against last year."""
    fig = new_figure()
    ax = fig.add_subplot()
    labels = ["基本支出", "项目支出"]
    last = [_f(values.basic_last), _f(values.project_last)]
    this = [_f(values.basic), _f(values.project)]
    x = range(len(labels))
    b1 = ax.bar([i - 0.2 for i in x], last, 0.4, label=f"{year - 1}年", color="#9dc3e6")
    b2 = ax.bar([i + 0.2 for i in x], this, 0.4, label=f"{year}年", color=COLORS[0])
    _label_bars(ax, b1)
    _label_bars(ax, b2)
    ax.set_xticks(list(x), labels)
    ax.set_ylabel("万元")
    ax.set_title("基本支出与项目支出年度对比", fontsize=11)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_sangong(sangong) -> Figure:
    """“三公”经费 budget against actual, by item."""
    fig = new_figure()
    ax = fig.add_subplot()
    labels = [s.item for s in sangong]
    x = range(len(labels))
    b1 = ax.bar(
        [i - 0.2 for i in x], [_f(s.budget) for s in sangong], 0.4, label="预算", color="#a9d18e"
    )
    b2 = ax.bar(
        [i + 0.2 for i in x], [_f(s.actual) for s in sangong], 0.4, label="决算", color=COLORS[2]
    )
    _label_bars(ax, b1)
    _label_bars(ax, b2)
    ax.set_xticks(list(x), labels, fontsize=8)
    ax.set_ylabel("万元")
    ax.set_title("“三公”经费预算与决算", fontsize=11)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_scores(card: Scorecard) -> Figure:
    """Score against weight for each indicator of the framework, in framework order."""
    fig = new_figure(7.0, 4.6)
    ax = fig.add_subplot()
    names = [f"{n}. {s.indicator.name}" for n, s in enumerate(card.scores, start=1)]
    y = list(range(len(names)))[::-1]
    ax.barh(y, [_f(s.indicator.weight) for s in card.scores], color="#e7e6e6", label="分值")
    ax.barh(y, [_f(s.score) for s in card.scores], height=0.5, color=COLORS[0], label="得分")
    _label_ends(
        ax,
        y,
        [_f(s.indicator.weight) for s in card.scores],
        [f"{_f(s.score):.2f}/{_f(s.indicator.weight):g}" for s in card.scores],
    )
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlabel("分")
    ax.set_title(f"各指标得分与分值（合计{_f(card.total):.2f}分，{card.grade}）", fontsize=11)
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_economy(values: Indicators) -> Figure:
    """产出 figures stated in 万元 as horizontal bars, each labelled with its value and growth."""
    rows = [r for r in values.targets_of("产出") if r.target.unit == "万元"][::-1]
    fig = new_figure(7.0, 0.5 * len(rows) + 1.4)
    ax = fig.add_subplot()
    y = range(len(rows))
    ax.barh(y, [_f(r.target.actual) for r in rows], color=COLORS[0], height=0.55)
    growth = ["" if r.growth_pct is None else f"，{describe_growth(r.growth_pct)}" for r in rows]
    _label_ends(
        ax,
        y,
        [_f(r.target.actual) for r in rows],
        [f"{r.target.actual}万元{g}" for r, g in zip(rows, growth, strict=True)],
    )
    ax.set_yticks(list(y), [r.target.name for r in rows], fontsize=9)
    ax.set_xlabel("万元")
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:,.0f}")
    ax.set_title("主要经济指标及增长率", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.3)
    return fig


def figure_png(fig: Figure) -> bytes:
    """PNG bytes with no timestamp or version metadata, so the same figure gives the same bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, facecolor="white")
    return buf.getvalue()
