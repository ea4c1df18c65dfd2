"""SQLite tools: explore tables, run read-only queries and insert or update rows in a database file.

Table and column names are checked against the database's real schema before they are used, and
values are always passed as query parameters. Paths are relative to the working directory and
confined to it.
"""

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from fcgraph.tools.paths import ToolError, resolve

CATEGORY = "sqlite"

_HEADER = b"SQLite format 3\x00"
_READ_ONLY_START = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*(select|with)\b", re.IGNORECASE | re.DOTALL)
_MAX_STEPS = 500_000  # progress callbacks (one per 1000 VM steps, ~2 s) before a query is stopped
_MAX_LIMIT = 1000


def _at_least(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ToolError(f"'{name}' must be an integer >= {minimum}, got {value!r}")


def _database(db_path: str) -> Path:
    resolved = resolve(db_path)
    if resolved.is_dir():
        raise ToolError(f"'{db_path}' is a directory, not a database file")
    with resolved.open("rb") as handle:
        if handle.read(len(_HEADER)) != _HEADER:
            raise ToolError(f"'{db_path}' is not a SQLite database")
    return resolved


def _connect(db_path: str, *, writable: bool = False) -> sqlite3.Connection:
    uri = _database(db_path).as_uri() + ("?mode=rw" if writable else "?mode=ro")
    connection = sqlite3.connect(uri, uri=True)
    steps = [0]

    def budget() -> int:
        steps[0] += 1
        return 1 if steps[0] > _MAX_STEPS else 0

    connection.set_progress_handler(budget, 1000)
    return connection


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )
    return [row[0] for row in rows]


def _table(connection: sqlite3.Connection, table: str) -> str:
    tables = _tables(connection)
    if table in tables:
        return table
    folded = [name for name in tables if name.casefold() == table.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise ToolError(f"no table named '{table}'; tables: {', '.join(tables) or '(none)'}")


def _columns(connection: sqlite3.Connection, table: str) -> list[tuple]:
    return connection.execute(f"PRAGMA table_info({_quote(table)})").fetchall()


def _column(connection: sqlite3.Connection, table: str, column: str) -> str:
    names = [row[1] for row in _columns(connection, table)]
    if column in names:
        return column
    folded = [name for name in names if name.casefold() == column.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise ToolError(f"table '{table}' has no column '{column}'; columns: {', '.join(names)}")


def _scalar(name: str, value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise ToolError(f"value for '{name}' must be text, a number, true/false or null, got {type(value).__name__}")


def _json_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return f"<blob {len(value)} bytes>"
    return value


@contextmanager
def _open_database(db_path: str, *, writable: bool = False) -> Iterator[sqlite3.Connection]:
    """An open connection whose SQLite errors reach the caller as one clear ToolError."""
    with closing(_connect(db_path, writable=writable)) as connection:
        try:
            yield connection
        except sqlite3.Error as exc:
            raise _fail(exc) from None


def _fail(exc: sqlite3.Error) -> ToolError:
    message = str(exc)
    if message == "interrupted":
        message = "the query took too long and was stopped"
    return ToolError(f"SQLite error: {message}")


def sqlite_list_tables(db_path: str) -> list[str]:
    """List the tables of a SQLite database file, sorted by name (internal sqlite_ tables excluded).

    Args:
        db_path: SQLite database file, relative to the working directory, e.g. "data/company.db".
    """
    with _open_database(db_path) as connection:
        return _tables(connection)


def sqlite_describe_table(db_path: str, table: str) -> list[dict]:
    """Describe the columns of a table: name, declared type, NOT NULL and primary-key flags.

    Args:
        db_path: SQLite database file, relative to the working directory.
        table: Name of the table to describe.
    """
    with _open_database(db_path) as connection:
        name = _table(connection, table)
        return [{"name": row[1], "type": row[2], "notnull": bool(row[3]), "primary_key": row[5] > 0}
                for row in _columns(connection, name)]


def sqlite_count_rows(db_path: str, table: str) -> dict:
    """Count the rows of a table.

    Args:
        db_path: SQLite database file, relative to the working directory.
        table: Name of the table to count.
    """
    with _open_database(db_path) as connection:
        name = _table(connection, table)
        count = connection.execute(f"SELECT COUNT(*) FROM {_quote(name)}").fetchone()[0]
    return {"table": name, "rows": count}


def sqlite_query(db_path: str, sql: str, params: list[Any] = [], limit: int = 50) -> dict:  # noqa: B006 (never mutated)
    """Run a read-only SQL query (a single SELECT or WITH statement) and return its result.

    The database is opened read-only; statements that change data or schema are refused. Returns
    the column names, at most `limit` rows (each a list of values in column order) and "row_count",
    the total number of rows the query produced.

    Args:
        db_path: SQLite database file, relative to the working directory.
        sql: One SQLite SELECT (or WITH ... SELECT) statement; use ? placeholders for values,
            e.g. "SELECT * FROM orders WHERE status = ?".
        params: Values for the ? placeholders in the query, in order; empty when the query has none.
        limit: Maximum number of rows to return (at most 1000).
    """
    _at_least("limit", limit)
    if not isinstance(sql, str) or not _READ_ONLY_START.match(sql):
        raise ToolError("only read-only queries are allowed: the statement must start with SELECT or WITH")
    if params is None:
        params = []
    if not isinstance(params, (list, tuple)):
        raise ToolError("'params' must be a list of values")
    values = [_scalar(f"params[{i}]", value) for i, value in enumerate(params)]
    with _open_database(db_path) as connection:
        try:
            cursor = connection.execute(sql, values)
            columns = [description[0] for description in cursor.description or ()]
            rows, total = [], 0
            for row in cursor:
                total += 1
                if len(rows) < min(limit, _MAX_LIMIT):
                    rows.append([_json_value(value) for value in row])
        except sqlite3.Warning as exc:  # e.g. "You can only execute one statement at a time."
            raise ToolError(f"SQLite error: {exc}") from None
    return {"columns": columns, "rows": rows, "row_count": total}


def _table_and_columns(connection: sqlite3.Connection, table: str, mapping: Any, argument: str) -> tuple[str, list[str]]:
    """The real table name and the real names of the columns a {column: value} argument names."""
    if not isinstance(mapping, dict) or not mapping:
        raise ToolError(f"'{argument}' must be a non-empty object mapping column names to values")
    name = _table(connection, table)
    columns = [_column(connection, name, column) for column in mapping]
    if len(set(columns)) != len(columns):
        raise ToolError(f"'{argument}' names the same column more than once")
    return name, columns


def sqlite_insert_row(db_path: str, table: str, values: dict[str, Any]) -> dict:
    """Insert one row into a table and return the new row's rowid.

    Columns left out get their default value (or NULL).

    Args:
        db_path: SQLite database file, relative to the working directory.
        table: Name of the table to insert into.
        values: Column names mapped to the values of the new row, e.g. {"name": "Ada", "age": 36}.
    """
    with _open_database(db_path, writable=True) as connection:
        name, columns = _table_and_columns(connection, table, values, "values")
        parameters = [_scalar(column, value) for column, value in values.items()]
        sql = (f"INSERT INTO {_quote(name)} ({', '.join(_quote(c) for c in columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        cursor = connection.execute(sql, parameters)
        connection.commit()
    return {"table": name, "rowid": cursor.lastrowid}


def sqlite_update_rows(db_path: str, table: str, set_values: dict[str, Any], where_column: str,
                       where_value: Any) -> dict:
    """Update the rows of a table whose column equals a given value; returns how many rows changed.

    Args:
        db_path: SQLite database file, relative to the working directory.
        table: Name of the table to update.
        set_values: Column names mapped to their new values, e.g. {"status": "shipped"}.
        where_column: Column that selects the rows to update, e.g. "order_id".
        where_value: Value the where_column must equal for a row to be updated (null matches empty cells).
    """
    with _open_database(db_path, writable=True) as connection:
        name, columns = _table_and_columns(connection, table, set_values, "set_values")
        where = _column(connection, name, where_column)
        parameters = [_scalar(column, value) for column, value in set_values.items()]
        condition = f"{_quote(where)} IS NULL" if where_value is None else f"{_quote(where)} = ?"
        if where_value is not None:
            parameters.append(_scalar("where_value", where_value))
        sql = (f"UPDATE {_quote(name)} SET {', '.join(f'{_quote(c)} = ?' for c in columns)} "
               f"WHERE {condition}")
        cursor = connection.execute(sql, parameters)
        connection.commit()
    return {"table": name, "updated": cursor.rowcount}


def sqlite_table_preview(db_path: str, table: str, n: int = 5) -> dict:
    """Show the column names and the first rows of a table (each row a list of values in column order).

    Args:
        db_path: SQLite database file, relative to the working directory.
        table: Name of the table to preview.
        n: Number of rows to return.
    """
    _at_least("n", n)
    with _open_database(db_path) as connection:
        name = _table(connection, table)
        cursor = connection.execute(f"SELECT * FROM {_quote(name)} LIMIT ?", (min(n, _MAX_LIMIT),))
        columns = [description[0] for description in cursor.description]
        rows = [[_json_value(value) for value in row] for row in cursor.fetchall()]
    return {"columns": columns, "rows": rows}
