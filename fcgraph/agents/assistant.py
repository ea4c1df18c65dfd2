"""The assistant agent: answers from the dialogue and the offered tools only, never from the files."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

FEEDBACK_PREFIX = "[Checker feedback on your previous attempt] "


async def respond(model: BaseChatModel, messages: list[BaseMessage], tools: list[dict[str, Any]],
                  feedback: str | None = None) -> AIMessage:
    """One reply; checker feedback is shown for this attempt only and never enters the dialogue."""
    bound = model.bind_tools(tools) if tools else model
    prompt = [*messages, HumanMessage(FEEDBACK_PREFIX + feedback)] if feedback else messages
    reply = await bound.ainvoke(prompt)
    if not isinstance(reply, AIMessage):
        raise TypeError(f"assistant model returned {type(reply).__name__}, not an AI message")
    return reply
