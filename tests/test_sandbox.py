"""The local sandbox against real worker processes, with and without bubblewrap."""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fcgraph.datasets import BUNDLED_FILE_SYSTEM, BUNDLED_MTIME
from fcgraph.sandbox import LocalSandboxProvider
from fcgraph.sandbox.local import _bwrap_problem

TOOLS = str(Path(__file__).with_name("sandbox_tools.py"))
HAS_BWRAP = shutil.which("bwrap") is not None


def in_event_loop(test):
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def snapshot(directory: Path) -> dict[str, bytes | str]:
    return {
        str(path.relative_to(directory)): (
            f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes() if path.is_file() else "dir"
        )
        for path in sorted(directory.rglob("*"))
    }


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    path = tmp_path / "outside.txt"
    path.write_text("host secret")
    return path


@pytest.fixture
def seed(tmp_path: Path, outside: Path) -> Path:
    seed = tmp_path / "seed"
    (seed / "docs").mkdir(parents=True)
    (seed / "notes.txt").write_text("hello")
    (seed / "docs" / "report.csv").write_text("a,b\n1,2\n")
    (seed / "escape").symlink_to(outside)
    return seed


@pytest.fixture(params=["none", pytest.param("bwrap", marks=pytest.mark.skipif(not HAS_BWRAP, reason="bwrap missing"))])
def provider(request: pytest.FixtureRequest, seed: Path, tmp_path: Path) -> Iterator[LocalSandboxProvider]:
    provider = LocalSandboxProvider(seed, tmp_path / "work", [TOOLS], timeout_s=1.0, isolation=request.param)
    yield provider
    asyncio.run(provider.close())


@pytest.fixture(params=[True, False], ids=["landlock", "zygote-per-dialogue"])
def jailed(request: pytest.FixtureRequest, seed: Path, tmp_path: Path) -> Iterator[LocalSandboxProvider]:
    """Under bubblewrap: one jail for the run with Landlock in each worker, or (forced) one jail per dialogue."""
    if not HAS_BWRAP:
        pytest.skip("bwrap missing")
    provider = LocalSandboxProvider(seed, tmp_path / "work", [TOOLS], timeout_s=1.0, isolation="bwrap",
                                    landlock=request.param)
    yield provider
    asyncio.run(provider.close())


def alive(pid: int) -> bool:
    """Not gone and not a zombie (a dying process shows an empty command line before it is either)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def host_processes(*, environ: str = "", argument: str = "") -> dict[int, tuple[int, list[str]]]:
    """Live (not zombie) processes holding `environ` (NAME=value) in their environment or `argument` in their
    command line: pid -> (parent pid, command line). Host pids, also of processes in a bubblewrap jail."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            env = (entry / "environ").read_bytes().decode(errors="replace").split("\0") if environ else []
        except (OSError, NotADirectoryError):
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z" and (environ in env if environ else argument in argv):
            found[int(entry.name)] = (int(parent), argv)
    return found


def zygote_pid(zygote_id: str) -> int:
    """The zygote's own host pid: not bubblewrap around it, nor a worker forked from it."""
    family = host_processes(environ=f"FCGRAPH_ZYGOTE_ID={zygote_id}")
    pythons = {pid for pid, (_, argv) in family.items()
               if "fcgraph.sandbox.zygote" in argv and Path(argv[0]).name != "bwrap"}
    [pid] = [pid for pid in pythons if family[pid][0] not in pythons]
    return pid


def eventually(condition: Callable[[], bool], what: str) -> None:
    """Polls until `condition` holds; the bound only keeps a broken build from hanging the suite."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@in_event_loop
async def test_call_returns_the_tools_result(provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    assert box.isolation == provider.isolation
    outcome = await box.call("read_text", {"path": "docs/report.csv"})
    assert outcome.ok and outcome.result == "a,b\n1,2\n" and outcome.error is None and outcome.duration_ms > 0
    assert (await box.call("list_root", {})).result == ["docs", "notes.txt"]
    await box.close()


@in_event_loop
async def test_seed_dir_is_never_modified(provider: LocalSandboxProvider, seed: Path) -> None:
    before = snapshot(seed)
    box = await provider.open("d1")
    assert (await box.call("write_text", {"path": "notes.txt", "content": "changed"})).ok
    assert (await box.call("write_text", {"path": "/docs/new.txt", "content": "new"})).ok
    assert (await box.call("delete_path", {"path": "docs/report.csv"})).ok
    assert (await box.call("read_text", {"path": "notes.txt"})).result == "changed"
    assert snapshot(seed) == before
    await box.close()


@in_event_loop
async def test_paths_outside_the_copy_are_refused(provider: LocalSandboxProvider, outside: Path) -> None:
    box = await provider.open("d1")
    for path in ("../outside.txt", str(outside), "escape"):  # the escaping link is not even copied
        outcome = await box.call("read_text", {"path": path})
        assert not outcome.ok and outcome.error_kind == "tool", path
    for path in ("../outside.txt", str(outside)):
        overwrite = await box.call("write_text", {"path": path, "content": "pwned"})
        assert not overwrite.ok and overwrite.error_kind == "tool", path
    assert outside.read_text() == "host secret"
    await box.close()


@in_event_loop
async def test_bwrap_stops_tools_that_bypass_the_path_checks(provider: LocalSandboxProvider, tmp_path: Path) -> None:
    if provider.isolation != "bwrap":
        pytest.skip("only bubblewrap can stop a tool that ignores resolve()")
    host_dirs = [tmp_path / "host", Path(tempfile.mkdtemp(dir="/var/tmp"))]  # under the private /tmp, and not
    box = await provider.open("d1")
    try:
        for directory in host_dirs:
            directory.mkdir(exist_ok=True)
            (directory / "x").write_text("original")
            outcome = await box.call("write_unchecked", {"path": str(directory / "x"), "content": "pwned"})
            assert not outcome.ok and outcome.error_kind == "tool"
            assert (directory / "x").read_text() == "original"
        assert (await box.call("network_interfaces", {})).result == ["lo"]
    finally:
        shutil.rmtree(host_dirs[1])
        await box.close()


@in_event_loop
async def test_caller_mistakes_get_their_own_error_kinds(provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    unknown = await box.call("no_such_tool", {})
    assert (unknown.error_kind, unknown.error) == ("unknown_tool", "unknown tool 'no_such_tool'")
    missing = await box.call("read_text", {})
    assert missing.error_kind == "bad_arguments" and "missing a required argument: 'path'" in missing.error
    extra = await box.call("read_text", {"path": "notes.txt", "mode": "rb"})
    assert extra.error_kind == "bad_arguments" and "mode" in extra.error
    refused = await box.call("refuse", {})
    assert (refused.error_kind, refused.error) == ("tool", "nothing to do")
    failed = await box.call("divide", {"a": 1, "b": 0})
    assert (failed.error_kind, failed.error) == ("tool", "ZeroDivisionError: division by zero")
    await box.close()


@in_event_loop
async def test_timeout_kills_the_worker_and_the_next_call_gets_a_fresh_one(provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    await box.call("list_root", {})  # start-up is not part of the call's budget
    started = time.perf_counter()
    outcome = await box.call("sleep_for", {"seconds": 30})
    assert time.perf_counter() - started < provider.timeout_s + 1
    assert (outcome.error_kind, outcome.error) == ("timeout", "tool 'sleep_for' timed out after 1s")
    assert (await box.call("read_text", {"path": "notes.txt"})).result == "hello"
    await box.close()


@in_event_loop
async def test_crash_is_reported_and_the_next_call_gets_a_fresh_worker(provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    outcome = await box.call("crash_hard", {})
    assert outcome.error_kind == "crash"
    assert "exit code 3" in outcome.error and "about to crash" in outcome.error
    assert (await box.call("read_text", {"path": "notes.txt"})).result == "hello"
    await box.close()


@in_event_loop
async def test_stdout_noise_does_not_break_the_protocol(provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    assert (await box.call("noisy", {})).result == "quiet result"
    assert (await box.call("read_text", {"path": "notes.txt"})).result == "hello"
    await box.close()


@in_event_loop
async def test_sandboxes_run_in_parallel(provider: LocalSandboxProvider) -> None:
    boxes = [await provider.open("a"), await provider.open("b")]
    await asyncio.gather(*(box.call("list_root", {}) for box in boxes))  # warm both workers
    started = time.perf_counter()
    outcomes = await asyncio.gather(*(box.call("sleep_for", {"seconds": 0.5}) for box in boxes))
    assert all(outcome.ok for outcome in outcomes)
    assert time.perf_counter() - started < 0.9
    await asyncio.gather(*(box.close() for box in boxes))


@in_event_loop
async def test_a_slow_call_does_not_block_the_event_loop(provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    assert (await box.call("sleep_for", {"seconds": 0.3})).ok
    ticker.cancel()
    assert ticks >= 10
    await box.close()


@in_event_loop
async def test_close_removes_the_copy_and_is_idempotent(provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    assert (await box.call("write_text", {"path": "new.txt", "content": "x"})).ok
    assert Path(box.root, "new.txt").exists()
    await box.close()
    await box.close()
    assert not Path(box.root).exists()
    with pytest.raises(RuntimeError, match="closed"):
        await box.call("list_root", {})
    reopened = await provider.open("d1")
    assert (await reopened.call("list_root", {})).result == ["docs", "notes.txt"]
    await reopened.close()


@in_event_loop
async def test_open_reuses_an_existing_copy(provider: LocalSandboxProvider, seed: Path) -> None:
    box = await provider.open("d1")
    assert (await box.call("write_text", {"path": "progress.txt", "content": "turn 3"})).ok
    await box.call("crash_hard", {})  # as if the generator process died: the copy stays behind
    resumed_provider = LocalSandboxProvider(seed, provider.work_dir, [TOOLS], isolation=provider.isolation)
    resumed = await resumed_provider.open("d1")
    assert resumed.root == box.root
    assert (await resumed.call("read_text", {"path": "progress.txt"})).result == "turn 3"
    await resumed.close()
    await resumed_provider.close()
    await box.close()


@in_event_loop
async def test_secrets_of_the_generator_do_not_reach_tools(provider: LocalSandboxProvider, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-must-not-leak")
    box = await provider.open("d1")
    seen = (await box.call("environment", {})).result
    assert "OPENAI_API_KEY" not in seen and "sk-test-must-not-leak" not in str(seen)
    assert seen["FCGRAPH_SANDBOX_ROOT"] == box.root
    await box.close()


@in_event_loop
async def test_remove_deletes_a_copy_without_opening_it(provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    await box.call("list_root", {})
    await box.close()
    await provider.open("d2")  # copy made, no worker started
    await provider.remove("d2")
    await provider.remove("never-opened")
    assert not (provider.work_dir / "d2").exists()


@in_event_loop
async def test_unsafe_dialogue_ids_are_refused(provider: LocalSandboxProvider) -> None:
    for dialogue_id in ("", "..", "../escape", "a/b", ".hidden", "x" * 200):
        with pytest.raises(ValueError, match="safe file name"):
            await provider.open(dialogue_id)


def test_isolation_choice_without_bwrap(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _bwrap_problem.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="bwrap is not installed"):
            LocalSandboxProvider(seed, tmp_path / "work", [TOOLS], isolation="bwrap")
        assert LocalSandboxProvider(seed, tmp_path / "work", [TOOLS], isolation="auto").isolation == "none"
    finally:
        _bwrap_problem.cache_clear()


@pytest.mark.skipif(not HAS_BWRAP, reason="bwrap missing")
def test_bwrap_worker_runs_from_an_editable_checkout_under_tmp(seed: Path) -> None:
    """A CI clone keeps checkout and virtualenv under /tmp, which the sandbox's fresh /tmp would otherwise hide."""
    project = Path(__file__).parents[1]
    with tempfile.TemporaryDirectory(dir="/tmp") as scratch:
        checkout, venv = Path(scratch) / "checkout", Path(scratch) / "venv"
        shutil.copytree(project / "fcgraph", checkout / "fcgraph", ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(project / name, checkout / name)
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", "-e",
                        str(checkout)], check=True, capture_output=True)
        script = (
            "import asyncio, fcgraph; from fcgraph.sandbox import LocalSandboxProvider\n"
            "async def main():\n"
            f"    provider = LocalSandboxProvider({str(seed)!r}, {str(Path(scratch) / 'work')!r}, [{TOOLS!r}],"
            " isolation='bwrap')\n"
            "    box = await provider.open('d1')\n"
            "    outcome = await box.call('list_root', {})\n"
            "    await box.close()\n"
            "    await provider.close()\n"
            "    print(outcome.ok, outcome.error, fcgraph.__file__)\n"
            "asyncio.run(main())\n"
        )
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        result = subprocess.run([str(venv / "bin" / "python"), "-c", script], capture_output=True, text=True,
                                env=env, timeout=60, cwd=scratch)
        assert result.stdout.startswith(f"True None {checkout}"), result.stdout + result.stderr


@in_event_loop
async def test_removing_a_dialogue_cancelled_while_its_copy_is_made_leaves_nothing(seed: Path, tmp_path: Path) -> None:
    for index in range(40):  # several bulky copies so that the cancellation lands mid-copy
        (seed / f"bulk_{index}.bin").write_bytes(os.urandom(256 * 1024))
    provider = LocalSandboxProvider(seed, tmp_path / "work", [TOOLS], isolation="none")
    opening = asyncio.ensure_future(provider.open("late"))
    await asyncio.sleep(0.005)
    opening.cancel()
    await asyncio.gather(opening, return_exceptions=True)
    await provider.remove("late")
    await asyncio.sleep(0.2)  # a copy still running in its thread would land here
    assert not (tmp_path / "work" / "late").exists()
    await provider.close()


@in_event_loop
async def test_copies_of_the_bundled_tree_carry_its_recorded_time_and_others_their_own(seed: Path, tmp_path: Path) -> None:
    """A git checkout gives the bundled files its own time; copies must not pass that on to tool outputs."""
    os.utime(seed / "notes.txt", (1_600_000_000, 1_600_000_000))
    for source, expected in [(BUNDLED_FILE_SYSTEM, {BUNDLED_MTIME}), (seed, None)]:
        provider = LocalSandboxProvider(source, tmp_path / f"work-{source.name}", [TOOLS], isolation="none")
        box = await provider.open("d1")
        times = {path.relative_to(box.root).as_posix(): path.lstat().st_mtime for path in Path(box.root).rglob("*")}
        if expected is None:
            assert times["notes.txt"] == 1_600_000_000  # a tree of one's own keeps its real times
        else:
            assert set(times.values()) == expected and Path(box.root).stat().st_mtime == BUNDLED_MTIME
        await box.close()
        await provider.close()


@in_event_loop
async def test_files_written_by_tools_get_the_sandbox_time_not_the_wall_clock(provider: LocalSandboxProvider) -> None:
    from fcgraph.sandbox.worker import SANDBOX_TIME

    os.utime(provider.seed_dir / "notes.txt", (1_600_000_000, 1_600_000_000))  # a seed file from long ago
    box = await provider.open("d1")
    assert (await box.call("write_text", {"path": "docs/new.txt", "content": "x"})).ok
    assert Path(box.root, "docs", "new.txt").stat().st_mtime == SANDBOX_TIME
    assert Path(box.root, "docs").stat().st_mtime == SANDBOX_TIME  # the folder changed too
    assert Path(box.root, "notes.txt").stat().st_mtime != SANDBOX_TIME  # untouched files keep their time
    await box.close()


@in_event_loop
async def test_a_fresh_dialogues_worker_has_the_heavy_libraries_imported(provider: LocalSandboxProvider) -> None:
    heavy = ["numpy", "pandas", "scipy.stats", "matplotlib.figure", "matplotlib.backends.backend_agg"]
    box = await provider.open("d1")
    assert (await box.call("loaded_modules", {"names": heavy})).result == heavy
    await box.close()


@in_event_loop
async def test_dialogues_are_forked_from_one_zygote_but_share_no_state(provider: LocalSandboxProvider) -> None:
    first, second = await provider.open("a"), await provider.open("b")
    a, b = (await first.call("whoami", {})).result, (await second.call("whoami", {})).result
    assert a["zygote"] == b["zygote"] is not None and a["parent"] == b["parent"] and a["pid"] != b["pid"]
    assert (await first.call("remember", {"value": "only in a"})).ok
    assert (await first.call("recall", {})).result == "only in a"
    assert (await second.call("recall", {})).result is None
    await first.close()
    await second.close()


@in_event_loop
async def test_a_timeout_kills_the_tools_children_and_the_next_call_gets_a_fresh_worker(
        provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    before = (await box.call("whoami", {})).result
    marker = f"sleeper-{uuid.uuid4()}"
    outcome = await box.call("hang_with_sleeper", {"marker": marker})
    assert outcome.error_kind == "timeout"
    eventually(lambda: not host_processes(argument=marker), "the tool's child outlived the timeout")
    after = (await box.call("whoami", {})).result
    assert after["pid"] != before["pid"] and after["zygote"] == before["zygote"]
    await box.close()


@in_event_loop
async def test_a_killed_zygote_is_reported_and_replaced(provider: LocalSandboxProvider, seed: Path) -> None:
    box = await provider.open("d1")
    zygote = zygote_pid((await box.call("whoami", {})).result["zygote"])
    os.kill(zygote, signal.SIGKILL)
    eventually(lambda: not alive(zygote), "the zygote survived SIGKILL")
    outcome = await box.call("list_root", {})
    assert outcome.error_kind == "crash" and outcome.error.startswith("worker died during 'list_root' (its zygote died")
    assert (await box.call("list_root", {})).result == ["docs", "notes.txt"]  # a new zygote, a new worker
    await box.close()
    later = LocalSandboxProvider(seed, provider.work_dir, [TOOLS], isolation=provider.isolation)
    fresh = await later.open("d2")
    assert (await fresh.call("list_root", {})).ok
    await fresh.close()
    await later.close()


@in_event_loop
async def test_closing_the_provider_leaves_no_process_behind(provider: LocalSandboxProvider) -> None:
    boxes = [await provider.open("a"), await provider.open("b")]
    marker = f"sleeper-{uuid.uuid4()}"
    workers = [(await box.call("whoami", {})).result for box in boxes]
    assert all([(await box.call("start_sleeper", {"marker": marker})).ok for box in boxes])
    family = f"FCGRAPH_ZYGOTE_ID={workers[0]['zygote']}"
    assert len(host_processes(argument=marker)) == 2 and host_processes(environ=family)
    await provider.close()
    assert not host_processes(environ=family) and not host_processes(argument=marker)
    if provider.isolation == "none":  # else the pids are the jail's, not the host's
        for pid in [worker["pid"] for worker in workers] + [worker["parent"] for worker in workers]:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    await provider.close()  # idempotent


@in_event_loop
async def test_jailed_workers_write_only_their_own_copy_and_temp_folder(jailed: LocalSandboxProvider,
                                                                        outside: Path) -> None:
    first, second = await jailed.open("a"), await jailed.open("b")
    assert (await second.call("write_text", {"path": "mine.txt", "content": "b's"})).ok
    host_tmp = Path("/tmp") / f"fcgraph-{uuid.uuid4()}"
    # without Landlock these may land in the jail's own /tmp (where the test's work_dir lies too), never on the host
    elsewhere = [jailed.work_dir / "x", outside, host_tmp]
    for target in [Path(second.root) / "mine.txt", Path(second.root) / "new.txt", *elsewhere]:
        outcome = await first.call("write_unchecked", {"path": str(target), "content": "pwned"})
        assert not outcome.ok or (target in elsewhere and not jailed.landlock), target
    assert not host_tmp.exists()
    assert Path(second.root, "mine.txt").read_text() == "b's" and not Path(second.root, "new.txt").exists()
    assert outside.read_text() == "host secret" and not (jailed.work_dir / "x").exists()
    made = await first.call("make_temp_file", {"content": "scratch"})
    assert made.ok and Path(made.result).read_text() == "scratch" and not Path(made.result).is_relative_to(first.root)
    assert (await first.call("write_unchecked", {"path": str(Path(first.root, "own.txt")), "content": "ok"})).ok
    await first.close()
    assert not Path(made.result).exists()  # the temp folder goes with the sandbox
    await second.close()


@in_event_loop
async def test_without_landlock_each_dialogue_has_a_zygote_of_its_own(jailed: LocalSandboxProvider) -> None:
    if jailed.landlock:
        pytest.skip("only the per-dialogue fallback")
    first, second = await jailed.open("a"), await jailed.open("b")
    a, b = (await first.call("whoami", {})).result, (await second.call("whoami", {})).result
    assert a["zygote"] != b["zygote"]
    assert (await first.call("loaded_modules", {"names": ["pandas"]})).result == ["pandas"]
    await first.close()
    assert not host_processes(environ=f"FCGRAPH_ZYGOTE_ID={a['zygote']}")  # its zygote went with it
    assert (await second.call("list_root", {})).ok
    await second.close()


@in_event_loop
async def test_a_zygote_that_cannot_start_is_one_clear_error_each_time(provider: LocalSandboxProvider,
                                                                       tmp_path: Path) -> None:
    broken = tmp_path / "broken_tools.py"
    broken.write_text('raise RuntimeError("broken on import")\n')
    failing = LocalSandboxProvider(provider.seed_dir, provider.work_dir, [str(broken)], isolation=provider.isolation)
    box = await failing.open("d1")
    for _ in range(2):  # each call tries again
        outcome = await box.call("list_root", {})
        assert outcome.error_kind == "crash" and outcome.error.startswith("worker failed to start (exit code 1): ")
        assert outcome.error.endswith("RuntimeError: broken on import")
    await box.close()
    await failing.close()


@in_event_loop
async def test_a_cancelled_call_kills_its_worker_and_the_next_call_gets_a_fresh_one(
        provider: LocalSandboxProvider) -> None:
    box = await provider.open("d1")
    before = (await box.call("whoami", {})).result
    marker = f"sleeper-{uuid.uuid4()}"
    call = asyncio.ensure_future(box.call("hang_with_sleeper", {"marker": marker}))
    while not host_processes(argument=marker):  # under way
        await asyncio.sleep(0.05)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    after = (await box.call("whoami", {})).result
    assert after["pid"] != before["pid"]
    eventually(lambda: not host_processes(argument=marker), "the cancelled call's process group outlived it")
    await box.close()
