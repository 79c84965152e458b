"""Dask: units on a real scheduler and two workers on 127.0.0.1 give the same bytes as a local run;
a worker killed mid-task loses no unit and its retry is logged; a cluster with no worker (none
connected, or none left) stops the batch within --worker-wait with one message."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from selfeval_lib.cli import make_log
from selfeval_lib.runs.batch import expand_paths, run_batch

from ..conftest import skip_unless_required
from .test_batch import make_project, manifest

pytestmark = pytest.mark.notebook
try:
    import distributed
except ImportError:
    skip_unless_required(
        "SELFEVAL_REQUIRE_DASK",
        "no distributed: pip install 'selfeval[dask]' (make test installs it)",
    )


def start_scheduler(tmp_path) -> tuple[subprocess.Popen, str]:
    """A `dask scheduler` on 127.0.0.1 (a free port), with no worker; its process and address."""
    sched_file = tmp_path / "scheduler.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(sched_file),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not sched_file.exists():
        assert time.monotonic() < deadline, "scheduler did not start"
        time.sleep(0.2)
    return proc, json.loads(sched_file.read_text())["address"]


def start_worker(address: str, name: str) -> subprocess.Popen:
    """A single-thread worker without a nanny (killed, it stays dead)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_worker",
            address,
            "--nthreads",
            "1",
            "--no-nanny",
            "--no-dashboard",
            "--name",
            name,
            "--host",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def running_cluster(tmp_path, workers: int):
    """A scheduler and `workers` workers; yields its address and a client once all joined."""
    scheduler, address = start_scheduler(tmp_path)
    procs = [scheduler] + [start_worker(address, f"w{n}") for n in range(workers)]
    try:
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(workers, timeout=60)
            yield address, client
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-thread workers without nannies (a killed worker stays dead)."""
    with running_cluster(tmp_path, 2) as running:
        yield running


def test_cluster_run_is_byte_identical_to_a_local_run(tmp_path, cluster):
    address, _ = cluster
    root = make_project(tmp_path / "project", ["a_2024", "b_2024", "c_2024"])
    params = expand_paths([str(root / "params")])
    remote = run_batch(params, root / "remote", scheduler=address, log=lambda _: None)
    local = run_batch(params, root / "local", jobs=2, log=lambda _: None)
    assert [r.status for r in remote] == [r.status for r in local] == ["ok", "ok", "ok"]
    forms = ("a_2024.自评表.xlsx", "a_2024.自评表.docx")  # the 自评表 too
    for name in (
        "a_2024.html",
        "b_2024.html",
        "c_2024.html",
        "a_2024.scores.json",
        "index.html",
        *forms,
    ):
        assert (root / "remote/2024" / name).read_bytes() == (
            root / "local/2024" / name
        ).read_bytes(), name


def killer(client, unit_id: str) -> tuple[threading.Thread, list[str]]:
    """A started thread that SIGKILLs the worker running `unit_id`'s task 2 s into it; the list
    gets the killed worker's address."""
    killed: list[str] = []

    def kill() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for worker, keys in client.processing().items():
                if any(unit_id in str(k) for k in keys):
                    time.sleep(2.0)  # mid-task: the kernel is running the notebook
                    pid = client.run(os.getpid, workers=[worker])[worker]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(worker)
                    return
            time.sleep(0.2)

    thread = threading.Thread(target=kill)
    thread.start()
    return thread, killed


STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d "  # a log line's local time, as cron's log has it


def retry_line(unit: str, worker: str) -> str:
    return (
        f"! {unit} 2024: 工作节点 {worker} 丢失（连接中断，进程退出或被终止？），任务在另一工作节点"
        f"重试 / worker {worker} was lost (its connection broke: it exited or was killed?); the "
        "task is retried on another worker"
    )


def test_a_worker_killed_mid_task_loses_no_unit_and_the_retry_is_logged(tmp_path, cluster):
    address, client = cluster
    root = make_project(tmp_path / "project", ["slow_2024", "b_2024"])
    notebook = root / "faulty.ipynb"  # sleeps 6 s for the unit named slow
    thread, killed = killer(client, "slow_2024")
    log = io.StringIO()
    results = run_batch(
        expand_paths([str(root / "params")]),
        root / "reports",
        notebook,
        scheduler=address,
        log=make_log(log),  # as `selfeval run` logs without a terminal
        overview=False,
    )
    thread.join()
    assert killed, "the slow unit never ran on a worker"
    assert {r.unit_id: r.status for r in results} == {"slow_2024": "ok", "b_2024": "ok"}
    assert (root / "reports/2024/slow_2024.html").is_file()
    lines = log.getvalue().splitlines()
    assert all(re.match(STAMP, line) for line in lines), lines  # local time first, as every line
    said = [re.sub(STAMP, "", line, count=1) for line in lines]
    assert [x for x in said if x.startswith("! slow_2024")] == [retry_line("slow_2024", killed[0])]
    # logged when it happened: before the unit's success line
    assert said.index(retry_line("slow_2024", killed[0])) < next(
        i for i, x in enumerate(said) if x.startswith("✓ slow_2024")
    )


def test_a_scheduler_without_workers_stops_within_the_wait_and_says_so_once(tmp_path):
    """`selfeval run --scheduler` with no worker: one message, exit 1, within the wait; the unit
    is recorded as not run and its last good report stays."""
    scheduler, address = start_scheduler(tmp_path)
    try:
        root = make_project(tmp_path / "project", ["a_2024"])
        year = root / "reports/2024"
        year.mkdir(parents=True)
        (year / "a_2024.html").write_text("the last good report", encoding="utf-8")
        last_good = {"status": "ok", "last_ok_fingerprint": "before", "grade": "良", "total": 86.0}
        (year / "run.json").write_text(json.dumps({"units": {"a_2024": last_good}}))
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "selfeval", "run", str(root / "params/a_2024.yaml"),
             "--out", str(root / "reports"), "--scheduler", address, "--worker-wait", "3"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        took = time.monotonic() - started
    finally:
        scheduler.kill()
        scheduler.wait()
    assert run.returncode == 1, run.stdout + run.stderr
    assert took < 3 + 45  # the wait, plus starting Python and checking the unit: never for ever
    message = (
        f"✗ 3 秒内没有工作节点连接到 Dask 调度器 {address}，1 个单位未运行 / no worker connected "
        f"to the Dask scheduler {address} in 3 s: 1 unit(s) not run\n"
        f"  请在装有 selfeval 的机器上启动工作节点（dask worker {address}），或用 --worker-wait "
        "秒数加长等待；上次成功的报告保持不变 / start a worker on a machine with selfeval "
        f"installed (dask worker {address}), or wait longer with --worker-wait SECONDS; the last "
        "good reports are kept"
    )
    said = re.sub("^" + STAMP, "", run.stdout, flags=re.MULTILINE)
    assert said.count(message) == 1 and re.search(f"^{STAMP}✗ 3 秒内", run.stdout, re.MULTILINE)
    assert run.stderr == ""
    assert (year / "a_2024.html").read_text(encoding="utf-8") == "the last good report"
    m = manifest(root / "reports")
    assert (m["state"], m["complete"], m["counts"]["interrupted"]) == ("interrupted", False, 1)
    unit = m["units"]["a_2024"]
    assert unit["status"] == "interrupted" and unit["error"] == message.removeprefix("✗ ")
    assert (unit["last_ok_fingerprint"], unit["grade"], unit["total"]) == ("before", "良", 86.0)


def test_when_the_last_worker_dies_the_batch_stops_within_the_wait(tmp_path):
    root = make_project(tmp_path / "project", ["slow_2024"])
    with running_cluster(tmp_path, 1) as (address, client):
        thread, killed = killer(client, "slow_2024")
        log = io.StringIO()
        started = time.monotonic()
        results = run_batch(
            expand_paths([str(root / "params")]),
            root / "reports",
            root / "faulty.ipynb",
            scheduler=address,
            log=make_log(log),
            overview=False,
            worker_wait=3,
        )
        took = time.monotonic() - started
        thread.join()
    assert killed and took < 60
    said = re.sub("^" + STAMP, "", log.getvalue(), flags=re.MULTILINE)
    assert retry_line("slow_2024", killed[0]) in said.splitlines()
    assert said.count("✗ Dask 调度器") == 1
    assert (
        f"✗ Dask 调度器 {address} 的工作节点已全部断开，3 秒内没有新的工作节点，1 个单位未运行 / "
        f"every worker of the Dask scheduler {address} has left and none joined in 3 s: "
        "1 unit(s) not run\n"
    ) in said
    assert [(r.unit_id, r.status) for r in results] == [("slow_2024", "interrupted")]
    assert manifest(root / "reports")["units"]["slow_2024"]["status"] == "interrupted"
    assert not (root / "reports/2024/slow_2024.html").exists()


def test_each_result_leaves_the_cluster_once_written(tmp_path, cluster):
    """A province's batch must not hold every report in cluster memory until it ends: when a
    unit's outputs are written, its task is gone from the scheduler, while others still run."""
    address, client = cluster
    root = make_project(tmp_path / "project", ["slow_2024", "b_2024"])

    def tasks() -> list[str]:
        return client.run_on_scheduler(
            lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks]
        )

    seen: dict[str, list[str]] = {}

    def log(line: str) -> None:
        if line.startswith("✓ b_2024"):  # b is written; slow sleeps 6 s in a cell
            deadline = time.monotonic() + 5
            while any("b_2024" in k for k in tasks()) and time.monotonic() < deadline:
                time.sleep(0.05)
            seen["when b was written"] = tasks()

    results = run_batch(
        expand_paths([str(root / "params")]),
        root / "reports",
        root / "faulty.ipynb",
        scheduler=address,
        log=log,
        overview=False,
    )
    assert {r.unit_id: r.status for r in results} == {"slow_2024": "ok", "b_2024": "ok"}
    keys = seen["when b was written"]
    assert not any("b_2024" in k for k in keys)
    assert any("slow_2024" in k for k in keys)
