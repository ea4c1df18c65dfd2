"""System tools: facts about the working directory and the machine the tools run on.

They describe the workspace (sizes, file types, largest folders, newest and oldest files) and a few
generic facts (Python version, platform, CPU count, free disk space, the current time). Nothing
outside the working directory is revealed beyond those facts: no absolute paths, no environment
variable values, no host name.
"""

import os
import platform
import shutil
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fcgraph.tools.builtin import fs as _fs
from fcgraph.tools.paths import ToolError, relative, sandbox_root

CATEGORY = "system"

_TYPES = {  # broad kind of file by extension, as a person would group them
    "document": (".pdf", ".docx", ".doc", ".odt", ".md", ".txt", ".rtf", ".html", ".htm", ".eml", ".ics"),
    "spreadsheet": (".xlsx", ".xls", ".ods", ".csv", ".tsv"),
    "data": (".json", ".yaml", ".yml", ".xml", ".toml", ".ini", ".cfg", ".db", ".sqlite", ".sqlite3", ".parquet"),
    "image": (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".svg"),
    "code": (".py", ".sql", ".js", ".ts", ".sh", ".java", ".c", ".h", ".cpp", ".go", ".rs", ".css", ".r", ".rb"),
    "log": (".log",),
    "archive": (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z"),
}
_TYPE_OF = {extension: kind for kind, extensions in _TYPES.items() for extension in extensions}


def _files() -> list[Path]:
    return _fs._walk_files(sandbox_root())


def _modified(path: Path) -> str:
    return datetime.fromtimestamp(int(path.stat().st_mtime), UTC).isoformat()


def _by_mtime(newest: bool, limit: int) -> list[dict]:
    _fs._at_least("limit", limit)
    stamped = [(file.stat().st_mtime, relative(file), file) for file in _files()]
    stamped.sort(key=lambda item: (-item[0] if newest else item[0], item[1]))
    return [{"path": name, "modified": _modified(file), "size": file.stat().st_size}
            for _, name, file in stamped[:limit]]


def system_disk_usage() -> dict:
    """Total size of the working directory: how many files it holds and how many bytes they take.

    Counts every file in every subfolder (file contents only, not file-system overhead).
    """
    files = _files()
    total = sum(file.stat().st_size for file in files)
    folders = sum(len(dirnames) for _, dirnames, _ in os.walk(sandbox_root()))
    return {"path": ".", "files": len(files), "folders": folders, "bytes": total, "megabytes": round(total / 2**20, 2)}


def system_file_types() -> dict:
    """Count the files in the working directory by kind (document, spreadsheet, data, image, code, log, archive, other).

    Each kind lists its number of files, total bytes and the extensions found, so questions such as
    "how many images are there?" can be answered at once.
    """
    kinds: dict[str, dict] = defaultdict(lambda: {"files": 0, "bytes": 0, "extensions": set()})
    for file in _files():
        extension = file.suffix.lower()
        entry = kinds[_TYPE_OF.get(extension, "other")]
        entry["files"] += 1
        entry["bytes"] += file.stat().st_size
        entry["extensions"].add(extension or "(none)")
    rows = [{"type": kind, "files": e["files"], "bytes": e["bytes"], "extensions": sorted(e["extensions"])}
            for kind, e in kinds.items()]
    return {"types": sorted(rows, key=lambda row: (-row["files"], row["type"]))}


def system_largest_folders(limit: int = 5, max_depth: int = 2) -> list[dict]:
    """List the folders of the working directory that take the most space, counting everything below each folder.

    A folder's size includes its subfolders, so a parent is always at least as large as its children.
    Sorted by size, largest first.

    Args:
        limit: Maximum number of folders to return.
        max_depth: How deep to look: 1 ranks only the top-level folders, 2 also their subfolders, and so on.
    """
    _fs._at_least("limit", limit)
    _fs._at_least("max_depth", max_depth)
    root = sandbox_root()
    totals: dict[Path, list[int]] = defaultdict(lambda: [0, 0])
    for file in _files():
        size = file.stat().st_size
        for folder in file.relative_to(root).parents[:-1]:  # the last parent is the root itself
            if len(folder.parts) <= max_depth:
                totals[root / folder][0] += size
                totals[root / folder][1] += 1
    rows = [{"path": relative(folder), "bytes": size, "files": count} for folder, (size, count) in totals.items()]
    return sorted(rows, key=lambda row: (-row["bytes"], row["path"]))[:limit]


def system_newest_files(limit: int = 5) -> list[dict]:
    """List the most recently modified files in the working directory, newest first.

    "modified" is an ISO-8601 UTC timestamp (whole seconds).

    Args:
        limit: Maximum number of files to return.
    """
    return _by_mtime(True, limit)


def system_oldest_files(limit: int = 5) -> list[dict]:
    """List the files in the working directory that were modified longest ago, oldest first.

    "modified" is an ISO-8601 UTC timestamp (whole seconds).

    Args:
        limit: Maximum number of files to return.
    """
    return _by_mtime(False, limit)


def system_python_version() -> dict:
    """The version of Python that runs the tools and scripts (e.g. to know which language features are available)."""
    info = platform.python_version_tuple()
    return {"version": platform.python_version(), "implementation": platform.python_implementation(),
            "major": int(info[0]), "minor": int(info[1])}


def system_platform() -> dict:
    """The operating system and processor architecture the tools run on (e.g. "Linux", "x86_64")."""
    return {"system": platform.system(), "release": platform.release(), "machine": platform.machine()}


def system_cpu_count() -> dict:
    """How many CPU cores the machine has and how many the tools may use."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpus": os.cpu_count(), "usable_cpus": usable}


def system_working_directory() -> dict:
    """The current working directory as the tools see it.

    It is always "." : every path given to a tool is relative to it, and a leading "/" means the
    same folder, so "/hr/employees.csv" and "hr/employees.csv" name the same file.
    """
    root = sandbox_root()
    entries = [child for child in root.iterdir() if not child.name.startswith(".")]
    return {"path": ".", "folders": sum(1 for c in entries if c.is_dir()),
            "files": sum(1 for c in entries if c.is_file())}


def system_env_var_names() -> dict:
    """The names of the environment variables visible to the tools, sorted; their values are never shown."""
    names = sorted(os.environ)
    return {"count": len(names), "names": names}


def system_current_time(timezone: str = "UTC") -> dict:
    """The current date and time, read from the system clock, in a given time zone.

    This tool's purpose is the clock, so its result changes from call to call. Returns the ISO-8601
    date-time with its UTC offset, the date, the time, the weekday and the Unix timestamp.

    Args:
        timezone: IANA time zone name, e.g. "UTC", "Europe/Berlin", "America/Denver" or "Asia/Shanghai".
    """
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ToolError(f"unknown time zone '{timezone}'; use an IANA name such as 'Europe/Berlin' or 'UTC'") from None
    now = datetime.now(zone).replace(microsecond=0)
    return {"timezone": timezone, "datetime": now.isoformat(), "date": now.date().isoformat(),
            "time": now.time().isoformat(), "weekday": now.strftime("%A"), "utc_offset": now.strftime("%z"),
            "unix_timestamp": int(now.timestamp())}


def system_free_space() -> dict:
    """Free and used space on the disk that holds the working directory, in bytes and gigabytes."""
    usage = shutil.disk_usage(sandbox_root())
    return {"total_bytes": usage.total, "used_bytes": usage.used, "free_bytes": usage.free,
            "free_gigabytes": round(usage.free / 2**30, 2),
            "free_percent": round(100 * usage.free / usage.total, 1) if usage.total else None}


def system_user() -> dict:
    """The user account the tools run as: numeric user and group ids, and the user name when it is known."""
    try:
        import pwd

        name = pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        name = None
    return {"uid": os.getuid(), "gid": os.getgid(), "user": name}
