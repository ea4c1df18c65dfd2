"""The tool agent: executes the assistant's calls in the dialogue's sandbox and words the replies."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, ToolMessage

from fcgraph.sandbox import Sandbox, ToolOutcome


def truncate(text: str, limit: int) -> str:
    """Over-long output keeps its head and says how much was cut, so models and readers know."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n...[truncated: {limit} of {len(text)} characters shown]"


def tool_content(outcome: ToolOutcome) -> str:
    if outcome.ok:
        return outcome.result if isinstance(outcome.result, str) else json.dumps(outcome.result, ensure_ascii=False)
    return json.dumps({"error": outcome.error}, ensure_ascii=False)


async def execute(sandbox: Sandbox, reply: AIMessage, offered: set[str], output_limit: int) -> tuple[list[ToolMessage], dict[str, int]]:
    """One tool message per call, in call order, plus counts for the run statistics."""
    messages, stats = [], {"tool_calls": 0, "tool_errors": 0}
    for call in reply.tool_calls:
        if call["name"] in offered:
            outcome = await sandbox.call(call["name"], call["args"])
        else:
            outcome = ToolOutcome(ok=False, error=f"tool '{call['name']}' is not available", error_kind="unknown_tool")
        stats["tool_calls"] += 1
        stats["tool_errors"] += not outcome.ok
        content = truncate(tool_content(outcome), output_limit)
        messages.append(ToolMessage(content=content, tool_call_id=call["id"], name=call["name"],
                                    status="success" if outcome.ok else "error"))
    return messages, stats
