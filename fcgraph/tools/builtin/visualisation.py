"""Chart tools: draw bar, line, scatter, pie, box, area and heatmap charts from table columns as PNG files.

Data comes from a CSV, TSV or Excel (.xlsx) file, read by one shared loader: cells are numbers where
they parse as numbers, dates where they parse as ISO dates. Every chart has the same size and
resolution and is written without a time stamp or software tag, so the same data always gives the
same PNG bytes. Charts are written next to the data unless `output_path` says otherwise (a file
already there is replaced); paths are relative to the working directory and confined to it.
"""

from pathlib import Path
from typing import Any, Literal

from fcgraph.tools.builtin._tables import (
    _column_name,
    _sheet_name,
    _table_file,
    _text_frame,
)
from fcgraph.tools.paths import ToolError, relative, resolve

CATEGORY = "visualisation"

_SIZE_INCHES = (8.0, 5.0)
_DPI = 100
_MAX_TICK_LABELS = 20
_MAX_SERIES = 12
_MAX_HEATMAP_COLUMNS = 15
_BLANK = "(blank)"
_Aggregate = Literal["sum", "mean", "median", "min", "max"]


# ---------------------------------------------------------------- checks and numbers
def _at_least(name: str, value: int, minimum: int = 1) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ToolError(f"'{name}' must be an integer >= {minimum}, got {value!r}")


def _number(value: Any) -> int | float | None:
    """A JSON-safe number with 6 significant digits (None for NaN or infinity)."""
    import math

    value = float(value)
    if not math.isfinite(value):
        return None
    rounded = float(f"{value:.6g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded


def _label(value: Any) -> str:
    """How a category value is shown: dates without a midnight time, whole floats without '.0'."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return _BLANK
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or _BLANK


# ---------------------------------------------------------------- reading tables
def _table(path: str, sheet: str = "") -> tuple[Path, Any]:
    """The file's first sheet (or `sheet`) as a DataFrame with text column names."""
    import zipfile

    import pandas as pd

    resolved = _table_file(path, (".csv", ".tsv", ".xlsx", ".xlsm"), "a data file",
                           "a CSV, TSV or Excel (.xlsx) file")
    try:
        if resolved.suffix.lower() in (".csv", ".tsv"):
            frame = _text_frame(resolved, path)
        else:
            with pd.ExcelFile(resolved, engine="openpyxl") as book:
                frame = book.parse(_sheet_name([str(name) for name in book.sheet_names], sheet, path))
    except pd.errors.EmptyDataError:
        raise ToolError(f"'{path}' is empty") from None
    except (pd.errors.ParserError, ValueError, zipfile.BadZipFile, KeyError, OSError) as exc:  # ValueError: bad bytes
        raise ToolError(f"'{path}' could not be read as a table: {exc}") from None
    if frame.empty:
        raise ToolError(f"'{path}'{f' sheet {sheet!r}' if sheet else ''} has no data rows")
    frame.columns = [str(column) for column in frame.columns]
    return resolved, frame


def _column(frame: Any, name: str, path: str) -> str:
    return _column_name(list(frame.columns), name, path)


def _numbers(frame: Any, name: str, path: str) -> Any:
    """A column as floats (NaN where a cell is empty or not a number); it must hold at least one number."""
    import pandas as pd

    column = _column(frame, name, path)
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    if values.notna().sum() == 0:
        raise ToolError(f"column '{column}' of '{path}' has no numeric values")
    return values.rename(column)


def _keys(frame: Any, name: str, path: str) -> Any:
    """A column as category labels (text), so numbers, dates and blanks group and print consistently."""
    column = _column(frame, name, path)
    return frame[column].map(_label).rename(column)


def _aggregated(frame: Any, keys: list[Any], value_column: str, aggregate: str, path: str) -> Any:
    """Values per key (or key tuple) in order of first appearance: the aggregate of a value column, or row counts."""
    if not value_column:
        return frame.groupby(keys, sort=False).size().astype(float)
    if aggregate not in ("sum", "mean", "median", "min", "max"):
        raise ToolError(f"unsupported aggregate '{aggregate}'; use sum, mean, median, min or max")
    values = _numbers(frame, value_column, path)
    present = values.notna()
    return values[present].groupby([key[present] for key in keys], sort=False).agg(aggregate)


def _sentence(text: str) -> str:
    """Upper-case the first letter only (str.capitalize would lower-case column names)."""
    return text[:1].upper() + text[1:]


def _what(frame: Any, value_column: str, aggregate: str, path: str) -> str:
    """The axis label of an aggregated value: e.g. "sum of amount", or "rows" when counting."""
    return f"{aggregate} of {_column(frame, value_column, path)}" if value_column else "rows"


def _dates(raw: Any) -> Any:
    """A column as timestamps: datetime cells as they are, ISO date text parsed, anything else NaT."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(raw):
        return raw
    if pd.api.types.is_numeric_dtype(raw):  # numbers are not dates (pandas would read them as epoch offsets)
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    return pd.to_datetime(raw.astype(str), errors="coerce", format="ISO8601")


def _x_order(frame: Any, name: str, path: str) -> tuple[Any, Any]:
    """Rows sorted along a numeric or date column, with the x values to plot; other columns keep file order.

    Text x values are plotted at positions 0, 1, 2... and labelled (see `_category_ticks`).
    """
    import pandas as pd

    column = _column(frame, name, path)
    raw = frame[column]
    numbers = pd.to_numeric(raw, errors="coerce")
    key = numbers if numbers.notna().all() else _dates(raw)
    if key.notna().all():
        order = key.sort_values(kind="stable").index
        return frame.loc[order].reset_index(drop=True), key.loc[order].reset_index(drop=True)
    return frame.reset_index(drop=True), raw.map(_label).reset_index(drop=True)


# ---------------------------------------------------------------- drawing and saving
def _target(source: Path | None, output_path: str, kind: str) -> Path:
    """Where a chart goes: `output_path`, or '<data stem>_<kind>.png' next to the data."""
    if not output_path:
        if source is None:
            raise ToolError("output_path is required, e.g. 'charts/summary.png'")
        return source.with_name(f"{source.stem}_{kind}.png")
    target = resolve(output_path, must_exist=False)
    if target.suffix.lower() != ".png":
        raise ToolError(f"output_path must end in .png, got '{output_path}'")
    if target.is_dir():
        raise ToolError(f"'{output_path}' is a directory")
    if target.parent.exists() and not target.parent.is_dir():
        raise ToolError(f"'{relative(target.parent)}' is a file, not a folder")
    return target


def _figure() -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=_SIZE_INCHES, dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)  # Agg: pure raster, no display, no global pyplot state
    return figure, figure.subplots()


def _save(figure: Any, source: Path | None, output_path: str, kind: str, title: str, **counts: Any) -> dict:
    """Write the chart to `_target(...)` deterministically (no software or date metadata) and describe it."""
    target = _target(source, output_path, kind)
    figure.axes[0].set_title(title)
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, format="png", dpi=_DPI, metadata={"Software": None})
    return {"path": relative(target), "width": int(_SIZE_INCHES[0] * _DPI),
            "height": int(_SIZE_INCHES[1] * _DPI), **counts, "title": title}


def _category_ticks(axis: Any, labels: list[str], which: str = "x", start: int = 0) -> None:
    """Label positions start, start+1, ... with text, thinned to at most _MAX_TICK_LABELS and slanted when crowded."""
    step = max(1, -(-len(labels) // _MAX_TICK_LABELS))
    shown = labels[::step]
    positions = [start + i for i in range(0, len(labels), step)]
    if which == "x":
        crowded = len(shown) > 6 or max((len(s) for s in shown), default=0) > 10
        axis.set_xticks(positions, shown, rotation=35 if crowded else 0, ha="right" if crowded else "center")
    else:
        axis.set_yticks(positions, shown)


def _draw_bars(axis: Any, labels: list[str], heights: Any, what: str, horizontal: bool = False) -> None:
    """One plain bar per label at positions 0, 1, 2...; horizontal bars read from the top down."""
    if horizontal:
        axis.barh(range(len(labels)), heights, color="tab:blue")
        _category_ticks(axis, labels, "y")
        axis.invert_yaxis()  # first bar on top, as the list reads
        axis.set_xlabel(what)
    else:
        axis.bar(range(len(labels)), heights, color="tab:blue")
        _category_ticks(axis, labels)
        axis.set_ylabel(what)


def _draw_line(axis: Any, labels: list[str], values: Any, what: str) -> None:
    """One marked line through values at positions 0, 1, 2..., labelled with text."""
    axis.plot(range(len(labels)), values, marker="o")
    axis.grid(alpha=0.3)
    _category_ticks(axis, labels)
    axis.set_ylabel(what)


def _draw_pie(axis: Any, values: Any, labels: list[str]) -> None:
    """Slices clockwise from the top, each with its percentage."""
    axis.pie(values, labels=labels, autopct="%1.1f%%", startangle=90, counterclock=False)
    axis.axis("equal")


def _counted(frame: Any, value_column: str, path: str) -> str:
    """What a chart adds up: the value column's name, or "rows" when counting."""
    return _column(frame, value_column, path) if value_column else "rows"


def _series_title(title: str, frame: Any, ys: Any, x_column: str, path: str) -> str:
    return title or f"{', '.join(ys.columns)} by {_column(frame, x_column, path)}"


def _bars(series: Any, descending: bool, limit: int) -> Any:
    _at_least("limit", limit)
    ordered = series.sort_values(ascending=False, kind="stable") if descending else series
    return ordered.iloc[:limit]


def _bar_chart(path: str, category_column: str, value_column: str, aggregate: str, sheet: str, title: str,
               output_path: str, descending: bool, limit: int, horizontal: bool) -> dict:
    source, frame = _table(path, sheet)
    keys = _keys(frame, category_column, path)
    totals = _aggregated(frame, [keys], value_column, aggregate, path)
    shown = _bars(totals, descending, limit)
    figure, axis = _figure()
    what = _what(frame, value_column, aggregate, path)
    _draw_bars(axis, list(shown.index), shown.to_numpy(), what, horizontal)
    return _save(figure, source, output_path, "barh" if horizontal else "bar", title or f"{_sentence(what)} by {keys.name}",
                 bars=len(shown), categories=len(totals),
                 data=[[label, _number(value)] for label, value in shown.items()])


def _series_frame(frame: Any, x_column: str, y_columns: list[str], path: str) -> tuple[Any, Any]:
    """x values in plotting order and the numeric y columns aligned with them."""
    import pandas as pd

    if not y_columns:
        raise ToolError("y_columns must name at least one numeric column")
    if len(y_columns) > _MAX_SERIES:
        raise ToolError(f"at most {_MAX_SERIES} y_columns can be drawn in one chart")
    ordered, x = _x_order(frame, x_column, path)
    ys = pd.concat([_numbers(ordered, column, path) for column in y_columns], axis=1)
    return x, ys


def _plot_x(axis: Any, x: Any) -> Any:
    """Values matplotlib can place: numbers and dates as they are, text as positions with labels."""
    if x.dtype == object or str(x.dtype) in ("str", "string"):
        _category_ticks(axis, list(x))
        return list(range(len(x)))
    if str(x.dtype).startswith("datetime"):
        axis.tick_params(axis="x", labelrotation=30)
    return x.to_numpy()


def _multi_bars(axis: Any, table: Any, stacked: bool) -> None:
    """Bars for a categories x series table: side by side, or stacked on each other."""
    import numpy as np

    positions = np.arange(len(table.index))
    width = 0.8 if stacked else 0.8 / max(1, len(table.columns))
    bottom = np.zeros(len(table.index))
    for number, column in enumerate(table.columns):
        heights = table[column].fillna(0).to_numpy(dtype=float)
        if stacked:
            axis.bar(positions, heights, width, bottom=bottom, label=str(column))
            bottom += heights
        else:
            axis.bar(positions - 0.4 + width * (number + 0.5), heights, width, label=str(column))
    _category_ticks(axis, [str(label) for label in table.index])
    axis.legend(fontsize="small")


def _table_data(table: Any) -> list[dict]:
    return [{"category": str(label), **{str(c): _number(v) for c, v in row.items()}} for label, row in table.iterrows()]


# ---------------------------------------------------------------- tools
def plot_bar_chart(
    path: str,
    category_column: str,
    value_column: str = "",
    aggregate: _Aggregate = "sum",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
    descending: bool = False,
    limit: int = 30,
) -> dict:
    """Draw a vertical bar chart of a value column per category and save it as a PNG.

    Rows with the same category are combined with `aggregate`; with no value column each bar counts
    the rows of its category. Bars keep the order in which categories first appear unless
    `descending` is set. Returns the chart's path, size, the bars drawn and their values.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        category_column: Column whose values label the bars (e.g. "department").
        value_column: Numeric column to aggregate per category (e.g. "amount"); empty to count rows per category.
        aggregate: How rows of one category are combined: "sum", "mean", "median", "min" or "max".
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_bar.png" next
            to the data.
        descending: Whether to sort bars from the largest value to the smallest.
        limit: Maximum number of bars drawn (the first ones after sorting).
    """
    return _bar_chart(path, category_column, value_column, aggregate, sheet, title, output_path, descending, limit,
                      horizontal=False)


def plot_horizontal_bar_chart(
    path: str,
    category_column: str,
    value_column: str = "",
    aggregate: _Aggregate = "sum",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
    descending: bool = True,
    limit: int = 30,
) -> dict:
    """Draw a horizontal bar chart (one bar per category, first on top) and save it as a PNG.

    Suits long category names such as product or company names. Rows with the same category are
    combined with `aggregate`; with no value column each bar counts the rows of its category.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        category_column: Column whose values label the bars (e.g. "company").
        value_column: Numeric column to aggregate per category (e.g. "total"); empty to count rows per category.
        aggregate: How rows of one category are combined: "sum", "mean", "median", "min" or "max".
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_barh.png" next
            to the data.
        descending: Whether to sort bars from the largest value (top) to the smallest.
        limit: Maximum number of bars drawn (the first ones after sorting).
    """
    return _bar_chart(path, category_column, value_column, aggregate, sheet, title, output_path, descending, limit,
                      horizontal=True)


def plot_line_chart(
    path: str,
    x_column: str,
    y_columns: list[str],
    sheet: str = "",
    title: str = "",
    output_path: str = "",
    markers: bool = True,
) -> dict:
    """Draw one line per numeric column against an x column and save the chart as a PNG.

    Rows are sorted by x when x holds numbers or ISO dates; text x values keep the file's order and
    are spaced evenly. Empty y cells leave gaps in their line.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        x_column: Column for the horizontal axis (e.g. "order_date" or "Month").
        y_columns: Numeric columns to draw, one line each (e.g. ["Revenue"] or ["budget", "spend"]).
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_line.png" next
            to the data.
        markers: Whether to mark each data point with a dot.
    """
    source, frame = _table(path, sheet)
    x, ys = _series_frame(frame, x_column, y_columns, path)
    figure, axis = _figure()
    positions = _plot_x(axis, x)
    for column in ys.columns:
        axis.plot(positions, ys[column].to_numpy(), marker="o" if markers else None, markersize=3, label=column)
    axis.set_xlabel(x_column)
    if len(ys.columns) > 1:
        axis.legend(fontsize="small")
    axis.grid(alpha=0.3)
    return _save(figure, source, output_path, "line", _series_title(title, frame, ys, x_column, path),
                 points=len(x), series=list(ys.columns))


def plot_area_chart(
    path: str,
    x_column: str,
    y_columns: list[str],
    stacked: bool = True,
    sheet: str = "",
    title: str = "",
    output_path: str = "",
) -> dict:
    """Draw a filled area chart of numeric columns against an x column and save it as a PNG.

    Stacked areas show how parts add up to a total over x (e.g. spend per channel over months);
    unstacked areas overlap with transparency. Empty cells count as 0. Rows are sorted by x when x
    holds numbers or ISO dates.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        x_column: Column for the horizontal axis (e.g. "Month").
        y_columns: Numeric columns to fill, one area each (e.g. ["Q1", "Q2"]).
        stacked: Whether to stack the areas on top of each other (True) or overlap them (False).
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_area.png" next
            to the data.
    """
    source, frame = _table(path, sheet)
    x, ys = _series_frame(frame, x_column, y_columns, path)
    ys = ys.fillna(0)
    figure, axis = _figure()
    positions = _plot_x(axis, x)
    if stacked:
        axis.stackplot(positions, *[ys[c].to_numpy() for c in ys.columns], labels=list(ys.columns), alpha=0.8)
    else:
        for column in ys.columns:
            axis.fill_between(positions, ys[column].to_numpy(), alpha=0.4, label=column)
    axis.legend(fontsize="small", loc="upper left")
    axis.set_xlabel(x_column)
    return _save(figure, source, output_path, "area", _series_title(title, frame, ys, x_column, path),
                 points=len(x), series=list(ys.columns), stacked=stacked,
                 final_total=_number(ys.iloc[-1].sum()))


def plot_cumulative_line(
    path: str,
    x_column: str,
    value_column: str,
    sheet: str = "",
    title: str = "",
    output_path: str = "",
) -> dict:
    """Draw the running total of a numeric column along an x column (e.g. revenue to date) as a PNG.

    Rows are sorted by x when x holds numbers or ISO dates (text x keeps the file's order); empty
    value cells add nothing. Returns the chart plus the final running total.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        x_column: Column for the horizontal axis, usually a date (e.g. "order_date").
        value_column: Numeric column to accumulate (e.g. "total").
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_cumulative.png"
            next to the data.
    """
    source, frame = _table(path, sheet)
    x, ys = _series_frame(frame, x_column, [value_column], path)
    running = ys.iloc[:, 0].fillna(0).cumsum()
    figure, axis = _figure()
    axis.plot(_plot_x(axis, x), running.to_numpy(), drawstyle="steps-post", color="tab:green")
    axis.set_xlabel(x_column)
    axis.set_ylabel(f"cumulative {running.name}")
    axis.grid(alpha=0.3)
    return _save(figure, source, output_path, "cumulative",
                 title or f"Cumulative {running.name} by {_column(frame, x_column, path)}",
                 points=len(running), total=_number(running.iloc[-1]))


def plot_scatter_plot(
    path: str,
    x_column: str,
    y_column: str,
    trend_line: bool = False,
    sheet: str = "",
    title: str = "",
    output_path: str = "",
) -> dict:
    """Draw a scatter plot of two numeric columns, optionally with a least-squares trend line, as a PNG.

    Rows where either cell is empty or not a number are left out. With a trend line the result also
    gives its slope, intercept and the Pearson correlation r.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        x_column: Numeric column for the horizontal axis (e.g. "quantity").
        y_column: Numeric column for the vertical axis (e.g. "total").
        trend_line: Whether to fit and draw a straight trend line y = slope * x + intercept.
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_scatter.png"
            next to the data.
    """
    import numpy as np

    source, frame = _table(path, sheet)
    x, y = _numbers(frame, x_column, path), _numbers(frame, y_column, path)
    both = x.notna() & y.notna()
    x, y = x[both].to_numpy(), y[both].to_numpy()
    figure, axis = _figure()
    axis.scatter(x, y, s=18, alpha=0.7)
    axis.set_xlabel(frame[_column(frame, x_column, path)].name)
    axis.set_ylabel(frame[_column(frame, y_column, path)].name)
    axis.grid(alpha=0.3)
    extra: dict[str, Any] = {}
    if trend_line:
        if len(x) < 2 or np.ptp(x) == 0:
            raise ToolError("a trend line needs at least two different x values")
        slope, intercept = np.polyfit(x, y, 1)
        ends = np.array([x.min(), x.max()])
        axis.plot(ends, slope * ends + intercept, color="tab:red", label="trend")
        axis.legend(fontsize="small")
        r = np.corrcoef(x, y)[0, 1] if np.ptp(y) else float("nan")
        extra = {"slope": _number(slope), "intercept": _number(intercept), "r": _number(r)}
    return _save(figure, source, output_path, "scatter",
                 title or f"{axis.get_ylabel()} vs {axis.get_xlabel()}", points=len(x), **extra)


def plot_histogram(
    path: str,
    column: str,
    bins: int = 10,
    sheet: str = "",
    title: str = "",
    output_path: str = "",
) -> dict:
    """Draw a histogram of a numeric column (how many values fall in each range) as a PNG.

    The range from the smallest to the largest value is cut into `bins` equal-width bins. Returns the
    bin edges and the count in each bin.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        column: Numeric column to summarise (e.g. "salary").
        bins: Number of equal-width bins, 1 to 100.
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column name.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_histogram.png"
            next to the data.
    """
    import numpy as np

    _at_least("bins", bins)
    if bins > 100:
        raise ToolError(f"'bins' must be at most 100, got {bins}")
    source, frame = _table(path, sheet)
    values = _numbers(frame, column, path).dropna()
    counts, edges = np.histogram(values.to_numpy(), bins=bins)
    figure, axis = _figure()
    axis.hist(values.to_numpy(), bins=edges, edgecolor="white")
    axis.set_xlabel(values.name)
    axis.set_ylabel("count")
    return _save(figure, source, output_path, "histogram", title or f"Distribution of {values.name}",
                 values=len(values), bins=bins, counts=[int(c) for c in counts], edges=[_number(e) for e in edges])


def plot_box_plot(
    path: str,
    value_column: str,
    group_column: str = "",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
    limit: int = 12,
) -> dict:
    """Draw box plots of a numeric column, one box per group (or a single box), as a PNG.

    Each box spans the quartiles with a line at the median; whiskers reach the furthest values
    within 1.5 times the box height and points beyond are drawn as outliers. Returns each group's
    count, min, quartiles, median and max. Groups appear in order of first appearance.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        value_column: Numeric column to summarise (e.g. "salary").
        group_column: Column whose values split the rows into groups (e.g. "department"); empty for one box of all rows.
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_box.png" next
            to the data.
        limit: Maximum number of groups drawn (the first ones in the file).
    """
    import numpy as np

    _at_least("limit", limit)
    source, frame = _table(path, sheet)
    values = _numbers(frame, value_column, path)
    keys = _keys(frame, group_column, path) if group_column else values.map(lambda _: "all rows")
    present = values.notna()
    groups = [(str(name), group.to_numpy()) for name, group in values[present].groupby(keys[present], sort=False)]
    shown = groups[:limit]
    figure, axis = _figure()
    axis.boxplot([data for _, data in shown])
    _category_ticks(axis, [name for name, _ in shown], start=1)  # boxes sit at 1..n
    axis.set_ylabel(values.name)
    stats = [{"group": name, "count": len(data), "min": _number(data.min()),
              "q1": _number(np.percentile(data, 25)), "median": _number(np.median(data)),
              "q3": _number(np.percentile(data, 75)), "max": _number(data.max())} for name, data in shown]
    by = f" by {_column(frame, group_column, path)}" if group_column else ""
    return _save(figure, source, output_path, "box", title or f"{values.name}{by}",
                 boxes=len(shown), groups=stats)


def plot_pie_chart(
    path: str,
    category_column: str,
    value_column: str = "",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
    limit: int = 8,
) -> dict:
    """Draw a pie chart of each category's share of a total and save it as a PNG.

    Slices add up a value column per category, or count rows when no value column is given. The
    `limit` - 1 largest categories get their own slice and the rest are merged into "Other".
    Negative totals cannot be drawn. Returns each slice's value and percentage.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        category_column: Column whose values name the slices (e.g. "channel").
        value_column: Numeric column to add up per category (e.g. "spend"); empty to count rows per category.
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_pie.png" next
            to the data.
        limit: Maximum number of slices, "Other" included (at least 2).
    """
    import pandas as pd

    _at_least("limit", limit, 2)
    source, frame = _table(path, sheet)
    keys = _keys(frame, category_column, path)
    totals = _aggregated(frame, [keys], value_column, "sum", path).sort_values(ascending=False, kind="stable")
    if (totals < 0).any():
        raise ToolError("a pie chart cannot show negative totals; use plot_bar_chart instead")
    if len(totals) > limit:
        rest = pd.Series([totals.iloc[limit - 1:].sum()], index=["Other"])
        totals = pd.concat([totals.iloc[:limit - 1], rest])
    whole = totals.sum()
    if whole <= 0:
        raise ToolError("the values add up to 0: there is nothing to divide into slices")
    figure, axis = _figure()
    _draw_pie(axis, totals.to_numpy(), list(totals.index))
    what = _counted(frame, value_column, path)
    slices = [{"category": str(label), "value": _number(value), "percent": _number(round(100 * value / whole, 2))}
              for label, value in totals.items()]
    return _save(figure, source, output_path, "pie",
                 title or f"Share of {what} by {keys.name}", slices=slices)


def plot_stacked_bar_chart(
    path: str,
    category_column: str,
    stack_column: str,
    value_column: str = "",
    aggregate: _Aggregate = "sum",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
    limit: int = 30,
) -> dict:
    """Draw a stacked bar chart: one bar per category, split into segments by a second column, as a PNG.

    For example orders by customer stacked by status. Segments aggregate a value column for each
    (category, stack) pair, or count rows when no value column is given.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        category_column: Column whose values label the bars (e.g. "carrier").
        stack_column: Column whose values become the stacked segments and the legend (e.g. "warehouse").
        value_column: Numeric column to aggregate per segment (e.g. "shipping_cost"); empty to count rows.
        aggregate: How rows of one segment are combined: "sum", "mean", "median", "min" or "max".
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_stacked.png"
            next to the data.
        limit: Maximum number of bars drawn (the first categories in the file).
    """
    _at_least("limit", limit)
    source, frame = _table(path, sheet)
    category, stack = _keys(frame, category_column, path), _keys(frame, stack_column, path)
    if stack.nunique() > _MAX_SERIES:
        raise ToolError(f"'{stack.name}' has {stack.nunique()} distinct values; at most {_MAX_SERIES} can be stacked")
    cells = _aggregated(frame, [category, stack], value_column, aggregate, path)
    wide = cells.unstack().reindex(index=list(dict.fromkeys(category)), columns=list(dict.fromkeys(stack)))
    wide = wide.dropna(how="all").iloc[:limit].dropna(axis=1, how="all")
    figure, axis = _figure()
    _multi_bars(axis, wide, stacked=True)
    what = _what(frame, value_column, aggregate, path)
    axis.set_ylabel(what)
    return _save(figure, source, output_path, "stacked",
                 title or f"{_sentence(what)} by {category.name} and {stack.name}",
                 bars=len(wide.index), categories=category.nunique(), segments=[str(c) for c in wide.columns],
                 data=_table_data(wide))


def plot_grouped_bar_chart(
    path: str,
    category_column: str,
    value_columns: list[str],
    aggregate: _Aggregate = "sum",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
    limit: int = 20,
) -> dict:
    """Draw a grouped bar chart: for each category, one bar per numeric column side by side, as a PNG.

    Compares several measures per category, e.g. budget and spend per channel or Q1..Q4 per
    department. Rows with the same category are combined with `aggregate`.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        category_column: Column whose values label the groups of bars (e.g. "Department").
        value_columns: Numeric columns drawn as bars within each group (e.g. ["budget", "spend"]), 1 to 12 columns.
        aggregate: How rows of one category are combined: "sum", "mean", "median", "min" or "max".
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_grouped.png"
            next to the data.
        limit: Maximum number of categories drawn (the first ones in the file).
    """
    import pandas as pd

    _at_least("limit", limit)
    if not value_columns or len(value_columns) > _MAX_SERIES:
        raise ToolError(f"value_columns must name 1 to {_MAX_SERIES} numeric columns")
    source, frame = _table(path, sheet)
    keys = _keys(frame, category_column, path)
    wide = pd.concat([_aggregated(frame, [keys], column, aggregate, path) for column in value_columns], axis=1)
    wide = wide.reindex(list(dict.fromkeys(keys))).dropna(how="all").iloc[:limit]
    figure, axis = _figure()
    _multi_bars(axis, wide, stacked=False)
    axis.set_ylabel(aggregate)
    names = ", ".join(str(c) for c in wide.columns)
    return _save(figure, source, output_path, "grouped", title or f"{names} by {keys.name}",
                 bars=int(wide.notna().sum().sum()), categories=len(wide.index), data=_table_data(wide))


def plot_monthly_trend(
    path: str,
    date_column: str,
    value_column: str = "",
    aggregate: _Aggregate = "sum",
    chart: Literal["line", "bar"] = "line",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
) -> dict:
    """Draw a value per calendar month (e.g. monthly revenue or orders per month) as a line or bar chart PNG.

    Rows are grouped by the month of an ISO date column (YYYY-MM-DD, or real dates in Excel); rows
    without a valid date are left out. Months with no rows show 0 when summing or counting. Returns
    the value of every month.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        date_column: Column holding the dates (e.g. "order_date").
        value_column: Numeric column to aggregate per month (e.g. "total"); empty to count rows per month.
        aggregate: How rows of one month are combined: "sum", "mean", "median", "min" or "max".
        chart: Chart type: "line" or "bar".
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_monthly.png"
            next to the data.
    """
    import pandas as pd

    source, frame = _table(path, sheet)
    dates = _dates(frame[_column(frame, date_column, path)])
    valid = dates.notna()
    if not valid.any():
        raise ToolError(f"column '{dates.name}' of '{path}' holds no dates (expected YYYY-MM-DD)")
    months = dates[valid].dt.to_period("M")
    totals = _aggregated(frame[valid], [months], value_column, aggregate, path)
    every = pd.period_range(months.min(), months.max(), freq="M")
    totals = totals.reindex(every, fill_value=0 if not value_column or aggregate == "sum" else None)
    labels = [str(month) for month in every]
    figure, axis = _figure()
    what = _what(frame, value_column, aggregate, path)
    if chart == "bar":
        _draw_bars(axis, labels, totals.fillna(0).to_numpy(dtype=float), what)
    else:
        _draw_line(axis, labels, totals.to_numpy(dtype=float), what)
    return _save(figure, source, output_path, "monthly", title or f"{_sentence(what)} per month",
                 months=[[label, _number(value)] for label, value in zip(labels, totals.to_numpy(dtype=float))])


def plot_pareto_chart(
    path: str,
    category_column: str,
    value_column: str = "",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
    limit: int = 20,
) -> dict:
    """Draw a Pareto chart: category totals as descending bars plus their cumulative percentage line, as a PNG.

    Shows which few categories make up most of a total (e.g. which vendors account for 80% of
    spend). Returns the totals, the cumulative percentages and the smallest set of top categories
    reaching 80%. Totals must not be negative.

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        category_column: Column whose values label the bars (e.g. "vendor").
        value_column: Numeric column to add up per category (e.g. "amount"); empty to count rows per category.
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for one made from the column names.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_pareto.png"
            next to the data.
        limit: Maximum number of bars drawn (the largest ones); percentages are always of the full total.
    """
    _at_least("limit", limit)
    source, frame = _table(path, sheet)
    keys = _keys(frame, category_column, path)
    totals = _aggregated(frame, [keys], value_column, "sum", path).sort_values(ascending=False, kind="stable")
    whole = totals.sum()
    if (totals < 0).any() or whole <= 0:
        raise ToolError("a Pareto chart needs non-negative totals that add up to more than 0")
    percent = totals.cumsum() / whole * 100
    shown, shown_percent = totals.iloc[:limit], percent.iloc[:limit]
    figure, axis = _figure()
    _draw_bars(axis, list(shown.index), shown.to_numpy(), _what(frame, value_column, "sum", path))
    share = axis.twinx()
    share.plot(range(len(shown)), shown_percent.to_numpy(), color="tab:red", marker="o")
    share.axhline(80, color="grey", linestyle="--", linewidth=1)
    share.set_ylim(0, 105)
    share.set_ylabel("cumulative %")
    vital = list(percent.index[: int((percent < 80 - 1e-9).sum()) + 1])
    what = _counted(frame, value_column, path)
    return _save(figure, source, output_path, "pareto", title or f"Pareto of {what} by {keys.name}",
                 bars=len(shown), categories=len(totals), top_80_percent=vital,
                 data=[[label, _number(value), _number(p)] for (label, value), p in zip(shown.items(), shown_percent)])


def plot_correlation_heatmap(
    path: str,
    columns: list[str] = [],  # noqa: B006 (never mutated)
    method: Literal["pearson", "spearman", "kendall"] = "pearson",
    sheet: str = "",
    title: str = "",
    output_path: str = "",
) -> dict:
    """Draw a heatmap of the correlations between numeric columns and save it as a PNG.

    Each cell is the correlation coefficient (-1 to 1) of two columns over the rows where both have
    numbers; blue is negative, red positive. Returns the matrix too (None where a column is constant).

    Args:
        path: CSV, TSV or Excel (.xlsx) file with the data, relative to the working directory.
        columns: Numeric columns to correlate (2 to 15), e.g. ["quantity", "unit_price", "total"]; empty for every
            column that holds only numbers (the first 15).
        method: Correlation coefficient: "pearson" (linear), "spearman" (rank) or "kendall" (rank concordance).
        sheet: Worksheet name for an Excel file; empty for the first sheet. Ignored for CSV/TSV.
        title: Chart title; empty for a default one.
        output_path: PNG file to write, relative to the working directory; empty for "<data file stem>_heatmap.png"
            next to the data.
    """
    import numpy as np
    import pandas as pd

    source, frame = _table(path, sheet)
    if columns:
        chosen = list(dict.fromkeys(_column(frame, name, path) for name in columns))
    else:
        numeric = {c: pd.to_numeric(frame[c], errors="coerce").notna().sum() for c in frame.columns}
        chosen = [c for c, count in numeric.items() if count >= 2 and count == frame[c].notna().sum()]
        chosen = chosen[:_MAX_HEATMAP_COLUMNS]
    if not 2 <= len(chosen) <= _MAX_HEATMAP_COLUMNS:
        raise ToolError(f"a correlation heatmap needs 2 to {_MAX_HEATMAP_COLUMNS} numeric columns; got {len(chosen)}")
    data = pd.concat([_numbers(frame, c, path) for c in chosen], axis=1)
    matrix = data.corr(method=method)
    figure, axis = _figure()
    image = axis.imshow(matrix.to_numpy(dtype=float), cmap="RdBu_r", vmin=-1, vmax=1)
    figure.colorbar(image, ax=axis, shrink=0.8)
    _category_ticks(axis, chosen)
    _category_ticks(axis, chosen, "y")
    if len(chosen) <= 10:
        for (row, column), value in np.ndenumerate(matrix.to_numpy(dtype=float)):
            if np.isfinite(value):
                axis.text(column, row, f"{value:.2f}", ha="center", va="center", fontsize=8,
                          color="white" if abs(value) > 0.6 else "black")
    return _save(figure, source, output_path, "heatmap", title or f"{method.capitalize()} correlation",
                 columns=chosen, matrix={a: {b: _number(matrix.at[a, b]) for b in chosen} for a in chosen})


def plot_from_values(
    labels: list[str],
    values: list[float],
    output_path: str,
    chart: Literal["bar", "horizontal_bar", "line", "pie"] = "bar",
    title: str = "",
    value_label: str = "",
) -> dict:
    """Draw a chart from numbers given directly (no data file), e.g. figures quoted in a report, as a PNG.

    Args:
        labels: Category or x-axis labels, one per value (e.g. ["Q1", "Q2", "Q3"]), at most 100.
        values: The numbers to draw, in the same order as the labels (e.g. [120.5, 98, 143]).
        output_path: PNG file to write, relative to the working directory (e.g. "reports/quarterly.png").
        chart: Chart type: "bar", "horizontal_bar", "line" or "pie" (pie needs non-negative values).
        title: Chart title; empty for none.
        value_label: Axis label for the values (e.g. "revenue (USD)"); empty for none. Not used by pie charts.
    """
    import math

    if not labels or len(labels) != len(values):
        raise ToolError(f"labels and values must be non-empty lists of the same length "
                        f"(got {len(labels)} labels and {len(values)} values)")
    if len(labels) > 100:
        raise ToolError("at most 100 values can be drawn")
    if any(isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) for v in values):
        raise ToolError("every value must be a finite number")
    if chart not in ("bar", "horizontal_bar", "line", "pie"):
        raise ToolError(f"unsupported chart '{chart}'; use bar, horizontal_bar, line or pie")
    if chart == "pie" and (min(values) < 0 or sum(values) <= 0):
        raise ToolError("a pie chart needs non-negative values that add up to more than 0")
    names = [str(label) for label in labels]
    figure, axis = _figure()
    if chart == "pie":
        _draw_pie(axis, values, names)
    elif chart == "line":
        _draw_line(axis, names, values, value_label)
    else:
        _draw_bars(axis, names, values, value_label, chart == "horizontal_bar")
    return _save(figure, None, output_path, chart, title, points=len(values), chart=chart)
