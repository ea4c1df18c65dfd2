"""Virtual replies: what a schema-only tool "returns", written by the tool model and remembered.

Replies are cached on disk by tool and normalised arguments and shared by every dialogue and run, so
the same call always gets the same answer and earlier answers can guide the model (as the seed's
ToolAgent does with real responses).
"""

from __future__ import annotations

import json
import sqlite3
from functools import cached_property
from pathlib import Path
from typing import Any


def call_key(arguments: dict[str, Any]) -> str:
    """Arguments in one canonical text, so {"b": 1, "a": 2} and {"a": 2, "b": 1} share a cache entry."""
    return json.dumps(arguments, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class VirtualReplyCache:
    def __init__(self, path: Path):
        self.path = path
        self.hits = self.misses = 0

    @cached_property
    def _db(self) -> sqlite3.Connection:
        """Opened on first use: runs without schema-only tools never create the file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS replies (tool TEXT, arguments TEXT, reply TEXT, PRIMARY KEY (tool, arguments))")
        return db

    def get(self, tool: str, arguments: dict[str, Any]) -> Any | None:
        row = self._db.execute("SELECT reply FROM replies WHERE tool = ? AND arguments = ?",
                               (tool, call_key(arguments))).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(row[0])

    def put(self, tool: str, arguments: dict[str, Any], reply: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO replies VALUES (?, ?, ?)",
                         (tool, call_key(arguments), json.dumps(reply, ensure_ascii=False)))

    def examples(self, tool: str, limit: int) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT arguments, reply FROM replies WHERE tool = ? ORDER BY arguments LIMIT ?",
                                (tool, limit)).fetchall()
        return [{"arguments": json.loads(arguments), "reply": json.loads(reply)} for arguments, reply in rows]

    def close(self) -> None:
        if "_db" in self.__dict__:
            self._db.close()
