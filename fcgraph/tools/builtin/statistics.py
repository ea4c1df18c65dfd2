"""Statistics tools: summaries, outliers, correlations, hypothesis tests, regressions and smoothing.

They analyse the columns of CSV, TSV and Excel (.xlsx) tables whose first row holds the column names;
a workbook's sheet is chosen by name (the first sheet when none is given). Empty cells are left out of
a numeric column, but any other cell that is not a number is an error rather than silently dropped,
so a result never rests on half a column. Numbers are reported with 8 significant digits; a value
that does not exist (such as a correlation of a constant column) is null. The last three tools take
counts instead of a file.
"""

import collections
import dataclasses
import math
from datetime import date as _date_type
from datetime import datetime as _datetime
from datetime import timedelta as _timedelta
from typing import Any, Literal

from fcgraph.tools.builtin._tables import _column_name, _sheet_rows, _table_file, _text_rows
from fcgraph.tools.paths import ToolError, relative

CATEGORY = "statistics"

_Alternative = Literal["two-sided", "less", "greater"]
_Period = Literal["day", "week", "month", "quarter", "year"]
_MAX_CATEGORIES = 50  # a chi-square table wider than this means an identifier column was chosen
_DAYS_PER_PERIOD = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}


# ---------------------------------------------------------------- reading tables
def _text(cell: Any) -> str:
    """A cell as a person reads it: '' for empty, 12 for 12.0, a _date_type without a midnight time."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, _datetime):
        return cell.date().isoformat() if cell.time() == _datetime.min.time() else cell.isoformat()
    if isinstance(cell, _date_type):
        return cell.isoformat()
    return str(cell).strip()


def _number(cell: Any) -> float | None:
    """The cell's number, None when empty; raises ValueError when the cell holds something else."""
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, int | float):
        return float(cell) if math.isfinite(cell) else None
    text = _text(cell).replace(",", "")
    if not text:
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _date(cell: Any) -> _date_type | None:
    if isinstance(cell, _datetime):
        return cell.date()
    if isinstance(cell, _date_type):
        return cell
    text = _text(cell)
    return _datetime.fromisoformat(text).date() if text else None


@dataclasses.dataclass(frozen=True)
class _Table:
    path: str
    columns: list[str]
    rows: list[list[Any]]

    def column(self, name: str) -> int:
        """The index of a column, matched exactly or else ignoring case and surrounding spaces."""
        return self.columns.index(_column_name(self.columns, name, self.path))

    def name(self, column: str) -> str:
        return self.columns[self.column(column)]

    def numbers(self, column: str) -> list[float | None]:
        """Every row's number in a column (None where empty)."""
        index = self.column(column)
        values = []
        for number, row in enumerate(self.rows, start=1):
            try:
                values.append(_number(row[index]))
            except ValueError:
                raise ToolError(f"column '{self.columns[index]}' of '{self.path}' is not numeric: "
                                f"data row {number} has '{_text(row[index])}'") from None
        return values

    def texts(self, column: str) -> list[str]:
        index = self.column(column)
        return [_text(row[index]) for row in self.rows]

    def dates(self, column: str) -> list[_date_type | None]:
        index = self.column(column)
        values = []
        for number, row in enumerate(self.rows, start=1):
            try:
                values.append(_date(row[index]))
            except ValueError:
                raise ToolError(f"column '{self.columns[index]}' of '{self.path}' does not hold ISO dates "
                                f"(YYYY-MM-DD): data row {number} has '{_text(row[index])}'") from None
        return values

    def complete(self, *columns: str) -> list[tuple[float, ...]]:
        """The rows (as tuples of numbers) where every one of the numeric columns has a value."""
        series = [self.numbers(c) for c in columns]
        return [values for values in zip(*series) if None not in values]

    def is_numeric(self, index: int) -> bool:
        try:
            present = [_number(row[index]) for row in self.rows]
        except ValueError:
            return False
        return any(v is not None for v in present)


def _table(path: str, sheet: str) -> _Table:
    resolved = _table_file(path, (".csv", ".tsv", ".xlsx"), "a table", "a CSV, TSV or .xlsx file")
    if resolved.suffix.lower() == ".xlsx":
        rows = _sheet_rows(resolved, path, sheet)
    else:
        rows = [row for row in _text_rows(resolved, path) if row]
    rows = [row for row in rows if any(_text(cell) for cell in row)]
    if not rows:
        raise ToolError(f"'{path}' is empty")
    header = [_text(cell) for cell in rows[0]]
    body = [row[:len(header)] + [None] * (len(header) - len(row)) for row in rows[1:]]
    return _Table(relative(resolved), header, body)


def _values(path: str, column: str, sheet: str, minimum: int = 1) -> tuple[_Table, list[float]]:
    table = _table(path, sheet)
    values = [v for v in table.numbers(column) if v is not None]
    _enough(values, minimum, f"column '{table.name(column)}'")
    return table, values


def _enough(values: list[Any], minimum: int, what: str) -> None:
    if len(values) < minimum:
        raise ToolError(f"{what} has {len(values)} value(s); at least {minimum} are needed")


def _groups(table: _Table, value_column: str, group_column: str) -> dict[str, list[float]]:
    """The numeric values of each group, groups in order of first appearance; empty cells are skipped."""
    groups: dict[str, list[float]] = {}
    for label, value in zip(table.texts(group_column), table.numbers(value_column)):
        if label and value is not None:
            groups.setdefault(label, []).append(value)
    return groups


def _two_groups(path: str, value_column: str, group_column: str, group_a: str, group_b: str,
                sheet: str) -> tuple[_Table, list[float], list[float]]:
    table = _table(path, sheet)
    groups = _groups(table, value_column, group_column)
    chosen = []
    for label in (group_a, group_b):
        if str(label) not in groups:
            shown = ", ".join(list(groups)[:20])
            raise ToolError(f"no rows with {table.name(group_column)} = '{label}' and a value in "
                            f"'{table.name(value_column)}'; groups: {shown}")
        _enough(groups[str(label)], 2, f"group '{label}'")
        chosen.append(groups[str(label)])
    if str(group_a) == str(group_b):
        raise ToolError("group_a and group_b must be two different groups")
    return table, chosen[0], chosen[1]


def _many_groups(path: str, value_column: str, group_column: str, sheet: str) -> tuple[dict[str, list[float]], list[str]]:
    """Groups with at least two values (what a k-sample test can use) and the names of the rest."""
    table = _table(path, sheet)
    groups = _groups(table, value_column, group_column)
    usable = {label: values for label, values in groups.items() if len(values) >= 2}
    if len(usable) < 2:
        raise ToolError(f"'{table.name(group_column)}' must define at least two groups with two or more values each")
    return usable, [label for label in groups if label not in usable]


def _series(table: _Table, column: str, order_by: str) -> tuple[list[str], list[float]]:
    """A column's values in row order, or ordered by another column (numbers, dates or text), with labels."""
    values = table.numbers(column)
    if not order_by:
        pairs = [(str(i), v) for i, v in enumerate(values, start=1) if v is not None]
    else:
        index = table.column(order_by)
        keys: list[Any] = table.numbers(order_by) if table.is_numeric(index) else table.texts(order_by)
        present = [(k, t, v) for k, t, v in zip(keys, table.texts(order_by), values) if v is not None and k not in (None, "")]
        pairs = [(t, v) for _, t, v in sorted(present, key=lambda item: item[0])]
    return [label for label, _ in pairs], [value for _, value in pairs]


# ---------------------------------------------------------------- checking arguments and reporting
def _r(value: Any) -> float | None:
    """A JSON-safe float with 8 significant digits; NaN and infinities become None."""
    if value is None:
        return None
    number = float(value)
    return float(f"{number:.8g}") if math.isfinite(number) else None


def _integer(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ToolError(f"'{name}' must be an integer {bound}, got {value!r}")
    return value


def _fraction(name: str, value: Any) -> float:
    """A probability-like argument strictly between 0 and 1 (confidence levels, alpha, proportions)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise ToolError(f"'{name}' must be a number strictly between 0 and 1, got {value!r}")
    return float(value)


def _alternative(value: str) -> str:
    if value not in ("two-sided", "less", "greater"):
        raise ToolError(f"'alternative' must be 'two-sided', 'less' or 'greater', got {value!r}")
    return value


def _quietly(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a scipy/statsmodels routine without its warnings: degenerate input comes back as null results."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _summary(values: list[float]) -> dict[str, Any]:
    import numpy as np

    array = np.asarray(values)
    return {"n": len(values), "mean": _r(array.mean()), "std": _r(array.std(ddof=1)) if len(values) > 1 else None,
            "median": _r(np.median(array))}


def _labelled_values(table: _Table, column: str, label_column: str) -> list[tuple[int, str, float]]:
    """(data row number, label, value) for each row with a value; the label column defaults to the first."""
    labels = table.texts(label_column or table.columns[0])
    return [(i + 1, labels[i], v) for i, v in enumerate(table.numbers(column)) if v is not None]


# ---------------------------------------------------------------- descriptive statistics
def stats_describe(path: str, column: str, sheet: str = "") -> dict:
    """Describe a numeric column: count, missing cells, mean, standard deviation, quartiles, extremes and sum.

    The standard deviation and variance are sample statistics (n - 1 in the denominator); sem is the
    standard error of the mean.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory, e.g. "sales/orders_2024.csv".
        column: Name of the numeric column, as in the header row (e.g. "total").
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    table = _table(path, sheet)
    cells = table.numbers(column)
    values = [v for v in cells if v is not None]
    _enough(values, 1, f"column '{table.name(column)}'")
    array = np.asarray(values)
    q1, median, q3 = np.percentile(array, [25, 50, 75])
    spread = {"std": array.std(ddof=1), "variance": array.var(ddof=1), "sem": array.std(ddof=1) / math.sqrt(len(array))} \
        if len(array) > 1 else {"std": None, "variance": None, "sem": None}
    return {"column": table.name(column), "count": len(values), "missing": len(cells) - len(values),
            "mean": _r(array.mean()), **{k: _r(v) for k, v in spread.items()}, "min": _r(array.min()),
            "q1": _r(q1), "median": _r(median), "q3": _r(q3), "max": _r(array.max()),
            "range": _r(array.max() - array.min()), "sum": _r(array.sum())}


def stats_percentiles(path: str, column: str, percentiles: list[float] = [5, 25, 50, 75, 95], sheet: str = "") -> dict:
    """Compute chosen percentiles of a numeric column (linear interpolation between data points).

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        percentiles: Percentiles to compute, each from 0 to 100, e.g. [10, 50, 90].
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    if not isinstance(percentiles, list) or not percentiles or \
            not all(isinstance(p, int | float) and not isinstance(p, bool) and 0 <= p <= 100 for p in percentiles):
        raise ToolError(f"'percentiles' must be a non-empty list of numbers from 0 to 100, got {percentiles!r}")
    table, values = _values(path, column, sheet)
    results = np.percentile(np.asarray(values), percentiles)
    return {"column": table.name(column), "count": len(values),
            "percentiles": [{"percentile": p, "value": _r(v)} for p, v in zip(percentiles, results)]}


def stats_zscore_outliers(path: str, column: str, threshold: float = 3.0, label_column: str = "", limit: int = 10,
                          sheet: str = "") -> dict:
    """Rank the rows of a numeric column by how many standard deviations they lie from the mean (z-score).

    Returns the `limit` rows with the largest absolute z-score, each flagged as an outlier when
    |z| >= threshold, and the total number of outliers.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        threshold: Absolute z-score from which a value counts as an outlier, e.g. 2.5 or 3.
        label_column: Column that identifies each reported row (e.g. "order_id"); empty means the first column.
        limit: Maximum number of rows to return.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    _integer("limit", limit, 1)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold <= 0:
        raise ToolError(f"'threshold' must be a positive number, got {threshold!r}")
    table = _table(path, sheet)
    rows = _labelled_values(table, column, label_column)
    _enough(rows, 2, f"column '{table.name(column)}'")
    values = np.asarray([v for _, _, v in rows])
    mean, std = values.mean(), values.std(ddof=1)
    if std == 0:
        raise ToolError(f"column '{table.name(column)}' is constant: z-scores are undefined")
    scored = sorted(((row, label, v, (v - mean) / std) for row, label, v in rows), key=lambda item: -abs(item[3]))
    return {"column": table.name(column), "mean": _r(mean), "std": _r(std), "threshold": threshold,
            "outliers": int(sum(abs(z) >= threshold for *_, z in scored)),
            "rows": [{"row": row, "label": label, "value": _r(v), "z": _r(z), "outlier": bool(abs(z) >= threshold)}
                     for row, label, v, z in scored[:limit]]}


def stats_iqr_outliers(path: str, column: str, factor: float = 1.5, label_column: str = "", limit: int = 20,
                       sheet: str = "") -> dict:
    """Find values outside the Tukey fences Q1 - factor * IQR and Q3 + factor * IQR of a numeric column.

    Unlike z-scores this rule is not pulled by the outliers themselves. Outliers are listed furthest
    from the fences first.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        factor: Multiple of the interquartile range that sets the fences: 1.5 is usual, 3 finds only extreme values.
        label_column: Column that identifies each reported row (e.g. "expense_id"); empty means the first column.
        limit: Maximum number of outlier rows to return.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    _integer("limit", limit, 1)
    if isinstance(factor, bool) or not isinstance(factor, int | float) or factor < 0:
        raise ToolError(f"'factor' must be a number >= 0, got {factor!r}")
    table = _table(path, sheet)
    rows = _labelled_values(table, column, label_column)
    _enough(rows, 1, f"column '{table.name(column)}'")
    q1, q3 = np.percentile([v for _, _, v in rows], [25, 75])
    low, high = q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)
    outside = sorted(((row, label, v, max(low - v, v - high)) for row, label, v in rows if v < low or v > high),
                     key=lambda item: -item[3])
    return {"column": table.name(column), "q1": _r(q1), "q3": _r(q3), "iqr": _r(q3 - q1), "lower_fence": _r(low),
            "upper_fence": _r(high), "outliers": len(outside),
            "rows": [{"row": row, "label": label, "value": _r(v), "side": "high" if v > high else "low"}
                     for row, label, v, _ in outside[:limit]]}


def stats_histogram(path: str, column: str, bins: int = 10, sheet: str = "") -> dict:
    """Count the values of a numeric column in equal-width bins (a histogram as numbers, no picture).

    Each bin includes its lower edge; the last bin also includes the maximum.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        bins: Number of equal-width bins between the minimum and the maximum (1 to 100).
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    _integer("bins", bins, 1, 100)
    table, values = _values(path, column, sheet)
    counts, edges = np.histogram(values, bins=bins)
    return {"column": table.name(column), "count": len(values),
            "bins": [{"from": _r(edges[i]), "to": _r(edges[i + 1]), "count": int(c)} for i, c in enumerate(counts)]}


def stats_mode(path: str, column: str, sheet: str = "") -> dict:
    """Find the most frequent value (or the tied values) of a column, numeric or text.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the column, as in the header row; empty cells are ignored.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    table = _table(path, sheet)
    counts = collections.Counter(v for v in table.texts(column) if v)
    _enough(list(counts), 1, f"column '{table.name(column)}'")
    top = max(counts.values())
    return {"column": table.name(column), "modes": sorted(v for v, c in counts.items() if c == top), "frequency": top,
            "count": sum(counts.values()), "distinct": len(counts)}


def stats_frequency_table(path: str, column: str, limit: int = 20, sheet: str = "") -> dict:
    """Count each distinct value of a (usually categorical) column, with percentages and cumulative percentages.

    Values are ordered from most to least frequent; empty cells are counted separately.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the column, as in the header row (e.g. "status").
        limit: Maximum number of distinct values to list.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    _integer("limit", limit, 1)
    table = _table(path, sheet)
    texts = table.texts(column)
    counts = collections.Counter(v for v in texts if v)
    total = sum(counts.values())
    _enough(list(counts), 1, f"column '{table.name(column)}'")
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    running, values = 0, []
    for value, count in ordered[:limit]:
        running += count
        values.append({"value": value, "count": count, "percent": _r(100 * count / total),
                       "cumulative_percent": _r(100 * running / total)})
    return {"column": table.name(column), "total": total, "empty": len(texts) - total, "distinct": len(counts),
            "values": values}


def stats_skew_kurtosis(path: str, column: str, sheet: str = "") -> dict:
    """Measure the asymmetry (skewness) and tail weight (excess kurtosis) of a numeric column.

    Both are bias-corrected sample estimates; a normal distribution has 0 for each. Positive skewness
    means a long right tail (a few large values), positive excess kurtosis means heavy tails.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    table, values = _values(path, column, sheet, minimum=4)
    return {"column": table.name(column), "n": len(values), "skewness": _r(_quietly(stats.skew, values, bias=False)),
            "excess_kurtosis": _r(_quietly(stats.kurtosis, values, fisher=True, bias=False))}


def stats_coefficient_of_variation(path: str, column: str, sheet: str = "") -> dict:
    """Compute the coefficient of variation (sample standard deviation / mean) of a numeric column.

    It compares the spread of columns measured on different scales; it is only meaningful for
    values on a ratio scale (amounts, counts, durations), not for values that can be negative.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    table, values = _values(path, column, sheet, minimum=2)
    array = np.asarray(values)
    if array.mean() == 0:
        raise ToolError(f"column '{table.name(column)}' has mean 0: the coefficient of variation is undefined")
    cv = array.std(ddof=1) / array.mean()
    return {"column": table.name(column), "n": len(values), "mean": _r(array.mean()), "std": _r(array.std(ddof=1)),
            "cv": _r(cv), "cv_percent": _r(100 * cv)}


def stats_weighted_mean(path: str, value_column: str, weight_column: str, sheet: str = "") -> dict:
    """Compute the mean of one column weighted by another (e.g. unit_price weighted by quantity).

    Only rows with both a value and a weight are used; weights must not be negative.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column to average.
        weight_column: Name of the numeric column holding each row's weight.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    table = _table(path, sheet)
    pairs = table.complete(value_column, weight_column)
    _enough(pairs, 1, "the pair of columns")
    if any(w < 0 for _, w in pairs):
        raise ToolError(f"column '{table.name(weight_column)}' has negative weights")
    total = math.fsum(w for _, w in pairs)
    if total == 0:
        raise ToolError(f"the weights in '{table.name(weight_column)}' add up to 0")
    return {"value_column": table.name(value_column), "weight_column": table.name(weight_column), "n": len(pairs),
            "weighted_mean": _r(math.fsum(v * w for v, w in pairs) / total),
            "unweighted_mean": _r(math.fsum(v for v, _ in pairs) / len(pairs)), "total_weight": _r(total)}


def stats_group_summary(path: str, value_column: str, group_column: str, sheet: str = "") -> list[dict]:
    """Summarise a numeric column within each group of a category column: count, mean, std, median, min, max, sum.

    Groups are listed alphabetically; rows with an empty group or value are skipped.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column to summarise (e.g. "amount").
        group_column: Name of the column whose values define the groups (e.g. "department").
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    table = _table(path, sheet)
    groups = _groups(table, value_column, group_column)
    if not groups:
        raise ToolError(f"no rows have both a '{table.name(group_column)}' and a '{table.name(value_column)}' value")
    return [{"group": label, **_summary(values), "min": _r(min(values)), "max": _r(max(values)),
             "sum": _r(math.fsum(values))} for label, values in sorted(groups.items())]


def stats_confidence_interval(path: str, column: str, confidence: float = 0.95, sheet: str = "") -> dict:
    """Compute a confidence interval for the mean of a numeric column (Student's t distribution).

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        confidence: Confidence level strictly between 0 and 1, e.g. 0.95 for a 95% interval.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np
    from scipy import stats

    level = _fraction("confidence", confidence)
    table, values = _values(path, column, sheet, minimum=2)
    array = np.asarray(values)
    sem = array.std(ddof=1) / math.sqrt(len(array))
    margin = stats.t.ppf((1 + level) / 2, len(array) - 1) * sem
    return {"column": table.name(column), "n": len(values), "mean": _r(array.mean()), "confidence": level,
            "margin_of_error": _r(margin), "low": _r(array.mean() - margin), "high": _r(array.mean() + margin)}


def stats_bootstrap_ci(path: str, column: str, statistic: Literal["mean", "median", "std"] = "mean",
                       confidence: float = 0.95, resamples: int = 2000, seed: int = 0, sheet: str = "") -> dict:
    """Estimate a confidence interval for the mean, median or standard deviation of a column by bootstrapping.

    The column is resampled with replacement `resamples` times and the interval is read from the
    percentiles of the statistic; the same seed always gives the same interval.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        statistic: Statistic to estimate: "mean", "median" or "std" (sample standard deviation).
        confidence: Confidence level strictly between 0 and 1, e.g. 0.95.
        resamples: Number of bootstrap resamples, 100 to 100000.
        seed: Seed of the random number generator, for a reproducible interval.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    functions = {"mean": lambda a: a.mean(axis=-1), "median": lambda a: np.median(a, axis=-1),
                 "std": lambda a: a.std(axis=-1, ddof=1)}
    if statistic not in functions:
        raise ToolError(f"'statistic' must be 'mean', 'median' or 'std', got {statistic!r}")
    level = _fraction("confidence", confidence)
    _integer("resamples", resamples, 100, 100_000)
    _integer("seed", seed, 0)
    table, values = _values(path, column, sheet, minimum=2)
    array = np.asarray(values)
    samples = np.random.default_rng(seed).choice(array, size=(resamples, len(array)), replace=True)
    estimates = functions[statistic](samples)
    low, high = np.percentile(estimates, [100 * (1 - level) / 2, 100 * (1 + level) / 2])
    return {"column": table.name(column), "statistic": statistic, "n": len(values),
            "estimate": _r(functions[statistic](array)), "confidence": level, "low": _r(low), "high": _r(high),
            "resamples": resamples, "seed": seed}


# ---------------------------------------------------------------- relationships between columns
def stats_correlation(path: str, column_x: str, column_y: str,
                      method: Literal["pearson", "spearman", "kendall"] = "pearson", sheet: str = "") -> dict:
    """Correlate two numeric columns and test whether the correlation differs from zero.

    Pearson measures a linear relationship; Spearman and Kendall measure a monotonic one from ranks and
    resist outliers. Only rows with a value in both columns are used.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column_x: Name of the first numeric column (e.g. "quantity").
        column_y: Name of the second numeric column (e.g. "total").
        method: "pearson", "spearman" or "kendall".
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    tests = {"pearson": stats.pearsonr, "spearman": stats.spearmanr, "kendall": stats.kendalltau}
    if method not in tests:
        raise ToolError(f"'method' must be 'pearson', 'spearman' or 'kendall', got {method!r}")
    table = _table(path, sheet)
    pairs = table.complete(column_x, column_y)
    _enough(pairs, 3, "the pair of columns")
    xs, ys = zip(*pairs)
    result = _quietly(tests[method], xs, ys)
    return {"column_x": table.name(column_x), "column_y": table.name(column_y), "method": method, "n": len(pairs),
            "coefficient": _r(result[0]), "p_value": _r(result[1])}


def stats_correlation_matrix(path: str, columns: list[str] = [],
                             method: Literal["pearson", "spearman", "kendall"] = "pearson", sheet: str = "") -> dict:
    """Correlate every pair of several numeric columns at once.

    Each pair uses the rows where both columns have a value.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        columns: Names of the numeric columns to include, e.g. ["quantity", "unit_price", "total"]; empty means every numeric column.
        method: "pearson", "spearman" or "kendall".
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import pandas as pd

    if method not in ("pearson", "spearman", "kendall"):
        raise ToolError(f"'method' must be 'pearson', 'spearman' or 'kendall', got {method!r}")
    if not isinstance(columns, list):
        raise ToolError(f"'columns' must be a list of column names, got {columns!r}")
    table = _table(path, sheet)
    names = [table.name(c) for c in columns] if columns else \
        [c for i, c in enumerate(table.columns) if table.is_numeric(i)]
    names = list(dict.fromkeys(names))
    if len(names) < 2:
        raise ToolError("at least two numeric columns are needed for a correlation matrix")
    frame = pd.DataFrame({name: table.numbers(name) for name in names}, dtype=float)
    matrix = _quietly(frame.corr, method=method, min_periods=3)
    return {"method": method, "columns": names,
            "matrix": {a: {b: _r(matrix.loc[a, b]) for b in names} for a in names}}


def stats_covariance(path: str, column_x: str, column_y: str, sheet: str = "") -> dict:
    """Compute the sample covariance of two numeric columns (rows with both values only).

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column_x: Name of the first numeric column.
        column_y: Name of the second numeric column.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    table = _table(path, sheet)
    pairs = table.complete(column_x, column_y)
    _enough(pairs, 2, "the pair of columns")
    xs, ys = (np.asarray(v) for v in zip(*pairs))
    return {"column_x": table.name(column_x), "column_y": table.name(column_y), "n": len(pairs),
            "covariance": _r(np.cov(xs, ys, ddof=1)[0, 1]), "mean_x": _r(xs.mean()), "mean_y": _r(ys.mean())}


# ---------------------------------------------------------------- tests of means, medians and distributions
def stats_ttest_one_sample(path: str, column: str, population_mean: float, alternative: _Alternative = "two-sided",
                           sheet: str = "") -> dict:
    """Test whether the mean of a numeric column differs from a given value (one-sample Student's t-test).

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        population_mean: Hypothesised mean to test against, e.g. 100.
        alternative: "two-sided" (mean differs), "less" (mean is smaller) or "greater" (mean is larger).
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    table, values = _values(path, column, sheet, minimum=2)
    result = _quietly(stats.ttest_1samp, values, population_mean, alternative=_alternative(alternative))
    return {"column": table.name(column), **_summary(values), "population_mean": population_mean,
            "alternative": alternative, "t": _r(result.statistic), "df": _r(result.df), "p_value": _r(result.pvalue)}


def stats_ttest_two_groups(path: str, value_column: str, group_column: str, group_a: str, group_b: str,
                           equal_variance: bool = False, alternative: _Alternative = "two-sided", sheet: str = "") -> dict:
    """Compare the means of a numeric column between two groups of rows (Welch's t-test by default).

    The groups are the rows whose group column equals group_a and group_b respectively.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column to compare (e.g. "salary").
        group_column: Name of the column that assigns rows to groups (e.g. "department").
        group_a: Value of the group column for the first group, e.g. "Sales".
        group_b: Value of the group column for the second group, e.g. "Engineering".
        equal_variance: Whether to assume equal variances (Student's t-test); false uses Welch's test.
        alternative: "two-sided", "less" (group_a mean is smaller) or "greater" (group_a mean is larger).
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    table, a, b = _two_groups(path, value_column, group_column, group_a, group_b, sheet)
    result = _quietly(stats.ttest_ind, a, b, equal_var=bool(equal_variance), alternative=_alternative(alternative))
    return {"value_column": table.name(value_column), "test": "student" if equal_variance else "welch",
            "groups": {str(group_a): _summary(a), str(group_b): _summary(b)}, "alternative": alternative,
            "t": _r(result.statistic), "df": _r(result.df), "p_value": _r(result.pvalue)}


def stats_ttest_paired(path: str, column_a: str, column_b: str, alternative: _Alternative = "two-sided",
                       sheet: str = "") -> dict:
    """Test whether two numeric columns measured on the same rows differ on average (paired t-test).

    Typical uses are before/after or system/counted pairs. Rows missing either value are skipped.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column_a: Name of the first numeric column (e.g. "system_units").
        column_b: Name of the second numeric column (e.g. "counted_units").
        alternative: "two-sided", "less" (column_a is smaller) or "greater" (column_a is larger).
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    table = _table(path, sheet)
    pairs = table.complete(column_a, column_b)
    _enough(pairs, 2, "the pair of columns")
    a, b = zip(*pairs)
    result = _quietly(stats.ttest_rel, a, b, alternative=_alternative(alternative))
    return {"column_a": table.name(column_a), "column_b": table.name(column_b), "n": len(pairs),
            "mean_difference": _r(math.fsum(x - y for x, y in pairs) / len(pairs)), "alternative": alternative,
            "t": _r(result.statistic), "df": _r(result.df), "p_value": _r(result.pvalue)}


def stats_mann_whitney(path: str, value_column: str, group_column: str, group_a: str, group_b: str,
                       alternative: _Alternative = "two-sided", sheet: str = "") -> dict:
    """Compare a numeric column between two groups without assuming normality (Mann-Whitney U test).

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column to compare.
        group_column: Name of the column that assigns rows to groups.
        group_a: Value of the group column for the first group.
        group_b: Value of the group column for the second group.
        alternative: "two-sided", "less" (group_a tends to be smaller) or "greater" (group_a tends to be larger).
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    table, a, b = _two_groups(path, value_column, group_column, group_a, group_b, sheet)
    result = _quietly(stats.mannwhitneyu, a, b, alternative=_alternative(alternative))
    return {"value_column": table.name(value_column), "groups": {str(group_a): _summary(a), str(group_b): _summary(b)},
            "alternative": alternative, "u": _r(result.statistic), "p_value": _r(result.pvalue)}


def stats_cohens_d(path: str, value_column: str, group_column: str, group_a: str, group_b: str, sheet: str = "") -> dict:
    """Measure the effect size between two groups' means: Cohen's d with the pooled standard deviation.

    Also gives Hedges' g (d corrected for small samples) and the usual verbal magnitude
    (below 0.2 negligible, 0.5 small, 0.8 medium, otherwise large).

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column to compare.
        group_column: Name of the column that assigns rows to groups.
        group_a: Value of the group column for the first group (positive d means its mean is larger).
        group_b: Value of the group column for the second group.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np

    table, a, b = _two_groups(path, value_column, group_column, group_a, group_b, sheet)
    na, nb = len(a), len(b)
    pooled = math.sqrt(((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1)) / (na + nb - 2))
    if pooled == 0:
        raise ToolError("both groups are constant: the effect size is undefined")
    d = (np.mean(a) - np.mean(b)) / pooled
    magnitude = next(label for bound, label in ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"), (math.inf, "large"))
                     if abs(d) < bound)
    return {"value_column": table.name(value_column), "groups": {str(group_a): _summary(a), str(group_b): _summary(b)},
            "pooled_std": _r(pooled), "cohens_d": _r(d), "hedges_g": _r(d * (1 - 3 / (4 * (na + nb) - 9))),
            "magnitude": magnitude}


def stats_anova(path: str, value_column: str, group_column: str, sheet: str = "") -> dict:
    """Test whether the mean of a numeric column differs across the groups of a category column (one-way ANOVA).

    Groups with fewer than two values are left out and listed. Eta squared is the share of the
    variance explained by the groups.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column to compare (e.g. "delivery_days").
        group_column: Name of the column whose values define the groups (e.g. "carrier").
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np
    from scipy import stats

    groups, skipped = _many_groups(path, value_column, group_column, sheet)
    result = _quietly(stats.f_oneway, *groups.values())
    everything = np.concatenate([np.asarray(v) for v in groups.values()])
    between = sum(len(v) * (np.mean(v) - everything.mean()) ** 2 for v in groups.values())
    total = ((everything - everything.mean()) ** 2).sum()
    return {"groups": {label: _summary(values) for label, values in groups.items()}, "skipped_groups": skipped,
            "f": _r(result.statistic), "df_between": len(groups) - 1, "df_within": len(everything) - len(groups),
            "p_value": _r(result.pvalue), "eta_squared": _r(between / total) if total else None}


def stats_kruskal(path: str, value_column: str, group_column: str, sheet: str = "") -> dict:
    """Test whether a numeric column differs across groups without assuming normality (Kruskal-Wallis H test).

    The groups are the values of a category column; groups with fewer than two values are left out
    and listed.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column to compare.
        group_column: Name of the column whose values define the groups.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    groups, skipped = _many_groups(path, value_column, group_column, sheet)
    try:
        result = _quietly(stats.kruskal, *groups.values())
    except ValueError as exc:  # every value identical
        raise ToolError(f"Kruskal-Wallis test is undefined here: {exc}") from None
    return {"groups": {label: _summary(values) for label, values in groups.items()}, "skipped_groups": skipped,
            "h": _r(result.statistic), "df": len(groups) - 1, "p_value": _r(result.pvalue)}


def stats_levene(path: str, value_column: str, group_column: str, center: Literal["median", "mean"] = "median",
                 sheet: str = "") -> dict:
    """Test whether the groups of a category column have equal variances in a numeric column (Levene's test).

    Useful before choosing between Student's and Welch's t-test or trusting an ANOVA.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column.
        group_column: Name of the column whose values define the groups.
        center: "median" (Brown-Forsythe, robust to non-normal data) or "mean" (Levene's original test).
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np
    from scipy import stats

    if center not in ("median", "mean"):
        raise ToolError(f"'center' must be 'median' or 'mean', got {center!r}")
    groups, skipped = _many_groups(path, value_column, group_column, sheet)
    result = _quietly(stats.levene, *groups.values(), center=center)
    return {"groups": {label: {"n": len(v), "variance": _r(np.var(v, ddof=1))} for label, v in groups.items()},
            "skipped_groups": skipped, "center": center, "w": _r(result.statistic), "p_value": _r(result.pvalue)}


def stats_shapiro(path: str, column: str, alpha: float = 0.05, sheet: str = "") -> dict:
    """Test whether a numeric column looks normally distributed (Shapiro-Wilk test).

    A p-value below alpha rejects normality.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column, as in the header row.
        alpha: Significance level strictly between 0 and 1, e.g. 0.05.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    level = _fraction("alpha", alpha)
    table, values = _values(path, column, sheet, minimum=3)
    if max(values) == min(values):
        raise ToolError(f"column '{table.name(column)}' is constant: normality cannot be tested")
    result = _quietly(stats.shapiro, values)
    return {"column": table.name(column), "n": len(values), "w": _r(result.statistic), "p_value": _r(result.pvalue),
            "alpha": level, "normal": bool(result.pvalue >= level)}


def stats_chi_square(path: str, column_a: str, column_b: str, sheet: str = "") -> dict:
    """Test whether two categorical columns are independent (chi-square test on their contingency table).

    Rows with an empty cell in either column are skipped. Returns the table of counts, the test,
    Cramér's V (0 = no association, 1 = perfect) and how many cells expect fewer than 5 rows
    (when many do, the test is unreliable).

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column_a: Name of the first categorical column (table rows), e.g. "carrier".
        column_b: Name of the second categorical column (table columns), e.g. "warehouse".
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np
    from scipy import stats

    table = _table(path, sheet)
    pairs = [(a, b) for a, b in zip(table.texts(column_a), table.texts(column_b)) if a and b]
    row_labels, col_labels = sorted({a for a, _ in pairs}), sorted({b for _, b in pairs})
    for column, labels in ((column_a, row_labels), (column_b, col_labels)):
        if len(labels) < 2 or len(labels) > _MAX_CATEGORIES:
            raise ToolError(f"column '{table.name(column)}' has {len(labels)} categories; "
                            f"a chi-square test needs 2 to {_MAX_CATEGORIES}")
    counts = collections.Counter(pairs)
    observed = np.array([[counts[(a, b)] for b in col_labels] for a in row_labels])
    result = stats.chi2_contingency(observed)
    smaller = min(observed.shape) - 1
    return {"column_a": table.name(column_a), "column_b": table.name(column_b), "n": len(pairs),
            "table": {"rows": row_labels, "columns": col_labels, "counts": observed.tolist()},
            "chi2": _r(result.statistic), "df": int(result.dof), "p_value": _r(result.pvalue),
            "cramers_v": _r(math.sqrt(result.statistic / (len(pairs) * smaller))),
            "cells_expected_below_5": int((result.expected_freq < 5).sum())}


# ---------------------------------------------------------------- regression
def _design(path: str, y_column: str, x_columns: list[str], sheet: str) -> tuple[_Table, str, list[str]]:
    """The table, the outcome column's name and the distinct predictor names, checked."""
    if not isinstance(x_columns, list) or not x_columns or not all(isinstance(c, str) for c in x_columns):
        raise ToolError(f"'x_columns' must be a non-empty list of column names, got {x_columns!r}")
    table = _table(path, sheet)
    y = table.name(y_column)
    xs = list(dict.fromkeys(table.name(c) for c in x_columns))
    if y in xs:
        raise ToolError(f"'{y}' cannot be both the outcome and a predictor")
    return table, y, xs


def _coefficients(fit: Any, names: list[str], extra: Any = None) -> list[dict]:
    interval = fit.conf_int()
    rows = []
    for i, name in enumerate(["const", *names]):
        row = {"term": name, "estimate": _r(fit.params[i]), "std_error": _r(fit.bse[i]), "p_value": _r(fit.pvalues[i]),
               "ci_low": _r(interval[i][0]), "ci_high": _r(interval[i][1])}
        rows.append(row | (extra(fit.params[i]) if extra else {}))
    return rows


def _odds_ratio(beta: float) -> dict[str, float | None]:
    return {"odds_ratio": _r(math.exp(beta)) if beta < 700 else None}


def stats_ols(path: str, y_column: str, x_columns: list[str], sheet: str = "") -> dict:
    """Fit a linear regression (ordinary least squares with an intercept) of one numeric column on one or more others.

    Rows missing any of the columns are skipped. Returns each coefficient with its standard error,
    p-value and 95% confidence interval, R², adjusted R² and the overall F-test.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        y_column: Name of the numeric outcome column (e.g. "total").
        x_columns: Names of the numeric predictor columns, e.g. ["quantity", "discount_pct"].
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import numpy as np
    import statsmodels.api as sm

    table, y, xs = _design(path, y_column, x_columns, sheet)
    rows = np.asarray(table.complete(y, *xs))
    if len(rows) < len(xs) + 2:
        raise ToolError(f"{len(rows)} complete rows are too few to fit {len(xs)} predictor(s) and an intercept")
    fit = sm.OLS(rows[:, 0], sm.add_constant(rows[:, 1:], has_constant="add")).fit()
    return {"y_column": y, "x_columns": xs, "n": len(rows), "r_squared": _r(fit.rsquared),
            "adj_r_squared": _r(fit.rsquared_adj), "f_statistic": _r(fit.fvalue), "f_p_value": _r(fit.f_pvalue),
            "coefficients": _coefficients(fit, xs)}


def stats_logistic_regression(path: str, y_column: str, x_columns: list[str], positive_value: str = "",
                              sheet: str = "") -> dict:
    """Fit a logistic regression of a yes/no outcome on one or more numeric columns (maximum likelihood).

    The outcome is 1 where the y column equals positive_value and 0 elsewhere, so any category
    column can serve (e.g. status = "delivered"). Coefficients are log-odds; odds ratios are given too.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        y_column: Name of the outcome column.
        x_columns: Names of the numeric predictor columns, e.g. ["quantity", "discount_pct"].
        positive_value: Value of the y column that counts as the outcome 1; empty is allowed only when the column has exactly two distinct values (then the larger number, or the alphabetically last text, is 1).
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    import warnings

    import numpy as np
    import statsmodels.api as sm

    table, y, xs = _design(path, y_column, x_columns, sheet)
    outcomes = table.texts(y)
    predictors = list(zip(*(table.numbers(x) for x in xs)))
    rows = [(label, values) for label, values in zip(outcomes, predictors) if label and None not in values]
    distinct = sorted({label for label, _ in rows})
    if not positive_value:
        if len(distinct) != 2:
            raise ToolError(f"'{y}' has {len(distinct)} distinct values; name the one that counts as 1 in positive_value")
        try:
            positive_value = max(distinct, key=float)
        except ValueError:
            positive_value = distinct[-1]
    if str(positive_value) not in distinct:
        raise ToolError(f"no row has {y} = '{positive_value}'; values: {', '.join(distinct[:20])}")
    target = np.array([label == str(positive_value) for label, _ in rows], dtype=float)
    if target.all():
        raise ToolError(f"every row has {y} = '{positive_value}': there is nothing to contrast it with")
    if len(rows) < len(xs) + 2:
        raise ToolError(f"{len(rows)} complete rows are too few to fit {len(xs)} predictor(s) and an intercept")
    design = sm.add_constant(np.array([values for _, values in rows]), has_constant="add")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            warnings.simplefilter("ignore", category=UserWarning)
            fit = sm.Logit(target, design).fit(disp=0, maxiter=200)
    except Exception as exc:  # perfect separation, singular design, overflow: the data cannot support the model
        raise ToolError(f"the logistic model cannot be fitted to these columns ({type(exc).__name__}: {exc})") from None
    return {"y_column": y, "positive_value": str(positive_value), "x_columns": xs, "n": len(rows),
            "positives": int(target.sum()), "pseudo_r_squared": _r(fit.prsquared), "log_likelihood": _r(fit.llf),
            "converged": bool(fit.mle_retvals.get("converged", True)), "coefficients": _coefficients(fit, xs, _odds_ratio)}


# ---------------------------------------------------------------- series over time
def _ordered(path: str, column: str, order_by: str, sheet: str, limit: int) -> tuple[_Table, list[str], list[float]]:
    _integer("limit", limit, 1)
    table = _table(path, sheet)
    labels, values = _series(table, column, order_by)
    _enough(values, 1, f"column '{table.name(column)}'")
    return table, labels, values


def _tail(labels: list[str], values: list[float], smoothed: list[float | None], key: str, limit: int) -> list[dict]:
    points = [{"at": label, "value": _r(v), key: _r(s)} for label, v, s in zip(labels, values, smoothed)]
    return points[-limit:]


def stats_moving_average(path: str, column: str, window: int = 3, order_by: str = "", limit: int = 20,
                         sheet: str = "") -> dict:
    """Smooth a numeric column with a trailing moving average of `window` values.

    Rows are taken in file order, or sorted by another column (e.g. a date column). The first
    window - 1 points have no average (null). Returns the last `limit` points, the most recent ones.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column to smooth.
        window: Number of consecutive values averaged at each point (at least 1).
        order_by: Column to sort the rows by first (e.g. "order_date"); empty keeps the file's order. Each point is labelled with this column's value, or its data row number.
        limit: Maximum number of points to return, counted from the end of the series.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    _integer("window", window, 1)
    table, labels, values = _ordered(path, column, order_by, sheet, limit)
    averages = [math.fsum(values[i + 1 - window:i + 1]) / window if i + 1 >= window else None for i in range(len(values))]
    return {"column": table.name(column), "window": window, "points": len(values),
            "series": _tail(labels, values, averages, "moving_average", limit)}


def stats_exponential_smoothing(path: str, column: str, alpha: float = 0.3, order_by: str = "", limit: int = 20,
                                sheet: str = "") -> dict:
    """Smooth a numeric column with simple exponential smoothing and forecast the next value.

    Each smoothed value is alpha * value + (1 - alpha) * previous smoothed value, starting from the
    first value; the forecast for the next point is the last smoothed value. Returns the last
    `limit` points.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        column: Name of the numeric column to smooth.
        alpha: Smoothing factor strictly between 0 and 1; larger values follow recent data more closely.
        order_by: Column to sort the rows by first (e.g. "ship_date"); empty keeps the file's order. Each point is labelled with this column's value, or its data row number.
        limit: Maximum number of points to return, counted from the end of the series.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    weight = _fraction("alpha", alpha)
    table, labels, values = _ordered(path, column, order_by, sheet, limit)
    smoothed = [values[0]]
    for value in values[1:]:
        smoothed.append(weight * value + (1 - weight) * smoothed[-1])
    return {"column": table.name(column), "alpha": weight, "points": len(values), "forecast": _r(smoothed[-1]),
            "series": _tail(labels, values, smoothed, "smoothed", limit)}


def _period_start(day: _date_type, period: str) -> _date_type:
    if period == "week":
        return day - _timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return _date_type(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return _date_type(day.year, 1, 1)
    return day


def _period_name(start: _date_type, period: str) -> str:
    names = {"month": f"{start:%Y-%m}", "quarter": f"{start.year}-Q{(start.month - 1) // 3 + 1}",
             "year": str(start.year), "week": f"{start.isocalendar()[0]}-W{start.isocalendar()[1]:02d}"}
    return names.get(period, start.isoformat())


def _by_period(table: _Table, value_column: str, date_column: str, period: str) -> dict[_date_type, list[float]]:
    if period not in _DAYS_PER_PERIOD:
        raise ToolError(f"'period' must be one of {', '.join(_DAYS_PER_PERIOD)}, got {period!r}")
    buckets: dict[_date_type, list[float]] = {}
    for day, value in zip(table.dates(date_column), table.numbers(value_column)):
        if day is not None and value is not None:
            buckets.setdefault(_period_start(day, period), []).append(value)
    if not buckets:
        raise ToolError(f"no rows have both a _date_type in '{table.name(date_column)}' and a value in '{table.name(value_column)}'")
    return dict(sorted(buckets.items()))


def stats_period_totals(path: str, value_column: str, date_column: str, period: _Period = "month",
                        statistic: Literal["sum", "mean", "count"] = "sum", sheet: str = "") -> list[dict]:
    """Aggregate a numeric column by calendar period of a date column (e.g. revenue per month).

    Periods without any row are not listed. Weeks start on Monday and are named by ISO week.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column to aggregate (e.g. "total").
        date_column: Name of the column holding ISO dates, YYYY-MM-DD (e.g. "order_date").
        period: "day", "week", "month", "quarter" or "year".
        statistic: "sum", "mean" or "count" of the values in each period.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    aggregate = {"sum": math.fsum, "mean": lambda v: math.fsum(v) / len(v), "count": len}
    if statistic not in aggregate:
        raise ToolError(f"'statistic' must be 'sum', 'mean' or 'count', got {statistic!r}")
    buckets = _by_period(_table(path, sheet), value_column, date_column, period)
    return [{"period": _period_name(start, period), "start": start.isoformat(),
             statistic: len(values) if statistic == "count" else _r(aggregate[statistic](values))}
            for start, values in buckets.items()]


def stats_linear_trend(path: str, value_column: str, date_column: str,
                       period: Literal["none", "day", "week", "month", "quarter", "year"] = "none", sheet: str = "") -> dict:
    """Fit a straight-line trend of a numeric column over a date column: slope per day and per year, R², p-value.

    With a period other than "none" the values are first summed per period (e.g. monthly revenue)
    and the trend is fitted to those totals, placed at each period's start; slope_per_period is then
    the change from one period to the next.

    Args:
        path: CSV, TSV or .xlsx file to analyse, relative to the working directory.
        value_column: Name of the numeric column (e.g. "total").
        date_column: Name of the column holding ISO dates, YYYY-MM-DD (e.g. "order_date").
        period: "none" to use every row, or "day", "week", "month", "quarter" or "year" to fit period totals.
        sheet: Worksheet name for .xlsx files; empty means the first sheet. Ignored for CSV and TSV files.
    """
    from scipy import stats

    table = _table(path, sheet)
    if period == "none":
        points = [(d, v) for d, v in zip(table.dates(date_column), table.numbers(value_column))
                  if d is not None and v is not None]
    else:
        points = [(start, math.fsum(values)) for start, values in _by_period(table, value_column, date_column, period).items()]
    points.sort()
    _enough(points, 3, "the series")
    first, last = points[0][0], points[-1][0]
    if first == last:
        raise ToolError("all the values fall on one date: a trend over time needs at least two dates")
    days = [(d - first).days for d, _ in points]
    fit = stats.linregress(days, [v for _, v in points])
    result = {"value_column": table.name(value_column), "date_column": table.name(date_column), "period": period,
              "n": len(points), "start": first.isoformat(), "end": last.isoformat(), "slope_per_day": _r(fit.slope),
              "slope_per_year": _r(fit.slope * 365.25), "intercept_at_start": _r(fit.intercept),
              "fitted_at_end": _r(fit.intercept + fit.slope * days[-1]), "r_squared": _r(fit.rvalue ** 2),
              "p_value": _r(fit.pvalue), "direction": "up" if fit.slope > 0 else "down" if fit.slope < 0 else "flat"}
    if period != "none":
        result["slope_per_period"] = _r(fit.slope * _DAYS_PER_PERIOD[period])
    return result


# ---------------------------------------------------------------- from counts
def stats_sample_size_proportion(margin_of_error: float = 0.05, confidence: float = 0.95, proportion: float = 0.5,
                                 population: int = 0) -> dict:
    """Compute how many people to survey to estimate a proportion within a margin of error.

    Uses n = z² p (1 - p) / e², with the finite-population correction when a population size is given.
    proportion = 0.5 is the cautious choice when nothing is known.

    Args:
        margin_of_error: Acceptable error as a fraction, e.g. 0.05 for plus or minus 5 percentage points.
        confidence: Confidence level strictly between 0 and 1, e.g. 0.95.
        proportion: Expected proportion strictly between 0 and 1, e.g. 0.5.
        population: Size of the whole population for the finite-population correction; 0 means very large.
    """
    from scipy import stats

    error = _fraction("margin_of_error", margin_of_error)
    level = _fraction("confidence", confidence)
    p = _fraction("proportion", proportion)
    _integer("population", population, 0)
    z = stats.norm.ppf((1 + level) / 2)
    infinite = z ** 2 * p * (1 - p) / error ** 2
    needed = infinite / (1 + (infinite - 1) / population) if population else infinite
    return {"sample_size": math.ceil(needed - 1e-9), "sample_size_unlimited_population": math.ceil(infinite - 1e-9),
            "z": _r(z), "margin_of_error": error, "confidence": level, "proportion": p, "population": population}


def stats_binomial_test(successes: int, trials: int, probability: float = 0.5, alternative: _Alternative = "two-sided") -> dict:
    """Test whether an observed success count fits an expected success probability (exact binomial test).

    Also gives the exact (Clopper-Pearson) 95% confidence interval of the success rate.

    Args:
        successes: Number of successes observed, e.g. 18.
        trials: Number of trials, at least 1 and not below successes, e.g. 50.
        probability: Success probability under the null hypothesis, strictly between 0 and 1.
        alternative: "two-sided", "less" (true rate is smaller) or "greater" (true rate is larger).
    """
    from scipy import stats

    _integer("trials", trials, 1)
    _integer("successes", successes, 0, trials)
    p = _fraction("probability", probability)
    result = stats.binomtest(successes, trials, p, alternative=_alternative(alternative))
    interval = result.proportion_ci(confidence_level=0.95, method="exact")
    return {"successes": successes, "trials": trials, "observed_rate": _r(successes / trials), "probability": p,
            "alternative": alternative, "p_value": _r(result.pvalue), "ci_low": _r(interval.low),
            "ci_high": _r(interval.high)}


def stats_proportions_ztest(successes: list[int], trials: list[int], null_proportion: float = 0.5,
                            alternative: _Alternative = "two-sided") -> dict:
    """Z-test for proportions: one sample against a null proportion, or two samples against each other.

    With two samples the test asks whether the two success rates differ (null_proportion is unused).

    Args:
        successes: Success counts, one per sample, e.g. [45, 30].
        trials: Number of trials of each sample, in the same order, e.g. [100, 90].
        null_proportion: Proportion tested against with a single sample, strictly between 0 and 1.
        alternative: "two-sided", "less" or "greater" (the first sample's rate is larger than the second's or than the null proportion).
    """
    from statsmodels.stats.proportion import proportions_ztest

    if not isinstance(successes, list) or not isinstance(trials, list) or len(successes) != len(trials) \
            or len(successes) not in (1, 2):
        raise ToolError("'successes' and 'trials' must be lists of the same length, 1 or 2")
    for count, total in zip(successes, trials):
        _integer("trials", total, 1)
        _integer("successes", count, 0, total)
    p = _fraction("null_proportion", null_proportion)
    sided = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}[_alternative(alternative)]
    z, p_value = _quietly(proportions_ztest, successes, trials, alternative=sided) if len(successes) == 2 else \
        _quietly(proportions_ztest, successes[0], trials[0], value=p, alternative=sided)
    return {"proportions": [_r(c / t) for c, t in zip(successes, trials)],
            "null_proportion": p if len(successes) == 1 else None, "alternative": alternative,
            "z": _r(z), "p_value": _r(p_value)}
