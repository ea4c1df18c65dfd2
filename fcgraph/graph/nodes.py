"""Graph nodes: each reads the state, calls one agent, and returns the state update.

Which node runs next is decided only in `routing.py`; nodes just record what happened (a committed
reply, a retry request, an outcome) in the state.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from fcgraph.agents import BadModelReply, assistant as assistant_agent, checker as checker_agent
from fcgraph.agents.calls import metering
from fcgraph.agents import tool as tool_agent, user as user_agent
from fcgraph.graph.context import RunContext, context_of
from fcgraph.graph.state import DialogueState


Node = Callable[[DialogueState, Runtime[RunContext]], Awaitable[dict[str, Any]]]


def metered(role: str) -> Callable[[Node], Node]:
    """Adds the calls and tokens the node's model spent to the dialogue's `usage`, by role."""
    def wrap(node: Node) -> Node:
        @functools.wraps(node)
        async def run(state: DialogueState, runtime: Runtime[RunContext]) -> dict[str, Any]:
            with metering(role) as usage:
                update = await node(state, runtime)
            return {**update, "usage": {name: dict(counts) for name, counts in usage.items()}} if usage else update
        return run
    return wrap


def _files(state: DialogueState, ctx: RunContext) -> list[dict[str, Any]]:
    return [ctx.file_infos[path] for path in state["plan"]["files"]]


async def setup(state: DialogueState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Offers the plan's tools and writes the assistant's system prompt; plans attempt N when given only that."""
    ctx = context_of(runtime)
    plan = state.get("plan") or ctx.sampler.plan(state.get("attempt", 0))
    overview = ctx.prompts.render("workspace_overview", tree=ctx.workspace_overview) if ctx.workspace_overview else ""
    return {
        "plan": plan, "tools": ctx.registry.schemas(plan["tools"]),
        "messages": [SystemMessage(ctx.prompts.render("assistant_system", file_system_info=overview))],
        "turn": 0, "steps_in_turn": 0, "checker_rounds": 0, "checker_feedback": None, "candidate": None,
        "outcome": None, "outcome_detail": "",
    }


async def _task(state: DialogueState, ctx: RunContext, turn: int) -> dict[str, Any]:
    plan = state["plan"]
    previous = [m.text for m in state["messages"] if isinstance(m, HumanMessage) and m.additional_kwargs.get("task")]
    try:
        text = await user_agent.write_task(
            ctx.models["user"], mode=plan["modes"][turn], turn=turn, persona=plan["persona"], tone=plan["tone"],
            files=_files(state, ctx), tools=state["tools"], previous_tasks=previous, prompts=ctx.prompts,
            n=ctx.config.samples("user"),
            schema_only={name for name in plan["tools"] if ctx.registry[name].kind == "schema_only"})
    except BadModelReply as exc:
        # turns already played stay useful: the dialogue just ends sooner than planned
        return {"outcome": "completed" if turn else "no_task", "outcome_detail": f"turn {turn}: {exc}"}
    return {"messages": [HumanMessage(text, additional_kwargs={"task": True})], "turn": turn, "steps_in_turn": 0}


@metered("user")
async def user(state: DialogueState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Writes the first task, or judges the assistant's text reply and says what comes next."""
    ctx = context_of(runtime)
    if not any(isinstance(m, HumanMessage) for m in state["messages"]):
        return await _task(state, ctx, 0)
    try:
        verdict, message = await user_agent.judge(
            ctx.models["user"], messages=state["messages"], files=_files(state, ctx), tools=state["tools"],
            prompts=ctx.prompts, n=ctx.config.samples("user"))
    except BadModelReply as exc:
        return {"outcome": "bad_user_reply", "outcome_detail": str(exc)}
    turn, last_index = state["turn"], len(state["messages"]) - 1
    if verdict == "impossible":
        return {"task_complete_index": [-1], "is_task_completable": [False], "outcome": "impossible"}
    if verdict == "done":
        update: dict[str, Any] = {"task_complete_index": [last_index], "is_task_completable": [True]}
        if turn + 1 >= len(state["plan"]["modes"]):
            return {**update, "outcome": "completed"}
        return {**update, **await _task(state, ctx, turn + 1)}
    if state["steps_in_turn"] >= ctx.config.max_steps_per_turn:
        return {"outcome": "step_limit", "outcome_detail": f"turn {turn} not done after {state['steps_in_turn']} replies"}
    return {"messages": [HumanMessage(message)]}


@metered("assistant")
async def assistant(state: DialogueState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """The candidate carries its reasoning and vote until the checker keeps it and knows its index."""
    ctx = context_of(runtime)
    answer = await assistant_agent.respond(ctx.models["assistant"], state["messages"], state["tools"],
                                           state.get("checker_feedback"), ctx.config.samples("assistant"))
    candidate = answer.message
    if answer.vote:
        candidate = candidate.model_copy(update={"additional_kwargs": {**candidate.additional_kwargs,
                                                                        "vote": answer.vote}})
    return {"candidate": candidate}


@metered("checker")
async def checker(state: DialogueState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Keeps a passing reply; asks for another attempt while retries remain; else keeps it and notes its index."""
    ctx, candidate = context_of(runtime), state["candidate"]
    assert candidate is not None
    try:
        passed, feedback = await checker_agent.review(
            ctx.models["checker"], messages=state["messages"], candidate=candidate, tools=state["tools"],
            prompts=ctx.prompts, n=ctx.config.samples("checker"))
    except BadModelReply as exc:
        return {"outcome": "bad_checker_reply", "outcome_detail": str(exc), "candidate": None}
    rounds = state.get("checker_rounds", 0)
    if not passed and rounds < ctx.config.checker_max_retries:
        return {"checker_feedback": feedback or "the reply did not pass review", "checker_rounds": rounds + 1,
                "candidate": None, "stats": {"checker_retries": 1}}
    index = len(state["messages"])
    kept = AIMessage(content=candidate.content, tool_calls=candidate.tool_calls,
                     invalid_tool_calls=candidate.invalid_tool_calls)
    update: dict[str, Any] = {
        "messages": [kept], "candidate": None, "checker_feedback": None, "checker_rounds": 0,
        "steps_in_turn": state["steps_in_turn"] + 1, "stats": {"assistant_replies": 1},
    }
    if reasoning := candidate.additional_kwargs.get("reasoning_content"):
        update["assistant_reasonings"] = {str(index): reasoning}
    if vote := candidate.additional_kwargs.get("vote"):
        update["assistant_votes"] = {str(index): vote}
    if tokens := candidate.usage_metadata:
        update["assistant_usage"] = {str(index): {kind: tokens[kind] for kind in ("input_tokens", "output_tokens")}}
    if not passed:
        update["checker_not_pass_index"] = [index]
    if kept.tool_calls and update["steps_in_turn"] >= ctx.config.max_steps_per_turn:
        update |= {"outcome": "step_limit", "outcome_detail": f"turn {state['turn']} still calling tools after "
                                                              f"{update['steps_in_turn']} replies"}
    return update


@metered("tool")
async def tool(state: DialogueState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = context_of(runtime)
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    messages, stats = await tool_agent.execute(
        lambda: ctx.sandboxes.open(state["plan"]["data_id"]), last, set(state["plan"]["tools"]), ctx.registry,
        ctx.virtual_tools, ctx.config.tool_output_limit, ctx.config.virtual_fallback)
    return {"messages": messages, "stats": stats}


async def finish(state: DialogueState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    await context_of(runtime).sandboxes.discard(state["plan"]["data_id"])
    return {}
