"""Report kernels forked from a warm parent ("zygote").

Every unit still runs in a kernel process of its own, fresh from its parent's memory image, but
the interpreter start and the imports every report needs (IPython, ipykernel, matplotlib with the
CJK font, selfeval_lib) are paid once per worker instead of once per unit: on two cores that is
most of a report's cost. Used only where the kernel is the standard `ipykernel_launcher` and
`os.fork` exists; set SELFEVAL_FORK_KERNELS=0 to launch kernels the ordinary way.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

PRELOAD = ("ipykernel.kernelapp", "IPython", "matplotlib.figure", "selfeval_lib")
LAUNCHER = "ipykernel_launcher"


def fork_enabled(cmd: list[str]) -> bool:
    return (
        hasattr(os, "fork")
        and os.environ.get("SELFEVAL_FORK_KERNELS", "1") != "0"
        and LAUNCHER in cmd
        and cmd[0] == sys.executable
    )


# --- the zygote process (python -m selfeval_lib.kernels) -----------------------------------------


def _reap(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_kernel(request: dict) -> None:
    """In the forked child: detach, take the kernel's environment and run ipykernel."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # like jupyter_client: Ctrl-C in a terminal reaches the runner, not the kernel
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # the zygote's stdout is its protocol pipe
    argv = request["argv"]
    # ipykernel read JPY_PARENT_PID when the zygote imported it, so say it again: the kernel
    # exits when its zygote does (and the zygote when its worker does).
    sys.argv = [
        LAUNCHER,
        *argv[argv.index(LAUNCHER) + 1 :],
        f"--IPKernelApp.parent_handle={os.getppid()}",
    ]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def zygote_main() -> None:
    """Import once, then fork one kernel per request line; exit when the worker goes away."""
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)
    from selfeval_lib.charts import find_cjk_font

    find_cjk_font()  # registers the CJK font once; children inherit it
    signal.signal(signal.SIGCHLD, _reap)
    protocol = sys.stdout
    for line in sys.stdin:  # EOF: the worker has gone, and so do we (kernels follow, see above)
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                _become_kernel(request)
            finally:
                os._exit(0)
        protocol.write(json.dumps({"pid": pid}) + "\n")
        protocol.flush()


# --- the worker side ------------------------------------------------------------------------------


class Zygote:
    """One zygote per worker process, started on first use and restarted if it died."""

    _lock = threading.Lock()
    _process: subprocess.Popen | None = None

    @classmethod
    def start(cls) -> subprocess.Popen:
        """Start the zygote (if it is not running); it imports while the caller goes on."""
        if cls._process is None or cls._process.poll() is not None:
            cls._process = subprocess.Popen(
                [sys.executable, "-m", "selfeval_lib.kernels"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
        return cls._process

    @classmethod
    def fork(cls, argv: list[str], env: dict[str, str], cwd: str) -> int:
        with cls._lock:
            cls.start()
            cls._process.stdin.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n")
            cls._process.stdin.flush()
            answer = cls._process.stdout.readline()
        if not answer:
            raise RuntimeError("kernel zygote exited / 内核预热进程意外退出")
        return json.loads(answer)["pid"]


class ForkedKernel:
    """What jupyter_client needs of a Popen, for a kernel that is the zygote's child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                with open(f"/proc/{self.pid}/stat", "rb") as stat:
                    gone = (
                        stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
                    )  # exited, not yet reaped
            except FileNotFoundError:
                gone = True
            except OSError:  # no /proc: ask the kernel directly
                try:
                    os.kill(self.pid, 0)
                    gone = False
                except ProcessLookupError:
                    gone = True
            if gone:
                self.returncode = -1  # the zygote reaped it; its exit status is not ours to read
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired([str(self.pid)], timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkingProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernels come from the zygote instead of a new interpreter."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        scrubbed = LocalProvisioner._scrub_kwargs(kwargs)
        env = dict(scrubbed.get("env") or os.environ)
        cwd = str(scrubbed.get("cwd") or os.getcwd())
        pid = Zygote.fork(cmd, env, cwd)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


class ForkingKernelManager(AsyncKernelManager):
    """AsyncKernelManager (nbclient's default) that forks standard Python kernels."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if fork_enabled(kernel_cmd) and type(self.provisioner) is LocalProvisioner:
            self.provisioner.__class__ = ForkingProvisioner  # same state, forking launch
        await super()._async_launch_kernel(kernel_cmd, **kw)


if __name__ == "__main__":
    zygote_main()
