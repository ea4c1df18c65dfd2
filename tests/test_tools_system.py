"""The system tools, run in a real sandbox worker on a copy of the seed tree.

Workspace facts are recomputed here with os.walk and os.stat; machine facts come from the same
interpreter (the worker runs it too). No result may mention the workspace's absolute location.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tool_checks import assert_described, run_every_intent

from fcgraph.simulator.intents import system as system_intents
from fcgraph.tools.builtin import system
from fcgraph.tools.discovery import tool_functions


def workspace_files(root: Path) -> list[Path]:
    return sorted(Path(folder, name) for folder, _, names in os.walk(root) for name in names)


def test_every_parameter_is_described():
    assert len(tool_functions(system)) >= 12
    assert_described(system, "system")


@pytest.mark.parametrize("tool", sorted(tool_functions(system)))
def test_nothing_outside_the_workspace_is_revealed(tool_sandbox, tool):
    text = json.dumps(tool_sandbox.ok(tool))
    assert str(tool_sandbox.root) not in text and str(tool_sandbox.root.parent) not in text


def test_system_disk_usage(tool_sandbox):
    files = workspace_files(tool_sandbox.root)
    result = tool_sandbox.ok("system_disk_usage")
    assert result["files"] == len(files) and result["bytes"] == sum(f.stat().st_size for f in files)
    assert result["folders"] == sum(len(dirs) for _, dirs, _ in os.walk(tool_sandbox.root))
    assert result["path"] == "."


def test_system_file_types(tool_sandbox):
    files = workspace_files(tool_sandbox.root)
    result = tool_sandbox.ok("system_file_types")["types"]
    assert sum(row["files"] for row in result) == len(files)
    by_type = {row["type"]: row for row in result}
    images = [f for f in files if f.suffix.lower() in (".png", ".jpg", ".jpeg")]
    assert by_type["image"]["files"] == len(images)
    assert by_type["image"]["bytes"] == sum(f.stat().st_size for f in images)
    assert {".csv", ".xlsx"} <= set(by_type["spreadsheet"]["extensions"])


@pytest.mark.parametrize("max_depth", [1, 2, 4])
def test_system_largest_folders(tool_sandbox, max_depth):
    root = tool_sandbox.root
    totals = defaultdict(int)
    for file in workspace_files(root):
        parts = file.relative_to(root).parts[:-1]
        for depth in range(1, min(len(parts), max_depth) + 1):
            totals["/".join(parts[:depth])] += file.stat().st_size
    expected = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:4]
    result = tool_sandbox.ok("system_largest_folders", limit=4, max_depth=max_depth)
    assert [(row["path"], row["bytes"]) for row in result] == expected


def test_newest_and_oldest_files(tool_sandbox):
    root = tool_sandbox.root
    files = workspace_files(root)
    newest, oldest = files[len(files) // 2], files[-1]
    os.utime(newest, (2_000_000_000, 2_000_000_000))  # 2033
    os.utime(oldest, (946_684_800, 946_684_800))  # 2000-01-01
    top = tool_sandbox.ok("system_newest_files", limit=3)
    assert top[0] == {"path": newest.relative_to(root).as_posix(), "modified": "2033-05-18T03:33:20+00:00",
                      "size": newest.stat().st_size}
    bottom = tool_sandbox.ok("system_oldest_files", limit=3)
    assert bottom[0]["path"] == oldest.relative_to(root).as_posix()
    assert bottom[0]["modified"] == "2000-01-01T00:00:00+00:00"
    mtimes = sorted((f.stat().st_mtime, f.relative_to(root).as_posix()) for f in files)
    assert [row["path"] for row in bottom] == [name for _, name in mtimes[:3]]


def test_machine_facts(tool_sandbox):
    assert tool_sandbox.ok("system_python_version")["version"] == platform.python_version()
    assert tool_sandbox.ok("system_platform") == {"system": platform.system(), "release": platform.release(),
                                                  "machine": platform.machine()}
    assert tool_sandbox.ok("system_cpu_count")["cpus"] == os.cpu_count()
    assert tool_sandbox.ok("system_user")["uid"] == os.getuid()
    space = tool_sandbox.ok("system_free_space")
    expected = shutil.disk_usage(tool_sandbox.root)
    assert space["total_bytes"] == expected.total and abs(space["free_bytes"] - expected.free) < 2**30


def test_working_directory_is_relative(tool_sandbox):
    root = tool_sandbox.root
    result = tool_sandbox.ok("system_working_directory")
    visible = [c for c in root.iterdir() if not c.name.startswith(".")]
    assert result == {"path": ".", "folders": sum(c.is_dir() for c in visible),
                      "files": sum(c.is_file() for c in visible)}


def test_env_var_names_without_values(tool_sandbox):
    result = tool_sandbox.ok("system_env_var_names")
    assert "FCGRAPH_SANDBOX_ROOT" in result["names"] and result["names"] == sorted(result["names"])
    assert result["count"] == len(result["names"])


@pytest.mark.parametrize(("timezone", "offset"), [("UTC", "+0000"), ("Asia/Shanghai", "+0800")])
def test_system_current_time(tool_sandbox, timezone, offset):
    result = tool_sandbox.ok("system_current_time", timezone=timezone)
    moment = datetime.fromisoformat(result["datetime"])
    assert abs((moment - datetime.now(UTC)).total_seconds()) < 60
    assert result["utc_offset"] == offset and result["date"] == moment.date().isoformat()
    assert result["weekday"] == moment.strftime("%A") and result["unix_timestamp"] == int(moment.timestamp())


def test_unknown_time_zone_is_a_tool_error(tool_sandbox):
    outcome = tool_sandbox.call("system_current_time", timezone="Mars/Olympus")
    assert outcome.error_kind == "tool" and "time zone" in outcome.error
    assert tool_sandbox.call("system_largest_folders", limit=0).error_kind == "tool"


def test_every_intent_reads_back_and_runs(tool_sandbox):
    run_every_intent(tool_sandbox, system_intents.INTENTS, system.__name__)
