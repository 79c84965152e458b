"""The papermill engine reports run with ("selfeval"): nbclient's, with the next unit's kernel
started while the current one runs, and every kernel stopped the moment its notebook is done.

Registered through papermill's `papermill.engine` entry point (see pyproject.toml), so papermill
still executes the notebook, records its metadata and raises its errors; only where the kernel
comes from and how it ends differ. Each unit still gets a kernel process of its own that has run
nothing before it: a spare is a kernel that has started and waited, never one that has worked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cache

from jupyter_core.utils import run_sync
from traitlets.config import Config

from ..errors import RunError
from .kernels import ForkingKernelManager

NAME = "selfeval"


@dataclass(frozen=True)
class KernelRequest:
    """What a kernel is started with: two requests that are equal get interchangeable kernels."""

    kernel_name: str
    cwd: str
    extra_arguments: tuple[str, ...] = ()


@dataclass(eq=False)  # a kernel is itself, whatever it holds
class Kernel:
    """A started kernel, with the private folder of its IPC sockets (nothing else can connect)."""

    request: KernelRequest
    manager: ForkingKernelManager
    sockets: str
    closed: bool = field(default=False)

    @classmethod
    async def start(cls, request: KernelRequest) -> Kernel:
        """Start a kernel in the calling thread's event loop. Its manager creates its control
        socket there but never uses it (the kernel is stopped by signal), so a spare started on
        one thread serves a unit on another."""
        sockets = tempfile.mkdtemp(prefix="selfeval-kernel-")
        manager = ForkingKernelManager(
            kernel_name=request.kernel_name,
            config=Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/kernel"}}),
        )
        try:
            await manager.start_kernel(
                extra_arguments=list(request.extra_arguments), cwd=request.cwd
            )
        except BaseException:
            shutil.rmtree(sockets, ignore_errors=True)
            raise
        kernel = cls(request, manager, sockets)
        with _lock:
            _kernels.add(kernel)
        if _stopped.is_set():  # started as the batch was being stopped
            kernel.kill()
        return kernel

    @property
    def process(self):
        provisioner = self.manager.provisioner
        return provisioner.process if provisioner is not None else None

    def alive(self) -> bool:
        process = self.process
        return process is not None and process.poll() is None

    def kill(self) -> None:
        """SIGKILL, from any thread (a forked kernel is reaped at once, see ForkedKernel)."""
        process = self.process
        if process is not None and process.poll() is None:
            try:
                process.kill()
            except OSError:
                pass

    def close(self, client=None) -> None:
        """Stop the kernel now and clean up: its notebook is done, so there is nothing to wait for
        (a forked kernel's graceful exit runs no exit handlers either, see _become_kernel)."""
        if self.closed:
            return
        self.closed = True
        try:
            if client is not None:
                client.stop_channels()
            self.kill()
            process = self.process
            if process is not None:
                try:
                    process.wait(timeout=5)  # a forked kernel: already reaped; a child: reap it
                except subprocess.TimeoutExpired:
                    pass
            run_sync(self.manager.cleanup_resources)()  # connection file, control socket
        finally:
            with _lock:
                _kernels.discard(self)
            shutil.rmtree(self.sockets, ignore_errors=True)


_lock = threading.Lock()
_stopped = threading.Event()
_kernels: set[Kernel] = set()  # started by this process and not yet closed
_spares: list[Kernel] = []  # started, and no notebook has used them
_starting = [0]  # spares being started
SPARES = 1  # kernels kept started ahead: one is taken at a time, and the next starts at once


def checkout(request: KernelRequest) -> Kernel:
    """A fresh kernel for one notebook: a spare started for the same request, if one is alive,
    else a new one. (A spare may have been started from another thread: its manager's sockets are
    only created there, not used, and the client that talks to the kernel is made here.)"""
    with _lock:
        kernel = next((k for k in _spares if k.request == request), None)
        if kernel is not None:
            _spares.remove(kernel)
    if kernel is not None and not kernel.alive():
        kernel.close()
        kernel = None
    return kernel or run_sync(Kernel.start)(request)


async def start_spare(request: KernelRequest) -> None:
    """Start the next unit's kernel now (unless one is waiting already), so that it has started
    by the time that unit needs it."""
    with _lock:
        if len(_spares) + _starting[0] >= SPARES:
            return
        _starting[0] += 1
    try:
        kernel = await Kernel.start(request)
    except Exception:  # noqa: BLE001 - not this unit's failure: the next unit starts its own
        return
    finally:
        with _lock:
            _starting[0] -= 1
    with _lock:
        _spares.append(kernel)


def discard_spares() -> None:
    """Stop the spares no unit will use (the end of a batch)."""
    with _lock:
        spares = list(_spares)
        _spares.clear()
    for kernel in spares:
        kernel.close()


def stop_all() -> None:
    """Ctrl-C: kill every kernel of this process at once, and any started until `resume()`; the
    units they ran fail within a second (nbclient notices a dead kernel), and their threads end."""
    _stopped.set()
    with _lock:
        kernels = list(_kernels)
    for kernel in kernels:
        kernel.kill()


def resume() -> None:
    """A new batch: kernels may start again."""
    _stopped.clear()


def _execute_managed_notebook(
    cls,
    nb_man,
    kernel_name,
    log_output=False,
    stdout_file=None,
    stderr_file=None,
    start_timeout=60,
    execution_timeout=None,
    kernel_cwd=None,
    extra_arguments=(),
    spare=False,
    unit_timeout=None,
    **kwargs,
):
    """NBClientEngine.execute_managed_notebook, with the kernel from `checkout`, stopped without
    waiting. Engine arguments beside nbclient's: `kernel_cwd` (the kernel's working folder: given
    to the kernel rather than set for this whole process, whose threads share one) and `spare`
    (start the next unit's kernel as soon as this one is ready), `unit_timeout` (seconds the
    whole notebook may take: past them its kernel is killed and the unit fails with that reason;
    nbclient's own timeout bounds each cell)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.log import logger

    kwargs.pop("input_path", None)
    request = KernelRequest(kernel_name, str(kernel_cwd or os.getcwd()), tuple(extra_arguments))
    kernel = checkout(request)
    if spare:
        kwargs["on_notebook_start"] = lambda notebook: start_spare(request)
    client = None
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        kernel.kill()

    watchdog = threading.Timer(unit_timeout, expire) if unit_timeout else None
    if watchdog is not None:
        watchdog.daemon = True
        watchdog.start()
    try:
        client = PapermillNotebookClient(
            nb_man,
            km=kernel.manager,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            extra_arguments=list(extra_arguments),
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        return client.execute()
    except Exception:
        if expired.is_set():
            raise RunError(
                f"超过单位时限 {unit_timeout} 秒，内核已停止 / the unit ran past its time limit of "
                f"{unit_timeout} s (--timeout): its kernel was stopped"
            ) from None
        raise
    finally:
        if watchdog is not None:
            watchdog.cancel()
        kernel.close(client.kc if client is not None else None)


def make_output_folder(output_path) -> None:
    """Make the folder of a local output notebook, as `selfeval run` makes its folders: papermill's
    own engines stop with a traceback at their first save instead. A relative path is taken from
    where papermill resolves it (the folder it was started in, not --cwd)."""
    from papermill.iorw import LocalHandler, papermill_io

    if not isinstance(output_path, str) or output_path == "-":
        return
    handler = papermill_io.get_handler(output_path)
    if isinstance(handler, LocalHandler):
        base = handler._cwd or os.getcwd()  # noqa: SLF001 - set by papermill for this run
        os.makedirs(os.path.join(base, os.path.dirname(output_path)), exist_ok=True)


def _execute_notebook(cls, nb, kernel_name, output_path=None, **kwargs):
    """Engine.execute_notebook, with the output notebook's folder made first."""
    from papermill.engines import Engine

    make_output_folder(output_path)
    return Engine.execute_notebook.__func__(cls, nb, kernel_name, output_path=output_path, **kwargs)


@cache
def engine_class() -> type:
    """The engine: papermill's NBClientEngine with the method above. Made on first use rather
    than at import: papermill loads its engines' entry points while it is itself being imported,
    so a module-level subclass would make `import selfeval_lib.runs.engine` (before papermill)
    import itself half-way through."""
    from papermill.engines import NBClientEngine

    return type(
        "SelfevalEngine",
        (NBClientEngine,),
        {
            "__module__": __name__,
            "__doc__": "papermill's nbclient engine, with kernels started ahead and stopped at once.",
            "execute_notebook": classmethod(_execute_notebook),
            "execute_managed_notebook": classmethod(_execute_managed_notebook),
        },
    )


def __getattr__(name: str):
    if name == "SelfevalEngine":  # what the papermill.engine entry point names
        return engine_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register() -> None:
    """Make the engine known to papermill in this process, if its entry point is not installed
    (an editable install made before the entry point was added)."""
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillException

    try:
        papermill_engines.get_engine(NAME)
    except PapermillException:
        papermill_engines.register(NAME, engine_class())
