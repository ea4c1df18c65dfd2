"""The code tools, run in a real sandbox worker on a copy of the seed tree.

Python runs happen in a separate process: these tests check that output, exit codes, timeouts and
syntax errors come back as they should, and that a snippet stays in the working directory.
Expectations come from ast, re, json and sqlite3 used independently on the same files.
"""

from __future__ import annotations

import ast
import json
import re
import time

import pytest
from tool_checks import SEED, assert_described, run_every_intent, seed_files

from fcgraph.config import DEFAULT_FILE_SYSTEM
from fcgraph.simulator.intents import code as code_intents
from fcgraph.tools.builtin import code
from fcgraph.tools.discovery import tool_functions

TEXT_FILE = seed_files(".txt")[0]
PY_FILES = seed_files(".py")
SCRIPTS = [p for p in PY_FILES if "__main__" in (DEFAULT_FILE_SYSTEM / p).read_text(encoding="utf-8")]
LOG_FILE = seed_files(".log")[0]


def test_every_parameter_is_described():
    assert len(tool_functions(code)) >= 8
    assert_described(code, "code")


# ---------------------------------------------------------------- running Python
def test_python_run_captures_stdout_and_exit_code(tool_sandbox):
    result = tool_sandbox.ok("python_run", code="import sys\nprint('hello', 6 * 7)\nprint('oops', file=sys.stderr)")
    assert result == {"exit_code": 0, "timed_out": False, "stdout": "hello 42\n", "stderr": "oops\n",
                      "stdout_truncated": False, "stderr_truncated": False}
    assert tool_sandbox.ok("python_run", code="raise SystemExit(3)")["exit_code"] == 3


def test_python_run_is_a_separate_process_in_the_workspace(tool_sandbox):
    root = tool_sandbox.root
    probe = "import os, sys\nprint(os.getcwd())\nprint('fcgraph.tools.builtin.code' in sys.modules)\nprint(os.getpid())"
    first = tool_sandbox.ok("python_run", code=probe)["stdout"].split()
    second = tool_sandbox.ok("python_run", code=probe)["stdout"].split()
    assert first[:2] == [str(root), "False"] and first[2] != second[2]
    csv_file = seed_files(".csv")[0]
    counted = tool_sandbox.ok("python_run", code=f"print(len(open({csv_file!r}, encoding='utf-8').readlines()))")
    assert counted["stdout"].strip() == str(len((root / csv_file).read_text(encoding="utf-8").splitlines()))


def test_python_run_writes_land_in_the_workspace_and_never_outside(tool_sandbox):
    root = tool_sandbox.root
    inside = tool_sandbox.ok("python_run", code="open('made_by_snippet.txt', 'w').write('inside')")
    assert inside["exit_code"] == 0 and (root / "made_by_snippet.txt").read_text() == "inside"
    for target in ("../escaped_by_snippet.txt", "../../escaped_by_snippet.txt"):
        outside = tool_sandbox.ok("python_run", code=f"open({target!r}, 'w').write('escaped')")
        assert outside["exit_code"] == 1 and "PermissionError" in outside["stderr"]
        assert not (root / target).resolve().exists()
    spawned = tool_sandbox.ok("python_run", code="import subprocess\nsubprocess.run(['touch', '../spawned.txt'])")
    assert spawned["exit_code"] == 1 and not (root.parent / "spawned.txt").exists()


def test_python_run_times_out_and_says_so(tool_sandbox):
    started = time.monotonic()
    result = tool_sandbox.ok("python_run", code="print('started')\nwhile True:\n    pass", timeout_s=1)
    assert time.monotonic() - started < 10
    assert result["timed_out"] is True and result["exit_code"] is None
    assert result["stdout"] == "started\n" and "killed after 1 s" in result["message"]


def test_python_run_reports_errors_with_their_line(tool_sandbox):
    syntax = tool_sandbox.ok("python_run", code="x = 1\ndef broken(:\n    pass")
    assert syntax["exit_code"] == 1 and 'File "<snippet>", line 2' in syntax["stderr"]
    assert "SyntaxError" in syntax["stderr"]
    failing = tool_sandbox.ok("python_run", code="a = 1\nb = 0\nprint(a / b)")
    assert 'File "<snippet>", line 3' in failing["stderr"] and "ZeroDivisionError" in failing["stderr"]


def test_python_run_caps_output(tool_sandbox):
    result = tool_sandbox.ok("python_run", code="print('x' * 50000)")
    assert len(result["stdout"]) == 10_000 and result["stdout_truncated"] is True


@pytest.mark.parametrize("script", SCRIPTS)
def test_python_run_file_runs_the_seed_scripts(tool_sandbox, script):
    result = tool_sandbox.ok("python_run_file", path=script)
    assert (result["exit_code"], result["timed_out"]) == (0, False), result["stderr"]
    assert result["stdout"].strip()


def test_python_run_file_passes_arguments(tool_sandbox):
    argv = tool_sandbox.ok("python_run", code="open('argv.py', 'w').write('import sys; print(sys.argv)')")
    assert argv["exit_code"] == 0
    echoed = tool_sandbox.ok("python_run_file", path="argv.py", script_args=["one", "two words"])
    assert echoed["stdout"].strip() == str(["argv.py", "one", "two words"])


@pytest.mark.parametrize(("arguments", "message"), [
    ({"code": "print(1)", "timeout_s": 0}, "timeout_s"),
    ({"code": "print(1)", "timeout_s": 999}, "timeout_s"),
    ({"code": "   "}, "empty"),
])
def test_python_run_refuses_bad_arguments(tool_sandbox, arguments, message):
    outcome = tool_sandbox.call("python_run", **arguments)
    assert outcome.error_kind == "tool" and message in outcome.error


def test_python_run_file_needs_a_python_file(tool_sandbox):
    assert tool_sandbox.call("python_run_file", path=TEXT_FILE).error_kind == "tool"
    assert tool_sandbox.call("python_run_file", path="no/such.py").error_kind == "tool"


# ---------------------------------------------------------------- syntax and outlines
def test_python_check_syntax(tool_sandbox):
    assert tool_sandbox.ok("python_check_syntax", code="def f(x):\n    return x * 2\n") == {"valid": True}
    broken = tool_sandbox.ok("python_check_syntax", code="total = 0\nfor x in range(3)\n    total += x\n")
    assert (broken["valid"], broken["line"], broken["text"]) == (False, 2, "for x in range(3)")
    with pytest.raises(SyntaxError) as expected:
        ast.parse("total = 0\nfor x in range(3)\n    total += x\n")
    assert (broken["column"], broken["message"]) == (expected.value.offset, expected.value.msg)


@pytest.mark.parametrize("path", PY_FILES)
def test_python_check_file_syntax_on_seed_files(tool_sandbox, path):
    assert tool_sandbox.ok("python_check_file_syntax", path=path) == {"path": path, "valid": True}


def test_python_check_file_syntax_finds_an_error(tool_sandbox):
    (tool_sandbox.root / "broken.py").write_text("import os\n\nprint('unclosed'\n", encoding="utf-8")
    result = tool_sandbox.ok("python_check_file_syntax", path="broken.py")
    assert result["valid"] is False and result["line"] == 3


@pytest.mark.parametrize("path", PY_FILES)
def test_python_list_definitions(tool_sandbox, path):
    tree = ast.parse((tool_sandbox.root / path).read_text(encoding="utf-8"))
    result = tool_sandbox.ok("python_list_definitions", path=path)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert [(f["name"], f["line"]) for f in result["functions"]] == [(n.name, n.lineno) for n in functions]
    assert [c["name"] for c in result["classes"]] == [n.name for n in classes]
    for outline, node in zip(result["functions"], functions):
        assert outline["params"][:len(node.args.args)] == [a.arg for a in node.args.args]
    for outline, node in zip(result["classes"], classes):
        assert [m["name"] for m in outline["methods"]] == [n.name for n in node.body if isinstance(n, ast.FunctionDef)]


def test_code_count_lines(tool_sandbox):
    sample = "# header\n\nimport os  # trailing\n\n\ndef f():\n    # inside\n    return 1\n"
    (tool_sandbox.root / "sample.py").write_text(sample, encoding="utf-8")
    assert tool_sandbox.ok("code_count_lines", path="sample.py") == {
        "path": "sample.py", "language": "py", "lines": 8, "code": 3, "comment": 2, "blank": 3}
    sql = "-- a query\nSELECT 1;\n/* block\n   comment */\n\nSELECT 2; -- trailing\n"
    (tool_sandbox.root / "sample.sql").write_text(sql, encoding="utf-8")
    assert tool_sandbox.ok("code_count_lines", path="sample.sql") == {
        "path": "sample.sql", "language": "sql", "lines": 6, "code": 2, "comment": 3, "blank": 1}


@pytest.mark.parametrize("path", seed_files(".py") + seed_files(".sql") + seed_files(".yaml") + seed_files(".html"))
def test_code_count_lines_adds_up_on_seed_files(tool_sandbox, path):
    lines = (tool_sandbox.root / path).read_text(encoding="utf-8").splitlines()
    result = tool_sandbox.ok("code_count_lines", path=path)
    assert result["lines"] == len(lines) == result["code"] + result["comment"] + result["blank"]
    assert result["blank"] == sum(1 for line in lines if not line.strip())


def test_code_count_lines_refuses_unknown_languages(tool_sandbox):
    outcome = tool_sandbox.call("code_count_lines", path=TEXT_FILE)
    assert outcome.error_kind == "tool" and "supported" in outcome.error


# ---------------------------------------------------------------- JSON and regexes
def test_code_format_json(tool_sandbox):
    text = '{"b": [1, 2], "a": {"c": "Ü"}}'
    pretty = tool_sandbox.ok("code_format_json", text=text, indent=4, sort_keys=True)
    assert pretty == {"formatted": json.dumps(json.loads(text), indent=4, sort_keys=True, ensure_ascii=False),
                      "type": "dict"}
    assert tool_sandbox.ok("code_format_json", text=text, indent=0)["formatted"] == '{"b":[1,2],"a":{"c":"Ü"}}'
    broken = tool_sandbox.call("code_format_json", text='{\n  "a": 1,\n  "b": }')
    assert broken.error_kind == "tool" and "line 3" in broken.error


def test_code_regex_findall(tool_sandbox):
    text = (tool_sandbox.root / LOG_FILE).read_text(encoding="utf-8")
    pattern = r"(?P<level>ERROR|WARN)\w*"
    result = tool_sandbox.ok("code_regex_findall", pattern=pattern, text=text, limit=3)
    expected = list(re.finditer(pattern, text))
    assert result["count"] == len(expected) and result["truncated"] is (len(expected) > 3)
    assert result["matches"] == [{"match": m.group(0), "start": m.start(), "end": m.end(), "groups": list(m.groups()),
                                  "named": m.groupdict()} for m in expected[:3]]
    lines = tool_sandbox.ok("code_regex_findall", pattern="^b", text="a\nb\nbb", multiline=True)
    assert lines["count"] == 2
    assert tool_sandbox.call("code_regex_findall", pattern="(unclosed", text="x").error_kind == "tool"


def test_code_regex_test_file(tool_sandbox):
    lines = (tool_sandbox.root / LOG_FILE).read_text(encoding="utf-8").splitlines()
    pattern = r"^(\d{4}-\d{2}-\d{2})"
    result = tool_sandbox.ok("code_regex_test_file", pattern=pattern, path=LOG_FILE, limit=5)
    matching = [i for i, line in enumerate(lines, 1) if re.search(pattern, line)]
    assert (result["lines"], result["matching"], result["not_matching"]) == (len(lines), len(matching),
                                                                            len(lines) - len(matching))
    assert [m["line"] for m in result["matches"]] == matching[:5]
    assert result["matches"][0]["groups"] == [re.search(pattern, lines[matching[0] - 1]).group(1)]
    full = tool_sandbox.ok("code_regex_test_file", pattern=r"\d{4}-\d{2}-\d{2}", path=LOG_FILE, full_line=True)
    assert full["matching"] == sum(1 for line in lines if re.fullmatch(r"\d{4}-\d{2}-\d{2}", line))


def test_every_intent_reads_back_and_runs(tool_sandbox):
    assert any(p.endswith(".py") for p in SEED)
    run_every_intent(tool_sandbox, code_intents.INTENTS, code.__name__)
