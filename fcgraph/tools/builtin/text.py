"""Text tools: count, search, grep, replace and extract information from text files.

They work on any UTF-8 text file (notes, logs, source code, CSV or JSON read as plain text). Paths are
relative to the working directory and confined to it.
"""

import fnmatch
import os
import re
from collections import Counter
from datetime import date
from pathlib import Path

from fcgraph.tools.paths import ToolError, relative, resolve, sandbox_root

CATEGORY = "text"

_MAX_RESULTS = 100
_MAX_TEXT = 300
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _at_least(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ToolError(f"'{name}' must be an integer >= {minimum}, got {value!r}")


def _decode(data: bytes) -> str | None:
    """The text of a file's bytes, or None when the file is binary or not UTF-8."""
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _read_text(path: str) -> tuple[Path, str]:
    resolved = resolve(path)
    if resolved.is_dir():
        raise ToolError(f"'{path}' is a directory, not a file")
    text = _decode(resolved.read_bytes())
    if text is None:
        raise ToolError(f"'{path}' is a binary file, not a UTF-8 text file")
    return resolved, text


def _inside(path: Path) -> bool:
    root = sandbox_root()
    real = path.resolve()
    return real == root or root in real.parents


def count_lines_words(path: str) -> dict:
    """Count the lines, words and characters of a text file (like `wc`).

    Words are runs of non-whitespace characters.

    Args:
        path: Text file to count, relative to the working directory.
    """
    resolved, text = _read_text(path)
    return {"path": relative(resolved), "lines": len(text.splitlines()), "words": len(text.split()),
            "characters": len(text)}


def search_text(path: str, query: str, case_sensitive: bool = False) -> list[dict]:
    """Find the lines of a text file that contain a piece of text.

    Plain substring search (no wildcards or regular expressions). Returns at most 100 matching
    lines, each with its 1-based line number and its text.

    Args:
        path: Text file to search, relative to the working directory.
        query: Text to look for.
        case_sensitive: Whether upper and lower case must match exactly.
    """
    if not query:
        raise ToolError("'query' must not be empty")
    _, text = _read_text(path)
    needle = query if case_sensitive else query.casefold()
    matches = []
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in (line if case_sensitive else line.casefold()):
            matches.append({"line": number, "text": line[:_MAX_TEXT]})
            if len(matches) == _MAX_RESULTS:
                break
    return matches


def grep_files(pattern: str, path: str = ".", file_glob: str = "*") -> list[dict]:
    """Search text files for lines matching a regular expression, in a file or a whole folder tree.

    Files are visited in path order; binary files are skipped. Returns at most 100 matches, each
    with the file path, the 1-based line number and the line text.

    Args:
        pattern: Python regular expression to search for, e.g. "ERROR|WARN" or "total:\\s*\\d+".
        path: File or directory to search (directories are searched recursively), relative to the working directory.
        file_glob: Wildcard pattern that file names must match, e.g. "*.log"; "*" searches every file.
    """
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise ToolError(f"invalid regular expression '{pattern}': {exc}") from None
    top = resolve(path)
    if top.is_dir():
        files = []
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            files.extend(Path(dirpath) / name for name in filenames if fnmatch.fnmatchcase(name, file_glob))
        files = sorted((f for f in files if f.is_file() and _inside(f)), key=relative)
    else:
        files = [top]
    results = []
    for file in files:
        text = _decode(file.read_bytes())
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if regex.search(line):
                results.append({"path": relative(file), "line": number, "text": line[:_MAX_TEXT]})
                if len(results) == _MAX_RESULTS:
                    return results
    return results


def replace_text(path: str, old: str, new: str) -> dict:
    """Replace every occurrence of a piece of text in a file and save it.

    Plain text replacement (not a regular expression), case-sensitive. Returns how many
    occurrences were replaced; the file is left untouched when there are none.

    Args:
        path: Text file to edit, relative to the working directory.
        old: Exact text to replace.
        new: Replacement text (may be empty to delete the old text).
    """
    if not old:
        raise ToolError("'old' must not be empty")
    resolved, text = _read_text(path)
    count = text.count(old)
    if count:
        resolved.write_bytes(text.replace(old, new).encode("utf-8"))
    return {"path": relative(resolved), "replacements": count}


def word_frequency(path: str, top_n: int = 10) -> list[dict]:
    """List the most frequent words of a text file with their counts.

    Words are runs of letters (numbers and punctuation are ignored), compared in lower case.
    Words with equal counts are ordered alphabetically.

    Args:
        path: Text file to analyse, relative to the working directory.
        top_n: Number of most frequent words to return.
    """
    _at_least("top_n", top_n)
    _, text = _read_text(path)
    counts = Counter(word.lower() for word in _WORD.findall(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top_n]
    return [{"word": word, "count": count} for word, count in ranked]


def extract_emails(path: str) -> list[str]:
    """Extract every distinct email address mentioned in a text file, sorted alphabetically.

    Args:
        path: Text file to scan, relative to the working directory.
    """
    _, text = _read_text(path)
    return sorted({match.strip(".") for match in _EMAIL.findall(text)})


def extract_dates(path: str) -> list[str]:
    """Extract every distinct calendar date written in ISO format (YYYY-MM-DD) in a text file, sorted.

    Dates inside timestamps such as "2024-06-28T09:15:00Z" are found too; impossible dates like
    2024-02-30 are ignored.

    Args:
        path: Text file to scan, relative to the working directory.
    """
    _, text = _read_text(path)
    found = set()
    for year, month, day in _ISO_DATE.findall(text):
        try:
            found.add(date(int(year), int(month), int(day)).isoformat())
        except ValueError:
            continue
    return sorted(found)
