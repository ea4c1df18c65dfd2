"""Requests for the statistics tools, grounded in the first rows of a CSV, TSV or workbook's first sheet.

A user only sees a table's first rows, so a column counts as numeric, a date or a category from
those rows alone: numeric when every shown cell is a number (and they are not all equal), a date
when every shown cell is an ISO date, a category when it is text and some value repeats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from random import Random
from typing import Any

from fcgraph.simulator.grounding import FileView, Intent, shown_grids, shown_number

TABLES = ("csv", "tsv", "xlsx")


def shown_table(view: FileView) -> tuple[list[str], list[list[Any]]]:
    """The header and the shown rows: a CSV/TSV head, or a workbook's first sheet (what the tools read by default)."""
    grids = shown_grids(view)
    rows = grids[0][1] if grids else []
    if len(rows) < 4:  # a header and at least three rows, or nothing to analyse
        return [], []
    header = ["" if cell is None else str(cell) for cell in rows[0]]
    return header, [row + [None] * (len(header) - len(row)) for row in rows[1:]]


def _is_date(cell: Any) -> bool:
    try:
        datetime.fromisoformat(str(cell)) if "T" in str(cell) else date.fromisoformat(str(cell))
    except ValueError:
        return False
    return len(str(cell)) >= 10


def _cells(view: FileView) -> dict[str, list[Any]]:
    header, rows = shown_table(view)
    return {name: [row[i] for row in rows] for i, name in enumerate(header) if name}


def _numeric_columns(view: FileView) -> list[str]:
    return [name for name, cells in _cells(view).items()
            if all(shown_number(c) is not None for c in cells) and len({shown_number(c) for c in cells}) > 1]


def _date_columns(view: FileView) -> list[str]:
    return [name for name, cells in _cells(view).items() if all(_is_date(c) for c in cells)]


def _category_columns(view: FileView) -> dict[str, Counter]:
    """Text columns in which some value repeats, with the counts of their shown values."""
    found = {}
    for name, cells in _cells(view).items():
        if any(c in (None, "") or shown_number(c) is not None or _is_date(c) for c in cells):
            continue
        counts = Counter(str(c) for c in cells)
        if 1 < len(counts) < len(cells):
            found[name] = counts
    return found


Make = Callable[[FileView, Random], dict[str, Any] | None]


def _table(make: Callable[[FileView, Random, list[str]], dict[str, Any] | None], numeric: int = 1) -> Make:
    """A grounding that needs `numeric` distinct numeric columns; `make` adds the other arguments."""

    def ground(view: FileView, rng: Random) -> dict[str, Any] | None:
        columns = _numeric_columns(view)
        if len(columns) < numeric:
            return None
        extra = make(view, rng, rng.sample(columns, numeric))
        return None if extra is None else {"path": view.path, **extra}

    return ground


def _repeated_groups(view: FileView) -> list[tuple[str, list[str]]]:
    """Category columns with at least two values shown twice or more, and those values."""
    options = [(name, sorted(v for v, c in counts.items() if c >= 2)) for name, counts in _category_columns(view).items()]
    return [(name, values) for name, values in options if len(values) >= 2]


def _two_groups(view: FileView, rng: Random, numeric: list[str]) -> dict[str, Any] | None:
    """A numeric column, a category column and two of its values that each appear at least twice."""
    if not (options := _repeated_groups(view)):
        return None
    name, values = rng.choice(options)
    group_a, group_b = rng.sample(values, 2)
    return {"value_column": numeric[0], "group_column": name, "group_a": group_a, "group_b": group_b}


def _grouped(view: FileView, rng: Random, numeric: list[str]) -> dict[str, Any] | None:
    options = _repeated_groups(view)
    return {"value_column": numeric[0], "group_column": rng.choice(options)[0]} if options else None


def _weighted(view: FileView, rng: Random, numeric: list[str]) -> dict[str, Any] | None:
    cells = _cells(view)
    weights = [c for c in _numeric_columns(view) if c != numeric[0] and all(shown_number(v) >= 0 for v in cells[c])]
    return {"value_column": numeric[0], "weight_column": rng.choice(weights)} if weights else None


def _dated(view: FileView, rng: Random, numeric: list[str]) -> dict[str, Any] | None:
    dates = _date_columns(view)
    return {"value_column": numeric[0], "date_column": rng.choice(dates)} if dates else None


def _chi_square(view: FileView, rng: Random) -> dict[str, Any] | None:
    categories = list(_category_columns(view))
    if len(categories) < 2:
        return None
    column_a, column_b = rng.sample(categories, 2)
    return {"path": view.path, "column_a": column_a, "column_b": column_b}


def _moving_average(view: FileView, rng: Random, numeric: list[str]) -> dict[str, Any] | None:
    dates = _date_columns(view)
    return {"column": numeric[0], "window": rng.choice([3, 5, 7]), "order_by": rng.choice(dates)} if dates else None


def _sample_size(view: FileView, rng: Random) -> dict[str, Any]:
    return {"margin_of_error": rng.choice([0.03, 0.05, 0.1]), "confidence": rng.choice([0.9, 0.95, 0.99])}


def _column(**more: Callable[[Random], Any]) -> Make:
    """One numeric column plus arguments that do not depend on the file."""
    return _table(lambda view, rng, numeric: {"column": numeric[0], **{k: make(rng) for k, make in more.items()}})


INTENTS: tuple[Intent, ...] = (
    Intent("stats_describe", "give me descriptive statistics of the {column} column in {path}", TABLES, _column(),
           zh="给出 {path} 中 {column} 列的描述性统计"),
    Intent("stats_percentiles", "compute the {percentiles} percentiles of {column} in {path}", TABLES,
           _column(percentiles=lambda r: r.choice([[10, 50, 90], [25, 50, 75], [5, 95]])),
           zh="计算 {path} 里 {column} 的 {percentiles} 百分位数"),
    Intent("stats_zscore_outliers", "rank the rows of {path} by the z-score of {column} and show the top {limit}", TABLES,
           _column(limit=lambda r: r.choice([3, 5])), zh="按 {column} 的 z 分数给 {path} 的行排序，显示前 {limit} 行"),
    Intent("stats_iqr_outliers", "find the outliers in the {column} column of {path} using the IQR rule", TABLES, _column(),
           zh="用四分位距规则找出 {path} 中 {column} 列的离群值"),
    Intent("stats_histogram", "count the values of {column} in {path} in {bins} equal-width bins", TABLES,
           _column(bins=lambda r: r.choice([4, 5, 8, 10])), zh="把 {path} 中 {column} 的取值分成 {bins} 个等宽区间并计数"),
    Intent("stats_skew_kurtosis", "measure the skewness and kurtosis of {column} in {path}", TABLES, _column(),
           zh="计算 {path} 中 {column} 的偏度和峰度"),
    Intent("stats_coefficient_of_variation", "compute the coefficient of variation of {column} in {path}", TABLES,
           _column(), zh="计算 {path} 中 {column} 的变异系数"),
    Intent("stats_confidence_interval", "give me the {confidence} confidence interval for the mean of {column} in {path}",
           TABLES, _column(confidence=lambda r: r.choice([0.9, 0.95, 0.99])),
           zh="给出 {path} 中 {column} 均值的 {confidence} 置信区间"),
    Intent("stats_bootstrap_ci", "bootstrap a confidence interval for the median of {column} in {path} with seed {seed}",
           TABLES, _column(seed=lambda r: r.randint(1, 99)), fixed={"statistic": "median"},
           zh="用随机种子 {seed} 对 {path} 中 {column} 的中位数做自助法置信区间"),
    Intent("stats_shapiro", "check whether {column} in {path} is normally distributed", TABLES, _column(),
           zh="检验 {path} 中的 {column} 是否服从正态分布"),
    Intent("stats_correlation", "compute the {method} correlation between {column_x} and {column_y} in {path}", TABLES,
           _table(lambda v, r, n: {"column_x": n[0], "column_y": n[1], "method": r.choice(["pearson", "spearman", "kendall"])},
                  numeric=2),
           zh="计算 {path} 中 {column_x} 与 {column_y} 之间的 {method} 相关系数"),
    Intent("stats_covariance", "compute the covariance of {column_x} and {column_y} in {path}", TABLES,
           _table(lambda v, r, n: {"column_x": n[0], "column_y": n[1]}, numeric=2),
           zh="计算 {path} 中 {column_x} 和 {column_y} 的协方差"),
    Intent("stats_correlation_matrix", "show me the correlation matrix of the numeric columns in {path}", TABLES,
           _table(lambda v, r, n: {}, numeric=2), zh="给我看 {path} 中各数值列的相关矩阵"),
    Intent("stats_weighted_mean", "compute the mean of {value_column} weighted by {weight_column} in {path}", TABLES,
           _table(_weighted),
           zh="计算 {path} 中以 {weight_column} 为权重的 {value_column} 加权平均值"),
    Intent("stats_ols", "fit a linear regression of {y_column} on {x_columns} using {path}", TABLES,
           _table(lambda v, r, n: {"y_column": n[0], "x_columns": n[1:]}, numeric=2),
           zh="用 {path} 拟合 {y_column} 对 {x_columns} 的线性回归"),
    Intent("stats_group_summary", "summarise {value_column} for each {group_column} in {path}", TABLES, _table(_grouped),
           zh="按 {group_column} 分组汇总 {path} 中的 {value_column}"),
    Intent("stats_anova", "run a one-way ANOVA of {value_column} across the {group_column} groups in {path}", TABLES,
           _table(_grouped), zh="对 {path} 中的 {value_column} 按 {group_column} 分组做单因素方差分析"),
    Intent("stats_kruskal", "run a Kruskal-Wallis test of {value_column} across the {group_column} groups in {path}",
           TABLES, _table(_grouped), zh="对 {path} 中的 {value_column} 按 {group_column} 分组做 Kruskal-Wallis 检验"),
    Intent("stats_ttest_two_groups",
           "run a Welch t-test comparing {value_column} between {group_a} and {group_b} in the {group_column} column of {path}",
           TABLES, _table(_two_groups),
           zh="用 Welch t 检验比较 {path} 中 {group_column} 列为 {group_a} 和 {group_b} 的两组的 {value_column}"),
    Intent("stats_mann_whitney",
           "run a Mann-Whitney U test of {value_column} between {group_a} and {group_b} in the {group_column} column of {path}",
           TABLES, _table(_two_groups),
           zh="对 {path} 中 {group_column} 列为 {group_a} 和 {group_b} 的两组的 {value_column} 做 Mann-Whitney U 检验"),
    Intent("stats_chi_square", "test whether {column_a} and {column_b} are independent in {path}", TABLES, _chi_square,
           zh="检验 {path} 中的 {column_a} 和 {column_b} 是否相互独立"),
    Intent("stats_frequency_table", "make a frequency table of the {column} column in {path}", TABLES,
           lambda v, r: {"path": v.path, "column": r.choice(list(c))} if (c := _category_columns(v)) else None,
           zh="为 {path} 的 {column} 列做一张频数表"),
    Intent("stats_moving_average", "compute a {window}-point moving average of {column} in {path} ordered by {order_by}",
           TABLES, _table(_moving_average), zh="按 {order_by} 排序，计算 {path} 中 {column} 的 {window} 点移动平均"),
    Intent("stats_period_totals", "add up {value_column} per {period} of {date_column} in {path}", TABLES,
           _table(lambda v, r, n: (a | {"period": r.choice(["week", "month", "quarter"])}) if (a := _dated(v, r, n)) else None),
           zh="按 {date_column} 的每个 {period} 汇总 {path} 中的 {value_column}"),
    Intent("stats_linear_trend", "fit a linear trend of {value_column} over {date_column} in {path}", TABLES,
           _table(_dated), zh="拟合 {path} 中 {value_column} 随 {date_column} 变化的线性趋势"),
    Intent("stats_sample_size_proportion",
           "tell me how many people to survey for a margin of error of {margin_of_error} at {confidence} confidence",
           (), _sample_size, path_arg="", zh="告诉我误差范围为 {margin_of_error}、置信水平为 {confidence} 时需要调查多少人"),
)
