"""The county over the years: reports/years.html, one row per unit, one column per year on file,
each cell the grade and total that year's report filed (linked to it).

Beside the year folders, not inside one: it spans them all, and a year's index.html stays that
year's statement (its bytes do not change when a later year is added). A unit's years are the
ones its scores files link (history.py: `previous_year.unit_id`); nothing is matched by name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .._version import __version__
from ..fmt import ILLUSTRATIVE_MARK
from .history import YearResult
from .overview import read_overview
from .tables import esc

YEARS_PAGE = "years.html"
ABSENT = "—"  # the unit has no report of that year on file

STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:2em auto;max-width:60em;padding:0 1em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.3em .5em}th{background:#eef2f7}
td.year{text-align:center;white-space:nowrap}.grade{font-weight:bold}.note,footer{font-size:.85em;color:#555}
footer table{width:auto}footer table td{border:none;padding:0 .5em 0 0}
@media print{@page{size:A4 landscape;margin:12mm}body{margin:0;max-width:none}thead{display:table-header-group}}
"""


@dataclass(frozen=True)
class UnitYears:
    """One unit over the years: its name and county as its latest report gives them, and each
    year on file."""

    name: str
    county: str
    years: dict[int, YearResult]
    synthetic: bool = False  # a 合成示例 unit (fictional data), said beside its name


def year_folders(root: Path) -> list[Path]:
    """The year folders under the reports root that hold scores files, oldest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(
        (d for d in root.iterdir() if d.name.isdigit() and any(d.glob("*.scores.json"))),
        key=lambda d: int(d.name),
    )


def read_years(root: Path) -> tuple[list[int], list[UnitYears], list[tuple[str, str]]]:
    """The years on file, each unit's results over them (by county, then name) and the scores
    files read with their SHA-256. A unit's latest year starts its row; the years its scores
    file links back to are claimed by that row, so a unit is one row however many years."""
    folders = year_folders(root)
    claimed: set[tuple[int, str]] = set()
    units: list[UnitYears] = []
    files: dict[str, str] = {}
    for folder in reversed(folders):
        year = int(folder.name)
        overview = read_overview(folder, year)
        files |= {f"{year}/{name}": sha for name, sha in overview.inputs if "/" not in name}
        for u in overview.units:
            if (year, u["unit_id"]) in claimed:
                continue
            this = YearResult(
                year,
                u["unit_id"],
                u["total"],
                u["grade"],
                bool(u.get("illustrative")),
                f"{year}/{u['unit_id']}.scores.json",
            )
            row = {year: this, **{e.year: e for e in u["earlier"]}}
            claimed |= {(y, r.unit_id) for y, r in row.items()}
            units.append(
                UnitYears(u["unit_name"], u.get("county") or "", row, bool(u.get("synthetic")))
            )
    units.sort(key=lambda u: (u.county, u.name, max(u.years)))
    return [int(f.name) for f in folders], units, sorted(files.items())


def _cell(root: Path, r: YearResult | None) -> str:
    if r is None:
        return f'<td class="year">{ABSENT}</td>'
    mark = ILLUSTRATIVE_MARK if r.illustrative else ""
    text = f'<span class="grade">{esc(r.grade)}{mark}</span> {r.total:.2f}{mark}'
    report = f"{r.year}/{r.unit_id}.html"
    if r.file and (root / report).is_file():  # linked only where the report is there
        text = f'<a href="{esc(quote(report))}">{text}</a>'
    return f'<td class="year">{text}</td>'


def years_page_html(root: Path) -> str | None:
    """reports/years.html, or None where fewer than two years are on file."""
    root = Path(root)
    years, units, files = read_years(root)
    if len(years) < 2:
        return None
    head = "".join(
        f'<th><a href="{y}/index.html">{y}年</a></th>'
        if (root / str(y) / "index.html").is_file()
        else f"<th>{y}年</th>"
        for y in years
    )
    rows = "".join(
        f"<tr><td>{esc(u.name)}{'（合成示例）' if u.synthetic else ''}</td><td>{esc(u.county)}</td>"
        + "".join(_cell(root, u.years.get(y)) for y in years)
        + "</tr>"
        for u in units
    )
    marked = any(r.illustrative for u in units for r in u.years.values())
    legend = f"{ILLUSTRATIVE_MARK} 总分含示例数据（参考资料未载明的数）。" if marked else ""
    hashes = "".join(f"<tr><td>{esc(f)}</td><td><code>{h[:12]}</code></td></tr>" for f, h in files)
    title = f"{years[0]}—{years[-1]}年度部门整体支出绩效自评等级"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{esc(title)}</h1>"
        f"<p>共{len(units)}个单位、{len(years)}个年度。每格为该年度报告的等级与自评总分"
        "（按该年度评分表），点击进入该年度报告；年度标题链接该年度汇总。</p>"
        f"<table><thead><tr><th>单位</th><th>县（区）</th>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f'<p class="note">{legend}“{ABSENT}”为该年度没有该单位的报告。同一单位各年度由其上年数据的'
        "关联（数据目录约定、单位代码或 params 文件的 previous:）相连；评分表各年度可能不同，"
        "口径一致的比较见各单位报告“自评结果”。</p>"
        f"<footer><p>生成信息 / Provenance：selfeval {esc(__version__)}。所据评分文件 SHA-256"
        f"（前12位）：</p><table>{hashes}</table></footer></body></html>\n"
    )
