"""What the user agent is told about a file: metadata plus the first lines or the format's equivalent.

The assistant never sees this; it must discover files through tools. Any file, however broken,
gets a description rather than an exception, because one odd file must not stop a run.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HEAD_LINES = 10
TEXT_SUFFIXES = {".txt", ".md", ".log", ".py", ".sql", ".yaml", ".yml", ".xml", ".html", ".ini", ".cfg", ".toml"}
SQLITE_SUFFIXES = {".db", ".sqlite", ".sqlite3"}


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in SQLITE_SUFFIXES:
        return "sqlite"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "binary"


def describe_file(root: Path, path: Path) -> dict[str, Any]:
    stat = path.stat()
    info: dict[str, Any] = {
        "path": path.relative_to(root).as_posix(),
        "type": file_kind(path),
        "size": stat.st_size,
        "modified": datetime.fromtimestamp(int(stat.st_mtime), UTC).isoformat(),
    }
    try:
        info.update(_CONTENT_READERS.get(info["type"], _no_content)(path))
    except (OSError, UnicodeDecodeError, ValueError, sqlite3.Error) as exc:
        info["unreadable"] = f"{type(exc).__name__}: {exc}"
    return info


def _head(path: Path) -> dict[str, Any]:
    lines: list[str] = []
    with path.open(encoding="utf-8", errors="strict") as handle:
        for line in handle:
            lines.append(line.rstrip("\n")[:300])
            if len(lines) == HEAD_LINES:
                break
    return {"head": lines}


def _json(path: Path) -> dict[str, Any]:
    info = _head(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        info["keys"] = list(data)[:50]
    return info


def _sqlite(path: Path) -> dict[str, Any]:
    with sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) as connection:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        tables = []
        for name in names:
            columns = [{"name": row[1], "type": row[2]} for row in connection.execute(f'PRAGMA table_info("{name}")')]
            rows = connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            tables.append({"name": name, "columns": columns, "rows": rows})
    return {"tables": tables}


def _no_content(path: Path) -> dict[str, Any]:
    return {}


_CONTENT_READERS = {"csv": _head, "text": _head, "json": _json, "sqlite": _sqlite}


def list_files(root: Path) -> list[Path]:
    """Regular files under root, never following a symlink out of it."""
    root = root.resolve()
    files = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() and root not in path.resolve().parents:
            continue
        if path.is_file():
            files.append(path)
    return files


def directory_tree(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        depth = len(path.relative_to(root).parts) - 1
        lines.append("  " * depth + path.name + ("/" if path.is_dir() else ""))
    return "\n".join(lines)
