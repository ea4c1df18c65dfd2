"""The contract between the graph's tool node and wherever tool calls actually run.

The graph only ever sees a `ToolOutcome`, so a tool that fails, hangs or kills its process becomes
an ordinary reply the assistant can react to instead of an exception that ends the dialogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

ErrorKind = Literal["tool", "bad_arguments", "unknown_tool", "timeout", "crash"]


@dataclass(frozen=True)
class ToolOutcome:
    ok: bool
    result: Any = None  # JSON-serialisable tool return value when ok
    error: str | None = None  # one-line, human-readable message when not ok
    error_kind: ErrorKind | None = None
    duration_ms: float = 0.0


class Sandbox(Protocol):
    """One dialogue's execution environment (local process today, E2B later)."""

    root: str  # where the private copy lives (for information only)

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome: ...

    async def close(self) -> None:
        """Stops processes and removes the copy."""
        ...


class SandboxProvider(Protocol):
    async def open(self, dialogue_id: str) -> Sandbox:
        """Returns the dialogue's sandbox, reusing its copy if one already exists.

        A resumed dialogue keeps its files.
        """
        ...

    async def remove(self, dialogue_id: str) -> None:
        """Deletes the dialogue's copy, if any, without starting anything (for dialogues that ran no tool)."""
        ...

    async def close(self) -> None:
        """Stops whatever the provider keeps running for all dialogues (idempotent; opening again restarts it)."""
        ...
