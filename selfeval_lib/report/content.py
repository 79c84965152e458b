"""One unit-year's report content: validated data, indicators and scorecard, built once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..evaluate.indicators import Indicators, compute_indicators
from ..evaluate.scoring import Scorecard, score_unit
from ..inputs.params import Params
from ..inputs.unit import UnitData, load_unit
from ..values import NOT_STATED, Fig


@dataclass(frozen=True)
class Report:
    unit: UnitData
    values: Indicators
    card: Scorecard

    def scores_record(self) -> dict:
        """The machine-readable scores file (.scores.json): plain JSON types, stable order."""
        card, unit, values = self.card, self.unit, self.values
        identity = unit.facts.identity
        return {
            "unit_id": unit.params.unit_id,
            "year": unit.params.year,
            "unit_name": identity.name,
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
                    "illustrative": s.marked,
                    "basis": s.basis,
                    "not_stated": list(s.not_stated),
                }
                for s in card.scores
            ],
            "total": float(card.total),
            "grade": card.grade,
            "illustrative": card.marked,
            "computed_total": float(card.computed_total),
            "declared_grade": card.declared_grade,
            "grade_bands": [{"grade": b.grade, "min": float(b.min)} for b in unit.framework.grades],
            "spending_rate": _number(values.spending_rate),
            "sangong_budget": _number(values.sangong_budget),
            "sangong_actual": _number(values.sangong_actual),
            "warnings": list(card.warnings),
            "not_stated": list(unit.not_stated()),
            "inputs": dict(unit.input_hashes),
        }


def _number(f: Fig) -> float | None:
    """A figure in scores.json: a number, or null where it is 未填报 or does not apply."""
    return None if f.value is None else float(f.value)


def load_report(params: Params | str | Path) -> Report:
    """Load, validate, compute and score one unit-year: everything the notebook lays out."""
    unit = load_unit(params)
    values = compute_indicators(unit)
    return Report(unit, values, score_unit(unit, values))
