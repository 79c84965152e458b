"""One unit-year's report content: validated data, indicators and scorecard, built once."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .._version import __version__
from ..evaluate.indicators import Indicators, compute_indicators
from ..evaluate.scoring import GroupScore, IndicatorScore, Scorecard, score_unit
from ..evaluate.years import PreviousYear, score_previous
from ..fileio import project_path
from ..fmt import fmt_exact, fmt_score, present_fig
from ..frameworks.check import CN_NUMERAL, read_number
from ..inputs.params import Params
from ..inputs.unit import UnitData, load_unit
from ..values import NOT_STATED, Fig
from .narrative import describe_title

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Report:
    unit: UnitData
    indicators: Indicators  # the figures computed from the unit (evaluate.indicators)
    card: Scorecard
    previous: PreviousYear | None = None  # last year's scores, where its data is on file

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every cross-check warning of the unit: the scorecard's, then each self-score reason
        whose stated deduction no longer matches its points (数据核对提示)."""
        own = (describe_reason_mismatch(s) for s in self.card.scores)
        return (*self.card.warnings, *(w for w in own if w))

    # The unit's tables as pandas DataFrames (frames.py; pandas is imported on first use).
    @property
    def budget_table(self) -> pd.DataFrame:
        """budget.csv: 支出类型, 经济分类, 科目名称, 年初预算, 调整预算, 本年支出, 上年支出 (万元)."""
        from .frames import budget_frame

        return budget_frame(self.indicators.budget_lines)

    @property
    def sangong_table(self) -> pd.DataFrame:
        """sangong.csv: 项目, 预算, 决算, 上年决算 (万元)."""
        from .frames import sangong_frame

        return sangong_frame(self.indicators.sangong_lines)

    @property
    def targets_table(self) -> pd.DataFrame:
        """targets.csv with 完成率 (%) and 是否完成."""
        from .frames import targets_frame

        return targets_frame(self.indicators.targets)

    @property
    def scores_table(self) -> pd.DataFrame:
        """The 评分表: 分值, 评分标准, 计算得分, 自评得分, 得分, 得分依据/扣分原因 per indicator."""
        from .frames import scores_frame

        return scores_frame(self.card.scores)

    def scores_record(self) -> dict:
        """The machine-readable scores file (.scores.json): plain JSON types, stable order."""
        card, unit, values = self.card, self.unit, self.indicators
        identity = unit.facts.identity
        return {
            "unit_id": unit.params.unit_id,
            "year": unit.params.year,
            "unit_name": identity.name,
            "title": describe_title(unit),  # the HTML <title>, for every export route
            "county": None if identity.county is NOT_STATED else identity.county,
            "unit_kind": identity.unit_kind,
            "synthetic": unit.facts.synthetic,
            "framework": card.framework_id,
            "framework_name": unit.framework.name,
            "outside_framework": card.outside,
            "selfeval_version": __version__,
            "indicators": [
                {
                    "id": s.indicator.id,
                    "name": s.indicator.name,
                    "weight": float(s.indicator.weight),
                    "score": float(s.score),
                    "computed_score": float(s.computed),
                    "self_score": None if s.self_score is None else float(s.self_score),
                    # the evaluator's score and which score counts, where the framework has one
                    **(_review(s) if unit.framework.reviewed else {}),
                    "illustrative": s.illustrative,
                    "basis": s.basis,
                    "not_stated": list(s.not_stated),
                    **previous_scores(self.previous, s),
                }
                for s in card.scores
            ],
            # declared 一级/二级 groups with their subtotals (only where the framework has them)
            **({"groups": [_group(g) for g in card.groups]} if card.groups else {}),
            "total": float(card.total),
            # the framework's total_cap: the sum before it and the sentence stating it
            **(
                {
                    "total_cap": {
                        "uncapped_total": _float(card.uncapped_total),
                        "basis": card.cap_basis,
                    }
                }
                if unit.framework.total_cap
                else {}
            ),
            # 加分项 / 扣分项 outside the 100, where the framework has them
            **({"bonus": _float(card.bonus)} if card.bonus is not None else {}),
            **({"penalty": _float(card.penalty)} if card.penalty is not None else {}),
            **({"extras_basis": list(card.extras_basis)} if card.extras_basis else {}),
            "grade": card.grade,
            # what the total and grade rest on: indicators scored on stated data and not
            "completeness": card.completeness.record(),
            "illustrative": card.illustrative,
            "computed_total": float(card.computed_total),
            "declared_grade": card.declared_grade,
            "grade_bands": [{"grade": b.grade, "min": float(b.min)} for b in unit.framework.grades],
            "spending_rate": _number(values.spending_rate),
            "sangong_budget": _number(values.sangong_budget),
            "sangong_actual": _number(values.sangong_actual),
            # how each figure above is shown: 未填报, 不适用 (a rate over a zero base), ※ (rests
            # on an illustrative value) or "" (as stated or computed)
            "figure_status": {
                key: present_fig(getattr(values, key)).status
                for key in ("spending_rate", "sangong_budget", "sangong_actual")
            },
            "warnings": list(self.warnings),
            "not_stated": list(unit.not_stated()),
            "inputs": dict(unit.input_hashes),
            **({"previous_year": previous_record(self)} if self.previous else {}),
        }


def previous_scores(previous: PreviousYear | None, s: IndicatorScore) -> dict:
    """An indicator's 上年得分 (as filed, and re-scored under this year's framework) and 变化."""
    if previous is None:
        return {}
    filed, again = previous.score_of(s.indicator.id), previous.rescored_of(s.indicator.id)
    like = again if previous.rescored else filed
    return {
        "previous_score": None if filed is None else float(filed.score),
        "previous_rescored": None if again is None else float(again.score),
        "change": None if like is None else float(s.score - like.score),
    }


def previous_record(r: Report) -> dict:
    """scores.json's previous_year: last year's total and grade as filed, re-scored under this
    year's framework where it changed, the change, the framework's changes, the figures taken."""
    p = r.previous
    like = p.comparable
    return {
        "year": p.year,
        "unit_id": r.unit.previous.params.unit_id,  # the link to last year's report (history.py)
        "framework": p.framework_id,
        "total": float(p.card.total),
        "grade": p.card.grade,
        "illustrative": p.card.illustrative,
        "rescored_total": None if p.rescored is None else float(p.rescored.total),
        "rescored_grade": None if p.rescored is None else p.rescored.grade,
        "change": float(r.card.total - like.total),
        "framework_changes": list(p.changes),
        "rescore_failed": p.rescore_failed,
        "taken": list(r.unit.taken),
    }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _review(s: IndicatorScore) -> dict:
    """评审得分 (None: not scored by the evaluator, or 未填报) and which score counts."""
    counts = "self" if s.self_counts else "review" if s.reviewed else "computed"
    return {"review_score": _float(s.review_score), "counts": counts}


def _group(g: GroupScore) -> dict:
    return {
        "name": g.name,
        "level": g.level,
        "weight": float(g.weight),
        "score": float(g.score),
        "illustrative": g.illustrative,
        **({"path": list(g.path)} if g.path else {}),  # a name under two parents: which one
    }


# 扣5分, 扣除2.5分, 扣三分, 扣零点五分 (not 扣三分之一)
_DEDUCTED = re.compile(rf"扣(?:除|减)?(\d+(?:\.\d+)?|{CN_NUMERAL})分(?![之点])")
_CLAUSE = re.compile(r"[，,；;。]")


def stated_deduction(reason: str) -> Decimal | None:
    """The points a self-score reason says were deducted ('…扣5分。' -> 5; '扣2分；扣1分' -> 3), or
    None where it names none. A clause with 共/合计/累计 gives the whole deduction; a clause
    with 每 states a rate (每起扣2分), not a deduction, and is skipped."""
    reason = unicodedata.normalize("NFKC", reason)  # full-width digits
    clauses = [c for c in _CLAUSE.split(reason) if _DEDUCTED.search(c)]
    totals = [c for c in clauses if re.search("共|合计|累计", c)]
    counted = totals[-1:] or [c for c in clauses if "每" not in c]
    points = [read_number(n) for c in counted for n in _DEDUCTED.findall(c)]
    return sum(points, Decimal(0)) if points else None


def describe_reason_mismatch(s: IndicatorScore) -> str:
    """A warning where the unit's reason states a deduction other than 分值 − 自评得分 ('' where
    they agree, or where the reason names no points)."""
    said = None if s.self_score is None else stated_deduction(s.self_reason)
    weight = s.indicator.weight
    if said is None or said == weight - s.self_score:
        return ""
    return (
        f"指标“{s.indicator.name}”的自评理由写明扣{fmt_exact(said)}分，但分值{fmt_score(weight)}分、"
        f"自评得分{fmt_score(s.self_score)}分，相差{fmt_score(weight - s.self_score)}分："
        "请核实自评得分或理由。"
    )


def _number(f: Fig) -> float | None:
    """A figure in scores.json: a number, or null where it is 未填报 or does not apply."""
    shown = present_fig(f)
    return None if shown.value is None else float(shown.value)


def load_report(params: Params | str | Path) -> Report:
    """Load, validate, compute and score one unit-year: everything the notebook lays out.
    A relative path is read from the current folder, else from the project folder."""
    unit = load_unit(params if isinstance(params, Params) else project_path(params))
    values = compute_indicators(unit)
    return Report(unit, values, score_unit(unit, values), score_previous(unit))


def document_date(u: UnitData) -> str:
    """The date the filing edition's document properties carry, YYYY-MM-DD: the unit's 填报日期
    (its first day where only the month is stated), else 1 January of the year after the year
    evaluated (when reports are filed). From the data, never the clock."""
    stated = u.facts.evaluation.fill_date
    if stated is NOT_STATED:
        return f"{u.params.year + 1}-01-01"
    return stated if stated.count("-") == 2 else f"{stated}-01"
