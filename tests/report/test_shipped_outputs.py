"""The shipped units (params/*.yaml) and the complete example show the same figures as before:
every cell of their 评分表/数据表 workbook (value and number format, so ※ too), their report
tables as HTML, their DataFrames and their scores record, against snapshots in
tests/data/snapshots/. A refactoring of how figures are computed or shown must leave these as
they are; a change that means to alter them regenerates the snapshots
(`.venv/bin/python -m tests.report.test_shipped_outputs`) and the diff shows what changed."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "data" / "snapshots"
UNITS = [
    *sorted((ROOT / "params").glob("*.yaml")),
    ROOT / "tests" / "data" / "params" / "qianshan_2024.yaml",  # every value given
]


def snapshot_name(params: Path) -> str:
    """params/qianshan_2024.yaml -> params_qianshan_2024.txt."""
    return "_".join(params.relative_to(ROOT).with_suffix(".txt").parts)


def snapshot_text(params: Path) -> str:
    """What a reader of one unit's files sees of its figures, as text, one line per cell."""
    from openpyxl import load_workbook

    from selfeval_lib import load_report
    from selfeval_lib.report.scoresheet import scoresheet_bytes
    from selfeval_lib.report.tables import budget_part, sangong_part, targets_part

    r = load_report(params)
    record = r.scores_record()
    record.pop("selfeval_version")  # changes with every commit
    lines = ["# scores record", json.dumps(record, ensure_ascii=False, indent=1)]
    lines.append("# workbook: sheet!cell, value, number format")
    wb = load_workbook(io.BytesIO(scoresheet_bytes(r)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            lines += [
                f"{ws.title}!{c.coordinate}\t{c.value!r}\t{c.number_format}"
                for c in row
                if c.value is not None
            ]
    lines.append("# report tables")
    lines += [budget_part(r).html, sangong_part(r).html]
    categories = [c.name for c in r.unit.framework.target_categories]
    lines += [targets_part(r, category).html for category in categories]
    lines.append("# DataFrames")
    lines += [r.budget_table.to_csv(), r.sangong_table.to_csv(), r.targets_table.to_csv()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("params", UNITS, ids=snapshot_name)
def test_a_shipped_unit_shows_the_figures_it_showed_before(params):
    expected = (SNAPSHOTS / snapshot_name(params)).read_text(encoding="utf-8")
    assert snapshot_text(params) == expected


def test_every_shipped_unit_has_its_snapshot():
    assert sorted(p.name for p in SNAPSHOTS.glob("*.txt")) == sorted(map(snapshot_name, UNITS))


if __name__ == "__main__":  # regenerate: python -m tests.report.test_shipped_outputs
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    for params in UNITS:
        (SNAPSHOTS / snapshot_name(params)).write_text(snapshot_text(params), encoding="utf-8")
        print(f"wrote {SNAPSHOTS / snapshot_name(params)}", file=sys.stderr)
