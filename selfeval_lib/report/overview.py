"""County overview: every unit of a year side by side, from the units' .scores.json files."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from IPython.display import HTML
from matplotlib.figure import Figure

from ..fileio import project_path
from ..fmt import ILLUSTRATIVE_MARK, fig_of_record, present_fig
from ..values import NOT_APPLICABLE_WORD, NOT_STATED_WORD, Fig
from .canvas import SCREEN_DPI, new_axes
from .charts import COLORS
from .display import figure_html
from .form import FORM_FILE
from .history import earlier_years
from .overview_summary import ranking_script, summary_html
from .tables import esc as _e  # every value here is text

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Overview:
    year: int
    units: tuple[dict, ...]  # scores records, best total first; each with its "earlier" years
    # and whether its 自评表 is there ("form"), as read_overview adds them
    inputs: tuple[tuple[str, str], ...]  # (scores file, sha256)
    problems: tuple[str, ...] = ()  # scores files that could not be read
    county: str = ""  # the 县（区） this overview is limited to ("": every unit of the folder)

    @property
    def counties(self) -> list[str]:
        """The 县（区） of the units, in name order ("" for a unit that does not say)."""
        return sorted({u.get("county") or "" for u in self.units})

    @property
    def is_province(self) -> bool:
        """A page over several 县（区）: a province's index, with a page of its own per county."""
        return not self.county and len(self.counties) > 1

    @property
    def grade_bands(self) -> list[tuple[str, float]]:
        """(grade, lowest total) from the units' framework, best first; the default if none."""
        bands = self.units[0].get("grade_bands") if self.units else None
        return (
            [(b["grade"], b["min"]) for b in bands]
            if bands
            else [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
        )

    @property
    def indicator_names(self) -> list[str]:
        return [i["name"] for i in self.units[0]["indicators"]] if self.units else []

    @property
    def by_framework(self) -> list[tuple[str, tuple[dict, ...]]]:
        """Units grouped by the framework that scored them (ranks compare only within a group),
        the largest group first."""
        groups: dict[str, list[dict]] = {}
        for u in self.units:
            groups.setdefault(u.get("framework", ""), []).append(u)
        return sorted(((k, tuple(v)) for k, v in groups.items()), key=lambda g: (-len(g[1]), g[0]))


def load_overview(
    year_folder: str | Path, year: int | None = None, county: str = "", prepared: str | Path = ""
):
    """The county's units × indicators as one pandas DataFrame (see overview_frame.py), from
    reports/<year>/*.scores.json. `load_overview("reports", 2024)` reads the same folder. A
    relative folder is read from the current folder, else from the project folder. `county`:
    only the units of that 县（区） (a province's folder holds several). `prepared`: a file
    write_prepared made of the Overview to show (`selfeval run` reads a year's scores once and
    gives each page of its overview its own units); the folder is then not read again."""
    from .overview_frame import overview_frame  # pandas: only where a DataFrame is asked for

    if prepared:
        return overview_frame(read_prepared(Path(prepared)))
    folder = project_path(year_folder)
    o = read_overview(folder if year is None else folder / str(year))
    return overview_frame(of_county(o, county) if county else o)


def write_prepared(o: Overview, path: Path) -> None:
    """The Overview as a file load_overview(prepared=) reads back as it was (a pickle: written
    and read by selfeval itself in a private temporary folder, for one overview build)."""
    path.write_bytes(pickle.dumps(o))


def read_prepared(path: Path) -> Overview:
    return pickle.loads(path.read_bytes())  # noqa: S301 - our own file, see write_prepared


def of_county(o: Overview, county: str) -> Overview:
    """The Overview of one 县（区） of a province's units (its own ranks, totals and inputs);
    county "" or 未填报: the units that name none."""
    named = "" if county == NOT_STATED_WORD else county
    units = tuple(u for u in o.units if (u.get("county") or "") == named)
    files = {f"{u['unit_id']}.scores.json" for u in units}
    files |= {e.file for u in units for e in u.get("earlier", ())}
    inputs = tuple((f, h) for f, h in o.inputs if f in files)
    return replace(o, units=units, inputs=inputs, county=county or NOT_STATED_WORD)


def as_overview(o) -> Overview:
    """The Overview behind a load_overview DataFrame (or the Overview itself)."""
    return o if isinstance(o, Overview) else o.attrs["overview"]


# A unit whose latest run ended so still has its last good report: the overview says so.
STALE_STATUSES = ("failed", "invalid", "interrupted")


def _unit_statuses(folder: Path) -> dict[str, dict]:
    """run.json's entry of each unit; none from a run.json of another shape (the runner
    reports and sets aside such a file)."""
    try:
        units = json.loads((folder / "run.json").read_bytes())["units"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(units, dict):
        return {}
    return {k: v for k, v in units.items() if isinstance(v, dict)}


def read_overview(folder: Path, year: int | None = None) -> Overview:
    """Read <folder>/*.scores.json; rank by total (ties by unit id, so the order is stable).
    A unit whose report is not beside its scores is left out, never ranked with a dead link."""
    folder = Path(folder)
    status = _unit_statuses(folder)
    records, problems, files = [], [], []
    for f in sorted(folder.glob("*.scores.json")):
        try:
            record = json.loads(f.read_bytes())  # JSON is UTF-8 whatever the locale
            record["total"], record["unit_id"]  # noqa: B018 - the keys the overview needs
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"{f.name} 无法读取，未列入汇总 / unreadable, left out: {exc}")
            continue
        params_file = status.get(record["unit_id"], {}).get("params_file")
        if not (folder / f"{record['unit_id']}.html").is_file():
            problems.append(
                f"{f.name}: 没有对应的报告 {record['unit_id']}.html，未列入汇总 / its report "
                f"{record['unit_id']}.html is not there: left out of the overview"
            )
            continue
        # the unit was removed: not ranked
        if isinstance(params_file, str) and not Path(params_file).exists():
            problems.append(
                f"{record.get('unit_name', '')}（{record['unit_id']}）的 params 文件已删除，未列入汇总"
                f" / its params file was removed: left out of the overview ({f.name} is kept)"
            )
            continue
        # a unit whose latest run failed still has its last good report: say so
        record["stale"] = status.get(record["unit_id"], {}).get("status") in STALE_STATUSES
        # its 自评表 is linked only where it is there (no dead link)
        record["form"] = (folder / FORM_FILE.format(unit_id=record["unit_id"])).is_file()
        record["earlier"] = earlier_years(folder.parent, record)  # its years before, on file
        records.append(record)
        files.append(f)
    records.sort(key=lambda r: (-r["total"], r["unit_id"]))
    hashes = tuple((f.name, hashlib.sha256(f.read_bytes()).hexdigest()) for f in files)
    # the earlier years' scores files the 上年 and 历年 columns were read from
    hashes += tuple(
        (e.file, hashlib.sha256((folder / e.file).read_bytes()).hexdigest())
        for e in sorted({e for r in records for e in r["earlier"] if e.file}, key=lambda e: e.file)
    )
    if year is None:  # the folder is named for its year (reports/2024), else the records say
        year = int(folder.name) if folder.name.isdigit() else records[0]["year"] if records else 0
    return Overview(year, tuple(records), hashes, tuple(problems))


def show_overview_title(o: Overview | pd.DataFrame) -> HTML:
    o = as_overview(o)
    synthetic = sum(u["synthetic"] for u in o.units)
    note = (
        (
            f'<div class="banner">其中{synthetic}个为合成示例单位（程序生成的虚构数据），'
            "仅供演示，不代表任何真实单位。</div>"
        )
        if synthetic
        else ""
    )
    if o.county:  # one county of a province: its name, and the way back to the province
        return HTML(
            f'<h1 class="title">{o.year}年度{_e(o.county)}部门整体支出绩效自评汇总</h1>'
            f"<p>本汇总收录{_e(o.county)}{len(o.units)}个单位的自评结果，按自评总分排序"
            f'（<a href="index.html">返回全部县（区）汇总</a>）。</p>{note}'
        )
    return HTML(
        f'<h1 class="title">{o.year}年度部门整体支出绩效自评汇总</h1>'
        f"<p>本汇总收录{len(o.units)}个单位的自评结果，按自评总分排序。</p>{note}"
    )


def _unit_notes(u: dict) -> str:
    notes = "（合成示例）" if u["synthetic"] else ""
    if u.get("stale"):
        notes += "（本次运行失败，显示上次结果）"
    if u.get("outside_framework"):
        notes += f"（不在评分表适用范围：{u['outside_framework']}）"
    return notes


def figure_text(u: dict, key: str, fmt: Callable[[float], str]) -> str:
    """A figure of a unit's scores record as the overview shows it: fmt(number) with ※ where it
    rests on an illustrative value, else 未填报 or 不适用 as the record says (a record written
    before figure_status existed does not say why a figure is null: —)."""
    f = fig_of_record(u.get(key), u.get("figure_status", {}).get(key))
    return "—" if f is None else str(present_fig(f, fmt))


def _form_link(u: dict) -> str:
    """The unit's 自评表 workbook, written beside its report (runner.output_paths); '—' where
    it is not there (a report from before the 自评表, or a unit whose 自评表 was removed):
    read_overview says which in its record's "form"."""
    if not u["form"]:
        return "—"
    return f'<a href="{_e(quote(FORM_FILE.format(unit_id=u["unit_id"])))}">自评表</a>'


# The ranking's columns: data-numeric sorts and filters by number (data-v of the cell),
# data-choices filters by a list of the values, data-nofilter has no filter (overview.js).
RANKING_HEAD_GRADE = (  # up to 等级; the 上年 columns follow it where a unit has last year
    '<th data-numeric="">排名</th><th>单位</th><th data-choices="">县（区）</th>'
    '<th data-numeric="">自评总分</th><th data-choices="">等级</th>'
)
RANKING_HEAD = RANKING_HEAD_GRADE + (
    f'<th data-numeric="">数据{NOT_STATED_WORD}的指标</th><th data-numeric="">支出率</th>'
    f'<th data-numeric="">{NOT_STATED_WORD}(项)</th><th data-numeric="">数据核对提示</th>'
    '<th data-nofilter="">自评表</th>'
)


LAST_HEAD = '<th data-numeric="">上年得分</th><th data-choices="">上年等级</th><th data-numeric="">变化</th>'


def last_year_cells(u: dict) -> str:
    """The ranking's 上年得分, 上年等级 and 变化 of a unit (scores.json previous_year), each
    不适用 where no data of its last year is on file."""
    last = u.get("previous_year") or {}
    if not last:
        word = _e(present_fig(Fig(None)).text)
        return f'<td class="num" data-v="">{word}</td><td>{word}</td><td class="num" data-v="">{word}</td>'
    marked = ILLUSTRATIVE_MARK if last.get("illustrative") else ""
    either = ILLUSTRATIVE_MARK if marked or u.get("illustrative") else ""
    total = present_fig(Fig(last["total"], bool(marked)), lambda x: f"{x:.2f}")
    change = present_fig(Fig(last["change"], bool(either)), lambda x: f"{x:+.2f}")
    return (
        f'<td class="num" data-v="{_sort_value(last["total"])}">{_e(str(total))}</td>'
        f"<td>{_e(last['grade'])}{marked}</td>"
        f'<td class="num" data-v="{_sort_value(last["change"])}">{_e(str(change))}</td>'
    )


def _sort_value(x) -> str:
    """A figure as the ranking sorts it: its number, or "" (last) when there is none."""
    return f"{x:.2f}" if isinstance(x, int | float) else ""


def show_ranking(o: Overview | pd.DataFrame) -> HTML:
    """Ranking tables, one per framework (units scored by different frameworks are not ranked
    together): unit (linked to its report), county, total, grade, 支出率, 未填报 and warnings."""
    o = as_overview(o)
    tables = []
    years = any(u.get("previous_year") for u in o.units)  # 上年 columns only where there is one
    cut = len(RANKING_HEAD_GRADE)
    head = RANKING_HEAD[:cut] + LAST_HEAD + RANKING_HEAD[cut:] if years else RANKING_HEAD
    for framework, units in o.by_framework:
        rows = []
        for n, u in enumerate(units, start=1):
            mark = ILLUSTRATIVE_MARK if u.get("illustrative") else ""
            link = f'<a href="{_e(u["unit_id"])}.html">{_e(u["unit_name"])}</a>{_e(_unit_notes(u))}'
            rate = figure_text(u, "spending_rate", lambda x: f"{x:.2f}%")
            county = u.get("county") or NOT_STATED_WORD
            done = u.get("completeness")  # what the grade rests on (— in an older record)
            rests = f"{done['not_stated']}/{done['indicators']}" if done else "—"
            rows.append(
                f'<tr><td class="num" data-v="{n}" id="rank-{_e(u["unit_id"])}">{n}</td>'
                f'<td class="unit">{link}</td><td>{_e(county)}</td>'
                f'<td class="num" data-v="{u["total"]:.2f}">{u["total"]:.2f}{mark}</td>'
                f"<td>{_e(u['grade'])}{mark}</td>"
                + (last_year_cells(u) if years else "")
                + f'<td class="num" data-v="{done["not_stated"] if done else ""}">{rests}</td>'
                f'<td class="num" data-v="{_sort_value(u.get("spending_rate"))}">{_e(rate)}</td>'
                f'<td class="num" data-v="{len(u.get("not_stated", []))}">{len(u.get("not_stated", []))}</td>'
                f'<td class="num" data-v="{len(u["warnings"])}">{len(u["warnings"])}</td>'
                f"<td>{_form_link(u)}</td></tr>"
            )
        name = units[0].get("framework_name") or framework
        tables.append(
            f"<p>评分表：{_e(name)}（{_e(framework)}），{len(units)}个单位，按自评总分排序：</p>"
            f'<table class="data ranking"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    # the first framework's grades in its order, then any other framework's a unit was given
    grades = dict.fromkeys([*(g for g, _ in o.grade_bands), *(u["grade"] for u in o.units)])
    counts = "，".join(f"{g}{sum(u['grade'] == g for u in o.units)}个" for g in grades)
    # the ※ legend only where a ※ is shown (a rate may carry one without an illustrative total)
    marked = any(ILLUSTRATIVE_MARK in html for html in tables)
    legend = f"{ILLUSTRATIVE_MARK} 总分含示例数据（参考资料未载明的数）。" if marked else ""
    note = (
        f'<p class="note">{legend}“{NOT_STATED_WORD}”为单位注明资料未载明的数据项数，'
        f"依赖这些数据的指标按评分表{NOT_STATED_WORD}规定计分；“数据{NOT_STATED_WORD}的指标”为所需数据"
        f"{NOT_STATED_WORD}、按此规定计分的指标数/指标总数，总分与等级据此理解。</p>"
    )
    if years:
        note += (
            '<p class="note">“上年得分”“上年等级”为上年数据按上年评分表的得分与等级；评分表两年不同时，'
            "“变化”为本年得分减上年数据按本年评分表重新评分的得分（口径一致），详见各单位报告“自评结果”；"
            f"“{NOT_APPLICABLE_WORD}”为没有该单位上年数据。"
            + (  # the years page is written where an earlier year's reports are on file
                '各单位历年等级见<a href="../years.html">历年自评等级</a>。'
                if any(e.file for u in o.units for e in u["earlier"])
                else ""
            )
            + "</p>"
        )
    return HTML(f"<p>等级分布：{counts}。</p>{''.join(tables)}{note}")


def show_overview_summary(o: Overview | pd.DataFrame) -> HTML:
    """The director's first screen: county totals, the grade chart and the units needing
    attention beside the ranking, which sorts, filters and searches with scripts on."""
    o = as_overview(o)
    if not o.units:
        return HTML("<p>本年度尚无单位报告。</p>")
    return HTML(
        f'<div class="overview-top">{summary_html(o)}<div class="overview-ranking">'
        f"<h2>二、自评得分排名</h2>{show_ranking(o).data}</div></div>{ranking_script()}"
    )


def plot_distribution(o: Overview) -> Figure:  # pragma: no mutate block
    """Totals of all units against the grade bands."""
    fig, ax = new_axes(7.0, 3.2, SCREEN_DPI)
    totals = [u["total"] for u in o.units]
    ax.hist(
        totals,
        bins=list(range(0, 105, 5)),
        color=COLORS[0],
        edgecolor="white",
    )
    for grade, edge in o.grade_bands[:-1]:
        ax.axvline(edge, color=COLORS[1], linestyle="--", linewidth=1)
        ax.annotate(
            grade,
            (edge, 1),
            xytext=(3, 0),
            textcoords="offset points",
            color=COLORS[1],
            fontsize=9,
            xycoords=("data", "axes fraction"),
            va="top",
        )
    ax.set_xlim(min([50, *totals]) // 5 * 5, 100)  # a 差 unit is drawn, not cut off
    ax.set_xlabel("自评总分")
    ax.set_ylabel("单位数")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("自评总分分布", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def fmt_rate(rate: float) -> str:
    """A score rate as a percentage, rounded honestly: one decimal where needed, and a rate short
    of full never shows as 100 (99.88 % is 99.9, 99.97 % is 99.9)."""
    text = f"{rate * 100:.1f}"
    if rate < 1 and float(text) >= 100:
        text = "99.9"
    return text.removesuffix(".0")


PAGE_UNITS = 30  # units per heat map or bar chart: beyond that the chart continues in another


def plot_heatmap(o: Overview) -> Figure:  # pragma: no mutate block
    """Score rate (score / weight) of each indicator for each unit of `o`'s largest group scored
    by one framework (show_overview_chart draws one per framework, a page of units at a time).
    Columns are the indicators' numbers; the caption names them."""
    units = o.by_framework[0][1]
    names = [i["name"] for i in units[0]["indicators"]]
    fig, ax = new_axes(7.2, 0.3 * len(units) + 1.6, SCREEN_DPI)
    rates = [[i["score"] / i["weight"] for i in u["indicators"]] for u in units]
    image = ax.imshow(rates, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    for y, row in enumerate(rates):
        for x, value in enumerate(row):
            if value < 1:
                ink = "white" if value > 0.88 or value < 0.15 else "black"  # dark cells
                ax.text(x, y, fmt_rate(value), ha="center", va="center", fontsize=7, color=ink)
    ax.set_xticks(range(len(names)), [str(n + 1) for n in range(len(names))], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_xlabel("指标序号（名称见图注）", fontsize=8)
    ax.set_yticks(
        range(len(units)), [u["unit_name"].removesuffix("人民政府") for u in units], fontsize=7
    )
    fig.colorbar(image, ax=ax, label="得分率", shrink=0.8, format=lambda x, _: f"{x * 100:.0f}%")
    ax.set_title("各指标得分率（%，未满分者标出）", fontsize=11)
    return fig


def heatmap_legend(units: tuple[dict, ...]) -> str:
    """The indicators of one framework's heat map, by their column numbers."""
    names = [i["name"] for i in units[0]["indicators"]]
    return "指标：" + "；".join(f"{n}.{name}" for n, name in enumerate(names, start=1))


def plot_execution(o: Overview) -> Figure:  # pragma: no mutate block
    """支出率 and 三公经费执行率 of each unit of `o`."""
    units = o.units
    fig, ax = new_axes(7.2, 0.3 * len(units) + 1.8, SCREEN_DPI)
    names = [u["unit_name"].removesuffix("人民政府") for u in units][::-1]
    spend = [u["spending_rate"] or 0 for u in units][::-1]  # not given or 不适用: no bar
    sangong = [
        (u["sangong_actual"] * 100 / u["sangong_budget"])
        if u["sangong_budget"] and u["sangong_actual"] is not None
        else 0
        for u in units
    ][::-1]
    y = range(len(names))
    ax.barh([v + 0.2 for v in y], spend, 0.4, color=COLORS[0], label="预算资金支出率")
    ax.barh([v - 0.2 for v in y], sangong, 0.4, color=COLORS[2], label="“三公”经费执行率")
    ax.axvline(100, color=COLORS[1], linewidth=1)
    ax.set_yticks(list(y), names, fontsize=7)
    ax.set_xlabel("%")
    ax.set_xlim(0, max([110, *spend, *sangong]) + 5)
    ax.legend(frameon=False, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    ax.set_title("支出率与“三公”经费执行率", fontsize=11, pad=22)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def show_overview_chart(o: Overview | pd.DataFrame, name: str) -> HTML:
    o = as_overview(o)
    charts = {
        "distribution": (plot_distribution, "图1", "自评总分分布"),
        "heatmap": (plot_heatmap, "图2", "各单位各指标得分率"),
        "execution": (plot_execution, "图3", "支出率与“三公”经费执行率"),
    }
    plot, number, title = charts[name]
    if not o.units:
        return HTML("<p>本年度尚无单位报告。</p>")
    if name != "distribution" and o.is_province:
        # a province's index: its units' charts are on their counties' pages, 30 units a
        # chart (a province of 3,000 would draw 200 charts, 20 MB of PNG, on one page)
        return HTML(
            ""
            if name == "execution"
            else f"<p>各单位各指标得分率与支出率、“三公”经费执行率图按县（区）分列，见上表"
            f"各县（区）的汇总页（{len(o.counties)}个县（区），{len(o.units)}个单位）。</p>"
        )
    if name == "distribution":
        return HTML(figure_html(plot(o), f"{number} {title}"))
    if name == "execution":
        return HTML(_paged(o, plot, f"{number} {title}"))
    # one heat map per framework: each has its own indicators, and no unit is left out; with
    # several, each is a numbered part of 图2 (图2-1, 图2-2 …) naming its framework
    groups = o.by_framework
    if len(groups) == 1:
        return HTML(_paged(o, plot, f"{number} {title}", heatmap_legend(o.units)))
    return HTML(
        "".join(
            _paged(
                replace(o, units=units),
                plot,
                f"{number}-{k} {title}（评分表：{units[0].get('framework_name') or framework}）",
                heatmap_legend(units),
            )
            for k, (framework, units) in enumerate(groups, start=1)
        )
    )


def _paged(o: Overview, plot, caption: str, note: str = "") -> str:
    """A chart of `o`'s units, PAGE_UNITS to a figure (each drawn as the Overview of its page's
    units), each page's caption numbered (n/N)."""
    pages = [o.units[i : i + PAGE_UNITS] for i in range(0, len(o.units), PAGE_UNITS)]
    return "".join(
        figure_html(
            plot(replace(o, units=page)),
            caption + (f"（{n}/{len(pages)}）" if len(pages) > 1 else ""),
            note,
        )
        for n, page in enumerate(pages, start=1)
    )


def show_overview_warnings(o: Overview | pd.DataFrame) -> HTML:
    """Every unit's cross-check warnings, so a reviewer sees them in one place."""
    o = as_overview(o)
    items = [
        f"<li><strong>{_e(u['unit_name'])}</strong><ol>{''.join(f'<li>{_e(w)}</li>' for w in u['warnings'])}</ol></li>"
        for u in o.units
        if u["warnings"]
    ]
    items += [f"<li>{_e(p)}</li>" for p in o.problems]
    if not items:
        return HTML("<p>各单位数据核对均未发现问题。</p>")
    return HTML(f'<ul class="warnings">{"".join(items)}</ul>')


def show_overview_provenance(o: Overview | pd.DataFrame) -> HTML:
    o = as_overview(o)
    from .._version import __version__

    rows = "".join(f"<tr><td>{_e(f)}</td><td><code>{_e(h)}</code></td></tr>" for f, h in o.inputs)
    return HTML(
        f'<footer class="selfeval provenance"><p>生成信息 / Provenance：selfeval {_e(__version__)}。'
        f'汇总所据评分文件 SHA-256：</p><table class="hashes">{rows}</table></footer>'
    )
