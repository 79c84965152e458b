"""The unit workbook template: 填表说明 and one sheet per part of the data contract, maybe filled."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..frameworks.model import Framework
from ..inputs.schema import (
    NARRATIVE_OPTIONAL,
    NARRATIVE_REQUIRED,
    NONE_WORD,
    TABLES,
    Identity,
    TeamMember,
    UnitFacts,
    literal_choices,
)
from ..inputs.unit import UnitData
from ..inputs.workbook.layout import (
    COLUMN_KINDS,
    GUIDE,
    GUIDE_LINES,
    HINTS,
    MANAGEMENT_NOTE,
    NARRATIVE_NOTE,
    NARRATIVE_ORDER,
    PROJECTS_HEADER,
    SHEETS,
    TABLE_NOTES,
    UNIT_NOTE,
    WIDTHS,
    unit_rows,
)
from ..values import NOT_STATED, NOT_STATED_WORD, accepts_not_stated
from .datasheet import BOX
from .xlsx import (
    AMOUNT_FORMAT,
    GREY_FILL,
    HEADER_FILL,
    INPUT_FILL,
    NOTE_FONT,
    UNLOCKED,
    figure_format,
    print_on_a4,
    put,
    row_height,
    save_workbook,
)
from .xlsx_styles import merge, restyle

GUIDE_WIDTH = 76  # characters: the 填表说明 column fits portrait A4 unscaled (seen in LibreOffice)
SPARE_ROWS = 200  # empty rows below a table that get its drop-downs
RULED_ROWS = 20  # the boxed rows a table with no rows prints: a form to fill in by hand
TEAM_SLOTS = 6  # 评价小组 members offered by a blank template
ATTRIBUTES = {  # table part -> UnitData attribute
    "budget.csv": "budget",
    "sangong.csv": "sangong",
    "targets.csv": "targets",
    "self_scores.csv": "self_scores",
}
YES_NO = ("是", "否", NOT_STATED_WORD)


def _protect(ws) -> None:
    """Locked cells (headers, labels) cannot be changed; typing, inserting and deleting rows,
    formatting, sorting and filtering stay allowed (False means "not locked" in openpyxl)."""
    p = ws.protection
    p.sheet = True
    p.insertRows = p.deleteRows = p.formatCells = p.formatColumns = p.formatRows = False
    p.sort = p.autoFilter = False


def _begin(ws, note: str, header: list[str], widths: list[float]) -> None:
    """Row 1 a note across the columns, row 2 the header; panes frozen below it; protected."""
    put(ws, 1, 1, note, font=NOTE_FONT, wrap=True)
    merge(ws, 1, 1, 1, len(header))
    ws.row_dimensions[1].height = row_height(note, sum(widths))
    for col, (name, width) in enumerate(zip(header, widths, strict=True), start=1):
        put(ws, 2, col, name, bold=True, fill=HEADER_FILL, wrap=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A3"
    _protect(ws)
    print_on_a4(ws, "2:2", landscape=sum(widths) > 120)


def _section(ws, row: int, title: str, columns: int = 3) -> None:
    put(ws, row, 1, title, bold=True, fill=GREY_FILL)
    merge(ws, row, 1, row, columns)


NUMERIC_KINDS = ("amount", "change", "count", "figure", "number")


def _numbers_only(ws, refs: list[str]) -> None:
    """Amount and number cells take a number or the word 未填报, nothing else (Excel and WPS check
    as the cell is typed; the reader checks again)."""
    for ref in refs:
        first = ref.split(":")[0]
        dv = DataValidation(
            type="custom",
            formula1=f'OR(ISNUMBER({first}),{first}="{NOT_STATED_WORD}")',
            allow_blank=True,
            showErrorMessage=True,
        )
        dv.errorTitle = f"请填数字或“{NOT_STATED_WORD}” / a number or {NOT_STATED_WORD}"
        dv.error = f"金额以万元计，填数字（如 1589.88）；资料未载明的填“{NOT_STATED_WORD}”。"
        dv.add(ref)
        ws.add_data_validation(dv)


def _dropdowns(ws, lists: dict[tuple[str, ...], list[str]]) -> None:
    for choices, refs in lists.items():
        formula = '"' + ",".join(choices) + '"'
        if len(formula) > 255:  # Excel's limit for a typed list; the reader still checks values
            continue
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
        dv.errorTitle, dv.error = "请从下拉列表选择 / choose from the list", "、".join(choices)
        for ref in refs:
            dv.add(ref)
        ws.add_data_validation(dv)


def _flatten(data: dict, prefix: str = "") -> dict[str, object]:
    """{'staffing': {'authorized': 96}} -> {'staffing.authorized': 96}; list items count from 1."""
    out: dict[str, object] = {}
    for key, value in data.items():
        path = prefix + key
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        elif isinstance(value, tuple | list) and value and isinstance(value[0], dict):
            for n, item in enumerate(value, start=1):
                out.update(_flatten(item, f"{path}.{n}."))
        elif isinstance(value, tuple | list):
            out[path] = ";".join(value)
        else:
            out[path] = value
    return out


def _shown(value: object) -> object:
    if value is NOT_STATED:
        return NOT_STATED_WORD
    return ("是" if value else "否") if isinstance(value, bool) else value


def _choices(field) -> tuple[str, ...]:
    """A Literal field's values for its drop-down, with 未填报 where the field takes it."""
    choices = literal_choices(field.annotation)
    return (*choices, NOT_STATED_WORD) if choices and accepts_not_stated(field) else choices


def target_choices(framework: Framework) -> dict[str, tuple[str, ...]]:
    """The drop-downs of 绩效目标 that the framework declares: its categories, their 二级 and
    its completion levels (with 未填报 where the contract takes it)."""
    level2 = tuple(dict.fromkeys(n for c in framework.target_categories for n in c.level2))
    levels = tuple(c.level for c in framework.completion_levels)
    lists = {
        "类别": tuple(c.name for c in framework.target_categories),
        "二级指标": (*level2, NOT_STATED_WORD) if level2 else (),
        "完成程度": (*levels, NOT_STATED_WORD) if levels else (),
    }
    return {k: v for k, v in lists.items() if v}


def _guide_sheet(ws, framework: Framework, unit: UnitData | None) -> None:
    ws.title = GUIDE
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    about = f"指标框架：{framework.name}（{framework.id}）"
    if unit is not None:
        about += f"；单位：{unit.facts.identity.name}，{unit.params.year}年度"
    for row, text in enumerate((GUIDE_LINES[0], about, *GUIDE_LINES[1:]), start=1):
        put(ws, row, 1, text, bold=row == 1, wrap=True)
        ws.row_dimensions[row].height = row_height(text, GUIDE_WIDTH - 4)  # LibreOffice sets wider
    _protect(ws)
    print_on_a4(ws, "1:1", landscape=False, one_page=True)  # the instructions on one printed page


def _unit_sheet(ws, framework: Framework, unit: UnitData | None) -> None:
    values = _flatten(unit.facts.model_dump(exclude={"year"})) if unit else {}
    values.update(
        {"params.year": unit.params.year if unit else None, "params.framework": framework.id}
    )
    _begin(ws, UNIT_NOTE, ["项目", "内容", "填写说明", "键"], [30, 48, 30, 30])
    ws.column_dimensions["D"].hidden = True  # the exact key of each row, for reading back
    team = unit.facts.evaluation.team if unit else ()
    if team is NOT_STATED or team == ():  # 未填报 or 无 in the first member's 职务 (GUIDE_LINES)
        values["evaluation.team.1.title"] = NONE_WORD if team == () else NOT_STATED_WORD
        team = ()
    slots = max(TEAM_SLOTS, len(team) + 2)
    choices = {
        "declared_grade": _choices(UnitFacts.model_fields["declared_grade"]),
        "identity.unit_kind": _choices(Identity.model_fields["unit_kind"]),
        "role": _choices(TeamMember.model_fields["role"]),
    }
    lists: dict[tuple[str, ...], list[str]] = {}
    numbers: list[str] = []
    for row, (key, label, kind) in enumerate(unit_rows(slots), start=3):
        if not key:
            _section(ws, row, label)
            continue
        put(ws, row, 1, label)
        put(ws, row, 3, HINTS[kind], font=NOTE_FONT)
        put(ws, row, 4, key)
        fmt = {"amount": AMOUNT_FORMAT, "count": "0"}.get(kind, "@")  # "@": typed text stays text
        fixed = kind == "fixed"
        cell = put(
            ws,
            row,
            2,
            _shown(values.get(key)),
            locked=fixed,
            fmt=fmt,
            wrap=True,
            fill=GREY_FILL if fixed else INPUT_FILL,
        )
        if kind in NUMERIC_KINDS:
            numbers.append(cell.coordinate)
        options = YES_NO if kind == "yesno" else ()
        if kind == "choice":
            options = choices["role" if key.endswith(".role") else key]
        if options:
            lists.setdefault(options, []).append(cell.coordinate)
    _dropdowns(ws, lists)
    _numbers_only(ws, numbers)


def _table_sheet(ws, part: str, rows: tuple, framework: Framework, nones: tuple = ()) -> None:
    fields = {f.alias: f for f in TABLES[part].model_fields.values()}
    _begin(ws, TABLE_NOTES.get(part, ""), list(fields), [WIDTHS.get(a, 12) for a in fields])
    last = 2 + len(rows) + len(nones) + SPARE_ROWS
    group_column, name_column = getattr(TABLES[part], "NONE_ROW", (None, None))
    lists: dict[tuple[str, ...], list[str]] = {}
    numbers: list[str] = []
    for col, (alias, field) in enumerate(fields.items(), start=1):
        letter = get_column_letter(col)
        column = ws.column_dimensions[letter]
        column.protection = UNLOCKED  # every cell below the header can be typed in
        column.fill = INPUT_FILL
        kind = COLUMN_KINDS.get(alias, "text")
        column.number_format = {"amount": AMOUNT_FORMAT, "text": "@"}.get(kind, "General")
        if kind in NUMERIC_KINDS:
            numbers.append(f"{letter}3:{letter}{last}")
        choices = _choices(field)
        if choices and alias == name_column:  # 项目 无: no “三公” this year
            choices = (*choices, NONE_WORD)
        if part == "self_scores.csv" and alias == "指标":
            choices = tuple(i.name for i in framework.indicators)
        if part == "targets.csv":
            choices = target_choices(framework).get(alias, choices)
        if choices:
            lists.setdefault(choices, []).append(f"{letter}3:{letter}{last}")
    for row, none in enumerate(nones, start=3 + len(rows)):  # 无 rows, below the lines
        for col, alias in enumerate(fields, start=1):
            value = {group_column: none.group, name_column: NONE_WORD}.get(alias)
            if value:
                put(ws, row, col, value, locked=False, fmt="@", fill=INPUT_FILL)
    for row, line in enumerate(rows, start=3):
        for col, (alias, value) in enumerate(line.model_dump(by_alias=True).items(), start=1):
            kind = COLUMN_KINDS.get(alias, "text") if value != NOT_STATED_WORD else "text"
            value = ";".join(value) if isinstance(value, tuple) else value
            fmt = {"amount": AMOUNT_FORMAT, "text": "@"}.get(kind) or figure_format(value)
            put(ws, row, col, value, locked=False, fmt=fmt, wrap=kind == "text", fill=INPUT_FILL)
    if not rows and not nones:  # a blank table prints as a form, never as a lone header
        _rule(ws, len(fields))
    _dropdowns(ws, lists)
    _numbers_only(ws, numbers)


def _rule(ws, columns: int) -> None:
    """RULED_ROWS boxed rows under the header, each cell styled as its column (input fill,
    unlocked, the column's number format): cells of their own would not inherit it."""
    for row in range(3, 3 + RULED_ROWS):
        for col in range(1, columns + 1):
            column = ws.column_dimensions[get_column_letter(col)]
            restyle(
                ws.cell(row, col),
                fill=INPUT_FILL,
                border=BOX,
                protection=UNLOCKED,
                number_format=column.number_format,
            )


def _management_sheet(ws, framework: Framework, unit: UnitData | None) -> None:
    facts = dict(unit.management.facts) if unit else {}
    needed = framework.fact_keys()
    _begin(ws, MANAGEMENT_NOTE, ["项目", "内容", "填写说明", "键"], [44, 30, 44, 30])
    ws.column_dimensions["D"].hidden = True
    _section(ws, 3, "一、管理事项（评分表各指标需要）")
    rows = [(k, item.label, item.expect is not None, ind.name) for k, (ind, item) in needed.items()]
    rows += [
        (k, k, isinstance(v, bool), "（评分表未使用）") for k, v in facts.items() if k not in needed
    ]
    yes_no, numbers = [], []
    for row, (key, label, is_yes_no, indicator) in enumerate(rows, start=4):
        put(ws, row, 1, label, wrap=True)
        put(
            ws,
            row,
            3,
            f"{'是/否' if is_yes_no else '数字'}；指标：{indicator}",
            font=NOTE_FONT,
            wrap=True,
        )
        put(ws, row, 4, f"facts.{key}")
        value = facts.get(key)
        fmt = None if is_yes_no else figure_format(value)
        cell = put(ws, row, 2, _shown(value), locked=False, fmt=fmt, fill=INPUT_FILL)
        (yes_no if is_yes_no else numbers).append(cell.coordinate)
    top = 4 + len(rows) + 1
    _section(ws, top, "二、本年新增项目（每行一个；无新增项目填“无”）")
    for col, name in enumerate(PROJECTS_HEADER, start=1):
        put(ws, top + 1, col, name, bold=True, fill=HEADER_FILL, wrap=True)
    projects = unit.management.new_projects if unit else ()
    if projects is NOT_STATED or projects == ():  # one row named 未填报 or 无 (see GUIDE_LINES)
        put(ws, top + 2, 1, NONE_WORD if projects == () else NOT_STATED_WORD, locked=False)
        projects = ()
    for row, project in enumerate(projects, start=top + 2):
        put(ws, row, 1, project.name, locked=False, wrap=True, fill=INPUT_FILL)
        put(ws, row, 2, _shown(project.pre_assessed), locked=False, fill=INPUT_FILL)
    for letter in "AB":  # open-ended: projects may be added below
        ws.column_dimensions[letter].protection = UNLOCKED
    yes_no.append(f"B{top + 2}:B{top + 2 + len(projects) + SPARE_ROWS}")
    _dropdowns(ws, {YES_NO: yes_no})
    _numbers_only(ws, numbers)


def _narrative_sheet(ws, framework: Framework, unit: UnitData | None) -> None:
    _begin(ws, NARRATIVE_NOTE, ["章节", "内容"], [28, 100])
    if unit is not None:
        sections = dict(unit.narrative)
    else:
        rest = [t for t in NARRATIVE_REQUIRED + NARRATIVE_OPTIONAL if t not in NARRATIVE_ORDER]
        notes = [f"指标:{i.name}" for i in framework.indicators]
        sections = dict.fromkeys([*NARRATIVE_ORDER, *notes, *rest], "")
    for row, (title, text) in enumerate(sections.items(), start=3):
        put(ws, row, 1, title, locked=False, wrap=True, fill=INPUT_FILL)
        put(ws, row, 2, text, locked=False, wrap=True, fill=INPUT_FILL)
        ws.row_dimensions[row].height = row_height(text, 100)
    for letter in "AB":
        ws.column_dimensions[letter].protection = UNLOCKED


def write_template(path: str | Path, framework: Framework, unit: UnitData | None = None) -> None:
    """Write a unit workbook (.xlsx): 填表说明, then one sheet per part of the data contract,
    blank for `framework`, or holding `unit`'s data in the same layout."""
    wb = Workbook()
    wb.properties.creator = "selfeval"
    _guide_sheet(wb.active, framework, unit)
    for part, sheet in SHEETS.items():
        ws = wb.create_sheet(sheet)
        if part in ATTRIBUTES:
            rows, nones = (
                (getattr(unit, ATTRIBUTES[part]), unit.none_rows.get(part, ()))
                if unit
                else ((), ())
            )
            _table_sheet(ws, part, rows, framework, nones)
        elif part == "unit.yaml":
            _unit_sheet(ws, framework, unit)
        elif part == "management.yaml":
            _management_sheet(ws, framework, unit)
        else:
            _narrative_sheet(ws, framework, unit)
    for ws in wb.worksheets:  # what is written prints; the spare rows' drop-downs do not
        ws.print_area = ws.dimensions
    save_workbook(wb, path)
