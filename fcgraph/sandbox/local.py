"""Tool calls in workers forked per dialogue from one zygote per run, jailed by bubblewrap when it is available.

`fcgraph.tools.paths.resolve` keeps well-behaved tools inside the dialogue's copy; bubblewrap adds a
wall the kernel enforces for tools that bypass it: the host file system is read-only, /tmp is
private and there is no network. The run's zygote lives in one jail in which every dialogue's copy is
writable, so each worker confines its own writes to its copy and private temp folder with Landlock.
Where Landlock is missing, each dialogue gets a jail and zygote of its own instead (slower: every
zygote imports the heavy libraries again). Without bubblewrap only the path checks stand.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import importlib.util
import logging
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from fcgraph.datasets import recorded_mtime

from . import landlock
from .base import ToolOutcome
from .workers import Worker, WorkerGone, Zygote, ZygoteSlot

log = logging.getLogger(__name__)

Isolation = Literal["auto", "bwrap", "none"]

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_BWRAP_JAIL = ["--unshare-net", "--unshare-pid", "--die-with-parent"]
_TMP = ".tmp"  # under work_dir: each dialogue's private temp folder, and each zygote's scratch folder


PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ")


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


def _landlock_available() -> bool:
    if landlock.abi_version() >= 1:
        return True
    log.warning("Landlock is not available: each dialogue gets a bubblewrap jail and zygote of its own, "
                "which imports the heavy libraries again")
    return False


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


def _bwrap_prefix(writable: Sequence[Path], module_dirs: Sequence[Path], chdir: Path) -> list[str]:
    command = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    command += ["--tmpfs", "/tmp"]
    # the interpreter, a virtualenv, an editable checkout or tool files may live under /tmp (a CI clone does):
    # they are shown again, read-only, on top of the fresh tmpfs
    python = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).parent, Path(os.path.realpath(sys.executable)).parent]
    for directory in _under_tmp([*python, *(Path(p).resolve() for p in sys.path if p), *module_dirs]):
        command += ["--ro-bind", str(directory), str(directory)]
    for directory in writable:  # last, so that a work_dir living under /tmp stays visible and writable
        command += ["--bind", str(directory), str(directory)]
    return [*command, *_BWRAP_JAIL, "--chdir", str(chdir)]


class LocalSandbox:
    """One dialogue's copy plus at most one forked worker, which serves its calls one at a time.

    `spawn` gets a ready worker from the provider's zygote; `release` deletes the copy and temp folder
    (and stops the dialogue's own zygote where it has one).
    """

    def __init__(
        self,
        root: Path,
        spawn: Callable[[], Awaitable[Worker]],
        release: Callable[[], Awaitable[None]],
        timeout_s: float,
        isolation: Literal["bwrap", "none"],
    ) -> None:
        self.root = str(root)
        self.isolation = isolation
        self.closed = False
        self._spawn = spawn
        self._release = release
        self._timeout_s = timeout_s
        self._lock = asyncio.Lock()
        self._worker: Worker | None = None

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
            await self._reap()
            await self._release()

    async def _call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        try:
            worker = self._worker or await self._start()
            reply = await asyncio.wait_for(worker.exchange(name, arguments), self._timeout_s)
        except WorkerGone as exc:
            return ToolOutcome(ok=False, error=str(exc), error_kind="crash")
        except TimeoutError:
            await self._reap()
            message = f"tool '{name}' timed out after {self._timeout_s:g}s"
            return ToolOutcome(ok=False, error=message, error_kind="timeout")
        except BaseException:  # cancelled mid-call: its late reply must never be read as the next call's
            self._kill()
            raise
        if reply is None:
            return ToolOutcome(ok=False, error=f"worker died during '{name}' {await self._reap()}", error_kind="crash")
        if reply["ok"]:
            return ToolOutcome(ok=True, result=reply.get("result"))
        return ToolOutcome(ok=False, error=reply["error"], error_kind=reply["error_kind"])

    async def _start(self) -> Worker:
        self._worker = await self._spawn()
        return self._worker

    def _kill(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.kill()

    async def _reap(self) -> str:
        """Kills what is left of the worker; says how it ended."""
        worker, self._worker = self._worker, None
        return await worker.reap() if worker is not None else ""


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


def _copy_seed(seed: Path, target: Path, mtime: float | None = None) -> None:
    """Copies a seed directory for one dialogue, leaving out what would let a tool escape it or would break the copy.

    A symlink leading out of the seed (or nowhere) is left out: in the copy it would reach the host. One
    staying inside becomes a relative link to the same entry, since an absolute one, or a relative one
    climbing through the seed's own name, would lead back into the seed itself. Unreadable and special
    files are left out with a warning: a user's own directory often holds a few, and they are no reason
    to lose the dialogue. `mtime`, when given, becomes every copied entry's modification time.
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
    if mtime is not None:
        for path in [*target.rglob("*"), target]:
            os.utime(path, (mtime, mtime), follow_symlinks=False)


class LocalSandboxProvider:
    """Gives each dialogue a private copy of seed_dir under work_dir and a worker, forked from a zygote, for its tools.

    One zygote serves all dialogues. With `landlock=False` (or where the kernel has no Landlock) and
    bubblewrap, each dialogue gets a jail and zygote of its own instead; tests use it to exercise that path.
    """

    def __init__(
        self,
        seed_dir: Path,
        work_dir: Path,
        tool_modules: Sequence[str],
        timeout_s: float = 30.0,
        isolation: Isolation = "auto",
        landlock: bool = True,
    ) -> None:
        self.seed_dir = Path(seed_dir).resolve()
        self.work_dir = Path(work_dir).resolve()
        if not self.seed_dir.is_dir():
            raise NotADirectoryError(f"seed directory {self.seed_dir} does not exist")
        if self.work_dir == self.seed_dir or self.seed_dir in self.work_dir.parents:
            raise ValueError(f"work_dir {self.work_dir} must not be inside the seed directory")
        self.timeout_s = timeout_s
        self._seed_mtime = recorded_mtime(self.seed_dir)
        self._copying: dict[str, asyncio.Future[None]] = {}
        self.isolation = _choose_isolation(isolation)
        self.landlock = self.isolation == "bwrap" and landlock and _landlock_available()
        self._zygote_per_dialogue = self.isolation == "bwrap" and not self.landlock
        self._zygotes: dict[str | None, ZygoteSlot] = {}  # by dialogue id, or None for the run's one
        # .py paths become absolute because the zygote runs elsewhere, not in our working directory
        self._modules = [str(Path(m).resolve()) if m.endswith(".py") else m for m in tool_modules]
        # -P keeps the copy off sys.path (a seed file named json.py must not shadow the stdlib); instead the
        # zygote gets our own sys.path, so it can import every dotted tool module that we can
        self._pythonpath = os.pathsep.join(os.path.abspath(p or ".") for p in sys.path)

    async def open(self, dialogue_id: str) -> LocalSandbox:
        """A new sandbox on the dialogue's existing copy, or on a fresh one (callers keep one per live dialogue)."""
        if not _SAFE_ID.fullmatch(dialogue_id):
            raise ValueError(f"dialogue id {dialogue_id!r} is not a safe file name")
        copying = self._copying.get(dialogue_id)
        if copying is None:
            copying = asyncio.ensure_future(asyncio.to_thread(self._materialise, dialogue_id))
            self._copying[dialogue_id] = copying
            copying.add_done_callback(lambda _: self._copying.pop(dialogue_id, None))
        # a cancelled caller cannot stop the copying thread; shielding keeps the future for remove() to wait on
        await asyncio.shield(copying)
        self._zygote(dialogue_id).warm()
        return LocalSandbox(self.work_dir / dialogue_id, functools.partial(self._fork, dialogue_id),
                            functools.partial(self.remove, dialogue_id), self.timeout_s, self.isolation)

    async def remove(self, dialogue_id: str) -> None:
        if not _SAFE_ID.fullmatch(dialogue_id):
            raise ValueError(f"dialogue id {dialogue_id!r} is not a safe file name")
        if copying := self._copying.get(dialogue_id):
            await asyncio.gather(copying, return_exceptions=True)  # else the copy could land after the removal
        if self._zygote_per_dialogue and (zygote := self._zygotes.pop(dialogue_id, None)):
            await zygote.stop()
        for directory in (self.work_dir / dialogue_id, self._tmp(dialogue_id)):
            await asyncio.to_thread(shutil.rmtree, directory, ignore_errors=True)

    async def close(self) -> None:
        """Stops the zygotes and every worker they forked; copies stay. Opening again starts a new zygote."""
        zygotes, self._zygotes = self._zygotes, {}
        await asyncio.gather(*(zygote.stop() for zygote in zygotes.values()))
        with contextlib.suppress(OSError):  # still holding temp folders of open dialogues, or never made
            (self.work_dir / _TMP).rmdir()

    def _tmp(self, dialogue_id: str) -> Path:
        """The dialogue's TMPDIR: outside the copy, which listings show; on its file system, so that renames work."""
        return self.work_dir / _TMP / dialogue_id

    def _materialise(self, dialogue_id: str) -> None:
        """Copies under a scratch name and renames, so a crash mid-copy never leaves a half copy to be reused."""
        root = self.work_dir / dialogue_id
        self._tmp(dialogue_id).mkdir(parents=True, exist_ok=True)
        if root.exists():
            return
        scratch = Path(tempfile.mkdtemp(dir=self.work_dir, prefix=f".{root.name}."))
        try:
            _copy_seed(self.seed_dir, scratch / "copy", self._seed_mtime)
            try:
                (scratch / "copy").rename(root)
            except OSError:
                if not root.is_dir():  # otherwise a concurrent open() of the same id won the race
                    raise
        finally:
            shutil.rmtree(scratch)

    def _zygote(self, dialogue_id: str) -> ZygoteSlot:
        key = dialogue_id if self._zygote_per_dialogue else None
        if key not in self._zygotes:
            self._zygotes[key] = ZygoteSlot(functools.partial(self._start_zygote, key))
        return self._zygotes[key]

    async def _start_zygote(self, dialogue_id: str | None) -> Zygote:
        (self.work_dir / _TMP).mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=self.work_dir / _TMP, prefix=".zygote-"))
        command = [sys.executable, "-P", "-m", "fcgraph.sandbox.zygote"]
        for module in self._modules:
            command += ["--module", module]
        if self.isolation == "bwrap":
            own = [self.work_dir / dialogue_id, self._tmp(dialogue_id), scratch] if dialogue_id else []
            writable = own or [self.work_dir]
            command = _bwrap_prefix(writable, [_code_dir(m) for m in ["fcgraph", *self._modules]], scratch) + command
        # only what Python needs: API keys and other secrets of the generating process never reach a tool
        env = {key: os.environ[key] for key in PASSED_ENV if key in os.environ}
        env |= {"PYTHONPATH": self._pythonpath, "HOME": str(scratch), "TMPDIR": str(scratch),
                "FCGRAPH_ZYGOTE_ID": scratch.name}  # which zygote a worker comes from, for tests and debugging
        return await Zygote.start(command, env, scratch)

    async def _fork(self, dialogue_id: str) -> Worker:
        zygote = await self._zygote(dialogue_id).get()
        root, tmp = self.work_dir / dialogue_id, self._tmp(dialogue_id)
        env = {"FCGRAPH_SANDBOX_ROOT": str(root), "HOME": str(root), "PWD": str(root), "TMPDIR": str(tmp)}
        return await zygote.fork(root, env, [str(root), str(tmp), "/dev"] if self.landlock else None)
