"""Batches: plan (validate all, refuse duplicates, skip unchanged), execute in parallel, manifest."""

from __future__ import annotations

import glob
import hashlib
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .._version import __version__
from ..errors import BatchStopped, SelfEvalError, UsageError, excerpt, shown_path
from ..fileio import PACKAGE_DIR, write_atomic
from ..inputs.params import claim_unit_year, load_params
from ..inputs.unit import UnitData, load_unit
from . import DEFAULT_NOTEBOOK, DEFAULT_TIMEOUT, DEFAULT_WORKER_WAIT, OVERVIEW_NOTEBOOK
from .cluster import execute_dask
from .commit import outputs_intact
from .manifest import mark_running, read_manifest, update_manifest, write_manifests
from .notebooks import notebook_fingerprint
from .runner import UnitResult, execute_report, output_paths
from .zygote import Zygote, start_zygote


def _sha(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def tool_fingerprint(notebook: Path) -> str:
    """What, besides a unit's inputs, decides its report: the notebook and selfeval itself (its
    code, frameworks and template, so a fix to a scoring rule re-runs every unit)."""
    package = PACKAGE_DIR
    code = sorted(
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix in (".py", ".yaml", ".j2", ".css", ".js", ".json")
    )
    cells = notebook_fingerprint(notebook)  # sources and tags: a save in JupyterLab changes nothing
    return hashlib.sha256(f"{__version__}:{cells}:{_sha(code)}".encode()).hexdigest()


# pragma: no mutate block - from here on: planning and running kernels, outside `make mutation`'s
# scope (mutmut mutates the fingerprint above, which decides whether a unit is run again)
def expand_paths(items: Iterable[str]) -> list[Path]:
    """Params files, folders (their *.yaml) and globs, in a stable order without repeats."""
    items = list(items)
    found: list[Path] = []
    for item in items:
        path = Path(item)
        if any(ch in item for ch in "*?["):
            found += [Path(p) for p in sorted(glob.glob(item)) if p.endswith((".yaml", ".yml"))]
        elif path.is_dir():
            found += sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{path}: 文件或目录不存在 / no such params file or folder")
    if not found:
        raise UsageError(
            f"{' '.join(items)}: 没有找到参数文件(*.yaml) / no params files (*.yaml) found"
        )
    return list(dict.fromkeys(p.resolve() for p in found))


@dataclass
class Job:
    params_path: Path
    unit_id: str
    year: int
    fingerprint: str  # inputs + notebook + template + framework + selfeval code
    unit: UnitData | None = field(default=None, repr=False)  # as validated by the plan

    def failed(self, error: str) -> UnitResult:
        return UnitResult(str(self.params_path), self.unit_id, self.year, "failed", error=error)


class BatchResults(list):
    """The units' results, plus the years whose overview could not be built."""

    overview_failures: list[int]

    def __init__(self, *args):
        super().__init__(*args)
        self.overview_failures = []


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)  # to run
    skipped: list[UnitResult] = field(default_factory=list)  # unchanged since their last good run
    invalid: list[UnitResult] = field(default_factory=list)  # bad data, reported together


def plan_batch(
    paths: list[Path],
    out_dir: Path,
    notebook: Path = DEFAULT_NOTEBOOK,
    force: bool = False,
    log: Callable[[str], None] | None = None,
    keep_units: bool = True,
) -> Plan:
    """Validate every unit first; two params files for one unit-year are refused outright.
    `keep_units`: each job keeps its unit as validated, for the local executor to run it without
    reading it again (a Dask run sends the files instead: a province's units would hold 50 KB
    each in the client for nothing). A unit is unchanged when its inputs and the
    tool are as at its last good run and its outputs are as that run left them (run.json
    records their hashes: a set cut short, or edited, runs again). `log`: a damaged run.json."""
    plan, claimed = Plan(), {}
    tool = tool_fingerprint(notebook)
    manifests: dict[int, dict] = {}
    for path in paths:
        try:
            params = load_params(path)
        except SelfEvalError as exc:
            plan.invalid.append(UnitResult(str(path), status="invalid", error=str(exc)))
            continue
        claim_unit_year(claimed, path, params)
        try:
            unit = load_unit(params)
        except SelfEvalError as exc:
            plan.invalid.append(
                UnitResult(str(path), params.unit_id, params.year, "invalid", error=str(exc))
            )
            continue
        fingerprint = hashlib.sha256(f"{tool}:{unit.input_hashes}".encode()).hexdigest()
        if params.year not in manifests:
            manifests[params.year] = read_manifest(out_dir, params.year, log)
        previous = manifests[params.year]["units"].get(params.unit_id, {})
        outputs = output_paths(out_dir, params.year, params.unit_id)
        unchanged = (
            previous.get("last_ok_fingerprint") == fingerprint
            and all(outputs[k].is_file() for k in ("html", "ipynb", "scores"))
            and outputs_intact(previous.get("output_hashes", {}), outputs)
        )
        if unchanged and not force:
            plan.skipped.append(
                UnitResult(
                    str(path),
                    params.unit_id,
                    params.year,
                    "skipped",
                    outputs={k: str(outputs[k]) for k in ("ipynb", "html", "scores")},
                    grade=previous.get("grade", ""),
                    total=previous.get("total"),
                    illustrative=bool(previous.get("illustrative")),
                )
            )
        else:
            kept = unit if keep_units else None
            plan.jobs.append(Job(path, params.unit_id, params.year, fingerprint, kept))
    return plan


def execute_local(
    jobs: list[Job],
    out_dir: Path,
    notebook: Path,
    timeout: int,
    workers: int,
    on_result: Callable[[UnitResult], None],
) -> None:
    """Up to `workers` units' notebooks run at once, each in a kernel process of its own forked
    from one zygote (kernels.py: the imports are paid once per batch). The units are driven from
    threads of this process, one more than `workers`, so that while a unit's outputs are exported
    and written, the next unit's notebook already runs: driving a kernel is mostly waiting for it,
    and one process holds papermill, nbconvert and openpyxl once instead of once per worker.
    A unit's failure (a failing cell, a kernel that hangs past the timeout or dies) stays with
    that unit. Ctrl-C (or SIGTERM, SIGHUP) kills every kernel; units that had not finished write nothing
    and are reported as interrupted."""
    from concurrent.futures import as_completed

    from . import engine
    from .runner import run_unit

    workers = max(1, min(workers, len(jobs)))
    cancelled, lock, slots = threading.Event(), threading.Lock(), threading.Semaphore(workers)
    waiting = [len(jobs)]

    def run(job: Job) -> UnitResult:
        with lock:
            waiting[0] -= 1
            spare = waiting[0] > 0  # another unit will take the kernel started ahead
        try:
            return run_unit(
                job.params_path, out_dir, notebook, timeout, job.unit, spare, cancelled, slots
            )
        except Exception as exc:  # noqa: BLE001 - e.g. a full disk: this unit only
            return job.failed(f"{type(exc).__name__}: {exc}")

    try:
        with kernel_threads(min(workers + 1, len(jobs)), "selfeval-unit", cancelled.set) as pool:
            # python-docx and the styled blank while the zygote imports, not in the first unit
            # (after kernel_threads has imported papermill: see import_papermill)
            from ..report.docx_export import styled_blank

            styled_blank()
            for future in as_completed([pool.submit(run, job) for job in jobs]):
                on_result(future.result())
    finally:
        engine.discard_spares()


@contextmanager
def kernel_threads(threads: int, name: str, on_stop: Callable[[], object] = lambda: None):
    """Threads of this process that drive report kernels (units, overview pages), with papermill,
    the engine and the HTML exporter made ready before they need them. Ctrl-C (or SIGTERM,
    SIGHUP, or any error) calls `on_stop`, cancels what has not begun and kills every kernel at
    once: what was in progress fails and writes nothing."""
    from concurrent.futures import ThreadPoolExecutor

    from .runner import import_papermill

    import_papermill()  # first: importing the exporter (nbformat) would compile the IRI grammar
    from ..report.export import _exporter
    from . import engine

    _exporter()  # built once, before the threads need it
    engine.resume()
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
    try:
        yield pool
    except BaseException:
        on_stop()
        pool.shutdown(wait=False, cancel_futures=True)
        engine.stop_all()
        raise
    finally:
        pool.shutdown(wait=True)


class Stopped(KeyboardInterrupt):
    """SIGTERM (`kill`, a shutdown) or SIGHUP (the terminal or SSH session closed): the batch
    stops as on Ctrl-C, kernels killed, manifest written; str() says which, in both languages."""

    WHY = {
        "SIGTERM": ("被要求结束", "asked to stop"),
        "SIGHUP": ("终端或远程连接已关闭", "the terminal closed"),
    }

    def __str__(self) -> str:
        name = signal.Signals(self.args[0]).name
        zh, en = self.WHY.get(name, ("", ""))
        return f"收到信号 {name}（{zh}），批处理已停止 / received {name} ({en}): the batch stopped"


STOP_SIGNALS = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]


def _interrupt_on_signal(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise Stopped(signum)  # stop the batch as Ctrl-C does: kernels killed, manifest written


def run_batch(
    paths: list[Path],
    out_dir: Path,
    notebook: Path = DEFAULT_NOTEBOOK,
    timeout: int = DEFAULT_TIMEOUT,
    jobs: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    log: Callable[[str], None] = print,
    progress: bool | None = None,
    overview: bool = True,
    worker_wait: float = DEFAULT_WORKER_WAIT,
) -> list[UnitResult]:
    """Plan, execute and record a batch. Never raises for one unit's failure; Ctrl-C writes the
    manifest of what finished and re-raises. With `scheduler`, a cluster without any worker for
    `worker_wait` seconds stops the batch: logged once, the units not run recorded as
    interrupted."""
    from tqdm import tqdm

    out_dir, notebook = Path(out_dir), Path(notebook).resolve()
    check_out_dir(out_dir)
    log = console_safe(log)
    local = scheduler is None
    if local:  # the kernels' zygote imports while this process plans (`selfeval run` has
        start_zygote()  # started it already, as it read its arguments)
    plan = plan_batch(paths, out_dir, notebook, force, log, keep_units=local)
    if not (local and plan.jobs):
        Zygote.stop()  # no unit here needs a kernel
    results = BatchResults([*plan.invalid, *plan.skipped])
    for r in plan.invalid:
        log(f"✗ {r.params_path}: 数据无效 / invalid\n{r.error}")
    for r in plan.skipped:
        log(f"= {r.unit_id} {r.year}: 未变化，跳过 / unchanged, skipped")
    fingerprints = {str(j.params_path): j.fingerprint for j in plan.jobs}
    counts = {"ok": 0, "failed": 0, "skipped": len(plan.skipped), "invalid": len(plan.invalid)}
    bar = tqdm(
        total=len(paths),
        initial=len(results),
        unit="unit",
        file=sys.stderr,
        disable=(not sys.stderr.isatty()) if progress is None else not progress,
        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}]{postfix}",  # tqdm adds ", "
        dynamic_ncols=True,  # follows a resized terminal instead of wrapping
        postfix=_counts(counts),  # drawn with the bar's first frame, not one frame later
    )
    started = time.monotonic()

    def say(line: str) -> None:
        """A log line; while the bar is drawn it goes above the bar, never through it."""
        if bar.disable:
            log(line)
        else:
            console_safe(lambda text: bar.write(text, file=sys.stdout))(line)

    def on_result(r: UnitResult) -> None:
        results.append(r)
        counts[r.status] = counts.get(r.status, 0) + 1
        line = (
            f"✓ {r.unit_id} {r.year}: {r.grade}{r.mark} {r.total:.2f}分{r.mark} ({r.seconds:.1f}s) -> {r.outputs.get('html')}"
            if r.status == "ok"
            else f"✗ {r.unit_id or r.params_path} {r.year or ''}: {r.status}\n{r.error}"
        )
        if "failed" in r.outputs:
            line += (
                f"\n  诊断用笔记本 / notebook as far as it ran: {r.outputs['failed']}"
                "；上次成功的报告未被改动 / the last good report is kept"
            )
        say(line)
        bar.set_postfix_str(_counts(counts), refresh=False)  # count and bar move in one frame
        bar.update(1)

    interrupted = recorded = False
    overviews: dict[int, dict] = {}
    running: dict[int, list[str]] = {r.year: [] for r in results if r.year is not None}
    for j in plan.jobs:
        running.setdefault(j.year, []).append(j.unit_id)
    try:
        unfinished = mark_running(out_dir, running, say)
    except SelfEvalError:
        bar.close()
        raise
    previous = {}  # from here on, SIGTERM and SIGHUP stop the batch as Ctrl-C does
    if threading.current_thread() is threading.main_thread():
        for name in STOP_SIGNALS:
            number = getattr(signal, name)
            previous[number] = signal.signal(number, _interrupt_on_signal)
    for year, units in unfinished.items():
        say(
            f"! {year} 年上次运行未正常结束（被终止？），未完成的单位本次重新生成 / the previous run "
            f"of {year} did not finish (killed?): units it left unfinished run again"
            + (f": {', '.join(units)}" if units else "")
        )
    try:
        if plan.jobs and scheduler:
            execute_dask(
                plan.jobs, out_dir, notebook, timeout, scheduler, on_result, say, worker_wait
            )
        elif plan.jobs:
            execute_local(
                plan.jobs, out_dir, notebook, timeout, jobs or os.cpu_count() or 1, on_result
            )
        # the manifest first: the overview marks the units that failed in this very run
        write_manifests(out_dir, results, fingerprints, False)
        recorded = True
        for year in sorted({r.year for r in results if r.year is not None}) if overview else ():
            overviews[year] = update_overview(out_dir, year, timeout, force, say, jobs)
            update_manifest(out_dir, year, overview=overviews[year] or None)
            if overviews[year].get("status") == "failed":
                results.overview_failures.append(year)
        if overviews:
            update_years_page(out_dir, say)
    except BatchStopped as exc:  # e.g. no Dask worker left: said once, not once per unit
        interrupted = True
        say(f"✗ {exc}")
        _record_not_run(results, plan.jobs, str(exc))
    except SelfEvalError as exc:  # e.g. an unreachable scheduler: the units it held failed
        done = {r.params_path for r in results}
        results.extend(j.failed(str(exc)) for j in plan.jobs if str(j.params_path) not in done)
        raise
    except KeyboardInterrupt as exc:
        interrupted = True
        why = str(exc) if isinstance(exc, Stopped) else "批处理被中断 / the batch was interrupted"
        _record_not_run(results, plan.jobs, why)
        raise
    except Exception as exc:  # a bug: run.json says the batch stopped, never "finished"
        interrupted = True
        _record_not_run(
            results,
            plan.jobs,
            f"批处理出错停止 / the batch stopped on an error: {excerpt(exc, 200)}",
        )
        raise
    finally:
        bar.close()
        if not recorded:
            write_manifests(out_dir, results, fingerprints, interrupted, overviews)
        elif interrupted:  # stopped while building an overview: the units are recorded already
            for year in sorted({r.year for r in results if r.year is not None}):
                update_manifest(out_dir, year, state="interrupted", complete=False)
        for number, handler in previous.items():
            signal.signal(number, handler)
        log(f"用时 / elapsed {time.monotonic() - started:.1f}s")
    return results


def check_out_dir(out_dir: Path) -> None:
    """`--out` names a folder (made when missing), never a file."""
    for folder in (out_dir, *out_dir.parents):
        if folder.exists():
            if not folder.is_dir():
                raise UsageError(
                    f"{shown_path(folder)}: 是文件，不是文件夹；--out 应为输出文件夹 / is a file, not "
                    "a folder: --out names the folder reports are written to"
                )
            return


def console_safe(log: Callable[[str], None]) -> Callable[[str], None]:
    """`log`, never stopping a batch: a character the console cannot show (✓ on a GBK console)
    is replaced by ?, and a console gone away (SIGHUP, a closed pipe) loses the line, not the run."""

    def safe(line: str) -> None:
        try:
            log(line)
        except UnicodeEncodeError as exc:
            try:
                log(line.encode(exc.encoding, "replace").decode(exc.encoding))
            except (LookupError, UnicodeError, OSError):
                pass
        except OSError:
            pass

    return safe


def _record_not_run(results: list[UnitResult], jobs: list[Job], why: str) -> None:
    """The units a stopped batch did not finish: interrupted, so their last good reports stay."""
    done = {r.params_path for r in results}
    results.extend(
        UnitResult(str(j.params_path), j.unit_id, j.year, "interrupted", error=why)
        for j in jobs
        if str(j.params_path) not in done
    )


def _counts(counts: dict[str, int]) -> str:
    return f"ok {counts['ok']} · failed {counts['failed'] + counts['invalid']} · skipped {counts['skipped']}"


def update_overview(
    out_dir: Path,
    year: int,
    timeout: int,
    force: bool,
    log: Callable[[str], None],
    jobs: int | None = None,
) -> dict:
    """Rebuild reports/<year>/index.html and summary.xlsx when any unit's scores changed (up to
    `jobs` of its pages at once)."""
    from ..report.overview import STALE_STATUSES  # IPython, matplotlib: not for `--help`

    base = Path(out_dir) / str(year)
    scores = sorted(base.glob("*.scores.json"))
    if not scores:
        return {}
    manifest = read_manifest(out_dir, year)
    removed = sorted(  # units whose params file is gone leave the overview: that is a change
        unit
        for unit, entry in manifest.get("units", {}).items()
        if entry.get("params_file") and not Path(entry["params_file"]).exists()
    )
    failed = sorted(  # marked in the overview as failed in this run: that is a change too
        unit
        for unit, entry in manifest.get("units", {}).items()
        if entry.get("status") in STALE_STATUSES
    )
    # the earlier years' scores: the overview's 上年 and 历年 columns are read from them
    earlier = sorted(
        f
        for d in Path(out_dir).iterdir()
        if d.name.isdigit() and int(d.name) < year
        for f in d.glob("*.scores.json")
    )
    fingerprint = hashlib.sha256(
        f"{tool_fingerprint(OVERVIEW_NOTEBOOK)}:{_sha(scores)}:{removed}:{failed}"
        f"{':' + _sha(earlier) if earlier else ''}".encode()
    ).hexdigest()
    previous = manifest.get("overview") or {}
    if (
        not force
        and previous.get("fingerprint") == fingerprint
        and previous.get("status") == "ok"
        and (base / "index.html").is_file()
    ):
        log(f"= {year} 汇总未变化，跳过 / overview unchanged, skipped")
        return previous

    started = time.monotonic()
    try:
        outputs = run_overview(out_dir, year, timeout, jobs=jobs)
    except Exception as exc:  # noqa: BLE001 - reported in the log and the manifest
        log(f"✗ {year} 汇总 / overview: {type(exc).__name__}: {exc}")
        return {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    log(f"✓ {year} 汇总 / overview ({time.monotonic() - started:.1f}s) -> {outputs['html']}")
    return {"status": "ok", "fingerprint": fingerprint, "outputs": outputs, "units": len(scores)}


def update_years_page(out_dir: Path, log: Callable[[str], None]) -> None:
    """reports/years.html, each unit's grades over the years on file (where two or more are);
    no kernel: worked out after the overviews, written and logged only when its bytes change
    (the same bytes for the same files), so a run with nothing new leaves it and says nothing."""
    from ..report.years_page import YEARS_PAGE, years_page_html

    html, page = years_page_html(Path(out_dir)), Path(out_dir) / YEARS_PAGE
    if html is None:
        return
    data = html.encode("utf-8")
    if not page.is_file() or page.read_bytes() != data:
        write_atomic(page, data)
        log(f"✓ 历年等级 / grades over the years -> {page}")


def run_overview(
    out_dir: Path,
    year: int,
    timeout: int | None = None,
    notebook: Path | None = None,
    jobs: int | None = None,
) -> dict[str, str]:
    """The county overview of one year: reports/<year>/index.html and summary.xlsx; for a
    province, each county's page index-<县>.html too. The year's scores are read once, here: each
    page's notebook reads only the units it shows from a file made for it (load_overview
    `prepared`). Up to `jobs` pages run at once (default: the cores), each in a kernel of its own
    forked from the zygote as units' are, while summary.xlsx is written; the largest page first.
    Ctrl-C (or SIGTERM, SIGHUP) kills the pages' kernels, and nothing is written."""
    # imported here: report kernels import this module, and need none of papermill or nbconvert
    from ..report.export import export_html
    from ..report.overview import of_county, read_overview, write_prepared
    from ..report.overview_frame import export_summary_xlsx, overview_frame
    from ..report.overview_summary import county_page

    notebook, timeout = notebook or OVERVIEW_NOTEBOOK, timeout or DEFAULT_TIMEOUT
    base = Path(out_dir) / str(year)
    o = read_overview(base)
    # a province (units of several 县（区）): index.html over them all, and each county's own
    # (index-未填报.html: the units that name none, the notebook's county="未填报")
    counties = [of_county(o, c) for c in o.counties] if o.is_province else []
    pages = {"index.html": o} | {county_page(p.county): p for p in counties}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pages)))
    slots = threading.Semaphore(workers)  # kernels at once; the workbook's thread needs none
    with tempfile.TemporaryDirectory(prefix="selfeval-overview-") as scratch:

        def build(n: int, part) -> str:
            prepared = Path(scratch) / f"page{n}.pickle"
            write_prepared(part, prepared)
            with slots:
                nb = execute_report(
                    base,
                    notebook,
                    Path(scratch) / f"page{n}.ipynb",
                    timeout,
                    parameters={
                        "year_folder": str(base.resolve()),
                        "county": part.county,
                        "prepared": str(prepared),
                    },
                )
            return export_html(nb, f"{year}年度{part.county}部门整体支出绩效自评汇总", copy=False)

        with kernel_threads(workers + 1, "selfeval-overview") as pool:
            summary = pool.submit(lambda: export_summary_xlsx(overview_frame(o)))
            # index.html first: it shows every unit, so it takes longest
            futures = {
                name: pool.submit(build, n, part) for n, (name, part) in enumerate(pages.items())
            }
            html = {name: future.result() for name, future in futures.items()}
            xlsx = summary.result()
    write_atomic(base / "summary.xlsx", xlsx)
    for name, text in html.items():
        write_atomic(base / name, text.encode("utf-8"))
    return {"html": str(base / "index.html"), "xlsx": str(base / "summary.xlsx")}


# --- `selfeval run --pdf`: a PDF beside each HTML report the batch made or kept -----------------


def pdf_path(out_dir: Path, year: int, unit_id: str) -> Path:
    return output_paths(out_dir, year, unit_id)["pdf"]


def write_pdfs(
    results: Iterable[UnitResult], out_dir: Path, force: bool, log: Callable[[str], None]
) -> int:
    """Write <unit_id>.pdf, the filing edition made from the executed notebook as the Word file is,
    for every unit whose report is current (made now or unchanged) when the PDF is missing, older
    than its HTML, or `force`; returns how many failed."""
    failed = 0
    for r in results:
        if r.status not in ("ok", "skipped") or r.year is None:
            continue
        html = output_paths(Path(out_dir), r.year, r.unit_id)["html"]
        pdf = pdf_path(Path(out_dir), r.year, r.unit_id)
        if not html.is_file():
            continue
        if not force and pdf.is_file() and pdf.stat().st_mtime >= html.stat().st_mtime:
            continue
        try:
            import nbformat

            from ..report.pdf_export import (  # WeasyPrint, LibreOffice: only with --pdf
                NO_OFFICE,
                export_pdf,
                office_found,
                office_pdf_bytes,
            )

            notebook = output_paths(Path(out_dir), r.year, r.unit_id)["ipynb"]
            write_atomic(pdf, export_pdf(nbformat.read(notebook, as_version=4)))
            made = [pdf]
            form = output_paths(Path(out_dir), r.year, r.unit_id)["form_xlsx"]
            if form.is_file() and office_found():  # the 自评表 as LibreOffice prints it
                made.append(form.with_suffix(".pdf"))
                write_atomic(made[-1], office_pdf_bytes(form))
            elif form.is_file():
                log(f"! {r.unit_id} {r.year}: {NO_OFFICE}")
        except (SelfEvalError, OSError, ValueError) as exc:
            failed += 1
            log(f"✗ {r.unit_id} {r.year}: PDF 未生成 / no PDF: {exc}")
            continue
        log(f"✓ {r.unit_id} {r.year}: PDF -> {', '.join(map(str, made))}")
    return failed
