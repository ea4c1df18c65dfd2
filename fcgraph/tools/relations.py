"""How tools relate to files and to each other, so sampling offers sets that allow real tasks.

A dialogue whose tools cannot touch its files, or whose dependent turn has no tool whose output can
feed another, yields no usable data whatever the model. These tables let sampling avoid that.
"""

from __future__ import annotations

from fcgraph.datasets.file_info import TEXT_TYPES

# file types (the "type" of fcgraph.datasets.file_info.describe_file) a category's tools work on; empty = any file
CATEGORY_FILE_KINDS: dict[str, tuple[str, ...]] = {
    "file_system": (),
    "text": tuple(sorted(TEXT_TYPES)),
    "csv": ("csv",),
    "json": ("json",),
    "sqlite": ("sqlite",),
    "spreadsheet": ("xlsx", "csv", "tsv"),
    "statistics": ("csv", "tsv", "xlsx"),
    "visualisation": ("csv", "tsv", "xlsx"),
    "documents": ("pdf", "docx"),
    "markup": ("yaml", "xml", "html", "markdown"),
    "images": ("image",),
    "code": ("python",),
    "archives_hashing": (),
    "system": (),
    "math_dates_units": (),
}

# (producer, consumer): the consumer's argument commonly comes from the producer's output
DEPENDENT_PAIRS: tuple[tuple[str, str], ...] = (
    ("find_files", "head_file"),
    ("find_files", "csv_columns"),
    ("largest_files", "file_info"),
    ("grep_files", "count_lines_words"),
    ("csv_columns", "csv_column_stats"),
    ("csv_columns", "csv_unique_values"),
    ("json_keys", "json_get"),
    ("sqlite_list_tables", "sqlite_count_rows"),
    ("sqlite_list_tables", "sqlite_describe_table"),
)
