"""Run one unit's report notebook with papermill and write its outputs atomically."""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RunError, SelfEvalError
from ..fmt import ILLUSTRATIVE_MARK
from ..inputs.params import Params, load_params
from ..inputs.unit import UnitData, load_unit
from . import DEFAULT_NOTEBOOK, DEFAULT_TIMEOUT
from .commit import DIAGNOSTIC, commit_outputs, write_diagnostic

if TYPE_CHECKING:
    import nbformat

# papermill, nbconvert and openpyxl are imported where a report is built, not here: `selfeval
# validate` imports this module (through the batch) and needs none of them.


@dataclass
class UnitResult:
    params_path: str
    unit_id: str = ""
    year: int | None = None
    status: str = "pending"  # ok | invalid | failed
    seconds: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)
    error: str = ""
    grade: str = ""
    total: float | None = None
    inputs: dict[str, str] = field(default_factory=dict)  # input file -> sha256
    output_hashes: dict[str, str] = field(default_factory=dict)  # output kind -> sha256, if ok
    illustrative: bool = False  # the total and grade rest on illustrative (※) values

    @property
    def mark(self) -> str:
        return ILLUSTRATIVE_MARK if self.illustrative else ""


def output_paths(out_dir: Path, year: int, unit_id: str) -> dict[str, Path]:
    base = Path(out_dir) / str(year)
    return {
        "ipynb": base / f"{unit_id}.ipynb",
        "html": base / f"{unit_id}.html",
        "docx": base / f"{unit_id}.docx",  # the same report as an editable Word document
        "scores": base / f"{unit_id}.scores.json",
        "xlsx": base / f"{unit_id}.xlsx",  # 评分表 and 数据表
        "form_xlsx": base / f"{unit_id}.自评表.xlsx",  # the one-page 部门整体支出绩效自评表
        "form_docx": base / f"{unit_id}.自评表.docx",  # (report/form.py FORM_FILE links to it)
        "pdf": base / f"{unit_id}.pdf",  # `run --pdf`: made from the HTML after the batch
        "failed": base / f"{unit_id}.failed.ipynb",  # a failed run's notebook, for diagnosis
    }


@dataclass
class Built:
    """What executing one unit produced, as bytes: where it is written is the caller's business
    (the local runner writes it; a Dask task sends it back to the client)."""

    files: dict[
        str, bytes
    ]  # ipynb, html, scores on success; failed (the partial notebook) otherwise
    error: str = ""
    grade: str = ""
    total: float | None = None
    illustrative: bool = False


_IMPORTING = threading.Lock()


def import_papermill():
    """papermill, with the selfeval engine known to it, and without the IRI grammar jsonschema
    would compile as it is imported (0.85 s, when rfc3987-syntax is installed, as jupyterlab
    installs it): nbformat validates notebooks without checking formats, so nothing here uses it.
    Other programs in the same environment are unaffected; in this process, jsonschema's "iri"
    format checker is left out."""
    with _IMPORTING:  # Dask runs tasks on threads
        if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
            sys.modules["rfc3987_syntax"] = None  # importing it fails: jsonschema skips the checker
            try:
                import jsonschema  # noqa: F401
            finally:
                del sys.modules["rfc3987_syntax"]  # whoever asks later gets the real module
    import papermill

    from .engine import register

    register()
    return papermill


def execute_report(
    params_path: Path,
    notebook: Path,
    output: Path,
    timeout: int,
    parameters: dict | None = None,
    spare: bool = False,
) -> nbformat.NotebookNode:
    """papermill runs the template notebook for one params file in a fresh kernel (engine.py).

    The kernel talks over IPC sockets in a private temporary folder rather than TCP on
    localhost: nothing else on the machine can connect, and no two units share a socket.
    `spare`: more units follow, so start the next one's kernel while this one runs.
    """
    pm = import_papermill()
    output.parent.mkdir(parents=True, exist_ok=True)
    return pm.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters or {"params_path": str(params_path)},
        engine_name="selfeval",
        kernel_name="python3",
        kernel_cwd=str(notebook.parent),  # not papermill's cwd=: that changes the whole process's
        progress_bar=False,
        log_output=False,
        execution_timeout=timeout,
        # papermill saves the whole notebook at every cell by default (~0.3 s a unit); it still
        # saves once at the end, failure or not, which is what diagnosis needs.
        request_save_on_cell_execute=False,
        # no IPython history database: parallel kernels would contend for one SQLite file;
        # a quiet kernel log (errors in cells are in the notebook, not on the kernel's stderr)
        extra_arguments=["--HistoryManager.enabled=False", "--IPKernelApp.log_level=CRITICAL"],
        spare=spare,
        unit_timeout=timeout,  # the whole notebook, not only each cell: see engine.py
    )


def build_unit(
    params: Params,
    notebook: Path,
    timeout: int,
    spare: bool = False,
    slot: AbstractContextManager | None = None,
) -> Built:
    """Execute and export one validated unit; every working file lives in a private temp folder.
    `slot`: held while the kernel runs the notebook (a batch's --jobs), not while exporting."""
    from ..report.docx_export import export_docx
    from ..report.export import export_html, extract_forms, extract_scores, extract_workbook

    pm = import_papermill()
    with tempfile.TemporaryDirectory(prefix=f"selfeval-{params.unit_id}-") as scratch:
        running = Path(scratch) / "running.ipynb"  # papermill saves the notebook here
        try:
            try:
                with slot or nullcontext():
                    began = time.monotonic()  # the unit's clock: not while waiting for a slot
                    nb = execute_report(params.path, notebook, running, timeout, spare=spare)
            except pm.PapermillExecutionError as exc:
                raise RunError(
                    f"{params.path}: 笔记本执行出错 / a notebook cell failed: "
                    f"{exc.ename}: {exc.evalue}{_why(exc.ename)}"
                ) from None
            # Every file comes from the kernel's one computation: the notebook's outputs (HTML,
            # Word) and its result output (scores record, workbook). Nothing is recomputed here.
            scores = extract_scores(nb)
            files = {
                "ipynb": running.read_bytes(),  # what papermill just wrote: nbformat.writes(nb)
                "docx": export_docx(nb),  # before the HTML, which takes hidden cells out of nb
                "scores": (json.dumps(scores, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
                "xlsx": extract_workbook(nb),
                **extract_forms(nb),
                # last: the exporter removes hidden cells from `nb` itself (no copy needed)
                "html": export_html(nb, scores["title"], copy=False).encode("utf-8"),
            }
            if time.monotonic() - began > timeout:  # --timeout bounds the exports too
                raise RunError(
                    f"超过单位时限 {timeout} 秒（含导出）/ the unit ran past its time limit of "
                    f"{timeout} s (--timeout), exports included"
                )
        except Exception as exc:  # noqa: BLE001 - one unit's failure is reported, never raised
            error = str(exc) if isinstance(exc, SelfEvalError) else f"{type(exc).__name__}: {exc}"
            error += "" if isinstance(exc, SelfEvalError) else _why(type(exc).__name__)
            partial = {"failed": running.read_bytes()} if running.exists() else {}
            return Built(partial, error=error)
    return Built(
        files,
        grade=scores["grade"],
        total=scores["total"],
        illustrative=bool(scores.get("illustrative")),
    )


def _why(error_name: str) -> str:
    """What a kernel's death or a MemoryError means for the clerk, in both languages."""
    if error_name == "MemoryError":
        from ..inputs.limits import limits

        try:
            mb = limits().kernel_mb
        except SelfEvalError:  # a bad setting: reported where it is read
            mb = 0
        return (
            f"\n单位内核的内存超过上限 {mb:g} MB（SELFEVAL_MAX_KERNEL_MB），该单位未生成；请检查数据"
            f"是否异常庞大，或调高该设置 / the unit's kernel needed more memory than its cap of "
            f"{mb:g} MB (SELFEVAL_MAX_KERNEL_MB): check the unit's data for something huge, or "
            "raise the setting"
        )
    if error_name == "DeadKernelError":
        return (
            "\n单位的内核进程意外终止（被结束、崩溃或内存耗尽），该单位未生成，上次成功的报告保留 / "
            "the unit's kernel process died (killed, crashed or out of memory): the unit was not "
            "made; its last good report is kept"
        )
    return ""


def write_outputs(built: Built, out_dir: Path, result: UnitResult) -> None:
    """Put what a unit produced in place as one set (commit.py), or, for a failed run, only
    the notebook as far as it ran beside the last good outputs, which stay untouched. Records
    on `result` the files written, their hashes, the status and the error (the run's, or the
    writing's: a full disk fails this unit, not the batch)."""
    paths = output_paths(out_dir, result.year, result.unit_id)
    result.error, result.outputs, result.output_hashes = built.error, {}, {}
    if not built.error:
        try:
            result.output_hashes = commit_outputs(built.files, paths)
            result.outputs = {kind: str(paths[kind]) for kind in result.output_hashes}
        except RunError as exc:
            result.error = str(exc)
    elif DIAGNOSTIC in built.files:
        result.error += write_diagnostic(built.files[DIAGNOSTIC], paths[DIAGNOSTIC])
        if paths[DIAGNOSTIC].is_file():
            result.outputs = {DIAGNOSTIC: str(paths[DIAGNOSTIC])}
    result.status = "failed" if result.error else "ok"


def run_unit(
    params_path: str | Path,
    out_dir: str | Path = "reports",
    notebook: str | Path = DEFAULT_NOTEBOOK,
    timeout: int = DEFAULT_TIMEOUT,
    unit: UnitData | None = None,
    spare: bool = False,
    cancelled: threading.Event | None = None,
    slot: AbstractContextManager | None = None,
) -> UnitResult:
    """Validate, execute and export one unit; on failure keep the last good report untouched.
    `unit`: the unit as the batch already validated it (not read twice). `cancelled`: once set
    (Ctrl-C), the unit writes nothing and says it was interrupted. `spare`, `slot`: see
    execute_report and build_unit."""
    started = time.monotonic()
    result = UnitResult(str(params_path))
    try:
        params = unit.params if unit is not None else load_params(params_path)
        result.unit_id, result.year = params.unit_id, params.year
        unit = unit or load_unit(params)  # every data problem is reported before a kernel starts
    except SelfEvalError as exc:
        result.status, result.error = "invalid", str(exc)
        return result
    result.inputs = dict(unit.input_hashes)
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        result.status = "failed"
        result.error = f"{notebook}: 找不到报告笔记本 / report notebook not found"
        return result
    built = build_unit(params, notebook, timeout, spare, slot)
    if cancelled is not None and cancelled.is_set():
        result.status, result.error = "interrupted", "批处理被中断 / the batch was interrupted"
        return result
    write_outputs(built, Path(out_dir), result)
    result.grade, result.total = built.grade, built.total
    result.illustrative = built.illustrative
    result.seconds = time.monotonic() - started
    return result
