"""The tool agent: runs the assistant's calls in the dialogue's sandbox, or has the tool model answer them.

Executable tools run for real. Schema-only tools (and, with `virtual_fallback`, executable tools that
crashed or timed out) get a virtual reply from the tool model, cached on disk and reused.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from fcgraph.agents import BadModelReply, parse_json_object
from fcgraph.agents.calls import ask
from fcgraph.prompts import Prompts
from fcgraph.sandbox import Sandbox, ToolOutcome
from fcgraph.tools.registry import ToolRegistry, ToolSpec
from fcgraph.tools.virtual import VirtualReplyCache

INFRASTRUCTURE_FAILURES = ("timeout", "crash")  # not the caller's fault


def truncate(text: str, limit: int) -> str:
    """Over-long output keeps its head and says how much was cut, so models and readers know."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n...[truncated: {limit} of {len(text)} characters shown]"


def tool_content(outcome: ToolOutcome) -> str:
    if outcome.ok:
        return outcome.result if isinstance(outcome.result, str) else json.dumps(outcome.result, ensure_ascii=False)
    return json.dumps({"error": outcome.error}, ensure_ascii=False)


@dataclass
class VirtualTools:
    """The seed's ToolAgent: a model plays tools that have no backend, guided by earlier replies."""

    model: BaseChatModel
    cache: VirtualReplyCache
    prompts: Prompts = Prompts()
    examples: int = 3
    samples: int = 1

    async def reply(self, spec: ToolSpec, arguments: dict[str, Any]) -> tuple[ToolOutcome, bool]:
        """(outcome, whether it came from the cache)."""
        cached = self.cache.get(spec.name, arguments)
        if cached is not None:
            return _virtual_outcome(cached), True
        payload = {"tool": spec.schema["function"], "response_schema": spec.response, "arguments": arguments,
                   "examples": self.cache.examples(spec.name, self.examples)}
        prompt = [HumanMessage(self.prompts.render("tool_reply", payload))]
        text = (await ask(self.model, prompt, n=self.samples)).message.text
        try:
            value = parse_json_object(text)
        except BadModelReply as exc:
            return ToolOutcome(ok=False, error=f"the simulated tool gave no JSON: {exc}", error_kind="crash"), False
        if spec.response and "error" not in value and (problem := next(Draft202012Validator(spec.response).iter_errors(value), None)):
            return ToolOutcome(ok=False, error=f"the simulated reply breaks the response schema: {problem.message}",
                               error_kind="crash"), False
        self.cache.put(spec.name, arguments, value)
        return _virtual_outcome(value), False


def _virtual_outcome(value: Any) -> ToolOutcome:
    if isinstance(value, dict) and set(value) == {"error"}:
        return ToolOutcome(ok=False, error=str(value["error"]), error_kind="tool")
    return ToolOutcome(ok=True, result=value)


async def execute(open_sandbox: Callable[[], Awaitable[Sandbox]], reply: AIMessage, offered: set[str],
                  registry: ToolRegistry, virtual: VirtualTools, output_limit: int,
                  fallback: bool = False) -> tuple[list[ToolMessage], dict[str, int]]:
    """One tool message per call, in call order, plus counts for the run statistics."""
    messages = []
    stats = {"tool_calls": 0, "tool_errors": 0, "virtual_replies": 0, "virtual_cache_hits": 0, "truncated_outputs": 0}
    for call in reply.tool_calls:
        name, arguments = call["name"], call["args"]
        virtual_used = cached = False
        if name not in offered:
            outcome = ToolOutcome(ok=False, error=f"tool '{name}' is not available", error_kind="unknown_tool")
        else:
            spec = registry[name]
            outcome = await (await open_sandbox()).call(name, arguments) if spec.kind == "executable" else None
            if outcome is None or (fallback and outcome.error_kind in INFRASTRUCTURE_FAILURES):
                outcome, cached = await virtual.reply(spec, arguments)
                virtual_used = True
        content = tool_content(outcome)
        stats["tool_calls"] += 1
        stats["tool_errors"] += not outcome.ok
        stats["virtual_replies"] += virtual_used
        stats["virtual_cache_hits"] += cached
        stats["truncated_outputs"] += len(content) > output_limit
        messages.append(ToolMessage(content=truncate(content, output_limit), tool_call_id=call["id"], name=name,
                                    status="success" if outcome.ok else "error"))
    return messages, stats
