"""Spreadsheet tools: edit xlsx workbooks and analyse csv, tsv and xlsx tables.

`xlsx_*` tools work on a workbook's structure (sheets, cells, ranges, formulas) with openpyxl. A cell
holding a formula is read as its value: the result Excel saved with the file or, when the file holds
none (openpyxl, and therefore these tools, save workbooks without computed results), the formula
evaluated here if it only uses numbers, text, cell references and ranges, + - * / %, &, comparisons
and the functions SUM, AVERAGE, MIN, MAX, COUNT, COUNTA, MEDIAN, PRODUCT, ROUND, ABS, IF, AND, OR,
NOT and CONCATENATE; any other formula reads as null.

`table_*` tools analyse a whole table with pandas: a csv or tsv file, or one sheet of an xlsx
workbook whose first row is the header. Tools that derive a table write it to `output_path` as csv,
tsv or xlsx (chosen by its extension) and never overwrite their input. Paths are relative to the
working directory and confined to it.
"""

import ast
import csv
import math
import operator as _op
import re
import statistics
import typing
from collections import abc as _abc
from datetime import date as _date
from datetime import datetime as _datetime
from datetime import time as _time
from pathlib import Path as _Path

from fcgraph.tools.builtin._tables import _column_name, _sheet_name, _table_file, _text_frame
from fcgraph.tools.paths import ToolError as _ToolError
from fcgraph.tools.paths import relative as _relative
from fcgraph.tools.paths import resolve as _resolve

CATEGORY = "spreadsheet"

_TABLES = (".csv", ".tsv", ".xlsx")
_TEXT_TESTS: dict[str, _abc.Callable[[str, str], bool]] = {
    "contains": lambda cell, needle: needle in cell,
    "starts_with": lambda cell, needle: cell.startswith(needle),
    "ends_with": lambda cell, needle: cell.endswith(needle),
    "in": lambda cell, needle: cell in {item.strip() for item in needle.split(",")},
}
_COMPARISONS = {"==": _op.eq, "!=": _op.ne, ">": _op.gt, ">=": _op.ge, "<": _op.lt, "<=": _op.le}
_OPERATORS = (*_COMPARISONS, *_TEXT_TESTS, "is_empty", "not_empty")
_Operator = typing.Literal["==", "!=", ">", ">=", "<", "<=", "contains", "starts_with", "ends_with", "in",
                           "is_empty", "not_empty"]
_Aggregate = typing.Literal["sum", "mean", "median", "min", "max", "count", "std", "nunique"]
_PERIODS = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_Names = _abc.Sequence[str]  # column names; a tuple default keeps the function default immutable


# ---------------------------------------------------------------------------------------------------
# arguments, files and JSON values


def _at_least(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _ToolError(f"'{name}' must be an integer >= {minimum}, got {value!r}")


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _file(path: str, suffixes: tuple[str, ...], what: str) -> _Path:
    return _table_file(path, suffixes, "a file", what)


def _output(output_path: str, sources: _abc.Sequence[_Path], suffixes: tuple[str, ...]) -> _Path:
    """Where a derived file goes: a new path (inputs are never overwritten) with one of the allowed extensions."""
    target = _resolve(output_path, must_exist=False)
    if target.is_dir():
        raise _ToolError(f"'{output_path}' is a directory")
    if target.suffix.lower() not in suffixes:
        raise _ToolError(f"output_path must end in {' or '.join(suffixes)}, got '{output_path}'")
    if target in sources:
        raise _ToolError("output_path must differ from the input file, which is never overwritten")
    if target.parent.exists() and not target.parent.is_dir():
        raise _ToolError(f"'{_relative(target.parent)}' is a file, not a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _number(value: float) -> int | float | None:
    """A float for JSON: None when not finite, an int when whole, else 4 decimals (6 significant digits below 1)."""
    value = float(value)
    if not math.isfinite(value):
        return None
    if value == int(value) and abs(value) < 1e15:
        return int(value)
    return round(value, 4) if abs(value) >= 1 else float(f"{value:.6g}")


def _plain(value: typing.Any) -> typing.Any:
    """A cell value as JSON: numpy scalars become Python, NaN/NaT null, dates ISO text, floats rounded."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, _datetime):
        if value != value:  # NaT
            return None
        return value.date().isoformat() if value.time() == _time() else value.isoformat()
    if isinstance(value, (_date, _time)):
        return value.isoformat()
    return None if _missing(value) else str(value)


def _missing(value: typing.Any) -> bool:
    try:
        return value is None or bool(value != value)
    except (TypeError, ValueError):  # pandas.NA refuses to be a bool, and is missing
        return True


def _cell_text(value: typing.Any) -> str:
    """The text a value reads as in a sheet (39000.0 -> "39000"), used to search and compare as text."""
    plain = _plain(value)
    return "" if plain is None else str(plain)


def _cell_input(value: typing.Any, as_text: bool = False) -> typing.Any:
    """What a caller's value becomes in a cell: a formula, a number when it reads as one, otherwise text."""
    if value is None or isinstance(value, (bool, int, float)) and not as_text:
        return value
    text = str(value)
    if as_text:
        return text
    if text.startswith("="):
        _check_formula(text)
        return text
    if _NUMBER.fullmatch(text.strip()):
        return int(text) if re.fullmatch(r"\s*[+-]?\d+\s*", text) else float(text)
    return text


# ---------------------------------------------------------------------------------------------------
# workbooks


def _load_workbook(resolved: _Path, path: str, data_only: bool = False) -> typing.Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(resolved, data_only=data_only)
    except Exception as exc:  # BadZipFile, KeyError, InvalidFileException...: all mean "not a workbook"
        raise _ToolError(f"'{path}' is not a readable xlsx workbook ({type(exc).__name__})") from None


def _workbook(path: str) -> tuple[_Path, typing.Any]:
    """A workbook opened for editing (formulas kept as formulas)."""
    resolved = _file(path, (".xlsx",), "an xlsx workbook")
    return resolved, _load_workbook(resolved, path)


def _sheet(workbook: typing.Any, name: str, path: str) -> typing.Any:
    return workbook[_sheet_name([sheet.title for sheet in workbook.worksheets], name, path)]


def _new_sheet_name(workbook: typing.Any, name: str, path: str) -> str:
    name = str(name).strip()
    if not name or len(name) > 31 or _BAD_SHEET_NAME.search(name):
        raise _ToolError(f"invalid sheet name '{name}': use 1 to 31 characters, none of [ ] : * ? / \\")
    if name.casefold() in (title.casefold() for title in workbook.sheetnames):
        raise _ToolError(f"'{path}' already has a sheet named '{name}'")
    return name


def _coordinate(cell: str) -> tuple[int, int]:
    """(row, column) of a reference such as 'B3' or '$B$3'."""
    from openpyxl.utils.cell import coordinate_to_tuple

    try:
        return coordinate_to_tuple(str(cell).replace("$", "").strip().upper())
    except (ValueError, TypeError):
        raise _ToolError(f"'{cell}' is not a cell reference such as 'B3'") from None


def _bounds(sheet: typing.Any, cell_range: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of a range, whole rows/columns and the used area clipped to the data."""
    from openpyxl.utils.cell import range_boundaries

    text = str(cell_range or sheet.dimensions).replace("$", "").strip().upper()
    try:
        min_col, min_row, max_col, max_row = range_boundaries(text)
    except (ValueError, TypeError):
        raise _ToolError(f"'{cell_range}' is not a cell range such as 'A1:C10', 'B2' or 'A:C'") from None
    bounds = (min_col or 1, min_row or 1, min(max_col or sheet.max_column, sheet.max_column),
              min(max_row or sheet.max_row, sheet.max_row))
    if bounds[0] > bounds[2] or bounds[1] > bounds[3]:
        raise _ToolError(f"range '{cell_range}' lies outside the data of sheet '{sheet.title}' ({sheet.dimensions})")
    return bounds


def _range_name(bounds: tuple[int, int, int, int]) -> str:
    from openpyxl.utils import get_column_letter

    min_col, min_row, max_col, max_row = bounds
    return f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"


def _formula_of(cell: typing.Any) -> str | None:
    if cell.data_type != "f":
        return None
    value = cell.value
    return value if isinstance(value, str) else getattr(value, "text", None)  # array formulas keep text apart


def _trim(grid: list[list[typing.Any]]) -> list[list[typing.Any]]:
    """The grid without trailing empty rows and columns (formatting makes sheets report more than their data)."""
    while grid and all(_missing(v) or v == "" for v in grid[-1]):
        grid = grid[:-1]
    width = max((i + 1 for row in grid for i, v in enumerate(row) if not (_missing(v) or v == "")), default=0)
    return [row[:width] for row in grid]


class _Book:
    """A workbook read for values: formula cells give their saved result, or are evaluated when none was saved."""

    def __init__(self, path: str):
        self.path = path
        self.resolved = _file(path, (".xlsx",), "an xlsx workbook")
        self.workbook = _load_workbook(self.resolved, path)
        self._saved: typing.Any = None  # the saved results, loaded only once a formula is met
        self._sizes: dict[str, tuple[int, int]] = {}
        self._busy: set[tuple[str, int, int]] = set()

    def sheet(self, name: str) -> typing.Any:
        return _sheet(self.workbook, name, self.path)

    def size(self, sheet: typing.Any) -> tuple[int, int]:
        """(rows, columns) of a sheet, measured once: openpyxl scans every cell to answer."""
        if sheet.title not in self._sizes:
            self._sizes[sheet.title] = (sheet.max_row, sheet.max_column)
        return self._sizes[sheet.title]

    def value(self, sheet: typing.Any, row: int, column: int) -> typing.Any:
        rows, columns = self.size(sheet)
        if row > rows or column > columns:
            return None  # outside the data; asking openpyxl would create the cell
        cell = sheet.cell(row, column)
        formula = _formula_of(cell)
        if formula is None:
            return cell.value
        if self._saved is None:
            self._saved = _load_workbook(self.resolved, self.path, data_only=True)
        saved = self._saved[sheet.title].cell(row, column).value
        key = (sheet.title, row, column)
        if saved is not None or key in self._busy:  # a circular reference has no value
            return saved
        self._busy.add(key)
        try:
            return _evaluate(self, sheet, formula)
        finally:
            self._busy.discard(key)

    def grid(self, sheet: typing.Any, bounds: tuple[int, int, int, int] | None = None) -> list[list[typing.Any]]:
        rows, columns = self.size(sheet)
        min_col, min_row, max_col, max_row = bounds or (1, 1, columns, rows)
        return [[self.value(sheet, row, column) for column in range(min_col, max_col + 1)]
                for row in range(min_row, max_row + 1)]


# ---------------------------------------------------------------------------------------------------
# formulas: translated token by token into a Python expression, then walked node by node (never eval'd)


class _NoValue(Exception):
    """The formula uses something the evaluator does not support, or has an error value (#DIV/0!...)."""


# Excel's operators that keep their precedence in Python; "^" does not (-2^2 is 4 in Excel), so it is unsupported
_FORMULA_OPERATORS = {"+": "+", "-": "-", "*": "*", "/": "/", "&": "&", "=": "==", "<>": "!=", "<": "<", ">": ">",
                      "<=": "<=", ">=": ">="}
_ARITHMETIC = {ast.Add: _op.add, ast.Sub: _op.sub, ast.Mult: _op.mul, ast.Div: _op.truediv}
_COMPARE_NODES = {ast.Eq: _op.eq, ast.NotEq: _op.ne, ast.Lt: _op.lt, ast.Gt: _op.gt, ast.LtE: _op.le, ast.GtE: _op.ge}


def _flat(values: _abc.Sequence[typing.Any]) -> list[typing.Any]:
    return [item for value in values for item in (value if isinstance(value, list) else [value])]


def _numbers_in(values: _abc.Sequence[typing.Any]) -> list[float]:
    return [v for v in _flat(values) if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _operand(value: typing.Any) -> float:
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return float(value)
    raise _NoValue  # #VALUE!


def _round_half_up(value: typing.Any, digits: typing.Any = 0) -> float:
    scale = 10 ** int(_operand(digits))
    return math.copysign(math.floor(abs(_operand(value)) * scale + 0.5) / scale, _operand(value))


_FUNCTIONS: dict[str, _abc.Callable[..., typing.Any]] = {
    "SUM": lambda *a: math.fsum(_numbers_in(a)),
    "AVERAGE": lambda *a: statistics.fmean(_numbers_in(a)),
    "MIN": lambda *a: min(_numbers_in(a), default=0),
    "MAX": lambda *a: max(_numbers_in(a), default=0),
    "COUNT": lambda *a: len(_numbers_in(a)),
    "COUNTA": lambda *a: sum(v not in (None, "") for v in _flat(a)),
    "MEDIAN": lambda *a: statistics.median(_numbers_in(a)),
    "PRODUCT": lambda *a: math.prod(_numbers_in(a)),
    "ROUND": _round_half_up,
    "ABS": lambda x: abs(_operand(x)),
    "AND": lambda *a: all(_flat(a)),
    "OR": lambda *a: any(_flat(a)),
    "NOT": lambda x: not x,
    "CONCATENATE": lambda *a: "".join(_cell_text(v) for v in a),
}


def _formula_tokens(formula: str) -> list[typing.Any]:
    from openpyxl.formula.tokenizer import Tokenizer, TokenizerError

    try:
        return Tokenizer(formula).items
    except TokenizerError as exc:
        raise _ToolError(f"'{formula}' is not a valid formula: {_one_line(exc)}") from None


def _check_formula(formula: str) -> None:
    depth = 0
    for token in _formula_tokens(formula):
        if token.type in ("FUNC", "PAREN"):
            depth += 1 if token.subtype == "OPEN" else -1
        if depth < 0:
            break
    if depth:
        raise _ToolError(f"'{formula}' is not a valid formula: its parentheses do not match")


def _python_source(formula: str) -> str:
    parts = []
    for token in _formula_tokens(formula):
        kind, subtype, text = token.type, token.subtype, token.value
        if kind == "OPERAND" and subtype == "RANGE":
            parts.append(f"_ref({text!r})")
        elif kind == "OPERAND" and subtype == "TEXT":
            parts.append(repr(text[1:-1].replace('""', '"')))
        elif kind == "OPERAND" and subtype == "LOGICAL":
            parts.append(str(text.upper() == "TRUE"))
        elif kind == "OPERAND" and subtype == "NUMBER":
            parts.append(text)
        elif kind == "FUNC":
            parts.append(text.upper() if subtype == "OPEN" else ")")
        elif kind == "SEP" and subtype == "ARG":
            parts.append(",")
        elif kind in ("OPERATOR-PREFIX", "OPERATOR-INFIX") and text in _FORMULA_OPERATORS:
            parts.append(_FORMULA_OPERATORS[text])
        elif kind == "OPERATOR-POSTFIX" and text == "%":
            parts.append("/100")
        elif kind in ("PAREN", "WHITE-SPACE"):
            parts.append(text)
        else:
            raise _NoValue
    return "".join(parts)


def _evaluate(book: _Book, sheet: typing.Any, formula: str) -> typing.Any:
    try:
        return _node(book, sheet, ast.parse(_python_source(formula).strip(), mode="eval").body)
    except (_NoValue, SyntaxError, ArithmeticError, ValueError, TypeError, KeyError, AttributeError, _ToolError):
        return None


def _node(book: _Book, sheet: typing.Any, node: ast.AST) -> typing.Any:
    match node:
        case ast.Constant(value=value):
            return value
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_operand(_node(book, sheet, operand))
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return _operand(_node(book, sheet, operand))
        case ast.BinOp(left=left, op=ast.BitAnd(), right=right):
            return _cell_text(_node(book, sheet, left)) + _cell_text(_node(book, sheet, right))
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _ARITHMETIC:
            return _ARITHMETIC[type(op)](_operand(_node(book, sheet, left)), _operand(_node(book, sheet, right)))
        case ast.Compare(left=left, ops=[op], comparators=[right]) if type(op) in _COMPARE_NODES:
            return _COMPARE_NODES[type(op)](_node(book, sheet, left), _node(book, sheet, right))
        case ast.Call(func=ast.Name(id="_ref"), args=[ast.Constant(value=str() as reference)]):
            return _reference(book, sheet, reference)
        case ast.Call(func=ast.Name(id="IF"), args=[condition, *branches], keywords=[]) if len(branches) in (1, 2):
            if _node(book, sheet, condition):
                return _node(book, sheet, branches[0])
            return _node(book, sheet, branches[1]) if len(branches) == 2 else False
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in _FUNCTIONS:
            return _FUNCTIONS[name](*(_node(book, sheet, arg) for arg in args))
    raise _NoValue


def _reference(book: _Book, sheet: typing.Any, reference: str) -> typing.Any:
    """A cell's value, or a range's values as a flat list; 'Other sheet'!A1 reaches another sheet."""
    from openpyxl.utils.cell import range_boundaries

    sheet_name, _, cells = reference.rpartition("!")
    if sheet_name:
        sheet = book.workbook[sheet_name.strip("'").replace("''", "'")]
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    if ":" not in cells:
        return book.value(sheet, min_row, min_col)
    rows, columns = book.size(sheet)
    return _flat(book.grid(sheet, (min_col or 1, min_row or 1, max_col or columns, max_row or rows)))


# ---------------------------------------------------------------------------------------------------
# tables


def _header(names: list[typing.Any]) -> list[str]:
    """Column names for a sheet's first row: blanks named by position, repeats numbered as pandas does."""
    header: list[str] = []
    for position, name in enumerate(names, start=1):
        text = _cell_text(name).strip() or f"column_{position}"
        candidate, copy = text, 0
        while candidate in header:
            copy += 1
            candidate = f"{text}.{copy}"
        header.append(candidate)
    return header


def _read_table(path: str, sheet: str = "") -> tuple[_Path, typing.Any]:
    """The one reader every table tool shares: csv, tsv, or an xlsx sheet whose first row is the header."""
    import pandas as pd

    resolved = _file(path, _TABLES, "a table: use a .csv, .tsv or .xlsx file")
    suffix = resolved.suffix.lower()
    if suffix == ".xlsx":
        book = _Book(path)
        worksheet = book.sheet(sheet)
        grid = _trim(book.grid(worksheet))
        if not grid:
            raise _ToolError(f"sheet '{worksheet.title}' of '{path}' is empty")
        frame = pd.DataFrame(grid[1:], columns=_header(grid[0])).infer_objects()
    else:
        if sheet:
            raise _ToolError(f"'{path}' is a {suffix[1:]} file and has no sheets; leave 'sheet' empty")
        frame = _text_frame(resolved, path)
    return resolved, frame.dropna(how="all").reset_index(drop=True)


def _column(frame: typing.Any, name: str, path: str) -> str:
    return _column_name(list(frame.columns), name, path)


def _columns(frame: typing.Any, names: _Names, path: str) -> list[str]:
    if isinstance(names, str):
        raise _ToolError("column names must be given as a list, e.g. [\"region\", \"total\"]")
    resolved = [_column(frame, name, path) for name in names]
    if len(set(resolved)) != len(resolved):
        raise _ToolError(f"a column is named twice in {list(names)}")
    return resolved


def _kind(series: typing.Any) -> str:
    """integer, decimal, boolean, date (real dates or ISO date text) or text."""
    from pandas.api import types

    present = series.dropna()
    if types.is_bool_dtype(series):
        return "boolean"
    if types.is_numeric_dtype(series):
        whole = types.is_integer_dtype(series) or bool((present == present.round()).all())
        return "integer" if whole else "decimal"
    if types.is_datetime64_any_dtype(series):
        return "date"
    if len(present) and present.map(lambda v: isinstance(v, (_date, _datetime)) or bool(
            isinstance(v, str) and _ISO_DATE.fullmatch(v.strip()))).all():
        return "date"
    return "text"


def _numeric(frame: typing.Any, column: str, path: str) -> typing.Any:
    """A column as floats (missing cells NaN), or a clear error when it holds anything but numbers."""
    import pandas as pd

    series = frame[column]
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        raise _ToolError(f"column '{column}' of '{path}' is not numeric")
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    converted = pd.to_numeric(series, errors="coerce")
    bad = series[converted.isna() & series.notna()]
    if len(bad):
        raise _ToolError(f"column '{column}' of '{path}' is not numeric (it holds values such as {bad.iloc[0]!r})")
    return converted.astype(float)


def _dates(frame: typing.Any, column: str, path: str) -> typing.Any:
    import pandas as pd

    series = frame[column]
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    if pd.api.types.is_numeric_dtype(series):
        raise _ToolError(f"column '{column}' of '{path}' holds numbers, not dates")
    try:
        parsed = pd.to_datetime(series, errors="coerce", format="mixed")
    except (ValueError, TypeError) as exc:
        raise _ToolError(f"column '{column}' of '{path}' is not a date column: {_one_line(exc)}") from None
    bad = series[parsed.isna() & series.notna()]
    if len(bad):
        raise _ToolError(f"column '{column}' of '{path}' is not a date column "
                         f"(it holds values such as {bad.iloc[0]!r})")
    return parsed


def _timestamp(text: str, name: str) -> typing.Any:
    import pandas as pd

    try:
        stamp = pd.Timestamp(str(text).strip())
    except (ValueError, TypeError):
        stamp = pd.NaT
    if stamp is pd.NaT:
        raise _ToolError(f"'{name}' must be a date such as 2024-03-01, got {text!r}")
    return stamp


def _condition(frame: typing.Any, column: str, operator: str, value: str) -> typing.Any:
    """Which rows satisfy `column operator value`; empty cells only ever match is_empty."""
    from pandas.api import types

    if operator not in _OPERATORS:
        raise _ToolError(f"unsupported operator '{operator}'; use one of {', '.join(_OPERATORS)}")
    series = frame[column]
    blank = series.isna() | series.map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
    if operator in ("is_empty", "not_empty"):
        return blank if operator == "is_empty" else ~blank
    text = str(value).strip()
    if operator in _TEXT_TESTS:
        test, needle = _TEXT_TESTS[operator], text.casefold()
        return series.map(lambda v: test(_cell_text(v).casefold(), needle)).astype(bool) & ~blank
    if types.is_numeric_dtype(series) and not types.is_bool_dtype(series):
        if not _NUMBER.fullmatch(text):
            raise _ToolError(f"column '{column}' is numeric, so value must be a number, got {value!r}")
        left, right = series, float(text)
    elif types.is_datetime64_any_dtype(series):
        left, right = series, _timestamp(text, "value")
    else:
        left, right = series.map(_cell_text), text
    return _COMPARISONS[operator](left, right).astype(bool) & ~blank


def _sorted(frame: typing.Any, column: str, descending: bool = False) -> typing.Any:
    """Rows ordered by a column: numbers and dates by value, anything else as case-insensitive text; blanks last."""
    from pandas.api import types

    def key(series: typing.Any) -> typing.Any:
        if types.is_numeric_dtype(series) or types.is_datetime64_any_dtype(series):
            return series
        return series.map(lambda v: None if _missing(v) else _cell_text(v).casefold())

    return frame.sort_values(column, ascending=not descending, na_position="last", kind="stable", key=key)


def _records(frame: typing.Any) -> list[dict[str, typing.Any]]:
    plain = frame.astype(object).where(frame.notna(), None)
    return [{str(k): _plain(v) for k, v in row.items()} for row in plain.to_dict("records")]


def _save(frame: typing.Any, output_path: str, sources: _abc.Sequence[_Path]) -> str:
    """Write a derived table; float columns holding only whole numbers are written without '.0'."""
    from pandas.api import types

    target = _output(output_path, sources, _TABLES)
    whole = [c for c in frame.columns if types.is_float_dtype(frame[c])
             and bool((frame[c].dropna() == frame[c].dropna().round()).all()) and frame[c].notna().any()]
    frame = frame.astype({c: "Int64" for c in whole})
    if target.suffix.lower() == ".xlsx":
        frame.to_excel(target, index=False, sheet_name="Sheet1")
    else:
        frame.to_csv(target, index=False, sep="\t" if target.suffix.lower() == ".tsv" else ",")
    return _relative(target)


def _rows_result(frame: typing.Any, limit: int, output_path: str, sources: _abc.Sequence[_Path]) -> dict:
    result: dict[str, typing.Any] = {"total_rows": len(frame), "rows": _records(frame.head(limit))}
    if output_path:
        result["output_path"] = _save(frame, output_path, sources)
    return result


def _matrix(table: typing.Any, limit: int) -> dict[str, typing.Any]:
    """A pivot-shaped frame as JSON: one object per row, keyed by the row label's column and each column label."""
    index = str(table.index.name or "index")
    rows = [{index: _plain(label), **{str(c): _plain(v) for c, v in row.items()}}
            for label, row in table.head(limit).iterrows()]
    return {"index": index, "columns": [str(c) for c in table.columns], "total_rows": len(table), "rows": rows}


def _summary(series: typing.Any) -> dict[str, typing.Any]:
    """The statistics that suit a column's kind: spread for numbers, range for dates, frequencies for text."""
    kind, present = _kind(series), series.dropna()
    summary: dict[str, typing.Any] = {"type": kind, "count": len(present), "missing": int(series.isna().sum())}
    if kind in ("integer", "decimal"):
        numbers = present.astype(float)
        summary.update(sum=numbers.sum(), mean=numbers.mean(), std=numbers.std(), min=numbers.min(),
                       p25=numbers.quantile(0.25), median=numbers.median(), p75=numbers.quantile(0.75),
                       max=numbers.max())
    elif kind == "date" and len(present):
        texts = sorted(present.map(_cell_text))
        summary.update(min=texts[0], max=texts[-1])
    else:
        counts = present.map(_cell_text).value_counts()
        summary.update(unique=len(counts), top=counts.index[0] if len(counts) else None,
                       top_count=counts.iloc[0] if len(counts) else 0)
    return {key: _plain(value) for key, value in summary.items()}


def _fill(series: typing.Any, strategy: str, value: str) -> typing.Any | None:
    """The column with its gaps filled, or None when the strategy does not suit the column's type."""
    from pandas.api import types

    numeric = types.is_numeric_dtype(series) and not types.is_bool_dtype(series)
    if strategy in ("forward", "backward"):
        return series.ffill() if strategy == "forward" else series.bfill()
    if strategy == "mode":
        modes = series.mode()
        return series.fillna(modes.iloc[0]) if len(modes) else series
    if strategy in ("mean", "median", "zero"):
        return series.fillna(0 if strategy == "zero" else series.agg(strategy)) if numeric else None
    if numeric:
        return series.fillna(float(value)) if _NUMBER.fullmatch(value.strip()) else None
    if types.is_datetime64_any_dtype(series):
        return series.fillna(_timestamp(value, "value")) if _ISO_DATE.fullmatch(value.strip()) else None
    return series.astype(object).fillna(value)


# ---------------------------------------------------------------------------------------------------
# xlsx: workbook structure, cells and ranges


def xlsx_list_sheets(path: str) -> dict:
    """List the sheets of an xlsx workbook with their used range, size, header row and frozen panes.

    Args:
        path: Workbook (.xlsx) to inspect, relative to the working directory.
    """
    book = _Book(path)
    sheets = []
    for sheet in book.workbook.worksheets:
        header = book.grid(sheet, (1, 1, sheet.max_column, 1))[0]
        sheets.append({"name": sheet.title, "dimensions": sheet.dimensions, "rows": sheet.max_row,
                       "columns": sheet.max_column, "header": [_plain(v) for v in header],
                       "freeze_panes": sheet.freeze_panes})
    return {"path": _relative(book.resolved), "sheets": sheets}


def xlsx_read_range(path: str, sheet: str = "", cell_range: str = "", limit: int = 50) -> dict:
    """Read a rectangular range of a sheet as a list of rows (lists of cell values), formulas as their values.

    Dates are returned as ISO text and empty cells as null. The range is clipped to the sheet's data.

    Args:
        path: Workbook (.xlsx) to read, relative to the working directory.
        sheet: Sheet name; empty means the first sheet.
        cell_range: Range in A1 notation, e.g. "A1:D10", "B2" or "A:C" (whole columns); empty means the
            whole used range.
        limit: Maximum number of rows to return.
    """
    _at_least("limit", limit)
    book = _Book(path)
    worksheet = book.sheet(sheet)
    bounds = _bounds(worksheet, cell_range)
    min_col, min_row, max_col, max_row = bounds
    shown = (min_col, min_row, max_col, min(max_row, min_row + limit - 1))
    rows = [[_plain(v) for v in row] for row in book.grid(worksheet, shown)]
    return {"sheet": worksheet.title, "range": _range_name(bounds), "rows": rows,
            "truncated": max_row - min_row + 1 > limit}


def xlsx_read_cell(path: str, cell: str, sheet: str = "") -> dict:
    """Read one cell: its value (a formula's result) and, when it holds one, the formula itself.

    Args:
        path: Workbook (.xlsx) to read, relative to the working directory.
        cell: Cell reference in A1 notation, e.g. "C5".
        sheet: Sheet name; empty means the first sheet.
    """
    book = _Book(path)
    worksheet = book.sheet(sheet)
    row, column = _coordinate(cell)
    within = row <= worksheet.max_row and column <= worksheet.max_column
    formula = _formula_of(worksheet.cell(row, column)) if within else None
    return {"sheet": worksheet.title, "cell": str(cell).replace("$", "").strip().upper(),
            "value": _plain(book.value(worksheet, row, column)), "formula": formula}


def xlsx_write_cell(path: str, cell: str, value: str, sheet: str = "", as_text: bool = False) -> dict:
    """Write a value into one cell of an existing workbook and save it.

    Text that reads as a number is stored as a number, and text starting with "=" as a formula (e.g.
    "=SUM(B2:B7)"), unless as_text is set. Other sheets and cells are kept.

    Args:
        path: Workbook (.xlsx) to modify, relative to the working directory.
        cell: Cell reference in A1 notation, e.g. "B12".
        value: Value to store, as text: a number ("1250.5"), a formula ("=B2*C2") or any text.
        sheet: Sheet name; empty means the first sheet.
        as_text: Store the value as text even when it looks like a number or a formula (e.g. "00742").
    """
    resolved, workbook = _workbook(path)
    worksheet = _sheet(workbook, sheet, path)
    row, column = _coordinate(cell)
    target = worksheet.cell(row, column)
    previous = _formula_of(target) or _plain(target.value)
    target.value = _cell_input(value, as_text)
    if as_text:
        target.data_type = "s"  # openpyxl would otherwise take text starting with "=" for a formula
    workbook.save(resolved)
    return {"path": _relative(resolved), "sheet": worksheet.title, "cell": target.coordinate,
            "value": _plain(target.value), "previous": previous}


def xlsx_add_sheet(path: str, sheet: str, header: _Names = (), position: int = -1) -> dict:
    """Add a new, empty sheet to a workbook, creating the workbook if the file does not exist yet.

    Args:
        path: Workbook (.xlsx) to modify or create, relative to the working directory.
        sheet: Name of the new sheet (1 to 31 characters, none of [ ] : * ? / \\).
        header: Optional column names to write into the new sheet's first row.
        position: Zero-based position among the sheets (0 = first); -1 puts it last.
    """
    import openpyxl

    _at_least("position", position, -1)
    if _resolve(path, must_exist=False).exists():
        resolved, workbook = _workbook(path)
    else:
        resolved, workbook = _output(path, (), (".xlsx",)), openpyxl.Workbook()
        workbook.remove(workbook.active)
    worksheet = workbook.create_sheet(_new_sheet_name(workbook, sheet, path))
    if header:
        worksheet.append([str(name) for name in header])
    if position != -1:
        workbook.move_sheet(worksheet, offset=min(position, len(workbook.sheetnames) - 1) - workbook.index(worksheet))
    workbook.save(resolved)
    return {"path": _relative(resolved), "sheet": worksheet.title, "sheets": workbook.sheetnames}


def xlsx_rename_sheet(path: str, sheet: str, new_name: str) -> dict:
    """Rename a sheet of a workbook.

    Formulas elsewhere that name the old sheet are not rewritten.

    Args:
        path: Workbook (.xlsx) to modify, relative to the working directory.
        sheet: Current name of the sheet.
        new_name: New name (1 to 31 characters, none of [ ] : * ? / \\, not used by another sheet).
    """
    resolved, workbook = _workbook(path)
    worksheet = _sheet(workbook, sheet, path)
    old = worksheet.title
    if str(new_name).strip() != old:
        worksheet.title = _new_sheet_name(workbook, new_name, path)
    workbook.save(resolved)
    return {"path": _relative(resolved), "renamed": old, "to": worksheet.title, "sheets": workbook.sheetnames}


def xlsx_delete_sheet(path: str, sheet: str) -> dict:
    """Delete a sheet from a workbook; a workbook's only sheet cannot be deleted.

    Args:
        path: Workbook (.xlsx) to modify, relative to the working directory.
        sheet: Name of the sheet to delete.
    """
    resolved, workbook = _workbook(path)
    worksheet = _sheet(workbook, sheet, path)
    if len(workbook.sheetnames) == 1:
        raise _ToolError(f"'{worksheet.title}' is the only sheet of '{path}'; a workbook needs at least one")
    workbook.remove(worksheet)
    workbook.save(resolved)
    return {"path": _relative(resolved), "deleted": worksheet.title, "sheets": workbook.sheetnames}


def xlsx_copy_sheet(path: str, sheet: str, new_name: str) -> dict:
    """Duplicate a sheet (values, formulas and formatting) inside the same workbook, placing the copy last.

    Args:
        path: Workbook (.xlsx) to modify, relative to the working directory.
        sheet: Name of the sheet to copy.
        new_name: Name of the copy (1 to 31 characters, not used by another sheet).
    """
    from openpyxl.worksheet.copier import WorksheetCopy

    resolved, workbook = _workbook(path)
    worksheet = _sheet(workbook, sheet, path)
    name = _new_sheet_name(workbook, new_name, path)
    WorksheetCopy(worksheet, workbook.create_sheet(name)).copy_worksheet()  # named up front: no "Copy" suffix
    workbook.save(resolved)
    return {"path": _relative(resolved), "copied": worksheet.title, "to": name, "sheets": workbook.sheetnames}


def xlsx_append_rows(path: str, rows: list[list[str]], sheet: str = "") -> dict:
    """Append rows below the last row of a sheet and save the workbook.

    Each cell follows the same rules as xlsx_write_cell: numbers stay numbers, text starting with "="
    becomes a formula, anything else is text; null leaves the cell empty.

    Args:
        path: Workbook (.xlsx) to modify, relative to the working directory.
        rows: Rows to add, each a list of cell values in column order, e.g. [["Tents", "1200"], ["Packs", "800"]].
        sheet: Sheet name; empty means the first sheet.
    """
    if not isinstance(rows, list) or not rows or not all(isinstance(row, list) for row in rows):
        raise _ToolError("rows must be a non-empty list of rows, each a list of cell values")
    resolved, workbook = _workbook(path)
    worksheet = _sheet(workbook, sheet, path)
    first = len(_trim([[cell.value for cell in row] for row in worksheet.iter_rows()])) + 1
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            worksheet.cell(first + offset, column).value = _cell_input(value)
    workbook.save(resolved)
    return {"path": _relative(resolved), "sheet": worksheet.title, "appended": len(rows), "first_row": first,
            "last_row": first + len(rows) - 1}


def xlsx_delete_rows(path: str, start_row: int, count: int = 1, sheet: str = "") -> dict:
    """Delete whole rows from a sheet, shifting the rows below up; formulas are not adjusted.

    Args:
        path: Workbook (.xlsx) to modify, relative to the working directory.
        start_row: 1-based number of the first row to delete (row 1 is usually the header).
        count: Number of consecutive rows to delete.
        sheet: Sheet name; empty means the first sheet.
    """
    _at_least("start_row", start_row)
    _at_least("count", count)
    resolved, workbook = _workbook(path)
    worksheet = _sheet(workbook, sheet, path)
    if start_row > worksheet.max_row:
        raise _ToolError(f"sheet '{worksheet.title}' has only {worksheet.max_row} rows")
    deleted = min(count, worksheet.max_row - start_row + 1)
    worksheet.delete_rows(start_row, deleted)
    workbook.save(resolved)
    return {"path": _relative(resolved), "sheet": worksheet.title, "deleted": deleted, "rows_left": worksheet.max_row}


def xlsx_sheet_to_csv(path: str, output_path: str, sheet: str = "") -> dict:
    """Export one sheet of a workbook to a csv (or tsv) file, formulas written as their values.

    Args:
        path: Workbook (.xlsx) to export from, relative to the working directory.
        output_path: File to write, ending in .csv or .tsv (tab-separated), e.g. "finance/summary.csv".
        sheet: Sheet name; empty means the first sheet.
    """
    book = _Book(path)
    worksheet = book.sheet(sheet)
    grid = _trim(book.grid(worksheet))
    target = _output(output_path, (book.resolved,), (".csv", ".tsv"))
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t" if target.suffix.lower() == ".tsv" else ",")
        writer.writerows([[_cell_text(v) for v in row] for row in grid])
    return {"output_path": _relative(target), "sheet": worksheet.title, "rows": len(grid),
            "columns": len(grid[0]) if grid else 0}


def xlsx_from_csv(path: str, output_path: str, sheet: str = "Sheet1") -> dict:
    """Import a csv or tsv file into a sheet of an xlsx workbook, numbers stored as numbers.

    A new workbook is created when output_path does not exist; otherwise the sheet is added to it,
    replacing a sheet of the same name.

    Args:
        path: CSV or TSV file to import, relative to the working directory.
        output_path: Workbook (.xlsx) to write, e.g. "sales/orders_2024.xlsx".
        sheet: Name of the sheet to fill.
    """
    import openpyxl

    source = _file(path, (".csv", ".tsv"), "a csv or tsv file")
    _, frame = _read_table(path)
    target = _output(output_path, (source,), (".xlsx",))
    workbook = _load_workbook(target, output_path) if target.exists() else openpyxl.Workbook()
    if not target.exists():
        workbook.remove(workbook.active)
    existing = [s for s in workbook.worksheets if s.title.casefold() == str(sheet).strip().casefold()]
    index = workbook.index(existing[0]) if existing else len(workbook.sheetnames)
    for old in existing:
        workbook.remove(old)
    worksheet = workbook.create_sheet(_new_sheet_name(workbook, sheet, output_path), index)
    worksheet.append(list(frame.columns))
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        worksheet.append(list(row))
    workbook.save(target)
    return {"output_path": _relative(target), "sheet": worksheet.title, "rows": len(frame),
            "columns": len(frame.columns), "replaced": bool(existing)}


def xlsx_find_value(path: str, query: str, exact: bool = False, sheet: str = "", limit: int = 50) -> dict:
    """Find the cells of a workbook whose value contains (or equals) some text, across all sheets.

    Matching is case-insensitive on the value as shown (numbers without trailing ".0", dates as
    YYYY-MM-DD); formula cells are matched on their values.

    Args:
        path: Workbook (.xlsx) to search, relative to the working directory.
        query: Text or number to look for, e.g. "Portland" or "39000".
        exact: Require the whole cell to equal the query instead of containing it.
        sheet: Search only this sheet; empty searches every sheet.
        limit: Maximum number of matching cells to return.
    """
    _at_least("limit", limit)
    book = _Book(path)
    needle = str(query).strip().casefold()
    if not needle:
        raise _ToolError("query must not be empty")
    found = []
    for worksheet in [book.sheet(sheet)] if sheet else book.workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                value = book.value(worksheet, cell.row, cell.column)
                text = _cell_text(value).casefold()
                if text == needle or (not exact and needle in text):
                    found.append({"sheet": worksheet.title, "cell": cell.coordinate, "value": _plain(value)})
    return {"matches": len(found), "cells": found[:limit]}


def xlsx_formulas(path: str, sheet: str = "", limit: int = 100) -> dict:
    """List the cells that hold formulas, each with the formula text and its value.

    Args:
        path: Workbook (.xlsx) to inspect, relative to the working directory.
        sheet: Only this sheet; empty lists formulas of every sheet.
        limit: Maximum number of formula cells to return.
    """
    _at_least("limit", limit)
    book = _Book(path)
    found = []
    for worksheet in [book.sheet(sheet)] if sheet else book.workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if (formula := _formula_of(cell)) is not None:
                    found.append({"sheet": worksheet.title, "cell": cell.coordinate, "formula": formula,
                                  "value": _plain(book.value(worksheet, cell.row, cell.column))})
    return {"total": len(found), "formulas": found[:limit]}


def xlsx_range_stats(path: str, cell_range: str, sheet: str = "") -> dict:
    """Sum, average, minimum and maximum of the numbers in a cell range (like =SUM and =AVERAGE in Excel).

    Text and empty cells are counted but left out of the statistics; formulas count by their values.

    Args:
        path: Workbook (.xlsx) to read, relative to the working directory.
        cell_range: Range in A1 notation, e.g. "C2:C7" or "B2:F7".
        sheet: Sheet name; empty means the first sheet.
    """
    book = _Book(path)
    worksheet = book.sheet(sheet)
    bounds = _bounds(worksheet, cell_range)
    values = _flat(book.grid(worksheet, bounds))
    numbers = _numbers_in(values)
    stats = {"sum": math.fsum(numbers), "average": statistics.fmean(numbers), "min": min(numbers),
             "max": max(numbers)} if numbers else {"sum": 0, "average": None, "min": None, "max": None}
    return {"sheet": worksheet.title, "range": _range_name(bounds), "cells": len(values), "numbers": len(numbers),
            "text_cells": sum(isinstance(v, str) and bool(v.strip()) for v in values),
            "empty_cells": sum(_missing(v) or v == "" for v in values),
            **{key: _plain(value) for key, value in stats.items()}}


def xlsx_column_stats(path: str, column: str, sheet: str = "") -> dict:
    """Summarise one column of a sheet whose first row is the header.

    Numbers get count, sum, mean, std, min, quartiles (p25, median, p75) and max; dates their range;
    text its number of distinct values and most common value.

    Args:
        path: Workbook (.xlsx) to read, relative to the working directory.
        column: Header of the column (e.g. "Gross pay") or its letter (e.g. "F").
        sheet: Sheet name; empty means the first sheet.
    """
    from openpyxl.utils import column_index_from_string

    _file(path, (".xlsx",), "an xlsx workbook")
    _, frame = _read_table(path, sheet)
    letter = str(column).strip().upper()
    try:
        name = _column(frame, column, path)
    except _ToolError:
        if not re.fullmatch(r"[A-Z]{1,3}", letter):
            raise
        if (index := column_index_from_string(letter) - 1) >= len(frame.columns):
            raise _ToolError(f"column {letter} is beyond the sheet's {len(frame.columns)} columns") from None
        name = frame.columns[index]
    return {"column": name, **_summary(frame[name])}


def xlsx_freeze_panes(path: str, cell: str = "A2", sheet: str = "") -> dict:
    """Freeze the rows above and the columns left of a cell so they stay visible while scrolling.

    Args:
        path: Workbook (.xlsx) to modify, relative to the working directory.
        cell: Top-left cell of the scrolling area: "A2" freezes the header row, "B2" also the first column,
            "A1" unfreezes.
        sheet: Sheet name; empty means the first sheet.
    """
    resolved, workbook = _workbook(path)
    worksheet = _sheet(workbook, sheet, path)
    row, column = _coordinate(cell)
    worksheet.freeze_panes = None if (row, column) == (1, 1) else worksheet.cell(row, column).coordinate
    workbook.save(resolved)
    return {"path": _relative(resolved), "sheet": worksheet.title, "freeze_panes": worksheet.freeze_panes}


def xlsx_auto_filter(path: str, cell_range: str = "", sheet: str = "", remove: bool = False) -> dict:
    """Turn on Excel's filter drop-downs over a range (its first row holds the headers), or remove them.

    Args:
        path: Workbook (.xlsx) to modify, relative to the working directory.
        cell_range: Range in A1 notation, e.g. "A1:F40"; empty means the sheet's whole used range.
        sheet: Sheet name; empty means the first sheet.
        remove: Remove the sheet's filter instead of setting one.
    """
    resolved, workbook = _workbook(path)
    worksheet = _sheet(workbook, sheet, path)
    worksheet.auto_filter.ref = None if remove else _range_name(_bounds(worksheet, cell_range))
    workbook.save(resolved)
    return {"path": _relative(resolved), "sheet": worksheet.title, "auto_filter": worksheet.auto_filter.ref}


# ---------------------------------------------------------------------------------------------------
# tables: summaries


def table_describe(path: str, sheet: str = "", columns: _Names = ()) -> dict:
    """Descriptive statistics for every column (or chosen columns) of a table, like pandas describe().

    Each column reports its type, count and missing cells; numbers add sum, mean, std, min, p25,
    median, p75 and max; dates their earliest and latest value; text its distinct values and most
    common value.

    Args:
        path: Table to analyse: a .csv, .tsv or .xlsx file, relative to the working directory.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        columns: Only these columns; empty means all columns.
    """
    _, frame = _read_table(path, sheet)
    names = _columns(frame, columns, path) if columns else list(frame.columns)
    return {"rows": len(frame), "columns": {name: _summary(frame[name]) for name in names}}


def table_dtypes(path: str, sheet: str = "") -> dict:
    """Report each column's data type (integer, decimal, boolean, date or text), filled cells and an example.

    Text columns whose values are all ISO dates (YYYY-MM-DD) are reported as date.

    Args:
        path: Table to inspect: a .csv, .tsv or .xlsx file, relative to the working directory.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    _, frame = _read_table(path, sheet)
    report = []
    for name in frame.columns:
        present = frame[name].dropna()
        report.append({"column": name, "type": _kind(frame[name]), "pandas_dtype": str(frame[name].dtype),
                       "non_null": len(present), "example": _plain(present.iloc[0]) if len(present) else None})
    return {"rows": len(frame), "columns": report}


def table_missing_report(path: str, sheet: str = "") -> dict:
    """Count the empty cells of every column of a table, and how many rows are complete.

    Args:
        path: Table to check: a .csv, .tsv or .xlsx file, relative to the working directory.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    _, frame = _read_table(path, sheet)
    missing = frame.isna()
    rows = len(frame)
    report = [{"column": name, "missing": int(missing[name].sum()),
               "percent": _number(100 * missing[name].sum() / rows) if rows else 0} for name in frame.columns]
    incomplete = int(missing.any(axis=1).sum())
    return {"rows": rows, "complete_rows": rows - incomplete, "rows_with_missing": incomplete, "columns": report}


def table_value_counts(path: str, column: str, sheet: str = "", limit: int = 20) -> dict:
    """Count how often each distinct value occurs in one column, most frequent first, with its share in percent.

    Empty cells are counted as the value null.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Column whose values to count, e.g. "status".
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of distinct values to return.
    """
    _at_least("limit", limit)
    _, frame = _read_table(path, sheet)
    name = _column(frame, column, path)
    counts = frame[name].value_counts(dropna=False, sort=False)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], _cell_text(item[0])))
    total = len(frame)
    return {"column": name, "rows": total, "distinct": len(counts),
            "values": [{"value": _plain(value), "count": int(count), "percent": _number(100 * count / total)}
                       for value, count in ordered[:limit]]}


def table_correlation(path: str, method: typing.Literal["pearson", "spearman", "kendall"] = "pearson",
                      columns: _Names = (), sheet: str = "") -> dict:
    """Correlation matrix of the numeric columns of a table (values from -1 to 1).

    Args:
        path: Table to analyse: a .csv, .tsv or .xlsx file, relative to the working directory.
        method: "pearson" (linear), "spearman" (rank order) or "kendall" (rank concordance).
        columns: Numeric columns to correlate (at least two); empty means every numeric column.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    if method not in ("pearson", "spearman", "kendall"):
        raise _ToolError(f"unsupported method '{method}'; use pearson, spearman or kendall")
    _, frame = _read_table(path, sheet)
    names = _columns(frame, columns, path) if columns else [
        n for n in frame.columns if _kind(frame[n]) in ("integer", "decimal")]
    if len(names) < 2:
        raise _ToolError(f"'{path}' needs at least two numeric columns to correlate, found {len(names)}")
    matrix = frame[names].apply(lambda s: _numeric(frame, s.name, path)).corr(method=method)
    return {"method": method, "columns": names,
            "matrix": {a: {b: _plain(matrix.loc[a, b]) for b in names} for a in names}}


def table_histogram(path: str, column: str, bins: int = 10, sheet: str = "") -> dict:
    """Count the values of a numeric column in equal-width bins (a histogram as numbers, no chart).

    Each bin includes its lower edge; the last also includes its upper edge. Empty cells are skipped.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Numeric column to bin, e.g. "amount".
        bins: Number of equal-width bins between the smallest and largest value.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    import numpy as np

    _at_least("bins", bins)
    _, frame = _read_table(path, sheet)
    name = _column(frame, column, path)
    values = _numeric(frame, name, path).dropna()
    if values.empty:
        raise _ToolError(f"column '{name}' of '{path}' has no values")
    counts, edges = np.histogram(values, bins=bins)
    return {"column": name, "count": len(values),
            "bins": [{"from": _plain(edges[i]), "to": _plain(edges[i + 1]), "count": int(counts[i])}
                     for i in range(len(counts))]}


def table_crosstab(
    path: str,
    index: str,
    columns: str,
    normalize: typing.Literal["none", "all", "index", "columns"] = "none",
    totals: bool = False,
    sheet: str = "",
    limit: int = 50,
) -> dict:
    """Cross-tabulate two columns: how many rows have each combination of their values.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        index: Column whose values label the rows of the result, e.g. "department".
        columns: Column whose values label the columns of the result, e.g. "status".
        normalize: "none" for counts; "all" for percent of all rows, "index" for percent within each row,
            "columns" for percent within each column.
        totals: Add a "Total" row and column.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of result rows to return.
    """
    import pandas as pd

    _at_least("limit", limit)
    if normalize not in ("none", "all", "index", "columns"):
        raise _ToolError(f"unsupported normalize '{normalize}'; use none, all, index or columns")
    _, frame = _read_table(path, sheet)
    row_name, column_name = _column(frame, index, path), _column(frame, columns, path)
    table = pd.crosstab(frame[row_name].map(_cell_text), frame[column_name].map(_cell_text), margins=totals,
                        margins_name="Total", normalize=False if normalize == "none" else normalize)
    return _matrix(table if normalize == "none" else table * 100, limit)


# ---------------------------------------------------------------------------------------------------
# tables: grouping and reshaping


def table_group_aggregate(path: str, group_by: str, value_column: str, function: _Aggregate = "sum",
                          sheet: str = "", limit: int = 50) -> dict:
    """Group the rows of a table by one column and aggregate another column within each group.

    Groups are returned largest result first, each with the number of rows in the group. count and
    nunique work on any column; the other functions need a numeric one.

    Args:
        path: Table to aggregate: a .csv, .tsv or .xlsx file, relative to the working directory.
        group_by: Column whose values define the groups, e.g. "department".
        value_column: Column to aggregate, e.g. "amount".
        function: "sum", "mean", "median", "min", "max", "count" (non-empty cells), "std" or "nunique"
            (distinct values).
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of groups to return.
    """
    if function not in ("sum", "mean", "median", "min", "max", "count", "std", "nunique"):
        raise _ToolError(f"unsupported function '{function}'; use sum, mean, median, min, max, count, std or nunique")
    _at_least("limit", limit)
    _, frame = _read_table(path, sheet)
    group, value = _column(frame, group_by, path), _column(frame, value_column, path)
    values = frame[value] if function in ("count", "nunique") else _numeric(frame, value, path)
    grouped = values.groupby(frame[group].map(_cell_text), sort=True)
    result = grouped.agg(function).sort_values(ascending=False, na_position="last", kind="stable")
    sizes = grouped.size()
    return {"group_by": group, "value_column": value, "function": function, "groups": len(result),
            "rows": [{"group": label, "value": _plain(v), "rows": int(sizes[label])}
                     for label, v in result.head(limit).items()]}


def table_pivot(path: str, index: str, columns: str, values: str, function: _Aggregate = "sum",
                totals: bool = False, sheet: str = "", limit: int = 50) -> dict:
    """Build a pivot table: one row per value of `index`, one column per value of `columns`, cells aggregated.

    Combinations without rows are null.

    Args:
        path: Table to pivot: a .csv, .tsv or .xlsx file, relative to the working directory.
        index: Column whose values become the rows, e.g. "department".
        columns: Column whose values become the columns, e.g. "category".
        values: Column to aggregate in the cells, e.g. "amount".
        function: "sum", "mean", "median", "min", "max", "count", "std" or "nunique".
        totals: Add a "Total" row and column.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of rows to return.
    """
    if function not in ("sum", "mean", "median", "min", "max", "count", "std", "nunique"):
        raise _ToolError(f"unsupported function '{function}'; use sum, mean, median, min, max, count, std or nunique")
    _at_least("limit", limit)
    _, frame = _read_table(path, sheet)
    row_name, column_name, value = (_column(frame, name, path) for name in (index, columns, values))
    if len({row_name, column_name, value}) < 3:
        raise _ToolError("index, columns and values must be three different columns")
    data = frame[[row_name, column_name]].map(_cell_text)
    data[value] = frame[value] if function in ("count", "nunique") else _numeric(frame, value, path)
    table = data.pivot_table(index=row_name, columns=column_name, values=value, aggfunc=function,
                             margins=totals, margins_name="Total", dropna=False)
    return _matrix(table, limit)


def table_resample(
    path: str,
    date_column: str,
    value_column: str,
    period: typing.Literal["day", "week", "month", "quarter", "year"] = "month",
    function: typing.Literal["sum", "mean", "median", "min", "max", "count"] = "sum",
    sheet: str = "",
) -> dict:
    """Aggregate a column per calendar period of a date column, e.g. monthly sums of sales.

    Every period from the first to the last date is listed; periods without rows have 0 for sum and
    count and null otherwise. Labels look like "2024-03" (month), "2024Q1", "2024" or
    "2024-03-04/2024-03-10" (week, Monday to Sunday).

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        date_column: Column holding the dates, e.g. "order_date".
        value_column: Column to aggregate, e.g. "total" (any column for count).
        period: Length of each period: "day", "week", "month", "quarter" or "year".
        function: "sum", "mean", "median", "min", "max" or "count".
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    import pandas as pd

    if period not in _PERIODS:
        raise _ToolError(f"unsupported period '{period}'; use {', '.join(_PERIODS)}")
    if function not in ("sum", "mean", "median", "min", "max", "count"):
        raise _ToolError(f"unsupported function '{function}'; use sum, mean, median, min, max or count")
    _, frame = _read_table(path, sheet)
    dates = _dates(frame, _column(frame, date_column, path), path)
    value = _column(frame, value_column, path)
    values = frame[value] if function == "count" else _numeric(frame, value, path)
    periods = dates.dt.to_period(_PERIODS[period])
    if periods.isna().all():
        raise _ToolError(f"column '{date_column}' of '{path}' has no dates")
    grouped = values.groupby(periods)
    every = pd.period_range(periods.min(), periods.max(), freq=_PERIODS[period])
    result = grouped.agg(function).reindex(every, fill_value=0 if function in ("sum", "count") else None)
    sizes = grouped.size().reindex(every, fill_value=0)
    return {"date_column": dates.name, "value_column": value, "period": period, "function": function,
            "rows": [{"period": str(label), "value": _plain(result[label]), "rows": int(sizes[label])}
                     for label in every]}


def table_merge(left_path: str, right_path: str, on: str, output_path: str,
                how: typing.Literal["inner", "left", "right", "outer"] = "inner", right_on: str = "",
                left_sheet: str = "", right_sheet: str = "") -> dict:
    """Join two tables on a key column (like a SQL join) and write the result to a new file.

    Keys are compared as text when the two key columns have different types. Other columns present in
    both tables get the suffixes "_left" and "_right".

    Args:
        left_path: First table (.csv, .tsv or .xlsx), relative to the working directory; its rows come first.
        right_path: Second table (.csv, .tsv or .xlsx) to join to the first.
        on: Key column of the left table (and of the right one unless right_on is given), e.g. "customer_id".
        output_path: File to write the joined table to, ending in .csv, .tsv or .xlsx.
        how: "inner" keeps rows whose key is in both tables; "left"/"right" keep every row of that table;
            "outer" keeps all rows.
        right_on: Key column of the right table when its name differs from `on`.
        left_sheet: For an xlsx left table, the sheet to read (empty = the first sheet).
        right_sheet: For an xlsx right table, the sheet to read (empty = the first sheet).
    """
    if how not in ("inner", "left", "right", "outer"):
        raise _ToolError(f"unsupported join '{how}'; use inner, left, right or outer")
    left_file, left = _read_table(left_path, left_sheet)
    right_file, right = _read_table(right_path, right_sheet)
    left_key, right_key = _column(left, on, left_path), _column(right, right_on or on, right_path)
    if left[left_key].dtype != right[right_key].dtype:
        left, right = left.assign(**{left_key: left[left_key].map(_cell_text)}), right.assign(
            **{right_key: right[right_key].map(_cell_text)})
    merged = left.merge(right, left_on=left_key, right_on=right_key, how=how, suffixes=("_left", "_right"))
    return {"output_path": _save(merged, output_path, (left_file, right_file)), "rows": len(merged),
            "columns": [str(c) for c in merged.columns], "left_rows": len(left), "right_rows": len(right),
            "left_rows_matched": int(left[left_key].isin(right[right_key]).sum())}


def table_concat(paths: list[str], output_path: str, sheet: str = "", source_column: str = "source") -> dict:
    """Stack the rows of several tables with the same (or overlapping) columns into one new file.

    Columns missing from a table are left empty for its rows.

    Args:
        paths: Tables to stack, in order (.csv, .tsv or .xlsx), e.g. ["sales/q1.csv", "sales/q2.csv"].
        output_path: File to write, ending in .csv, .tsv or .xlsx.
        sheet: For xlsx inputs, the sheet to read from each (empty = each workbook's first sheet).
        source_column: Name of an added column holding each row's source file; empty adds no such column.
    """
    import pandas as pd

    if not isinstance(paths, list) or len(paths) < 2:
        raise _ToolError("paths must list at least two tables")
    files, frames, counts = [], [], {}
    for path in paths:
        resolved, frame = _read_table(path, sheet if str(path).lower().endswith(".xlsx") else "")
        if source_column:
            if source_column in frame.columns:
                raise _ToolError(f"'{path}' already has a column '{source_column}'; choose another source_column")
            frame = frame.assign(**{source_column: _relative(resolved)})
        files.append(resolved)
        frames.append(frame)
        counts[_relative(resolved)] = len(frame)
    stacked = pd.concat(frames, ignore_index=True)
    return {"output_path": _save(stacked, output_path, files), "rows": len(stacked),
            "columns": [str(c) for c in stacked.columns], "rows_per_file": counts}


def table_unpivot(path: str, id_columns: list[str], output_path: str, value_columns: _Names = (),
                  variable_name: str = "variable", value_name: str = "value", sheet: str = "") -> dict:
    """Turn columns into rows (wide to long, pandas melt) and write the result to a new file.

    E.g. a budget with columns Department, Q1..Q4 becomes rows of (Department, quarter, amount).

    Args:
        path: Table to reshape: a .csv, .tsv or .xlsx file, relative to the working directory.
        id_columns: Columns kept as they are on every row, e.g. ["Department"].
        output_path: File to write, ending in .csv, .tsv or .xlsx.
        value_columns: Columns turned into rows; empty means every column not in id_columns.
        variable_name: Name of the new column holding the former column names.
        value_name: Name of the new column holding the values.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    source, frame = _read_table(path, sheet)
    ids = _columns(frame, id_columns, path)
    values = _columns(frame, value_columns, path) if value_columns else [c for c in frame.columns if c not in ids]
    if not values or set(ids) & set(values):
        raise _ToolError("value_columns must be one or more columns that are not id_columns")
    if len({*ids, variable_name, value_name}) != len(ids) + 2:
        raise _ToolError("variable_name and value_name must differ from each other and from the id columns")
    long = frame.melt(id_vars=ids, value_vars=values, var_name=variable_name, value_name=value_name)
    return {"output_path": _save(long, output_path, (source,)), "rows": len(long),
            "columns": [str(c) for c in long.columns]}


# ---------------------------------------------------------------------------------------------------
# tables: selecting rows


def table_filter(path: str, column: str, operator: _Operator, value: str = "", sheet: str = "", limit: int = 20,
                 output_path: str = "") -> dict:
    """Select the rows of a table whose cell in one column satisfies a condition (a one-clause pandas query).

    Numeric columns compare as numbers and date columns of xlsx files as dates; other columns compare
    as text (ISO dates such as 2024-03-01 still order correctly). Text tests are case-insensitive.
    Empty cells only match "is_empty".

    Args:
        path: Table to filter: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Column to test, e.g. "amount".
        operator: "==", "!=", ">", ">=", "<", "<=", "contains", "starts_with", "ends_with", "in" (value is a
            comma-separated list), "is_empty" or "not_empty".
        value: Value to compare with, as text, e.g. "500", "Travel" or "Denver,Portland"; ignored by is_empty
            and not_empty.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of matching rows to return.
        output_path: Optionally also write every matching row to this .csv, .tsv or .xlsx file.
    """
    _at_least("limit", limit)
    source, frame = _read_table(path, sheet)
    name = _column(frame, column, path)
    return _rows_result(frame[_condition(frame, name, operator, value)], limit, output_path, (source,))


def table_count_where(path: str, column: str, operator: _Operator, value: str = "", sheet: str = "") -> dict:
    """Count the rows of a table that satisfy a condition on one column, and their share in percent.

    Conditions work as in table_filter.

    Args:
        path: Table to count in: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Column to test, e.g. "status".
        operator: "==", "!=", ">", ">=", "<", "<=", "contains", "starts_with", "ends_with", "in" (value is a
            comma-separated list), "is_empty" or "not_empty".
        value: Value to compare with, as text, e.g. "shipped" or "1000"; ignored by is_empty and not_empty.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    _, frame = _read_table(path, sheet)
    count = int(_condition(frame, _column(frame, column, path), operator, value).sum())
    return {"count": count, "total_rows": len(frame), "percent": _number(100 * count / len(frame)) if len(frame) else 0}


def table_date_filter(path: str, date_column: str, start: str = "", end: str = "", sheet: str = "",
                      limit: int = 20, output_path: str = "") -> dict:
    """Select the rows of a table whose date falls within a range (both ends included).

    Args:
        path: Table to filter: a .csv, .tsv or .xlsx file, relative to the working directory.
        date_column: Column holding the dates, e.g. "order_date".
        start: First day to keep, as YYYY-MM-DD; empty means no lower bound.
        end: Last day to keep, as YYYY-MM-DD; empty means no upper bound.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of rows to return.
        output_path: Optionally also write every selected row to this .csv, .tsv or .xlsx file.
    """
    _at_least("limit", limit)
    if not start and not end:
        raise _ToolError("give a start date, an end date or both")
    source, frame = _read_table(path, sheet)
    days = _dates(frame, _column(frame, date_column, path), path).dt.normalize()
    keep = days.notna()
    first, last = (_timestamp(start, "start") if start else None), (_timestamp(end, "end") if end else None)
    if first is not None and last is not None and first > last:
        raise _ToolError(f"start ({start}) is after end ({end})")
    if first is not None:
        keep &= days >= first.normalize()
    if last is not None:
        keep &= days <= last.normalize()
    return _rows_result(frame[keep], limit, output_path, (source,))


def table_sort(path: str, column: str, descending: bool = False, sheet: str = "", limit: int = 20,
               output_path: str = "") -> dict:
    """Sort the rows of a table by one column (numbers and dates by value, text A to Z), empty cells last.

    Args:
        path: Table to sort: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Column to sort by, e.g. "total".
        descending: Sort from largest to smallest (or Z to A).
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of rows to return.
        output_path: Optionally also write the whole sorted table to this .csv, .tsv or .xlsx file.
    """
    _at_least("limit", limit)
    source, frame = _read_table(path, sheet)
    return _rows_result(_sorted(frame, _column(frame, column, path), descending), limit, output_path, (source,))


def table_top_n(path: str, column: str, n: int = 5, smallest: bool = False, group_by: str = "",
                sheet: str = "") -> dict:
    """The n rows with the largest (or smallest) values of a numeric column, optionally n per group.

    Rows with an empty value are left out.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Numeric column to rank by, e.g. "salary".
        n: Number of rows to return (per group when group_by is set).
        smallest: Return the smallest values instead of the largest.
        group_by: Optional column: return the top n rows within each of its values, e.g. "department".
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    _at_least("n", n)
    _, frame = _read_table(path, sheet)
    name = _column(frame, column, path)
    values = _numeric(frame, name, path).dropna().sort_values(ascending=smallest, kind="stable")
    ordered = frame.loc[values.index]
    if group_by:
        group = _column(frame, group_by, path)
        ordered = ordered.groupby(ordered[group].map(_cell_text), sort=False).head(n)
        ordered = ordered.iloc[ordered[group].map(_cell_text).argsort(kind="stable")]
    else:
        ordered = ordered.head(n)
    return {"column": name, "rows": _records(ordered)}


def table_sample(path: str, n: int = 5, seed: int = 0, sheet: str = "") -> dict:
    """A random sample of rows from a table, reproducible with the same seed.

    Args:
        path: Table to sample: a .csv, .tsv or .xlsx file, relative to the working directory.
        n: Number of rows to draw (all rows when the table is smaller).
        seed: Random seed; the same seed draws the same rows.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    _at_least("n", n)
    _at_least("seed", seed, 0)
    _, frame = _read_table(path, sheet)
    return {"total_rows": len(frame), "seed": seed,
            "rows": _records(frame.sample(n=min(n, len(frame)), random_state=seed))}


def table_drop_duplicates(path: str, output_path: str, subset: _Names = (),
                          keep: typing.Literal["first", "last", "none"] = "first", sheet: str = "") -> dict:
    """Remove duplicate rows from a table and write the rest to a new file.

    Args:
        path: Table to clean: a .csv, .tsv or .xlsx file, relative to the working directory.
        output_path: File to write, ending in .csv, .tsv or .xlsx.
        subset: Columns that decide whether two rows are duplicates; empty means all columns.
        keep: Which copy to keep: "first", "last", or "none" (drop every row that has a duplicate).
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    if keep not in ("first", "last", "none"):
        raise _ToolError(f"unsupported keep '{keep}'; use first, last or none")
    source, frame = _read_table(path, sheet)
    names = _columns(frame, subset, path) if subset else None
    unique = frame.drop_duplicates(subset=names, keep=False if keep == "none" else keep)
    return {"output_path": _save(unique, output_path, (source,)), "rows_before": len(frame),
            "rows_after": len(unique), "removed": len(frame) - len(unique)}


# ---------------------------------------------------------------------------------------------------
# tables: deriving columns


def table_select_columns(path: str, columns: list[str], output_path: str, sheet: str = "") -> dict:
    """Keep only some columns of a table, in the order given, and write them to a new file.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        columns: Columns to keep, in output order, e.g. ["order_id", "total"].
        output_path: File to write, ending in .csv, .tsv or .xlsx.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    if not columns:
        raise _ToolError("columns must name at least one column")
    source, frame = _read_table(path, sheet)
    names = _columns(frame, columns, path)
    return {"output_path": _save(frame[names], output_path, (source,)), "rows": len(frame), "columns": names}


def table_rename_columns(path: str, mapping: dict[str, str], output_path: str, sheet: str = "") -> dict:
    """Rename columns of a table and write the result to a new file.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        mapping: Old column name -> new name, e.g. {"amt": "amount", "dept": "department"}.
        output_path: File to write, ending in .csv, .tsv or .xlsx.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    if not isinstance(mapping, dict) or not mapping:
        raise _ToolError("mapping must be a non-empty object of old name -> new name")
    source, frame = _read_table(path, sheet)
    renames = {_column(frame, old, path): str(new).strip() for old, new in mapping.items()}
    if not all(renames.values()):
        raise _ToolError("new column names must not be empty")
    result = frame.rename(columns=renames)
    if result.columns.duplicated().any():
        raise _ToolError("the new names would give two columns the same name")
    return {"output_path": _save(result, output_path, (source,)), "columns": [str(c) for c in result.columns]}


def table_add_computed_column(path: str, new_column: str, left: str, operator: typing.Literal["+", "-", "*", "/"],
                              right: str, output_path: str, decimals: int = 4, sheet: str = "") -> dict:
    """Add a column computed from two columns (or a column and a number) and write the table to a new file.

    E.g. left "quantity", operator "*", right "unit_price" gives a line total; right "100" multiplies
    by a constant. Division by zero and empty cells give empty results.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        new_column: Name of the new column, e.g. "margin"; must not exist yet.
        left: Numeric column on the left of the operator.
        operator: "+", "-", "*" or "/".
        right: Numeric column on the right of the operator, or a number such as "1.08".
        output_path: File to write, ending in .csv, .tsv or .xlsx.
        decimals: Decimal places to round the new values to.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    import numpy as np

    arithmetic = {"+": _op.add, "-": _op.sub, "*": _op.mul, "/": _op.truediv}
    if operator not in arithmetic:
        raise _ToolError(f"unsupported operator '{operator}'; use +, -, * or /")
    _at_least("decimals", decimals, 0)
    source, frame = _read_table(path, sheet)
    if not str(new_column).strip() or new_column in frame.columns:
        raise _ToolError(f"new_column must be a new, non-empty column name, got '{new_column}'")
    a = _numeric(frame, _column(frame, left, path), path)
    right_text = str(right).strip()
    if any(c.strip().casefold() == right_text.casefold() for c in frame.columns) or not _NUMBER.fullmatch(right_text):
        b = _numeric(frame, _column(frame, right_text, path), path)
    else:
        b = float(right_text)
    computed = arithmetic[operator](a, b).replace([np.inf, -np.inf], np.nan).round(decimals)
    result = frame.assign(**{new_column: computed})
    return {"output_path": _save(result, output_path, (source,)), "rows": len(result), "new_column": new_column,
            "first_values": [_plain(v) for v in computed.head(5)]}


def table_fill_missing(
    path: str,
    output_path: str,
    strategy: typing.Literal["value", "mean", "median", "mode", "zero", "forward", "backward"] = "value",
    value: str = "",
    columns: _Names = (),
    sheet: str = "",
) -> dict:
    """Fill the empty cells of a table and write the result to a new file.

    When no columns are named, every column with gaps that suits the strategy is filled (mean, median
    and zero suit numeric columns; a text value suits text columns, a number any column).

    Args:
        path: Table to fill: a .csv, .tsv or .xlsx file, relative to the working directory.
        output_path: File to write, ending in .csv, .tsv or .xlsx.
        strategy: "value" (the given value), "mean", "median", "mode" (most common value), "zero", "forward"
            (previous row's value) or "backward" (next row's value).
        value: The fill value for strategy "value", e.g. "0" or "unknown".
        columns: Columns to fill; empty means every column that has empty cells.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
    """
    if strategy not in ("value", "mean", "median", "mode", "zero", "forward", "backward"):
        raise _ToolError(f"unsupported strategy '{strategy}'")
    if strategy == "value" and not str(value).strip():
        raise _ToolError("strategy 'value' needs a non-empty value")
    source, frame = _read_table(path, sheet)
    named = _columns(frame, columns, path) if columns else [c for c in frame.columns if frame[c].isna().any()]
    filled: dict[str, int] = {}
    for name in named:
        series = _fill(frame[name], strategy, str(value))
        if series is None:
            if columns:
                raise _ToolError(f"strategy '{strategy}' with value {value!r} does not suit column '{name}' "
                                f"({_kind(frame[name])})")
            continue
        filled[name] = int(frame[name].isna().sum() - series.isna().sum())
        frame[name] = series
    return {"output_path": _save(frame, output_path, (source,)), "filled": filled,
            "still_missing": int(frame.isna().sum().sum())}


def table_rank(
    path: str,
    column: str,
    descending: bool = True,
    method: typing.Literal["min", "dense", "first", "average", "max"] = "min",
    sheet: str = "",
    limit: int = 20,
    output_path: str = "",
) -> dict:
    """Rank the rows of a table by a numeric column, adding a "<column>_rank" column (1 = best), best first.

    Args:
        path: Table to rank: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Numeric column to rank by, e.g. "total".
        descending: Rank the largest value 1 (False ranks the smallest 1).
        method: How ties rank: "min" (1,2,2,4), "dense" (1,2,2,3), "first" (order of appearance), "average"
            (1,2.5,2.5,4) or "max" (1,3,3,4).
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of rows to return.
        output_path: Optionally also write the whole ranked table to this .csv, .tsv or .xlsx file.
    """
    if method not in ("min", "dense", "first", "average", "max"):
        raise _ToolError(f"unsupported method '{method}'; use min, dense, first, average or max")
    _at_least("limit", limit)
    source, frame = _read_table(path, sheet)
    name = _column(frame, column, path)
    rank = f"{name}_rank"
    ranked = frame.assign(**{rank: _numeric(frame, name, path).rank(ascending=not descending, method=method)})
    return _rows_result(_sorted(ranked, rank), limit, output_path, (source,))


def table_pct_change(path: str, column: str, sort_by: str = "", periods: int = 1, sheet: str = "", limit: int = 20,
                     output_path: str = "") -> dict:
    """Add a "<column>_pct_change" column: the percent change of a numeric column from the row `periods` above.

    Sort by a date column first to get period-over-period growth; 12.5 means +12.5%.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Numeric column to compare, e.g. "Revenue".
        sort_by: Optional column to sort by (ascending) before comparing, e.g. "Month"; empty keeps the file order.
        periods: How many rows back to compare with.
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of rows to return.
        output_path: Optionally also write the whole table with the new column to this .csv, .tsv or .xlsx file.
    """
    import numpy as np

    _at_least("periods", periods)
    _at_least("limit", limit)
    source, frame = _read_table(path, sheet)
    name = _column(frame, column, path)
    if sort_by:
        frame = _sorted(frame, _column(frame, sort_by, path))
    values = _numeric(frame, name, path)
    change = ((values / values.shift(periods) - 1) * 100).replace([np.inf, -np.inf], np.nan)
    return _rows_result(frame.assign(**{f"{name}_pct_change": change}), limit, output_path, (source,))


def table_cumulative_sum(path: str, column: str, sort_by: str = "", group_by: str = "", sheet: str = "",
                         limit: int = 20, output_path: str = "") -> dict:
    """Add a "<column>_cumsum" column: the running total of a numeric column, optionally restarting per group.

    Args:
        path: Table to read: a .csv, .tsv or .xlsx file, relative to the working directory.
        column: Numeric column to accumulate, e.g. "amount".
        sort_by: Optional column to sort by (ascending) first, e.g. "date"; empty keeps the file order.
        group_by: Optional column whose values each get their own running total, e.g. "department".
        sheet: For an xlsx file, the sheet to read (empty = the first sheet); leave empty for csv/tsv.
        limit: Maximum number of rows to return.
        output_path: Optionally also write the whole table with the new column to this .csv, .tsv or .xlsx file.
    """
    _at_least("limit", limit)
    source, frame = _read_table(path, sheet)
    name = _column(frame, column, path)
    if sort_by:
        frame = _sorted(frame, _column(frame, sort_by, path))
    values = _numeric(frame, name, path)
    totals = values.groupby(frame[_column(frame, group_by, path)].map(_cell_text)).cumsum() if group_by \
        else values.cumsum()
    return _rows_result(frame.assign(**{f"{name}_cumsum": totals}), limit, output_path, (source,))
