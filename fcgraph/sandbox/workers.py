"""The provider's side of a zygote: start it, have it fork and kill workers, and learn how they ended.

A zygote belongs to the event loop that started it, since a task of that loop reads its events; when
that loop ends, the zygote is killed with it, and a later loop starts a fresh one (`ZygoteSlot`).
Workers are killed through the zygote: under bubblewrap's pid namespace their pids mean nothing here.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
import socket
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

STARTUP_TIMEOUT_S = 30.0  # separate from the per-call limit: importing heavy libraries can be slow on a cold disk
_EXIT_TIMEOUT_S = 5.0  # for a process that was told to end, before it is killed
_SEND_TIMEOUT_S = 5.0  # requests to the zygote are tiny; a zygote that cannot take one is wedged
_STREAM_LIMIT = 64 * 2**20  # a reply is one line; asyncio's 64 KiB default would reject a large file's contents
_MESSAGE_LIMIT = 1 << 16


class WorkerGone(Exception):
    """A worker (or the zygote it would come from) could not be started; the message says why."""


def _status(code: int | None, last_line: str, cause: str = "") -> str:
    """How a process ended, as crash messages say it: "(exit code 3): <its last stderr line>"."""
    return f"({cause}exit code {code})" + (f": {last_line}" if last_line else "")


async def _last_line(stream: socket.socket) -> str:
    """Drains a stderr socket (a chatty tool would otherwise block on it), keeping the last line for crash reports."""
    loop = asyncio.get_running_loop()
    last, pending = "", b""
    try:
        while chunk := await loop.sock_recv(stream, 65536):
            *lines, pending = (pending + chunk).split(b"\n")
            pending = pending[-4096:]
            last = next((text for line in reversed(lines) if (text := line.decode(errors="replace").strip())), last)
    finally:
        stream.close()
    return pending.decode(errors="replace").strip() or last


async def _last_line_of(stderr: asyncio.Task[str]) -> str:
    """The last line once stderr is closed, or "" if a daemonised grandchild keeps it open."""
    done, _ = await asyncio.wait({stderr}, timeout=1.0)
    if not done:
        stderr.cancel()
        return ""
    return stderr.result()


async def _first_message(receive: Awaitable[bytes], end: Callable[[], Awaitable[str]]) -> bytes:
    """A starting process's first message; WorkerGone with the reason when it ends or hangs instead."""
    try:
        message = await asyncio.wait_for(receive, STARTUP_TIMEOUT_S)
    except TimeoutError:
        await end()
        raise WorkerGone(f"worker did not start within {STARTUP_TIMEOUT_S:g}s") from None
    if not message:
        raise WorkerGone(f"worker failed to start {await end()}")
    return message


class Worker:
    """One dialogue's forked worker: a JSON-lines channel to it, its stderr, and its exit code from the zygote."""

    def __init__(self, zygote: Zygote, pid: int, exited: asyncio.Future[int | None], stderr: socket.socket,
                 reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.pid = pid  # in the zygote's pid namespace
        self._zygote = zygote
        self._exited = exited
        self._stderr = asyncio.ensure_future(_last_line(stderr))
        self._reader, self._writer = reader, writer
        self._last_id = 0

    async def exchange(self, name: str, arguments: dict[str, Any]) -> dict | None:
        """The worker's reply, or None if it died first."""
        self._last_id += 1
        request = json.dumps({"id": self._last_id, "name": name, "arguments": arguments}) + "\n"
        try:
            self._writer.write(request.encode())
            await self._writer.drain()
        except ConnectionError:
            return None
        line = await self._reader.readline()
        return json.loads(line) if line else None

    def kill(self) -> None:
        """Kills it and its process group at once; nothing waits (a cancelled call must not)."""
        self._zygote.kill(self.pid)
        self._writer.close()

    async def reap(self) -> str:
        """Kills what is left of it; returns how it ended, e.g. "(exit code 3): <last stderr line>"."""
        self.kill()
        try:
            code = await asyncio.wait_for(asyncio.shield(self._exited), _EXIT_TIMEOUT_S)
        except TimeoutError:  # a wedged zygote: say so rather than hang
            code = None
        last_line = await _last_line_of(self._stderr)
        if code is None and self._zygote.ended is not None:
            return _status(*self._zygote.ended, cause="its zygote died, ")
        return _status(code, last_line)


class Zygote:
    """One zygote process: requests go out on one socket, events come back on another, read by a watcher task."""

    def __init__(self, process: subprocess.Popen, requests: socket.socket, events: socket.socket,
                 stderr: socket.socket, scratch: Path) -> None:
        self.ended: tuple[int | None, str] | None = None  # its exit code and last stderr line, once it has gone
        self._loop = asyncio.get_running_loop()
        self._process = process
        self._requests, self._events = requests, events
        self._stderr = asyncio.ensure_future(_last_line(stderr))
        self._scratch = scratch
        self._forks: dict[int, asyncio.Future[tuple[int, asyncio.Future[int | None]]]] = {}
        self._exits: dict[int, asyncio.Future[int | None]] = {}
        self._numbers = itertools.count()
        self._ready: asyncio.Future[bytes] = self._loop.create_future()  # its first message, or b"" if it ended
        self._watcher = asyncio.ensure_future(self._watch())

    @classmethod
    async def start(cls, command: list[str], env: dict[str, str], scratch: Path) -> Zygote:
        """Starts it with `scratch` as working directory (removed when it ends) and waits until it is ready."""
        requests, their_requests = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        events, their_events = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        stderr, their_stderr = socket.socketpair()
        try:
            # started from the loop's thread: bubblewrap's --die-with-parent follows the thread that forked it
            process = subprocess.Popen(command, stdin=their_requests, stdout=their_events, stderr=their_stderr,
                                       env=env, cwd=scratch, start_new_session=True)
        except OSError as exc:
            for own in (requests, events, stderr):
                own.close()
            shutil.rmtree(scratch, ignore_errors=True)
            raise WorkerGone(f"worker failed to start: {exc}") from None
        finally:
            for theirs in (their_requests, their_events, their_stderr):
                theirs.close()
        requests.settimeout(_SEND_TIMEOUT_S)
        events.setblocking(False)
        stderr.setblocking(False)
        zygote = cls(process, requests, events, stderr, scratch)
        try:
            await _first_message(asyncio.shield(zygote._ready), zygote._kill_and_wait)
        except BaseException:
            zygote.abandon()
            raise
        return zygote

    @property
    def alive(self) -> bool:
        return self.ended is None

    async def fork(self, root: Path, env: dict[str, str], writable: list[str] | None) -> Worker:
        """A ready worker for the dialogue at `root`, confined to `writable` by Landlock unless that is None."""
        if self.ended is not None:
            raise WorkerGone(f"worker failed to start {_status(*self.ended, cause='its zygote died, ')}")
        channel, their_channel = socket.socketpair()
        stderr, their_stderr = socket.socketpair()
        number = next(self._numbers)
        request = {"fork": number, "root": str(root), "env": env, "writable": writable}
        pid = None
        try:
            try:
                fds = [their_channel.fileno(), their_stderr.fileno()]
                socket.send_fds(self._requests, [json.dumps(request).encode()], fds)
            except OSError as exc:  # it could not take the request: it has gone or is wedged
                raise WorkerGone(f"worker failed to start: the sandbox's zygote does not answer ({exc})") from None
            finally:
                their_channel.close()
                their_stderr.close()
            forking = self._forks[number] = self._loop.create_future()
            pid, exited = await forking  # if this is cancelled, the worker is killed as soon as it is known
            stderr.setblocking(False)
            reader, writer = await asyncio.open_unix_connection(sock=channel, limit=_STREAM_LIMIT)
        except BaseException:
            if pid is not None:
                self.kill(pid)
            channel.close()
            stderr.close()
            raise
        worker = Worker(self, pid, exited, stderr, reader, writer)
        try:
            await _first_message(reader.readline(), worker.reap)
        except BaseException:
            worker.kill()
            raise
        return worker

    def kill(self, pid: int) -> None:
        """Kills a worker and its process group; a no-op for one that has exited."""
        with contextlib.suppress(OSError):  # the zygote has gone, and its workers with it
            self._requests.send(json.dumps({"kill": pid}).encode())

    async def stop(self) -> None:
        """Ends it and, with it, every worker it forked; a zygote of another (ended) loop is killed."""
        if self._loop is not asyncio.get_running_loop():
            self.abandon()
            return
        self._requests.close()  # end of file: the zygote kills its workers and exits
        await asyncio.gather(self._watcher, return_exceptions=True)

    def abandon(self) -> None:
        """Kills it without waiting for anything of the event loop, which may be ending or gone."""
        if self.ended is not None:
            return
        if not self._loop.is_closed() and asyncio.current_task() is not self._watcher:
            self._watcher.cancel()
        self._process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(_EXIT_TIMEOUT_S)
        self._ended(self._process.returncode, "")

    async def _watch(self) -> None:
        try:
            while message := await self._loop.sock_recv(self._events, _MESSAGE_LIMIT):
                self._dispatch(json.loads(message))
        except asyncio.CancelledError:  # the loop is ending: nobody could use this zygote any more
            self.abandon()
            raise
        except OSError:  # abandoned from another loop while this one still runs
            pass
        if not self._ready.done():
            self._ready.set_result(b"")
        await self._kill_and_wait()

    def _dispatch(self, event: dict[str, Any]) -> None:
        if "ready" in event:
            self._ready.set_result(b"ready")
        elif "forked" in event:
            exited = self._exits[event["pid"]] = self._loop.create_future()
            forking = self._forks.pop(event["forked"])
            if forking.done():  # whoever asked for it was cancelled meanwhile
                self.kill(event["pid"])
            else:
                forking.set_result((event["pid"], exited))
        elif (exited := self._exits.pop(event["exited"], None)) is not None:
            exited.set_result(event["code"])

    async def _kill_and_wait(self) -> str:
        """Waits for it to exit (killing it if it does not soon), cleans up and says how it ended."""
        if self.ended is None:
            deadline = self._loop.time() + _EXIT_TIMEOUT_S
            while self._process.poll() is None:
                if self._loop.time() > deadline:
                    self._process.kill()
                await asyncio.sleep(0.005)
            self._ended(self._process.returncode, await _last_line_of(self._stderr))
        return _status(*self.ended)

    def _ended(self, code: int | None, last_line: str) -> None:
        if self.ended is not None:
            return
        self.ended = (code, last_line)
        for own in (self._requests, self._events):
            own.close()
        shutil.rmtree(self._scratch, ignore_errors=True)
        gone = WorkerGone(f"worker failed to start {_status(code, last_line, cause='its zygote died, ')}")
        for forking in self._forks.values():
            if not forking.done():
                forking.set_exception(gone)
        for exited in self._exits.values():
            if not exited.done():
                exited.set_result(None)
        self._forks.clear()
        self._exits.clear()


class ZygoteSlot:
    """At most one live zygote for some dialogues (a run's, or one's), started on first need and after it died."""

    def __init__(self, start: Callable[[], Awaitable[Zygote]]) -> None:
        self._start = start
        self._starting: asyncio.Future[Zygote] | None = None

    def warm(self) -> None:
        """Starts the zygote in the background, so that the first call finds it ready or nearly."""
        self._current()

    async def get(self) -> Zygote:
        """The live zygote, started now if there is none; WorkerGone if it cannot start."""
        return await asyncio.shield(self._current())

    async def stop(self) -> None:
        starting, self._starting = self._starting, None
        if starting is None:
            return
        if starting.get_loop() is asyncio.get_running_loop():
            starting.cancel()  # only if it is still starting
            await asyncio.gather(starting, return_exceptions=True)
        if (zygote := _started(starting)) is not None:
            await zygote.stop()

    def _current(self) -> asyncio.Future[Zygote]:
        loop = asyncio.get_running_loop()
        starting = self._starting
        if starting is not None and (starting.get_loop() is not loop or starting.done() and not _live(starting)):
            if (zygote := _started(starting)) is not None:
                zygote.abandon()  # of an ended loop, or already dead
            starting = None
        if starting is None:
            starting = self._starting = asyncio.ensure_future(self._start())
            starting.add_done_callback(_retrieve)
        return starting


def _started(starting: asyncio.Future[Zygote]) -> Zygote | None:
    return starting.result() if starting.done() and not starting.cancelled() and starting.exception() is None else None


def _live(starting: asyncio.Future[Zygote]) -> bool:
    return (zygote := _started(starting)) is not None and zygote.alive


def _retrieve(starting: asyncio.Future[Zygote]) -> None:
    """A failed start is reported to every caller that awaits it; one that only warmed it must not log it too."""
    if not starting.cancelled():
        starting.exception()
