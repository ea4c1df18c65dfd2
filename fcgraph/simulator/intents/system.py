"""Requests for the system tools: questions about the workspace as a whole and the machine's clock.

These requests need no file, so any file grounds them; each file grounds them only now and then, so
that they come up about as often as a request about one particular file rather than once per file.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

from fcgraph.simulator.grounding import FileView, Grounding, Intent

SHARE = 0.1  # chance that a given file grounds a workspace-wide request
TIME_ZONES = ["UTC", "Europe/Berlin", "America/Denver", "Asia/Shanghai", "Europe/Stockholm"]


def workspace(**extra: Callable[[Random], Any]) -> Grounding:
    def ground(view: FileView, rng: Random) -> dict[str, Any] | None:
        return {name: make(rng) for name, make in extra.items()} if rng.random() < SHARE else None

    return ground


def _limit(rng: Random) -> int:
    return rng.choice([3, 5, 10])


INTENTS: tuple[Intent, ...] = (
    Intent("system_disk_usage", "tell me how much space the whole workspace takes up", (), workspace(), path_arg="",
           zh="告诉我整个工作区占用了多少空间"),
    Intent("system_file_types", "tell me what kinds of files the workspace holds", (), workspace(), path_arg="",
           zh="告诉我工作区里都有哪些类型的文件"),
    Intent("system_largest_folders", "list the {limit} biggest folders in the workspace", (), workspace(limit=_limit),
           path_arg="", zh="列出工作区里最大的 {limit} 个文件夹"),
    Intent("system_newest_files", "show me the {limit} most recently changed files in the workspace", (),
           workspace(limit=_limit), path_arg="", zh="给我看工作区里最近修改过的 {limit} 个文件"),
    Intent("system_oldest_files", "show me the {limit} oldest files in the workspace", (), workspace(limit=_limit),
           path_arg="", zh="给我看工作区里最旧的 {limit} 个文件"),
    Intent("system_current_time", "tell me the current date and time in the {timezone} time zone", (),
           workspace(timezone=lambda rng: rng.choice(TIME_ZONES)), path_arg="",
           zh="告诉我 {timezone} 时区现在的日期和时间"),
    Intent("system_python_version", "tell me which Python version the tools run on", (), workspace(), path_arg="",
           zh="告诉我工具运行在哪个 Python 版本上"),
    Intent("system_free_space", "tell me how much free disk space is left", (), workspace(), path_arg="",
           zh="告诉我磁盘还剩多少可用空间"),
)
