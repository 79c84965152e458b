"""Where a value is, in words: the labels the report uses for data keys, and places grouped
for the list of 未填报 values."""

from __future__ import annotations

import re

TOTAL_LABELS = {  # unit.yaml totals as the report and the 数据表 name them
    "total_expenditure": "支出总计（含本年支出以外部分）",
    "actual": "本年支出合计",
    "basic": "基本支出",
    "project": "项目支出",
    "initial_budget": "年初预算合计",
    "initial_basic": "年初预算基本支出",
    "initial_project": "年初预算项目支出",
    "adjusted_budget": "调整预算合计",
    "adjusted_basic": "调整预算基本支出",
    "adjusted_project": "调整预算项目支出",
    "spending_rate": "部门预算资金支出率",
    "basic_change": "基本支出比上年增减",
    "project_change": "项目支出比上年增减",
    "sangong_budget": "“三公”经费预算",
    "sangong_actual": "“三公”经费决算",
}


KEY_LABELS = {  # unit.yaml / management.yaml keys as the report names them
    "staffing.authorized": "机构编制部门核定人数",
    "staffing.in_service": "年末在职人数",
    "staffing.retired": "离退休人数",
    "staffing.temporary": "外聘临时工人数",
    "new_projects": "是否有新增项目",
    **{f"totals.{key}": label for key, label in TOTAL_LABELS.items()},
}


def field_of(place: str) -> str:
    """What a place holds, in words: 'budget.csv: 第2行 列"年初预算"' -> '年初预算',
    'unit.yaml: staffing.retired' -> '离退休人数', else its key."""
    match = re.search(r'列"([^"]+)"', place)
    if match:
        return match.group(1)
    key = place.rsplit(" ", 1)[-1]
    if re.fullmatch(r"new_projects\.\d+\.pre_assessed", key):
        return "新增项目是否开展事前绩效评估"
    return KEY_LABELS.get(key, key)


def cell_ranges(cells: list[str]) -> str:
    """Cells of one sheet and column, runs of rows as ranges: ['收支情况!F3', '收支情况!F4',
    '收支情况!F5', '收支情况!F9'] -> '收支情况!F3:F5、F9'."""
    refs = [re.fullmatch(r"(?P<sheet>[^!]+)!(?P<col>[A-Z]+)(?P<row>\d+)", c) for c in cells]
    if not refs or not all(refs):
        return ""
    runs: list[list[int]] = []
    for row in (int(r["row"]) for r in refs):
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    col = refs[0]["col"]
    spans = [f"{col}{a}" if a == b else f"{col}{a}:{col}{b}" for a, b in runs]
    return f"{refs[0]['sheet']}!" + "、".join(spans)


_CSV_PLACE = re.compile(r'^(?P<file>[^:]+): 第(?P<at>\d+)行 列"(?P<column>[^"]+)"$')


_CELL_PLACE = re.compile(r'^(?P<file>[^:]+): (?P<at>\S+![A-Z]+\d+) 列"(?P<column>[^"]+)"$')


def group_places(places: tuple[str, ...]) -> list[str]:
    """Table places grouped by file and column, every one still named: 'budget.csv 列"年初预算"：
    第2、3行' or '前山镇.xlsx 列"目标值"：绩效目标!F3、F4'; other places as they are."""
    groups: dict[tuple[str, str], list[str]] = {}
    lines: list[object] = []
    for place in places:
        match = _CSV_PLACE.match(place) or _CELL_PLACE.match(place)
        if not match:
            lines.append(place)
            continue
        key = (match["file"], match["column"])
        if key not in groups:
            groups[key] = []
            lines.append(key)
        groups[key].append(match["at"])
    out = []
    for line in lines:
        if isinstance(line, str):
            out.append(line)
            continue
        (file, column), ats = line, groups[line]
        if ats[0].isdigit():
            where = f"第{'、'.join(ats)}行"
        else:
            sheet = ats[0].split("!")[0]
            where = f"{sheet}!" + "、".join(a.split("!")[1] for a in ats)
        out.append(f'{file} 列"{column}"：{where}')
    return out
