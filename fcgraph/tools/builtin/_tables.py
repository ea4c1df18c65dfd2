"""Reading tables for the table tools (csv_tools, spreadsheet, statistics, visualisation): one place for it.

The file check, UTF-8 decoding, CSV/TSV parsing, workbook sheet lookup and column lookup live here so
every tool reads a table the same way and reports problems in the same words. The module's name
starts with "_", so tool discovery skips it; pandas and openpyxl are imported only when used.
"""

import csv
import functools
import io
import pathlib
from typing import Any

from fcgraph.tools.paths import ToolError, resolve


def _table_file(path: str, suffixes: tuple[str, ...], directory: str, kinds: str) -> pathlib.Path:
    """The resolved file: "'path' is a directory, not <directory>" or "'path' is not <kinds>" otherwise."""
    resolved = resolve(path)
    if resolved.is_dir():
        raise ToolError(f"'{path}' is a directory, not {directory}")
    if resolved.suffix.lower() not in suffixes:
        raise ToolError(f"'{path}' is not {kinds}")
    return resolved


def _delimiter(resolved: pathlib.Path) -> str:
    return "\t" if resolved.suffix.lower() == ".tsv" else ","


def _text_rows(resolved: pathlib.Path, path: str) -> list[list[str]]:
    """Every row of a UTF-8 CSV/TSV file (a blank line is an empty row), parsed with the csv module."""
    try:
        text = resolved.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ToolError(f"'{path}' is not a UTF-8 text file") from None
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(resolved)))
    except csv.Error as exc:
        raise ToolError(f"'{path}' is not a valid {resolved.suffix[1:].upper()} file: {exc}") from None


def _text_frame(resolved: pathlib.Path, path: str) -> Any:
    """A UTF-8 CSV/TSV file as a pandas DataFrame with text column names."""
    import pandas as pd

    try:
        frame = pd.read_csv(resolved, sep=_delimiter(resolved), encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ToolError(f"'{path}' is not a UTF-8 text file") from None
    except pd.errors.EmptyDataError:
        raise ToolError(f"'{path}' is empty") from None
    except pd.errors.ParserError as exc:
        raise ToolError(f"'{path}' is not a valid {resolved.suffix[1:]} file: {' '.join(str(exc).split())}") from None
    frame.columns = [str(column) for column in frame.columns]
    return frame


def _sheet_name(names: list[str], sheet: str, path: str) -> str:
    """The workbook sheet meant by `sheet`: the first sheet when empty, else matched exactly or ignoring case."""
    if not sheet:
        return names[0]
    matches = [name for name in names if name == sheet] or [
        name for name in names if name.casefold() == sheet.strip().casefold()]
    if not matches:
        raise ToolError(f"sheet '{sheet}' not found in '{path}'; available sheets: {', '.join(names)}")
    return matches[0]


def _sheet_rows(resolved: pathlib.Path, path: str, sheet: str) -> list[list[Any]]:
    """A sheet's cell values (formula results as saved); parsed sheets are remembered while the file is unchanged."""
    status = resolved.stat()
    return [list(row) for row in _parsed_sheet(str(resolved), path, sheet, status.st_mtime_ns, status.st_size)]


@functools.lru_cache(maxsize=8)
def _parsed_sheet(resolved: str, path: str, sheet: str, mtime_ns: int, size: int) -> tuple[tuple[Any, ...], ...]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(resolved, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for damaged files
        raise ToolError(f"'{path}' is not a readable .xlsx workbook: {exc}") from None
    try:
        return tuple(workbook[_sheet_name(workbook.sheetnames, sheet, path)].iter_rows(values_only=True))
    finally:
        workbook.close()


def _column_name(columns: list[str], name: str, path: str) -> str:
    """The column meant by `name`: matched exactly, or else ignoring case and surrounding spaces."""
    if name in columns:
        return name
    folded = [c for c in columns if c.strip().casefold() == str(name).strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    raise ToolError(f"column '{name}' not found in '{path}'; available columns: {', '.join(columns)}")
