"""Fork server: imports the tool modules and the heavy libraries once, then forks a ready worker per dialogue.

Run as ``python -P -m fcgraph.sandbox.zygote --module SPEC [--module SPEC ...]`` with one end of a
request socket as stdin and one end of an event socket as stdout (both SOCK_SEQPACKET: one JSON object
per message). A forked worker is ready in milliseconds with pandas, scipy and matplotlib already in
memory, shared copy-on-write, where a fresh interpreter per dialogue would import them all again.

Requests: {"fork": n, "root": ..., "env": {...}, "writable": [...] or null} carrying two file descriptors
(the dialogue's channel and its stderr), and {"kill": pid}. Events: {"ready": true} once the imports are
done, {"forked": n, "pid": pid} and {"exited": pid, "code": code}. End of file on stdin ends the zygote
and its workers.

The zygote stays single-threaded, because a forked child inherits the locks of threads it does not
have: BLAS libraries are told to start no threads, and the loop is a selector, with SIGCHLD arriving
through a wakeup socket.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import importlib
import io
import json
import os
import selectors
import signal
import socket
import sys
import tempfile
import traceback
from collections.abc import Callable
from typing import Any, NoReturn, Protocol

from fcgraph.sandbox import landlock
from fcgraph.sandbox.worker import serve
from fcgraph.tools.discovery import load_module, tool_functions

# what tools import inside their functions, so that no dialogue pays for it; each is imported if installed
PRELOAD = (
    "numpy", "pandas", "pandas.api.types", "scipy.stats", "statsmodels.api", "statsmodels.stats.proportion",
    "matplotlib.figure", "matplotlib.backends.backend_agg", "PIL.Image", "PIL.ImageChops", "PIL.ImageColor",
    "PIL.ImageDraw", "PIL.ImageEnhance", "PIL.ImageFilter", "PIL.ImageFont", "PIL.ImageOps", "PIL.ImageStat",
    "PIL.ExifTags", "PIL.TiffImagePlugin", "openpyxl", "openpyxl.formula.tokenizer", "openpyxl.utils.cell",
    "openpyxl.worksheet.copier", "docx", "pypdf", "yaml", "zstandard", "encodings.utf_8_sig",  # the last two: read_csv
)
# read by those libraries when they are imported: BLAS threads would exist at fork time, a GUI backend is useless
LIBRARY_SETTINGS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg"}

_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36
_MESSAGE_LIMIT = 1 << 16
_libc = ctypes.CDLL(None, use_errno=True)


class _Closable(Protocol):
    def close(self) -> None: ...


def _prctl(option: int, value: int) -> None:
    if _libc.prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


def _die_with(parent: int) -> None:
    """SIGKILL when the parent goes, so that nothing outlives whoever started it; exit at once if it has gone."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _quiet_stdio() -> None:
    """fds 0 and 1 are never the protocol: ``input()`` meets end of file and prints go to stderr."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def _send(events: socket.socket, event: dict[str, Any]) -> None:
    events.send(json.dumps(event).encode())


def _preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        except Exception as exc:  # a broken install must not keep the tools that do not need it from running
            print(f"zygote: cannot preload {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    if "matplotlib.figure" in sys.modules:
        _draw_a_chart()


def _draw_a_chart() -> None:
    """Builds matplotlib's font cache and loads the font and renderer, which a first chart would otherwise pay for."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 2))
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    axes.plot([0, 1], [0, 1], label="warm-up")
    axes.set_title("warm-up")
    axes.legend()
    figure.savefig(io.BytesIO(), format="png")


def _exit_code(exc: SystemExit) -> int:
    """What the interpreter would exit with had the SystemExit reached the top."""
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    print(exc.code, file=sys.stderr)
    return 1


def _become_worker(tools: dict[str, Callable], request: dict[str, Any], channel: int, stderr: int,
                   zygote: int, inherited: list[_Closable]) -> NoReturn:
    """The forked child: confines itself to the dialogue and serves it; never returns into the zygote's loop."""
    code = 1
    try:
        os.dup2(stderr, 2)
        os.close(stderr)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for resource in inherited:
            resource.close()
        os.setsid()  # its own process group, so that killing it also kills whatever its tools started
        _die_with(zygote)
        os.environ.update(request["env"])
        tempfile.tempdir = None  # TMPDIR changed: forget the zygote's cached choice
        os.chdir(request["root"])
        if request["writable"] is not None:
            landlock.restrict_writes(request["writable"])
        _quiet_stdio()
        # never closed before os._exit: the provider must not see end of file while the exit code can still change
        connection = socket.socket(fileno=channel)
        serve(tools, connection.makefile("r", encoding="utf-8"), connection.makefile("w", encoding="utf-8"))
        code = 0
    except SystemExit as exc:  # a tool called sys.exit()
        code = _exit_code(exc)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(code)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):  # the group is empty already
        pass


def _reap(workers: set[int], events: socket.socket) -> None:
    """Collects every exited child; a worker's exit is reported, and whatever it started is killed with it."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid in workers:  # others are orphans of workers, adopted because the zygote is a subreaper
            workers.discard(pid)
            _kill_group(pid)
            _send(events, {"exited": pid, "code": os.waitstatus_to_exitcode(status)})


def _serve(tools: dict[str, Callable], requests: socket.socket, events: socket.socket) -> None:
    wakeup, wakeup_writer = socket.socketpair()
    wakeup.setblocking(False)
    wakeup_writer.setblocking(False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)  # a Python handler, so that it reaches the wakeup fd
    signal.set_wakeup_fd(wakeup_writer.fileno(), warn_on_full_buffer=False)
    selector = selectors.DefaultSelector()
    selector.register(requests, selectors.EVENT_READ)
    selector.register(wakeup, selectors.EVENT_READ)
    inherited: list[_Closable] = [selector, requests, events, wakeup, wakeup_writer]
    workers: set[int] = set()
    try:
        while True:
            for key, _ in selector.select():
                if key.fileobj is wakeup:
                    wakeup.recv(4096)
                    _reap(workers, events)
                    continue
                message, fds, _, _ = socket.recv_fds(requests, _MESSAGE_LIMIT, 2)
                if not message:
                    return
                request = json.loads(message)
                if "kill" in request:
                    if request["kill"] in workers:  # else it was reaped, and its pid may belong to another one
                        _kill_group(request["kill"])
                    continue
                sys.stderr.flush()  # else the child would write buffered output a second time
                zygote = os.getpid()
                pid = os.fork()
                if pid == 0:
                    _become_worker(tools, request, *fds, zygote=zygote, inherited=inherited)
                for fd in fds:
                    os.close(fd)
                workers.add(pid)
                _send(events, {"forked": request["fork"], "pid": pid})
    finally:  # waiting for each, so that once the zygote has gone its workers are gone too, not zombies
        for pid in workers:
            _kill_group(pid)
        for pid in workers:
            os.waitpid(pid, 0)


def main(argv: list[str] | None = None) -> None:
    _die_with(os.getppid())
    parser = argparse.ArgumentParser(prog="python -m fcgraph.sandbox.zygote")
    parser.add_argument("--module", dest="modules", action="append", required=True, help="dotted name or .py path")
    args = parser.parse_args(argv)

    os.environ.update(LIBRARY_SETTINGS)
    requests, events = socket.socket(fileno=os.dup(0)), socket.socket(fileno=os.dup(1))
    _quiet_stdio()
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)  # orphans of the tools are reaped here, not left as zombies
    gc.disable()  # no collections while importing: the holes they leave would be copied into every worker
    tools: dict[str, Callable] = {}
    for spec in args.modules:
        tools.update(tool_functions(load_module(spec)))
    _preload()
    gc.freeze()  # what exists now is shared with the workers; their collections must not write to it
    gc.enable()
    if (threads := len(os.listdir("/proc/self/task"))) > 1:
        print(f"zygote: {threads} threads after the imports; forked workers may deadlock", file=sys.stderr)
    _send(events, {"ready": True})
    _serve(tools, requests, events)
    sys.stderr.flush()
    os._exit(0)  # tearing down the imported libraries would only take time


if __name__ == "__main__":
    main()
