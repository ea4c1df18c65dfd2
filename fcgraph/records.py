"""Records: a finished dialogue's state as one JSON line, and the append-only files that hold them.

Each line is written with a single `write` on a file opened for appending, so a killed process can
leave at most an unterminated last line, which the next run trims before appending.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.messages import convert_to_openai_messages

from fcgraph import __version__
from fcgraph.config import GenerationConfig
from fcgraph.graph.state import DialogueState


def usage_cost(usage: dict[str, dict[str, int]], config: GenerationConfig) -> float | None:
    """US dollars from the run's price table; None when a role that made calls has no price."""
    total = 0.0
    for role, counts in usage.items():
        price = config.price(role)
        if price is None:
            return None
        total += (counts.get("input_tokens", 0) * price.input + counts.get("output_tokens", 0) * price.output) / 1e6
    return round(total, 6)


def build_record(state: DialogueState, config: GenerationConfig) -> dict[str, Any]:
    plan = state["plan"]
    messages = convert_to_openai_messages(state["messages"])
    played = state.get("turn", 0) + 1
    return {
        "data_id": plan["data_id"],
        "messages": messages,
        "tools": state["tools"],
        "assistant_reasonings": state.get("assistant_reasonings", {}),
        "assistant_votes": state.get("assistant_votes", {}),
        "assistant_usage": state.get("assistant_usage", {}),
        "selected_files": plan["files"],
        "checker_not_pass_index": state.get("checker_not_pass_index", []),
        "task_complete_index": state.get("task_complete_index", []),
        "is_task_completable": state.get("is_task_completable", []),
        "dialog_mode": plan["modes"][:played],
        "round_cnt": played,
        "persona": plan["persona"],
        "tone": plan["tone"],
        "language": config.language,
        "outcome": state.get("outcome"),
        "stats": state.get("stats", {}),
        "usage": (usage := state.get("usage", {})),
        "cost_usd": usage_cost(usage, config),
        "generator": config.generator,
        "models": {role: model.label for role, model in config.models},
        "fcgraph_version": __version__,
        "seed": config.seed,
    }


class JsonlFile:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._trim_torn_tail()

    def _trim_torn_tail(self) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with self.path.open("rb+") as handle:
            data = handle.read()
            if not data.endswith(b"\n"):
                handle.truncate(data.rfind(b"\n") + 1)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self.path.exists():
            with self.path.open(encoding="utf-8") as handle:
                for line in handle:
                    yield json.loads(line)

    def ids(self) -> set[str]:
        return {record["data_id"] for record in self}

    def append(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(f"short write to {self.path}: {written} of {len(line)} bytes")
        finally:
            os.close(fd)
