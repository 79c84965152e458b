"""Report kernels forked from a warm parent ("zygote"): the zygote process and its launcher.

Every unit still runs in a kernel process of its own, fresh from its parent's memory image, but
the interpreter start and the imports every report needs (IPython, ipykernel, matplotlib with the
CJK font, selfeval_lib) are paid once per batch instead of once per unit: on two cores that is
most of a report's cost. Used only where the kernel is the standard `ipykernel_launcher` and
`os.fork` exists; set SELFEVAL_FORK_KERNELS=0 to launch kernels the ordinary way.

The zygote also imports what every kernel would otherwise import on its own as it starts or draws
its first chart (IPython's debugger and debugpy, the Agg backend, PIL's PNG encoder) and reads the
bundled indicator framework: about a quarter of a kernel's own work. (Drawing a whole fictional
report in the zygote before the first fork saved nothing more, measured, once those were done.)
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import subprocess
import sys
import threading

from ..errors import SelfEvalError

PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",  # and debugpy: every IPython kernel imports them as it starts
    "IPython",
    "IPython.core.completerlib",
    "IPython.extensions.storemagic",
    # and as it starts: its shell's inspector and logger, its pdb, its event loop
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.utils.wildcard",
    "faulthandler",
    "resource",
    "tornado.platform.asyncio",
    "zmq.utils.garbage",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "PIL.PngImagePlugin",
    "selfeval_lib",
    "selfeval_lib.report.display",
    "selfeval_lib.report.overview",
    # the last cell writes the 自评表 and 评分表: with python-docx (0.15 s to import), and with
    # what a Word or Excel file's zip and openpyxl's save import on first use
    "selfeval_lib.report.docx_file",
    "selfeval_lib.report.docx_runs",
    "openpyxl.packaging.extended",
    "encodings.cp437",
    "encodings.utf_8_sig",
)
LAUNCHER = "ipykernel_launcher"
WARMED: frozenset[str] = frozenset()  # the modules the zygote had imported when it forked
ZYGOTE_TIMEOUT = 120  # seconds a fork may take, the zygote's first imports included


def forking() -> bool:
    """Whether report kernels are forked from a zygote here (SELFEVAL_FORK_KERNELS=0: never)."""
    return hasattr(os, "fork") and os.environ.get("SELFEVAL_FORK_KERNELS", "1") != "0"


def start_zygote() -> None:
    """Start the zygote now, where kernels are forked: it imports while the caller goes on."""
    if forking():
        Zygote.start()


def fork_enabled(cmd: list[str]) -> bool:
    """A standard Python kernel of this interpreter can be forked from the zygote."""
    return forking() and LAUNCHER in cmd and cmd[0] == sys.executable


# --- the zygote process (python -m selfeval_lib.runs.zygote) ------------------------------------------


def _cap_memory() -> None:
    """A unit's kernel may use at most SELFEVAL_MAX_KERNEL_MB of memory (address space): a unit
    whose data or notebook asks for more fails with a MemoryError in its own kernel, and the
    machine and the other units are not harmed."""
    import resource

    from ..inputs.limits import limits

    try:
        cap = int(limits().kernel_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError, SelfEvalError):  # a bad setting is the runner's to report
        pass


def _become_kernel(request: dict) -> None:
    """In the forked child: detach, take the kernel's environment and run ipykernel."""
    os.setsid()  # like jupyter_client: Ctrl-C in a terminal reaches the runner, not the kernel
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    _cap_memory()
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # the zygote's stdout is its protocol pipe
    argv = request["argv"]
    # ipykernel read JPY_PARENT_PID when the zygote imported it, so say it again: the kernel
    # exits when its zygote does (and the zygote when its runner does).
    sys.argv = [
        LAUNCHER,
        *argv[argv.index(LAUNCHER) + 1 :],
        f"--IPKernelApp.parent_handle={os.getppid()}",
    ]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def warm() -> None:
    """Import and make, once, what every report's kernel needs: a report run in a process warmed
    so imports no module of its own (tests/runs/test_engine.py), since a kernel that imports one
    pays for it again in every unit."""
    import argparse
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)
    # A kernel parses its command line with an argparse parser, which compiles a pattern as it
    # is made: compiled here, it is in every kernel's `re` cache (a tenth of a kernel's start).
    argparse.ArgumentParser(add_help=False)
    from PIL import Image

    Image.preinit()  # the image plugins PIL loads as a figure is first saved
    from selfeval_lib.report.canvas import find_cjk_font, make_axes_ahead

    find_cjk_font()  # registers the CJK font once; children inherit it
    make_axes_ahead()  # and a report's blank figures: each kernel draws on its copies
    from selfeval_lib.frameworks import DEFAULT_FRAMEWORK
    from selfeval_lib.frameworks.model import load_framework

    load_framework(DEFAULT_FRAMEWORK)  # bundled, immutable, cached: read and checked once


def zygote_main() -> None:
    """Import once, then serve requests, one JSON line each: {"argv", "env", "cwd"} forks a kernel
    and answers its pid; {"reap": pid} collects an exited kernel. Kernels are reaped only when the
    runner says so, so no pid the runner still holds can be reused by another process.
    The zygote ends when its runner goes away (EOF), and its kernels follow it."""
    import traceback

    # Ctrl-C in a terminal reaches the whole process group: the runner stops the batch, and the
    # zygote ends when the runner does, rather than with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # as jupyter_client sets it
    warm()
    from selfeval_lib.runs import zygote  # this module by its name, not as __main__

    zygote.WARMED = frozenset(sys.modules)  # what a kernel has at its fork (test_engine.py)
    # What exists now is shared by every fork: no collection in a kernel needs to visit it (or
    # copy the pages it would touch), as the gc module's documentation advises before fork().
    gc.collect()
    gc.freeze()
    protocol = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        if "reap" in request:
            try:
                os.waitpid(request["reap"], 0)
            except ChildProcessError:
                pass
            continue
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _become_kernel(request)
            except BaseException:  # noqa: BLE001 - say why the kernel did not start, then go
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        protocol.write(json.dumps({"pid": pid}) + "\n")
        protocol.flush()


# --- the runner's side (the process that runs the reports) ----------------------------------------


class Zygote:
    """One zygote per process that runs reports, started on first use and restarted if it died."""

    _lock = threading.Lock()
    _process: subprocess.Popen | None = None

    @classmethod
    def start(cls) -> subprocess.Popen:
        """Start the zygote (if it is not running); it imports while the caller goes on."""
        if cls._process is None or cls._process.poll() is not None:
            cls._process = subprocess.Popen(
                [sys.executable, "-m", "selfeval_lib.runs.zygote"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
        return cls._process

    @classmethod
    def stop(cls) -> None:
        """Stop the zygote, if one runs (`selfeval run` started it, and nothing needs a kernel)."""
        with cls._lock:
            process, cls._process = cls._process, None
        if process is not None:
            process.kill()
            process.wait()
            process.stdin.close()
            process.stdout.close()

    @classmethod
    def fork(cls, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """A new kernel process; a zygote that died is restarted once."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n"
        with cls._lock:
            for _attempt in (1, 2):
                process = cls.start()
                try:
                    process.stdin.write(request)
                    process.stdin.flush()
                    ready, _, _ = select.select([process.stdout], [], [], ZYGOTE_TIMEOUT)
                    answer = process.stdout.readline() if ready else ""
                except (BrokenPipeError, ValueError):
                    answer = ""
                if answer:
                    return json.loads(answer)["pid"]
                process.kill()  # dead or stuck: never ask it again
                process.wait()
        raise RuntimeError("内核预热进程无响应 / the kernel zygote did not answer (twice)")

    @classmethod
    def reap(cls, pid: int) -> None:
        with cls._lock:
            process = cls._process
            if process is not None and process.poll() is None:
                try:
                    process.stdin.write(json.dumps({"reap": pid}) + "\n")
                    process.stdin.flush()
                except (BrokenPipeError, ValueError):
                    pass


if __name__ == "__main__":
    zygote_main()
