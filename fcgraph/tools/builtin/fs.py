"""File-system tools: list, inspect, read, write, copy, move and delete files in the working directory.

Every path is relative to the working directory (a leading '/' means the same thing) and is confined
to it by `fcgraph.tools.paths.resolve`; results report paths in that same relative form.
"""

import fnmatch
import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from fcgraph.tools.paths import ToolError, relative, resolve, sandbox_root

CATEGORY = "file_system"

_MAX_LINES = 500
_HASH_ALGORITHMS = ("md5", "sha1", "sha256")


def _at_least(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ToolError(f"'{name}' must be an integer >= {minimum}, got {value!r}")


def _inside(path: Path) -> bool:
    """Whether a path found while walking still lies in the sandbox once symlinks are followed."""
    root = sandbox_root()
    real = path.resolve()
    return real == root or root in real.parents


def _directory(path: str) -> Path:
    resolved = resolve(path)
    if not resolved.is_dir():
        raise ToolError(f"'{path}' is not a directory")
    return resolved


def _file(path: str) -> Path:
    resolved = resolve(path)
    if resolved.is_dir():
        raise ToolError(f"'{path}' is a directory, not a file")
    return resolved


def _walk_files(top: Path) -> list[Path]:
    """Every regular file under `top` (recursively) that stays inside the sandbox, sorted by path."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for name in filenames:
            candidate = Path(dirpath) / name
            if candidate.is_file() and _inside(candidate):
                found.append(candidate)
    return sorted(found, key=lambda p: relative(p))


def _text_lines(path: str) -> tuple[Path, list[str]]:
    resolved = _file(path)
    data = resolved.read_bytes()
    if b"\0" in data[:8192]:
        raise ToolError(f"'{path}' is a binary file, not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ToolError(f"'{path}' is not a UTF-8 text file") from None
    return resolved, text.splitlines()


def _check_destination(destination: str, source: Path) -> Path:
    target = resolve(destination, must_exist=False)
    if target.is_dir():
        target = target / source.name
    if target.exists():
        raise ToolError(f"destination '{relative(target)}' already exists")
    if not target.parent.is_dir():
        raise ToolError(f"destination folder '{relative(target.parent)}' does not exist")
    return target


def list_directory(path: str = ".", show_hidden: bool = False) -> list[dict]:
    """List the files and folders directly inside a directory.

    Returns one entry per item, sorted by name, each with its name, its type ("file" or "dir") and
    its size in bytes (0 for folders).

    Args:
        path: Directory to list, relative to the working directory. Defaults to the working directory itself.
        show_hidden: Whether to include hidden entries, whose names start with a dot.
    """
    directory = _directory(path)
    entries = []
    for child in sorted(directory.iterdir(), key=lambda p: p.name):
        if child.name.startswith(".") and not show_hidden:
            continue
        is_dir = child.is_dir()
        entries.append({"name": child.name, "type": "dir" if is_dir else "file",
                        "size": 0 if is_dir else child.stat().st_size})
    return entries


def directory_tree(path: str = ".", max_depth: int = 3) -> str:
    """Show the folder structure under a directory as an indented tree.

    Each level is indented by two spaces and folder names end with "/". Hidden entries (names
    starting with a dot) are left out.

    Args:
        path: Directory at the top of the tree, relative to the working directory.
        max_depth: How many levels below the top directory to show (1 shows only its direct contents).
    """
    _at_least("max_depth", max_depth)
    top = _directory(path)
    lines = [relative(top).rstrip("/") + "/"]

    def walk(directory: Path, depth: int) -> None:
        for child in sorted(directory.iterdir(), key=lambda p: p.name):
            if child.name.startswith("."):
                continue
            is_dir = child.is_dir()
            lines.append("  " * depth + child.name + ("/" if is_dir else ""))
            if is_dir and depth < max_depth and _inside(child):
                walk(child, depth + 1)

    walk(top, 1)
    return "\n".join(lines)


def find_files(pattern: str, path: str = ".") -> list[str]:
    """Find files whose names match a wildcard pattern, searching all subfolders.

    The pattern uses shell wildcards: "*" matches any run of characters, "?" one character and
    "[abc]" one of the listed characters. Matching is case-sensitive. A pattern containing "/" is
    matched against the path relative to the search directory instead of the bare file name.

    Args:
        pattern: Wildcard pattern for file names, for example "*.csv" or "report_*.md".
        path: Directory to search in (recursively), relative to the working directory.
    """
    if not pattern:
        raise ToolError("'pattern' must not be empty, e.g. '*.csv'")
    top = _directory(path)
    matches = []
    for file in _walk_files(top):
        subject = file.relative_to(top).as_posix() if "/" in pattern else file.name
        if fnmatch.fnmatchcase(subject, pattern.lstrip("/") if "/" in pattern else pattern):
            matches.append(relative(file))
    return sorted(matches)


def file_info(path: str) -> dict:
    """Get metadata about a file or folder: type, size, last modification time, extension and line count.

    "modified" is an ISO-8601 UTC timestamp; "lines" is the number of lines for text files and null
    for folders and binary files.

    Args:
        path: File or folder to describe, relative to the working directory.
    """
    resolved = resolve(path)
    stat = resolved.stat()
    is_dir = resolved.is_dir()
    lines = None
    if not is_dir:
        data = resolved.read_bytes()
        if b"\0" not in data[:8192]:
            try:
                lines = len(data.decode("utf-8").splitlines())
            except UnicodeDecodeError:
                lines = None
    return {
        "path": relative(resolved),
        "type": "dir" if is_dir else "file",
        "size": 0 if is_dir else stat.st_size,
        "modified": datetime.fromtimestamp(int(stat.st_mtime), UTC).isoformat(),
        "extension": "" if is_dir else resolved.suffix,
        "lines": lines,
    }


def read_file(path: str, start_line: int = 1, max_lines: int = 50) -> dict:
    """Read lines of a text file, starting at a given line number.

    Returns the requested lines (without line endings) and the file's total number of lines, so
    longer files can be read page by page.

    Args:
        path: Text file to read, relative to the working directory.
        start_line: 1-based number of the first line to return.
        max_lines: Maximum number of lines to return (at most 500).
    """
    _at_least("start_line", start_line)
    _at_least("max_lines", max_lines)
    resolved, lines = _text_lines(path)
    if lines and start_line > len(lines):
        raise ToolError(f"start_line {start_line} is past the end of '{path}', which has {len(lines)} lines")
    count = min(max_lines, _MAX_LINES)
    return {"path": relative(resolved), "start_line": start_line,
            "lines": lines[start_line - 1:start_line - 1 + count], "total_lines": len(lines)}


def head_file(path: str, n: int = 10) -> list[str]:
    """Return the first lines of a text file.

    Args:
        path: Text file to read, relative to the working directory.
        n: Number of lines to return from the start of the file.
    """
    _at_least("n", n)
    return _text_lines(path)[1][:n]


def tail_file(path: str, n: int = 10) -> list[str]:
    """Return the last lines of a text file.

    Args:
        path: Text file to read, relative to the working directory.
        n: Number of lines to return from the end of the file.
    """
    _at_least("n", n)
    return _text_lines(path)[1][-n:]


def write_file(path: str, content: str, overwrite: bool = False) -> dict:
    """Write text to a file, creating it (and any missing parent folders).

    Refuses to replace an existing file unless overwrite is true. Returns the number of bytes written.

    Args:
        path: File to write, relative to the working directory.
        content: Full text to write into the file (UTF-8).
        overwrite: Whether an existing file may be replaced.
    """
    target = resolve(path, must_exist=False)
    if target.is_dir():
        raise ToolError(f"'{path}' is a directory")
    if target.exists() and not overwrite:
        raise ToolError(f"'{path}' already exists; pass overwrite=true to replace it")
    if target.parent.exists() and not target.parent.is_dir():
        raise ToolError(f"'{relative(target.parent)}' is a file, not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8")
    target.write_bytes(data)
    return {"path": relative(target), "bytes": len(data)}


def append_to_file(path: str, content: str) -> dict:
    """Append text to the end of a file, creating the file if it does not exist.

    No newline is added automatically. Returns the number of bytes appended.

    Args:
        path: File to append to, relative to the working directory.
        content: Text to add at the end of the file (UTF-8); include a trailing newline if needed.
    """
    target = resolve(path, must_exist=False)
    if target.is_dir():
        raise ToolError(f"'{path}' is a directory")
    if not target.parent.is_dir():
        raise ToolError(f"folder '{relative(target.parent)}' does not exist")
    data = content.encode("utf-8")
    with target.open("ab") as handle:
        handle.write(data)
    return {"path": relative(target), "bytes": len(data)}


def copy_file(source: str, destination: str) -> dict:
    """Copy a file to a new location.

    If the destination is an existing folder the file keeps its name inside it. An existing file
    is never overwritten.

    Args:
        source: File to copy, relative to the working directory.
        destination: New file path or an existing folder to copy into, relative to the working directory.
    """
    origin = _file(source)
    target = _check_destination(destination, origin)
    shutil.copy2(origin, target)
    return {"source": relative(origin), "destination": relative(target)}


def move_file(source: str, destination: str) -> dict:
    """Move or rename a file or folder.

    If the destination is an existing folder the item keeps its name inside it. An existing file
    is never overwritten.

    Args:
        source: File or folder to move, relative to the working directory.
        destination: New path or an existing folder to move into, relative to the working directory.
    """
    origin = resolve(source)
    if origin == sandbox_root():
        raise ToolError("cannot move the working directory itself")
    target = _check_destination(destination, origin)
    if origin.is_dir() and (target == origin or origin in target.parents):
        raise ToolError(f"cannot move folder '{source}' into itself")
    source_relative = relative(origin)
    shutil.move(str(origin), str(target))
    return {"source": source_relative, "destination": relative(target)}


def delete_file(path: str) -> dict:
    """Delete a single file. Folders are refused.

    Args:
        path: File to delete, relative to the working directory.
    """
    target = resolve(path)
    if target.is_dir():
        raise ToolError(f"'{path}' is a directory; only files can be deleted")
    deleted = relative(target)
    target.unlink()
    return {"deleted": deleted}


def make_directory(path: str) -> dict:
    """Create a folder, including any missing parent folders.

    Args:
        path: Folder to create, relative to the working directory.
    """
    target = resolve(path, must_exist=False)
    if target.exists():
        kind = "folder" if target.is_dir() else "file"
        raise ToolError(f"a {kind} named '{relative(target)}' already exists")
    try:
        target.mkdir(parents=True)
    except (FileExistsError, NotADirectoryError):
        raise ToolError(f"cannot create '{path}': a parent path is a file") from None
    return {"created": relative(target)}


def file_hash(path: str, algorithm: Literal["md5", "sha1", "sha256"] = "sha256") -> dict:
    """Compute a checksum of a file's contents, e.g. to check whether two files are identical.

    Args:
        path: File to hash, relative to the working directory.
        algorithm: Hash algorithm: "md5", "sha1" or "sha256".
    """
    if algorithm not in _HASH_ALGORITHMS:
        raise ToolError(f"unsupported algorithm '{algorithm}'; use one of {', '.join(_HASH_ALGORITHMS)}")
    resolved = _file(path)
    digest = hashlib.new(algorithm)
    with resolved.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return {"path": relative(resolved), "algorithm": algorithm, "hash": digest.hexdigest()}


def largest_files(path: str = ".", limit: int = 5) -> list[dict]:
    """Find the largest files under a directory, searching all subfolders.

    Results are sorted by size (largest first), then by path.

    Args:
        path: Directory to search in (recursively), relative to the working directory.
        limit: Maximum number of files to return.
    """
    _at_least("limit", limit)
    top = _directory(path)
    sized = [{"path": relative(file), "size": file.stat().st_size} for file in _walk_files(top)]
    sized.sort(key=lambda item: (-item["size"], item["path"]))
    return sized[:limit]
