"""The report's standard sentences, written from figures in the reference report's wording."""

from __future__ import annotations

from ..evaluate.indicators import Indicators
from ..evaluate.scoring import Scorecard
from ..fmt import describe_change, describe_growth, fmt_figure, fmt_pct, fmt_score, fmt_wan
from ..inputs.unit import UnitData


def describe_title(unit: UnitData) -> str:
    return f"{unit.facts.identity.short_name}部门整体支出绩效自评报告"


def describe_fill_date(unit: UnitData) -> str:
    """'2025-11' -> '2025年11月'; '2025-11-05' -> '2025年11月5日'."""
    parts = unit.facts.evaluation.fill_date.split("-")
    text = f"{parts[0]}年{int(parts[1])}月"
    return text + (f"{int(parts[2])}日" if len(parts) == 3 else "")


def describe_intro(unit: UnitData) -> str:
    ev, year, name = unit.facts.evaluation, unit.params.year, unit.facts.identity.name
    return (
        f"根据《{ev.notice_title}》（{ev.notice_number}）要求，我单位及时布置自评，成立自评工作小组，"
        "明确分工，落实责任，认真开展自评自查工作，经查阅、核实有关账务及项目等执行情况，"
        f"填写自评表格并综合分析，形成本评价报告。现将{year}年度{name}整体支出绩效自评情况报告如下："
    )


def describe_profile(unit: UnitData) -> str:
    i, s = unit.facts.identity, unit.facts.staffing
    subs = (
        "无下属二级预算单位"
        if i.subordinate_units == 0
        else f"下属二级预算单位{i.subordinate_units}个"
    )
    return (
        f"{i.name}为{i.superior}下的{i.unit_type}，单位基本性质是{i.nature}，执行{i.accounting_standard}，"
        f"机构行业类型为[{i.industry_code}]{i.industry_name}。{subs}；机构编制部门核定人数{s.authorized}人、"
        f"年末在职人数{s.in_service}人、离退休人数{s.retired}人、外聘临时工人数{s.temporary}人。"
    )


def describe_staffing(values: Indicators) -> str:
    """Staffing ratios, a sentence the reference does not have but reviewers ask for."""
    parts = [f"在职人数占核定编制的{fmt_pct(values.staffing_rate)}"]
    if values.basic_per_staff is not None:
        parts.append(f"人均基本支出{fmt_wan(values.basic_per_staff)}")
    parts.append(f"外聘临时工与在职人数之比为{fmt_pct(values.temporary_ratio)}")
    return "；".join(parts) + "。"


def describe_team(unit: UnitData) -> str:
    """'人员构成：由分管财政工作的李培易党委委员为组长，党政办主任张东梅为副组长，九大办负责人为成员。'"""
    parts = []
    for m in unit.facts.evaluation.team:
        who = f"{m.duty}{m.name}{m.title}" if m.duty else f"{m.title}{m.name}"
        parts.append(f"{who}为{m.role}")
    return "人员构成：由" + "，".join(parts) + "。"


def describe_submission(unit: UnitData) -> str:
    return (
        f"自评材料在{unit.facts.evaluation.submitted}报送，我单位对所报送自评材料真实性、完整性、"
        "一致性、规范性负责。"
    )


def describe_publication(unit: UnitData) -> str:
    same = "一致" if unit.facts.evaluation.published_consistent else "不一致"
    return f"本单位所报送的自评报告、数据表、评分表与公开的自评报告、数据表、评分表{same}。"


def describe_result(card: Scorecard) -> str:
    text = f"单位自评结果为：{card.grade}。按评分表计，自评总分{fmt_score(card.total)}分"
    if card.total != card.computed_total:
        text += f"（未采用单位自评分时为{fmt_score(card.computed_total)}分，{card.computed_grade}）"
    return text + "。"


def describe_targets(values: Indicators, category: str) -> str:
    """Completion lead sentence, then each target as '全镇地区生产总值174477万元，增长3.4%'."""
    rows = values.targets_of(category)
    if not rows:
        return f"本年度未设定{category}类绩效目标。"
    missed = [r for r in rows if not r.met]
    if not missed:
        lead = f"本年度，部门围绕重点工作任务设定的各项绩效目标{category}均按计划推进，{len(rows)}项指标全部完成。"
    else:
        names = "、".join(r.target.name for r in missed)
        lead = f"本年度，部门设定{category}指标{len(rows)}项，完成{len(rows) - len(missed)}项，{names}未达目标。"
    items = []
    for r in rows:
        t = r.target
        item = f"{t.phrase or t.name}{fmt_figure(t.actual)}{t.unit}"
        if r.growth_pct is not None:
            item += f"，{describe_growth(r.growth_pct)}"
        items.append(item)
    return lead + "；".join(items) + "。"


def describe_spending_rate(values: Indicators) -> str:
    if values.spending_rate is None:
        return "本年度调整预算为0，单位资金支出率不适用。"
    return (
        f"本年度部门用款计划执行表中，单位资金支出率为{fmt_pct(values.spending_rate)}"
        f"（本年支出{fmt_wan(values.actual)}，调整预算{fmt_wan(values.adjusted_budget)}）。"
    )


def describe_pre_assessment(unit: UnitData, values: Indicators) -> str:
    projects = unit.management.new_projects
    if not projects:
        return "本年度部门无新增项目，不涉及新增项目事前绩效评估。"
    names = "、".join(p.name for p in projects)
    if values.pre_assessed == values.new_projects:
        how = "均严格按照规定开展事前绩效评估工作"
    else:
        how = f"其中{values.pre_assessed}个开展了事前绩效评估"
    return (
        f"部门新增{names}{values.new_projects}个，{how}，"
        f"评估覆盖率达{fmt_pct(values.pre_assessment_rate)}。"
    )


def describe_running_cost(unit: UnitData, values: Indicators) -> str:
    """The 运行成本 paragraph: totals, year-on-year changes and 三公经费 against budget."""
    year = unit.params.year
    parts = []
    if values.total_expenditure is not None:
        parts.append(
            f"单位{year}年度总支出{fmt_wan(values.total_expenditure)}，其中本年支出{fmt_wan(values.actual)}。"
        )
    else:
        parts.append(f"单位{year}年度本年支出{fmt_wan(values.actual)}。")
    basic = f"基本支出{fmt_wan(values.basic)}"
    if values.basic_last is not None:
        basic += f"，比上年决算数{describe_change(values.basic, values.basic_last)}"
    project = f"项目支出{fmt_wan(values.project)}"
    if values.project_last is not None:
        project += f"，比上年决算数{describe_change(values.project, values.project_last)}"
    parts.append(f"其中，{basic}；{project}；")
    parts.append(describe_sangong(values))
    return "".join(parts)


def describe_sangong(values: Indicators) -> str:
    budget, actual = values.sangong_budget, values.sangong_actual
    text = f"“三公”经费财政拨款支出决算为{fmt_wan(actual)}"
    if values.sangong_rate is None:
        return text + "，全年未安排预算，执行率不适用。"
    relation = "等于" if actual == budget else ("低于" if actual < budget else "超过")
    return (
        text + f"，完成全年预算{fmt_wan(budget)}的{fmt_pct(values.sangong_rate)}，"
        f"{relation}预算安排的经费数。"
    )
