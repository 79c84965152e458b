"""Layout of the unit workbook: sheet names, labels, notes and the kind of value each cell holds."""

from __future__ import annotations

GUIDE = "填表说明"
SHEETS = {  # part of the data contract -> its sheet, in workbook order (after 填表说明)
    "unit.yaml": "基本情况",
    "budget.csv": "收支情况",
    "sangong.csv": "三公经费",
    "targets.csv": "绩效目标",
    "management.yaml": "管理情况",
    "self_scores.csv": "自评打分",
    "narrative.md": "文字材料",
}

# How a cell is read (see workbook_cells.CLEAN) and what the 填写说明 column says about it.
HINTS = {
    "text": "文字",
    "code": "4位数字，如 9221",
    "count": "整数",
    "amount": "万元，保留两位小数",
    "change": "万元，增加填正数、减少填负数",
    "figure": "数字；百分数按百分点填，如 93",
    "figure_or_words": "数字，定性指标填文字（如 效果明显）",
    "yesno": "是/否（下拉选择）",
    "month": "年-月，如 2025-11",
    "choice": "下拉选择",
    "keys": "一般不填；示例（非原始资料）数据的键，多个用；分隔",
    "fixed": "由模板生成，请勿修改",
}

# Columns of the table sheets that are not text.
COLUMN_KINDS = {
    **dict.fromkeys(
        ("年初预算", "调整预算", "本年支出", "上年支出", "预算", "决算", "上年决算"), "amount"
    ),
    **dict.fromkeys(("上年值", "增长率"), "figure"),
    **dict.fromkeys(("目标值", "实际值"), "figure_or_words"),  # words for a 定性 target
    "自评得分": "number",
    "分值": "number",
}

WIDTHS = {  # column widths of the table sheets, in Excel's character units
    "科目名称": 30,
    "项目": 20,
    "指标": 28,
    "表述": 34,
    "理由": 60,
    "示例数据": 24,
    "支出类型": 11,
    "经济分类": 11,
}

_UNIT_HEAD = (
    ("", "评价年度与指标框架", ""),
    ("params.year", "评价年度", "count"),
    ("params.framework", "指标框架", "fixed"),
    ("", "一、单位基本信息", ""),
    ("identity.name", "单位全称（评价单位）", "text"),
    ("identity.short_name", "单位简称", "text"),
    ("identity.county", "所属县（区）", "text"),
    ("identity.superior", "主管部门", "text"),
    ("identity.unit_type", "单位类型", "text"),
    ("identity.unit_kind", "单位类别（镇/乡/街道/县直部门/其他）", "choice"),
    ("identity.nature", "单位基本性质", "text"),
    ("identity.accounting_standard", "执行会计制度", "text"),
    ("identity.industry_code", "行业代码", "code"),
    ("identity.industry_name", "行业名称", "text"),
    ("identity.subordinate_units", "下属二级预算单位数", "count"),
    ("", "二、人员情况（人）", ""),
    ("staffing.authorized", "机构编制部门核定人数", "count"),
    ("staffing.in_service", "年末在职人数", "count"),
    ("staffing.retired", "离退休人数", "count"),
    ("staffing.temporary", "外聘临时工人数", "count"),
    ("", "三、自评工作", ""),
    ("evaluation.notice_title", "自评通知名称（不含书名号）", "text"),
    ("evaluation.notice_number", "通知文号", "text"),
    ("evaluation.fill_date", "填报日期", "month"),
    ("evaluation.submitted", "自评材料报送时间（如 11月初）", "text"),
    ("evaluation.published_consistent", "报送与公开的自评材料一致", "yesno"),
)
_TEAM = (
    ("role", "角色", "choice"),
    ("title", "职务", "text"),
    ("name", "姓名", "text"),
    ("duty", "分工", "text"),
)
_UNIT_TAIL = (
    ("", "五、申报等级与报告所列合计（万元；报告未列合计的此处留空，按明细行计算）", ""),
    ("declared_grade", "单位申报的自评等级", "choice"),
    ("totals.total_expenditure", "支出总计（含本年支出以外部分）", "amount"),
    ("totals.actual", "本年支出合计", "amount"),
    ("totals.basic", "基本支出", "amount"),
    ("totals.project", "项目支出", "amount"),
    ("totals.initial_budget", "年初预算合计", "amount"),
    ("totals.initial_basic", "年初预算 基本支出", "amount"),
    ("totals.initial_project", "年初预算 项目支出", "amount"),
    ("totals.adjusted_budget", "调整预算（全年用款计划）合计", "amount"),
    ("totals.adjusted_basic", "调整预算 基本支出", "amount"),
    ("totals.adjusted_project", "调整预算 项目支出", "amount"),
    ("totals.spending_rate", "单位资金支出率（%，如 93）", "figure"),
    ("totals.basic_change", "基本支出比上年决算数增减（减少填负数）", "change"),
    ("totals.project_change", "项目支出比上年决算数增减（减少填负数）", "change"),
    ("totals.sangong_budget", "“三公”经费预算", "amount"),
    ("totals.sangong_actual", "“三公”经费决算", "amount"),
    ("", "六、自评表：联系人与年度总体目标（未载明的填“未填报”）", ""),
    ("evaluation.contact", "联系人", "text"),
    ("evaluation.phone", "联系电话", "text"),
    ("goals.set", "年度总体目标（年初设定）", "text"),
    ("goals.achieved", "年度总体目标实际完成情况", "text"),
    ("", "七、其他", ""),
    ("synthetic", "程序生成的虚构示例单位", "yesno"),
    ("illustrative", "示例数据", "keys"),
)


def unit_rows(team_slots: int) -> list[tuple[str, str, str]]:
    """(key, 项目, kind) rows of 基本情况, with `team_slots` members of the 评价小组."""
    team = [("", "四、评价小组（每人一组；不用的留空）", "")]
    for n in range(1, team_slots + 1):
        team += [(f"evaluation.team.{n}.{f}", f"第{n}人 {label}", kind) for f, label, kind in _TEAM]
    return [*_UNIT_HEAD, *team, *_UNIT_TAIL]


UNIT_NOTE = "单位基本情况：每个项目填在“内容”列。金额单位万元，保留两位小数。"
MANAGEMENT_NOTE = (
    "管理情况：一、评分表各指标需要的管理事项，按“填写说明”填 是/否 或数字；"
    "二、本年新增项目，每行一个（无新增项目在第一行名称填“无”；留空即未填报）。"
)
PROJECTS_HEADER = ("新增项目名称", "是否开展事前绩效评估")
NARRATIVE_NOTE = (
    "文字材料：每行一个章节，内容可分段（单元格内换行：Alt+Enter），可用 **粗体** 和 1. 编号；"
    "“指标:<指标名称>”为该指标的补充说明。"
)
TABLE_NOTES = {
    "budget.csv": "收支情况：每行一个支出科目。金额单位万元，保留两位小数，来自部门决算报表（支出决算表）。"
    "“示例数据”列：本行中不是来自原始资料的列名，多个用；分隔（一般不填）。",
    "sangong.csv": "“三公”经费：每个项目一行。金额单位万元，保留两位小数，来自“三公”经费决算表。",
    "targets.csv": "绩效目标：每行一个产出或效益指标，来自年初绩效目标申报表与年末完成情况。"
    "增长率填百分点，如 3.4 表示 3.4%（也可写 3.4%）。方向可填 ≥、≤、=，文字目标（如 效果明显）填“定性”"
    "并选择完成程度；评分表按各项分值计分的，填写分值；二级指标、偏差原因分析及改进措施按评分表需要填写。",
    "self_scores.csv": "自评打分：只在不同意系统按评分表计算的得分时填写，每行一个指标，必须写理由。",
}

GUIDE_LINES = (
    "部门整体支出绩效自评 数据填报工作簿",
    "本工作簿每个工作表对应一部分数据，请勿改工作表名称、表头行和说明列。",
    "资料未载明的数据，请填写“未填报”（下拉列表中也有此项），不要填0、不要估算，也不要留空："
    "报告中相应位置写作“未填报”，依赖它的指标按评分表规定计分。只有单位名称、单位类型和评价年度必须填写。"
    "评价小组未载明时在第1人“职务”填“未填报”；是否有新增项目未载明时，在新增项目表第一行名称填“未填报”。",
    "确实没有的（与“未填报”不同）填“无”：未设定某类绩效目标，在绩效目标表加一行，类别选该类、指标填“无”；"
    "没有某类支出，在收支情况表加一行，支出类型选该类、科目名称填“无”；没有“三公”经费，三公经费表项目填“无”"
    "（某一项没有，该项金额填0）；未成立评价小组，第1人“职务”填“无”；无新增项目，新增项目表第一行名称填“无”；"
    "无下属二级预算单位，填0。表中没有某类的行、也没有“无”行的，按未填报处理。",
    "基本情况：单位信息、人员编制、自评工作与评价小组、申报等级、决算合计。",
    "收支情况：按支出科目填年初预算、调整预算、本年支出、上年支出（来自部门决算报表）。",
    "三公经费：因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费的预算、决算、上年决算。",
    "绩效目标：产出和效益指标的目标值、实际值（来自绩效目标申报表和年末完成情况）。",
    "管理情况：评分表需要的管理事项（是/否或数字）和本年新增项目的事前绩效评估情况。",
    "自评打分：只在需要时填写单位自评得分与理由；不填则按评分表计算。",
    "文字材料：单位职能、重点工作、自评过程、主要做法和经验、存在问题、改进措施等章节的文字。",
    "金额一律以万元为单位，保留两位小数；可写 1,589.88 或 1589.88万元，不能以“元”为单位。",
    "百分数（增长率、计量单位为%的目标值、比率类管理事项）按百分点填：93 表示 93%；也可写 93%，"
    "或在百分比格式的单元格里输入 93%。未设百分比格式的 0.93 读作 0.93%。",
    "日期：填报日期写 2025-11 或 2025年11月；也可用 Excel 日期（某月1日读作该月）。",
    "是/否 项从下拉列表选择。空行会被跳过；表格右侧多出的列会被忽略并提示。",
    "“示例数据”：标记不是来自原始资料、仅作示例的数字（报告中加 ※），正式填报一般不填。",
    "填好后运行：selfeval import 工作簿.xlsx --params params/<单位>.yaml --data data/<年度>/<单位>/，"
    "或在 params 文件中写 data: 工作簿.xlsx 直接使用。",
)

TEAM_MEMBER_KEYS = tuple(f for f, _, _ in _TEAM)
NARRATIVE_ORDER = ("单位职能", "重点工作", "评价小组", "自评过程")  # then 指标:…, then the rest
