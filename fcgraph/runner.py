"""A generation run: plays dialogues concurrently until N are accepted, and can be resumed at any point.

Results are committed in attempt order (a finished dialogue waits for the ones before it), so the
output files are the same for the same seed and config whatever the concurrency or interruptions.
Every dialogue is checkpointed in SQLite under its data_id; a re-run skips committed ids and resumes
the others from their last checkpoint.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.errors import GraphRecursionError

from fcgraph import __version__
from fcgraph.agents.calls import metering
from fcgraph.agents.models import ROLES, EndpointError, build_chat_models
from fcgraph.agents.tool import VirtualTools
from fcgraph.config import ConfigError, GenerationConfig, mask_secrets
from fcgraph.filters import rejection_reason
from fcgraph.graph.builder import build_graph, recursion_limit
from fcgraph.graph.context import RunContext
from fcgraph.graph.state import DialoguePlan, add_usage
from fcgraph.prompts import Prompts
from fcgraph.records import JsonlFile, build_record, usage_cost
from fcgraph.datasets.personas import load_personas
from fcgraph.sampling import Environment, Sampler
from fcgraph.sandbox import LocalSandboxProvider, SandboxPool
from fcgraph.tools.registry import ToolRegistry
from fcgraph.tools.virtual import VirtualReplyCache

# settings that change what a given attempt produces; a run directory must keep them
PLAN_FIELDS = ("seed", "file_system_path", "tool_defines_path", "schema_only_tools", "fixed_tools", "category_fixed_tools",
               "max_task_turns", "max_steps_per_turn", "checker_max_retries", "tool_nums_distribution",
               "mode_weights", "task_turn_weights", "files_num", "models", "sim", "tool_output_limit", "prompts",
               "assistant_n_response", "language")
# what makes a model answer differently; timeouts, retries and rate limits may change between resumes
MODEL_FIELDS = {"provider", "base_url", "model", "temperature", "max_tokens", "n", "extra_body"}


PREFLIGHT_ID = "preflight"


class SandboxError(Exception):
    """The sandbox itself is broken (not one tool call): no dialogue could succeed, so the run stops."""


@dataclass
class RunPaths:
    out: Path

    data = property(lambda self: self.out / "data.jsonl")
    failed = property(lambda self: self.out / "failed.jsonl")
    stats = property(lambda self: self.out / "stats.json")
    checkpoints = property(lambda self: self.out / "checkpoints.sqlite")
    sandboxes = property(lambda self: self.out / "sandboxes")
    run_config = property(lambda self: self.out / "run_config.json")


@dataclass
class RunReport:
    accepted: int
    target: int
    attempts: int
    attempt_limit_hit: bool
    wall_time_s: float
    stats: dict[str, Any] = field(default_factory=dict)


ProgressCallback = Callable[[int, int, str | None], None]  # (accepted, failed, reason of the latest failure)


def _fingerprint(config: GenerationConfig) -> dict[str, Any]:
    include: dict[str, Any] = {name: True for name in PLAN_FIELDS} | {"models": dict.fromkeys(ROLES, MODEL_FIELDS)}
    return mask_secrets(json.loads(config.model_dump_json(include=include)))


def _claim_out_dir(paths: RunPaths, config: GenerationConfig) -> None:
    """Refuse to mix two different configurations in one run directory."""
    fingerprint = _fingerprint(config)
    if paths.run_config.exists():
        saved = json.loads(paths.run_config.read_text())
        changed = sorted(key for key in fingerprint if saved.get(key) != fingerprint[key])
        if changed:
            raise ConfigError(
                f"'{paths.out}' holds a run made with different settings ({', '.join(changed)}); "
                "use another --out or the same settings to resume it")
    paths.out.mkdir(parents=True, exist_ok=True)
    paths.run_config.write_text(json.dumps(fingerprint, indent=1))


class Run:
    def __init__(self, config: GenerationConfig, on_progress: ProgressCallback | None = None):
        self.config = config
        self.paths = RunPaths(config.out)
        _claim_out_dir(self.paths, config)
        self.on_progress = on_progress or (lambda accepted, failed, reason: None)
        registry = ToolRegistry.load(config.tool_defines_path, config.schema_only_tools)
        environment = Environment(config.file_system_path)
        try:
            sampler = Sampler(config, registry, environment, load_personas(config.language, config.personas_path))
        except ValueError as exc:  # an unknown fixed tool, a bad personas file
            raise ConfigError(str(exc)) from None
        self.sampler = sampler
        models = build_chat_models(config)
        prompts = Prompts(config.language, config.prompts)
        self.context = RunContext(
            config=config, registry=registry, models=models,
            sandboxes=SandboxPool(LocalSandboxProvider(
                seed_dir=environment.root, work_dir=self.paths.sandboxes, tool_modules=registry.modules,
                timeout_s=config.tool_timeout, isolation=config.sandbox_isolation)),
            file_infos=environment.infos, workspace_overview=environment.overview(config.provide_file_system_info),
            virtual_tools=VirtualTools(models["tool"], VirtualReplyCache(config.virtual_cache_path), prompts,
                                       config.virtual_examples, config.samples("tool")),
            sampler=sampler, prompts=prompts,
        )
        self.graph_config = {"recursion_limit": recursion_limit(
            config.max_task_turns, config.max_steps_per_turn, config.checker_max_retries)}

    async def execute(self) -> RunReport:
        with metering() as spent:  # every request of this session, also of dialogues that are not committed
            report = await self._generate()
        report.stats = self._write_stats(report, {role: dict(counts) for role, counts in spent.items()})
        return report

    async def _generate(self) -> RunReport:
        started = time.monotonic()
        data, failed = JsonlFile(self.paths.data), JsonlFile(self.paths.failed)
        committed = data.ids() | failed.ids()
        accepted, rejected = len(data.ids()), len(failed.ids())
        limit, window = self.config.attempt_limit, self.config.concurrency
        self.on_progress(accepted, rejected, None)

        await self._preflight()
        async with AsyncSqliteSaver.from_conn_string(str(self.paths.checkpoints)) as saver:
            app = build_graph().compile(checkpointer=saver)
            running: dict[int, asyncio.Task] = {}
            finished: dict[int, tuple[dict[str, Any], str | None]] = {}
            next_attempt = cursor = 0
            try:
                while True:
                    # 1. commit, in attempt order, whatever has finished
                    while accepted < self.config.n and (cursor in finished or (
                            cursor < next_attempt and self.sampler.data_id(cursor) in committed)):
                        if cursor in finished:
                            record, reason = finished.pop(cursor)
                            if reason is None:
                                data.append(record)
                                accepted += 1
                            else:
                                failed.append({**record, "reason": reason})
                                rejected += 1
                            self.on_progress(accepted, rejected, reason)
                        cursor += 1
                    if accepted >= self.config.n:
                        break
                    # 2. start dialogues while there is room (finished ones wait for slower earlier ones)
                    while len(running) < window and len(finished) < 2 * window and next_attempt < limit:
                        if self.sampler.data_id(next_attempt) not in committed:
                            running[next_attempt] = asyncio.create_task(self._play(app, next_attempt))
                        next_attempt += 1
                    if not running:  # nothing in flight and nothing left to start: the attempt limit
                        break
                    done, _ = await asyncio.wait(running.values(), return_when=asyncio.FIRST_COMPLETED)
                    for attempt in [a for a, task in running.items() if task in done]:
                        finished[attempt] = running.pop(attempt).result()
            finally:
                await self._abandon(app, running)
                await self.context.sandboxes.close()
        # short of N, every attempt below the limit has been played, in this session or an earlier one
        attempts = cursor if accepted >= self.config.n else next_attempt
        return RunReport(accepted=accepted, target=self.config.n, attempts=attempts,
                         attempt_limit_hit=accepted < self.config.n and next_attempt >= limit,
                         wall_time_s=time.monotonic() - started)

    async def _preflight(self) -> None:
        """One real tool call before any dialogue, so a sandbox that cannot run tools stops the run at once."""
        sandbox = await self.context.sandboxes.open(PREFLIGHT_ID)
        try:
            outcome = await sandbox.call(self.context.registry.names[0], {})
        finally:
            await self.context.sandboxes.discard(PREFLIGHT_ID)
        if outcome.error_kind in ("crash", "timeout"):
            raise SandboxError(f"the sandbox cannot run tools: {outcome.error}")

    async def _play(self, app: Any, attempt: int) -> tuple[dict[str, Any], str | None]:
        plan = self.sampler.plan(attempt)
        config = {**self.graph_config, "configurable": {"thread_id": plan["data_id"]}}
        begun = await self._restore_sandbox(app, plan, config)
        try:
            state = await app.ainvoke(None if begun else {"plan": plan}, config, context=self.context)
        except Exception as exc:  # a failing endpoint or tool must fail this dialogue, not the run
            await self.context.sandboxes.discard(plan["data_id"])
            state = (await app.aget_state(config)).values or {"plan": plan, "messages": [], "tools": []}
            reason = ("recursion_limit" if isinstance(exc, GraphRecursionError) else
                      "endpoint_error" if isinstance(exc, EndpointError) else "error")
            record = build_record({**state, "outcome": reason}, self.config)
            return {**record, "detail": f"{type(exc).__name__}: {exc}"[:2000]}, reason
        record = build_record(state, self.config)
        if state.get("outcome_detail"):
            record["detail"] = state["outcome_detail"]
        return record, rejection_reason(record, self.config.filters)

    async def _restore_sandbox(self, app: Any, plan: DialoguePlan, config: dict[str, Any]) -> bool:
        """Makes the dialogue's copy match what was saved of it; says whether any checkpoint of it was saved.

        LangGraph saves checkpoints in the background, so a killed run may have run tools, and changed the
        copy, past its last saved checkpoint, even when that is only the input's. The state read back
        includes the saved writes of steps that finished after that checkpoint (they are not run again), and
        `next` leaves those steps out: only a checkpoint without tasks is the end of the dialogue.
        """
        snapshot = await app.aget_state(config)
        begun = snapshot.created_at is not None
        ended = begun and not snapshot.tasks  # only its record is missing
        if not ended:
            await self._rebuild_sandbox(plan, snapshot.values.get("messages", []))
        return begun

    async def _rebuild_sandbox(self, plan: DialoguePlan, messages: list[Any]) -> None:
        """A fresh copy with the checkpointed tool calls replayed: exactly the files of the last checkpoint.

        A killed run may have left the copy half-changed by a call whose result was never checkpointed;
        the graph runs that call again, and it must find the files as they were before it.
        """
        data_id, registry = plan["data_id"], self.context.registry
        await self.context.sandboxes.discard(data_id)
        answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
        calls = [call for message in messages if isinstance(message, AIMessage) for call in message.tool_calls
                 if call["id"] in answered and call["name"] in plan["tools"] and registry[call["name"]].kind == "executable"]
        if calls:
            sandbox = await self.context.sandboxes.open(data_id)
            for call in calls:
                await sandbox.call(call["name"], call["args"])

    async def _abandon(self, app: Any, running: dict[int, asyncio.Task]) -> None:
        """Dialogues not needed any more are forgotten, so a later run with a larger N replays them fresh."""
        for attempt, task in running.items():
            task.cancel()
        await asyncio.gather(*running.values(), return_exceptions=True)
        for attempt in running:
            data_id = self.sampler.data_id(attempt)
            await app.checkpointer.adelete_thread(data_id)
            await self.context.sandboxes.discard(data_id)

    def _write_stats(self, report: RunReport, spent: dict[str, dict[str, int]]) -> dict[str, Any]:
        accepted = list(JsonlFile(self.paths.data))
        failed = list(JsonlFile(self.paths.failed))
        tool_calls = sum(r["stats"].get("tool_calls", 0) for r in accepted)
        stats = {
            "fcgraph_version": __version__,
            "generator": self.config.generator,
            "seed": self.config.seed,
            "target": report.target,
            "accepted": len(accepted),
            "failed": len(failed),
            "failed_by_reason": dict(Counter(r["reason"] for r in failed).most_common()),
            "modes": dict(Counter(m for r in accepted for m in r["dialog_mode"]).most_common()),
            "turns": dict(sorted(Counter(r["round_cnt"] for r in accepted).items())),
            "tool_calls": tool_calls,
            "tool_calls_per_dialogue": round(tool_calls / len(accepted), 2) if accepted else 0,
            "tool_errors": sum(r["stats"].get("tool_errors", 0) for r in accepted),
            "checker_retries": sum(r["stats"].get("checker_retries", 0) for r in accepted),
            "virtual_replies": (virtual := sum(r["stats"].get("virtual_replies", 0) for r in accepted)),
            "virtual_cache_hit_rate": round(sum(r["stats"].get("virtual_cache_hits", 0) for r in accepted) / virtual, 3)
            if virtual else None,
            "truncated_outputs": sum(r["stats"].get("truncated_outputs", 0) for r in accepted),
            "checker_not_passed": sum(len(r["checker_not_pass_index"]) for r in accepted),
            "attempt_limit_hit": report.attempt_limit_hit,
            "wall_time_s": round(report.wall_time_s, 2),
            "accepted_per_second": round(report.accepted / report.wall_time_s, 2) if report.wall_time_s else 0,
            **self._usage_stats(accepted, failed),
            "spent_this_session": {"usage": spent, "cost_usd": usage_cost(spent, self.config)},
            "config_sha256": hashlib.sha256(json.dumps(_fingerprint(self.config), sort_keys=True).encode()).hexdigest(),
        }
        self.paths.stats.write_text(json.dumps(stats, indent=1))
        return stats

    def _usage_stats(self, accepted: list[dict[str, Any]], failed: list[dict[str, Any]]) -> dict[str, Any]:
        """Tokens by role over every committed dialogue, failed ones included: they were paid for too.

        Dialogues still in flight when N was reached are not in any record; `spent_this_session` has them.
        """
        usage: dict[str, dict[str, int]] = {}
        for record in accepted + failed:
            usage = add_usage(usage, record.get("usage", {}))
        cost = usage_cost(usage, self.config)
        return {
            "usage": usage,
            "tokens": {kind: sum(counts.get(kind, 0) for counts in usage.values())
                       for kind in ("input_tokens", "output_tokens")},
            "cost_usd": cost,
            "cost_per_accepted_usd": round(cost / len(accepted), 6) if cost is not None and accepted else None,
            "unpriced_models": sorted({getattr(self.config.models, role).model for role in usage
                                       if self.config.price(role) is None}),
        }
