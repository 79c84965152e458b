"""Report kernels forked from the zygote (zygote.py), as jupyter_client sees them: a kernel
manager whose provisioner asks the zygote for a process instead of starting an interpreter, the
process handle it gets, and a client that is ready as soon as the kernel answers."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type

from .zygote import Zygote, fork_enabled


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
                self.returncode = -1  # its exit status is the zygote's to read, not ours
                Zygote.reap(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired([str(self.pid)], timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is not None:  # reaped: the pid may belong to someone else by now
            return
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass
        if signum == signal.SIGKILL:
            # Dead as of now: the zygote reaps it at once, and nobody polls 0.1 s at a time for
            # what is already known (jupyter_client's shutdown would).
            self.returncode = -signal.SIGKILL
            Zygote.reap(self.pid)

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
        self.pid = pid
        self.pgid = None  # signal the kernel itself: once reaped, its group id may be reused
        self.cwd = cwd
        return self.connection_info


class QuickReadyClient(AsyncKernelClient):
    """nbclient's kernel client, ready as soon as the kernel answers on both shell and IOPub.

    jupyter_client then also waits until IOPub has been silent for 0.2 s, to drop the status
    messages of its kernel_info request; nbclient matches every message to the request it
    made and ignores the others, so for a report that wait is idle time on every unit."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if reply["msg_type"] == "kernel_info_reply":
                    try:  # IOPub connected? (the kernel greets a new subscriber)
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


class ForkingKernelManager(AsyncKernelManager):
    """AsyncKernelManager (nbclient's default) that forks standard Python kernels."""

    client_class = DottedObjectName("selfeval_lib.runs.kernels.QuickReadyClient")
    client_factory = Type(klass="selfeval_lib.runs.kernels.QuickReadyClient")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if fork_enabled(kernel_cmd) and type(self.provisioner) is LocalProvisioner:
            self.provisioner.__class__ = ForkingProvisioner  # same state, forking launch
        await super()._async_launch_kernel(kernel_cmd, **kw)
