"""Shared fixtures: real configurations, the real graph with a SQLite checkpointer, real sandboxes."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import os
import re
import signal
import subprocess
import tempfile
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_openai import ChatOpenAI
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
        self.provider = LocalSandboxProvider(DEFAULT_FILE_SYSTEM, work_dir, BUILTIN_MODULES, timeout_s=120, isolation="none")
        self.box = self.loop.run_until_complete(self.provider.open("tools"))
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
        self.loop.run_until_complete(self.provider.close())
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


API_KEY = "sk-test-secret"  # what clients of the simulator endpoint send; must never show up anywhere


@dataclass
class Server:
    """One `fcgraph sim serve` process; its stderr goes to a file so the log can be read at any time."""

    process: subprocess.Popen
    log_file: Path
    url: str = ""

    @classmethod
    def start(cls, options: tuple[str, ...], log_file: Path) -> Server:
        command = [sys.executable, "-m", "fcgraph", "sim", "serve", "--port", "0", *options]
        with log_file.open("w") as log:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True,
                                       env={**os.environ, "HOME": str(TEST_HOME), "COLUMNS": "200"})
        server = cls(process, log_file)
        line = process.stdout.readline()
        if not (match := re.fullmatch(r"fcgraph sim serving on (http://\S+/v1)\n", line)):
            server.stop()
            pytest.fail(f"the server did not start: {line!r} {log_file.read_text()}")
        server.url = match.group(1)
        return server

    def stop(self) -> tuple[int, str, str]:
        """SIGTERM, as a supervisor stops it; returns (exit code, the rest of stdout, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        rest, _ = self.process.communicate(timeout=15)
        return self.process.returncode, rest, self.log_file.read_text()

    def openai(self, **kwargs: Any) -> openai.OpenAI:
        return openai.OpenAI(base_url=self.url, api_key=API_KEY, **{"timeout": 10, "max_retries": 0, **kwargs})

    def langchain(self, **kwargs: Any) -> ChatOpenAI:
        return ChatOpenAI(base_url=self.url, api_key=API_KEY, model="sim-model",
                          **{"timeout": 10, "max_retries": 0, **kwargs})

    def health(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url.removesuffix("/v1") + "/health", timeout=10) as response:
            return json.load(response)

    def post(self, body: bytes) -> tuple[int, dict[str, Any]]:
        """A raw request, for bodies no client would send."""
        request = urllib.request.Request(f"{self.url}/chat/completions", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)


@pytest.fixture(scope="module")
def sim_server(tmp_path_factory):
    """Factory: `sim_server("--reasoning", "field")` is a running `fcgraph sim serve --port 0 --reasoning field`;
    one process per distinct set of options in the module, stopped at its end."""
    servers: dict[tuple[str, ...], Server] = {}

    def start(*options: str) -> Server:
        if options not in servers:
            servers[options] = Server.start(options, tmp_path_factory.mktemp("sim-server") / "stderr.log")
        return servers[options]

    yield start
    for server in servers.values():
        server.stop()
