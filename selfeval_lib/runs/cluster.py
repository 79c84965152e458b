"""Run units on a dask.distributed cluster: tasks carry their inputs as bytes and return outputs
as bytes, which the client writes; workers need selfeval installed, not a shared disk."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .._version import __version__
from ..errors import ParamsError, UsageError, excerpt
from ..frameworks.model import FRAMEWORK_DIR, framework_path
from ..inputs.params import load_params
from .runner import Built, UnitResult, write_outputs


def pack_job(params_path: Path, notebook: Path) -> dict:
    """Everything a worker needs for one unit, as {relative path: bytes} under the project folder
    (the folder above params/), so provenance and HTML are the same as in a local run."""
    params = load_params(params_path)
    root = params.path.parent.parent
    files = {params.path.relative_to(root).as_posix(): params.path.read_bytes()}
    data = params.data_dir
    sources = [p for p in sorted(data.iterdir()) if p.is_file()] if data.is_dir() else [data]
    framework = framework_path(params.framework, params.path.parent)
    if not framework.is_relative_to(FRAMEWORK_DIR):  # a county's own framework travels too
        sources.append(framework)
    for source in sources:
        if not source.resolve().is_relative_to(root.resolve()):
            raise ParamsError(
                f"{params.path}: {source} 不在项目目录 {root} 内，无法发送到集群 / is outside the project "
                f"folder {root}, so it cannot be sent to the cluster; move it under {root}"
            )
        files[source.resolve().relative_to(root.resolve()).as_posix()] = source.read_bytes()
    return {
        "selfeval_version": __version__,
        "params": params.path.relative_to(root).as_posix(),
        "files": files,
        "notebook": notebook.read_bytes(),
        "unit_id": params.unit_id,
        "year": params.year,
    }


def run_packed(payload: dict, timeout: int) -> dict:
    """On a worker: rebuild the project in a temporary folder, build the unit, return bytes."""
    from ..inputs.unit import load_unit
    from .runner import build_unit

    started = time.monotonic()
    if payload["selfeval_version"] != __version__:
        return {
            "error": f"工作节点 selfeval 版本 {__version__} 与客户端 {payload['selfeval_version']} 不同 / "
            "the worker runs another selfeval version; install the same version on every worker"
        }
    with tempfile.TemporaryDirectory(prefix="selfeval-task-") as scratch:
        root = Path(scratch)
        for relative, content in payload["files"].items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(content)
        notebook = root / "notebooks" / "selfeval_report.ipynb"
        notebook.parent.mkdir(parents=True, exist_ok=True)
        notebook.write_bytes(payload["notebook"])
        unit = load_unit(root / payload["params"])
        built = build_unit(unit.params, notebook, timeout)
    return {
        "files": built.files,
        "error": built.error,
        "grade": built.grade,
        "total": built.total,
        "illustrative": built.illustrative,
        "inputs": dict(unit.input_hashes),
        "seconds": time.monotonic() - started,
    }


def execute_dask(
    jobs,
    out_dir: Path,
    notebook: Path,
    timeout: int,
    scheduler: str,
    on_result: Callable[[UnitResult], None],
) -> None:
    """Submit every unit to the cluster; a task whose worker dies is retried on another worker
    by the scheduler, and reported as failed only when it cannot be finished at all."""
    try:
        from distributed import Client, as_completed
    except ModuleNotFoundError:
        raise UsageError(
            "--scheduler 需要 dask: pip install 'selfeval[dask]' / --scheduler needs the "
            "dask extra: pip install 'selfeval[dask]'"
        ) from None
    try:
        client = Client(scheduler, timeout="15s")
    except Exception as exc:  # noqa: BLE001 - an unreachable or wrong address is a message
        raise UsageError(
            f"无法连接 Dask 调度器 {excerpt(scheduler)} / cannot reach the Dask scheduler "
            f"{excerpt(scheduler)} ({excerpt(f'{type(exc).__name__}: {exc}', 120)}); check the "
            "address (tcp://HOST:8786) and that the scheduler is running"
        ) from None
    with client:
        futures = {}
        for job in jobs:
            try:
                payload = pack_job(job.params_path, notebook)
            except (OSError, ParamsError) as exc:  # this unit cannot travel; the others can
                on_result(job.failed(str(exc)))
                continue
            future = client.submit(
                run_packed,
                payload,
                timeout,
                key=f"selfeval-{job.unit_id}-{job.year}-{job.fingerprint[:12]}",
                pure=False,
                retries=1,
            )
            futures[future] = job
        for future in as_completed(futures):
            job = futures.pop(future)
            try:
                result = _write(future, job, out_dir)
            finally:
                # Written (or failed): the cluster need not keep the unit's bytes until the batch
                # ends. Without this, a province's run would hold every report in cluster memory.
                future.release()
                del future
            on_result(result)


def _write(future, job, out_dir: Path) -> UnitResult:
    """Write one finished task's outputs; its result."""
    try:
        answer = future.result()
    except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker after repeated worker deaths
        return job.failed(f"集群任务失败 / the cluster task failed: {type(exc).__name__}: {exc}")
    built = Built(
        answer.get("files", {}),
        answer["error"],
        answer.get("grade", ""),
        answer.get("total"),
        bool(answer.get("illustrative")),
    )
    result = UnitResult(
        str(job.params_path),
        job.unit_id,
        job.year,
        "failed" if built.error else "ok",
        seconds=answer.get("seconds", 0.0),
        error=built.error,
        grade=built.grade,
        total=built.total,
        inputs=answer.get("inputs", {}),
        illustrative=built.illustrative,
    )
    del answer
    try:
        result.outputs = write_outputs(built, out_dir, job.year, job.unit_id)
    except OSError as exc:
        result.status, result.error = "failed", f"写入输出失败 / could not write the outputs: {exc}"
    return result
