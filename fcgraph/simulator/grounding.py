"""What the simulator's requests are made of: file views, request types, and grounding helpers.

A grounding turns one sampled file into real argument values for a tool (a path, a column that
exists, a table that exists). Request types for further tool categories live in
`fcgraph.simulator.intents`, one module per category, built from these parts.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from random import Random
from typing import Any

from fcgraph.datasets.file_info import TEXT_TYPES

TEXTUAL = tuple(sorted(TEXT_TYPES))  # files any text tool can read
PROSE = ("text", "markdown")  # files of running text: notes, reports, logs



@dataclass(frozen=True)
class FileView:
    """The parts of a file-info record that grounding needs."""

    info: dict[str, Any]

    @property
    def path(self) -> str:
        return self.info["path"]

    @property
    def kind(self) -> str:
        return self.info["type"]

    @property
    def stem(self) -> str:
        return PurePosixPath(self.path).stem

    @property
    def folder(self) -> str:
        return str(PurePosixPath(self.path).parent)

    def csv_rows(self) -> list[dict[str, str]]:
        lines = self.info.get("head") or []
        return list(csv.DictReader(lines)) if lines else []

    def csv_columns(self, numeric: bool) -> list[str]:
        rows = self.csv_rows()
        if not rows:
            return []
        return [c for c in rows[0] if c and all(_is_number(r.get(c)) for r in rows) == numeric]

    def words(self) -> list[str]:
        text = " ".join(self.info.get("head") or [])
        return sorted({w for w in re.findall(r"[A-Za-z]{5,}", text)})

    def tables(self) -> list[dict[str, Any]]:
        return [t for t in self.info.get("tables") or [] if t["columns"]]


def _is_number(value: str | None) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
        return True
    except (TypeError, ValueError):
        return False


Grounding = Callable[[FileView, Random], dict[str, Any] | None]


@dataclass(frozen=True)
class Intent:
    """One way of asking for one tool call."""

    tool: str
    template: str  # {slot} = a tool argument, rendered in backticks
    kinds: tuple[str, ...]  # file kinds it can be grounded on; () = any file
    ground: Grounding
    path_arg: str = "path"  # the argument a miss-param request leaves out
    fixed: dict[str, Any] = field(default_factory=dict)  # implied by the wording
    writes: bool = False
    zh: str = ""  # the Chinese wording, same slots (core intents keep theirs in lexicon.ZH_INTENTS)

    @property
    def tools(self) -> tuple[str, ...]:
        return (self.tool,)


@dataclass(frozen=True)
class Chain:
    """A request whose second call needs the first call's output (dependent mode)."""

    first: str
    second: str
    template: str
    kinds: tuple[str, ...]
    ground: Grounding
    link: Callable[[dict[str, Any], Any], dict[str, Any]]
    fixed: dict[str, Any] = field(default_factory=dict)

    @property
    def tools(self) -> tuple[str, ...]:
        return (self.first, self.second)


@dataclass(frozen=True)
class Question:
    """A request answered from general knowledge (no-tool-use mode)."""

    template: str
    answer: str


# ---------------------------------------------------------------- grounding helpers
def path_only(view: FileView, rng: Random) -> dict[str, Any]:
    return {"path": view.path}


def with_args(**extra: Callable[[FileView, Random], Any]) -> Grounding:
    def ground(view: FileView, rng: Random) -> dict[str, Any] | None:
        args = {"path": view.path}
        for name, make in extra.items():
            value = make(view, rng)
            if value is None:
                return None
            args[name] = value
        return args

    return ground


def pick(values: list[Any]) -> Callable[[Random], Any]:
    return lambda rng: rng.choice(values) if values else None


def column_of(numeric: bool) -> Callable[[FileView, Random], str | None]:
    return lambda view, rng: pick(view.csv_columns(numeric))(rng)


def word_of(view: FileView, rng: Random) -> str | None:
    return pick(view.words())(rng)


def filter_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    columns = view.csv_columns(numeric=True)
    rows = view.csv_rows()
    if not columns or not rows:
        return None
    column = rng.choice(columns)
    values = sorted(float(r[column]) for r in rows)
    threshold = values[len(values) // 2]
    return {"path": view.path, "column": column, "operator": ">", "value": f"{threshold:g}"}


def group_sum_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    numeric, text = view.csv_columns(True), view.csv_columns(False)
    if not numeric or not text:
        return None
    return {"path": view.path, "group_by": rng.choice(text), "value_column": rng.choice(numeric)}


def json_key_of(view: FileView, rng: Random) -> str | None:
    return pick(list(view.info.get("keys") or []))(rng)


def db_only(view: FileView, rng: Random) -> dict[str, Any]:
    return {"db_path": view.path}


def table_args(extra: Callable[[dict[str, Any], Random], dict[str, Any] | None] | None = None) -> Grounding:
    def ground(view: FileView, rng: Random) -> dict[str, Any] | None:
        tables = view.tables()
        if not tables:
            return None
        table = rng.choice(tables)
        args = {"db_path": view.path, "table": table["name"]}
        if extra is not None:
            more = extra(table, rng)
            if more is None:
                return None
            args.update(more)
        return args

    return ground


def new_row(table: dict[str, Any], rng: Random) -> dict[str, Any] | None:
    samples = {"INTEGER": 7, "REAL": 19.5, "NUMERIC": 3}
    values = {
        c["name"]: samples.get(c["type"].upper(), f"Sample {c['name']}")
        for c in table["columns"][1:]  # the first column is the key in every table we ground on
    }
    return {"values": values} if values else None


def folder_only(view: FileView, rng: Random) -> dict[str, Any]:
    return {"path": view.folder}


def sibling(suffix: str, key: str = "destination", source: str = "source", extension: str | None = None) -> Grounding:
    """A new path next to the file: same folder, stem + suffix, the file's own extension unless one is given."""

    def ground(view: FileView, rng: Random) -> dict[str, Any]:
        target = PurePosixPath(view.path)
        ext = target.suffix if extension is None else extension
        return {source: view.path, key: str(target.with_name(f"{target.stem}{suffix}{ext}"))}

    return ground


# ---------------------------------------------------------------- tables as the user saw them
def shown_grids(view: FileView) -> list[tuple[str, list[list[Any]]]]:
    """The rows a user was shown of a table, as (sheet, rows): ("", the parsed head) for a CSV/TSV file,
    one entry per sheet (in workbook order) for a workbook. The first row is the header."""
    if view.kind in ("csv", "tsv"):
        return [("", list(csv.reader(view.info.get("head") or [], delimiter="\t" if view.kind == "tsv" else ",")))]
    return [(sheet.get("name", ""), [list(row) for row in sheet.get("rows") or []])
            for sheet in view.info.get("sheets") or []]


def shown_number(cell: Any) -> float | None:
    """A shown cell's number; None for blanks, booleans and text."""
    if isinstance(cell, bool):
        return None
    try:
        return float(cell)
    except (TypeError, ValueError):
        return None
