"""Every agent asks its model through `ask`: n samples, reasoning split off, tokens metered, majority vote.

One path for all roles, so the simulator and real endpoints, one sample or many, are treated alike.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import ensure_config

from fcgraph.agents import BadModelReply

THINK = re.compile(r"<think>(.*?)(?:</think>|$)\s*", re.DOTALL)
_PUNCTUATION = re.compile(r"[^\w\s]")
Usage = dict[str, Counter[str]]  # calls, input_tokens, output_tokens by role
_meters: ContextVar[tuple[Usage, ...]] = ContextVar("fcgraph_usage_meters", default=())
_role: ContextVar[str] = ContextVar("fcgraph_role", default="unknown")


@dataclass(frozen=True)
class Answer:
    message: AIMessage  # the winning sample; its reasoning is in additional_kwargs["reasoning_content"]
    vote: dict[str, Any] | None = None  # how the samples voted, when there were several


@contextlib.contextmanager
def metering(role: str | None = None) -> Iterator[Usage]:
    """Counts, by role, the calls and tokens of every `ask` inside the block, in this task and the tasks it
    starts; blocks nest, so a run and each of its graph nodes can both count. `role` is whose calls these are."""
    usage: Usage = defaultdict(Counter)
    tokens = [_meters.set((*_meters.get(), usage)), *([_role.set(role)] if role else [])]
    try:
        yield usage
    finally:
        for token in reversed(tokens):
            token.var.reset(token)


def split_reasoning(message: AIMessage) -> AIMessage:
    """Moves reasoning out of the content: a `reasoning_content` field, or `<think>` blocks (an unclosed one
    means max_tokens cut the thinking short, so all of it is reasoning)."""
    parts = [message.additional_kwargs.get("reasoning_content") or ""]
    content = message.content
    if isinstance(content, str) and "<think>" in content:
        parts += THINK.findall(content)
        content = THINK.sub("", content).strip()
    reasoning = "\n\n".join(part.strip() for part in parts if part and part.strip())
    extra = {key: value for key, value in message.additional_kwargs.items() if key != "reasoning_content"}
    if reasoning:
        extra["reasoning_content"] = reasoning
    if content == message.content and extra == message.additional_kwargs:
        return message
    return message.model_copy(update={"content": content, "additional_kwargs": extra})


def vote_key(message: AIMessage) -> str:
    """What two samples must share to count as the same answer: their calls (name + canonical arguments,
    in any order) or, without calls, their text up to case, spacing and punctuation."""
    if message.tool_calls or message.invalid_tool_calls:
        calls = [json.dumps([call["name"], call["args"]], sort_keys=True, ensure_ascii=False) for call in message.tool_calls]
        calls += [json.dumps(["invalid", call.get("name"), call.get("args")]) for call in message.invalid_tool_calls]
        return "calls:" + json.dumps(sorted(calls), ensure_ascii=False)
    return "text:" + " ".join(_PUNCTUATION.sub(" ", message.text).casefold().split())


def majority(samples: Sequence[AIMessage]) -> tuple[int, dict[str, Any]]:
    """(index of the winning sample, the vote): the largest group wins; a tie goes to the group seen first."""
    keys = [vote_key(sample) for sample in samples]
    counts = Counter(keys)
    winner = max(range(len(keys)), key=lambda index: (counts[keys[index]], -keys.index(keys[index])))
    votes = sorted(counts.values(), reverse=True)
    return winner, {"samples": len(samples), "votes": votes, "winner": winner, "agreed": counts[keys[winner]]}


def _count(message: BaseMessage) -> None:
    tokens = getattr(message, "usage_metadata", None) or {}
    for usage in _meters.get():
        usage[_role.get()].update(calls=1, input_tokens=tokens.get("input_tokens", 0),
                                  output_tokens=tokens.get("output_tokens", 0))


async def _request(model: BaseChatModel, prompt: list[BaseMessage], n: int, kwargs: dict[str, Any]) -> list[AIMessage]:
    config = ensure_config()  # the node's callbacks, so traces nest under the graph step
    result = await model.agenerate([prompt], callbacks=config.get("callbacks"), tags=config.get("tags"),
                                   metadata=config.get("metadata"), **kwargs, **({"n": n} if n > 1 else {}))
    messages = [generation.message for generation in result.generations[0]]
    if not messages or not all(isinstance(message, AIMessage) for message in messages):
        raise BadModelReply(f"the model returned {[type(m).__name__ for m in messages]}, not AI messages")
    _count(messages[0])  # the usage of a response covers all its choices
    return messages


async def ask(model: BaseChatModel, prompt: list[BaseMessage], *, tools: Sequence[dict[str, Any]] = (),
              n: int = 1) -> Answer:
    """n samples in one request where the endpoint honours `n`, topped up with parallel requests where not."""
    kwargs = {"tools": list(tools)} if tools else {}
    samples = await _request(model, prompt, n, kwargs)
    if len(samples) < n:
        extra = await asyncio.gather(*(_request(model, prompt, 1, kwargs) for _ in range(n - len(samples))))
        samples += [message for batch in extra for message in batch]
    samples = [split_reasoning(sample) for sample in samples[:n]]
    if n == 1:
        return Answer(samples[0])
    winner, vote = majority(samples)
    return Answer(samples[winner], vote)
