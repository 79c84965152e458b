"""The sentence inventory (report/sentences.py): every template rendered with each of its inputs
未填报 in turn states no value or fact it was not given, in grammatical Chinese."""

from __future__ import annotations

import inspect
import re
from dataclasses import replace
from pathlib import Path

import pytest

from selfeval_lib import load_report
from selfeval_lib.evaluate.lists import Listed
from selfeval_lib.fmt import fmt_money
from selfeval_lib.inputs.schema import NARRATIVE_OPTIONAL, NARRATIVE_REQUIRED
from selfeval_lib.report import narrative
from selfeval_lib.report.content import Report
from selfeval_lib.report.sentences import NOT_SENTENCES, TEMPLATES
from selfeval_lib.values import NOT_STATED, NOT_STATED_WORD, Fig

from ..conftest import COMPLETE_PARAMS

NOT_STATED_FIG = Fig(None, missing=('data.csv: 第2行 列"实际值"',))
# Phrases a 未填报 must never make: a verb or a colon before it, or the word twice.
UNGRAMMATICAL = re.compile(
    rf"(?:达|为|是|有：?|：){NOT_STATED_WORD}|{NOT_STATED_WORD}{NOT_STATED_WORD}"
)
# Claims a sentence may make only when the full data make them too.
CLAIMS = ("持平", "无下属", "未设定", "全部完成", "均按计划推进", "成立自评工作小组", "无新增项目")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@pytest.fixture(scope="module")
def complete() -> Report:
    """The complete example, every narrative section written (其他自评情况 is empty there)."""
    r = load_report(COMPLETE_PARAMS)
    sections = (*NARRATIVE_REQUIRED, *NARRATIVE_OPTIONAL)
    written = {s: r.unit.narrative.get(s) or f"{s}的内容。" for s in sections}
    return replace(r, unit=replace(r.unit, narrative={**r.unit.narrative, **written}))


def _model_set(model, keys: list[str], value):
    if len(keys) == 1:
        return model.model_copy(update={keys[0]: value})
    return model.model_copy(update={keys[0]: _model_set(getattr(model, keys[0]), keys[1:], value)})


def _blank_target(t, field: str):
    if field == "name":
        return replace(t, target=t.target.model_copy(update={"name": NOT_STATED_WORD}))
    if field == "unit":
        return replace(t, target=t.target.model_copy(update={"unit": NOT_STATED}))
    if field == "actual":
        return replace(t, actual=NOT_STATED_FIG, completion=NOT_STATED_FIG)
    return replace(t, **{field: NOT_STATED_FIG})


def blank(r: Report, path: str) -> Report:
    """The report with the input at `path` (an inventory path) 未填报."""
    head, _, rest = path.partition(".")
    if head == "indicators":
        values = r.indicators
        if rest == "targets":  # no rows and no 无 row: the targets are not stated
            lists = {
                k: Listed(None, f"targets.csv: 无“{k.removeprefix('targets.')}”行")
                if k.startswith("targets.")
                else v
                for k, v in values.lists.items()
            }
            return replace(r, indicators=replace(values, targets=(), lists=lists))
        if m := re.fullmatch(r"targets\[(.+)\]\.(\w+)", rest):
            category, field = m.groups()
            rows = tuple(
                _blank_target(t, field) if t.target.category == category else t
                for t in values.targets
            )
            return replace(r, indicators=replace(values, targets=rows))
        assert isinstance(getattr(values, rest), Fig), path
        return replace(r, indicators=replace(values, **{rest: NOT_STATED_FIG}))
    assert head == "unit", path
    first, *keys = rest.split(".")
    if first == "narrative":
        narrative_ = {**r.unit.narrative, keys[0]: NOT_STATED_WORD}
        return replace(r, unit=replace(r.unit, narrative=narrative_))
    part = _model_set(getattr(r.unit, first), keys, NOT_STATED)
    return replace(r, unit=replace(r.unit, **{first: part}))


def _value_texts(r: Report, path: str) -> list[str]:
    """How the input's value shows in a sentence, where it is a figure or a text."""
    head, _, rest = path.partition(".")
    if head == "indicators" and "[" not in rest and rest != "targets":
        f = getattr(r.indicators, rest)
        return [f"{fmt_money(f.value)}万元"] if f.given else []
    if head == "unit" and not rest.startswith("narrative"):
        value = r.unit
        for key in rest.split("."):
            value = getattr(value, key)
        if isinstance(value, str):
            return [value]
        if isinstance(value, tuple):  # team members, new projects: their names
            return [m.name for m in value if getattr(m, "name", "")]
    return []


CASES = [(t, path) for t in TEMPLATES for path in t.inputs]


# ASCII ids (T<template>.<input>-<the path's ASCII part>): pytest escapes a non-ASCII id again on
# a second collection in one process, so mutmut (which runs pytest in-process, and selects each
# test by its node id) would find none of these cases; brackets inside an id cannot be selected.
CASE_IDS = [
    f"T{ti:02d}.{pi}-" + re.sub(r"[^\x21-\x7e]+", "_", path).translate(str.maketrans("[]", "()"))
    for ti, t in enumerate(TEMPLATES, 1)
    for pi, path in enumerate(t.inputs, 1)
]


@pytest.mark.parametrize(("template", "path"), CASES, ids=CASE_IDS)
def test_a_template_with_an_input_not_stated_states_nothing_it_was_not_given(
    complete, template, path
):
    full = template.render(complete)
    said = template.render(blank(complete, path))
    if path not in template.omits:
        assert said != full, f"{template.name}: the template does not show that {path} is missing"
    assert not UNGRAMMATICAL.search(said), said
    for claim in CLAIMS:
        assert claim not in said or claim in full, (claim, said)
    year = complete.unit.params.year
    numbers = {*NUMBER.findall(full), str(year), str(year - 1)}  # the params' year is given
    invented = [n for n in NUMBER.findall(said) if n not in numbers]
    assert not invented, (invented, said)
    for text in _value_texts(complete, path):
        assert said.count(text) < full.count(text) or text not in full, (text, said)
    if path in template.omits:
        assert NOT_STATED_WORD not in said.replace(NOT_STATED_WORD, "", full.count(NOT_STATED_WORD))
    else:
        assert said.count(NOT_STATED_WORD) > full.count(NOT_STATED_WORD), said


def test_every_sentence_function_is_in_the_inventory():
    """A describe_* (or review_*) added to narrative.py must be listed in TEMPLATES (or, with a
    reason, in NOT_SENTENCES), so the test above covers it."""
    used = {name for t in TEMPLATES for name in t.render.__code__.co_names}
    functions = {
        name
        for name, f in inspect.getmembers(narrative, inspect.isfunction)
        if name.startswith(("describe_", "review_")) and f.__module__ == narrative.__name__
    }
    assert functions - used - set(NOT_SENTENCES) == set()
    assert set(NOT_SENTENCES) <= functions


def test_review_notes_are_not_the_units_voice(complete):
    """'无法判断完成情况' is an analyst's note: only review templates write it."""
    bare = blank(complete, "indicators.targets[产出].actual")
    for t in TEMPLATES:
        said = t.render(bare)
        assert ("无法判断" in said) == (t.voice == "review" and "产出" in t.name), t.name


# --- an almost-empty unit: its identity, and everything else 未填报 ------------------------------


def _almost_empty(root: Path) -> Path:
    """A unit that states its name, type and kind only; every other value is written 未填报."""
    from selfeval_lib.frameworks.model import load_framework

    data = root / "data" / "2024" / "empty"
    data.mkdir(parents=True)
    (root / "params").mkdir()
    params = root / "params" / "empty_2024.yaml"
    params.write_text(
        "unit_id: empty_2024\nyear: 2024\ndata: ../data/2024/empty\nframework: gd_township_2024\n",
        encoding="utf-8",
    )
    w = NOT_STATED_WORD
    (data / "unit.yaml").write_text(
        "year: 2024\nidentity:\n  name: 某县某镇人民政府\n  unit_type: 行政单位\n  unit_kind: 镇\n"
        f"staffing:\n  authorized: {w}\n  in_service: {w}\n  retired: {w}\n  temporary: {w}\n"
        f"evaluation:\n  notice_title: {w}\n  notice_number: {w}\n  fill_date: {w}\n"
        f"  submitted: {w}\n  published_consistent: {w}\n  team: {w}\n",
        encoding="utf-8",
    )
    facts = load_framework("gd_township_2024").fact_keys()
    (data / "management.yaml").write_text(
        f"new_projects: {w}\nfacts:\n" + "".join(f"  {k}: {w}\n" for k in sorted(facts)),
        encoding="utf-8",
    )
    files = {
        "budget.csv": "支出类型,经济分类,科目名称,年初预算,调整预算,本年支出,上年支出,示例数据\n"
        f"基本支出,{w},基本支出,{w},{w},{w},{w},\n",
        "sangong.csv": "项目,预算,决算,上年决算,示例数据\n",
        "targets.csv": "类别,指标,表述,计量单位,方向,目标值,实际值,上年值,增长率,增长表述,示例数据\n",
        "self_scores.csv": "指标,自评得分,理由,示例数据\n",
        "narrative.md": "".join(f"## {s}\n\n{w}\n\n" for s in NARRATIVE_REQUIRED),
    }
    for name, text in files.items():
        (data / name).write_text(text, encoding="utf-8")
    return params


def _report_text(r: Report) -> list[str]:
    """Every paragraph, list item, score-table cell and chart caption of the report's parts."""
    from selfeval_lib.report import display

    shown = [
        display.show_cover(r),
        display.show_profile(r),
        *(display.show_text(r, s) for s in ("重点工作", "自评过程")),
        display.show_team(r),
        display.show_submission(r),
        display.show_publication(r),
        display.show_result(r),
        display.show_chart(r, "scores"),
        display.show_indicators(r),
        *(
            display.show_text(r, s)
            for s in ("主要做法和经验", "存在问题", "改进措施", "其他自评情况")
        ),
    ]
    lines = []
    for s in shown:
        for b in s.part.blocks:
            if b["kind"] == "paragraph":
                lines.append("".join(x["text"] for x in b["runs"]))
            elif b["kind"] == "list":
                lines += ["".join(x["text"] for x in item) for item in b["items"]]
            elif b["kind"] == "table":
                lines += ["".join(x["text"] for x in cell) for row in b["rows"] for cell in row]
            elif b["kind"] == "figure":
                lines += [b["caption"], b["note"]]
    return lines


# What the issue found in reports of units that stated little: none may appear.
FALSE_CLAIMS = (
    "未设定",
    "成立自评工作小组",
    "经查阅、核实有关账务",
    "无下属二级预算单位",
    "持平",
    "0万元",
    "0.00万元",
    "主要职能有：",
    "无。",
    "全部完成",
    "均按计划推进",
    "示例数据",  # the ※ footnote, where no ※ is printed
    "无法判断",  # a review note, not the unit's statement
)
PLACEHOLDERS = re.compile(r"\{|\}|None|nan|NaN|null")


def test_an_almost_empty_unit_says_what_its_grade_rests_on_and_claims_nothing(tmp_path):
    r = load_report(_almost_empty(tmp_path))
    result = "单位自评结果为：差。自评总分0.00分。12项指标所需数据均未填报，按评分表规定计0分。"
    assert narrative.describe_result(r.card) == result
    assert r.card.completeness.statement == "12项指标所需数据均未填报，按评分表规定计0分。"
    assert r.scores_record()["completeness"] == {
        "indicators": 12,
        "not_stated": 12,
        "not_stated_weight": 100.0,
        "policy_points": 0.0,
        "self_scored": 0,
        "self_points": 0.0,
        "stated": 0,
        "stated_score": 0.0,
        "stated_weight": 0.0,
        "statement": "12项指标所需数据均未填报，按评分表规定计0分。",
    }
    text = _report_text(r)
    assert result in text
    # the score table's 合计 row, and the note beside it naming what the total rests on
    total_row = text.index("合计")
    # (the filing edition's table: 分值, 评分标准, 得分, no 计算得分/自评得分 columns)
    assert text[total_row : total_row + 5] == ["合计", "100.00", "", "0.00", "等级：差"]
    assert (
        "合计0.00分：12项指标所需数据均未填报，按评分表规定计0分。所需数据未填报的指标："
        + "、".join(s.indicator.name for s in r.card.scores)
        + "。"
    ) in text
    for line in text:
        assert not PLACEHOLDERS.search(line), line
        assert not UNGRAMMATICAL.search(line), line
        for claim in FALSE_CLAIMS:
            assert claim not in line, (claim, line)
