"""Where the dialogue goes next, decided from the state alone."""

from __future__ import annotations

from typing import Literal

from langchain_core.messages import AIMessage

from fcgraph.graph.state import DialogueState


def after_user(state: DialogueState) -> Literal["assistant", "finish"]:
    """A judged-done last turn, an impossible task, a failed user reply or the step limit end the dialogue."""
    return "finish" if state.get("outcome") else "assistant"


def after_checker(state: DialogueState) -> Literal["assistant", "tool", "user", "finish"]:
    if state.get("checker_feedback"):
        return "assistant"  # failed review with retries left
    if state.get("outcome"):
        return "finish"  # step limit reached while still calling tools
    last = state["messages"][-1]
    return "tool" if isinstance(last, AIMessage) and last.tool_calls else "user"
