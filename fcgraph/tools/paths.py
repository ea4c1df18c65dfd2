"""Path confinement shared by every executable tool.

Tools run inside a sandbox process whose working directory is the dialogue's private copy of the
seed file system. Every path argument goes through `resolve` so that `..`, absolute paths and
symlinks can never reach a file outside that copy, whatever isolation the sandbox adds on top.
"""

from __future__ import annotations

import os
from pathlib import Path


class ToolError(Exception):
    """A failure the caller can act on (bad argument, missing file); its message becomes the tool reply."""


def sandbox_root() -> Path:
    return Path(os.environ.get("FCGRAPH_SANDBOX_ROOT") or os.getcwd()).resolve()


def resolve(path: str, *, must_exist: bool = True) -> Path:
    """Map a user-facing path (relative or root-absolute, e.g. '/finance/a.csv') into the sandbox."""
    root = sandbox_root()
    candidate = (root / str(path).lstrip("/")).resolve()
    if candidate != root and root not in candidate.parents:
        raise ToolError(f"path '{path}' is outside the working directory")
    if must_exist and not candidate.exists():
        raise ToolError(f"no such file or directory: '{path}'")
    return candidate


def relative(path: Path) -> str:
    """The sandbox-relative form of a resolved path, as tools report it."""
    rel = path.resolve().relative_to(sandbox_root())
    return rel.as_posix() or "."
