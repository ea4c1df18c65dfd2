"""Tool calls in a local worker process per dialogue, jailed by bubblewrap when it is available.

`fcgraph.tools.paths.resolve` keeps well-behaved tools inside the dialogue's copy; bubblewrap adds a
wall the kernel enforces for tools that bypass it: the host file system is read-only, /tmp is
private and there is no network. Without bubblewrap only the path checks stand.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import importlib.util
import json
import logging
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from .base import ToolOutcome

log = logging.getLogger(__name__)

Isolation = Literal["auto", "bwrap", "none"]

STARTUP_TIMEOUT_S = 30.0  # separate from the per-call limit: a cold import of heavy tool modules can be slow
_STOP_GRACE_S = 1.0
_STREAM_LIMIT = 64 * 2**20  # a reply is one line; asyncio's 64 KiB default would reject a large file's contents
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_BWRAP_JAIL = ["--unshare-net", "--unshare-pid", "--die-with-parent"]


PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ")


class _WorkerGone(Exception):
    """The worker could not be started; the message says why."""


@functools.cache
def _bwrap_problem() -> str | None:
    """Why bubblewrap cannot jail a process here, or None: containers often forbid the namespaces it needs."""
    executable = shutil.which("bwrap")
    if executable is None:
        return "bwrap is not installed (apt-get install bubblewrap)"
    probe = [executable, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", *_BWRAP_JAIL, "true"]
    result = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        return f"bwrap cannot create a sandbox here: {result.stderr.strip() or f'exit code {result.returncode}'}"
    return None


def _choose_isolation(requested: Isolation) -> Literal["bwrap", "none"]:
    if requested not in ("auto", "bwrap", "none"):
        raise ValueError(f"isolation must be 'auto', 'bwrap' or 'none', not {requested!r}")
    if requested == "none":
        return "none"
    problem = _bwrap_problem()
    if problem is None:
        return "bwrap"
    if requested == "bwrap":
        raise RuntimeError(f"isolation='bwrap' was requested but {problem}")
    log.warning("running tools without bubblewrap: %s", problem)
    return "none"


def _under_tmp(paths: Iterable[Path]) -> list[Path]:
    """The outermost of the given paths that lie under /tmp (the ones a fresh tmpfs would hide)."""
    inside = sorted({p for p in paths if Path("/tmp") in p.parents and p.exists()})
    return [p for p in inside if not any(other in p.parents for other in inside)]


def _code_dir(module: str) -> Path:
    """The folder a tool module's code is read from: its file's folder, or the folder holding its package.

    Needed besides sys.path because an editable install finds packages through an import hook instead.
    """
    if module.endswith(".py"):
        return Path(module).parent
    spec = importlib.util.find_spec(module.split(".", 1)[0])
    origin = spec.origin if spec and spec.origin else next(iter(spec.submodule_search_locations or [])) if spec else "."
    return Path(origin).resolve().parent.parent if Path(origin).name == "__init__.py" else Path(origin).resolve().parent


def _bwrap_prefix(root: Path, module_dirs: Sequence[Path]) -> list[str]:
    command = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    command += ["--tmpfs", "/tmp"]
    # the interpreter, a virtualenv, an editable checkout or tool files may live under /tmp (a CI clone does):
    # they are shown again, read-only, on top of the fresh tmpfs
    python = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).parent, Path(os.path.realpath(sys.executable)).parent]
    for directory in _under_tmp([*python, *(Path(p).resolve() for p in sys.path if p), *module_dirs]):
        command += ["--ro-bind", str(directory), str(directory)]
    command += ["--bind", str(root), str(root)]  # last, so a copy living under /tmp stays visible and writable
    return [*command, *_BWRAP_JAIL, "--chdir", str(root)]


async def _last_line(stream: asyncio.StreamReader) -> str:
    """Drains stderr (a chatty tool would otherwise block on a full pipe), keeping the last line for crash reports."""
    last = ""
    async for line in stream:
        last = line.decode(errors="replace").strip() or last
    return last


class LocalSandbox:
    """One dialogue's copy plus at most one worker process, which serves its calls one at a time."""

    def __init__(
        self,
        root: Path,
        command: list[str],
        env: dict[str, str],
        timeout_s: float,
        isolation: Literal["bwrap", "none"],
    ) -> None:
        self.root = str(root)
        self.isolation = isolation
        self.closed = False
        self._command = command
        self._env = env
        self._timeout_s = timeout_s
        self._lock = asyncio.Lock()
        self._process: asyncio.subprocess.Process | None = None
        self._stderr: asyncio.Task[str] | None = None
        self._last_id = 0

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        async with self._lock:
            if self.closed:
                raise RuntimeError(f"sandbox {self.root} is closed")
            started = time.perf_counter()
            outcome = await self._call(name, arguments)
            return dataclasses.replace(outcome, duration_ms=(time.perf_counter() - started) * 1000)

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        async with self._lock:
            if self._process is not None:
                self._process.stdin.close()  # the worker's request loop ends and it exits by itself
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._process.wait(), _STOP_GRACE_S)
                await self._reap()
            if os.path.lexists(self.root):
                await asyncio.to_thread(shutil.rmtree, self.root)

    async def _call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        try:
            process = self._process or await self._start()
            reply = await asyncio.wait_for(self._exchange(process, name, arguments), self._timeout_s)
        except _WorkerGone as exc:
            return ToolOutcome(ok=False, error=str(exc), error_kind="crash")
        except TimeoutError:
            await self._reap()
            message = f"tool '{name}' timed out after {self._timeout_s:g}s"
            return ToolOutcome(ok=False, error=message, error_kind="timeout")
        except BaseException:  # cancelled mid-call: its late reply must never be read as the next call's
            self._kill()
            raise
        if reply is None:
            code, last_line = await self._reap()
            message = f"worker died during '{name}' (exit code {code})" + (f": {last_line}" if last_line else "")
            return ToolOutcome(ok=False, error=message, error_kind="crash")
        if reply["ok"]:
            return ToolOutcome(ok=True, result=reply.get("result"))
        return ToolOutcome(ok=False, error=reply["error"], error_kind=reply["error_kind"])

    async def _start(self) -> asyncio.subprocess.Process:
        self._process = await asyncio.create_subprocess_exec(
            *self._command,
            cwd=self.root,
            env=self._env,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # its own process group, so a kill also takes the tools' children
            limit=_STREAM_LIMIT,
        )
        self._stderr = asyncio.create_task(_last_line(self._process.stderr))
        try:
            ready = await asyncio.wait_for(self._process.stdout.readline(), STARTUP_TIMEOUT_S)
        except TimeoutError:
            await self._reap()
            raise _WorkerGone(f"worker did not start within {STARTUP_TIMEOUT_S:g}s") from None
        if not ready:
            code, last_line = await self._reap()
            raise _WorkerGone(f"worker failed to start (exit code {code}): {last_line}")
        return self._process

    async def _exchange(self, process: asyncio.subprocess.Process, name: str, arguments: dict[str, Any]) -> dict | None:
        """The worker's reply, or None if it died first."""
        self._last_id += 1
        request = json.dumps({"id": self._last_id, "name": name, "arguments": arguments}) + "\n"
        try:
            process.stdin.write(request.encode())
            await process.stdin.drain()
        except ConnectionError:
            return None
        line = await process.stdout.readline()
        return json.loads(line) if line else None

    def _kill(self) -> asyncio.subprocess.Process | None:
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        return process

    async def _reap(self) -> tuple[int | None, str]:
        """Kills what is left of the worker; returns its exit code and last stderr line."""
        process, stderr = self._kill(), self._stderr
        if process is None or stderr is None:
            return None, ""
        code = await process.wait()
        done, _ = await asyncio.wait({stderr}, timeout=1.0)  # a daemonised grandchild may hold stderr open
        if not done:
            stderr.cancel()
            return code, ""
        return code, stderr.result()


def _link_target(seed: Path, link: Path) -> Path | None:
    """Where a symlink leads, relative to the seed, or None when it leads out of it, nowhere real, or round in a loop."""
    try:
        real = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real.relative_to(seed) if real == seed or seed in real.parents else None


def _uncopyable(path: Path) -> str | None:
    """Why an entry that is not a symlink must stay out of the copy, or None."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return str(exc)
    if stat.S_ISDIR(mode):
        return None if os.access(path, os.R_OK | os.X_OK) else "directory not readable"
    if stat.S_ISREG(mode):
        return None if os.access(path, os.R_OK) else "file not readable"
    return "not a regular file"  # a FIFO would block the copy, a socket or device cannot be copied


def _copy_seed(seed: Path, target: Path) -> None:
    """Copies a seed directory for one dialogue, leaving out what would let a tool escape it or would break the copy.

    A symlink leading out of the seed (or nowhere) is left out: in the copy it would reach the host. One
    staying inside becomes a relative link to the same entry, since an absolute one, or a relative one
    climbing through the seed's own name, would lead back into the seed itself. Unreadable and special
    files are left out with a warning: a user's own directory often holds a few, and they are no reason
    to lose the dialogue.
    """
    links: list[tuple[Path, Path]] = []  # (link, the entry it leads to), both relative to the seed

    def left_out(directory: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            path = Path(directory, name)
            reason = None
            if path.is_symlink():
                skipped.add(name)
                if (leads_to := _link_target(seed, path)) is None:
                    reason = "a symlink leading out of the seed directory, or nowhere"
                else:
                    links.append((path.relative_to(seed), leads_to))
            elif reason := _uncopyable(path):
                skipped.add(name)
            if reason:
                log.warning("not copying %s: %s", path, reason)
        return skipped

    shutil.copytree(seed, target, ignore=left_out)
    for link, leads_to in links:
        os.symlink(os.path.relpath(leads_to, link.parent), target / link)
        shutil.copystat(seed / link.parent, target / link.parent)  # adding the link changed the folder's mtime


class LocalSandboxProvider:
    """Gives each dialogue a private copy of seed_dir under work_dir and a worker process to run its tools."""

    def __init__(
        self,
        seed_dir: Path,
        work_dir: Path,
        tool_modules: Sequence[str],
        timeout_s: float = 30.0,
        isolation: Isolation = "auto",
    ) -> None:
        self.seed_dir = Path(seed_dir).resolve()
        self.work_dir = Path(work_dir).resolve()
        if not self.seed_dir.is_dir():
            raise NotADirectoryError(f"seed directory {self.seed_dir} does not exist")
        if self.work_dir == self.seed_dir or self.seed_dir in self.work_dir.parents:
            raise ValueError(f"work_dir {self.work_dir} must not be inside the seed directory")
        self.timeout_s = timeout_s
        self._copying: dict[str, asyncio.Future[None]] = {}
        self.isolation = _choose_isolation(isolation)
        # .py paths become absolute because the worker runs in the copy, not in our working directory
        self._modules = [str(Path(m).resolve()) if m.endswith(".py") else m for m in tool_modules]
        # -P keeps the copy off sys.path (a seed file named json.py must not shadow the stdlib); instead the
        # worker gets our own sys.path, so it can import every dotted tool module that we can
        self._pythonpath = os.pathsep.join(os.path.abspath(p or ".") for p in sys.path)

    async def open(self, dialogue_id: str) -> LocalSandbox:
        """A new sandbox on the dialogue's existing copy, or on a fresh one (callers keep one per live dialogue)."""
        if not _SAFE_ID.fullmatch(dialogue_id):
            raise ValueError(f"dialogue id {dialogue_id!r} is not a safe file name")
        root = self.work_dir / dialogue_id
        copying = self._copying.get(dialogue_id)
        if copying is None:
            copying = self._copying[dialogue_id] = asyncio.ensure_future(asyncio.to_thread(self._materialise, root))
            copying.add_done_callback(lambda _: self._copying.pop(dialogue_id, None))
        # a cancelled caller cannot stop the copying thread; shielding keeps the future for remove() to wait on
        await asyncio.shield(copying)
        return self._sandbox(root)

    async def remove(self, dialogue_id: str) -> None:
        if not _SAFE_ID.fullmatch(dialogue_id):
            raise ValueError(f"dialogue id {dialogue_id!r} is not a safe file name")
        if copying := self._copying.get(dialogue_id):
            await asyncio.gather(copying, return_exceptions=True)  # else the copy could land after the removal
        await asyncio.to_thread(shutil.rmtree, self.work_dir / dialogue_id, ignore_errors=True)

    def _materialise(self, root: Path) -> None:
        """Copies under a scratch name and renames, so a crash mid-copy never leaves a half copy to be reused."""
        if root.exists():
            return
        self.work_dir.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=self.work_dir, prefix=f".{root.name}."))
        try:
            _copy_seed(self.seed_dir, scratch / "copy")
            try:
                (scratch / "copy").rename(root)
            except OSError:
                if not root.is_dir():  # otherwise a concurrent open() of the same id won the race
                    raise
        finally:
            shutil.rmtree(scratch)

    def _sandbox(self, root: Path) -> LocalSandbox:
        command = [sys.executable, "-P", "-m", "fcgraph.sandbox.worker"]
        for module in self._modules:
            command += ["--module", module]
        if self.isolation == "bwrap":
            command = _bwrap_prefix(root, [_code_dir(m) for m in ["fcgraph", *self._modules]]) + command
        # only what Python needs: API keys and other secrets of the generating process never reach a tool
        env = {key: os.environ[key] for key in PASSED_ENV if key in os.environ}
        env |= {"FCGRAPH_SANDBOX_ROOT": str(root), "PYTHONPATH": self._pythonpath, "HOME": str(root)}
        return LocalSandbox(root, command, env, self.timeout_s, self.isolation)
