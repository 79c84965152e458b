"""CI runs everything: a test that would skip for want of a tool or file fails there instead."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT, skip_unless_required


def test_every_required_flag_the_tests_know_is_set_by_ci():
    named = set()
    for path in (ROOT / "tests").rglob("*.py"):
        if path.name == "test_ci.py":  # its own flag below is a made-up one
            continue
        named |= set(re.findall(r"SELFEVAL_REQUIRE_[A-Z]+", path.read_text(encoding="utf-8")))
    exported = re.findall(r"^export (.+)$", (ROOT / ".ci/run").read_text(encoding="utf-8"), re.M)
    set_by_ci = {a.split("=")[0] for line in exported for a in line.split() if "=1" in a}
    assert named >= {
        "SELFEVAL_REQUIRE_BROWSER",
        "SELFEVAL_REQUIRE_LIBREOFFICE",
        "SELFEVAL_REQUIRE_DASK",
    }
    assert named <= set_by_ci


def test_a_missing_tool_skips_here_and_fails_where_it_is_required(monkeypatch):
    monkeypatch.delenv("SELFEVAL_REQUIRE_X", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no x here"):
        skip_unless_required("SELFEVAL_REQUIRE_X", "no x here")
    monkeypatch.setenv("SELFEVAL_REQUIRE_X", "1")
    with pytest.raises(pytest.fail.Exception, match=r"no x here \(SELFEVAL_REQUIRE_X is set"):
        skip_unless_required("SELFEVAL_REQUIRE_X", "no x here")


def test_every_skip_in_the_tests_goes_through_a_required_flag():
    """A bare pytest.skip / importorskip would skip silently in CI too."""
    bare = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"pytest\.(skip|importorskip)\(", line):
                bare.append(f"{path.name}:{n}")
    guarded = {"test_browser.py", "test_workbook.py", "test_ci.py"}  # each behind its flag
    assert [b for b in bare if b.split(":")[0] not in guarded] == []


def test_the_committed_mutation_results_meet_the_bar():
    """mutation/results.md, written by `make mutation`: at least 90 % of the mutants of the rules,
    scoring and indicators killed, 95 % over every module mutated, every equivalent counted as
    missed (README, Tests)."""
    text = (ROOT / "mutation/results.md").read_text(encoding="utf-8")
    assert "Incomplete run" not in text, "a finished run: every mutant checked"
    rows = re.findall(
        r"^\| (\S+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \|$",
        text,
        re.M,
    )
    # "of all %": every equivalent survivor counted as missed, the stricter reading
    killed = {name: float(of_all) for name, *_, of_all in rows}
    assert {"frameworks.rules", "evaluate.scoring", "evaluate.indicators", "**all**"} <= set(killed)
    for module in ("frameworks.rules", "evaluate.scoring", "evaluate.indicators"):
        assert killed[module] >= 90, module
    assert killed["**all**"] >= 95
    unexplained = text.split("## Survivors no test kills yet")[1].split("##")[0].split()
    assert unexplained == ["none"], "every survivor is killed or explained"
    equivalent = (ROOT / "mutation/equivalent.txt").read_text(encoding="utf-8")
    reasons = [
        line.partition(":")[2].strip()
        for line in equivalent.splitlines()
        if line[:1] not in ("#", "")
    ]
    assert all(reasons), "every equivalent mutant has its reason"


def test_under_mutmut_a_mutants_run_leaves_out_the_same_bytes_tests():
    """`make mutation` leaves out of a mutant's run the tests that compare two ways of one
    computation (conftest.NOT_UNDER_MUTMUT); any other run keeps them."""
    import os
    import subprocess
    import sys

    fmt, same_bytes = "tests/test_fmt.py", "tests/report/test_same_bytes.py"

    def collected(mutant: str) -> set[str]:
        out = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
             fmt, same_bytes],
            cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "MUTANT_UNDER_TEST": mutant},
        ).stdout  # fmt: skip
        return {line.split("::")[0] for line in out.splitlines() if "::" in line}

    assert collected("selfeval_lib.values.x_fig__mutmut_1") == {fmt}
    assert collected("") == {fmt, same_bytes}
