"""The simulator's task grammar: how a request for a tool is worded, grounded in files, and read back.

One table serves both sides. The simulated user renders a clause with real values from the files it
was shown; the simulated assistant recovers the clause and its arguments from the message text alone.
Because nothing travels outside the messages, the simulator behaves the same embedded or behind HTTP.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from fcgraph.simulator.grounding import (
    PROSE,
    TEXTUAL,
    Chain,
    Intent,
    Question,
    column_of,
    db_only,
    filter_args,
    folder_only,
    group_sum_args,
    json_key_of,
    new_row,
    path_only,
    sibling,
    table_args,
    with_args,
    word_of,
)
from fcgraph.simulator.intents import category_intents
from fcgraph.simulator.lexicon import (
    ANSWERS,
    VAGUE_FILE,
    ZH_CHAINS,
    ZH_INTENTS,
    ZH_QUESTIONS,
)

SLOT = re.compile(r"\{(\w+)\}")


NOTES = ["check the totals again", "follow up with finance", "review before Friday", "ask Dana about this"]

# ---------------------------------------------------------------- the tables
INTENTS: tuple[Intent, ...] = (
    Intent("list_directory", "list what is inside the {path} folder", (), folder_only, path_arg=""),
    Intent("directory_tree", "show me the folder structure under {path}", (), folder_only, path_arg=""),
    Intent("find_files", "find all {pattern} files in the workspace", (),
           lambda v, r: {"pattern": "*" + PurePosixPath(v.path).suffix} if PurePosixPath(v.path).suffix else None,
           path_arg=""),
    Intent("file_info", "tell me the size and last modification time of {path}", (), path_only),
    Intent("read_file", "show me the contents of {path}", TEXTUAL, path_only),
    Intent("head_file", "show me the first {n} lines of {path}", TEXTUAL,
           with_args(n=lambda v, r: r.choice([3, 5, 8]))),
    Intent("tail_file", "show me the last {n} lines of {path}", TEXTUAL,
           with_args(n=lambda v, r: r.choice([3, 5]))),
    Intent("write_file", "create a new file {path} containing the text {content}", (),
           lambda v, r: {"path": f"{v.folder}/notes_{r.randint(1, 99)}.txt", "content": r.choice(NOTES)},
           path_arg="", writes=True),
    Intent("append_to_file", "append the line {content} to {path}", PROSE,
           with_args(content=lambda v, r: r.choice(NOTES)), writes=True),
    Intent("copy_file", "make a copy of {source} named {destination}", (), sibling("_backup"),
           path_arg="source", writes=True),
    Intent("move_file", "move {source} to {destination}", (), sibling("_archived"),
           path_arg="source", writes=True),
    Intent("delete_file", "delete {path} from the workspace", (), path_only, writes=True),
    Intent("make_directory", "create a folder called {path}", (),
           lambda v, r: {"path": f"{v.folder}/archive_{r.randint(2020, 2025)}"}, path_arg="", writes=True),
    Intent("file_hash", "compute the {algorithm} checksum of {path}", (),
           with_args(algorithm=lambda v, r: r.choice(["md5", "sha1", "sha256"]))),
    Intent("largest_files", "list the {limit} largest files under {path}", (),
           lambda v, r: {"path": v.folder, "limit": r.choice([2, 3, 5])}, path_arg=""),
    Intent("count_lines_words", "count the lines and words in {path}", TEXTUAL, path_only),
    Intent("search_text", "find the lines in {path} that mention {query}", TEXTUAL, with_args(query=word_of)),
    Intent("grep_files", "search every file for the word {pattern}", PROSE,
           lambda v, r: {"pattern": w} if (w := word_of(v, r)) else None, path_arg=""),
    Intent("replace_text", "replace every {old} with {new} in {path}", PROSE,
           with_args(old=word_of, new=lambda v, r: r.choice(["UPDATED", "revised", "REDACTED"])), writes=True),
    Intent("word_frequency", "tell me the {top_n} most common words in {path}", PROSE,
           with_args(top_n=lambda v, r: r.choice([3, 5, 10]))),
    Intent("extract_emails", "list the email addresses that appear in {path}", TEXTUAL, path_only),
    Intent("extract_dates", "list the dates mentioned in {path}", TEXTUAL, path_only),
    Intent("csv_columns", "tell me which columns {path} has", ("csv",), path_only),
    Intent("csv_preview", "show me the first {n} rows of {path}", ("csv",), with_args(n=lambda v, r: r.choice([3, 5]))),
    Intent("csv_column_stats", "give me summary statistics for the {column} column of {path}", ("csv",),
           with_args(column=lambda v, r: column_of(r.random() < 0.7)(v, r) or column_of(True)(v, r))),
    Intent("csv_filter_rows", "show the rows of {path} where {column} is greater than {value}", ("csv",), filter_args,
           fixed={"operator": ">"}),
    Intent("csv_sort", "sort {path} by {column} from highest to lowest and show the top {limit}", ("csv",),
           with_args(column=column_of(True), limit=lambda v, r: r.choice([3, 5])), fixed={"descending": True}),
    Intent("csv_group_sum", "total the {value_column} column by {group_by} in {path}", ("csv",), group_sum_args),
    Intent("csv_unique_values", "list the distinct values of {column} in {path}", ("csv",), with_args(column=column_of(False))),
    Intent("csv_to_json", "convert {path} to JSON and save it as {output_path}", ("csv",),
           sibling("", key="output_path", source="path", extension=".json"), writes=True),
    Intent("json_keys", "tell me which top-level keys {path} contains", ("json",), path_only),
    Intent("json_get", "show me the value stored under {pointer} in {path}", ("json",),
           with_args(pointer=lambda v, r: "/" + k if (k := json_key_of(v, r)) else None)),
    Intent("json_set", "add a field {pointer} with the value {value} to {path}", ("json",),
           lambda v, r: {"path": v.path, "pointer": "/" + r.choice(["reviewed_by", "last_checked", "owner_note"]),
                         "value": r.choice(["Dana Kim", "2024-07-01", "checked, no changes"])}
           if v.info.get("keys") else None, writes=True),
    Intent("json_validate", "check whether {path} is valid JSON", ("json",), path_only),
    Intent("json_search_key", "find every {key} field in {path}", ("json",), with_args(key=json_key_of)),
    Intent("sqlite_list_tables", "tell me which tables are in {db_path}", ("sqlite",), db_only, path_arg="db_path"),
    Intent("sqlite_describe_table", "describe the columns of the {table} table in {db_path}", ("sqlite",), table_args(),
           path_arg="db_path"),
    Intent("sqlite_count_rows", "count the rows of the {table} table in {db_path}", ("sqlite",), table_args(),
           path_arg="db_path"),
    Intent("sqlite_table_preview", "show me the first {n} rows of the {table} table in {db_path}", ("sqlite",),
           table_args(lambda t, r: {"n": r.choice([3, 5])}), path_arg="db_path"),
    Intent("sqlite_query", "run the SQL query {sql} against {db_path}", ("sqlite",),
           table_args(lambda t, r: {"sql": f"SELECT * FROM {t['name']} LIMIT {r.choice([2, 3])}"}), path_arg="db_path"),
    Intent("sqlite_insert_row", "add the row {values} to the {table} table of {db_path}", ("sqlite",),
           table_args(new_row), path_arg="db_path", writes=True),
)


INTENTS += category_intents()


def _first(result: Any, key: str | None = None) -> Any:
    item = result[0] if isinstance(result, list) and result else None
    return item.get(key) if key and isinstance(item, dict) else item


CHAINS: tuple[Chain, ...] = (
    Chain("find_files", "head_file", "find the {pattern} files, then show me the first lines of the first one you find",
          (), lambda v, r: {"pattern": "*" + PurePosixPath(v.path).suffix} if PurePosixPath(v.path).suffix else None,
          lambda a, res: {"path": _first(res), "n": 5}),
    Chain("find_files", "csv_columns", "find the CSV files under {path} and tell me the columns of the first one",
          ("csv",), folder_only, lambda a, res: {"path": _first(res)}, fixed={"pattern": "*.csv"}),
    Chain("largest_files", "file_info", "find the largest file under {path} and then tell me when it was last modified",
          (), folder_only, lambda a, res: {"path": _first(res, "path")}, fixed={"limit": 1}),
    Chain("grep_files", "count_lines_words", "find which file mentions {pattern} and count the words in it",
          PROSE, lambda v, r: {"pattern": w} if (w := word_of(v, r)) else None,
          lambda a, res: {"path": _first(res, "path")}),
    Chain("csv_columns", "csv_column_stats", "look up the columns of {path}, then give me statistics for its last column",
          ("csv",), path_only, lambda a, res: {"path": a["path"], "column": res["columns"][-1]}),
    Chain("csv_columns", "csv_unique_values", "check the columns of {path} and list the distinct values of the first one",
          ("csv",), path_only, lambda a, res: {"path": a["path"], "column": res["columns"][0]}),
    Chain("json_keys", "json_get", "list the top-level keys of {path}, then show me the value of the first key",
          ("json",), path_only, lambda a, res: {"path": a["path"], "pointer": "/" + res[0]}),
    Chain("sqlite_list_tables", "sqlite_count_rows", "list the tables in {db_path} and then count the rows in the first one",
          ("sqlite",), db_only, lambda a, res: {"db_path": a["db_path"], "table": res[0]}),
    Chain("sqlite_list_tables", "sqlite_describe_table",
          "look up the tables in {db_path}, then describe the columns of the last one",
          ("sqlite",), db_only, lambda a, res: {"db_path": a["db_path"], "table": res[-1]}),
)

QUESTIONS: tuple[Question, ...] = (
    Question("explain the difference between a CSV file and an Excel workbook",
             "A CSV file is plain text: one record per line, values separated by commas, no formatting or formulas. "
             "An Excel workbook is a binary or zipped XML format that can hold several sheets, types, formulas and styles."),
    Question("tell me why someone would keep data in SQLite instead of CSV files",
             "SQLite gives you typed columns, indexes, constraints and SQL queries across related tables in one file, "
             "and safe concurrent reads; CSV is simpler to share but has no types, no relations and no query engine."),
    Question("tell me what a SHA-256 checksum says about a file",
             "It is a fingerprint of the file's exact bytes: if two files have the same SHA-256 they are, for all practical "
             "purposes, identical; any change to the file changes the checksum. It says nothing about what the file means."),
    Question("suggest how I should name files so that they sort by date",
             "Put the date first in ISO format, year-month-day (for example 2024-06-30_report.md): names then sort "
             "chronologically in any file browser. Avoid spaces and keep one separator style."),
    Question("explain the difference between JSON and YAML",
             "Both describe nested data. JSON is strict and machine-oriented (quotes, braces, no comments); YAML is a "
             "superset designed for people, using indentation and allowing comments, which also makes it easier to get wrong."),
    Question("tell me when the median is a better summary than the mean",
             "When the data are skewed or have outliers, such as salaries or order values: one very large value pulls "
             "the mean up, while the median stays at the middle observation."),
    Question("explain what a WARN line in a log means compared with an ERROR line",
             "A WARN line reports something unexpected that the program handled, so work continued; an ERROR line reports "
             "an operation that failed. Warnings are worth reviewing, errors usually need action."),
    Question("explain what a primary key in a database table is",
             "A column, or set of columns, whose value identifies each row uniquely and is never empty; other tables "
             "refer to rows through it with foreign keys."),
)



# ---------------------------------------------------------------- rendering and reading back
def render(template: str, args: dict[str, Any]) -> str:
    def slot(match: re.Match[str]) -> str:
        value = args[match.group(1)]
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return f"`{text}`"

    return SLOT.sub(slot, template)


LANGUAGES = ("en", "zh")
CJK = re.compile(r"[\u4e00-\u9fff]")


def language_of(text: str) -> str:
    return "zh" if CJK.search(text) else "en"


def wording(source: Intent | Chain | Question, language: str) -> str:
    """The source's request wording in a language (English lives in the tables above)."""
    if language == "en":
        return source.template
    if isinstance(source, Intent):
        return source.zh or ZH_INTENTS[source.tool]
    if isinstance(source, Chain):
        return ZH_CHAINS[(source.first, source.second)]
    return ZH_QUESTIONS[source.template][0]


def answer_of(question: Question, language: str) -> str:
    return question.answer if language == "en" else ZH_QUESTIONS[question.template][1]


def second_person(clause: str) -> str:
    """The user's wording as the assistant repeats it ("show me my file" -> "show you your file")."""
    if CJK.search(clause):
        return clause.replace("我", "你")
    return re.sub(r"\b(me|my)\b", lambda m: {"me": "you", "my": "your"}[m.group(1)], clause)


def vague_template(intent: Intent, language: str = "en") -> str:
    """The intent's wording with its file argument replaced by a hint the assistant cannot use directly."""
    return wording(intent, language).replace("{" + intent.path_arg + "}", VAGUE_FILE[language])


def _pattern(template: str) -> re.Pattern[str]:
    parts = SLOT.split(template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else (f"(?P<{part}>[A-Za-z0-9_.-]+)" if part == "hint" else f"`(?P<{part}>[^`]+)`")
        for i, part in enumerate(parts)
    )
    return re.compile(regex, re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    """One recognised request in a user message."""

    source: Intent | Chain | Question
    args: dict[str, Any]
    text: str
    hint: str | None = None  # set when the file argument was left out (miss-param)

    @property
    def tools(self) -> tuple[str, ...]:
        return () if isinstance(self.source, Question) else self.source.tools


def _patterns() -> list[tuple[re.Pattern[str], Intent | Chain | Question, bool]]:
    table: list[tuple[re.Pattern[str], Intent | Chain | Question, bool]] = []
    for language in LANGUAGES:
        for source in (*INTENTS, *CHAINS, *QUESTIONS):
            table.append((_pattern(wording(source, language)), source, False))
            if isinstance(source, Intent) and source.path_arg:
                table.append((_pattern(vague_template(source, language)), source, True))
    return table


PATTERNS = _patterns()
ANSWER_PATTERNS = [_pattern(template) for language in LANGUAGES for template in ANSWERS[language]]


GENERIC = {"en": ("use {tool}", " with ", ", "), "zh": ("用 {tool}", "，参数 ", "、")}


@functools.cache
def generic_intent(tool: str, required: tuple[str, ...]) -> Intent:
    """A plain request for a tool the grammar has no wording for (a schema-only API): its name and arguments.

    The values come from the tool's own parameter schema, so any offered API can be asked for.
    """

    def wording(language: str) -> str:
        opening, before, between = GENERIC[language]
        slots = between.join(f"{name} {{{name}}}" for name in required)
        return opening.format(tool=tool) + (before + slots if slots else "")

    return Intent(tool, wording("en"), (), lambda view, rng: None, path_arg="", zh=wording("zh"))


def generic_intents(tools: Mapping[str, dict[str, Any]]) -> list[Intent]:
    """Generic intents for the offered tools that have no wording of their own."""
    worded = {intent.tool for intent in INTENTS} | {tool for chain in CHAINS for tool in chain.tools}
    return [generic_intent(name, tuple(parameters.get("required", []))) for name, parameters in tools.items()
            if name not in worded]


@functools.cache
def _compiled(template: str) -> re.Pattern[str]:
    return _pattern(template)


def parse_request(text: str, extra: Sequence[Intent] = ()) -> list[Clause]:
    """Every clause in a message, in order; where two wordings overlap the longer one wins.

    `extra` are generic intents (for tools without a wording of their own) to look for as well.
    """
    found = []
    generic = [(_compiled(wording(intent, language)), intent, False) for intent in extra for language in LANGUAGES]
    for pattern, source, vague in [*PATTERNS, *generic]:
        for match in pattern.finditer(text):
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            hint = groups.pop("hint", None) if vague else None
            args = {**getattr(source, "fixed", {}), **groups}  # values stay text until a tool schema types them
            found.append((match.start(), -(match.end() - match.start()), Clause(source, args, match.group(0), hint)))
    clauses, taken_until = [], -1
    for start, negative_length, clause in sorted(found, key=lambda item: (item[0], item[1])):
        if start >= taken_until:
            clauses.append(clause)
            taken_until = start - negative_length
    return clauses


def parse_answer(text: str) -> str | None:
    for pattern in ANSWER_PATTERNS:
        if match := pattern.search(text):
            return match.group("value")
    return None
