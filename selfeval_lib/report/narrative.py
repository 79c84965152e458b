"""The report's standard sentences, written from figures in the reference report's wording.

A sentence never rests on a value the unit did not give: it says 未填报 where the reference
would print the figure, or is not written; a figure computed from an illustrative input keeps
its ※."""

from __future__ import annotations

from ..evaluate.indicators import Indicators
from ..evaluate.scoring import Scorecard
from ..fmt import (
    ILLUSTRATIVE_MARK,
    describe_diff,
    describe_growth,
    fmt_exact,
    fmt_fig,
    fmt_figure,
    fmt_pct,
    fmt_score,
    fmt_wan,
    present_fig,
)
from ..inputs.places import field_of
from ..inputs.unit import UnitData
from ..values import NOT_APPLICABLE_WORD, NOT_STATED, NOT_STATED_WORD, Fig, is_not_stated_text


def _stated(value: object) -> bool:
    return value is not NOT_STATED


def _people(f: Fig) -> str:
    return fmt_fig(f, lambda v: f"{v}人")


def describe_title(unit: UnitData) -> str:
    return f"{unit.facts.identity.title_name}部门整体支出绩效自评报告"


def describe_fill_date(unit: UnitData) -> str:
    """'2025-11' -> '2025年11月'; '2025-11-05' -> '2025年11月5日'; or 未填报."""
    fill_date = unit.facts.evaluation.fill_date
    if not _stated(fill_date):
        return NOT_STATED_WORD
    parts = fill_date.split("-")
    text = f"{parts[0]}年{int(parts[1])}月"
    return text + (f"{int(parts[2])}日" if len(parts) == 3 else "")


def describe_intro(unit: UnitData) -> str:
    """The opening: the notice it answers and the team, only as the unit states them (no
    boilerplate of how the work was done: that is the unit's own 自评过程 text)."""
    ev, year, name = unit.facts.evaluation, unit.params.year, unit.facts.identity.name
    basis = ""
    if _stated(ev.notice_title):
        number = f"（{ev.notice_number}）" if _stated(ev.notice_number) else ""
        basis = f"根据《{ev.notice_title}》{number}要求，"
    team = "成立自评工作小组，" if _stated(ev.team) else ""
    return (
        f"{basis}我单位{team}开展{year}年度部门整体支出绩效自评，形成本评价报告。"
        f"现将{year}年度{name}整体支出绩效自评情况报告如下："
    )


def describe_profile(unit: UnitData, values: Indicators) -> str:
    i = unit.facts.identity
    where = (
        f"为{i.superior}下的{i.unit_type}"
        if _stated(i.superior)
        else f"为{i.unit_type}（主管部门{NOT_STATED_WORD}）"
    )
    nature = f"单位基本性质是{i.nature}" if _stated(i.nature) else f"单位基本性质{NOT_STATED_WORD}"
    standard = (
        f"执行{i.accounting_standard}"
        if _stated(i.accounting_standard)
        else f"执行的会计制度{NOT_STATED_WORD}"
    )
    if _stated(i.industry_code) and _stated(i.industry_name):
        industry = f"机构行业类型为[{i.industry_code}]{i.industry_name}"
    elif _stated(i.industry_name):
        industry = f"机构行业类型为{i.industry_name}"
    else:
        industry = f"机构行业类型{NOT_STATED_WORD}"
    subs = i.subordinate_units
    if not _stated(subs):
        subs_text = f"下属二级预算单位情况{NOT_STATED_WORD}"
    else:
        subs_text = "无下属二级预算单位" if subs == 0 else f"下属二级预算单位{subs}个"
    v = values
    return (
        f"{i.name}{where}，{nature}，{standard}，{industry}。{subs_text}；"
        f"机构编制部门核定人数{_people(v.authorized)}、年末在职人数{_people(v.in_service)}、"
        f"离退休人数{_people(v.retired)}、外聘临时工人数{_people(v.temporary)}。"
    )


def describe_staffing(values: Indicators) -> str:
    """Staffing ratios, a sentence the reference does not have but reviewers ask for; only the
    ratios whose figures were given."""
    parts = []
    if values.staffing_rate.given:
        parts.append(f"在职人数占核定编制的{fmt_fig(values.staffing_rate, fmt_pct)}")
    if values.basic_per_staff.given:
        parts.append(f"人均基本支出{fmt_fig(values.basic_per_staff, fmt_wan)}")
    if values.temporary_ratio.given:
        parts.append(f"外聘临时工与在职人数之比为{fmt_fig(values.temporary_ratio, fmt_pct)}")
    return "；".join(parts) + "。" if parts else ""


def describe_team(unit: UnitData) -> str:
    """'人员构成：由分管财政工作的李培易党委委员为组长，党政办主任张东梅为副组长，九大办负责人为成员。'"""
    team = unit.facts.evaluation.team
    if not _stated(team):
        return f"评价小组人员构成{NOT_STATED_WORD}。"
    if not team:  # the unit states it formed none (team: 无)
        return "本单位未成立自评工作小组。"
    parts, unknown = [], []
    for m in team:
        if _stated(m.title):
            who = f"{m.duty}{m.name}{m.title}" if m.duty else f"{m.title}{m.name}"
        elif m.duty or m.name:
            who = f"{m.duty}{m.name}（职务{NOT_STATED_WORD}）"
        else:  # nobody named: the role's holder is 未填报, said once, not as a person
            unknown.append(m.role)
            continue
        parts.append(f"{who}为{m.role}")
    said = "由" + "，".join(parts) if parts else ""
    if unknown:
        said += (
            ("；" if said else "") + "、".join(dict.fromkeys(unknown)) + f"职务{NOT_STATED_WORD}"
        )
    return f"人员构成：{said}。"


def describe_submission(unit: UnitData) -> str:
    submitted = unit.facts.evaluation.submitted
    when = (
        f"自评材料在{submitted}报送" if _stated(submitted) else f"自评材料报送时间{NOT_STATED_WORD}"
    )
    return f"{when}，我单位对所报送自评材料真实性、完整性、一致性、规范性负责。"


def describe_publication(unit: UnitData) -> str:
    same = unit.facts.evaluation.published_consistent
    if not _stated(same):
        return f"本单位所报送的自评报告、数据表、评分表与公开的自评报告、数据表、评分表是否一致{NOT_STATED_WORD}。"
    return f"本单位所报送的自评报告、数据表、评分表与公开的自评报告、数据表、评分表{'一致' if same else '不一致'}。"


def describe_result(card: Scorecard) -> str:
    """'单位自评结果为：良。自评总分86.00分。' (※ where the total rests on an illustrative value),
    then what the total rests on (card.completeness). A declared grade that differs is a
    warning of the review notes (数据核对提示), not the unit's statement."""
    mark = ILLUSTRATIVE_MARK if card.illustrative else ""
    said = f"单位自评结果为：{card.grade}{mark}。自评总分{fmt_score(card.total)}分{mark}。"
    if card.uncapped_total is not None:  # the framework's total_cap lowered it: say why
        said += card.cap_basis
    return said + card.completeness.statement


def describe_bands(grades) -> str:
    """'优≥90、良≥80、中≥60、差<60' from a framework's grade bands (highest first, last at 0)."""
    parts = [f"{b.grade}≥{fmt_exact(b.min)}" for b in grades[:-1]]
    lowest = grades[-1].grade
    return "、".join([*parts, f"{lowest}<{fmt_exact(grades[-2].min)}" if parts else lowest])


def describe_targets(values: Indicators, category: str) -> str:
    """Completion lead sentence, then each target as '全镇地区生产总值174477万元，增长3.4%'."""
    rows = values.targets_of(category)
    if values.lists[f"targets.{category}"].not_stated:
        return f"本年度{category}类绩效目标{NOT_STATED_WORD}。"
    if not rows:  # the unit states it set none (a 无 row)
        return f"本年度未设定{category}类绩效目标。"
    unknown = [r for r in rows if r.met is None]
    missed = [r for r in rows if r.met is False]
    mark = ILLUSTRATIVE_MARK if any(r.completion.illustrative for r in rows) else ""
    if unknown:  # the unit's voice says what is not stated; review_targets says what follows
        lead = (
            f"本年度，部门设定{category}指标{len(rows)}项，"
            f"其中{len(unknown)}项的{_unknown_fields(unknown)}{NOT_STATED_WORD}"
        )
        if missed:
            lead += f"；{'、'.join(_target_name(r) for r in missed)}未达目标{mark}"
        lead += "。"
    elif not missed:
        lead = f"本年度，部门围绕重点工作任务设定的各项绩效目标{category}均按计划推进，{len(rows)}项指标全部完成{mark}。"
    else:
        names = "、".join(_target_name(r) for r in missed)
        lead = f"本年度，部门设定{category}指标{len(rows)}项，完成{len(rows) - len(missed)}项{mark}，{names}未达目标。"
    items = [item for item in map(_target_item, rows) if item]
    return lead + ("；".join(items) + "。" if items else "")


def _unknown_fields(rows) -> str:
    """'方向、目标值': the 未填报 fields that keep the completion of `rows` from being known."""
    return "、".join(dict.fromkeys(field_of(w) for r in rows for w in r.completion.missing))


def _target_name(r) -> str:
    return f"1项名称{NOT_STATED_WORD}的指标" if is_not_stated_text(r.target.name) else r.target.name


def _target_item(r) -> str:
    """'全镇地区生产总值174477万元，增长3.4%'; '县道好路率未填报' where the actual is not stated
    (the bare name, never the phrase: "县道好路率达" + 未填报 is not Chinese); '' where neither
    the name nor the actual is stated."""
    t = r.target
    named = not is_not_stated_text(t.name)
    if r.actual_words:  # a qualitative (定性) target's 完成值 in words: 10月中旬完工
        return f"{t.phrase or t.name}{r.actual_words}" if named else ""
    if r.actual.not_stated:
        return f"{t.name}{NOT_STATED_WORD}" if named else ""
    unit = t.unit if _stated(t.unit) else f"（计量单位{NOT_STATED_WORD}）"
    figure = present_fig(r.actual, lambda v: f"{fmt_figure(v)}{unit}")
    item = f"{t.phrase or t.name}{figure}" if named else f"名称{NOT_STATED_WORD}的指标{figure}"
    if r.growth_pct.given:
        item += f"，{present_fig(r.growth_pct, lambda v: describe_growth(v, t.growth_word))}"
    return item


def review_targets(values: Indicators, category: str) -> str:
    """The analyst's note where completion cannot be judged (the review notes, not the unit's
    statement): '产出指标5项中5项的方向、目标值未填报，无法判断完成情况。'"""
    rows = values.targets_of(category)
    unknown = [r for r in rows if r.met is None]
    if not rows:  # none set (a 无 row) leaves nothing to judge
        none = values.lists[f"targets.{category}"].none
        return "" if none else f"{category}类绩效目标{NOT_STATED_WORD}，无法判断完成情况。"
    if not unknown:
        return ""
    return (
        f"{category}指标{len(rows)}项中{len(unknown)}项的{_unknown_fields(unknown)}"
        f"{NOT_STATED_WORD}，无法判断完成情况。"
    )


def describe_spending_rate(values: Indicators) -> str:
    rate = values.spending_rate
    if rate.not_stated:
        return f"本年度单位资金支出率{NOT_STATED_WORD}。"
    if not rate.given:
        return f"本年度调整预算为0，单位资金支出率{NOT_APPLICABLE_WORD}。"
    text = f"本年度部门用款计划执行表中，单位资金支出率为{fmt_fig(rate, fmt_pct)}"
    if values.actual.given and values.adjusted_budget.given:
        text += (
            f"（本年支出{fmt_fig(values.actual, fmt_wan)}，"
            f"调整预算{fmt_fig(values.adjusted_budget, fmt_wan)}）"
        )
    return text + "。"


def describe_pre_assessment(unit: UnitData, values: Indicators) -> str:
    projects = unit.management.new_projects
    if not _stated(projects):
        return f"本年度部门是否有新增项目{NOT_STATED_WORD}。"
    if not projects:
        return "本年度部门无新增项目，不涉及新增项目事前绩效评估。"
    names = "、".join(p.name for p in projects)
    count = len(projects)
    if values.pre_assessed.not_stated:
        unknown = len(values.pre_assessed.missing)  # one place per project not stated
        return f"部门新增{names}{count}个，其中{unknown}个是否开展事前绩效评估{NOT_STATED_WORD}。"
    if values.pre_assessed.value == count:
        how = "均严格按照规定开展事前绩效评估工作"
    else:
        how = f"其中{values.pre_assessed.value}个开展了事前绩效评估"
    return f"部门新增{names}{count}个，{how}，评估覆盖率达{fmt_fig(values.pre_assessment_rate, fmt_pct)}。"


def _change(change: Fig) -> str:
    """'，比上年决算数增加107.6万元' where the change is given; nothing otherwise."""
    if not change.given:
        return ""
    return f"，比上年决算数{present_fig(change, describe_diff)}"


def describe_running_cost(unit: UnitData, values: Indicators) -> str:
    """The 运行成本 paragraph: totals, year-on-year changes and 三公经费 against budget."""
    year, v = unit.params.year, values
    actual = fmt_fig(v.actual, fmt_wan)
    if v.total_expenditure.given:
        parts = [
            f"单位{year}年度总支出{fmt_fig(v.total_expenditure, fmt_wan)}，其中本年支出{actual}。"
        ]
    else:
        parts = [f"单位{year}年度本年支出{actual}。"]
    basic = f"基本支出{fmt_fig(v.basic, fmt_wan)}{_change(v.basic_change)}"
    project = f"项目支出{fmt_fig(v.project, fmt_wan)}{_change(v.project_change)}"
    parts.append(f"{'其中，' if v.actual.given else ''}{basic}；{project}；")
    parts.append(describe_sangong(values))
    return "".join(parts)


def describe_sangong(values: Indicators) -> str:
    budget, actual, rate = values.sangong_budget, values.sangong_actual, values.sangong_rate
    if actual.not_stated:
        return f"“三公”经费财政拨款支出决算{NOT_STATED_WORD}。"
    text = f"“三公”经费财政拨款支出决算为{fmt_fig(actual, fmt_wan)}"
    if budget.not_stated:
        return text + f"，全年预算{NOT_STATED_WORD}。"
    if not rate.given:
        return text + f"，全年未安排预算，执行率{NOT_APPLICABLE_WORD}。"
    relation = (
        "等于"
        if actual.value == budget.value
        else ("低于" if actual.value < budget.value else "超过")
    )
    return (
        text + f"，完成全年预算{fmt_fig(budget, fmt_wan)}的{fmt_fig(rate, fmt_pct)}，"
        f"{relation}预算安排的经费数。"
    )
