"""CSV tools: inspect, summarise, filter, sort, group and convert comma-separated tables.

A CSV file must have a header row; its cells are read as text and treated as numbers wherever they
parse as numbers. Paths are relative to the working directory and confined to it.
"""

import json
import math
from collections import Counter
from pathlib import Path
from typing import Literal

from fcgraph.tools.builtin._tables import _column_name, _table_file, _text_rows
from fcgraph.tools.paths import ToolError, relative, resolve

CATEGORY = "csv"

_OPERATORS = ("==", "!=", ">", ">=", "<", "<=", "contains")


def _at_least(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ToolError(f"'{name}' must be an integer >= {minimum}, got {value!r}")


def _load(path: str) -> tuple[Path, list[str], list[dict]]:
    resolved = _table_file(path, (".csv", ".tsv"), "a CSV file", "a CSV file")
    lines = _text_rows(resolved, path)
    header = lines[0] if lines else None
    if not header or not any(name.strip() for name in header):
        raise ToolError(f"'{path}' is empty or has no header row")
    rows = [dict(zip(header, row + [""] * (len(header) - len(row)))) for row in lines[1:] if row]
    return resolved, header, rows


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "")) if text.strip() else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _is_int(text: str) -> bool:
    try:
        int(text.strip().replace(",", ""))
    except ValueError:
        return False
    return True


def _clean(value: float, integral: bool) -> int | float:
    return int(value) if integral else round(value, 4)


def _numeric(values: list[str]) -> bool:
    present = [v for v in values if v.strip()]
    return bool(present) and all(_number(v) is not None for v in present)


def csv_columns(path: str) -> dict:
    """Get the column names of a CSV file and its number of data rows (the header is not counted).

    Args:
        path: CSV file to inspect, relative to the working directory.
    """
    resolved, columns, rows = _load(path)
    return {"path": relative(resolved), "columns": columns, "rows": len(rows)}


def csv_preview(path: str, n: int = 5) -> list[dict]:
    """Return the first rows of a CSV file, each as an object mapping column names to cell text.

    Args:
        path: CSV file to read, relative to the working directory.
        n: Number of data rows to return.
    """
    _at_least("n", n)
    return _load(path)[2][:n]


def csv_column_stats(path: str, column: str) -> dict:
    """Summarise one column of a CSV file.

    For a numeric column (every non-empty cell is a number): count, min, max, mean and sum. For a
    text column: count, number of distinct values and the 5 most common values with their counts.
    Empty cells are not counted.

    Args:
        path: CSV file to analyse, relative to the working directory.
        column: Name of the column to summarise, exactly as in the header row.
    """
    _, columns, rows = _load(path)
    name = _column_name(columns, column, path)
    values = [row[name] for row in rows if row[name].strip()]
    if _numeric(values):
        numbers = [_number(v) for v in values]
        integral = all(_is_int(v) for v in values)
        total = math.fsum(numbers)
        return {"column": name, "count": len(numbers), "min": _clean(min(numbers), integral),
                "max": _clean(max(numbers), integral), "mean": round(total / len(numbers), 4),
                "sum": _clean(total, integral)}
    counts = Counter(values)
    common = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:5]
    return {"column": name, "count": len(values), "unique": len(counts),
            "most_common": [[value, count] for value, count in common]}


def csv_filter_rows(
    path: str,
    column: str,
    operator: Literal["==", "!=", ">", ">=", "<", "<=", "contains"],
    value: str,
    limit: int = 20,
) -> dict:
    """Select the rows of a CSV file whose cell in one column satisfies a condition.

    Cells and value are compared as numbers when both parse as numbers, otherwise as text (so ISO
    dates such as "2024-03-01" compare correctly with > and <). "contains" is a case-insensitive
    substring test. Returns the total number of matching rows and the first `limit` of them.

    Args:
        path: CSV file to filter, relative to the working directory.
        column: Name of the column to test, exactly as in the header row.
        operator: Comparison to apply: "==", "!=", ">", ">=", "<", "<=" or "contains".
        value: Value to compare each cell with, written as text (e.g. "100" or "Travel").
        limit: Maximum number of matching rows to return.
    """
    if operator not in _OPERATORS:
        raise ToolError(f"unsupported operator '{operator}'; use one of {', '.join(_OPERATORS)}")
    _at_least("limit", limit)
    _, columns, rows = _load(path)
    name = _column_name(columns, column, path)
    value = str(value)
    target = _number(value)

    def keep(cell: str) -> bool:
        if operator == "contains":
            return value.casefold() in cell.casefold()
        number = _number(cell)
        left, right = (number, target) if number is not None and target is not None else (cell, value)
        return {"==": left == right, "!=": left != right, ">": left > right, ">=": left >= right,
                "<": left < right, "<=": left <= right}[operator]

    matches = [row for row in rows if keep(row[name])]
    return {"matches": len(matches), "rows": matches[:limit]}


def csv_sort(path: str, column: str, descending: bool = False, limit: int = 10) -> list[dict]:
    """Sort the rows of a CSV file by one column and return the first rows of the result.

    Numeric columns sort by value, others alphabetically; empty cells always come last.
    Useful for "top N" questions.

    Args:
        path: CSV file to sort, relative to the working directory.
        column: Name of the column to sort by, exactly as in the header row.
        descending: Whether to sort from largest to smallest (or Z to A).
        limit: Maximum number of rows to return.
    """
    _at_least("limit", limit)
    _, columns, rows = _load(path)
    name = _column_name(columns, column, path)
    numeric = _numeric([row[name] for row in rows])
    filled = [row for row in rows if row[name].strip()]
    empty = [row for row in rows if not row[name].strip()]
    key = (lambda row: _number(row[name])) if numeric else (lambda row: row[name])
    return (sorted(filled, key=key, reverse=descending) + empty)[:limit]


def csv_group_sum(path: str, group_by: str, value_column: str) -> list[dict]:
    """Group the rows of a CSV file by one column and add up a numeric column within each group.

    Returns one entry per group with the group's value, the sum and the number of rows that had a
    value, sorted by sum (largest first). Rows with an empty value cell are skipped.

    Args:
        path: CSV file to aggregate, relative to the working directory.
        group_by: Name of the column whose values define the groups (e.g. "department").
        value_column: Name of the numeric column to add up (e.g. "amount").
    """
    _, columns, rows = _load(path)
    group = _column_name(columns, group_by, path)
    value = _column_name(columns, value_column, path)
    sums: dict[str, list[float]] = {}
    integral = True
    for number, row in enumerate(rows, start=2):
        cell = row[value]
        if not cell.strip():
            continue
        parsed = _number(cell)
        if parsed is None:
            raise ToolError(f"column '{value}' is not numeric: line {number} has '{cell}'")
        integral = integral and _is_int(cell)
        sums.setdefault(row[group], []).append(parsed)
    result = [{"group": key, "sum": _clean(math.fsum(values), integral), "count": len(values)}
              for key, values in sums.items()]
    return sorted(result, key=lambda item: (-item["sum"], item["group"]))


def csv_unique_values(path: str, column: str) -> list[str]:
    """List the distinct values of one column of a CSV file, sorted alphabetically.

    Args:
        path: CSV file to read, relative to the working directory.
        column: Name of the column, exactly as in the header row.
    """
    _, columns, rows = _load(path)
    name = _column_name(columns, column, path)
    return sorted({row[name] for row in rows})


def csv_to_json(path: str, output_path: str) -> dict:
    """Convert a CSV file into a JSON file holding an array of row objects.

    Cell values are kept as text. The output file (and missing parent folders) is created, or
    replaced if it already exists.

    Args:
        path: CSV file to convert, relative to the working directory.
        output_path: Path of the JSON file to write, relative to the working directory, e.g. "sales/orders.json".
    """
    source, _, rows = _load(path)
    target = resolve(output_path, must_exist=False)
    if target.is_dir():
        raise ToolError(f"'{output_path}' is a directory")
    if target == source:
        raise ToolError("output_path must differ from the CSV file itself")
    if target.parent.exists() and not target.parent.is_dir():
        raise ToolError(f"'{relative(target.parent)}' is a file, not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"output_path": relative(target), "rows": len(rows)}
