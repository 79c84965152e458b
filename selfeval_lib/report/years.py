"""自评结果 beside last year's: the comparison table, its sentence and 评分表较上年变化."""

from __future__ import annotations

from decimal import Decimal

from ..evaluate.scoring import IndicatorScore
from ..evaluate.years import PreviousYear
from ..fmt import fmt_score
from .blocks import Part, paragraph
from .content import Report
from .tables import esc, num_cell, table_part

HEADERS = ["指标", "本年得分", "上年得分", "上年得分（按本年评分表）", "变化"]


def _score(s: IndicatorScore | None) -> str:
    return "" if s is None else fmt_score(s.score)


def _change(now: Decimal, before: Decimal | None) -> str:
    if before is None:
        return ""
    diff = now - before
    return f"+{fmt_score(diff)}" if diff > 0 else fmt_score(diff)


def describe_previous(r: Report) -> str:
    """One sentence: last year's total and grade as filed, re-scored where the framework changed,
    and this year's change against the comparable one."""
    p: PreviousYear = r.previous
    filed = f"上年（{p.year}年）按当年评分表（{p.framework_id}）得分{fmt_score(p.card.total)}分，等级“{p.card.grade}”"
    if p.rescored is not None:
        again = (
            f"；上年数据按本年评分表重新评分为{fmt_score(p.rescored.total)}分，等级“{p.rescored.grade}”，"
            "本年与之比较"
        )
    elif p.changes:
        again = f"；{p.rescore_failed}"
    else:
        again = "；两年评分表相同"
    diff = r.card.total - p.comparable.total
    word = "增加" if diff > 0 else "减少" if diff < 0 else "持平"
    amount = f"{fmt_score(abs(diff))}分" if diff else ""
    return f"{filed}{again}，本年得分较上年{word}{amount}。"


def previous_part(r: Report) -> Part:
    """The comparison with last year (nothing where no data of last year is on file)."""
    p = r.previous
    if p is None:
        return Part()
    rows, like = [], p.comparable
    for s in r.card.scores:
        filed, again = p.score_of(s.indicator.id), p.rescored_of(s.indicator.id)
        base = again if p.rescored else filed
        rows.append(
            [
                esc(s.indicator.name),
                num_cell(fmt_score(s.score), s.illustrative),
                num_cell(_score(filed)),
                num_cell(_score(again) if p.rescored else ""),
                num_cell(_change(s.score, None if base is None else base.score)),
            ]
        )
    rows += [
        [esc(f"删除指标：{old.indicator.name}"), "", num_cell(_score(old)), "", ""]
        for old in p.card.scores
        if r.card.scores and not any(s.indicator.id == old.indicator.id for s in r.card.scores)
    ]
    rows.append(
        [
            "合计",
            num_cell(fmt_score(r.card.total), r.card.illustrative),
            num_cell(fmt_score(p.card.total), p.card.illustrative),
            num_cell(fmt_score(p.rescored.total) if p.rescored else ""),
            num_cell(_change(r.card.total, like.total)),
        ]
    )
    rows.append(["等级", r.card.grade, p.card.grade, p.rescored.grade if p.rescored else "", ""])
    sentence = describe_previous(r)
    part = Part(f"<p>{esc(sentence)}</p>", [paragraph(sentence)])
    part += table_part(HEADERS, rows)
    if p.changes:
        title = f"评分表较上年变化（{p.framework_id} → {r.card.framework_id}）："
        lines = [f"{n}. {line}" for n, line in enumerate(p.changes, start=1)]
        part += Part(
            f"<p>{esc(title)}</p><ol>" + "".join(f"<li>{esc(x)}</li>" for x in p.changes) + "</ol>",
            [paragraph(title), *(paragraph(x) for x in lines)],
        )
    return part
