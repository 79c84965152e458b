"""Report charts: matplotlib Figures (not pyplot) with Chinese labels in a CJK font."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import NamedTuple

from matplotlib.figure import Figure

from ..evaluate.indicators import SANGONG_AMOUNTS, Indicators, fig_pct
from ..evaluate.scoring import Scorecard
from ..fmt import ILLUSTRATIVE_MARK, describe_growth, fmt_figure, present_fig
from ..values import NOT_STATED, NOT_STATED_WORD, Fig, fig_apply, fig_sum
from .canvas import (
    DONUT,
    MIN_LABEL_PT,
    PRINTED_WIDTH,
    SCORES,
    new_axes,
)  # canvas.py sets the Agg backend

COLORS = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0")


def _f(value: Decimal | Fig | None) -> float:
    if isinstance(value, Fig):
        value = value.value
    return float(value or 0)


def _mark(f: Fig) -> str:
    """The ※ after a figure's number in a chart, as present_fig decides it."""
    return ILLUSTRATIVE_MARK if present_fig(f).illustrative else ""


def _label_bars(ax, bars, labels: list[str] | None = None) -> None:
    """Write each bar's value (or the given label) just above it."""
    for n, bar in enumerate(bars):
        text = f"{bar.get_height():,.2f}" if labels is None else labels[n]
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=MIN_LABEL_PT,
            xytext=(0, 2),
            textcoords="offset points",
        )


def _label_ends(ax, y, ends: list[float], labels: list[str]) -> None:
    """Write each horizontal bar's label just past its end."""
    for yy, end, label in zip(y, ends, labels, strict=True):
        ax.annotate(
            label,
            (end, yy),
            va="center",
            fontsize=MIN_LABEL_PT,
            xytext=(3, 0),
            textcoords="offset points",
        )


def _nothing(fig: Figure, ax, text: str) -> Figure:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12)
    ax.set_axis_off()
    return fig


def _bars(ax, x, offset: float, figs: list[Fig], label: str, color: str) -> None:
    """One series of paired bars (万元), each labelled with its figure and its ※. A figure not
    given has no bar (never one of 0): 未填报 is written where its bar would stand."""
    at = [(i + offset, f) for i, f in zip(x, figs, strict=True) if f.given]
    bars = ax.bar([p for p, _ in at], [_f(f) for _, f in at], 0.4, label=label, color=color)
    _label_bars(ax, bars, [f"{_f(f):,.2f}{_mark(f)}" for _, f in at])
    for i, f in zip(x, figs, strict=True):
        if not f.given:
            ax.update_datalim([(i + offset - 0.2, 0), (i + offset + 0.2, 0)])  # its room kept
            ax.annotate(
                NOT_STATED_WORD,
                (i + offset, 0),
                ha="center",
                va="bottom",
                fontsize=MIN_LABEL_PT,
                color="#7f7f7f",
                xytext=(0, 2),
                textcoords="offset points",
            )


def _finish_bars(ax, x, labels: list[str], outside=False, **tick_style) -> None:
    """Ticks, axis label and legend of a paired-bar chart in 万元 (its caption is its title: a
    title on the chart would print it twice). The legend goes where it covers the fewest bars, or
    right of the axes (outside=True), where it covers none."""
    ax.set_xticks(list(x), labels, **tick_style)
    ax.set_ylabel("万元")
    if outside:
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def _structure_parts(values: Indicators) -> list[tuple[str, Fig]]:
    """人员经费 / 公用经费 / 项目支出; 基本支出 as one part where its split is not given."""
    if values.personnel.given and values.public.given:
        parts = [("人员经费", values.personnel), ("公用经费", values.public)]
    else:
        parts = [("基本支出", values.basic)]
    return [*parts, ("项目支出", values.project)]


def _wan(f: Fig) -> str:
    """A given amount as the charts write it: 2,310.00万元, with its ※."""
    return f"{_f(f):,.2f}万元{_mark(f)}"


REST = "#d9d9d9"  # the slice for the rest of a stated total whose parts are 未填报


class _Slice(NamedTuple):
    label: str
    amount: Fig
    color: str
    remark: str = ""  # a second line under the label in the legend


@dataclasses.dataclass(frozen=True)
class _Structure:
    """What the 本年支出构成 chart may say: its slices (label, amount, colour) and the whole each
    share is of, named in the title; or, where no share can be given, why (`instead`, drawn
    in place of the pie). And the notes under the chart."""

    slices: tuple[_Slice, ...] = ()
    whole: Fig | None = None
    title: str = ""
    instead: str = ""
    notes: tuple[str, ...] = ()


def _structure(values: Indicators) -> _Structure:
    parts = _structure_parts(values)
    drawn = [
        _Slice(k, v, c) for (k, v), c in zip(parts, COLORS, strict=False) if v.given and v.value > 0
    ]
    missing = "、".join(k for k, v in parts if not v.given)
    known, actual, notes = fig_sum(v for _, v in parts if v.given), values.actual, []
    split = values.personnel.given and values.public.given
    if not split and values.basic.given:
        notes.append(f"人员经费与公用经费的划分{NOT_STATED_WORD}，图中列基本支出合计")
    if split and values.basic.given:
        lines = fig_sum((values.personnel, values.public))
        if lines.value != values.basic.value:
            notes.append(
                f"单位所列基本支出{_wan(values.basic)}与人员经费、公用经费之和{_wan(lines)}不一致"
            )
    if not missing and not drawn:
        return _Structure(instead="本年无可绘制的支出数据", notes=tuple(notes))
    if not missing and actual.given and actual.value == known.value:
        return _Structure(tuple(drawn), actual, f"合计{_wan(actual)}", notes=tuple(notes))
    if not missing:  # the parts do not add up to the stated total: shares of what is drawn
        if actual.given:
            gap = fig_apply(lambda a, b: abs(a - b), actual, known)
            notes.append(
                f"单位所列本年支出合计{_wan(actual)}与图中各项之和{_wan(known)}不一致，"
                f"相差{_wan(gap)}；占比按图中各项之和计算"
            )
        else:
            notes.append(f"本年支出合计{NOT_STATED_WORD}，占比按图中各项之和计算")
        return _Structure(tuple(drawn), known, f"各项合计{_wan(known)}", notes=tuple(notes))
    if drawn and actual.given and known.value <= actual.value:
        rest = _Slice(
            "其余",
            fig_apply(lambda a, b: a - b, actual, known),
            REST,
            f"（{missing}{NOT_STATED_WORD}）",
        )
        notes.append(f"{missing}{NOT_STATED_WORD}，图中“其余”为本年支出合计减已填报各项，未再细分")
        return _Structure((*drawn, rest), actual, f"合计{_wan(actual)}", notes=tuple(notes))
    if not actual.given:
        why = f"本年支出合计{NOT_STATED_WORD}"
    elif drawn:
        why = f"已填报各项之和{_wan(known)}超过本年支出合计{_wan(actual)}"
    else:
        why = f"本年支出合计{_wan(actual)}无已填报的分项"
    notes.append(f"{missing}{NOT_STATED_WORD}，{why}，无从计算构成占比，不绘构成图")
    given = "，".join(f"{k} {_wan(v)}" for k, v in parts if v.given)
    instead = f"{missing}{NOT_STATED_WORD}，{why}\n无从计算构成占比" + (
        f"\n已填报：{given}" if given else ""
    )
    return _Structure(instead=instead, notes=tuple(notes))


def plot_spending_structure(values: Indicators) -> Figure:
    """本年支出构成: 人员经费 / 公用经费 / 项目支出 (万元 and share of the whole the title names).

    A share is printed only of a known whole, and the title names that whole:
    - every part given and their sum the stated 本年支出: shares of it, titled 合计;
    - every part given but their sum not the stated 本年支出 (or none stated): shares of the
      sum of the parts drawn, titled 各项合计; the note gives both figures and the difference;
    - a part 未填报 and 本年支出 stated (and not below the parts given): the given parts and
      a grey slice 其余（项目支出未填报） for the rest of the stated total, never labelled as
      the missing part itself (nothing is back-solved);
    - otherwise no pie, since a 100 % ring of one part would stand for a whole nobody stated:
      the chart says why and lists the parts that were given, without shares.
    Every amount and share carries ※ where it rests on an illustrative value.
    """
    fig, ax = new_axes(*DONUT)
    plan = _structure(values)
    if plan.whole is None:
        return _nothing(fig, ax, plan.instead)
    ax.pie(
        [_f(s.amount) for s in plan.slices],
        colors=[s.color for s in plan.slices],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.45, "edgecolor": "white"},
    )
    shares = [fig_pct(s.amount, plan.whole) for s in plan.slices]
    ax.legend(
        [
            f"{s.label} {_wan(s.amount)}（{share.value:.2f}%{_mark(share)}）"
            + (f"\n{s.remark}" if s.remark else "")
            for s, share in zip(plan.slices, shares, strict=True)
        ],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
        fontsize=MIN_LABEL_PT,
    )
    ax.set_title(f"本年支出构成（{plan.title}）", fontsize=11)
    ax.set_aspect("equal")
    return fig


def note_spending_structure(values: Indicators) -> str:
    return "；".join(_structure(values).notes)


YEAR_ON_YEAR_LABELS = ("基本支出", "项目支出")


def _year_on_year(values: Indicators, year: int) -> list[tuple[str, list[Fig]]]:
    """(the year's label, its 基本支出 and 项目支出), last year first."""
    return [
        (f"{year - 1}年", [values.basic_last, values.project_last]),
        (f"{year}年", [values.basic, values.project]),
    ]


def plot_year_on_year(values: Indicators, year: int) -> Figure:
    """基本支出 and 项目支出, this year against last year. Every figure given is drawn; one not
    given has no bar but 未填报 where the bar would stand; a year with nothing given is left out
    (the caption names each figure left out)."""
    fig, ax = new_axes()
    x = range(len(YEAR_ON_YEAR_LABELS))
    drawn = False
    for (label, figs), offset, color in zip(
        _year_on_year(values, year), (-0.2, 0.2), ("#9dc3e6", COLORS[0]), strict=True
    ):
        if not any(f.given for f in figs):
            continue
        _bars(ax, x, offset, figs, label, color)
        drawn = True
    if not drawn:
        return _nothing(fig, ax, f"基本支出与项目支出{NOT_STATED_WORD}")
    _finish_bars(ax, x, list(YEAR_ON_YEAR_LABELS))
    return fig


def note_year_on_year(values: Indicators, year: int) -> str:
    left_out = [
        label + "与".join(k for k, f in zip(YEAR_ON_YEAR_LABELS, figs, strict=True) if not f.given)
        for label, figs in _year_on_year(values, year)
        if not all(f.given for f in figs)
    ]
    return f"{'、'.join(left_out)}{NOT_STATED_WORD}，图中未列" if left_out else ""


def instead_of_year_on_year(values: Indicators, year: int) -> str:
    """The sentence that stands in place of the year-on-year chart when fewer than two years have
    figures (one year's bars compare with nothing), else ''."""
    years = _year_on_year(values, year)
    given = [label for label, figs in years if any(f.given for f in figs)]
    if len(given) == len(years):
        return ""
    if not given:
        return f"{year - 1}年和{year}年基本支出与项目支出{NOT_STATED_WORD}，不绘年度对比图。"
    missing = next(label for label, _ in years if label not in given)
    return f"{missing}基本支出与项目支出{NOT_STATED_WORD}，仅有{given[0]}数，不绘年度对比图。"


SANGONG_TOTAL = "“三公”经费合计"


def _sangong_drawn(values: Indicators) -> list[tuple[str, Fig, Fig]]:
    """The bars plot_sangong draws: items with budget and actual, else the stated totals."""
    rows = [(k, b, a) for k, b, a in _sangong_rows(values) if b.given and a.given]
    if not rows and values.sangong_budget.given and values.sangong_actual.given:
        rows = [(SANGONG_TOTAL, values.sangong_budget, values.sangong_actual)]
    return rows


def instead_of_sangong(values: Indicators) -> str:
    """The sentence that stands in place of the 三公 chart when it would show one category or
    none (the table above states those figures), else ''."""
    rows = _sangong_drawn(values)
    if len(rows) > 1:
        return ""
    if not rows:
        return f"“三公”经费预算与决算{NOT_STATED_WORD}，不绘对比图。"
    what = "合计数" if rows[0][0] == SANGONG_TOTAL else f"{rows[0][0]}一项"
    return f"“三公”经费仅列{what}，预算与决算见上表，不绘对比图。"


def _sangong_rows(values: Indicators) -> list[tuple[str, Fig, Fig]]:
    return [(s.line.item, s.budget, s.actual) for s in values.sangong_lines]


def plot_sangong(values: Indicators) -> Figure:
    """“三公”经费 budget against actual, by item; the items whose figures are given, or the
    stated totals where no item is given."""
    fig, ax = new_axes()
    rows = _sangong_drawn(values)
    if not rows:
        return _nothing(fig, ax, f"“三公”经费{NOT_STATED_WORD}")
    x = range(len(rows))
    budget, actual = SANGONG_AMOUNTS["budget"], SANGONG_AMOUNTS["actual"]
    for offset, n, label, color in ((-0.2, 1, budget, "#a9d18e"), (0.2, 2, actual, COLORS[2])):
        _bars(ax, x, offset, [r[n] for r in rows], label, color)
    # outside: one item (or the totals) has two bars as wide as the axes, no corner left free
    _finish_bars(ax, x, [r[0] for r in rows], outside=True, fontsize=MIN_LABEL_PT)
    return fig


def note_sangong(values: Indicators) -> str:
    left_out = [k for k, b, a in _sangong_rows(values) if not (b.given and a.given)]
    if not left_out:
        return ""
    if len(left_out) == len(values.sangong_lines) and values.sangong_budget.given:
        return f"各项“三公”经费{NOT_STATED_WORD}，图中列单位所列合计"
    return f"{'、'.join(left_out)}的预算或决算{NOT_STATED_WORD}，图中未列"


def plot_scores(card: Scorecard) -> Figure:
    """Score against weight for each indicator of the framework, in framework order."""
    fig, ax = new_axes(*SCORES)
    names = [f"{n}. {s.indicator.name}" for n, s in enumerate(card.scores, start=1)]
    y = list(range(len(names)))[::-1]
    ax.barh(y, [_f(s.indicator.weight) for s in card.scores], color="#e7e6e6", label="分值")
    ax.barh(y, [_f(s.score) for s in card.scores], height=0.5, color=COLORS[0], label="得分")
    _label_ends(
        ax,
        y,
        [_f(s.indicator.weight) for s in card.scores],
        [
            f"{_f(s.score):.2f}{ILLUSTRATIVE_MARK if s.illustrative else ''}/{_f(s.indicator.weight):g}"
            for s in card.scores
        ],
    )
    ax.set_yticks(y, names, fontsize=MIN_LABEL_PT)
    ax.set_xlabel("分")
    mark = ILLUSTRATIVE_MARK if card.illustrative else ""
    done = card.completeness
    # the grade with what it rests on: how many indicators' data were not stated
    rests = (
        f"；{done.indicators}项中{done.not_stated}项数据{NOT_STATED_WORD}"
        if done.not_stated
        else ""
    )
    # over the whole figure, on two lines: at its printed width one line would run off the page
    fig.suptitle(
        f"各指标得分与分值\n（合计{_f(card.total):.2f}分{mark}，{card.grade}{mark}{rests}）",
        fontsize=11,
    )
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _economy_rows(values: Indicators):
    return [r for r in values.targets_of("产出") if r.target.unit == "万元"]


def _no_economy(values: Indicators) -> str:
    """Why there is no bar: the 万元 targets' actuals are 未填报, or there is no 万元 target
    (or no one can tell, where a 产出 target's 计量单位 is 未填报)."""
    if _economy_rows(values):
        return f"以万元计的产出指标实际值{NOT_STATED_WORD}"
    if _unit_not_stated(values):
        return f"产出指标中无已知以万元计的指标\n（部分指标计量单位{NOT_STATED_WORD}）"
    return "无以万元计的产出指标"


def _unit_not_stated(values: Indicators) -> list[str]:
    """The 产出 targets whose 计量单位 is 未填报: whether they are in 万元 nobody can tell."""
    return [r.target.name for r in values.targets_of("产出") if r.target.unit is NOT_STATED]


def plot_economy(values: Indicators) -> Figure:
    """产出 figures stated in 万元 as horizontal bars, each labelled with its value and growth;
    a figure not given is left out."""
    rows = [r for r in _economy_rows(values) if r.actual.given][::-1]
    fig, ax = new_axes(PRINTED_WIDTH, 0.4 * max(len(rows), 1) + 1.1)
    if not rows:
        return _nothing(fig, ax, _no_economy(values))
    y = range(len(rows))
    ax.barh(y, [_f(r.actual) for r in rows], color=COLORS[0], height=0.55)
    growth = [
        f"，{describe_growth(r.growth_pct.value, r.target.growth_word)}{_mark(r.growth_pct)}"
        if r.growth_pct.given
        else ""
        for r in rows
    ]
    _label_ends(
        ax,
        y,
        [_f(r.actual) for r in rows],
        [
            f"{fmt_figure(r.actual.value)}万元{_mark(r.actual)}{g}"
            for r, g in zip(rows, growth, strict=True)
        ],
    )
    ax.set_yticks(list(y), [r.target.name for r in rows], fontsize=MIN_LABEL_PT)
    ax.set_xlabel("万元")
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:,.0f}")
    # no title: the caption (图N 主要经济指标及增长率) is the title, printed once
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.3)
    return fig


def note_economy(values: Indicators) -> str:
    left_out = [r.target.name for r in _economy_rows(values) if not r.actual.given]
    notes = [f"{'、'.join(left_out)}实际值{NOT_STATED_WORD}，图中未列"] if left_out else []
    if unknown := _unit_not_stated(values):
        notes.append(f"{'、'.join(unknown)}的计量单位{NOT_STATED_WORD}，图中未列")
    return "；".join(notes)
