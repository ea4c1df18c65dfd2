"""Code tools: run Python in a separate process, check syntax, outline and measure source files, JSON and regexes.

Python code never runs inside the tool worker: each run is a new `python -I` process in the working
directory, killed when its time is up. Inside that process an audit hook refuses writes outside the
working directory and the starting of other programs; the sandbox's own isolation remains the real
wall. Paths are relative to the working directory and confined to it.
"""

import ast
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Literal

from fcgraph.tools.builtin import fs as _fs
from fcgraph.tools.paths import ToolError, relative, sandbox_root

CATEGORY = "code"

_MAX_TIMEOUT_S = 20  # below the sandbox's default per-call limit of 30 s, so the tool can report its own timeout
_MAX_OUTPUT = 10_000  # characters kept of each of stdout and stderr
_MAX_INPUT = 200_000  # characters accepted for code, JSON or text arguments
_MAX_LINE = 300

# Run by the child: guard writes and process creation, then execute the snippet or script as __main__.
_LAUNCHER = r'''
import linecache, os, sys, traceback
root = os.getcwd()
WRITES = {"os.remove": (0,), "os.rename": (0, 1), "os.mkdir": (0,), "os.rmdir": (0,), "os.truncate": (0,),
          "os.chmod": (0,), "os.chown": (0,), "os.symlink": (1,), "os.link": (1,), "os.utime": (0,),
          "shutil.rmtree": (0,), "sqlite3.connect": (0,)}
SPAWNS = {"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "subprocess.Popen"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

def outside(path):
    if isinstance(path, int) or path is None:
        return False
    real = os.path.realpath(os.fsdecode(path))
    return real != os.devnull and real != root and not real.startswith(root + os.sep)

def hook(event, args):
    if event in SPAWNS:
        raise PermissionError("starting other programs is not allowed in this sandbox")
    if event == "open":
        writing = any(c in args[1] for c in "wax+") if isinstance(args[1], str) else bool((args[2] or 0) & WRITE_FLAGS)
        paths = [args[0]] if writing else []
    else:
        paths = [args[i] for i in WRITES.get(event, ())]
    for path in paths:
        if outside(path):
            raise PermissionError(f"writing outside the working directory is not allowed: {path!r}")

kind, target, *arguments = sys.argv[1:]
if kind == "file":
    name = target
    with open(target, encoding="utf-8") as handle:
        source = handle.read()
    sys.path.insert(0, os.path.dirname(os.path.abspath(target)))
else:
    name, source = "<snippet>", target
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
sys.argv = [name if kind == "file" else "-c", *arguments]
sys.addaudithook(hook)
try:
    code = compile(source, name, "exec")
    exec(code, {"__name__": "__main__", "__file__": name, "__builtins__": __builtins__})
except SystemExit:
    raise
except BaseException as exc:
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != name:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb)
    sys.exit(1)
'''
_COMMENTS = {  # extension -> (line comment markers, block comment delimiters)
    ".py": (("#",), ()), ".sh": (("#",), ()), ".yaml": (("#",), ()), ".yml": (("#",), ()),
    ".toml": (("#",), ()), ".ini": (("#", ";"), ()), ".cfg": (("#", ";"), ()), ".r": (("#",), ()),
    ".rb": (("#",), ()), ".sql": (("--",), (("/*", "*/"),)), ".js": (("//",), (("/*", "*/"),)),
    ".ts": (("//",), (("/*", "*/"),)), ".java": (("//",), (("/*", "*/"),)), ".c": (("//",), (("/*", "*/"),)),
    ".h": (("//",), (("/*", "*/"),)), ".cpp": (("//",), (("/*", "*/"),)), ".go": (("//",), (("/*", "*/"),)),
    ".rs": (("//",), (("/*", "*/"),)), ".css": ((), (("/*", "*/"),)), ".html": ((), (("<!--", "-->"),)),
    ".htm": ((), (("<!--", "-->"),)), ".xml": ((), (("<!--", "-->"),)),
}


def _limited(name: str, value: str) -> str:
    if len(value) > _MAX_INPUT:
        raise ToolError(f"'{name}' is {len(value)} characters long; at most {_MAX_INPUT} are accepted")
    return value


def _capture(stream: IO[bytes]) -> Callable[[], tuple[str, bool]]:
    """Drains a pipe in a thread, keeping its first bytes, so a chatty child never blocks on a full pipe."""
    kept, seen = bytearray(), 0

    def pump() -> None:
        nonlocal seen
        while chunk := stream.read1(65536):
            seen += len(chunk)
            kept.extend(chunk[:max(0, 4 * _MAX_OUTPUT - len(kept))])  # 4 bytes per character at most

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()

    def result() -> tuple[str, bool]:
        thread.join(timeout=2)  # a grandchild that escaped the kill may hold the pipe open: do not wait for it
        text = kept.decode("utf-8", errors="replace")
        return text[:_MAX_OUTPUT], len(text) > _MAX_OUTPUT or seen > len(kept)

    return result


def _run(kind: Literal["code", "file"], target: str, arguments: list[str], timeout_s: int) -> dict:
    """Runs the launcher in a new process group in the sandbox root; the whole group is killed on timeout."""
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, int) or not 1 <= timeout_s <= _MAX_TIMEOUT_S:
        raise ToolError(f"'timeout_s' must be an integer from 1 to {_MAX_TIMEOUT_S}, got {timeout_s!r}")
    command = [sys.executable, "-I", "-u", "-c", _LAUNCHER, kind, target, *map(str, arguments)]
    process = subprocess.Popen(command, cwd=sandbox_root(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    stdout, stderr = _capture(process.stdout), _capture(process.stderr)
    try:
        code, timed_out = process.wait(timeout=timeout_s), False
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        code, timed_out = process.wait(), True
    (out, out_cut), (err, err_cut) = stdout(), stderr()
    process.stdout.close()
    process.stderr.close()
    result = {"exit_code": None if timed_out else code, "timed_out": timed_out, "stdout": out, "stderr": err,
              "stdout_truncated": out_cut, "stderr_truncated": err_cut}
    if timed_out:
        result["message"] = f"killed after {timeout_s} s: the code did not finish in time"
    return result


def _syntax(source: str, filename: str) -> dict:
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        return {"valid": False, "message": exc.msg, "line": exc.lineno, "column": exc.offset,
                "text": (exc.text or "").rstrip("\n")[:_MAX_LINE]}
    except ValueError as exc:  # NUL characters, which Python 3.11 reports this way
        return {"valid": False, "message": str(exc), "line": None, "column": None, "text": ""}
    return {"valid": True}


def _python_file(path: str) -> tuple[Path, str]:
    resolved, lines = _fs._text_lines(path)
    if resolved.suffix.lower() not in (".py", ".pyw"):
        raise ToolError(f"'{path}' is not a Python file (.py)")
    return resolved, "\n".join(lines) + "\n"


def _regex(pattern: str, ignore_case: bool, multiline: bool = False) -> re.Pattern[str]:
    flags = (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if multiline else 0)
    try:
        return re.compile(_limited("pattern", pattern), flags)
    except re.error as exc:
        raise ToolError(f"invalid regular expression '{pattern}': {exc}") from None


def _match(match: re.Match[str]) -> dict:
    return {"match": match.group(0)[:_MAX_LINE], "start": match.start(), "end": match.end(),
            "groups": list(match.groups()), "named": match.groupdict()}


def python_run(code: str, timeout_s: int = 10) -> dict:
    """Run a Python snippet in a fresh, separate Python process and capture what it prints.

    The code runs in the working directory (relative paths such as "sales/orders_2024.csv" work),
    with no input available, no access to the tool's own state, writes outside the working
    directory refused and other programs not allowed to start. Returns the exit code (0 = success),
    stdout and stderr (each cut at 10,000 characters), and whether it was killed for running past
    timeout_s. Use print() to see results.

    Args:
        code: Python source code to execute, e.g. "import csv\\nprint(sum(1 for _ in open('hr/employees.csv')))".
        timeout_s: Seconds the code may run before it is killed, from 1 to 20.
    """
    if not code.strip():
        raise ToolError("'code' is empty; give the Python source to run")
    return _run("code", _limited("code", code), [], timeout_s)


def python_run_file(path: str, script_args: list[str] = [], timeout_s: int = 10) -> dict:  # noqa: B006 - never mutated
    """Run a Python script from the working directory in a fresh, separate Python process.

    Runs like `python path arg1 arg2` started from the working directory (so relative paths in the
    script are read from there, and modules next to the script can be imported), under the same
    limits as python_run. Returns the exit code, stdout, stderr and whether it timed out.

    Args:
        path: Python script to run, relative to the working directory, e.g. "engineering/src/sales_report.py".
        script_args: Command-line arguments passed to the script (its sys.argv[1:]), e.g. ["data/company.db"].
        timeout_s: Seconds the script may run before it is killed, from 1 to 20.
    """
    script, _ = _python_file(path)
    return _run("file", relative(script), list(script_args), timeout_s)


def python_check_syntax(code: str) -> dict:
    """Check whether a Python snippet is syntactically valid, without running it.

    Returns {"valid": true}, or the error message with its 1-based line and column and the offending line.

    Args:
        code: Python source code to check.
    """
    return _syntax(_limited("code", code), "<snippet>")


def python_check_file_syntax(path: str) -> dict:
    """Check whether a Python file is syntactically valid, without running it.

    Returns {"valid": true}, or the error message with its 1-based line and column and the offending line.

    Args:
        path: Python file to check, relative to the working directory.
    """
    resolved, source = _python_file(path)
    return {"path": relative(resolved), **_syntax(source, relative(resolved))}


def python_list_definitions(path: str) -> dict:
    """Outline a Python file: its top-level functions and classes with line numbers, parameters and docstring summaries.

    Classes list their methods. Nested functions are not listed.

    Args:
        path: Python file to outline, relative to the working directory.
    """
    resolved, source = _python_file(path)
    try:
        tree = ast.parse(source, filename=relative(resolved))
    except SyntaxError as exc:
        raise ToolError(f"'{path}' has a syntax error at line {exc.lineno}: {exc.msg}") from None

    def function(node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict:
        params = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
        params += [f"*{a.arg}" for a in (node.args.vararg,) if a] + [f"**{a.arg}" for a in (node.args.kwarg,) if a]
        return {"name": node.name, "line": node.lineno, "end_line": node.end_lineno, "params": params,
                "async": isinstance(node, ast.AsyncFunctionDef), "doc": _doc_summary(node)}

    functions, classes = [], []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append(function(node))
        elif isinstance(node, ast.ClassDef):
            methods = [function(n) for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
            classes.append({"name": node.name, "line": node.lineno, "end_line": node.end_lineno,
                            "bases": [ast.unparse(b) for b in node.bases], "doc": _doc_summary(node),
                            "methods": methods})
    return {"path": relative(resolved), "functions": functions, "classes": classes}


def _doc_summary(node: ast.AST) -> str | None:
    doc = ast.get_docstring(node)  # type: ignore[arg-type]
    return doc.strip().splitlines()[0][:_MAX_LINE] if doc and doc.strip() else None


def code_count_lines(path: str) -> dict:
    """Count a source file's code, comment and blank lines.

    Comments are recognised by the language's markers ("#", "--", "//", "/* */", "<!-- -->"); a
    line holding only a comment counts as a comment, a line with code and a trailing comment as
    code. Python docstrings count as code. Supported: .py .sql .sh .yaml .yml .toml .ini .cfg .r .rb
    .js .ts .java .c .h .cpp .go .rs .css .html .htm .xml.

    Args:
        path: Source file to measure, relative to the working directory.
    """
    resolved, lines = _fs._text_lines(path)
    markers = _COMMENTS.get(resolved.suffix.lower())
    if markers is None:
        raise ToolError(f"'{path}' is not a supported source file; supported: {' '.join(sorted(_COMMENTS))}")
    line_markers, blocks = markers
    counts = {"code": 0, "comment": 0, "blank": 0}
    closing = ""  # the end marker of the block comment the current line is in, if any
    for line in lines:
        text = line.strip()
        if closing:
            counts["comment"] += 1
            closing = "" if closing in text else closing
            continue
        opened = next(((start, end) for start, end in blocks if text.startswith(start)), None)
        if opened:
            closing = "" if opened[1] in text[len(opened[0]):] else opened[1]
        counts["blank" if not text else "comment" if opened or text.startswith(line_markers) else "code"] += 1
    return {"path": relative(resolved), "language": resolved.suffix.lower().lstrip("."), "lines": len(lines), **counts}


def code_format_json(text: str, indent: int = 2, sort_keys: bool = False) -> dict:
    """Validate and pretty-print a JSON snippet.

    Invalid JSON is reported with the 1-based line and column of the problem.

    Args:
        text: JSON text to format, e.g. '{"b": 1, "a": [1, 2]}'.
        indent: Number of spaces per indentation level; 0 gives the compact one-line form.
        sort_keys: Whether to sort object keys alphabetically.
    """
    _fs._at_least("indent", indent, 0)
    try:
        data = json.loads(_limited("text", text))
    except json.JSONDecodeError as exc:
        raise ToolError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    compact = (",", ":") if indent == 0 else None
    formatted = json.dumps(data, indent=indent or None, sort_keys=sort_keys, ensure_ascii=False, separators=compact)
    return {"formatted": formatted, "type": type(data).__name__}


def code_regex_findall(pattern: str, text: str, ignore_case: bool = False, multiline: bool = False,
                       limit: int = 20) -> dict:
    """Find every match of a regular expression in a piece of text, with capture groups and positions.

    Uses Python's `re` syntax. Each match has its text, 0-based start and end offsets, its numbered
    groups and its named groups.

    Args:
        pattern: Python regular expression, e.g. "(?P<id>INV-\\d+)".
        text: Text to search.
        ignore_case: Whether upper and lower case are treated as equal.
        multiline: Whether "^" and "$" match at every line start and end, not only at the text's ends.
        limit: Maximum number of matches to return; the total count covers all of them.
    """
    _fs._at_least("limit", limit)
    regex = _regex(pattern, ignore_case, multiline)
    matches = list(regex.finditer(_limited("text", text)))
    return {"count": len(matches), "matches": [_match(m) for m in matches[:limit]], "truncated": len(matches) > limit}


def code_regex_test_file(pattern: str, path: str, full_line: bool = False, ignore_case: bool = False,
                         limit: int = 20) -> dict:
    """Test a regular expression against every line of a text file, e.g. to validate a format line by line.

    Reports how many lines match and how many do not, the first matching lines with their capture
    groups, and the numbers of the first lines that do not match.

    Args:
        pattern: Python regular expression, e.g. "^\\d{4}-\\d{2}-\\d{2}" or "ERROR (?P<code>\\w+)".
        path: Text file to test, relative to the working directory.
        full_line: Whether the whole line must match the pattern (otherwise a match anywhere in the line counts).
        ignore_case: Whether upper and lower case are treated as equal.
        limit: Maximum number of matching lines, and of non-matching line numbers, to return.
    """
    _fs._at_least("limit", limit)
    regex = _regex(pattern, ignore_case)
    resolved, lines = _fs._text_lines(path)
    test = regex.fullmatch if full_line else regex.search
    matching, failing = [], []
    for number, line in enumerate(lines, start=1):
        if match := test(line):
            matching.append({"line": number, "text": line[:_MAX_LINE], **_match(match)})
        else:
            failing.append(number)
    return {"path": relative(resolved), "lines": len(lines), "matching": len(matching),
            "not_matching": len(failing), "matches": matching[:limit], "not_matching_lines": failing[:limit]}
