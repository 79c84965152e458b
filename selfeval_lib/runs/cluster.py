"""Run units on a dask.distributed cluster: tasks carry their inputs as bytes and return outputs
as bytes, which the client writes; workers need selfeval installed, not a shared disk."""

from __future__ import annotations

import queue
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .._version import __version__
from ..errors import BatchStopped, ParamsError, UsageError, excerpt
from ..frameworks.model import FRAMEWORK_DIR, framework_path
from ..inputs.params import load_params
from . import DEFAULT_WORKER_WAIT
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
    log: Callable[[str], None] = print,
    worker_wait: float = DEFAULT_WORKER_WAIT,
) -> None:
    """Submit every unit to the cluster; a task whose worker dies is retried on another worker
    by the scheduler (logged), and reported as failed only when it cannot be finished at all.
    When the cluster has had no worker for `worker_wait` seconds (none connected, or all gone),
    raises BatchStopped instead of waiting for ever."""
    try:
        from distributed import Client
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
        # Finished futures and the scheduler's "remove-worker" events arrive on Dask's threads;
        # this thread takes them in order, so every log line and file write happens here.
        arrived: queue.Queue = queue.Queue()
        client.subscribe_topic(
            "all", lambda event: arrived.put(event[1]) if _lost_worker(event[1]) else None
        )
        pending = {}  # task key -> (future, job)
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
            future.add_done_callback(arrived.put)
            pending[future.key] = (future, job)
        watch = _WorkerWatch(client, scheduler, worker_wait)
        while pending:
            try:
                item = arrived.get(timeout=watch.poll)
            except queue.Empty:
                watch.check(len(pending))
                continue
            if isinstance(item, dict):
                for line in _retry_lines(item, {k: job for k, (_, job) in pending.items()}):
                    log(line)
                continue
            if item.key not in pending:  # told twice: already written
                continue
            future, job = pending.pop(item.key)
            try:
                result = _write(future, job, out_dir)
            finally:
                # Written (or failed): the cluster need not keep the unit's bytes until the batch
                # ends. Without this, a province's run would hold every report in cluster memory.
                future.release()
                del future, item
            on_result(result)


def _lost_worker(message: dict) -> bool:
    return isinstance(message, dict) and message.get("action") == "remove-worker"


# Why the scheduler removed a worker: the start of its stimulus id (distributed's own names)
_REMOVED_BECAUSE = {
    "handle-worker-cleanup": (
        "连接中断，进程退出或被终止？",
        "its connection broke: it exited or was killed?",
    ),
    "nanny-close": ("工作进程退出，由 nanny 报告", "its process exited, said its nanny"),
    "worker-close": ("工作节点已关闭", "it was shut down"),
    "retire-workers": ("工作节点已退役", "it was retired"),
}


def _retry_lines(event: dict, jobs: dict) -> list[str]:
    """One log line per unit the lost worker held (running, queued, or finished but not yet
    fetched): the scheduler runs each again on another worker."""
    keys = [*event.get("processing-tasks", ()), *event.get("lost-computed-tasks", ())]
    stimulus = str(event.get("stimulus_id", ""))
    zh, en = next(
        (reason for start, reason in _REMOVED_BECAUSE.items() if stimulus.startswith(start)),
        (excerpt(stimulus, 60), excerpt(stimulus, 60)),
    )
    worker = excerpt(event.get("worker", "?"), 80)
    return [
        f"! {job.unit_id} {job.year}: 工作节点 {worker} 丢失（{zh}），任务在另一工作节点重试 / "
        f"worker {worker} was lost ({en}); the task is retried on another worker"
        for job in {k: jobs[k] for k in keys if k in jobs}.values()
    ]


class _WorkerWatch:
    """Stops the batch when the cluster has had no worker for `wait` seconds."""

    def __init__(self, client, scheduler: str, wait: float):
        self.client, self.scheduler, self.wait = client, scheduler, wait
        self.poll = min(1.0, wait / 3)  # how often to ask while no task finishes
        self.since: float | None = None  # no worker since (None: there is one)
        self.seen = False  # a worker was there at some point
        self.check(0)

    def check(self, not_run: int) -> None:
        if self.client.nthreads():
            self.since, self.seen = None, True
        elif self.since is None:
            self.since = time.monotonic()
        elif time.monotonic() - self.since >= self.wait:
            raise BatchStopped(_no_worker(self.scheduler, self.wait, self.seen, not_run))


def _no_worker(scheduler: str, wait: float, seen: bool, not_run: int) -> str:
    where = excerpt(scheduler, 80)
    if seen:
        zh = f"Dask 调度器 {where} 的工作节点已全部断开，{wait:g} 秒内没有新的工作节点"
        en = f"every worker of the Dask scheduler {where} has left and none joined in {wait:g} s"
    else:
        zh = f"{wait:g} 秒内没有工作节点连接到 Dask 调度器 {where}"
        en = f"no worker connected to the Dask scheduler {where} in {wait:g} s"
    return (
        f"{zh}，{not_run} 个单位未运行 / {en}: {not_run} unit(s) not run\n"
        f"  请在装有 selfeval 的机器上启动工作节点（dask worker {where}），或用 --worker-wait 秒数"
        f"加长等待；上次成功的报告保持不变 / start a worker on a machine with selfeval installed "
        f"(dask worker {where}), or wait longer with --worker-wait SECONDS; the last good "
        "reports are kept"
    )


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
    write_outputs(built, out_dir, result)
    return result
