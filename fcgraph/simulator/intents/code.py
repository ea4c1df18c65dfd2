"""Requests for the code tools: run, check and outline Python files, count source lines, test regexes."""

from __future__ import annotations

from random import Random
from typing import Any

from fcgraph.simulator.grounding import TEXTUAL, FileView, Intent, path_only, with_args, word_of

COMMENTED = ("python", "sql", "yaml", "html", "xml")  # kinds whose comment syntax code_count_lines knows


def _script(view: FileView, rng: Random) -> dict[str, Any] | None:
    """A Python file worth running: not a package marker, not a test module that needs pytest."""
    return None if view.stem == "__init__" or view.stem.startswith("test_") else {"path": view.path}


def _row_count_code(view: FileView, rng: Random) -> dict[str, Any]:
    code = f"import csv; print(sum(1 for _ in csv.DictReader(open('{view.path}', encoding='utf-8'))))"
    return {"code": code}


INTENTS: tuple[Intent, ...] = (
    Intent("python_check_file_syntax", "check {path} for Python syntax errors", ("python",), path_only,
           zh="检查 {path} 有没有 Python 语法错误"),
    Intent("python_list_definitions", "list the functions and classes defined in {path}", ("python",), path_only,
           zh="列出 {path} 中定义的函数和类"),
    Intent("code_count_lines", "count the code, comment and blank lines of {path}", COMMENTED, path_only,
           zh="统计 {path} 的代码行、注释行和空行"),
    Intent("python_run_file", "run the Python script {path}", ("python",), _script, zh="运行 Python 脚本 {path}"),
    Intent("code_regex_test_file", "test the regular expression {pattern} against every line of {path}", TEXTUAL,
           with_args(pattern=word_of), zh="用正则表达式 {pattern} 逐行测试 {path}"),
    Intent("python_run", "run the Python code {code}", ("csv",), _row_count_code, path_arg="",
           zh="运行这段 Python 代码 {code}"),
)
