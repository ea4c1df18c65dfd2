"""The user agent: writes each task turn from the environment and judges the assistant's replies."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, convert_to_openai_messages

from fcgraph.agents import BadModelReply, parse_json_object
from fcgraph.prompts import render

CANNOT_WRITE = "CANNOT_WRITE_TASK"
VERDICTS = ("done", "continue", "answer", "impossible")

MODE_DESCRIPTIONS = {
    "single": "ask for one thing that one call of one offered tool can do.",
    "parallel": "ask for two or more independent things at once, so several tool calls can be made in one reply.",
    "multiple": "ask for one thing that exactly one of the several offered tools can do; the assistant must pick it.",
    "dependent": "ask for something that needs two steps, where the second tool call uses a value returned by the first.",
    "no_tool_use": "ask a general question that needs no tool and no file.",
    "miss_param": "ask for something an offered tool can do, but leave out the file it needs (refer to it only "
                  "vaguely), so the assistant has to ask you for it.",
    "miss_func": "ask for something about the files that none of the offered tools can do.",
}


def tool_summaries(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [tool["function"] for tool in tools]


async def write_task(model: BaseChatModel, *, mode: str, turn: int, persona: str, tone: str,
                     files: list[dict[str, Any]], tools: list[dict[str, Any]], previous_tasks: list[str]) -> str:
    """The next task message; raises BadModelReply when the model says no such task can be written."""
    payload = {"mode": mode, "turn": turn, "persona": persona, "tone": tone, "files": files,
               "tools": tool_summaries(tools), "previous_tasks": previous_tasks}
    prompt = render("user_write_task", payload, mode=mode, mode_description=MODE_DESCRIPTIONS[mode], tone=tone)
    reply = (await model.ainvoke([HumanMessage(prompt)])).text.strip()
    if not reply or reply.startswith(CANNOT_WRITE):
        raise BadModelReply(reply or "the user model wrote an empty task")
    return reply


async def judge(model: BaseChatModel, *, messages: list[BaseMessage], files: list[dict[str, Any]],
                tools: list[dict[str, Any]]) -> tuple[str, str]:
    """(verdict, next user message) for the assistant's last text reply."""
    dialogue = [m for m in convert_to_openai_messages(messages) if m["role"] != "system"]
    prompt = render("user_judge", {"files": files, "tools": tool_summaries(tools), "dialogue": dialogue})
    reply = parse_json_object((await model.ainvoke([HumanMessage(prompt)])).text)
    verdict, message = reply.get("verdict"), str(reply.get("message") or "").strip()
    if verdict not in VERDICTS:
        raise BadModelReply(f"user verdict must be one of {VERDICTS}, got {verdict!r}")
    if verdict in ("answer", "continue") and not message:
        raise BadModelReply(f"user verdict '{verdict}' came without a message")
    return verdict, message
