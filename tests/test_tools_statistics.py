"""The statistics tools, run in a real sandbox worker on a copy of the seed tree.

Expected values are computed here from the same files with other means: the csv module and
openpyxl to read, the `statistics` module, textbook formulas and numpy least squares to compute.
Files are found by name, since the seed tree's folders may be reorganised.
"""

from __future__ import annotations

import csv
import math
import statistics
from collections import Counter, defaultdict
from datetime import date

import numpy as np
import openpyxl
import pytest
from scipy import stats as scipy_stats
from tool_checks import assert_tested_and_described, first_time, grounded_calls

from fcgraph.config import DEFAULT_FILE_SYSTEM
from fcgraph.simulator.intents import statistics as statistics_intents
from fcgraph.tools.builtin import statistics as statistics_tools
from fcgraph.tools.discovery import tool_functions


def seed(name: str) -> str:
    """A seed file's relative path, found by its name wherever it lives in the tree."""
    return next(DEFAULT_FILE_SYSTEM.rglob(name)).relative_to(DEFAULT_FILE_SYSTEM).as_posix()


ORDERS, EMPLOYEES, SHIPMENTS = seed("orders_2024.csv"), seed("employees.csv"), seed("shipments.csv")
EXPENSES, LEDGER, DIRECTORY = seed("expenses_2024.csv"), seed("general_ledger_2024-06.tsv"), seed("employee_directory.xlsx")
STOCK = seed("stock_count_2024-06-24.tsv")


def rows(path: str) -> list[dict[str, str]]:
    with (DEFAULT_FILE_SYSTEM / path).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t" if path.endswith(".tsv") else ","))


def numbers(path: str, column: str) -> list[float]:
    return [float(r[column]) for r in rows(path) if r[column].strip()]


def groups(path: str, value: str, group: str) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    for r in rows(path):
        if r[value].strip() and r[group].strip():
            found[r[group]].append(float(r[value]))
    return found


def close(value: float) -> object:
    return pytest.approx(value, rel=1e-6, abs=1e-9)


# ---------------------------------------------------------------- descriptive
def test_describe_matches_the_statistics_module(tool_sandbox):
    values = numbers(ORDERS, "total")
    result = tool_sandbox.ok("stats_describe", path=ORDERS, column="total")
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert result["count"] == len(values) and result["missing"] == 0
    for key, expected in {"mean": statistics.fmean(values), "std": statistics.stdev(values),
                          "variance": statistics.variance(values), "min": min(values), "max": max(values),
                          "q1": q1, "median": median, "q3": q3, "sum": math.fsum(values),
                          "sem": statistics.stdev(values) / math.sqrt(len(values))}.items():
        assert result[key] == close(expected), key


def test_describe_counts_empty_cells_of_a_tsv_as_missing(tool_sandbox):
    cells = [r["debit"] for r in rows(LEDGER)]
    result = tool_sandbox.ok("stats_describe", path=LEDGER, column="DEBIT")  # column names fold case
    assert result["column"] == "debit" and result["missing"] == sum(not c.strip() for c in cells)
    assert result["sum"] == close(math.fsum(float(c) for c in cells if c.strip()))


def test_describe_reads_a_named_worksheet(tool_sandbox):
    workbook = openpyxl.load_workbook(DEFAULT_FILE_SYSTEM / DIRECTORY, read_only=True)
    sheet_rows = list(workbook.worksheets[1].iter_rows(values_only=True))
    numeric = next(i for i, v in enumerate(sheet_rows[1]) if isinstance(v, int | float))
    values = [row[numeric] for row in sheet_rows[1:] if row[numeric] is not None]
    result = tool_sandbox.ok("stats_describe", path=DIRECTORY, column=sheet_rows[0][numeric],
                             sheet=workbook.sheetnames[1])
    assert result["count"] == len(values) and result["sum"] == close(sum(values))


def test_percentiles_use_linear_interpolation(tool_sandbox):
    values = numbers(ORDERS, "total")
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    result = tool_sandbox.ok("stats_percentiles", path=ORDERS, column="total", percentiles=[10, 50, 90])
    assert [p["value"] for p in result["percentiles"]] == [close(cuts[9]), close(cuts[49]), close(cuts[89])]


def test_zscore_outliers_rank_rows_by_distance_from_the_mean(tool_sandbox):
    table = rows(ORDERS)
    values = [float(r["total"]) for r in table]
    mean, std = statistics.fmean(values), statistics.stdev(values)
    ranked = sorted(range(len(values)), key=lambda i: -abs(values[i] - mean) / std)
    result = tool_sandbox.ok("stats_zscore_outliers", path=ORDERS, column="total", threshold=2.5, limit=4)
    assert [r["label"] for r in result["rows"]] == [table[i]["order_id"] for i in ranked[:4]]
    assert [r["row"] for r in result["rows"]] == [i + 1 for i in ranked[:4]]
    assert result["outliers"] == sum(abs(v - mean) / std >= 2.5 for v in values)
    assert result["rows"][0]["z"] == close((values[ranked[0]] - mean) / std)


def test_iqr_outliers_use_tukey_fences(tool_sandbox):
    table = rows(EXPENSES)
    values = [float(r["amount"]) for r in table]
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    high = q3 + 1.5 * (q3 - q1)
    result = tool_sandbox.ok("stats_iqr_outliers", path=EXPENSES, column="amount", label_column="expense_id")
    assert result["upper_fence"] == close(high)
    assert sorted(r["label"] for r in result["rows"]) == sorted(r["expense_id"] for r in table if float(r["amount"]) > high)


def test_histogram_counts_every_value_once(tool_sandbox):
    values = numbers(SHIPMENTS, "delivery_days")
    result = tool_sandbox.ok("stats_histogram", path=SHIPMENTS, column="delivery_days", bins=5)
    low, width = min(values), (max(values) - min(values)) / 5
    expected = Counter(min(int((v - low) / width), 4) for v in values)
    assert [b["count"] for b in result["bins"]] == [expected[i] for i in range(5)]
    assert result["bins"][0]["from"] == low and result["bins"][-1]["to"] == max(values)


def test_mode_and_frequency_table(tool_sandbox):
    counts = Counter(r["carrier"] for r in rows(SHIPMENTS) if r["carrier"])
    top = max(counts.values())
    mode = tool_sandbox.ok("stats_mode", path=SHIPMENTS, column="carrier")
    assert mode["modes"] == sorted(k for k, v in counts.items() if v == top) and mode["frequency"] == top
    table = tool_sandbox.ok("stats_frequency_table", path=ORDERS, column="status")
    status = Counter(r["status"] for r in rows(ORDERS))
    assert [(v["value"], v["count"]) for v in table["values"]] == sorted(status.items(), key=lambda i: (-i[1], i[0]))
    assert table["values"][-1]["cumulative_percent"] == close(100)


def test_shape_and_spread_measures(tool_sandbox):
    values = np.array(numbers(EMPLOYEES, "salary"))
    n, mean = len(values), values.mean()
    m2, m3, m4 = (((values - mean) ** k).mean() for k in (2, 3, 4))
    g1 = m3 / m2 ** 1.5 * math.sqrt(n * (n - 1)) / (n - 2)
    g2 = ((n + 1) * (m4 / m2 ** 2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    shape = tool_sandbox.ok("stats_skew_kurtosis", path=EMPLOYEES, column="salary")
    assert shape["skewness"] == close(g1) and shape["excess_kurtosis"] == close(g2)
    cv = tool_sandbox.ok("stats_coefficient_of_variation", path=EMPLOYEES, column="salary")
    assert cv["cv"] == close(statistics.stdev(values) / statistics.fmean(values))


def test_weighted_mean(tool_sandbox):
    table = rows(ORDERS)
    weights = [float(r["quantity"]) for r in table]
    expected = sum(float(r["unit_price"]) * w for r, w in zip(table, weights)) / sum(weights)
    result = tool_sandbox.ok("stats_weighted_mean", path=ORDERS, value_column="unit_price", weight_column="quantity")
    assert result["weighted_mean"] == close(expected) and result["total_weight"] == close(sum(weights))


def test_group_summary(tool_sandbox):
    expected = groups(EMPLOYEES, "salary", "department")
    result = tool_sandbox.ok("stats_group_summary", path=EMPLOYEES, value_column="salary", group_column="department")
    assert [g["group"] for g in result] == sorted(expected)
    for group in result:
        values = expected[group["group"]]
        assert group["n"] == len(values) and group["sum"] == close(sum(values))
        assert group["median"] == close(statistics.median(values))


def test_confidence_interval_of_the_mean(tool_sandbox):
    values = numbers(EMPLOYEES, "salary")
    margin = scipy_stats.t.ppf(0.95, len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    result = tool_sandbox.ok("stats_confidence_interval", path=EMPLOYEES, column="salary", confidence=0.9)
    assert result["low"] == close(statistics.fmean(values) - margin)
    assert result["high"] == close(statistics.fmean(values) + margin)


def test_bootstrap_is_reproducible_with_its_seed(tool_sandbox):
    first = tool_sandbox.ok("stats_bootstrap_ci", path=EMPLOYEES, column="salary", statistic="median", seed=7)
    again = tool_sandbox.ok("stats_bootstrap_ci", path=EMPLOYEES, column="salary", statistic="median", seed=7)
    other = tool_sandbox.ok("stats_bootstrap_ci", path=EMPLOYEES, column="salary", statistic="median", seed=8)
    assert first == again and first != other
    assert first["estimate"] == statistics.median(numbers(EMPLOYEES, "salary"))
    assert first["low"] <= first["estimate"] <= first["high"]


# ---------------------------------------------------------------- relationships
def test_correlations(tool_sandbox):
    x, y = numbers(ORDERS, "quantity"), numbers(ORDERS, "total")
    pearson = tool_sandbox.ok("stats_correlation", path=ORDERS, column_x="quantity", column_y="total")
    assert pearson["coefficient"] == close(statistics.correlation(x, y)) and pearson["n"] == len(x)
    spearman = tool_sandbox.ok("stats_correlation", path=ORDERS, column_x="quantity", column_y="total", method="spearman")
    ranks = [list(scipy_stats.rankdata(v)) for v in (x, y)]
    assert spearman["coefficient"] == close(statistics.correlation(*ranks))
    kendall = tool_sandbox.ok("stats_correlation", path=ORDERS, column_x="quantity", column_y="total", method="kendall")
    assert -1 <= kendall["coefficient"] <= 1 and 0 <= kendall["p_value"] <= 1


def test_correlation_matrix_takes_every_numeric_column(tool_sandbox):
    table = rows(ORDERS)
    numeric = [c for c in table[0] if all(_parses(r[c]) for r in table)]
    result = tool_sandbox.ok("stats_correlation_matrix", path=ORDERS)
    assert result["columns"] == numeric
    a, b = numeric[0], numeric[-1]
    assert result["matrix"][a][b] == close(statistics.correlation(numbers(ORDERS, a), numbers(ORDERS, b)))
    assert result["matrix"][a][a] == close(1)


def _parses(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_covariance(tool_sandbox):
    result = tool_sandbox.ok("stats_covariance", path=ORDERS, column_x="quantity", column_y="total")
    assert result["covariance"] == close(statistics.covariance(numbers(ORDERS, "quantity"), numbers(ORDERS, "total")))


# ---------------------------------------------------------------- tests
def test_one_sample_t_test(tool_sandbox):
    values = numbers(EMPLOYEES, "salary")
    t = (statistics.fmean(values) - 90000) / (statistics.stdev(values) / math.sqrt(len(values)))
    result = tool_sandbox.ok("stats_ttest_one_sample", path=EMPLOYEES, column="salary", population_mean=90000)
    assert result["t"] == close(t) and result["p_value"] == close(2 * scipy_stats.t.sf(abs(t), len(values) - 1))


def test_welch_t_test_between_two_groups(tool_sandbox):
    found = groups(SHIPMENTS, "delivery_days", "warehouse")
    a, b = sorted(found)[:2]
    va, vb = statistics.variance(found[a]) / len(found[a]), statistics.variance(found[b]) / len(found[b])
    t = (statistics.fmean(found[a]) - statistics.fmean(found[b])) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (len(found[a]) - 1) + vb ** 2 / (len(found[b]) - 1))
    result = tool_sandbox.ok("stats_ttest_two_groups", path=SHIPMENTS, value_column="delivery_days",
                             group_column="warehouse", group_a=a, group_b=b)
    assert result["test"] == "welch" and result["t"] == close(t) and result["df"] == close(df)
    assert result["p_value"] == close(2 * scipy_stats.t.sf(abs(t), df))
    assert result["groups"][a]["n"] == len(found[a])


def test_paired_t_test(tool_sandbox):
    table = rows(STOCK)
    differences = [float(r["system_units"]) - float(r["counted_units"]) for r in table]
    result = tool_sandbox.ok("stats_ttest_paired", path=STOCK, column_a="system_units", column_b="counted_units")
    assert result["mean_difference"] == close(statistics.fmean(differences))
    if statistics.stdev(differences):
        expected = statistics.fmean(differences) / (statistics.stdev(differences) / math.sqrt(len(differences)))
        assert result["t"] == close(expected)


def test_mann_whitney_u_and_cohens_d(tool_sandbox):
    found = groups(SHIPMENTS, "delivery_days", "warehouse")
    a, b = sorted(found)[:2]
    ranks = scipy_stats.rankdata(found[a] + found[b])
    u = sum(ranks[:len(found[a])]) - len(found[a]) * (len(found[a]) + 1) / 2
    result = tool_sandbox.ok("stats_mann_whitney", path=SHIPMENTS, value_column="delivery_days",
                             group_column="warehouse", group_a=a, group_b=b)
    assert result["u"] == close(u) and 0 <= result["p_value"] <= 1
    na, nb = len(found[a]), len(found[b])
    pooled = math.sqrt(((na - 1) * statistics.variance(found[a]) + (nb - 1) * statistics.variance(found[b])) / (na + nb - 2))
    effect = tool_sandbox.ok("stats_cohens_d", path=SHIPMENTS, value_column="delivery_days",
                             group_column="warehouse", group_a=a, group_b=b)
    assert effect["cohens_d"] == close((statistics.fmean(found[a]) - statistics.fmean(found[b])) / pooled)


def test_anova_kruskal_and_levene_across_groups(tool_sandbox):
    found = groups(SHIPMENTS, "delivery_days", "carrier")
    everything = [v for values in found.values() for v in values]
    grand = statistics.fmean(everything)
    between = sum(len(v) * (statistics.fmean(v) - grand) ** 2 for v in found.values())
    within = sum((x - statistics.fmean(v)) ** 2 for v in found.values() for x in v)
    k, n = len(found), len(everything)
    anova = tool_sandbox.ok("stats_anova", path=SHIPMENTS, value_column="delivery_days", group_column="carrier")
    assert anova["f"] == close(between / (k - 1) / (within / (n - k)))
    assert (anova["df_between"], anova["df_within"]) == (k - 1, n - k)
    assert anova["eta_squared"] == close(between / (between + within))
    kruskal = tool_sandbox.ok("stats_kruskal", path=SHIPMENTS, value_column="delivery_days", group_column="carrier")
    assert kruskal["h"] == close(scipy_stats.kruskal(*found.values()).statistic)
    levene = tool_sandbox.ok("stats_levene", path=SHIPMENTS, value_column="delivery_days", group_column="carrier")
    assert levene["w"] == close(scipy_stats.levene(*found.values()).statistic)


def test_shapiro_wilk(tool_sandbox):
    values = numbers(EMPLOYEES, "salary")
    result = tool_sandbox.ok("stats_shapiro", path=EMPLOYEES, column="salary", alpha=0.05)
    reference = scipy_stats.shapiro(values)
    assert result["w"] == close(reference.statistic) and result["normal"] == (reference.pvalue >= 0.05)


def test_chi_square_of_two_categorical_columns(tool_sandbox):
    pairs = Counter((r["carrier"], r["warehouse"]) for r in rows(SHIPMENTS) if r["carrier"] and r["warehouse"])
    carriers, warehouses = sorted({a for a, _ in pairs}), sorted({b for _, b in pairs})
    n = sum(pairs.values())
    row_totals = {a: sum(pairs[(a, b)] for b in warehouses) for a in carriers}
    col_totals = {b: sum(pairs[(a, b)] for a in carriers) for b in warehouses}
    chi2 = sum((pairs[(a, b)] - row_totals[a] * col_totals[b] / n) ** 2 / (row_totals[a] * col_totals[b] / n)
               for a in carriers for b in warehouses)
    result = tool_sandbox.ok("stats_chi_square", path=SHIPMENTS, column_a="carrier", column_b="warehouse")
    assert result["table"]["counts"] == [[pairs[(a, b)] for b in warehouses] for a in carriers]
    assert result["df"] == (len(carriers) - 1) * (len(warehouses) - 1)
    if result["df"] > 1:  # 2x2 tables get Yates' correction
        assert result["chi2"] == close(chi2)


# ---------------------------------------------------------------- regression
def test_ols_matches_least_squares(tool_sandbox):
    table = rows(ORDERS)
    y = np.array([float(r["total"]) for r in table])
    x = np.column_stack([np.ones(len(table)), [float(r["quantity"]) for r in table], [float(r["unit_price"]) for r in table]])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    r_squared = 1 - ((y - x @ beta) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    result = tool_sandbox.ok("stats_ols", path=ORDERS, y_column="total", x_columns=["quantity", "unit_price"])
    assert [c["term"] for c in result["coefficients"]] == ["const", "quantity", "unit_price"]
    assert [c["estimate"] for c in result["coefficients"]] == [close(b) for b in beta]
    assert result["r_squared"] == close(r_squared) and result["n"] == len(table)


def test_logistic_regression_matches_newton_raphson(tool_sandbox):
    table = rows(ORDERS)
    y = np.array([r["status"] == "delivered" for r in table], dtype=float)
    x = np.column_stack([np.ones(len(table)), [float(r["quantity"]) for r in table]])
    beta = np.zeros(2)
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ beta))
        beta += np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]), x.T @ (y - p))
    result = tool_sandbox.ok("stats_logistic_regression", path=ORDERS, y_column="status", x_columns=["quantity"],
                             positive_value="delivered")
    assert result["positives"] == int(y.sum()) and result["converged"]
    assert [c["estimate"] for c in result["coefficients"]] == [pytest.approx(b, rel=1e-4) for b in beta]
    assert result["coefficients"][1]["odds_ratio"] == pytest.approx(math.exp(beta[1]), rel=1e-4)


# ---------------------------------------------------------------- series over time
def _by_date(path: str, value: str, when: str) -> tuple[list[str], list[float]]:
    ordered = sorted(((r[when], float(r[value])) for r in rows(path)), key=lambda item: item[0])
    return [d for d, _ in ordered], [v for _, v in ordered]


def test_moving_average_and_exponential_smoothing(tool_sandbox):
    dates, values = _by_date(ORDERS, "total", "order_date")
    average = tool_sandbox.ok("stats_moving_average", path=ORDERS, column="total", window=4, order_by="order_date", limit=3)
    assert average["points"] == len(values)
    assert [p["moving_average"] for p in average["series"]] == \
        [close(statistics.fmean(values[i - 3:i + 1])) for i in range(len(values) - 3, len(values))]
    assert [p["at"] for p in average["series"]] == dates[-3:]
    smoothed = values[0]
    for v in values[1:]:
        smoothed = 0.5 * v + 0.5 * smoothed
    result = tool_sandbox.ok("stats_exponential_smoothing", path=ORDERS, column="total", alpha=0.5, order_by="order_date")
    assert result["forecast"] == close(smoothed) and result["series"][-1]["smoothed"] == close(smoothed)
    first = tool_sandbox.ok("stats_moving_average", path=ORDERS, column="total", window=2, limit=len(values))
    assert first["series"][0]["moving_average"] is None and first["series"][0]["at"] == "1"


def test_period_totals_and_linear_trend(tool_sandbox):
    months: dict[str, float] = defaultdict(float)
    for r in rows(ORDERS):
        months[r["order_date"][:7]] += float(r["total"])
    totals = tool_sandbox.ok("stats_period_totals", path=ORDERS, value_column="total", date_column="order_date")
    assert [(t["period"], t["sum"]) for t in totals] == [(m, close(months[m])) for m in sorted(months)]
    counts = tool_sandbox.ok("stats_period_totals", path=ORDERS, value_column="total", date_column="order_date",
                             period="year", statistic="count")
    assert sum(c["count"] for c in counts) == len(rows(ORDERS))

    dates, values = _by_date(ORDERS, "total", "order_date")
    days = [(date.fromisoformat(d) - date.fromisoformat(dates[0])).days for d in dates]
    slope, intercept = np.polyfit(days, values, 1)
    trend = tool_sandbox.ok("stats_linear_trend", path=ORDERS, value_column="total", date_column="order_date")
    assert trend["slope_per_day"] == close(slope) and trend["intercept_at_start"] == close(intercept)
    assert trend["direction"] == ("up" if slope > 0 else "down")
    monthly = tool_sandbox.ok("stats_linear_trend", path=ORDERS, value_column="total", date_column="order_date",
                              period="month")
    assert monthly["n"] == len(months) and "slope_per_period" in monthly


# ---------------------------------------------------------------- from counts
def test_counts_based_tools(tool_sandbox):
    size = tool_sandbox.ok("stats_sample_size_proportion", population=1000)
    assert (size["sample_size"], size["sample_size_unlimited_population"]) == (278, 385)
    binomial = tool_sandbox.ok("stats_binomial_test", successes=18, trials=50, probability=0.3, alternative="greater")
    assert binomial["p_value"] == close(sum(math.comb(50, k) * 0.3 ** k * 0.7 ** (50 - k) for k in range(18, 51)))
    two = tool_sandbox.ok("stats_proportions_ztest", successes=[45, 30], trials=[100, 90])
    pooled = 75 / 190
    z = (0.45 - 30 / 90) / math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 90))
    assert two["z"] == close(z) and two["p_value"] == close(2 * scipy_stats.norm.sf(abs(z)))
    one = tool_sandbox.ok("stats_proportions_ztest", successes=[45], trials=[100], null_proportion=0.4)
    assert one["z"] == close((0.45 - 0.4) / math.sqrt(0.45 * 0.55 / 100))


# ---------------------------------------------------------------- mistakes
@pytest.mark.parametrize(("tool", "arguments", "message"), [
    ("stats_describe", {"path": "nowhere/missing.csv", "column": "x"}, "no such file"),
    ("stats_describe", {"path": ORDERS, "column": "revenue"}, "not found"),
    ("stats_describe", {"path": ORDERS, "column": "status"}, "not numeric"),
    ("stats_describe", {"path": seed("README.md"), "column": "x"}, "not a CSV"),
    ("stats_describe", {"path": DIRECTORY, "column": "x", "sheet": "Nope"}, "sheet 'Nope' not found"),
    ("stats_percentiles", {"path": ORDERS, "column": "total", "percentiles": [50, 120]}, "0 to 100"),
    ("stats_histogram", {"path": ORDERS, "column": "total", "bins": 0}, "between 1 and 100"),
    ("stats_ttest_two_groups", {"path": SHIPMENTS, "value_column": "delivery_days", "group_column": "warehouse",
                                "group_a": "Atlantis", "group_b": "Denver"}, "no rows"),
    ("stats_chi_square", {"path": ORDERS, "column_a": "order_id", "column_b": "status"}, "categories"),
    ("stats_logistic_regression", {"path": ORDERS, "y_column": "status", "x_columns": ["quantity"]}, "positive_value"),
    ("stats_ols", {"path": ORDERS, "y_column": "total", "x_columns": ["total"]}, "both the outcome"),
    ("stats_linear_trend", {"path": ORDERS, "value_column": "total", "date_column": "status"}, "ISO dates"),
    ("stats_confidence_interval", {"path": ORDERS, "column": "total", "confidence": 95}, "between 0 and 1"),
    ("stats_binomial_test", {"successes": 60, "trials": 50}, "successes"),
])
def test_mistakes_are_tool_errors(tool_sandbox, tool, arguments, message):
    outcome = tool_sandbox.call(tool, **arguments)
    assert not outcome.ok and outcome.error_kind == "tool" and message in outcome.error


def test_every_tool_is_tested_and_described():
    names = assert_tested_and_described(statistics_tools, "statistics", __file__)
    assert len(names) >= 30 and all(name.startswith("stats_") for name in names)


# ---------------------------------------------------------------- the simulator's requests
def test_every_statistics_request_grounds_to_a_call_that_succeeds(tool_sandbox):
    done: set[str] = set()
    for intent in statistics_intents.INTENTS:
        calls = grounded_calls(intent, 0, fresh=True)
        for call in calls:
            if first_time(done, intent.tool, call):
                tool_sandbox.ok(intent.tool, **call)
        assert calls, f"{intent.tool} grounds on no seed file"
    assert len(statistics_intents.INTENTS) >= len(tool_functions(statistics_tools)) // 3
