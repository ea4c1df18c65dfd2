"""The graph as `langgraph dev` / Studio runs it: the server's checkpointer, no run context, step by step."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from fcgraph.config import load_config
from fcgraph.graph.builder import build_graph
from fcgraph.graph.context import default_context
from fcgraph.records import build_record
from fcgraph.runner import Run

ROOT = Path(__file__).parents[1]


def test_langgraph_json_points_at_the_studio_graph():
    spec = json.loads((ROOT / "langgraph.json").read_text())
    module, _, name = spec["graphs"]["dialogue"].partition(":")
    assert (ROOT / module).is_file() and name == "graph"


def test_a_dialogue_steps_through_without_a_run_context(tmp_path, monkeypatch):
    config_file = tmp_path / "fcgraph.toml"
    config_file.write_text(f'sandbox_isolation = "none"\nvirtual_cache_path = "{tmp_path / "virtual.sqlite"}"\n'
                           'mode_weights = {single = 1}\ntask_turn_weights = {1 = 1}\n')
    monkeypatch.setenv("FCGRAPH_CONFIG", str(config_file))
    monkeypatch.setenv("FCGRAPH_STUDIO_OUT", str(tmp_path / "studio"))
    default_context.cache_clear()
    graph = build_graph().compile(checkpointer=InMemorySaver(), interrupt_before=["assistant"])
    thread = {"configurable": {"thread_id": "studio-1"}, "recursion_limit": 100}

    async def step_through() -> tuple[list[tuple[str, ...]], dict]:
        stops = []
        state = await graph.ainvoke({"attempt": 2}, thread)  # no context: the default one is used
        while (snapshot := await graph.aget_state(thread)).next:
            stops.append(snapshot.next)
            state = await graph.ainvoke(None, thread)
        return stops, state

    try:
        stops, state = asyncio.run(step_through())
    finally:
        default_context.cache_clear()
    assert stops and all(stop == ("assistant",) for stop in stops)  # paused before every assistant reply
    assert state["outcome"] == "completed"
    reference = Run(load_config(config_file, {"out": tmp_path / "reference"}))
    assert state["plan"] == reference.sampler.plan(2)  # the same dialogue `fcgraph run` plans as attempt 2
    assert build_record(state, reference.config)["messages"][1]["role"] == "user"
