"""The chart tools, run in a real sandbox worker on a copy of the seed tree.

Every chart is opened with Pillow (size, not blank). The numbers a tool reports are recomputed
independently with the csv, statistics and openpyxl modules from the same files; a workbook built
here pins down sheet choice and real Excel dates.
"""

from __future__ import annotations

import csv
import hashlib
import math
import statistics
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from tool_checks import VIEWS, assert_described, assert_reads_back, grounded_calls

from fcgraph.simulator.intents import visualisation as chart_intents
from fcgraph.tools.builtin import visualisation
from fcgraph.tools.discovery import tool_functions

TOOLS = sorted(tool_functions(visualisation))
SIZE = (800, 500)
ORDERS, EXPENSES, EMPLOYEES = "sales/orders_2024.csv", "finance/expenses_2024.csv", "hr/employees.csv"
CAMPAIGNS, SHIPMENTS = "marketing/campaigns.csv", "operations/shipments.csv"
WORKBOOK = "charts_test/regional.xlsx"


def rows(root: Path, path: str) -> list[dict[str, str]]:
    with (root / path).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle, delimiter="\t" if path.endswith(".tsv") else ","))


def sums(table: list[dict[str, str]], key: str, value: str) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for row in table:
        if row[value].strip():
            totals[row[key]] += float(row[value])
    return dict(totals)


def close(a: float | None, b: float, rel: float = 1e-5) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=rel, abs_tol=1e-6)


def chart(root: Path, result: dict[str, Any]) -> Image.Image:
    """The written PNG: the reported size, drawn on (many colours, not one flat fill)."""
    image = Image.open(root / result["path"])
    assert image.format == "PNG" and image.size == SIZE == (result["width"], result["height"])
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20
    return image


@pytest.fixture(scope="module")
def workbook(tool_sandbox) -> Path:
    """A workbook whose first sheet has no numbers, so every tool must honour `sheet`."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["Note"])
    book.active.append(["Figures are in the Monthly sheet"])
    sheet = book.create_sheet("Monthly")
    sheet.append(["Month", "Region", "Units", "Revenue"])
    data = [(datetime(2024, 1, 5), "North", 10, 1500.5), (datetime(2024, 1, 20), "South", 4, 610.0),
            (datetime(2024, 3, 2), "North", 7, 990.25), (datetime(2024, 4, 11), "South", 12, 2010.0),
            (datetime(2024, 4, 28), "North", 3, 450.0)]
    for row in data:
        sheet.append(list(row))
    path = tool_sandbox.root / WORKBOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


# ---------------------------------------------------------------- schemas
@pytest.mark.parametrize("name", TOOLS)
def test_every_parameter_is_described(name):
    assert_described(visualisation, "visualisation", [name])


def test_the_category_has_fifteen_plot_tools():
    assert len(TOOLS) == 15 and all(name.startswith("plot_") for name in TOOLS)
    assert visualisation.CATEGORY == "visualisation"


# ---------------------------------------------------------------- bars
def test_bar_chart_sums_a_column_per_category(tool_sandbox):
    result = tool_sandbox.ok("plot_bar_chart", path=EXPENSES, category_column="department", value_column="amount",
                             output_path="charts/expenses_by_department.png")
    expected = sums(rows(tool_sandbox.root, EXPENSES), "department", "amount")
    assert result["path"] == "charts/expenses_by_department.png" and result["bars"] == len(expected)
    assert [label for label, _ in result["data"]] == list(expected)  # order of first appearance
    assert all(close(value, expected[label]) for label, value in result["data"])
    assert result["title"] == "Sum of amount by department"
    chart(tool_sandbox.root, result)


def test_bar_chart_counts_rows_without_a_value_column_and_sorts(tool_sandbox):
    result = tool_sandbox.ok("plot_bar_chart", path=EMPLOYEES, category_column="Department", descending=True, limit=3)
    counts = Counter(row["department"] for row in rows(tool_sandbox.root, EMPLOYEES))
    assert result["path"] == "hr/employees_bar.png"  # default name next to the data
    assert [value for _, value in result["data"]] == sorted(counts.values(), reverse=True)[:3]
    assert result["bars"] == 3 and result["categories"] == len(counts)
    chart(tool_sandbox.root, result)


@pytest.mark.parametrize("aggregate", ["mean", "median", "min", "max"])
def test_bar_chart_aggregates(tool_sandbox, aggregate):
    result = tool_sandbox.ok("plot_bar_chart", path=EMPLOYEES, category_column="department", value_column="salary",
                             aggregate=aggregate, output_path=f"charts/salary_{aggregate}.png")
    groups: dict[str, list[float]] = defaultdict(list)
    for row in rows(tool_sandbox.root, EMPLOYEES):
        groups[row["department"]].append(float(row["salary"]))
    function = {"mean": statistics.fmean, "median": statistics.median, "min": min, "max": max}[aggregate]
    assert all(close(value, function(groups[label])) for label, value in result["data"])


def test_horizontal_bar_chart_reads_the_named_sheet(tool_sandbox, workbook):
    result = tool_sandbox.ok("plot_horizontal_bar_chart", path=WORKBOOK, sheet="monthly", category_column="Region",
                             value_column="Revenue")
    assert result["path"] == "charts_test/regional_barh.png"
    assert result["data"] == [["North", 2940.75], ["South", 2620]]  # descending by default
    chart(tool_sandbox.root, result)


def test_stacked_bar_chart_counts_each_pair(tool_sandbox):
    result = tool_sandbox.ok("plot_stacked_bar_chart", path=SHIPMENTS, category_column="carrier",
                             stack_column="warehouse", output_path="charts/shipments_stacked.png")
    table = rows(tool_sandbox.root, SHIPMENTS)
    pairs = Counter((row["carrier"], row["warehouse"]) for row in table)
    assert result["segments"] == list(dict.fromkeys(row["warehouse"] for row in table))
    for entry in result["data"]:
        for stack in result["segments"]:
            assert (entry[stack] or 0) == pairs[(entry["category"], stack)]
    chart(tool_sandbox.root, result)


def test_grouped_bar_chart_puts_columns_side_by_side(tool_sandbox):
    result = tool_sandbox.ok("plot_grouped_bar_chart", path=CAMPAIGNS, category_column="channel",
                             value_columns=["budget", "spend"], output_path="charts/campaigns_grouped.png")
    table = rows(tool_sandbox.root, CAMPAIGNS)
    budget, spend = sums(table, "channel", "budget"), sums(table, "channel", "spend")
    assert result["categories"] == len(budget) and result["bars"] == 2 * len(budget)
    for entry in result["data"]:
        assert close(entry["budget"], budget[entry["category"]]) and close(entry["spend"], spend[entry["category"]])
    chart(tool_sandbox.root, result)


def test_pareto_chart_finds_the_categories_behind_80_percent(tool_sandbox):
    result = tool_sandbox.ok("plot_pareto_chart", path=EXPENSES, category_column="vendor", value_column="amount",
                             limit=5, output_path="charts/vendors_pareto.png")
    totals = sorted(sums(rows(tool_sandbox.root, EXPENSES), "vendor", "amount").items(), key=lambda kv: -kv[1])
    whole, running, vital = sum(v for _, v in totals), 0.0, []
    for vendor, value in totals:
        if running / whole * 100 >= 80:
            break
        vital.append(vendor)
        running += value
    assert result["top_80_percent"] == vital
    assert result["bars"] == 5 and result["categories"] == len(totals)
    assert close(result["data"][0][2], totals[0][1] / whole * 100, rel=1e-4)
    chart(tool_sandbox.root, result)


def test_pie_chart_shares_add_up_and_merge_the_rest(tool_sandbox):
    result = tool_sandbox.ok("plot_pie_chart", path=EXPENSES, category_column="category", value_column="amount",
                             limit=3, output_path="charts/expense_categories.png")
    totals = sorted(sums(rows(tool_sandbox.root, EXPENSES), "category", "amount").values(), reverse=True)
    slices = result["slices"]
    assert [s["category"] for s in slices][-1] == "Other" and len(slices) == 3
    assert close(slices[0]["value"], totals[0]) and close(slices[-1]["value"], sum(totals[2:]))
    assert abs(sum(s["percent"] for s in slices) - 100) < 0.05
    chart(tool_sandbox.root, result)


# ---------------------------------------------------------------- lines and areas
def test_line_chart_draws_every_row_sorted_by_date(tool_sandbox):
    result = tool_sandbox.ok("plot_line_chart", path=ORDERS, x_column="order_date", y_columns=["total", "quantity"],
                             output_path="charts/orders_line.png")
    assert result["points"] == len(rows(tool_sandbox.root, ORDERS)) and result["series"] == ["total", "quantity"]
    chart(tool_sandbox.root, result)


def test_cumulative_line_ends_at_the_column_total(tool_sandbox):
    result = tool_sandbox.ok("plot_cumulative_line", path=ORDERS, x_column="order_date", value_column="total",
                             output_path="charts/orders_cumulative.png")
    table = rows(tool_sandbox.root, ORDERS)
    assert close(result["total"], math.fsum(float(r["total"]) for r in table)) and result["points"] == len(table)
    chart(tool_sandbox.root, result)


def test_area_chart_stacks_the_last_row(tool_sandbox, workbook):
    result = tool_sandbox.ok("plot_area_chart", path=WORKBOOK, sheet="Monthly", x_column="Month",
                             y_columns=["Units", "Revenue"])
    assert result["final_total"] == 453 and result["points"] == 5  # the latest month: 3 units + 450.0
    chart(tool_sandbox.root, result)


def test_monthly_trend_fills_empty_months_from_real_excel_dates(tool_sandbox, workbook):
    result = tool_sandbox.ok("plot_monthly_trend", path=WORKBOOK, sheet="Monthly", date_column="Month",
                             value_column="Units", chart="bar")
    assert result["months"] == [["2024-01", 14], ["2024-02", 0], ["2024-03", 7], ["2024-04", 15]]
    chart(tool_sandbox.root, result)


def test_monthly_trend_of_a_csv_matches_month_sums(tool_sandbox):
    result = tool_sandbox.ok("plot_monthly_trend", path=ORDERS, date_column="order_date", value_column="total",
                             output_path="charts/orders_monthly.png")
    months: dict[str, float] = defaultdict(float)
    for row in rows(tool_sandbox.root, ORDERS):
        months[row["order_date"][:7]] += float(row["total"])
    assert [m for m, _ in result["months"]] == sorted(months)
    assert all(close(value, months[month]) for month, value in result["months"])


# ---------------------------------------------------------------- distributions
def test_scatter_plot_trend_line_is_the_least_squares_fit(tool_sandbox):
    result = tool_sandbox.ok("plot_scatter_plot", path=ORDERS, x_column="quantity", y_column="total",
                             trend_line=True, output_path="charts/orders_scatter.png")
    table = rows(tool_sandbox.root, ORDERS)
    x, y = [float(r["quantity"]) for r in table], [float(r["total"]) for r in table]
    fit = statistics.linear_regression(x, y)
    assert result["points"] == len(x)
    assert close(result["slope"], fit.slope) and close(result["intercept"], fit.intercept, rel=1e-4)
    assert close(result["r"], statistics.correlation(x, y))
    chart(tool_sandbox.root, result)


def test_histogram_bins_cover_every_value(tool_sandbox):
    result = tool_sandbox.ok("plot_histogram", path=EMPLOYEES, column="salary", bins=4)
    values = [float(r["salary"]) for r in rows(tool_sandbox.root, EMPLOYEES)]
    low, high = min(values), max(values)
    width = (high - low) / 4
    expected = Counter(min(int((v - low) / width), 3) for v in values)
    assert result["counts"] == [expected[i] for i in range(4)]
    assert result["edges"][0] == low and result["edges"][-1] == high and result["path"] == "hr/employees_histogram.png"
    chart(tool_sandbox.root, result)


def test_box_plot_reports_quartiles_per_group(tool_sandbox):
    result = tool_sandbox.ok("plot_box_plot", path=EMPLOYEES, value_column="salary", group_column="department",
                             output_path="charts/salary_box.png")
    groups: dict[str, list[float]] = defaultdict(list)
    for row in rows(tool_sandbox.root, EMPLOYEES):
        groups[row["department"]].append(float(row["salary"]))
    assert [g["group"] for g in result["groups"]] == list(groups)
    for entry in result["groups"]:
        data = groups[entry["group"]]
        q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive") if len(data) > 1 else [data[0]] * 3
        assert entry["count"] == len(data) and close(entry["median"], median)
        assert close(entry["q1"], q1) and close(entry["q3"], q3) and entry["min"] == min(data)
    chart(tool_sandbox.root, result)


def test_correlation_heatmap_picks_the_numeric_columns(tool_sandbox):
    result = tool_sandbox.ok("plot_correlation_heatmap", path=ORDERS, output_path="charts/orders_heatmap.png")
    table = rows(tool_sandbox.root, ORDERS)

    def numeric(column: str) -> bool:
        try:
            return all(math.isfinite(float(r[column])) for r in table if r[column].strip())
        except ValueError:
            return False

    assert result["columns"] == [c for c in table[0] if numeric(c)]
    a, b = result["columns"][:2]
    expected = statistics.correlation([float(r[a]) for r in table], [float(r[b]) for r in table])
    assert close(result["matrix"][a][b], expected)
    assert result["matrix"][a][a] == 1
    chart(tool_sandbox.root, result)


def test_spearman_heatmap_of_chosen_columns(tool_sandbox, workbook):
    result = tool_sandbox.ok("plot_correlation_heatmap", path=WORKBOOK, sheet="Monthly", columns=["Units", "Revenue"],
                             method="spearman")
    assert result["matrix"]["Units"]["Revenue"] == 1  # the two columns rise and fall in the same order


# ---------------------------------------------------------------- explicit values, output, determinism
@pytest.mark.parametrize("kind", ["bar", "horizontal_bar", "line", "pie"])
def test_chart_from_explicit_values(tool_sandbox, kind):
    result = tool_sandbox.ok("plot_from_values", labels=["Q1", "Q2", "Q3"], values=[120.5, 98, 143],
                             output_path=f"reports/quoted_{kind}.png", chart=kind, title="Quarterly revenue")
    assert result["points"] == 3 and result["title"] == "Quarterly revenue"
    chart(tool_sandbox.root, result)


def test_the_same_data_gives_the_same_png_bytes(tool_sandbox):
    digests = set()
    for name in ("charts/same_a.png", "charts/same_b.png"):
        tool_sandbox.ok("plot_bar_chart", path=CAMPAIGNS, category_column="channel", value_column="spend",
                        output_path=name)
        digests.add(hashlib.sha256((tool_sandbox.root / name).read_bytes()).hexdigest())
    assert len(digests) == 1


@pytest.mark.parametrize(("tool", "arguments", "message"), [
    ("plot_bar_chart", {"path": "missing.csv", "category_column": "a"}, "no such file"),
    ("plot_bar_chart", {"path": EXPENSES, "category_column": "nope"}, "column 'nope' not found"),
    ("plot_bar_chart", {"path": EXPENSES, "category_column": "department", "value_column": "vendor"}, "no numeric"),
    ("plot_bar_chart", {"path": EXPENSES, "category_column": "department", "output_path": "a.jpg"}, "must end in .png"),
    ("plot_bar_chart", {"path": "sales/products.json", "category_column": "a"}, "not a CSV, TSV or Excel"),
    ("plot_line_chart", {"path": WORKBOOK, "sheet": "Yearly", "x_column": "Month", "y_columns": ["Units"]},
     "sheet 'Yearly' not found"),
    ("plot_histogram", {"path": EMPLOYEES, "column": "salary", "bins": 0}, "'bins'"),
    ("plot_monthly_trend", {"path": EXPENSES, "date_column": "vendor"}, "no dates"),
    ("plot_correlation_heatmap", {"path": EMPLOYEES}, "2 to 15 numeric columns"),
    ("plot_from_values", {"labels": ["a"], "values": [1, 2], "output_path": "x.png"}, "same length"),
    ("plot_from_values", {"labels": ["a", "b"], "values": [1, -2], "output_path": "x.png", "chart": "pie"},
     "non-negative"),
    ("plot_bar_chart", {"path": EXPENSES, "category_column": "department", "output_path": "../outside.png"},
     "outside the working directory"),
])
def test_caller_mistakes_are_tool_errors(tool_sandbox, workbook, tool, arguments, message):
    outcome = tool_sandbox.call(tool, **arguments)
    assert not outcome.ok and outcome.error_kind == "tool" and message in outcome.error


# ---------------------------------------------------------------- simulator requests
def test_every_chart_request_reads_back_and_succeeds_on_the_seed_files(tool_sandbox):
    """Each intent grounded on every fitting seed file reads back as exactly its call, and that call succeeds."""
    for intent in chart_intents.INTENTS:
        calls = grounded_calls(intent, 7, fresh=True, views=None if intent.kinds else VIEWS[:3])  # no file: any 3
        for args in calls:
            assert_reads_back(intent, args)
            result = tool_sandbox.ok(intent.tool, **args)
            assert (tool_sandbox.root / result["path"]).is_file()
        assert calls, f"no seed file grounds {intent.template!r}"
