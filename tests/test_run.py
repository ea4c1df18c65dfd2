"""`fcgraph run` as a user runs it: records, determinism, resume after SIGKILL, limits and bad input."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TEST_HOME, run_cli, tree_digest

from fcgraph import __version__
from fcgraph.config import CALL_MODES, DEFAULT_FILE_SYSTEM

RECORD_FIELDS = {"data_id", "messages", "tools", "assistant_reasonings", "selected_files", "checker_not_pass_index",
                 "task_complete_index", "is_task_completable", "dialog_mode", "round_cnt", "generator", "models",
                 "fcgraph_version", "seed", "persona", "tone"}


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "run"
    result = run_cli("run", "--n", "60", "--out", str(out), "--seed", "11", "--concurrency", "4")
    assert result.returncode == 0, result.stderr
    return out


def test_run_writes_accepted_failed_and_stats(demo_run, seed_digest):
    records = lines(demo_run / "data.jsonl")
    assert len(records) == 60 and len({r["data_id"] for r in records}) == 60
    stats = json.loads((demo_run / "stats.json").read_text())
    assert stats["accepted"] == 60 and stats["failed"] == len(lines(demo_run / "failed.jsonl"))
    assert set(stats["modes"]) == set(CALL_MODES)  # every mode appears in a default 60-dialogue run
    for failure in lines(demo_run / "failed.jsonl"):
        assert failure["reason"]
    assert tree_digest(DEFAULT_FILE_SYSTEM) == seed_digest  # the seed file system is never touched
    assert not any((demo_run / "sandboxes").iterdir())  # every private copy is removed


def test_record_schema(demo_run):
    for record in lines(demo_run / "data.jsonl"):
        assert RECORD_FIELDS <= set(record)
        assert record["generator"] == "sim" and record["fcgraph_version"] == __version__ and record["seed"] == 11
        messages = record["messages"]
        assert messages[0]["role"] == "system" and messages[1]["role"] == "user"
        call_ids = set()
        for message in messages:
            assert message["role"] in ("system", "user", "assistant", "tool")
            for call in message.get("tool_calls") or []:
                assert call["type"] == "function" and isinstance(json.loads(call["function"]["arguments"]), dict)
                call_ids.add(call["id"])
            if message["role"] == "tool":
                assert message["tool_call_id"] in call_ids
        assert record["round_cnt"] == len(record["dialog_mode"]) == len(record["task_complete_index"])
        assert len(record["is_task_completable"]) == record["round_cnt"]
        for index in record["task_complete_index"]:
            assert index == -1 or messages[index]["role"] == "assistant"
        for index in record["checker_not_pass_index"]:
            assert messages[index]["role"] == "assistant"
        assert all(t["type"] == "function" and t["function"]["parameters"]["type"] == "object" for t in record["tools"])


def test_same_seed_same_records_whatever_the_concurrency(tmp_path):
    outputs = []
    for concurrency in ("1", "5"):
        out = tmp_path / f"c{concurrency}"
        assert run_cli("run", "--n", "15", "--out", str(out), "--seed", "5", "--concurrency", concurrency).returncode == 0
        outputs.append((out / "data.jsonl").read_bytes())
    assert outputs[0] == outputs[1]
    other = tmp_path / "other-seed"
    assert run_cli("run", "--n", "15", "--out", str(other), "--seed", "6").returncode == 0
    assert (other / "data.jsonl").read_bytes() != outputs[0]


def written(data: Path) -> int:
    return data.read_text().count("\n") if data.exists() else 0


KILL_MOMENTS = {  # when to kill: mid-run, or as soon as the first dialogue is under way and nothing is written
    "after_8_records": lambda out: written(out / "data.jsonl") >= 8,
    "first_dialogue_started": lambda out: (out / "sandboxes").is_dir() and any(
        not p.name.startswith(".") for p in (out / "sandboxes").iterdir()),
}


@pytest.mark.parametrize("moment", KILL_MOMENTS)
def test_resume_after_sigkill_gives_exactly_n(tmp_path, moment):
    out, n = tmp_path / "killed", 40
    process = subprocess.Popen([sys.executable, "-m", "fcgraph", "run", "--n", str(n), "--out", str(out), "--seed", "2",
                                "--concurrency", "4"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "HOME": str(TEST_HOME)})
    data = out / "data.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not KILL_MOMENTS[moment](out):
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert written(data) < n, "the kill should land before the run ends"

    assert run_cli("run", "--n", str(n), "--out", str(out), "--seed", "2", "--concurrency", "4").returncode == 0
    records = lines(data)  # every line parses: no torn line
    assert len(records) == n and len({r["data_id"] for r in records}) == n

    reference = tmp_path / "uninterrupted"
    assert run_cli("run", "--n", str(n), "--out", str(reference), "--seed", "2").returncode == 0
    assert data.read_bytes() == (reference / "data.jsonl").read_bytes()


def test_rerun_of_a_finished_run_adds_nothing(tmp_path):
    out = tmp_path / "done"
    assert run_cli("run", "--n", "5", "--out", str(out)).returncode == 0
    before = (out / "data.jsonl").read_bytes()
    assert run_cli("run", "--n", "5", "--out", str(out)).returncode == 0
    assert (out / "data.jsonl").read_bytes() == before


def test_torn_last_line_is_trimmed_on_resume(tmp_path):
    out = tmp_path / "torn"
    assert run_cli("run", "--n", "4", "--out", str(out)).returncode == 0
    with (out / "data.jsonl").open("a") as handle:
        handle.write('{"data_id": "fc-0-0000')  # what a crash in the middle of a write could leave
    assert run_cli("run", "--n", "6", "--out", str(out)).returncode == 0
    assert len(lines(out / "data.jsonl")) == 6


def test_attempt_limit_is_reported(tmp_path):
    result = run_cli("run", "--n", "50", "--out", str(tmp_path / "limited"), "--max-attempts", "3")
    assert result.returncode == 1
    assert "stopped after 3 attempts" in result.stderr
    assert len(lines(tmp_path / "limited" / "data.jsonl")) <= 3
    again = run_cli("run", "--n", "50", "--out", str(tmp_path / "limited"), "--max-attempts", "3")
    assert again.returncode == 1 and "stopped after 3 attempts" in again.stderr  # attempts of the earlier session count


@pytest.mark.parametrize("args, message", [
    (["--set", "mode_weights={single=-1}"], "mode_weights.single"),
    (["--set", "mode_weights={teleport=1}"], "mode_weights"),
    (["--set", "no_such_setting=3"], "no_such_setting"),
    (["--n", "0"], "n:"),
    (["--file-system-path", "/does/not/exist"], "file_system_path"),
    (["--set", "fixed_tools=['no_such_tool']"], "no_such_tool"),
    (["--set", "models.user.provider='openai'"], "OPENAI_API_KEY"),
])
def test_bad_configuration_is_one_clear_message(tmp_path, args, message):
    env_key = os.environ.pop("OPENAI_API_KEY", None)
    try:
        result = run_cli("run", "--out", str(tmp_path / "bad"), *args)
    finally:
        if env_key is not None:
            os.environ["OPENAI_API_KEY"] = env_key
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_bad_config_file(tmp_path):
    config = tmp_path / "fcgraph.toml"
    config.write_text("n = [unclosed\n")
    result = run_cli("run", "--config", str(config))
    assert result.returncode == 2 and "not valid TOML" in result.stderr and "Traceback" not in result.stderr
    config.write_text("n = 3\nmax_task_turns = 1\n")
    result = run_cli("run", "--config", str(config), "--out", str(tmp_path / "from-file"), "--n", "2")
    assert result.returncode == 0
    records = lines(tmp_path / "from-file" / "data.jsonl")
    assert len(records) == 2 and all(r["round_cnt"] == 1 for r in records)  # file value kept, flag overrides n


def test_changed_settings_in_same_out_dir_are_refused(tmp_path):
    out = tmp_path / "mixed"
    assert run_cli("run", "--n", "2", "--out", str(out), "--seed", "1").returncode == 0
    result = run_cli("run", "--n", "2", "--out", str(out), "--seed", "2")
    assert result.returncode == 2 and "seed" in result.stderr


def test_a_sandbox_that_cannot_start_stops_the_run_at_once(tmp_path, monkeypatch):
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "service.py").write_text(
        'import os\n\nTOKEN = os.environ["MY_SERVICE_TOKEN"]  # secrets are kept from tools: fails in the worker\n\n\n'
        'def ping() -> str:\n    """Say pong."""\n    return "pong"\n')
    monkeypatch.setenv("MY_SERVICE_TOKEN", "secret")
    result = run_cli("run", "--n", "3", "--out", str(tmp_path / "broken"), "--set", f"tool_defines_path=['{tools}']")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the sandbox cannot run tools" in result.stderr and "MY_SERVICE_TOKEN" in result.stderr
    assert not (tmp_path / "broken" / "data.jsonl").exists()


def test_out_that_is_a_file_is_one_clear_message(tmp_path):
    (tmp_path / "taken").write_text("not a directory")
    result = run_cli("run", "--n", "1", "--out", str(tmp_path / "taken"))
    assert result.returncode == 2 and "taken" in result.stderr and "Traceback" not in result.stderr


def test_broken_user_tool_file_names_the_file(tmp_path):
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "half_written.py").write_text("def ping(:\n")
    result = run_cli("run", "--n", "1", "--out", str(tmp_path / "x"), "--set", f"tool_defines_path=['{tools}']")
    assert result.returncode == 2 and "half_written.py" in result.stderr and "SyntaxError" in result.stderr
    assert "Traceback" not in result.stderr
