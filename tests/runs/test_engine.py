"""The selfeval papermill engine: kernels started ahead and stopped at once, still one fresh kernel
per unit; the command line starts without the notebook machinery."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import psutil
import pytest

from selfeval_lib.runs import DEFAULT_NOTEBOOK
from selfeval_lib.runs.batch import expand_paths, run_batch
from selfeval_lib.runs.runner import execute_report
from selfeval_lib.runs.zygote import Zygote

from .test_batch import make_project

pytestmark = pytest.mark.notebook

# Appended to the report notebook: what each unit's kernel saw of the ones before it.
PROBE = """import os
print(json.dumps({"pid": os.getpid(), "leftover": "earlier_unit" in globals()}))
earlier_unit = params_path"""


def probed_project(root, unit_ids):
    make_project(root, unit_ids)
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import json\n" + PROBE))
    nbformat.write(nb, root / "probe.ipynb")
    return root


def probes(out, unit_ids) -> list[dict]:
    seen = []
    for unit_id in unit_ids:
        nb = nbformat.read(out / "2024" / f"{unit_id}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        seen.append(json.loads(text))
    return seen


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_unit_has_a_kernel_of_its_own_and_none_is_left_behind(tmp_path, jobs):
    units = [f"u{n}_2024" for n in range(5)]
    root = probed_project(tmp_path, units)
    results = run_batch(
        expand_paths([str(root / "params")]),
        root / "reports",
        root / "probe.ipynb",
        jobs=jobs,
        log=lambda _: None,
        overview=False,
    )
    assert [r.status for r in results] == ["ok"] * 5
    seen = probes(root / "reports", units)
    assert len({s["pid"] for s in seen}) == 5  # five kernel processes, spares included
    assert not any(s["leftover"] for s in seen)  # no unit sees another's namespace
    # every kernel, spares included, is gone when the batch ends
    kernels = psutil.Process(Zygote._process.pid).children()
    assert [k for k in kernels if k.status() != psutil.STATUS_ZOMBIE] == []


@pytest.mark.parametrize("first", ["papermill", "selfeval_lib.runs.engine"])
def test_papermill_finds_the_selfeval_engine_through_its_entry_point(first):
    probe = (
        f"import {first}\n"
        "from papermill.engines import papermill_engines\n"
        "print(papermill_engines.get_engine('selfeval').__module__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "selfeval_lib.runs.engine"


def test_the_command_line_starts_without_the_notebook_machinery():
    """`selfeval --help` and `selfeval validate` import neither papermill, nbformat (and the
    JSON-schema grammar it pulls in), nbconvert, IPython nor matplotlib."""
    probe = (
        "import sys\n"
        "from selfeval_lib.cli import main\n"
        "main(['validate', 'params/'])\n"
        "heavy = ('papermill', 'nbformat', 'nbconvert', 'jsonschema', 'IPython', 'matplotlib')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    from ..conftest import ROOT

    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "数据有效 / valid" in out
    assert out.strip().splitlines()[-1] == "[]"


def test_selfeval_run_starts_the_kernels_zygote_before_it_imports_the_library(tmp_path):
    """The zygote's imports (1.8 CPU-s) and the command's own (pydantic and the models, then
    papermill: 1.5 CPU-s) are the start of every run: `selfeval run` starts the zygote as soon as
    it has read its arguments, so that the two import at once, on two cores."""
    probe = (
        "import sys\n"
        "from selfeval_lib.runs import zygote\n"
        "def started():\n"
        "    library = ('pydantic', 'jupyter_client', 'selfeval_lib.inputs.unit', 'papermill')\n"
        "    print(sorted(m for m in library if m in sys.modules))\n"
        "    raise SystemExit(0)\n"
        "zygote.start_zygote = started\n"
        "from selfeval_lib.cli import main\n"
        f"main(['run', 'params/qianshan_2024.yaml', '--out', {str(tmp_path)!r}])\n"
    )
    from ..conftest import ROOT

    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_papermill_in_a_run_skips_only_the_iri_grammar():
    """papermill and nbformat work as ever; jsonschema merely lacks its "iri" format checker."""
    probe = (
        "import sys\n"
        "from selfeval_lib.runs.runner import import_papermill\n"
        "import_papermill()\n"
        "import nbformat, jsonschema\n"
        "nb = nbformat.v4.new_notebook()\n"
        "nbformat.validate(nb)\n"
        "print('rfc3987_syntax' in sys.modules, 'iri' in jsonschema.FormatChecker.checkers)\n"
        "import rfc3987_syntax\n"
        "print(rfc3987_syntax.is_valid_syntax('iri', 'https://example.org/'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False", "True"]


def test_the_threads_that_drive_kernels_leave_the_iri_grammar_uncompiled():
    """kernel_threads readies papermill and the HTML exporter (nbconvert, nbformat, jsonschema)
    for a run without compiling the IRI grammar: 0.85 CPU-s at the start of every run, when the
    first kernels are starting beside it (it was compiled for a while when the exporter was
    imported first)."""
    probe = (
        "import sys\n"
        "from selfeval_lib.runs.batch import kernel_threads\n"
        "with kernel_threads(1, 'probe'):\n"
        "    pass\n"
        "print('nbconvert' in sys.modules, 'rfc3987_syntax' in sys.modules)\n"
        "import rfc3987_syntax\n"  # installed here (jupyterlab needs it): the check means something
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "False"]


def test_a_run_leaves_the_iri_grammar_uncompiled(tmp_path):
    """The same for a whole run, with all it readies before its first unit (the Word writer
    imports nbformat: readied before papermill, it compiled the grammar, 2 s on the run's
    critical path while the first kernels waited)."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from selfeval_lib.runs.batch import run_batch\n"
        f"results = run_batch([Path('params/qianshan_2024.yaml')], Path({str(tmp_path)!r}), "
        "overview=False, log=lambda line: None)\n"
        "print(results[0].status, 'rfc3987_syntax' in sys.modules)\n"
    )
    from ..conftest import ROOT

    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["ok", "False"]


def test_jobs_bounds_the_notebooks_running_at_once(tmp_path):
    """--jobs 1: one notebook runs at a time (the next unit's kernel may start, and the previous
    unit may be exported meanwhile, but no two units' cells overlap)."""
    from datetime import datetime

    units = ["a_2024", "b_2024", "c_2024"]
    root = make_project(tmp_path, units)
    results = run_batch(
        expand_paths([str(root / "params")]),
        root / "reports",
        jobs=1,
        log=lambda _: None,
        overview=False,
    )
    assert [r.status for r in results] == ["ok"] * 3
    spans = []
    for unit_id in units:
        nb = nbformat.read(root / "reports/2024" / f"{unit_id}.ipynb", as_version=4)
        cells = [c.metadata.papermill for c in nb.cells if c.metadata.papermill.get("start_time")]
        start = datetime.fromisoformat(cells[0]["start_time"])
        end = datetime.fromisoformat(cells[-1]["end_time"])
        spans.append((start, end))
    spans.sort()
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:], strict=False))


def test_a_forked_kernel_imports_no_module_of_its_own_as_it_starts_and_runs_a_report(tmp_path):
    """A module a unit's kernel imports after the fork is imported again for every unit (python-
    docx, and with it nbformat and jsonschema's IRI grammar, cost 2 CPU-s a unit; IPython's
    inspector and debugger, as every kernel starts, a tenth of its start): a kernel forked from
    the zygote starts and runs the report notebook's cells importing nothing the zygote had not."""
    from ..conftest import COMPLETE_PARAMS

    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    probe = "import json, sys\nfrom selfeval_lib.runs import zygote\n"
    probe += "print(json.dumps(sorted(set(sys.modules) - zygote.WARMED)))"
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    nbformat.write(nb, tmp_path / "probe.ipynb")
    executed = execute_report(
        COMPLETE_PARAMS, tmp_path / "probe.ipynb", tmp_path / "out.ipynb", 120
    )
    printed = "".join(o.get("text", "") for o in executed.cells[-1].outputs)
    assert json.loads(printed) == []


def test_a_forked_kernel_writes_the_report_a_plain_kernel_writes(tmp_path):
    """The zygote imports ahead and makes a report's blank chart figures ahead (each kernel draws
    on its copies): the outputs must be those of an ordinary ipykernel, byte for byte."""
    from ..conftest import COMPLETE_PARAMS, ROOT

    def run(out, fork: str) -> dict[str, bytes]:
        env = {**os.environ, "SELFEVAL_FORK_KERNELS": fork}
        command = [sys.executable, "-m", "selfeval_lib.cli", "run", str(COMPLETE_PARAMS)]
        command += ["--out", str(out), "--no-overview", "--force"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        names = ("html", "docx", "xlsx", "scores.json")
        return {n: (out / "2024" / f"qianshan_2024.{n}").read_bytes() for n in names}

    forked, plain = run(tmp_path / "forked", "1"), run(tmp_path / "plain", "0")
    assert forked.keys() == plain.keys()
    for kind in forked:
        assert forked[kind] == plain[kind], f"the {kind} differs between the kernels"
    assert forked["html"].count(b"data:image/png;base64,") == 5  # every chart drawn
