"""The spreadsheet tools (xlsx_*, table_*), run in a real sandbox worker on a copy of the seed tree.

Expected values are computed independently from the seed files: the csv module and plain Python
arithmetic for tables, openpyxl cell by cell for workbooks. Tools that write work on copies or new
names, so the tests do not depend on their order.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import statistics
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from random import Random
from typing import Any

import openpyxl
import pytest

from fcgraph.config import DEFAULT_FILE_SYSTEM
from fcgraph.sampling import Environment
from fcgraph.simulator.grammar import parse_request, render
from fcgraph.simulator.grounding import FileView
from fcgraph.simulator.intents.spreadsheet import INTENTS
from fcgraph.simulator.policy import typed
from fcgraph.tools.builtin import spreadsheet
from fcgraph.tools.discovery import tool_functions
from fcgraph.tools.registry import ToolRegistry

SEED = DEFAULT_FILE_SYSTEM
ORDERS, CUSTOMERS, SHIPMENTS, BUDGET = ("sales/orders_2024.csv", "sales/customers.csv", "operations/shipments.csv",
                                        "finance/budget_2024.xlsx")


def _relative(path: Path) -> str:
    return path.relative_to(SEED).as_posix()


def _first_sheet_header(path: Path) -> list[Any]:
    return list(next(openpyxl.load_workbook(path).worksheets[0].iter_rows(max_row=1, values_only=True)))


REGIONS = sorted(_relative(p) for p in SEED.rglob("*.xlsx") if "order_date" in _first_sheet_header(p))
TSV_WITH_GAPS = next(_relative(p) for p in sorted(SEED.rglob("*.tsv")) if "\t\t" in p.read_text(encoding="utf-8"))
WORKBOOKS = sorted(_relative(p) for p in SEED.rglob("*.xlsx"))


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-5, abs=1e-3)


def table_rows(path: str) -> list[dict[str, Any]]:
    """Rows of a csv/tsv file (cells as text) or of a workbook's first sheet (cells as openpyxl reads them)."""
    file = SEED / path
    if file.suffix == ".xlsx":
        rows = [r for r in openpyxl.load_workbook(file).worksheets[0].iter_rows(values_only=True)
                if any(v is not None for v in r)]
        return [dict(zip([str(h) for h in rows[0]], row, strict=True)) for row in rows[1:]]
    with file.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle, delimiter="\t" if file.suffix == ".tsv" else ","))


def number(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def column(path: str, name: str) -> list[float]:
    return [n for row in table_rows(path) if (n := number(row[name])) is not None]


def shown(value: Any) -> str:
    """A cell value as a sheet shows it: whole numbers without ".0", dates as YYYY-MM-DD, nothing for empty."""
    if value is None:
        return ""
    if hasattr(value, "date"):
        return value.date().isoformat()
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def copy_of(sandbox, path: str, name: str) -> str:
    """A private copy of a seed file beside it, for a test that modifies it."""
    target = Path(path).with_name(name).as_posix()
    shutil.copy(sandbox.root / path, sandbox.root / target)
    return target


def sheet_values(path: Path, sheet: str | None = None) -> list[tuple]:
    workbook = openpyxl.load_workbook(path)
    return list((workbook[sheet] if sheet else workbook.worksheets[0]).iter_rows(values_only=True))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t" if path.suffix == ".tsv" else ","))


# ---------------------------------------------------------------------------------------------------
# schemas


def test_the_category_has_45_tools_each_parameter_described():
    registry = ToolRegistry.load()
    names = sorted(tool_functions(spreadsheet))
    assert len(names) == 45 and all(n.startswith(("xlsx_", "table_")) for n in names)
    for name in names:
        spec = registry[name]
        assert spec.category == "spreadsheet"
        assert spec.schema["function"]["description"].strip()
        for parameter, body in spec.parameters["properties"].items():
            assert body["description"].strip(), f"{name}.{parameter}"


def test_the_module_imports_no_heavy_library_at_start_up():
    import subprocess
    import sys

    code = ("import sys, fcgraph.tools.builtin.spreadsheet; "
            "print(any(m in sys.modules for m in ('pandas', 'openpyxl', 'numpy')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "False"


# ---------------------------------------------------------------------------------------------------
# workbooks: reading


@pytest.mark.parametrize("path", WORKBOOKS)
def test_list_sheets_matches_openpyxl(tool_sandbox, path):
    result = tool_sandbox.ok("xlsx_list_sheets", path=path)
    workbook = openpyxl.load_workbook(SEED / path)
    assert [s["name"] for s in result["sheets"]] == workbook.sheetnames
    for listed, sheet in zip(result["sheets"], workbook.worksheets, strict=True):
        assert (listed["dimensions"], listed["rows"], listed["columns"]) == (sheet.dimensions, sheet.max_row,
                                                                             sheet.max_column)
        first = next(sheet.iter_rows(max_row=1, values_only=True))
        assert listed["header"] == [v.date().isoformat() if hasattr(v, "date") else v for v in first]


def test_read_range_returns_the_cells_row_by_row(tool_sandbox):
    name = openpyxl.load_workbook(SEED / BUDGET).sheetnames[-1]
    expected = [list(r) for r in sheet_values(SEED / BUDGET, name)]
    result = tool_sandbox.ok("xlsx_read_range", path=BUDGET, sheet=name, cell_range="A1:C3")
    assert result["sheet"] == name and result["range"] == "A1:C3"
    assert result["rows"] == [row[:3] for row in expected[:3]]
    whole = tool_sandbox.ok("xlsx_read_range", path=BUDGET, sheet=name, cell_range="A:B", limit=2)
    assert whole["rows"] == [row[:2] for row in expected[:2]] and whole["truncated"] is True


def test_read_range_formats_dates_as_iso_text(tool_sandbox):
    path = REGIONS[0]
    date_column = _first_sheet_header(SEED / path).index("order_date")
    first = sheet_values(SEED / path)[1][date_column]
    rows = tool_sandbox.ok("xlsx_read_range", path=path, cell_range="A2:L2")["rows"]
    assert rows[0][date_column] == first.date().isoformat()


def test_read_cell_and_its_errors(tool_sandbox):
    expected = sheet_values(SEED / BUDGET)[1][2]
    assert tool_sandbox.ok("xlsx_read_cell", path=BUDGET, cell="$C$2") == {
        "sheet": openpyxl.load_workbook(SEED / BUDGET).sheetnames[0], "cell": "C2", "value": expected, "formula": None}
    for arguments in ({"cell": "ZZ"}, {"cell": "A1", "sheet": "No such sheet"}):
        outcome = tool_sandbox.call("xlsx_read_cell", path=BUDGET, **arguments)
        assert outcome.error_kind == "tool", outcome


def test_find_value_scans_every_sheet(tool_sandbox):
    workbook = openpyxl.load_workbook(SEED / BUDGET)
    query = sheet_values(SEED / BUDGET)[1][0]  # the first department
    expected = [(s.title, c.coordinate) for s in workbook.worksheets for row in s.iter_rows() for c in row
                if query.casefold() in str(c.value or "").casefold()]
    result = tool_sandbox.ok("xlsx_find_value", path=BUDGET, query=query.upper())
    assert result["matches"] == len(expected) >= 2
    assert [(c["sheet"], c["cell"]) for c in result["cells"]] == expected
    number_cell = sheet_values(SEED / BUDGET)[1][2]
    exact = tool_sandbox.ok("xlsx_find_value", path=BUDGET, query=str(number_cell), exact=True)
    assert exact["matches"] >= 1 and all(c["value"] == number_cell for c in exact["cells"])


def test_range_stats_add_up_the_numbers(tool_sandbox):
    values = [row[2] for row in sheet_values(SEED / BUDGET)[1:] if isinstance(row[2], (int, float))]
    last = len(sheet_values(SEED / BUDGET))
    result = tool_sandbox.ok("xlsx_range_stats", path=BUDGET, cell_range=f"A1:C{last}")
    assert result["sum"] == approx(sum(values) + sum(r[1] for r in sheet_values(SEED / BUDGET)[1:]
                                                     if isinstance(r[1], (int, float))))
    column_only = tool_sandbox.ok("xlsx_range_stats", path=BUDGET, cell_range=f"C2:C{last}")
    assert column_only["numbers"] == len(values)
    assert (column_only["sum"], column_only["average"], column_only["min"], column_only["max"]) == (
        approx(sum(values)), approx(statistics.fmean(values)), min(values), max(values))


@pytest.mark.parametrize("reference", ["header", "letter"])
def test_column_stats_by_header_or_letter(tool_sandbox, reference):
    header = _first_sheet_header(SEED / BUDGET)
    values = [row[2] for row in sheet_values(SEED / BUDGET)[1:] if row[2] is not None]
    result = tool_sandbox.ok("xlsx_column_stats", path=BUDGET, column=header[2] if reference == "header" else "c")
    assert result["column"] == header[2] and result["count"] == len(values)
    assert (result["sum"], result["mean"], result["median"], result["std"]) == (
        approx(sum(values)), approx(statistics.fmean(values)), approx(statistics.median(values)),
        approx(statistics.stdev(values)))


# ---------------------------------------------------------------------------------------------------
# workbooks: formulas


def test_written_formulas_read_back_as_values(tool_sandbox):
    path = copy_of(tool_sandbox, BUDGET, "budget_formulas.xlsx")
    rows = sheet_values(SEED / BUDGET)
    last = len(rows)
    total = sum(r[2] for r in rows[1:])
    total_cell = f"C{last + 2}"
    formulas = {"C": f"=SUM(C2:C{last})", "D": f'=IF({total_cell}>0,ROUND({total_cell}/3,1),0)&" each"',
                "E": f"=AVERAGE(C2:C{last})*2%", "F": "=STDEV.S(C2:C3)"}
    for letter, formula in formulas.items():
        tool_sandbox.ok("xlsx_write_cell", path=path, cell=f"{letter}{last + 2}", value=formula)
    read = {cell: tool_sandbox.ok("xlsx_read_cell", path=path, cell=f"{cell}{last + 2}") for cell in "CDEF"}
    assert read["C"]["value"] == approx(total) and read["C"]["formula"] == f"=SUM(C2:C{last})"
    assert read["D"]["value"] == f"{shown(math.floor(total / 3 * 10 + 0.5) / 10)} each"
    assert read["E"]["value"] == approx(statistics.fmean(r[2] for r in rows[1:]) * 0.02)
    assert read["F"]["value"] is None  # a function the evaluator does not know reads as null
    listed = tool_sandbox.ok("xlsx_formulas", path=path)
    assert [f["cell"] for f in listed["formulas"]] == [f"{c}{last + 2}" for c in "CDEF"]
    assert listed["formulas"][0]["value"] == approx(total)


def test_a_saved_formula_result_wins_over_evaluation(tool_sandbox):
    workbook = openpyxl.Workbook()
    workbook.active.append([1])
    workbook.active.append([2])
    workbook.active.append(["=SUM(A1:A2)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    target = tool_sandbox.root / "cached_result.xlsx"
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>SUM(A1:A2)</f><v></v>", b"<f>SUM(A1:A2)</f><v>99</v>")
            copy.writestr(item, data)
    assert tool_sandbox.ok("xlsx_read_cell", path="cached_result.xlsx", cell="A3")["value"] == 99
    assert tool_sandbox.ok("xlsx_range_stats", path="cached_result.xlsx", cell_range="A1:A3")["sum"] == 102


def test_write_cell_types_values_and_keeps_text_when_asked(tool_sandbox):
    path = copy_of(tool_sandbox, BUDGET, "budget_write.xlsx")
    previous = sheet_values(SEED / BUDGET)[1][2]
    assert tool_sandbox.ok("xlsx_write_cell", path=path, cell="C2", value="1250.5")["previous"] == previous
    tool_sandbox.ok("xlsx_write_cell", path=path, cell="B2", value="00742", as_text=True)
    tool_sandbox.ok("xlsx_write_cell", path=path, cell="A2", value="=literal", as_text=True)
    row = sheet_values(tool_sandbox.root / path)[1]
    assert (row[0], row[1], row[2]) == ("=literal", "00742", 1250.5)
    outcome = tool_sandbox.call("xlsx_write_cell", path=path, cell="C3", value="=SUM(C2:C4")
    assert outcome.error_kind == "tool" and "parentheses" in outcome.error


# ---------------------------------------------------------------------------------------------------
# workbooks: structure


def test_add_rename_copy_and_delete_sheets(tool_sandbox):
    path = copy_of(tool_sandbox, BUDGET, "budget_sheets.xlsx")
    original = openpyxl.load_workbook(SEED / BUDGET).sheetnames
    added = tool_sandbox.ok("xlsx_add_sheet", path=path, sheet="Notes", header=["Date", "Note"], position=0)
    assert added["sheets"] == ["Notes", *original]
    assert sheet_values(tool_sandbox.root / path, "Notes") == [("Date", "Note")]
    assert tool_sandbox.call("xlsx_add_sheet", path=path, sheet="notes").error_kind == "tool"
    assert tool_sandbox.call("xlsx_add_sheet", path=path, sheet="Q1/Q2").error_kind == "tool"
    renamed = tool_sandbox.ok("xlsx_rename_sheet", path=path, sheet="notes", new_name="Remarks")
    assert renamed["to"] == "Remarks" and renamed["sheets"][0] == "Remarks"
    copied = tool_sandbox.ok("xlsx_copy_sheet", path=path, sheet=original[0], new_name=f"{original[0]} copy")
    assert copied["sheets"][-1] == f"{original[0]} copy"
    assert sheet_values(tool_sandbox.root / path, f"{original[0]} copy") == sheet_values(SEED / BUDGET, original[0])
    deleted = tool_sandbox.ok("xlsx_delete_sheet", path=path, sheet="Remarks")
    assert deleted["sheets"] == [*original, f"{original[0]} copy"]
    assert openpyxl.load_workbook(tool_sandbox.root / path).sheetnames == deleted["sheets"]


def test_add_sheet_creates_a_workbook_whose_only_sheet_cannot_be_deleted(tool_sandbox):
    result = tool_sandbox.ok("xlsx_add_sheet", path="new_books/plan.xlsx", sheet="Plan", header=["Task", "Owner"])
    assert result == {"path": "new_books/plan.xlsx", "sheet": "Plan", "sheets": ["Plan"]}
    assert sheet_values(tool_sandbox.root / "new_books/plan.xlsx") == [("Task", "Owner")]
    assert tool_sandbox.call("xlsx_delete_sheet", path="new_books/plan.xlsx", sheet="Plan").error_kind == "tool"


def test_append_rows_lands_below_the_data_with_types(tool_sandbox):
    path = copy_of(tool_sandbox, BUDGET, "budget_append.xlsx")
    before = len(sheet_values(SEED / BUDGET))
    result = tool_sandbox.ok("xlsx_append_rows", path=path, rows=[["IT", "it@northpeak.example", "1000", 5],
                                                                   ["Legal", None, "2500.5"]])
    assert (result["first_row"], result["last_row"]) == (before + 1, before + 2)
    rows = sheet_values(tool_sandbox.root / path)
    assert rows[before][:4] == ("IT", "it@northpeak.example", 1000, 5)
    assert rows[before + 1][:3] == ("Legal", None, 2500.5)
    assert tool_sandbox.call("xlsx_append_rows", path=path, rows=[]).error_kind == "tool"


def test_delete_rows_shifts_the_rest_up(tool_sandbox):
    path = copy_of(tool_sandbox, BUDGET, "budget_delete_rows.xlsx")
    original = sheet_values(SEED / BUDGET)
    result = tool_sandbox.ok("xlsx_delete_rows", path=path, start_row=2, count=2)
    assert result["deleted"] == 2 and result["rows_left"] == len(original) - 2
    assert sheet_values(tool_sandbox.root / path) == [original[0], *original[3:]]
    assert tool_sandbox.call("xlsx_delete_rows", path=path, start_row=500).error_kind == "tool"


def test_freeze_panes_and_auto_filter(tool_sandbox):
    path = copy_of(tool_sandbox, BUDGET, "budget_view.xlsx")
    assert tool_sandbox.ok("xlsx_freeze_panes", path=path, cell="B2")["freeze_panes"] == "B2"
    assert openpyxl.load_workbook(tool_sandbox.root / path).worksheets[0].freeze_panes == "B2"
    assert tool_sandbox.ok("xlsx_freeze_panes", path=path, cell="A1")["freeze_panes"] is None
    dimensions = openpyxl.load_workbook(SEED / BUDGET).worksheets[0].dimensions
    assert tool_sandbox.ok("xlsx_auto_filter", path=path)["auto_filter"] == dimensions
    assert openpyxl.load_workbook(tool_sandbox.root / path).worksheets[0].auto_filter.ref == dimensions
    assert tool_sandbox.ok("xlsx_auto_filter", path=path, remove=True)["auto_filter"] is None


# ---------------------------------------------------------------------------------------------------
# workbooks: conversion


def test_sheet_to_csv_writes_values_as_shown(tool_sandbox):
    path = REGIONS[0]
    result = tool_sandbox.ok("xlsx_sheet_to_csv", path=path, output_path="exports/region_orders.tsv")
    written = (tool_sandbox.root / "exports/region_orders.tsv").read_text(encoding="utf-8").splitlines()
    rows = [r for r in sheet_values(SEED / path) if any(v is not None for v in r)]
    assert result["rows"] == len(written) == len(rows)
    assert [line.split("\t") for line in written[:3]] == [[shown(v) for v in row] for row in rows[:3]]
    assert tool_sandbox.call("xlsx_sheet_to_csv", path=path, output_path="exports/x.json").error_kind == "tool"


def test_csv_to_xlsx_types_numbers_and_adds_or_replaces_sheets(tool_sandbox):
    result = tool_sandbox.ok("xlsx_from_csv", path=ORDERS, output_path="exports/orders.xlsx", sheet="Orders")
    source = table_rows(ORDERS)
    rows = sheet_values(tool_sandbox.root / "exports/orders.xlsx", "Orders")
    assert result["rows"] == len(source) == len(rows) - 1
    assert list(rows[0]) == list(source[0])
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["quantity"] == int(source[0]["quantity"]) and first["total"] == approx(float(source[0]["total"]))
    assert first["order_id"] == source[0]["order_id"]
    tool_sandbox.ok("xlsx_from_csv", path=TSV_WITH_GAPS, output_path="exports/orders.xlsx", sheet="Second")
    again = tool_sandbox.ok("xlsx_from_csv", path=TSV_WITH_GAPS, output_path="exports/orders.xlsx", sheet="second")
    assert again["replaced"] is True
    assert openpyxl.load_workbook(tool_sandbox.root / "exports/orders.xlsx").sheetnames == ["Orders", "second"]


# ---------------------------------------------------------------------------------------------------
# tables: summaries


def test_describe_numbers_text_and_dates(tool_sandbox):
    result = tool_sandbox.ok("table_describe", path=ORDERS)
    totals, rows = column(ORDERS, "total"), table_rows(ORDERS)
    assert result["rows"] == len(rows)
    described = result["columns"]["total"]
    assert (described["count"], described["sum"], described["mean"], described["median"], described["min"],
            described["max"]) == (len(totals), approx(sum(totals)), approx(statistics.fmean(totals)),
                                  approx(statistics.median(totals)), min(totals), max(totals))
    statuses = Counter(r["status"] for r in rows)
    assert result["columns"]["status"] | {} == {"type": "text", "count": len(rows), "missing": 0,
                                                "unique": len(statuses), "top": statuses.most_common(1)[0][0],
                                                "top_count": statuses.most_common(1)[0][1]}
    dates = sorted(r["order_date"] for r in rows)
    assert {k: result["columns"]["order_date"][k] for k in ("type", "min", "max")} == {
        "type": "date", "min": dates[0], "max": dates[-1]}


def test_describe_reads_a_workbook_sheet(tool_sandbox):
    path = REGIONS[0]
    totals = [r["total"] for r in table_rows(path)]
    result = tool_sandbox.ok("table_describe", path=path, columns=["total", "order_date"])
    assert list(result["columns"]) == ["total", "order_date"]
    assert result["columns"]["total"]["sum"] == approx(sum(totals))
    assert result["columns"]["order_date"]["type"] == "date"


def test_dtypes_report(tool_sandbox):
    kinds = {c["column"]: c["type"] for c in tool_sandbox.ok("table_dtypes", path=ORDERS)["columns"]}
    assert kinds["quantity"] == "integer" and kinds["total"] == "decimal"
    assert kinds["order_date"] == "date" and kinds["status"] == "text"
    gaps = {c["column"]: c for c in tool_sandbox.ok("table_dtypes", path=SHIPMENTS)["columns"]}
    assert gaps["delivery_days"]["type"] == "integer"
    assert gaps["delivery_days"]["non_null"] == len(column(SHIPMENTS, "delivery_days"))


@pytest.mark.parametrize("path", [SHIPMENTS, TSV_WITH_GAPS])
def test_missing_report_counts_empty_cells(tool_sandbox, path):
    rows = table_rows(path)
    result = tool_sandbox.ok("table_missing_report", path=path)
    assert {c["column"]: c["missing"] for c in result["columns"]} == {
        name: sum(not r[name].strip() for r in rows) for name in rows[0]}
    assert result["complete_rows"] == sum(all(v.strip() for v in r.values()) for r in rows)


def test_value_counts(tool_sandbox):
    counts = Counter(r["status"] for r in table_rows(ORDERS))
    result = tool_sandbox.ok("table_value_counts", path=ORDERS, column="STATUS", limit=2)
    assert result["distinct"] == len(counts)
    assert [(v["value"], v["count"]) for v in result["values"]] == counts.most_common(2)
    assert result["values"][0]["percent"] == approx(100 * counts.most_common(1)[0][1] / sum(counts.values()))


def test_correlation_matrix(tool_sandbox):
    rows = table_rows(ORDERS)
    quantity, total = [float(r["quantity"]) for r in rows], [float(r["total"]) for r in rows]
    result = tool_sandbox.ok("table_correlation", path=ORDERS)
    assert {"quantity", "total"} <= set(result["columns"]) and "status" not in result["columns"]
    assert result["matrix"]["quantity"]["total"] == approx(statistics.correlation(quantity, total))
    assert result["matrix"]["total"]["total"] == 1
    spearman = tool_sandbox.ok("table_correlation", path=ORDERS, method="spearman", columns=["quantity", "total"])
    ranks = [statistics.correlation(_ranks(quantity), _ranks(total))]
    assert spearman["matrix"]["quantity"]["total"] == approx(ranks[0])
    assert tool_sandbox.call("table_correlation", path=ORDERS, columns=["status", "total"]).error_kind == "tool"


def _ranks(values: list[float]) -> list[float]:
    """Average ranks (ties share the mean of their positions), the ranking Spearman's rho uses."""
    order = sorted(values)
    return [order.index(v) + (order.count(v) + 1) / 2 for v in values]


def test_histogram_bins_cover_every_value(tool_sandbox):
    totals = column(ORDERS, "total")
    result = tool_sandbox.ok("table_histogram", path=ORDERS, column="total", bins=4)
    width = (max(totals) - min(totals)) / 4
    expected = Counter(min(int((t - min(totals)) / width), 3) for t in totals)
    assert [b["count"] for b in result["bins"]] == [expected[i] for i in range(4)]
    assert result["bins"][0]["from"] == min(totals) and result["bins"][-1]["to"] == max(totals)


def test_crosstab_counts_pairs(tool_sandbox):
    rows = table_rows(ORDERS)
    pairs = Counter((r["status"], r["sales_rep"]) for r in rows)
    result = tool_sandbox.ok("table_crosstab", path=ORDERS, index="status", columns="sales_rep", totals=True)
    assert result["index"] == "status" and result["columns"][-1] == "Total"
    for row in result["rows"][:-1]:
        for rep in result["columns"][:-1]:
            assert row[rep] == pairs[(row["status"], rep)]
    assert result["rows"][-1]["Total"] == len(rows)
    shares = tool_sandbox.ok("table_crosstab", path=ORDERS, index="status", columns="sales_rep", normalize="index")
    assert all(sum(v for k, v in row.items() if k != "status") == approx(100) for row in shares["rows"])


# ---------------------------------------------------------------------------------------------------
# tables: grouping and reshaping


@pytest.mark.parametrize("function", ["sum", "mean", "max", "count", "nunique"])
def test_group_aggregate(tool_sandbox, function):
    groups: dict[str, list[float]] = defaultdict(list)
    for row in table_rows(ORDERS):
        groups[row["status"]].append(float(row["total"]))
    reduce = {"sum": sum, "mean": statistics.fmean, "max": max, "count": len,
              "nunique": lambda v: len(set(v))}[function]
    expected = sorted(((reduce(v), k) for k, v in groups.items()), key=lambda item: (-item[0], item[1]))
    result = tool_sandbox.ok("table_group_aggregate", path=ORDERS, group_by="status", value_column="total",
                             function=function)
    assert [(r["group"], r["value"]) for r in result["rows"]] == [(k, approx(v)) for v, k in expected]
    assert {r["group"]: r["rows"] for r in result["rows"]} == {k: len(v) for k, v in groups.items()}


def test_pivot_sums_by_two_keys(tool_sandbox):
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for row in table_rows(ORDERS):
        cells[(row["sales_rep"], row["status"])] += float(row["total"])
    result = tool_sandbox.ok("table_pivot", path=ORDERS, index="sales_rep", columns="status", values="total",
                             totals=True)
    assert result["columns"] == sorted({s for _, s in cells}) + ["Total"]
    for row in result["rows"][:-1]:
        for status in result["columns"][:-1]:
            assert row[status] == (approx(cells[(row["sales_rep"], status)])
                                   if (row["sales_rep"], status) in cells else None)
    assert result["rows"][-1]["Total"] == approx(sum(cells.values()))
    assert tool_sandbox.call("table_pivot", path=ORDERS, index="status", columns="status",
                             values="total").error_kind == "tool"


def test_resample_monthly_sums_and_weekly_counts(tool_sandbox):
    months: dict[str, float] = defaultdict(float)
    for row in table_rows(ORDERS):
        months[row["order_date"][:7]] += float(row["total"])
    result = tool_sandbox.ok("table_resample", path=ORDERS, date_column="order_date", value_column="total")
    assert [(r["period"], r["value"]) for r in result["rows"]] == [(m, approx(v)) for m, v in sorted(months.items())]
    path = REGIONS[-1]
    weekly = tool_sandbox.ok("table_resample", path=path, date_column="order_date", value_column="order_id",
                             period="week", function="count")
    assert sum(r["value"] for r in weekly["rows"]) == len(table_rows(path))
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d", r["period"]) for r in weekly["rows"])


def test_merge_joins_on_a_key_into_a_new_file(tool_sandbox):
    companies = {r["customer_id"]: r["company"] for r in table_rows(CUSTOMERS)}
    orders = table_rows(ORDERS)
    result = tool_sandbox.ok("table_merge", left_path=ORDERS, right_path=CUSTOMERS, on="customer_id",
                             output_path="joined/orders_customers.csv", how="left")
    merged = read_csv(tool_sandbox.root / "joined/orders_customers.csv")
    assert result["rows"] == len(merged) == len(orders)
    assert result["left_rows_matched"] == sum(o["customer_id"] in companies for o in orders)
    assert all(m["company"] == companies.get(m["customer_id"], "") for m in merged)
    outcome = tool_sandbox.call("table_merge", left_path=ORDERS, right_path=CUSTOMERS, on="customer_id",
                                output_path=ORDERS)
    assert outcome.error_kind == "tool" and "differ" in outcome.error


def test_concat_stacks_workbooks_with_a_source_column(tool_sandbox):
    paths = REGIONS[:2]
    result = tool_sandbox.ok("table_concat", paths=paths, output_path="joined/regions.csv")
    written = read_csv(tool_sandbox.root / "joined/regions.csv")
    assert result["rows"] == len(written) == sum(len(table_rows(p)) for p in paths)
    assert Counter(r["source"] for r in written) == {p: len(table_rows(p)) for p in paths}
    assert tool_sandbox.call("table_concat", paths=[ORDERS], output_path="joined/x.csv").error_kind == "tool"


def test_unpivot_turns_columns_into_rows(tool_sandbox):
    sheet = openpyxl.load_workbook(SEED / BUDGET).sheetnames[-1]
    header, *rows = sheet_values(SEED / BUDGET, sheet)
    quarters = [h for h in header if re.fullmatch(r"Q\d", str(h))]
    result = tool_sandbox.ok("table_unpivot", path=BUDGET, sheet=sheet, id_columns=[header[0]],
                             value_columns=quarters, output_path="joined/budget_long.csv", variable_name="quarter",
                             value_name="amount")
    written = read_csv(tool_sandbox.root / "joined/budget_long.csv")
    assert result["rows"] == len(written) == len(rows) * len(quarters)
    assert sum(float(r["amount"]) for r in written) == approx(sum(
        row[header.index(q)] for row in rows for q in quarters))


# ---------------------------------------------------------------------------------------------------
# tables: selecting rows


@pytest.mark.parametrize(("column_name", "operator", "value", "keep"), [
    ("total", ">", "5000", lambda r: float(r["total"]) > 5000),
    ("sku", "contains", "bpk", lambda r: "BPK" in r["sku"]),
    ("status", "in", "pending, shipped", lambda r: r["status"] in ("pending", "shipped")),
    ("order_date", "<", "2024-02-01", lambda r: r["order_date"] < "2024-02-01"),
    ("sales_rep", "!=", "E001", lambda r: r["sales_rep"] != "E001"),
])
def test_filter_operators(tool_sandbox, column_name, operator, value, keep):
    expected = [r["order_id"] for r in table_rows(ORDERS) if keep(r)]
    result = tool_sandbox.ok("table_filter", path=ORDERS, column=column_name, operator=operator, value=value, limit=500)
    assert result["total_rows"] == len(expected) and [r["order_id"] for r in result["rows"]] == expected


def test_filter_compares_workbook_dates_as_dates_and_saves(tool_sandbox):
    path = REGIONS[0]
    expected = [r for r in table_rows(path) if r["order_date"].date().isoformat() >= "2024-04-01"]
    result = tool_sandbox.ok("table_filter", path=path, column="order_date", operator=">=", value="2024-04-01",
                             limit=1, output_path="filtered/april_on.xlsx")
    assert result["total_rows"] == len(expected) and len(result["rows"]) == min(1, len(expected))
    assert len(sheet_values(tool_sandbox.root / "filtered/april_on.xlsx")) == len(expected) + 1


def test_count_where_and_empty_cells(tool_sandbox):
    rows = table_rows(ORDERS)
    delivered = sum(r["status"] == "delivered" for r in rows)
    result = tool_sandbox.ok("table_count_where", path=ORDERS, column="status", operator="==", value="delivered")
    assert result == {"count": delivered, "total_rows": len(rows), "percent": approx(100 * delivered / len(rows))}
    gaps = sum(not r["delivery_days"] for r in table_rows(SHIPMENTS))
    empty = tool_sandbox.ok("table_count_where", path=SHIPMENTS, column="delivery_days", operator="is_empty")
    assert empty["count"] == gaps


def test_date_filter_includes_both_ends(tool_sandbox):
    expected = [r["order_id"] for r in table_rows(ORDERS) if "2024-03-01" <= r["order_date"] <= "2024-03-31"]
    result = tool_sandbox.ok("table_date_filter", path=ORDERS, date_column="order_date", start="2024-03-01",
                             end="2024-03-31", limit=500)
    assert [r["order_id"] for r in result["rows"]] == expected
    for arguments in ({"start": "2024-04-01", "end": "2024-03-01"}, {"start": "someday"}, {},
                      {"start": "2024-01-01", "date_column": "status"}):
        outcome = tool_sandbox.call("table_date_filter", **{"path": ORDERS, "date_column": "order_date", **arguments})
        assert outcome.error_kind == "tool", arguments


def test_sort_and_top_n(tool_sandbox):
    rows = sorted(table_rows(ORDERS), key=lambda r: -float(r["total"]))
    result = tool_sandbox.ok("table_sort", path=ORDERS, column="total", descending=True, limit=3,
                             output_path="sorted/orders_by_total.csv")
    assert [r["order_id"] for r in result["rows"]] == [r["order_id"] for r in rows[:3]]
    assert read_csv(tool_sandbox.root / "sorted/orders_by_total.csv")[-1]["order_id"] == rows[-1]["order_id"]
    top = tool_sandbox.ok("table_top_n", path=ORDERS, column="total", n=2, group_by="status")
    expected = [r["order_id"] for status in sorted({r["status"] for r in rows})
                for r in [r for r in rows if r["status"] == status][:2]]
    assert [r["order_id"] for r in top["rows"]] == expected
    smallest = tool_sandbox.ok("table_top_n", path=ORDERS, column="total", n=1, smallest=True)
    assert smallest["rows"][0]["total"] == min(float(r["total"]) for r in rows)


def test_sample_is_reproducible(tool_sandbox):
    ids = {r["order_id"] for r in table_rows(ORDERS)}
    first = tool_sandbox.ok("table_sample", path=ORDERS, n=4, seed=11)
    assert first == tool_sandbox.ok("table_sample", path=ORDERS, n=4, seed=11)
    assert first["rows"] != tool_sandbox.ok("table_sample", path=ORDERS, n=4, seed=12)["rows"]
    assert len({r["order_id"] for r in first["rows"]}) == 4 and {r["order_id"] for r in first["rows"]} <= ids


def test_drop_duplicates(tool_sandbox):
    rows = table_rows(ORDERS)
    result = tool_sandbox.ok("table_drop_duplicates", path=ORDERS, output_path="clean/first_orders.csv",
                             subset=["customer_id"])
    written = read_csv(tool_sandbox.root / "clean/first_orders.csv")
    firsts = list({r["customer_id"]: r["order_id"] for r in reversed(rows)}.values())
    assert result["rows_after"] == len(written) == len({r["customer_id"] for r in rows})
    assert sorted(r["order_id"] for r in written) == sorted(firsts)
    alone = tool_sandbox.ok("table_drop_duplicates", path=ORDERS, output_path="clean/single.csv",
                            subset=["customer_id"], keep="none")
    counts = Counter(r["customer_id"] for r in rows)
    assert alone["rows_after"] == sum(c == 1 for c in counts.values())


# ---------------------------------------------------------------------------------------------------
# tables: deriving columns


def test_select_and_rename_columns(tool_sandbox):
    result = tool_sandbox.ok("table_select_columns", path=ORDERS, columns=["total", "order_id"],
                             output_path="derived/ids.tsv")
    written = read_csv(tool_sandbox.root / "derived/ids.tsv")
    assert result["columns"] == list(written[0]) == ["total", "order_id"] and len(written) == len(table_rows(ORDERS))
    renamed = tool_sandbox.ok("table_rename_columns", path=ORDERS, mapping={"total": "amount", "STATUS": "state"},
                              output_path="derived/renamed.csv")
    assert renamed["columns"] == list(read_csv(tool_sandbox.root / "derived/renamed.csv")[0])
    assert "amount" in renamed["columns"] and "state" in renamed["columns"]
    outcome = tool_sandbox.call("table_rename_columns", path=ORDERS, mapping={"total": "status"},
                                output_path="derived/bad.csv")
    assert outcome.error_kind == "tool"


def test_add_computed_column(tool_sandbox):
    rows = table_rows(ORDERS)
    result = tool_sandbox.ok("table_add_computed_column", path=ORDERS, new_column="gross", left="quantity",
                             operator="*", right="unit_price", output_path="derived/gross.xlsx")
    written = sheet_values(tool_sandbox.root / "derived/gross.xlsx")
    gross = written[0].index("gross")
    assert [row[gross] for row in written[1:]] == [approx(float(r["quantity"]) * float(r["unit_price"])) for r in rows]
    assert result["first_values"] == [approx(float(r["quantity"]) * float(r["unit_price"])) for r in rows[:5]]
    scaled = tool_sandbox.ok("table_add_computed_column", path=ORDERS, new_column="with_tax", left="total",
                             operator="/", right="0.5", output_path="derived/tax.csv", decimals=2)
    assert scaled["first_values"][0] == approx(round(float(rows[0]["total"]) * 2, 2))
    outcome = tool_sandbox.call("table_add_computed_column", path=ORDERS, new_column="x", left="total", operator="*",
                                right="status", output_path="derived/x.csv")
    assert outcome.error_kind == "tool" and "not numeric" in outcome.error


def test_fill_missing(tool_sandbox):
    days = column(SHIPMENTS, "delivery_days")
    result = tool_sandbox.ok("table_fill_missing", path=SHIPMENTS, output_path="clean/shipments.csv",
                             strategy="median")
    written = read_csv(tool_sandbox.root / "clean/shipments.csv")
    gaps = len(table_rows(SHIPMENTS)) - len(days)
    assert result["filled"] == {"delivery_days": gaps} and result["still_missing"] == 0
    assert Counter(r["delivery_days"] for r in written)[f"{statistics.median(days):g}"] >= gaps
    assert all(re.fullmatch(r"\d+", r["delivery_days"]) for r in written)  # whole numbers stay whole
    outcome = tool_sandbox.call("table_fill_missing", path=SHIPMENTS, output_path="clean/x.csv", strategy="mean",
                                columns=["carrier"])
    assert outcome.error_kind == "tool"
    text = tool_sandbox.ok("table_fill_missing", path=TSV_WITH_GAPS, output_path="clean/gaps.tsv", value="0")
    assert text["still_missing"] == 0


def test_rank(tool_sandbox):
    totals = sorted(column(ORDERS, "total"), reverse=True)
    result = tool_sandbox.ok("table_rank", path=ORDERS, column="total", limit=3)
    assert [(r["total"], r["total_rank"]) for r in result["rows"]] == [(approx(t), i + 1) for i, t in
                                                                       enumerate(totals[:3])]
    dense = tool_sandbox.ok("table_rank", path=ORDERS, column="discount_pct", method="dense", descending=False,
                            limit=500)
    levels = sorted(set(column(ORDERS, "discount_pct")))
    assert {(r["discount_pct"], r["discount_pct_rank"]) for r in dense["rows"]} == {
        (v, i + 1) for i, v in enumerate(levels)}  # whole percentages: exact


def test_pct_change_and_cumulative_sum(tool_sandbox):
    totals = column(ORDERS, "total")
    change = tool_sandbox.ok("table_pct_change", path=ORDERS, column="total", limit=3)
    assert [r["total_pct_change"] for r in change["rows"]] == [None, *(
        approx((b / a - 1) * 100) for a, b in zip(totals[:2], totals[1:3], strict=True))]
    running = tool_sandbox.ok("table_cumulative_sum", path=ORDERS, column="total", limit=500,
                              output_path="derived/running.csv")
    assert running["rows"][-1]["total_cumsum"] == approx(sum(totals))
    grouped = tool_sandbox.ok("table_cumulative_sum", path=ORDERS, column="total", group_by="status", limit=500)
    last_per_status = {r["status"]: r["total_cumsum"] for r in grouped["rows"]}
    assert last_per_status == {s: approx(sum(float(r["total"]) for r in table_rows(ORDERS) if r["status"] == s))
                               for s in last_per_status}
    dated = tool_sandbox.ok("table_pct_change", path=REGIONS[0], column="total", sort_by="order_date", limit=500)
    dates = [r["order_date"] for r in dated["rows"]]
    assert dates == sorted(dates)


# ---------------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(("tool", "arguments"), [
    ("table_describe", {"path": "no/such.csv"}),
    ("table_describe", {"path": "sales"}),
    ("table_describe", {"path": ORDERS, "sheet": "Orders"}),
    ("table_value_counts", {"path": ORDERS, "column": "colour"}),
    ("table_filter", {"path": ORDERS, "column": "total", "operator": ">", "value": "lots"}),
    ("table_filter", {"path": ORDERS, "column": "total", "operator": "~", "value": "1"}),
    ("table_group_aggregate", {"path": ORDERS, "group_by": "status", "value_column": "sku", "function": "sum"}),
    ("table_select_columns", {"path": ORDERS, "columns": ["total"], "output_path": "derived/out.txt"}),
    ("table_select_columns", {"path": ORDERS, "columns": "total", "output_path": "derived/out.csv"}),
    ("table_sample", {"path": ORDERS, "n": 0}),
    ("xlsx_list_sheets", {"path": ORDERS}),
    ("xlsx_read_range", {"path": BUDGET, "cell_range": "A1:B2:C3"}),
    ("xlsx_read_range", {"path": BUDGET, "cell_range": "A900:B901"}),
    ("xlsx_rename_sheet", {"path": BUDGET, "sheet": "Nope", "new_name": "X"}),
    ("xlsx_sheet_to_csv", {"path": "../outside.xlsx", "output_path": "x.csv"}),
])
def test_caller_mistakes_are_tool_errors(tool_sandbox, tool, arguments):
    outcome = tool_sandbox.call(tool, **arguments)
    assert not outcome.ok and outcome.error_kind == "tool" and outcome.error, outcome


def test_a_file_that_is_not_a_workbook_is_reported(tool_sandbox):
    (tool_sandbox.root / "broken.xlsx").write_text("not a zip", encoding="utf-8")
    for tool in ("xlsx_list_sheets", "table_describe"):
        outcome = tool_sandbox.call(tool, path="broken.xlsx")
        assert outcome.error_kind == "tool" and "not a readable xlsx workbook" in outcome.error


# ---------------------------------------------------------------------------------------------------
# simulator requests: every wording, grounded on every fitting seed file, reads back and runs


def test_every_spreadsheet_request_runs_on_every_fitting_file(tool_sandbox):
    registry = ToolRegistry.load()
    views = [FileView(info) for info in Environment(SEED).infos.values()]
    ran = Counter()
    for intent in INTENTS:
        rng = Random(1)
        for view in views:
            if intent.kinds and view.kind not in intent.kinds or (args := intent.ground(view, rng)) is None:
                continue
            args = {**intent.fixed, **args}
            clauses = parse_request(f"Could you please {render(intent.template, args)}?")
            assert len(clauses) == 1 and clauses[0].source is intent
            call = typed(clauses[0].args, registry[intent.tool].parameters)
            outcome = tool_sandbox.call(intent.tool, **call)
            assert outcome.ok, f"{intent.tool}({call}) on {view.path}: {outcome.error}"
            if intent.writes:  # the next request sees the seed file as a new dialogue would
                shutil.copy(SEED / view.path, tool_sandbox.root / view.path)
            ran[intent.tool] += 1
    assert set(ran) == {intent.tool for intent in INTENTS}
    assert len(ran) >= 45 / 3
