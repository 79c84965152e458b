"""Turn `mutmut results --all true` (on stdin) into mutation/results.md: killed, survived and
timed-out mutants per module, and every survivor either explained in equivalent.txt (a mutant
that cannot change what a report says, with the reason) or listed as a gap in the tests.

Usage (what `make mutation` does):
    mutmut results --all true | python mutation/summarize.py DATE COMMIT
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE = re.compile(r"^\s*(selfeval_lib\.[\w.]+?)\.x[ǁ_](\S+)__mutmut_(\d+): (.+)$")
KILLED = {"killed", "caught by type check"}


def equivalents() -> dict[str, str]:
    """mutant name -> why it cannot change a report (mutation/equivalent.txt: 'name: reason')."""
    found = {}
    for line in (HERE / "equivalent.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition(":")
            found[name.strip()] = reason.strip()
    return found


def main(date: str, commit: str) -> int:
    counts: dict[str, Counter] = defaultdict(Counter)
    survivors: list[tuple[str, str]] = []
    for line in sys.stdin:
        match = LINE.match(line.rstrip("\n"))
        if not match:
            continue
        module, status = match.group(1), match.group(4)
        name = line.strip().rsplit(":", 1)[0]
        kind = "killed" if status in KILLED else status
        counts[module][kind] += 1
        if kind == "survived":
            survivors.append((module, name))
    if not counts:
        print("no mutmut results on stdin", file=sys.stderr)
        return 1
    known = equivalents()
    out = [
        "# Mutation testing results",
        "",
        f"`make mutation`, {date}, commit {commit}: mutmut over the modules that decide what a",
        "report says (pyproject.toml's [tool.mutmut]: the files; `# pragma: no mutate block` keeps",
        "their layout and running code out), each mutant run against the fast tests that reach",
        "its function. Killed: a test failed;",
        "survived: every test passed; timeout: the tests ran past mutmut's limit (counted as",
        "killed by mutmut, shown apart here). A survivor listed in equivalent.txt cannot change",
        "anything a report says (reason given) and counts as neither killed nor missed.",
        "",
        *_incomplete(counts),
        "| module | mutants | killed | timeout | survived | equivalent | killed % | of all % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = Counter()
    for module in sorted(counts):
        c = counts[module]
        equiv = sum(1 for m, n in survivors if m == module and n in known)
        row = Counter(c)
        row["equivalent"] = equiv
        total.update(row)
        out.append(_row(module.removeprefix("selfeval_lib."), row))
    out.append(_row("**all**", total))
    out += [
        "",
        "killed %: (killed + timeout) / (mutants − equivalent); of all %: (killed + timeout) /",
        "mutants, counting every equivalent survivor as missed.",
        "",
    ]
    gaps = [n for _, n in survivors if n not in known]
    out += ["## Equivalent survivors", ""]
    out += [f"- `{n}`: {known[n]}" for _, n in survivors if n in known] or ["none"]
    out += ["", "## Survivors no test kills yet", ""]
    out += [f"- `{n}`" for n in gaps] or ["none"]
    other = {k for c in counts.values() for k in c} - {"killed", "survived", "timeout"}
    if other:
        out += ["", "## Other outcomes", ""]
        out += [f"- {k}: {sum(c[k] for c in counts.values())}" for k in sorted(other)]
    (HERE / "results.md").write_text("\n".join(out) + "\n", encoding="utf-8")
    first = out.index(next(line for line in out if line.startswith("| module")))
    print("\n".join(out[first : first + 3 + len(counts)]))  # the table
    return 0


def _incomplete(counts: dict[str, Counter]) -> list[str]:
    """A line saying the run is not finished, when mutmut has not checked every mutant (a stopped
    run; `make mutation` again resumes it): those count as not killed."""
    open_ = sum(c["not checked"] for c in counts.values())
    if not open_:
        return []
    total = sum(sum(c.values()) for c in counts.values())
    return [
        f"**Incomplete run:** {open_} of {total} mutants not checked yet (counted as not "
        "killed below).",
        "",
    ]


def _row(name: str, c: Counter) -> str:
    mutants = sum(v for k, v in c.items() if k != "equivalent")
    scored = mutants - c["equivalent"]
    caught = c["killed"] + c["timeout"]
    pct = f"{100 * caught / scored:.1f}" if scored else "–"
    raw = f"{100 * caught / mutants:.1f}" if mutants else "–"
    survived = c["survived"] - c["equivalent"]
    return (
        f"| {name} | {mutants} | {c['killed']} | {c['timeout']} | {survived} | {c['equivalent']} "
        f"| {pct} | {raw} |"
    )


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:3] + ["", ""])[:2]))
