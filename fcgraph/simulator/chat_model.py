"""The offline simulator as a LangChain chat model, so the graph treats it exactly like a real model.

It reads what a real model would read (messages, bound tools) and recognises which agent prompt it is
answering from the `<context>` JSON block that every non-assistant prompt carries. Replies depend only
on the seed and the input, so a run is reproducible and a resumed dialogue continues identically.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from random import Random
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForLLMRun,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, convert_to_openai_messages
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool

from fcgraph.prompts import CONTEXT_BLOCK
from fcgraph.simulator import roles
from fcgraph.simulator.policy import Action, Call, next_action

FAULTS = ("unknown_tool", "missing_argument", "wrong_type", "premature_answer")


class SimChatModel(BaseChatModel):
    seed: int = 0
    unknown_tool_rate: float = 0.0
    missing_argument_rate: float = 0.0
    wrong_type_rate: float = 0.0
    premature_answer_rate: float = 0.0
    model_name: str = "fcgraph-sim"

    @property
    def _llm_type(self) -> str:
        return "fcgraph-sim"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any):  # type: ignore[override]
        return self.bind(tools=[convert_to_openai_tool(tool) for tool in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        dialogue = convert_to_openai_messages(messages)
        tools = kwargs.get("tools") or []
        context = find_context(dialogue)
        replies = [self._reply(dialogue, tools, context, sample) for sample in range(kwargs.get("n") or 1)]
        prompt_chars = sum(len(json.dumps(m)) for m in dialogue) + len(json.dumps(tools))
        completion_chars = sum(len(str(m.content)) + len(json.dumps(m.tool_calls)) for m in replies)
        usage = {  # for the whole response, as an endpoint reports it on each of its choices
            "input_tokens": prompt_chars // 4,
            "output_tokens": completion_chars // 4,
            "total_tokens": (prompt_chars + completion_chars) // 4,
        }
        for message in replies:
            message.usage_metadata = dict(usage)
            message.response_metadata = {"model_name": self.model_name}
        return ChatResult(generations=[ChatGeneration(message=message) for message in replies])

    def _reply(self, dialogue: list[dict[str, Any]], tools: list[dict[str, Any]], context: dict[str, Any] | None,
               sample: int) -> AIMessage:
        """Sample 0 is the reply to a one-sample request; the others draw differently, as a real model's would."""
        salt = f"{self.seed}|" if sample == 0 else f"{self.seed}|{sample}|"
        rng = Random(hashlib.sha256(f"{salt}{json.dumps(dialogue, sort_keys=True)}".encode()).digest())
        if context is None:
            return self._assistant(dialogue, tools, rng)
        return AIMessage(content=_role_reply(context, rng))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop, None, **kwargs)

    def _assistant(self, dialogue: list[dict[str, Any]], tools: list[dict[str, Any]], rng: Random) -> AIMessage:
        schemas = {tool["function"]["name"]: tool["function"] for tool in tools}
        parameters = {name: schema.get("parameters", {}) for name, schema in schemas.items()}
        action = self._with_fault(next_action(dialogue, parameters), schemas, rng)
        if action.kind != "calls":
            return AIMessage(content=action.text)
        tool_calls = [
            {"name": call.name, "args": call.arguments, "id": f"call_{rng.getrandbits(48):012x}", "type": "tool_call"}
            for call in action.calls
        ]
        return AIMessage(content="", tool_calls=tool_calls)

    def _with_fault(self, action: Action, schemas: dict[str, dict[str, Any]], rng: Random) -> Action:
        if action.kind != "calls":
            return action
        rates = [self.unknown_tool_rate, self.missing_argument_rate, self.wrong_type_rate, self.premature_answer_rate]
        draw, fault = rng.random(), None
        for name, rate in zip(FAULTS, rates):
            if draw < rate:
                fault = name
                break
            draw -= rate
        first, rest = action.calls[0], action.calls[1:]
        args = dict(first.arguments)
        if fault == "unknown_tool":
            return Action("calls", (Call(rng.choice(["get_", "run_"]) + first.name, args), *rest))
        if fault == "missing_argument":
            required = [name for name in schemas[first.name]["parameters"].get("required", []) if name in args]
            if required:
                del args[rng.choice(required)]
            return Action("calls", (Call(first.name, args), *rest))
        if fault == "wrong_type" and args:
            name = rng.choice(sorted(args))
            args[name] = len(args[name]) if isinstance(args[name], str) else f"{args[name]} units"
            return Action("calls", (Call(first.name, args), *rest))
        if fault == "premature_answer":
            return Action("answer", text="I checked this and everything looks fine; the file has what you expect.")
        return action


def find_context(dialogue: list[dict[str, Any]]) -> dict[str, Any] | None:
    for message in reversed(dialogue):
        if message["role"] in ("user", "system") and isinstance(message.get("content"), str):
            if match := CONTEXT_BLOCK.search(message["content"]):
                return json.loads(match.group(1))
            return None
    return None


def _role_reply(context: dict[str, Any], rng: Random) -> str:
    purpose = context.get("purpose", "")
    if purpose == "user.write_task":
        return roles.write_task(context, rng)
    if purpose == "user.judge":
        return roles.judge(context, rng)
    if purpose == "tool.reply":
        return roles.tool_reply(context, rng)
    if purpose.startswith("checker."):
        return roles.check(context)
    raise ValueError(f"the simulator has no role for prompt purpose '{purpose}'")
