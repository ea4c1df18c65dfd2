"""`fcgraph run` with every role on a real OpenAI-compatible endpoint: the simulator served over HTTP and
reached through langchain-openai, with voting, reasoning, injected faults and a dead endpoint."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from conftest import API_KEY, run_cli
from fcgraph.agents.models import ROLES

MODEL = "sim-over-http"
PRICE = "prices.sim-over-http={input=1.5, output=6}"


def endpoint_run(out: Path, url: str, *args: str, n: int = 3) -> Any:
    """`fcgraph run` with every role on `url`, the key in a variable of our choosing."""
    return run_cli("run", "--n", str(n), "--out", str(out), "--base-url", url, "--model", MODEL,
                   "--api-key-env", "FCGRAPH_TEST_KEY", "--set", "sandbox_isolation='none'", *args,
                   env={"FCGRAPH_TEST_KEY": API_KEY}, timeout=600)


def every_role(setting: str) -> list[str]:
    return [arg for role in ROLES for arg in ("--set", f"models.{role}.{setting}")]


def served(server: Any) -> list[str]:
    """The server's log lines of chat requests, one per request it received."""
    return [line for line in server.log_file.read_text().splitlines() if "/v1/chat/completions" in line]


def records(out: Path, name: str = "data.jsonl") -> list[dict[str, Any]]:
    path = out / name
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def every_byte_written(out: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file())


@pytest.fixture(scope="module")
def voting_run(sim_server, tmp_path_factory) -> tuple[Path, Any, Any]:
    server = sim_server("--reasoning", "field")
    out = tmp_path_factory.mktemp("endpoint") / "run"
    result = endpoint_run(out, server.url, "--assistant-n-response", "3", "--set", PRICE, n=4)
    return out, result, server


def test_every_role_runs_on_the_endpoint(voting_run) -> None:
    out, result, server = voting_run
    assert result.returncode == 0, result.stderr
    accepted = records(out)
    assert len(accepted) == 4
    for record in accepted:
        assert record["generator"] != "sim" and set(record["models"].values()) == {MODEL}
        assert set(record["usage"]) >= {"user", "assistant", "checker"}
        assert all(counts["calls"] > 0 and counts["input_tokens"] > 0 for counts in record["usage"].values())
    requests = served(server)
    spent = json.loads((out / "stats.json").read_text())["spent_this_session"]["usage"]
    spent_calls = sum(counts["calls"] for counts in spent.values())
    # the session's spend includes dialogues failed or left unfinished once N were accepted; requests of those
    # cut off at that moment reach the server (as "the client closed the connection") but return no usage
    assert sum(counts["calls"] for r in accepted for counts in r["usage"].values()) < spent_calls <= len(requests)
    assert spent_calls >= sum(line.endswith(" 200") for line in requests) - 4 * 3  # at most 4 dialogues x 3 samples cut off


def test_votes_of_three_samples_are_recorded(voting_run) -> None:
    out, _, _ = voting_run
    for record in records(out):
        assistant = {str(i) for i, m in enumerate(record["messages"]) if m["role"] == "assistant"}
        assert set(record["assistant_votes"]) == assistant
        assert all(vote["samples"] == 3 and sum(vote["votes"]) == 3 for vote in record["assistant_votes"].values())


def test_reasoning_goes_to_assistant_reasonings_not_messages(voting_run) -> None:
    out, _, _ = voting_run
    for record in records(out):
        assistant = {str(i) for i, m in enumerate(record["messages"]) if m["role"] == "assistant"}
        assert set(record["assistant_reasonings"]) == assistant
        texts = json.dumps(record["messages"])
        assert "reasoning_content" not in texts
        assert not [r for r in record["assistant_reasonings"].values() if r in texts]


def test_usage_and_cost_reach_stats_and_summary(voting_run) -> None:
    out, result, _ = voting_run
    stats = json.loads((out / "stats.json").read_text())
    played = records(out) + records(out, "failed.jsonl")
    for kind in ("input_tokens", "output_tokens"):
        assert stats["tokens"][kind] == sum(c[kind] for r in played for c in r["usage"].values()) > 0
    expected = (stats["tokens"]["input_tokens"] * 1.5 + stats["tokens"]["output_tokens"] * 6) / 1e6
    assert stats["cost_usd"] == pytest.approx(expected, abs=1e-5)
    assert stats["cost_per_accepted_usd"] == pytest.approx(stats["cost_usd"] / 4, abs=1e-5)
    assert sum(r["cost_usd"] for r in played) == pytest.approx(stats["cost_usd"], abs=1e-5)
    assert "per accepted dialogue" in result.stderr + result.stdout


def test_the_api_key_is_nowhere(voting_run) -> None:
    out, result, server = voting_run
    assert API_KEY.encode() not in every_byte_written(out)  # records, stats, run_config, checkpoints (SQLite)
    assert API_KEY not in result.stdout + result.stderr + server.log_file.read_text()


@pytest.mark.parametrize("faults, seen", [("429,500", [" 429 ", " 500 "]), ("timeout", ["fault=timeout"])])
def test_retries_recover_from_injected_faults(sim_server, tmp_path: Path, faults: str, seen: list[str]) -> None:
    server = sim_server("--fault-rate", "0.3", "--faults", faults, "--retry-after", "0.1", "--hang-s", "30")
    result = endpoint_run(tmp_path / "run", server.url, *every_role("max_retries=12"), *every_role("timeout=1"))
    assert result.returncode == 0, result.stderr
    assert len(records(tmp_path / "run")) == 3 and not records(tmp_path / "run", "failed.jsonl")
    log = server.log_file.read_text()
    assert all(mark in log for mark in seen)


def test_malformed_tool_call_json_becomes_checker_feedback(sim_server, tmp_path: Path) -> None:
    server = sim_server("--fault-rate", "0.3", "--faults", "malformed")
    result = endpoint_run(tmp_path / "run", server.url, "--checker-max-retries", "2")
    assert result.returncode == 0, result.stderr
    stats = json.loads((tmp_path / "run" / "stats.json").read_text())
    assert stats["accepted"] == 3 and stats["checker_retries"] > 0
    assert "malformed" in server.log_file.read_text()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("kind", ["nothing listening", "always 500"])
def test_an_endpoint_that_stays_down_fails_dialogues_and_the_run_goes_on(sim_server, tmp_path: Path, kind: str) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1" if kind == "nothing listening" else \
        sim_server("--fault-rate", "1", "--faults", "500").url
    result = endpoint_run(tmp_path / "run", url, "--max-attempts", "3", "--set", "models.user.max_retries=1", n=2)
    assert result.returncode == 1 and "stopped after 3 attempts" in result.stderr
    assert "Traceback" not in result.stderr
    failed = records(tmp_path / "run", "failed.jsonl")
    assert [r["reason"] for r in failed] == ["endpoint_error"] * 3
    for record in failed:
        assert "user model 'sim-over-http'" in record["detail"] and url.removesuffix("/v1") in record["detail"]
        assert ("Connection error" if kind == "nothing listening" else "HTTP 500") in record["detail"]


@pytest.mark.parametrize("limit", [2, 3])
def test_requests_in_flight_stay_within_the_endpoint_limit(sim_server, tmp_path: Path, limit: int) -> None:
    server = sim_server("--latency-ms", "150", "--seed", str(limit))  # a server of its own: its peak is this run's
    result = endpoint_run(tmp_path / "run", server.url, "--concurrency", "6", *every_role(f"max_in_flight={limit}"))
    assert result.returncode == 0, result.stderr
    assert server.health()["peak_in_flight"] == limit  # six dialogues at once would send more without the limit


def test_requests_per_minute_space_the_requests_out(sim_server, tmp_path: Path) -> None:
    server = sim_server("--seed", "3")
    result = endpoint_run(tmp_path / "run", server.url, "--concurrency", "4", *every_role("requests_per_minute=300"), n=1)
    assert result.returncode == 0, result.stderr
    requests = served(server)
    # a bucket of one request refilling at 5 per second: n requests take at least (n - 1) / 5 seconds (unlimited, a second or so)
    assert json.loads((tmp_path / "run" / "stats.json").read_text())["wall_time_s"] >= (len(requests) - 1) / 5
