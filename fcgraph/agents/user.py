"""The user agent: writes each task turn from the environment and judges the assistant's replies."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, convert_to_openai_messages

from fcgraph.agents import BadModelReply, parse_json_object
from fcgraph.agents.calls import ask
from fcgraph.prompts import Prompts

CANNOT_WRITE = "CANNOT_WRITE_TASK"
VERDICTS = ("done", "continue", "answer", "impossible")

MODE_DESCRIPTIONS = {
    "en": {
        "single": "ask for one thing that one call of one offered tool can do.",
        "parallel": "ask for two or more independent things at once, so several tool calls can be made in one reply.",
        "multiple": "ask for one thing that exactly one of the several offered tools can do; the assistant must pick it.",
        "dependent": "ask for something that needs two steps, where the second tool call uses a value returned by the first.",
        "no_tool_use": "ask a general question that needs no tool and no file.",
        "miss_param": "ask for something an offered tool can do, but leave out the file it needs (refer to it only "
                      "vaguely), so the assistant has to ask you for it.",
        "miss_func": "ask for something about the files that none of the offered tools can do.",
    },
    "zh": {
        "single": "提出一件用一个工具调用一次就能完成的事。",
        "parallel": "同时提出两件或更多互不依赖的事，让助手可以在一次回复中调用多个工具。",
        "multiple": "提出一件事，在提供的多个工具中只有一个能完成它，助手需要选对。",
        "dependent": "提出一件需要两步完成的事，第二次工具调用要用到第一次调用返回的值。",
        "no_tool_use": "提一个不需要工具、也不涉及文件的一般性问题。",
        "miss_param": "提出一件提供的工具能做的事，但不要给出它需要的文件（只含糊地提到它），让助手不得不向你询问。",
        "miss_func": "提出一件关于这些文件、但提供的工具都做不到的事。",
    },
}
TONE_NAMES = {"zh": {"polite": "礼貌", "terse": "简洁", "casual": "随意", "verbose": "详细啰嗦", "non_native": "非母语者"}}


def tool_summaries(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [tool["function"] for tool in tools]


async def write_task(model: BaseChatModel, *, mode: str, turn: int, persona: str, tone: str,
                     files: list[dict[str, Any]], tools: list[dict[str, Any]], previous_tasks: list[str],
                     prompts: Prompts, n: int = 1, schema_only: Collection[str] = ()) -> str:
    """The next task message; raises BadModelReply when the model says no such task can be written.

    The user is told which tools are APIs without a backend (`schema_only`): a task for them need not
    be about the files.
    """
    cards = [{**summary, "kind": "schema_only" if summary["name"] in schema_only else "executable"}
             for summary in tool_summaries(tools)]
    payload = {"mode": mode, "turn": turn, "persona": persona, "tone": tone, "files": files,
               "tools": cards, "previous_tasks": previous_tasks}
    language = prompts.language
    prompt = prompts.render("user_write_task", payload, mode=mode, mode_description=MODE_DESCRIPTIONS[language][mode],
                            tone=TONE_NAMES.get(language, {}).get(tone, tone))
    reply = (await ask(model, [HumanMessage(prompt)], n=n)).message.text.strip()
    if not reply or reply.startswith(CANNOT_WRITE):
        raise BadModelReply(reply or "the user model wrote an empty task")
    return reply


async def judge(model: BaseChatModel, *, messages: list[BaseMessage], files: list[dict[str, Any]],
                tools: list[dict[str, Any]], prompts: Prompts, n: int = 1) -> tuple[str, str]:
    """(verdict, next user message) for the assistant's last text reply."""
    dialogue = [m for m in convert_to_openai_messages(messages) if m["role"] != "system"]
    prompt = prompts.render("user_judge", {"files": files, "tools": tool_summaries(tools), "dialogue": dialogue})
    reply = parse_json_object((await ask(model, [HumanMessage(prompt)], n=n)).message.text)
    verdict, message = reply.get("verdict"), str(reply.get("message") or "").strip()
    if verdict not in VERDICTS:
        raise BadModelReply(f"user verdict must be one of {VERDICTS}, got {verdict!r}")
    if verdict in ("answer", "continue") and not message:
        raise BadModelReply(f"user verdict '{verdict}' came without a message")
    return verdict, message
