"""Shared fixtures: real configurations, the real graph with a SQLite checkpointer, real sandboxes."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import subprocess
import tempfile
import sys
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from fcgraph.config import DEFAULT_FILE_SYSTEM, GenerationConfig, load_config
from fcgraph.graph.builder import build_graph
from fcgraph.runner import Run
from fcgraph.sandbox import LocalSandboxProvider, ToolOutcome
from fcgraph.tools.discovery import BUILTIN_MODULES

NO_FAULTS = {"unknown_tool_rate": 0, "missing_argument_rate": 0, "wrong_type_rate": 0, "premature_answer_rate": 0}


@pytest.fixture
def make_config(tmp_path: Path):
    """Configurations for the tests, each with a run directory of its own."""
    made = itertools.count()

    def make(**overrides: Any) -> GenerationConfig:
        return load_config(overrides={"out": tmp_path / f"run{next(made)}", "sandbox_isolation": "none",
                                      "virtual_cache_path": tmp_path / "virtual.sqlite", **overrides})

    return make


def play(config: GenerationConfig, attempt: int = 0, models: dict[str, Any] | None = None,
         callbacks: list[Any] = ()) -> tuple[dict[str, Any], list[str]]:
    """One dialogue through the real graph; returns the final state and the nodes in the order they ran.

    `models` replaces some roles' chat models, e.g. with one that misbehaves like a broken endpoint;
    `callbacks` are LangChain callback handlers, e.g. to see every prompt.
    """

    async def go() -> tuple[dict[str, Any], list[str]]:
        run = Run(config)
        run.context.models.update(models or {})
        plan = run.sampler.plan(attempt)
        graph_config = {**run.graph_config, "configurable": {"thread_id": plan["data_id"]}, "callbacks": list(callbacks)}
        visited: list[str] = []
        async with AsyncSqliteSaver.from_conn_string(str(run.paths.checkpoints)) as saver:
            app = build_graph().compile(checkpointer=saver)
            async for update in app.astream({"plan": plan}, graph_config, context=run.context, stream_mode="updates"):
                visited.extend(update)
            state = (await app.aget_state(graph_config)).values
        return state, visited

    return asyncio.run(go())


TEST_HOME = Path(tempfile.mkdtemp(prefix="fcgraph-test-home-"))  # user-level caches of CLI runs land here


def run_cli(*args: str, timeout: float = 240, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.CompletedProcess:
    """The CLI in a subprocess; `env` adds to (or, with "", blanks) our environment."""
    return subprocess.run([sys.executable, "-m", "fcgraph", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "200", "HOME": str(TEST_HOME), **(env or {})}, **kwargs)


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def seed_digest() -> dict[str, str]:
    return tree_digest(DEFAULT_FILE_SYSTEM)


class SyncSandbox:
    """A real sandbox on a private copy of the shipped seed tree, driven synchronously by tool tests."""

    def __init__(self, work_dir: Path):
        self.loop = asyncio.new_event_loop()
        provider = LocalSandboxProvider(DEFAULT_FILE_SYSTEM, work_dir, BUILTIN_MODULES, timeout_s=120, isolation="none")
        self.box = self.loop.run_until_complete(provider.open("tools"))
        self.root = Path(self.box.root)

    def call(self, name: str, **arguments: Any) -> ToolOutcome:
        return self.loop.run_until_complete(self.box.call(name, arguments))

    def ok(self, name: str, **arguments: Any) -> Any:
        """The result of a call that must succeed."""
        outcome = self.call(name, **arguments)
        assert outcome.ok, f"{name}({arguments}) failed: {outcome.error}"
        return outcome.result

    def close(self) -> None:
        self.loop.run_until_complete(self.box.close())
        self.loop.close()


@pytest.fixture(scope="module")
def tool_sandbox(tmp_path_factory) -> SyncSandbox:
    """One sandbox per test module: tools run in the real worker process on a copy of the seed tree."""
    sandbox = SyncSandbox(tmp_path_factory.mktemp("tool-sandbox"))
    yield sandbox
    sandbox.close()


class ScriptedModel(GenericFakeChatModel):
    """langchain-core's fake chat model, replaying fixed replies like an endpoint that misbehaves."""

    def bind_tools(self, tools, **kwargs):
        return self


def scripted_model(*replies: AIMessage) -> ScriptedModel:
    return ScriptedModel(messages=iter(replies))
