"""Post-processing: which finished dialogues are training data, and why the others are not."""

from __future__ import annotations

import json
from typing import Any

from fcgraph.config import FilterConfig

ACCEPTED_OUTCOMES = {"completed", "impossible"}


def rejection_reason(record: dict[str, Any], filters: FilterConfig) -> str | None:
    """None for a keeper; otherwise a short reason that `failed.jsonl` and the run summary group by."""
    outcome = record["outcome"]
    if outcome not in ACCEPTED_OUTCOMES:
        return outcome or "unfinished"
    if outcome == "impossible" and record["dialog_mode"][-1] != "miss_func":
        return "impossible_but_should_be_possible"
    offered = {tool["function"]["name"] for tool in record["tools"]}
    for message in record["messages"]:
        if any(call["function"]["name"] not in offered for call in message.get("tool_calls") or []):
            return "hallucinated_tool"
    if len(record["messages"]) > filters.max_messages:
        return "too_long"
    if len(json.dumps(record["messages"], ensure_ascii=False)) > filters.max_chars:
        return "too_long"
    if filters.drop_checker_failures and record["checker_not_pass_index"]:
        return "checker_not_passed"
    return None
