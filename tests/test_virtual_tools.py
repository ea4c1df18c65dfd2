"""Schema-only tools: JSON definitions, virtual replies from the tool model, the shared reply cache."""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import run_cli, scripted_model
from langchain_core.messages import AIMessage
from jsonschema import validate

from fcgraph.agents.tool import VirtualTools, execute
from fcgraph.sandbox import LocalSandboxProvider
from fcgraph.simulator.chat_model import SimChatModel
from fcgraph.tools.definitions import ToolDefinitionError, load_definitions
from fcgraph.tools.registry import ToolRegistry
from fcgraph.tools.virtual import VirtualReplyCache

FORECAST = {
    "type": "function",
    "function": {
        "name": "weather_forecast",
        "description": "Daily weather forecast for a city.",
        "parameters": {"type": "object", "properties": {
            "city": {"type": "string", "description": "City name"},
            "days": {"type": "integer", "minimum": 1, "maximum": 7, "description": "How many days"}},
            "required": ["city"]},
    },
    "category": "weather", "source": "example", "licence": "CC0-1.0",
    "response": {"type": "object", "required": ["city", "days"], "properties": {
        "city": {"type": "string"},
        "days": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["date", "high_c"],
                 "properties": {"date": {"type": "string", "format": "date"}, "high_c": {"type": "number"}}}}}},
}


@pytest.fixture
def definitions(tmp_path):
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "weather.json").write_text(json.dumps([FORECAST]))
    return folder


def test_json_definitions_join_the_registry_as_schema_only(definitions):
    registry = ToolRegistry.load([definitions])
    spec = registry["weather_forecast"]
    assert spec.summary() == {"name": "weather_forecast", "category": "weather", "kind": "schema_only",
                              "source": "example", "licence": "CC0-1.0"}
    assert spec.module is None and spec.module not in registry.modules and registry["read_file"].kind == "executable"


@pytest.mark.parametrize("broken, problem", [
    ("{", "not valid JSON"),
    ('{"type": "function", "function": {"name": "bad name!", "description": "x"}}', "'name'"),
    ('{"name": "ok_name", "description": ""}', "'description'"),
    ('{"name": "ok_name", "description": "d", "parameters": {"type": "array"}}', "type 'object'"),
    ('{"name": "ok_name", "description": "d", "parameters": {"type": "object", "required": ["x"]}}', "required"),
    ('{"name": "ok_name", "description": "d", "parameters": {"type": "object", "properties": {"x": {"type": 5}}}}',
     "not a valid JSON schema"),
])
def test_bad_definitions_name_the_file_and_the_problem(tmp_path, broken, problem):
    path = tmp_path / "broken.json"
    path.write_text(broken)
    with pytest.raises(ToolDefinitionError, match=problem) as error:
        load_definitions(path)
    assert str(path) in str(error.value)


def test_virtual_replies_follow_the_schema_and_are_cached(definitions, tmp_path):
    spec = ToolRegistry.load([definitions])["weather_forecast"]
    cache = VirtualReplyCache(tmp_path / "cache.sqlite")
    tools = VirtualTools(SimChatModel(seed=1), cache)
    first, from_cache = asyncio.run(tools.reply(spec, {"city": "Portland", "days": 3}))
    assert first.ok and not from_cache
    validate(first.result, FORECAST["response"])
    assert first.result["city"] == "Portland"  # the reply repeats the caller's own values
    again, from_cache = asyncio.run(tools.reply(spec, {"days": 3, "city": "Portland"}))  # same call, other order
    assert from_cache and again.result == first.result
    assert cache.examples("weather_forecast", 3) == [{"arguments": {"city": "Portland", "days": 3}, "reply": first.result}]
    # shared across runs: a new cache object on the same file answers from disk
    later, from_cache = asyncio.run(VirtualTools(SimChatModel(seed=99), VirtualReplyCache(cache.path)).reply(
        spec, {"city": "Portland", "days": 3}))
    assert from_cache and later.result == first.result


def test_a_tool_model_reply_that_is_not_json_is_a_tool_error_not_a_crash(definitions, tmp_path):
    spec = ToolRegistry.load([definitions])["weather_forecast"]
    tools = VirtualTools(scripted_model(AIMessage("sunny, probably")), VirtualReplyCache(tmp_path / "c.sqlite"))
    outcome, _ = asyncio.run(tools.reply(spec, {"city": "Oslo"}))
    assert not outcome.ok and "no JSON" in outcome.error


def test_executable_tool_that_times_out_falls_back_to_a_virtual_reply(tmp_path):
    tools_dir = tmp_path / "tools"
    tools_dir.mkdir()
    (tools_dir / "slow.py").write_text('import time\n\n\ndef slow_lookup(key: str) -> str:\n'
                                       '    """Look a key up slowly.\n\n    Args:\n        key: The key.\n    """\n'
                                       '    time.sleep(5)\n    return key\n')
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "a.txt").write_text("a")
    registry = ToolRegistry.load([tools_dir])
    provider = LocalSandboxProvider(tmp_path / "seed", tmp_path / "work", registry.modules, timeout_s=0.5, isolation="none")
    virtual = VirtualTools(SimChatModel(seed=2), VirtualReplyCache(tmp_path / "c.sqlite"))
    call = AIMessage("", tool_calls=[{"name": "slow_lookup", "args": {"key": "k"}, "id": "c1"}])

    async def run(fallback: bool):
        sandbox = await provider.open(f"d{int(fallback)}")
        try:
            return await execute(lambda: _ready(sandbox), call, {"slow_lookup"}, registry, virtual, 4096, fallback)
        finally:
            await sandbox.close()

    (without, _), (with_fallback, stats) = asyncio.run(run(False)), asyncio.run(run(True))
    assert "timed out" in without[0].content
    assert "timed out" not in with_fallback[0].content and json.loads(with_fallback[0].content)["status"] == "ok"
    assert stats["virtual_replies"] == 1


async def _ready(value):
    return value


def test_long_outputs_are_cut_with_a_visible_marker_and_counted(tool_sandbox, tmp_path):
    registry = ToolRegistry.load()
    call = AIMessage("", tool_calls=[{"name": "read_file", "args": {"path": "hr/employees.csv", "max_lines": 500},
                                      "id": "c1"}])
    virtual = VirtualTools(SimChatModel(), VirtualReplyCache(tmp_path / "c.sqlite"))
    messages, stats = tool_sandbox.loop.run_until_complete(
        execute(lambda: _ready(tool_sandbox.box), call, {"read_file"}, registry, virtual, 300))
    assert len(messages[0].content) < 400 and messages[0].content.endswith("characters shown]")
    assert stats["truncated_outputs"] == 1


def test_runs_offering_bundled_apis_get_virtual_replies_and_share_the_cache(tmp_path):
    settings = ["--n", "8", "--seed", "4", "--set", 'schema_only_tools=["openapi_*"]',
                "--set", f"virtual_cache_path='{tmp_path / 'shared.sqlite'}'"]
    stats = []
    for name in ("first", "second"):
        result = run_cli("run", "--out", str(tmp_path / name), *settings)
        assert result.returncode == 0, result.stderr
        stats.append(json.loads((tmp_path / name / "stats.json").read_text()))
    assert stats[0]["virtual_replies"] > 0 and stats[0]["virtual_cache_hit_rate"] == 0
    assert stats[1]["virtual_replies"] == stats[0]["virtual_replies"] and stats[1]["virtual_cache_hit_rate"] == 1
    records = [json.loads(line) for line in (tmp_path / "first" / "data.jsonl").read_text().splitlines()]
    offered = {t["function"]["name"] for r in records for t in r["tools"]}
    assert offered & set(ToolRegistry.load(schema_only=["openapi_*"]).names) - set(ToolRegistry.load().names)
