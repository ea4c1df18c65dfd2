"""Resuming: an interrupted dialogue continues from its own last checkpoint and ends as if never stopped."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from fcgraph.config import load_config
from fcgraph.graph.builder import build_graph
from fcgraph.runner import Run

ROOT = Path(__file__).parents[1]


async def play_partly(run: Run, stop: Callable[[list[dict]], bool], attempt: int = 0) -> list[str]:
    """Plays a dialogue until `stop(updates so far)` holds, then stops as a killed process would; returns the
    ids of its saved checkpoints."""
    plan = run.sampler.plan(attempt)
    config = {**run.graph_config, "configurable": {"thread_id": plan["data_id"]}}
    async with AsyncSqliteSaver.from_conn_string(str(run.paths.checkpoints)) as saver:
        app = build_graph().compile(checkpointer=saver)
        updates = []
        async for update in app.astream({"plan": plan}, config, context=run.context, stream_mode="updates",
                                        durability="sync"):
            updates.append(update)
            if stop(updates):
                break
        await run.context.sandboxes.close()
        return [c.config["configurable"]["checkpoint_id"] async for c in saver.alist(config)]


def after_a_tool(updates: list[dict]) -> bool:
    return "tool" in updates[-1]


async def history(run: Run, data_id: str) -> list[str]:
    async with AsyncSqliteSaver.from_conn_string(str(run.paths.checkpoints)) as saver:
        return [c.config["configurable"]["checkpoint_id"]
                async for c in saver.alist({"configurable": {"thread_id": data_id}})]


def test_interrupted_dialogue_continues_from_its_checkpoint(tmp_path):
    settings = dict(n=1, seed=4, task_turn_weights={2: 1}, mode_weights={"single": 1}, sandbox_isolation="none")
    interrupted = Run(load_config(overrides={**settings, "out": tmp_path / "interrupted"}))
    before = asyncio.run(play_partly(interrupted, lambda updates: len(updates) == 4))
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


REPLACING = dict(n=1, fixed_tools=["replace_text"], mode_weights={"single": 1}, tool_nums_distribution={1: 1},
                 task_turn_weights={1: 1}, sandbox_isolation="none")


@pytest.fixture(scope="module")
def replacing_run(tmp_path_factory) -> tuple[str, int]:
    """An uninterrupted one-dialogue run whose only tool changes a file: its record and attempt number."""
    fresh = Run(load_config(overrides={**REPLACING, "out": tmp_path_factory.mktemp("fresh")}))
    asyncio.run(fresh.execute())
    expected = fresh.paths.data.read_text()
    record = json.loads(expected)
    assert json.loads(next(m["content"] for m in record["messages"] if m["role"] == "tool"))["replacements"] > 0
    return expected, next(a for a in range(50) if fresh.sampler.data_id(a) == record["data_id"])


def test_dialogue_killed_before_its_checkpoints_reached_the_disk_starts_again_on_a_fresh_copy(tmp_path, replacing_run):
    """LangGraph saves checkpoints in the background: a SIGKILL can leave only the input's, with the copy changed."""
    expected, attempt = replacing_run
    killed = Run(load_config(overrides={**REPLACING, "out": tmp_path}))
    asyncio.run(play_partly(killed, after_a_tool, attempt))
    with sqlite3.connect(killed.paths.checkpoints) as db:  # all but the input's checkpoint never reached the disk
        db.execute("DELETE FROM checkpoints WHERE parent_checkpoint_id IS NOT NULL")

    resumed = Run(load_config(overrides={**REPLACING, "out": tmp_path}))
    asyncio.run(resumed.execute())
    assert resumed.paths.data.read_text() == expected


def test_a_tool_step_whose_writes_were_saved_counts_as_made(tmp_path, replacing_run):
    """Killed after the tool step's writes were saved, not the checkpoint after it: LangGraph will not run the
    step again, so the rebuilt copy must already hold its change."""
    expected, attempt = replacing_run
    killed = Run(load_config(overrides={**REPLACING, "out": tmp_path}))
    asyncio.run(play_partly(killed, after_a_tool, attempt))
    plan = killed.sampler.plan(attempt)
    config = {**killed.graph_config, "configurable": {"thread_id": plan["data_id"]}}

    async def restore() -> AIMessage:
        async with AsyncSqliteSaver.from_conn_string(str(killed.paths.checkpoints)) as saver:
            app = build_graph().compile(checkpointer=saver)
            before_tool = [s async for s in app.aget_state_history(config) if s.next == ("tool",)][0]
            with sqlite3.connect(killed.paths.checkpoints) as db:
                db.execute("DELETE FROM checkpoints WHERE checkpoint_id > ?",
                           (before_tool.config["configurable"]["checkpoint_id"],))
            resumed = Run(load_config(overrides={**REPLACING, "out": tmp_path}))
            assert await resumed._restore_sandbox(app, plan, config)
            await resumed.context.sandboxes.close()
            return before_tool.values["messages"][-1]

    call = asyncio.run(restore()).tool_calls[0]
    assert call["name"] == "replace_text"
    assert call["args"]["new"] in (tmp_path / "sandboxes" / plan["data_id"] / call["args"]["path"]).read_text()

    resumed = Run(load_config(overrides={**REPLACING, "out": tmp_path}))
    asyncio.run(resumed.execute())
    assert resumed.paths.data.read_text() == expected
