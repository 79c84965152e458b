"""Dask: units on a real scheduler and two workers on 127.0.0.1 give the same bytes as a local run;
a worker killed mid-task loses no unit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from selfeval_lib.runs.batch import expand_paths, run_batch

from .conftest import skip_unless_required
from .test_batch import make_project

pytestmark = pytest.mark.notebook
try:
    import distributed
except ImportError:
    skip_unless_required(
        "SELFEVAL_REQUIRE_DASK",
        "no distributed: pip install 'selfeval[dask]' (make test installs it)",
    )


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-thread workers without nannies (a killed worker stays dead)."""
    sched_file = tmp_path / "scheduler.json"
    procs = [
        subprocess.Popen(
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
    ]
    deadline = time.monotonic() + 60
    while not sched_file.exists():
        assert time.monotonic() < deadline, "scheduler did not start"
        time.sleep(0.2)
    address = json.loads(sched_file.read_text())["address"]
    for n in range(2):
        procs.append(
            subprocess.Popen(
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
                    f"w{n}",
                    "--host",
                    "127.0.0.1",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    with distributed.Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
        yield address, client
    for proc in procs:
        proc.kill()
        proc.wait()


def test_cluster_run_is_byte_identical_to_a_local_run(tmp_path, cluster):
    address, _ = cluster
    root = make_project(tmp_path / "project", ["a_2024", "b_2024", "c_2024"])
    params = expand_paths([str(root / "params")])
    remote = run_batch(params, root / "remote", scheduler=address, log=lambda _: None)
    local = run_batch(params, root / "local", jobs=2, log=lambda _: None)
    assert [r.status for r in remote] == [r.status for r in local] == ["ok", "ok", "ok"]
    for name in ("a_2024.html", "b_2024.html", "c_2024.html", "a_2024.scores.json", "index.html"):
        assert (root / "remote/2024" / name).read_bytes() == (
            root / "local/2024" / name
        ).read_bytes(), name


def test_a_worker_killed_mid_task_loses_no_unit(tmp_path, cluster):
    address, client = cluster
    root = make_project(tmp_path / "project", ["slow_2024", "b_2024"])
    notebook = root / "faulty.ipynb"  # sleeps 6 s for the unit named slow
    killed: list[str] = []

    def kill_the_slow_units_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for worker, keys in client.processing().items():
                if any("slow_2024" in str(k) for k in keys):
                    time.sleep(2.0)  # mid-task: the kernel is running the notebook
                    pid = client.run(os.getpid, workers=[worker])[worker]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(worker)
                    return
            time.sleep(0.2)

    killer = threading.Thread(target=kill_the_slow_units_worker)
    killer.start()
    results = run_batch(
        expand_paths([str(root / "params")]),
        root / "reports",
        notebook,
        scheduler=address,
        log=lambda _: None,
        overview=False,
    )
    killer.join()
    assert killed, "the slow unit never ran on a worker"
    assert {r.unit_id: r.status for r in results} == {"slow_2024": "ok", "b_2024": "ok"}
    assert (root / "reports/2024/slow_2024.html").is_file()


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
