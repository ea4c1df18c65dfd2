"""Requests for the chart tools, grounded in the first rows a user was shown of a CSV, TSV or workbook sheet.

Every chart request comes in two wordings: one for a CSV/TSV file and one naming a workbook's sheet,
so a request about an Excel file always says which sheet it means. Column roles are judged from the
shown rows only: numeric when every shown cell is a number, a date when every shown cell is an ISO
date, a category when every shown cell is text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from random import Random
from typing import Any

from fcgraph.simulator.grounding import FileView, Grounding, Intent, shown_grids, shown_number

_MIN_ROWS = 3  # data rows a sample needs before anything is said about its columns


@dataclass(frozen=True)
class _Sample:
    """One table as the user saw it: a CSV/TSV head or a workbook sheet's first rows."""

    sheet: str  # "" for CSV/TSV
    cells: dict[str, list[Any]]  # column -> shown cells

    def numeric(self) -> list[str]:
        return [c for c, cells in self.cells.items() if all(shown_number(x) is not None for x in cells)
                and len({shown_number(x) for x in cells}) > 1]

    def dates(self) -> list[str]:
        return [c for c, cells in self.cells.items() if all(_is_date(x) for x in cells)]

    def categories(self, repeating: bool = False) -> list[str]:
        """Text columns; with `repeating`, only those whose shown values repeat (few groups)."""
        found = []
        for name, cells in self.cells.items():
            if any(x in (None, "") or shown_number(x) is not None or _is_date(x) for x in cells):
                continue
            if not repeating or len(set(map(str, cells))) <= len(cells) // 2:
                found.append(name)
        return found


def _is_date(cell: Any) -> bool:
    try:
        date.fromisoformat(str(cell)[:10])
    except ValueError:
        return False
    return True


def _cells(header: list[Any], rows: list[list[Any]]) -> dict[str, list[Any]]:
    """Columns with a usable, unique text header (as the chart tools' loader names them)."""
    names = [h if isinstance(h, str) and h.strip() == h and h else None for h in header]
    unique = [n for n in names if n is not None and names.count(n) == 1]
    return {name: [row[i] if i < len(row) else None for row in rows] for i, name in enumerate(names) if name in unique}


def _samples(view: FileView) -> list[_Sample]:
    return [_Sample(sheet, _cells(rows[0], rows[1:])) for sheet, rows in shown_grids(view) if len(rows) > _MIN_ROWS]


def _chart_name(view: FileView, kind: str, rng: Random) -> str:
    """A new PNG next to the data, named like a person would ('orders_2024_bar_3.png')."""
    return str(PurePosixPath(view.path).with_name(f"{view.stem}_{kind}_{rng.randint(1, 99)}.png"))


def _grounded(pick: Any, workbook: bool) -> Grounding:
    """A grounding that picks a fitting table (a CSV/TSV, or a sheet when `workbook`) and its columns.

    `pick(sample, view, rng)` returns the column arguments, or None when the table does not fit.
    """

    def ground(view: FileView, rng: Random) -> dict[str, Any] | None:
        if (view.kind == "xlsx") != workbook:
            return None
        options = [(sample, args) for sample in _samples(view) if (args := pick(sample, view, rng)) is not None]
        if not options:
            return None
        sample, args = rng.choice(options)
        return {"path": view.path, **({"sheet": sample.sheet} if workbook else {}), **args}

    return ground


def _both(tool: str, en: str, zh: str, pick: Any, fixed: dict[str, Any] | None = None) -> tuple[Intent, Intent]:
    """The CSV/TSV wording and the workbook wording of one request; {table} marks where the file is named."""
    return (
        Intent(tool, en.replace("{table}", "{path}"), ("csv", "tsv"), _grounded(pick, False),
               fixed=fixed or {}, writes=True, zh=zh.replace("{table}", "{path}")),
        Intent(tool, en.replace("{table}", "the {sheet} sheet of {path}"), ("xlsx",), _grounded(pick, True),
               fixed=fixed or {}, writes=True, zh=zh.replace("{table}", "{path} 的 {sheet} 工作表")),
    )


# ---------------------------------------------------------------- column picks
def _bar(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    categories, numbers = sample.categories(), sample.numeric()
    if not categories or not numbers:
        return None
    return {"value_column": rng.choice(numbers), "category_column": rng.choice(categories),
            "output_path": _chart_name(view, "bar", rng)}


def _counted(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    categories = sample.categories(repeating=True)
    return {"category_column": rng.choice(categories)} if categories else None


def _line(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    numbers = sample.numeric()
    xs = sample.dates() or [c for c in sample.categories() if c not in numbers]
    if not numbers or not xs:
        return None
    return {"y_columns": rng.sample(numbers, min(len(numbers), rng.choice([1, 2]))), "x_column": rng.choice(xs),
            "output_path": _chart_name(view, "line", rng)}


def _pair(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    numbers = sample.numeric()
    if len(numbers) < 2:
        return None
    x, y = rng.sample(numbers, 2)
    return {"x_column": x, "y_column": y}


def _histogram(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    numbers = sample.numeric()
    return {"column": rng.choice(numbers), "bins": rng.choice([5, 8, 10])} if numbers else None


def _box(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    groups, numbers = sample.categories(repeating=True), sample.numeric()
    if not groups or not numbers:
        return None
    return {"value_column": rng.choice(numbers), "group_column": rng.choice(groups)}


def _shares(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    """Pie and Pareto charts need non-negative totals: only columns whose shown values are all >= 0."""
    categories = sample.categories()
    numbers = [c for c in sample.numeric() if all(shown_number(x) >= 0 for x in sample.cells[c])]
    if not categories or not numbers:
        return None
    return {"value_column": rng.choice(numbers), "category_column": rng.choice(categories)}


def _monthly(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    dates, numbers = sample.dates(), sample.numeric()
    if not dates or not numbers:
        return None
    return {"value_column": rng.choice(numbers), "date_column": rng.choice(dates)}


def _heatmap(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    return {} if len(sample.numeric()) >= 2 else None


def _grouped(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    categories, numbers = sample.categories(), sample.numeric()
    if not categories or len(numbers) < 2:
        return None
    return {"value_columns": rng.sample(numbers, 2), "category_column": rng.choice(categories)}


def _running(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    xs, numbers = sample.dates(), sample.numeric()
    if not xs or not numbers:
        return None
    return {"value_column": rng.choice(numbers), "x_column": rng.choice(xs)}


def _stacked(sample: _Sample, view: FileView, rng: Random) -> dict[str, Any] | None:
    categories, stacks = sample.categories(), sample.categories(repeating=True)
    pairs = [(c, s) for c in categories for s in stacks if c != s]
    if not pairs:
        return None
    category, stack = rng.choice(pairs)
    return {"category_column": category, "stack_column": stack}


def _quoted_values(view: FileView, rng: Random) -> dict[str, Any]:
    """Figures a user types in from memory: quarters or months with round amounts."""
    labels = rng.choice([["Q1", "Q2", "Q3", "Q4"], ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]])
    return {"labels": labels, "values": [rng.randint(20, 180) * 50 for _ in labels],
            "output_path": f"{view.folder}/quoted_figures_{rng.randint(1, 99)}.png"}


INTENTS: tuple[Intent, ...] = (
    *_both("plot_bar_chart",
           "draw a bar chart of the total {value_column} per {category_column} from {table} "
           "and save it as {output_path}",
           "用 {table} 的数据画一张柱状图，显示每个 {category_column} 的 {value_column} 合计，保存为 {output_path}",
           _bar, fixed={"aggregate": "sum"}),
    *_both("plot_horizontal_bar_chart",
           "make a horizontal bar chart of how many rows of {table} fall under each {category_column}",
           "画一张横向条形图，统计 {table} 中每个 {category_column} 各有多少行", _counted),
    *_both("plot_line_chart",
           "plot {y_columns} against {x_column} as a line chart from {table} and save it to {output_path}",
           "用 {table} 画折线图，横轴是 {x_column} ，纵轴是 {y_columns} ，保存到 {output_path}", _line),
    *_both("plot_scatter_plot",
           "make a scatter plot of {y_column} versus {x_column} in {table} with a trend line",
           "用 {table} 画一张 {y_column} 对 {x_column} 的散点图，并加上趋势线", _pair, fixed={"trend_line": True}),
    *_both("plot_histogram",
           "draw a histogram of {column} in {table} with {bins} bins",
           "把 {table} 中的 {column} 画成直方图，分成 {bins} 组", _histogram),
    *_both("plot_box_plot",
           "show the spread of {value_column} for each {group_column} in {table} as a box plot",
           "用箱线图展示 {table} 里每个 {group_column} 的 {value_column} 分布", _box),
    *_both("plot_pie_chart",
           "make a pie chart of how {value_column} splits across {category_column} in {table}",
           "画一张饼图，展示 {table} 中 {value_column} 在各个 {category_column} 之间的占比", _shares),
    *_both("plot_monthly_trend",
           "chart the monthly total of {value_column} by {date_column} in {table}",
           "按 {date_column} 把 {table} 中每个月的 {value_column} 合计画成趋势图", _monthly,
           fixed={"aggregate": "sum"}),
    *_both("plot_correlation_heatmap",
           "draw a correlation heatmap of the numeric columns in {table}",
           "给 {table} 里的数值列画一张相关性热力图", _heatmap),
    *_both("plot_grouped_bar_chart",
           "compare {value_columns} for each {category_column} of {table} in a grouped bar chart",
           "用分组柱状图比较 {table} 中每个 {category_column} 的 {value_columns}", _grouped),
    *_both("plot_cumulative_line",
           "plot the running total of {value_column} over {x_column} in {table}",
           "画出 {table} 中 {value_column} 随 {x_column} 累计的曲线", _running),
    *_both("plot_stacked_bar_chart",
           "draw a stacked bar chart of {table} with one bar per {category_column} split by {stack_column}",
           "用 {table} 画堆叠柱状图，每个 {category_column} 一根柱子，按 {stack_column} 分段", _stacked),
    *_both("plot_pareto_chart",
           "build a Pareto chart of {value_column} by {category_column} from {table}",
           "用 {table} 做一张 {value_column} 按 {category_column} 的帕累托图", _shares),
    Intent("plot_from_values", "chart the figures {values} for {labels} as a bar chart saved as {output_path}", (),
           _quoted_values, path_arg="", fixed={"chart": "bar"}, writes=True,
           zh="把数字 {values} 按 {labels} 画成柱状图，保存为 {output_path}"),
)
