"""A dialogue's worker: runs one JSON-lines request at a time and turns whatever happens into a reply.

The worker is a child forked by the zygote (`fcgraph.sandbox.zygote`), which imported the tool modules
and heavy libraries once for every dialogue; this module is its request loop and the rules every
reply follows (error kinds, one-line messages, the sandbox's fixed clock).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from fcgraph.tools.paths import ToolError, sandbox_root

SANDBOX_TIME = 1719824400.0  # 2024-07-01T09:00:00Z: "now" for every file a tool writes


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def run_tool(tools: dict[str, Callable], name: str, arguments: Any) -> dict[str, Any]:
    function = tools.get(name)
    if function is None:
        return {"ok": False, "error_kind": "unknown_tool", "error": f"unknown tool '{name}'"}
    if not isinstance(arguments, dict):
        return {"ok": False, "error_kind": "bad_arguments", "error": f"arguments for '{name}' must be an object"}
    try:
        bound = inspect.signature(function).bind(**arguments)
    except TypeError as exc:
        message = f"bad arguments for '{name}': {_one_line(str(exc))}"
        return {"ok": False, "error_kind": "bad_arguments", "error": message}
    try:
        return {"ok": True, "result": function(*bound.args, **bound.kwargs)}
    except ToolError as exc:
        return {"ok": False, "error_kind": "tool", "error": _one_line(str(exc)) or f"{name} failed"}
    except Exception as exc:
        message = _one_line(str(exc))
        exc_type = type(exc).__name__
        return {"ok": False, "error_kind": "tool", "error": f"{exc_type}: {message}" if message else exc_type}


def freeze_clock(root: Path, since: float) -> None:
    """Give whatever a call created or changed the sandbox's fixed time.

    Real modification times would leak the wall clock into later tool outputs (file_info, listings
    by date), and records would differ from run to run and between a resumed and an unbroken run.
    """
    for folder, names, files in os.walk(root):
        for path in (Path(folder), *(Path(folder) / name for name in files)):
            with contextlib.suppress(OSError):
                if path.lstat().st_mtime >= since - 1 and not path.is_symlink():
                    os.utime(path, (SANDBOX_TIME, SANDBOX_TIME))


def encode_reply(request_id: int, outcome: dict[str, Any]) -> str:
    try:
        return json.dumps({"id": request_id, **outcome}, default=str)
    except (TypeError, ValueError) as exc:  # circular structures or non-string keys, which default=str cannot rescue
        error = f"result is not serialisable: {exc}"
        return json.dumps({"id": request_id, "ok": False, "error_kind": "tool", "error": error})


def serve(tools: dict[str, Callable], requests: TextIO, replies: TextIO) -> None:
    """Says it is ready, then answers one JSON-lines request at a time until the provider closes the channel."""
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    root = sandbox_root()
    for line in requests:
        request = json.loads(line)
        started = time.time()
        outcome = run_tool(tools, request["name"], request["arguments"])
        freeze_clock(root, since=started)
        replies.write(encode_reply(request["id"], outcome) + "\n")
        replies.flush()
