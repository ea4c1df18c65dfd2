"""The dialogue state LangGraph checkpoints after every step.

Everything a record needs is derived from this state alone, so a dialogue resumed from its last
checkpoint ends in exactly the record an uninterrupted run would have written.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

from langchain_core.messages import AIMessage, AnyMessage
from langgraph.graph.message import add_messages

Outcome = Literal["completed", "impossible", "step_limit", "no_task", "bad_user_reply", "bad_checker_reply"]
Verdict = Literal["done", "continue", "answer", "impossible"]


def merge_dicts(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    return {**left, **right}


def add_counts(left: dict[str, int], right: dict[str, int]) -> dict[str, int]:
    """Counter addition with sorted keys, so records do not depend on the order updates arrived in."""
    return {key: left.get(key, 0) + right.get(key, 0) for key in sorted({*left, *right})}


def add_usage(left: dict[str, dict[str, int]], right: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Calls and tokens by role."""
    return {role: add_counts(left.get(role, {}), right.get(role, {})) for role in sorted({*left, *right})}


class DialoguePlan(TypedDict):
    """What sampling decided before the dialogue starts."""

    data_id: str
    modes: list[str]  # call mode per task turn
    tools: list[str]  # offered tool names
    files: list[str]  # sampled files, relative to the file system root
    persona: str
    tone: str


class DialogueState(TypedDict, total=False):
    attempt: int  # input alternative to `plan` (e.g. in Studio): the plan of that attempt number is used
    plan: DialoguePlan
    tools: list[dict[str, Any]]  # full schemas offered to the assistant
    messages: Annotated[list[AnyMessage], add_messages]
    turn: int  # index of the current task turn
    steps_in_turn: int  # assistant replies accepted in the current turn
    candidate: AIMessage | None  # assistant reply waiting for the checker
    checker_passed: bool
    checker_feedback: str | None
    checker_rounds: int  # failed checks of the current candidate slot
    checker_not_pass_index: Annotated[list[int], operator.add]
    task_complete_index: Annotated[list[int], operator.add]
    is_task_completable: Annotated[list[bool], operator.add]
    assistant_reasonings: Annotated[dict[str, str], merge_dicts]  # by message index
    assistant_votes: Annotated[dict[str, dict[str, Any]], merge_dicts]  # by message index, when n > 1
    assistant_usage: Annotated[dict[str, dict[str, int]], merge_dicts]  # by message index: the request behind it
    usage: Annotated[dict[str, dict[str, int]], add_usage]  # calls and tokens by role
    stats: Annotated[dict[str, int], add_counts]
    outcome: Outcome | None
    outcome_detail: str
