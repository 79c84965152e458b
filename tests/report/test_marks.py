"""Marks follow the figures: every number a reader sees that is computed from an illustrative
(※ 示例数据) input carries ※.

The check does not trust the code's own idea of what depends on what: it changes every marked
input of a unit, builds the report again, and every number of the visible text that changed must
be marked in the original report. It runs on the shipped example and on the complete fixture,
whose many ※ inputs reach totals, rates, completions, scores, the grade and warnings."""

from __future__ import annotations

import csv
import difflib
import html
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import selfeval_lib as sel

from ..conftest import COMPLETE_DATA, EXAMPLE_DATA, EXAMPLE_PARAMS

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def report_text(params: Path) -> str:
    """The report's visible text, as the notebook lays it out (charts by caption)."""
    r = sel.load_report(params)
    parts = [
        sel.show_cover(r),
        sel.show_profile(r),
        sel.show_team(r),
        sel.show_submission(r),
        sel.show_publication(r),
        sel.show_result(r),
        sel.show_chart(r, "scores"),
        sel.show_indicators(r),
        sel.show_warnings(r),
    ]
    page = "".join(p.data for p in parts)
    page = re.sub(r'src="data:image/png;base64,[^"]*"', "", page)
    page = page.replace('<sup class="mark" title="示例数据">※</sup>', "※")
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _bump(value: str, column: str) -> str:
    if value.strip() in ("", "未填报"):
        return value
    number = Decimal(value)
    if column == "自评得分":
        return str(number - 1 if number >= 1 else number + 1)
    return str((number * Decimal("1.1") + Decimal("0.37")).quantize(Decimal("0.01")))


def perturb(folder: Path) -> None:
    """Change every illustrative input of a data folder (the cells its 示例数据 columns name, the
    keys unit.yaml lists as illustrative)."""
    for path in folder.glob("*.csv"):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        if not rows:
            continue
        for row in rows:
            for column in re.split(r"[;；,，、]", row.get("示例数据") or ""):
                if column.strip():
                    row[column.strip()] = _bump(row[column.strip()], column.strip())
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    unit = folder / "unit.yaml"
    data = yaml.safe_load(unit.read_text(encoding="utf-8"))
    for key in data.get("illustrative") or []:
        *parents, leaf = key.split(".")
        node = data
        for p in parents:
            node = node[p]
        node[leaf] = float(_bump(str(node[leaf]), ""))
    unit.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def unmarked_changes(before: str, after: str) -> list[str]:
    """Numbers of `before` that differ in `after` and are not followed by ※ (after at most a
    unit such as 万元, %, 分, 人 or 项)."""
    split = re.compile(r"(\d[\d,]*(?:\.\d+)?)")
    a, b = split.split(before), split.split(after)
    found = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        for i in range(i1, i2):
            if not NUMBER.fullmatch(a[i]):
                continue
            tail = a[i + 1] if i + 1 < len(a) else ""
            if not re.match(r"\s*(万元|%|分|人|项|个百分点|个|条)?\s*※", tail):
                context = "".join(a[max(0, i - 4) : i + 2])[-80:]
                found.append(f"{a[i]!r} in …{context}…")
    return found


@pytest.mark.parametrize("data", [EXAMPLE_DATA, COMPLETE_DATA], ids=["example", "complete"])
def test_every_number_computed_from_an_illustrative_input_is_marked(tmp_path, data):
    before_params, after_params = [], []
    for name, target in (("before", before_params), ("after", after_params)):
        root = tmp_path / name
        shutil.copytree(data, root / "data" / "2024" / "qianshan")
        (root / "params").mkdir()
        shutil.copy(EXAMPLE_PARAMS, root / "params")
        target.append(root / "params" / EXAMPLE_PARAMS.name)
    perturb(after_params[0].parent.parent / "data" / "2024" / "qianshan")
    before, after = report_text(before_params[0]), report_text(after_params[0])
    assert before != after  # the perturbation reached the report
    assert unmarked_changes(before, after) == []


def test_the_check_finds_an_unmarked_figure():
    before = "合计 4,798.19 万元，支出率 93% ※；"
    after = "合计 5,100.00 万元，支出率 88% ※；"
    assert unmarked_changes(before, after) == ["'4,798.19' in …合计 4,798.19 万元，支出率 …"]
