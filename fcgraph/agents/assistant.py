"""The assistant agent: answers from the dialogue and the offered tools only, never from the files."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage

from fcgraph.agents.calls import Answer, ask

FEEDBACK_PREFIX = "[Checker feedback on your previous attempt] "


async def respond(model: BaseChatModel, messages: list[BaseMessage], tools: list[dict[str, Any]],
                  feedback: str | None = None, n: int = 1) -> Answer:
    """One reply (the majority of n samples); checker feedback is shown for this attempt only and never enters
    the dialogue."""
    prompt = [*messages, HumanMessage(FEEDBACK_PREFIX + feedback)] if feedback else messages
    return await ask(model, prompt, tools=tools, n=n)
