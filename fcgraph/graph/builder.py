"""The dialogue graph, wired top to bottom.

    START -> setup -> user --(task)--> assistant -> checker --(retry)--> assistant
                       ^                              |--(tool calls)--> tool -> assistant
                       |------(text reply)------------|
    user / checker --(done, impossible, limits)--> finish -> END
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from fcgraph.graph import nodes, routing
from fcgraph.graph.context import RunContext
from fcgraph.graph.state import DialogueState


def build_graph() -> StateGraph:
    graph = StateGraph(DialogueState, context_schema=RunContext)
    graph.add_node("setup", nodes.setup)
    graph.add_node("user", nodes.user)
    graph.add_node("assistant", nodes.assistant)
    graph.add_node("checker", nodes.checker)
    graph.add_node("tool", nodes.tool)
    graph.add_node("finish", nodes.finish)

    graph.add_edge(START, "setup")
    graph.add_edge("setup", "user")
    graph.add_conditional_edges("user", routing.after_user, ["assistant", "finish"])
    graph.add_edge("assistant", "checker")
    graph.add_conditional_edges("checker", routing.after_checker, ["assistant", "tool", "user", "finish"])
    graph.add_edge("tool", "assistant")
    graph.add_edge("finish", END)
    return graph


def recursion_limit(max_task_turns: int, max_steps_per_turn: int, checker_max_retries: int) -> int:
    """Enough super-steps for the longest dialogue the limits allow (LangGraph's default of 25 is not)."""
    per_step = 3 * (checker_max_retries + 1) + 1  # assistant + checker per attempt, tool, user
    return max(60, max_task_turns * max_steps_per_turn * per_step + 10)
