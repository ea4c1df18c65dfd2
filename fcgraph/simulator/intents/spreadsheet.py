"""Requests for the spreadsheet tools: xlsx workbooks, and pandas-style analysis of csv, tsv and xlsx tables.

A user sees only a table's first rows (a csv/tsv head, or the first rows of each sheet), so columns
are classified from those rows: numeric when every filled cell is a number, a date when every
filled cell is an ISO date, a category when it is other text and some value repeats. Table requests
read a workbook's first sheet, which is what the table tools read when no sheet is named.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath
from random import Random
from typing import Any

from fcgraph.simulator.grounding import (FileView, Grounding, Intent, path_only, pick, shown_grids, shown_number,
                                        with_args)

TABLES = ("csv", "tsv", "xlsx")
DELIMITED = ("csv", "tsv")
XLSX = ("xlsx",)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?")
NEW_SHEETS = ["Notes", "Review", "Checks", "Forecast 2025", "Scratch"]


def _shown(rows: list[list[Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    if len(rows) < 3:  # a header and at least two rows, or nothing worth analysing
        return [], []
    header = ["" if cell is None else str(cell) for cell in rows[0]]
    return header, [dict(zip(header, row, strict=False)) for row in rows[1:]]  # short rows leave cells out


def _table(view: FileView) -> tuple[list[str], list[dict[str, Any]]]:
    """Header and shown rows of a csv/tsv file or of a workbook's first sheet."""
    grids = shown_grids(view)
    return _shown(grids[0][1] if grids else [])


def _filled(values: list[Any]) -> list[Any]:
    return [v for v in values if v is not None and str(v).strip()]


def _kind(values: list[Any]) -> str | None:
    filled = _filled(values)
    if not filled:
        return None
    if all(shown_number(v) is not None for v in filled):
        return "number"
    if all(isinstance(v, str) and ISO_DATE.fullmatch(v) for v in filled):
        return "date"
    return "category" if len(set(map(str, filled))) < len(filled) else "text"


def _columns(view: FileView, *kinds: str) -> list[str]:
    header, rows = _table(view)
    return [name for name in header if name and "`" not in name and _kind([r.get(name) for r in rows]) in kinds]


def _column(*kinds: str) -> Callable[[FileView, Random], str | None]:
    return lambda view, rng: pick(_columns(view, *kinds))(rng)


def _two(*kinds: str) -> Callable[[FileView, Random], list[str] | None]:
    def choose(view: FileView, rng: Random) -> list[str] | None:
        columns = _columns(view, *kinds)
        return rng.sample(columns, 2) if len(columns) >= 2 else None

    return choose


def _beside(suffix: str, extension: str | None = None) -> Callable[[FileView, Random], str]:
    """A new file next to the sampled one, named after it (same extension unless one is given)."""

    def name(view: FileView, rng: Random) -> str:
        path = PurePosixPath(view.path)
        return str(path.with_name(f"{view.stem}{suffix}{extension or path.suffix}"))

    return name


# ---------------------------------------------------------------- table groundings
def _group_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    group, value = _column("category")(view, rng), _column("number")(view, rng)
    if group is None or value is None:
        return None
    return {"path": view.path, "group_by": group, "value_column": value,
            "function": rng.choice(["sum", "mean", "max", "min", "median"])}


def _pivot_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    pair, value = _two("category")(view, rng), _column("number")(view, rng)
    if pair is None or value is None:
        return None
    return {"path": view.path, "index": pair[0], "columns": pair[1], "values": value,
            "function": rng.choice(["sum", "mean", "count"])}


def _crosstab_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    pair = _two("category")(view, rng)
    return {"path": view.path, "index": pair[0], "columns": pair[1]} if pair else None


def _equals_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    rows = _table(view)[1]
    column = _column("category")(view, rng)
    values = sorted({str(r[column]) for r in rows if r.get(column) is not None and "`" not in str(r[column])}) \
        if column else []
    return {"path": view.path, "column": column, "value": rng.choice(values)} if values else None


def _above_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    rows = _table(view)[1]
    column = _column("number")(view, rng)
    if column is None:
        return None
    values = sorted(float(v) for v in _filled([r.get(column) for r in rows]))
    return {"path": view.path, "column": column, "value": f"{values[len(values) // 2]:g}"}


def _correlation_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    if len(_columns(view, "number")) < 2:
        return None
    return {"path": view.path, "method": rng.choice(["pearson", "spearman", "kendall"])}


def _dated_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    date, value = _column("date")(view, rng), _column("number")(view, rng)
    return {"path": view.path, "date_column": date, "value_column": value} if date and value else None


def _date_range_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    rows = _table(view)[1]
    column = _column("date")(view, rng)
    if column is None:
        return None
    days = sorted(str(v)[:10] for v in _filled([r.get(column) for r in rows]))
    return {"path": view.path, "date_column": column, "start": days[0], "end": days[-1]}


def _select_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    header = [name for name in _table(view)[0] if name and "`" not in name]
    if len(header) < 3:
        return None
    return {"path": view.path, "columns": [header[0], *rng.sample(header[1:], 2)],
            "output_path": _beside("_columns")(view, rng)}


def _computed_args(view: FileView, rng: Random) -> dict[str, Any] | None:
    pair = _two("number")(view, rng)
    if pair is None:
        return None
    operator, word = rng.choice([("+", "plus"), ("-", "minus"), ("*", "times"), ("/", "per")])
    name = re.sub(r"\W+", "_", f"{pair[0]} {word} {pair[1]}".lower()).strip("_")
    return {"path": view.path, "new_column": name, "left": pair[0], "operator": operator, "right": pair[1],
            "output_path": _beside("_computed")(view, rng)}


# ---------------------------------------------------------------- workbook groundings
def _sheets(view: FileView) -> list[dict[str, Any]]:
    return [s for s in view.info.get("sheets") or [] if s.get("rows") and "`" not in s["name"]]


def _size(sheet: dict[str, Any]) -> tuple[int, int]:
    """(columns, rows) of a sheet from its dimensions, e.g. "A1:F7" -> (6, 7)."""
    match = re.fullmatch(r"[A-Z]+\d+:([A-Z]+)(\d+)", sheet.get("dimensions") or "")
    if not match:
        return len(sheet["rows"][0]), len(sheet["rows"])
    letters, rows = match.groups()
    columns = 0
    for letter in letters:
        columns = columns * 26 + ord(letter) - 64
    return columns, int(rows)


def _letter(column: int) -> str:
    """Column letter of a 1-based column number (the workbooks here are narrower than 27 columns)."""
    return chr(64 + column)


def _sheet_args(extra: Callable[[dict[str, Any], Random], dict[str, Any] | None]) -> Grounding:
    """Ground on one sheet of a workbook: the path, the sheet's name and what `extra` makes of its shown rows."""
    def ground(view: FileView, rng: Random) -> dict[str, Any] | None:
        sheets = _sheets(view)
        if not sheets:
            return None
        sheet = rng.choice(sheets)
        more = extra(sheet, rng)
        return None if more is None else {"path": view.path, "sheet": sheet["name"], **more}

    return ground


def _range_of(sheet: dict[str, Any], rng: Random) -> dict[str, Any]:
    columns, rows = _size(sheet)
    return {"cell_range": f"A1:{_letter(min(columns, rng.choice([2, 3, 4])))}{min(rows, rng.choice([3, 4, 5]))}"}


def _cell_of(sheet: dict[str, Any], rng: Random) -> dict[str, Any] | None:
    cells = [f"{_letter(c + 1)}{r + 1}" for r, row in enumerate(sheet["rows"][1:], start=1)
             for c, value in enumerate(row) if value is not None and c < 26]
    return {"cell": rng.choice(cells)} if cells else None


def _free_cell(sheet: dict[str, Any], rng: Random) -> dict[str, Any]:
    rows = _size(sheet)[1]
    return {"cell": f"A{rows + 2}", "value": rng.choice(["Reviewed", "Checked by finance", "1250", "=1+1"])}


def _numeric_range(sheet: dict[str, Any], rng: Random) -> dict[str, Any] | None:
    columns, rows = _size(sheet)
    data = sheet["rows"][1:]
    numeric = [c for c in range(min(columns, 26)) if data and all(
        c < len(row) and shown_number(row[c]) is not None for row in data)]
    if not numeric or rows < 3:
        return None
    letter = _letter(rng.choice(numeric) + 1)
    return {"cell_range": f"{letter}2:{letter}{rows}"}


def _header_of(sheet: dict[str, Any], rng: Random) -> dict[str, Any] | None:
    names = [str(h) for h in sheet["rows"][0] if h is not None and "`" not in str(h)]
    return {"column": rng.choice(names)} if names and len(sheet["rows"]) > 2 else None


def _renamed(sheet: dict[str, Any], rng: Random) -> dict[str, Any] | None:
    new_name = f"{sheet['name']} {rng.choice(['old', 'archive', 'v1'])}"
    return {"new_name": new_name} if len(new_name) <= 31 else None


def _export(view: FileView, rng: Random) -> dict[str, Any] | None:
    sheets = _sheets(view)
    if not sheets:
        return None
    sheet = rng.choice(sheets)["name"]
    slug = re.sub(r"\W+", "_", sheet.lower()).strip("_")
    return {"path": view.path, "sheet": sheet, "output_path": _beside(f"_{slug}", ".csv")(view, rng)}


def _new_sheet(view: FileView, rng: Random) -> dict[str, Any] | None:
    taken = {s["name"].casefold() for s in view.info.get("sheets") or []}
    free = [name for name in NEW_SHEETS if name.casefold() not in taken]
    return {"path": view.path, "sheet": rng.choice(free)} if free else None


def _text_in_workbook(view: FileView, rng: Random) -> dict[str, Any] | None:
    words = sorted({value for sheet in _sheets(view) for row in sheet["rows"][1:] for value in row
                    if isinstance(value, str) and len(value) >= 3 and "`" not in value
                    and not ISO_DATE.fullmatch(value)})
    return {"path": view.path, "query": rng.choice(words)} if words else None


INTENTS: tuple[Intent, ...] = (
    # ------------------------------------------------------------ workbooks
    Intent("xlsx_list_sheets", "list the sheets of the workbook {path} and how big each one is", XLSX, path_only,
           zh="列出工作簿 {path} 里的各个工作表以及每个表的大小"),
    Intent("xlsx_read_range", "show me the cells {cell_range} on the {sheet} sheet of {path}", XLSX,
           _sheet_args(_range_of), zh="给我看 {path} 的 {sheet} 工作表中 {cell_range} 区域的单元格"),
    Intent("xlsx_read_cell", "tell me what cell {cell} on the {sheet} sheet of {path} contains", XLSX,
           _sheet_args(_cell_of), zh="告诉我 {path} 的 {sheet} 工作表里 {cell} 单元格的内容"),
    Intent("xlsx_write_cell", "enter {value} in cell {cell} on the {sheet} sheet of {path}", XLSX,
           _sheet_args(_free_cell), writes=True,
           zh="在 {path} 的 {sheet} 工作表的 {cell} 单元格里填入 {value}"),
    Intent("xlsx_add_sheet", "add an empty sheet called {sheet} to the workbook {path}", XLSX, _new_sheet, writes=True,
           zh="在工作簿 {path} 里新增一个名为 {sheet} 的空白工作表"),
    Intent("xlsx_rename_sheet", "rename the {sheet} sheet of {path} to {new_name}", XLSX, _sheet_args(_renamed),
           writes=True, zh="把 {path} 中的 {sheet} 工作表重命名为 {new_name}"),
    Intent("xlsx_sheet_to_csv", "export the {sheet} sheet of {path} as a CSV file named {output_path}", XLSX, _export,
           writes=True, zh="把 {path} 的 {sheet} 工作表导出为 CSV 文件 {output_path}"),
    Intent("xlsx_find_value", "find every cell of the workbook {path} that contains {query}", XLSX, _text_in_workbook,
           zh="在工作簿 {path} 中找出所有包含 {query} 的单元格"),
    Intent("xlsx_range_stats", "give me the sum and the average of cells {cell_range} on the {sheet} sheet of {path}",
           XLSX, _sheet_args(_numeric_range),
           zh="计算 {path} 的 {sheet} 工作表中 {cell_range} 单元格的总和与平均值"),
    Intent("xlsx_column_stats", "summarise the {column} column of the {sheet} sheet in {path}", XLSX,
           _sheet_args(_header_of), zh="汇总 {path} 里 {sheet} 工作表的 {column} 列"),
    Intent("xlsx_from_csv", "turn {path} into an Excel workbook saved as {output_path}", DELIMITED,
           with_args(output_path=_beside("", ".xlsx")), writes=True,
           zh="把 {path} 转换成 Excel 工作簿，保存为 {output_path}"),
    # ------------------------------------------------------------ tables
    Intent("table_describe", "describe every column of the table {path}", TABLES, path_only,
           zh="描述一下表格 {path} 的每一列"),
    Intent("table_dtypes", "tell me the data type of each column in {path}", TABLES, path_only,
           zh="告诉我 {path} 中每一列的数据类型"),
    Intent("table_missing_report", "report how many values are missing in each column of {path}", TABLES, path_only,
           zh="报告 {path} 每一列缺失了多少个值"),
    Intent("table_value_counts", "count how often each value of {column} appears in {path}", TABLES,
           with_args(column=_column("category", "text")), zh="统计 {path} 中 {column} 每个取值出现的次数"),
    Intent("table_group_aggregate", "compute the {function} of {value_column} for each {group_by} in {path}", TABLES,
           _group_args, zh="按 {group_by} 分组计算 {path} 中 {value_column} 的 {function}"),
    Intent("table_pivot", "make a pivot table of {path} with {index} as rows, {columns} as columns and the {function} "
           "of {values} in the cells", TABLES, _pivot_args,
           zh="用 {path} 做一张数据透视表：行是 {index}，列是 {columns}，"
              "单元格里是 {values} 的 {function}"),
    Intent("table_crosstab", "cross-tabulate {index} against {columns} in {path}", TABLES, _crosstab_args,
           zh="对 {path} 中的 {index} 和 {columns} 做交叉表"),
    Intent("table_top_n", "show the {n} rows of {path} with the largest {column}", TABLES,
           with_args(column=_column("number"), n=lambda v, r: r.choice([3, 5])), fixed={"smallest": False},
           zh="显示 {path} 中 {column} 最大的 {n} 行"),
    Intent("table_sample", "pick {n} random rows from {path} using seed {seed}", TABLES,
           with_args(n=lambda v, r: r.choice([3, 5]), seed=lambda v, r: r.choice([1, 7, 42])),
           zh="用随机种子 {seed} 从 {path} 中随机抽取 {n} 行"),
    Intent("table_count_where", "count the rows of {path} where {column} equals {value}", TABLES, _equals_args,
           fixed={"operator": "=="}, zh="统计 {path} 中 {column} 等于 {value} 的行数"),
    Intent("table_filter", "list the rows of {path} whose {column} is above {value}", TABLES, _above_args,
           fixed={"operator": ">"}, zh="列出 {path} 里 {column} 超过 {value} 的记录"),
    Intent("table_date_filter", "show the rows of {path} with {date_column} between {start} and {end}", TABLES,
           _date_range_args, zh="显示 {path} 中 {date_column} 在 {start} 到 {end} 之间的行"),
    Intent("table_correlation", "compute the {method} correlation matrix of all numeric columns of the table {path}",
           TABLES, _correlation_args, zh="计算表格 {path} 所有数值列之间的 {method} 相关矩阵"),
    Intent("table_resample", "total {value_column} month by month using the dates in {date_column} of {path}", TABLES,
           _dated_args, fixed={"period": "month", "function": "sum"},
           zh="根据 {path} 里 {date_column} 的日期，逐月合计 {value_column}"),
    Intent("table_cumulative_sum", "show the running total of {column} down the rows of {path}", TABLES,
           with_args(column=_column("number")), zh="显示 {path} 中 {column} 逐行累计的总和"),
    Intent("table_rank", "give each row of {path} a rank by {column}, highest first", TABLES,
           with_args(column=_column("number")), fixed={"descending": True},
           zh="按 {column} 从高到低给 {path} 的每一行排名"),
    Intent("table_drop_duplicates", "remove the duplicate rows of {path} and write the rest to {output_path}", TABLES,
           with_args(output_path=_beside("_deduplicated")), writes=True,
           zh="去掉 {path} 中的重复行，把剩下的写入 {output_path}"),
    Intent("table_select_columns", "keep only the columns {columns} of {path} and save them to {output_path}", TABLES,
           _select_args, writes=True, zh="只保留 {path} 中的 {columns} 这几列，并保存到 {output_path}"),
    Intent("table_add_computed_column", "add a column {new_column} equal to {left} {operator} {right} to {path} and "
           "save the table as {output_path}", TABLES, _computed_args, writes=True,
           zh="给 {path} 添加一列 {new_column}，其值为 {left} {operator} {right}，"
              "并把表格保存为 {output_path}"),
)
