"""Resuming: an interrupted dialogue continues from its own last checkpoint and ends as if never stopped."""

from __future__ import annotations

import asyncio
import json
import re
import tomllib
from pathlib import Path

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from fcgraph.config import load_config
from fcgraph.graph.builder import build_graph
from fcgraph.runner import Run

ROOT = Path(__file__).parents[1]


async def play_partly(run: Run, steps: int) -> list[str]:
    """Runs the first dialogue for a few graph steps, then stops as a killed process would."""
    plan = run.sampler.plan(0)
    config = {**run.graph_config, "configurable": {"thread_id": plan["data_id"]}}
    async with AsyncSqliteSaver.from_conn_string(str(run.paths.checkpoints)) as saver:
        app = build_graph().compile(checkpointer=saver)
        seen = 0
        async for _ in app.astream({"plan": plan}, config, context=run.context, stream_mode="updates",
                                   durability="sync"):
            seen += 1
            if seen == steps:
                break
        return [c.config["configurable"]["checkpoint_id"] async for c in saver.alist(config)]


async def history(run: Run, data_id: str) -> list[str]:
    async with AsyncSqliteSaver.from_conn_string(str(run.paths.checkpoints)) as saver:
        return [c.config["configurable"]["checkpoint_id"]
                async for c in saver.alist({"configurable": {"thread_id": data_id}})]


def test_interrupted_dialogue_continues_from_its_checkpoint(tmp_path):
    settings = dict(n=1, seed=4, task_turn_weights={2: 1}, mode_weights={"single": 1}, sandbox_isolation="none")
    interrupted = Run(load_config(overrides={**settings, "out": tmp_path / "interrupted"}))
    before = asyncio.run(play_partly(interrupted, steps=4))
    assert len(before) >= 4

    resumed = Run(load_config(overrides={**settings, "out": tmp_path / "interrupted"}))
    asyncio.run(resumed.execute())
    after = asyncio.run(history(resumed, resumed.sampler.data_id(0)))
    assert after[-len(before):] == before  # the old checkpoints are the start of the finished history
    assert len(after) > len(before)

    fresh = Run(load_config(overrides={**settings, "out": tmp_path / "fresh"}))
    asyncio.run(fresh.execute())
    read = lambda run: (run.paths.out / "data.jsonl").read_text()  # noqa: E731
    assert read(resumed) == read(fresh) and json.loads(read(fresh))["round_cnt"] == 2


def test_readme_configuration_example_is_valid(tmp_path):
    block = re.search(r"```toml\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL).group(1)
    config_file = tmp_path / "fcgraph.toml"
    config_file.write_text(block)
    config = load_config(config_file)
    assert tomllib.loads(block)["n"] == config.n and config.models.assistant.provider == "openai"


def test_resumed_dialogue_finds_its_files_as_at_its_last_checkpoint(tmp_path):
    """The copy a killed run left behind is replaced by a fresh one with the answered calls replayed."""
    settings = dict(n=1, seed=3, task_turn_weights={2: 1}, mode_weights={"single": 1}, sandbox_isolation="none",
                    fixed_tools=["write_file", "append_to_file"], out=tmp_path / "run")
    run = Run(load_config(overrides=settings))
    plan = run.sampler.plan(0)
    copy = run.paths.sandboxes / plan["data_id"]

    async def setup_and_rebuild():
        sandbox = await run.context.sandboxes.open(plan["data_id"])
        await sandbox.call("write_file", {"path": "left_over.txt", "content": "from a killed run"})
        messages = [
            AIMessage("", tool_calls=[{"name": "write_file", "args": {"path": "kept.txt", "content": "answered"},
                                       "id": "c1"}]),
            ToolMessage('{"path": "kept.txt", "bytes": 8}', tool_call_id="c1"),
            AIMessage("", tool_calls=[{"name": "write_file", "args": {"path": "pending.txt", "content": "no result"},
                                       "id": "c2"}]),
        ]
        await run._rebuild_sandbox(plan, messages)

    asyncio.run(setup_and_rebuild())
    assert (copy / "kept.txt").read_text() == "answered"
    assert not (copy / "left_over.txt").exists() and not (copy / "pending.txt").exists()
