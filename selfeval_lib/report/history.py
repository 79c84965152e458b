"""A unit's earlier years on file: its scores.json's `previous_year` link followed back through
the year folders of the reports root (reports/2025 → reports/2024 → reports/2023 …).

The link is the one the data made (inputs/years.py: the params file's `previous:`, the data
tree's convention or the unit_code), recorded in scores.json as `previous_year.unit_id`; nothing
here guesses a unit by its name or id. Each year shows the total and grade its own report filed;
where that year's scores file is not under the root, the total and grade this year's run scored
last year's data with (scores.json `previous_year`), and the chain stops there."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class YearResult:
    """One year of a unit as filed: its total, grade and where it was read."""

    year: int
    unit_id: str
    total: float
    grade: str
    illustrative: bool  # the total rests on illustrative (※) values
    file: str  # its scores file relative to the year folder read from ("" : from previous_year)


def read_scores(path: Path) -> dict | None:
    """A scores file's record, None where it is absent or unreadable (the overview of that year
    reports an unreadable one)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return record if isinstance(record, dict) else None
    except (OSError, ValueError):
        return None


def earlier_years(root: Path, record: dict) -> tuple[YearResult, ...]:
    """The unit's earlier years, last year first, following `previous_year.unit_id` through
    root/<year>/<unit_id>.scores.json."""
    found: list[YearResult] = []
    here, this_year = record, record.get("year")
    if not isinstance(this_year, int):
        return ()
    while isinstance(link := here.get("previous_year"), dict):
        year, unit_id = link.get("year"), link.get("unit_id")
        if not isinstance(year, int) or year >= (found[-1].year if found else this_year):
            break  # a record of another shape, or a link that does not go back in time
        path = root / str(year) / f"{unit_id}.scores.json"
        filed = read_scores(path) if isinstance(unit_id, str) else None
        if filed is None or filed.get("year") != year or "total" not in filed:
            found.append(
                YearResult(
                    year,
                    str(unit_id or ""),
                    link["total"],
                    link["grade"],
                    bool(link.get("illustrative")),
                    "",
                )
            )
            break
        found.append(
            YearResult(
                year,
                unit_id,
                filed["total"],
                filed.get("grade", ""),
                bool(filed.get("illustrative")),
                f"../{year}/{path.name}",
            )
        )
        here = filed
    return tuple(found)
