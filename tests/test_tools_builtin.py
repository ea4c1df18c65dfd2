"""The 42 built-in tools, run directly on a private copy of the bundled seed file system.

Expected values are computed independently (csv module, json module, sqlite3, hashlib) from the same
seed files, so a test fails when a tool misreads the data, not only when it crashes.
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import json
import re
import shutil
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool

import fcgraph
from fcgraph.datasets import build_file_system
from fcgraph.tools.builtin import csv_tools, fs, json_tools, sqlite_tools, text
from fcgraph.tools.discovery import BUILTIN_MODULES, load_module, module_category, tool_functions
from fcgraph.tools.paths import ToolError

SEED_DIR = Path(fcgraph.__file__).parent / "datasets" / "file_system"
DB = "data/company.db"
CSV_FILES = ["hr/employees.csv", "sales/customers.csv", "sales/orders_2024.csv", "finance/expenses_2024.csv",
             "operations/shipments.csv", "marketing/campaigns.csv"]
JSON_FILES = ["sales/products.json", "finance/budget_2024.json", "hr/org_chart.json",
              "engineering/config/app_config.json", "engineering/config/feature_flags.json"]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    workspace = tmp_path / "workspace"
    shutil.copytree(SEED_DIR, workspace)
    monkeypatch.setenv("FCGRAPH_SANDBOX_ROOT", str(workspace))
    return workspace


def rows_of(root: Path, path: str) -> list[dict]:
    with (root / path).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def lines_of(root: Path, path: str) -> list[str]:
    return (root / path).read_text(encoding="utf-8").splitlines()


def all_files(top: Path) -> list[str]:
    return sorted(p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------------------------------
# schemas and discovery


CORE_MODULES = ("fs", "text", "csv_tools", "json_tools", "sqlite_tools")


def test_core_modules_expose_42_tools_in_five_categories():
    categories = {}
    for name in CORE_MODULES:
        module = load_module(f"fcgraph.tools.builtin.{name}")
        categories[module_category(module)] = sorted(tool_functions(module))
    assert {name: len(tools) for name, tools in categories.items()} == {
        "file_system": 15, "text": 7, "csv": 8, "json": 5, "sqlite": 7}
    assert {f"fcgraph.tools.builtin.{name}" for name in CORE_MODULES} <= set(BUILTIN_MODULES)


@pytest.mark.parametrize("spec", BUILTIN_MODULES)
def test_every_tool_schema_describes_every_parameter(spec: str):
    module = load_module(spec)
    for name, function in tool_functions(module).items():
        schema = convert_to_openai_tool(function)["function"]
        assert schema["name"] == name
        assert schema["description"].strip(), name
        properties = schema["parameters"]["properties"]
        assert list(properties) == list(inspect.signature(function).parameters), name
        for parameter, body in properties.items():
            assert body.get("description", "").strip(), f"{name}.{parameter} has no description"
        json.dumps(schema)  # serialisable as sent to a model


# ---------------------------------------------------------------------------------------------------
# confinement


@pytest.mark.parametrize("escape", ["../x", "/../../etc/passwd", "sales/../../outside.txt"])
def test_paths_escaping_the_root_are_refused(root: Path, escape: str):
    with pytest.raises(ToolError, match="outside"):
        fs.read_file(escape)
    with pytest.raises(ToolError, match="outside"):
        fs.write_file(escape, "nope")
    with pytest.raises(ToolError, match="outside"):
        fs.list_directory(escape)
    with pytest.raises(ToolError, match="outside"):
        csv_tools.csv_to_json("sales/customers.csv", escape)
    assert not (root.parent / "x").exists() and not (root.parent / "outside.txt").exists()


def test_root_absolute_paths_mean_the_working_directory(root: Path):
    assert fs.head_file("/hr/employees.csv", 1) == lines_of(root, "hr/employees.csv")[:1]


def test_symlink_pointing_outside_is_refused(root: Path, tmp_path: Path):
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(ToolError, match="outside"):
        fs.read_file("link.txt")


# ---------------------------------------------------------------------------------------------------
# file system


def test_list_directory(root: Path):
    listing = fs.list_directory()
    assert [entry["name"] for entry in listing] == sorted(p.name for p in root.iterdir())
    assert {e["name"]: e["type"] for e in listing}["data"] == "dir"
    sales = {e["name"]: e for e in fs.list_directory("sales")}
    assert sales["orders_2024.csv"] == {"name": "orders_2024.csv", "type": "file",
                                        "size": (root / "sales/orders_2024.csv").stat().st_size}
    assert sales["notes"] == {"name": "notes", "type": "dir", "size": 0}
    (root / "sales" / ".draft").write_text("x")
    assert ".draft" not in [e["name"] for e in fs.list_directory("sales")]
    assert ".draft" in [e["name"] for e in fs.list_directory("sales", show_hidden=True)]
    with pytest.raises(ToolError, match="not a directory"):
        fs.list_directory("sales/customers.csv")


def test_directory_tree(root: Path):
    tree = fs.directory_tree()
    lines = tree.splitlines()
    assert lines[0] == "./"
    assert "  finance/" in lines and "    expenses_2024.csv" in lines and "      q1_2024_summary.md" in lines
    shown = {line.strip().rstrip("/") for line in lines[1:]}
    assert shown == {p.name for p in root.rglob("*") if len(p.relative_to(root).parts) <= 3}  # default depth 3
    deep = fs.directory_tree(max_depth=10).splitlines()
    assert {line.strip().rstrip("/") for line in deep[1:]} >= {Path(f).name for f in all_files(root)}
    shallow = fs.directory_tree("engineering", max_depth=1).splitlines()
    assert shallow == ["engineering/", "  ci/", "  config/", "  docs/", "  incidents/", "  logs/", "  src/"]


@pytest.mark.parametrize("pattern, path", [("*.csv", "."), ("*.json", "."), ("*.log", "engineering"),
                                           ("*_2024*", "."), ("notes/*.txt", "sales")])
def test_find_files(root: Path, pattern: str, path: str):
    top = root / path
    if "/" in pattern:
        expected = sorted(p.relative_to(root).as_posix() for p in top.glob(pattern))
    else:
        expected = sorted(p.relative_to(root).as_posix() for p in top.rglob(pattern) if p.is_file())
    assert expected and fs.find_files(pattern, path) == expected
    assert fs.find_files("*.xlsx") == sorted(p.relative_to(root).as_posix() for p in root.rglob("*.xlsx"))
    assert fs.find_files("*.pptx") == []


def test_find_files_csv_lists_the_seed_tables(root: Path):
    assert fs.find_files("*.csv") == sorted(CSV_FILES)


def test_file_info(root: Path):
    info = fs.file_info("sales/orders_2024.csv")
    stat = (root / "sales/orders_2024.csv").stat()
    assert info["path"] == "sales/orders_2024.csv" and info["type"] == "file"
    assert info["size"] == stat.st_size and info["extension"] == ".csv"
    assert info["lines"] == len(lines_of(root, "sales/orders_2024.csv"))
    assert info["modified"].startswith(("20", "19")) and info["modified"].endswith("+00:00")
    assert fs.file_info(DB)["lines"] is None
    assert fs.file_info("hr") | {"modified": None} == {"path": "hr", "type": "dir", "size": 0, "modified": None,
                                                        "extension": "", "lines": None}
    with pytest.raises(ToolError, match="no such file"):
        fs.file_info("missing.txt")


def test_file_info_reports_the_fixed_seed_mtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    build_file_system.build(tmp_path / "fresh")
    monkeypatch.setenv("FCGRAPH_SANDBOX_ROOT", str(tmp_path / "fresh"))
    assert fs.file_info("hr/employees.csv")["modified"] == "2024-06-30T12:00:00+00:00"


def test_read_file_pages(root: Path):
    expected = lines_of(root, "engineering/logs/api_2024-06-28.log")
    page = fs.read_file("engineering/logs/api_2024-06-28.log", start_line=3, max_lines=4)
    assert page == {"path": "engineering/logs/api_2024-06-28.log", "start_line": 3, "lines": expected[2:6],
                    "total_lines": len(expected)}
    assert fs.read_file("engineering/logs/api_2024-06-28.log")["lines"] == expected[:50]
    with pytest.raises(ToolError, match="past the end"):
        fs.read_file("engineering/logs/api_2024-06-28.log", start_line=len(expected) + 1)
    with pytest.raises(ToolError, match="binary"):
        fs.read_file(DB)
    with pytest.raises(ToolError, match="directory"):
        fs.read_file("sales")


@pytest.mark.parametrize("path", ["hr/employees.csv", "engineering/logs/worker_2024-06-29.log",
                                  "engineering/src/sales_report.py"])
def test_head_and_tail(root: Path, path: str):
    lines = lines_of(root, path)
    assert fs.head_file(path) == lines[:10]
    assert fs.head_file(path, n=3) == lines[:3]
    assert fs.tail_file(path, n=4) == lines[-4:]
    with pytest.raises(ToolError, match="'n'"):
        fs.tail_file(path, n=0)


def test_write_and_append(root: Path):
    result = fs.write_file("notes/new/todo.md", "# Tâches\n")
    assert result == {"path": "notes/new/todo.md", "bytes": len("# Tâches\n".encode())}
    with pytest.raises(ToolError, match="already exists"):
        fs.write_file("notes/new/todo.md", "again")
    assert fs.write_file("notes/new/todo.md", "v2\n", overwrite=True)["bytes"] == 3
    assert fs.append_to_file("notes/new/todo.md", "- call Alpine Edge\n") == {"path": "notes/new/todo.md",
                                                                              "bytes": 19}
    assert (root / "notes/new/todo.md").read_text() == "v2\n- call Alpine Edge\n"
    assert fs.append_to_file("hr/new_log.txt", "first\n")["bytes"] == 6
    with pytest.raises(ToolError, match="directory"):
        fs.write_file("hr", "x", overwrite=True)


def test_copy_move_delete_and_make_directory(root: Path):
    original = (root / "sales/customers.csv").read_bytes()
    assert fs.make_directory("archive/2024") == {"created": "archive/2024"}
    with pytest.raises(ToolError, match="already exists"):
        fs.make_directory("archive/2024")
    assert fs.copy_file("sales/customers.csv", "archive/2024") == {"source": "sales/customers.csv",
                                                                   "destination": "archive/2024/customers.csv"}
    assert (root / "archive/2024/customers.csv").read_bytes() == original
    with pytest.raises(ToolError, match="already exists"):
        fs.copy_file("sales/customers.csv", "archive/2024/customers.csv")
    assert fs.move_file("archive/2024/customers.csv", "archive/clients.csv") == {
        "source": "archive/2024/customers.csv", "destination": "archive/clients.csv"}
    assert not (root / "archive/2024/customers.csv").exists()
    assert fs.move_file("archive/2024", "sales")["destination"] == "sales/2024"
    with pytest.raises(ToolError, match="into itself"):
        fs.move_file("sales", "sales/notes")
    assert fs.delete_file("archive/clients.csv") == {"deleted": "archive/clients.csv"}
    assert not (root / "archive/clients.csv").exists()
    with pytest.raises(ToolError, match="only files"):
        fs.delete_file("sales")
    with pytest.raises(ToolError, match="no such file"):
        fs.delete_file("archive/clients.csv")


@pytest.mark.parametrize("algorithm", ["md5", "sha1", "sha256"])
def test_file_hash(root: Path, algorithm: str):
    expected = hashlib.new(algorithm, (root / DB).read_bytes()).hexdigest()
    assert fs.file_hash(DB, algorithm) == {"path": DB, "algorithm": algorithm, "hash": expected}


def test_file_hash_rejects_unknown_algorithm(root: Path):
    with pytest.raises(ToolError, match="unsupported"):
        fs.file_hash(DB, "crc32")


@pytest.mark.parametrize("path, limit", [(".", 5), ("sales", 2), ("engineering", 10)])
def test_largest_files(root: Path, path: str, limit: int):
    sized = [{"path": p.relative_to(root).as_posix(), "size": p.stat().st_size}
             for p in (root / path).rglob("*") if p.is_file()]
    expected = sorted(sized, key=lambda item: (-item["size"], item["path"]))[:limit]
    assert fs.largest_files(path, limit) == expected


# ---------------------------------------------------------------------------------------------------
# text


@pytest.mark.parametrize("path", ["finance/reports/q1_2024_summary.md", "engineering/logs/api_2024-06-28.log",
                                  "sales/orders_2024.csv"])
def test_count_lines_words(root: Path, path: str):
    content = (root / path).read_text(encoding="utf-8")
    assert text.count_lines_words(path) == {"path": path, "lines": content.count("\n"),
                                            "words": len(content.split()), "characters": len(content)}


def test_search_text(root: Path):
    path = "engineering/logs/api_2024-06-28.log"
    lines = lines_of(root, path)
    expected = [{"line": i, "text": line} for i, line in enumerate(lines, 1) if "error" in line.lower()]
    assert expected and text.search_text(path, "error") == expected
    assert text.search_text(path, "error", case_sensitive=True) == []
    with pytest.raises(ToolError, match="empty"):
        text.search_text(path, "")


def test_grep_files(root: Path):
    expected = []
    for path in sorted(f for f in all_files(root) if f.startswith("engineering/logs/")):
        for number, line in enumerate(lines_of(root, path), 1):
            if re.search(r"ERROR|WARN", line):
                expected.append({"path": path, "line": number, "text": line})
    result = text.grep_files(r"ERROR|WARN", "engineering", "*.log")
    assert result == expected[:100] and len(result) <= 100
    assert len(text.grep_files(".", ".")) == 100  # capped
    assert text.grep_files("SQLite", "data") == []  # the database is binary and skipped
    emails = text.grep_files(r"@northpeak\.example", "sales/notes/pipeline_review_2024-05-06.txt")
    assert [hit["line"] for hit in emails] == [i for i, line in enumerate(
        lines_of(root, "sales/notes/pipeline_review_2024-05-06.txt"), 1) if "@northpeak.example" in line]
    with pytest.raises(ToolError, match="invalid regular expression"):
        text.grep_files("(unclosed")


def test_replace_text(root: Path):
    path = "engineering/config/app_config.json"
    before = (root / path).read_text()
    occurrences = before.count("northpeak.example")
    assert text.replace_text(path, "northpeak.example", "northpeak.test") == {"path": path,
                                                                              "replacements": occurrences}
    assert (root / path).read_text() == before.replace("northpeak.example", "northpeak.test")
    assert text.replace_text(path, "not there", "x")["replacements"] == 0


def test_word_frequency(root: Path):
    path = "hr/policies/remote_work_policy.md"
    words = re.findall(r"[a-z]+", (root / path).read_text().lower())
    expected = sorted(Counter(words).items(), key=lambda kv: (-kv[1], kv[0]))[:7]
    assert text.word_frequency(path, top_n=7) == [{"word": w, "count": c} for w, c in expected]


def test_extract_emails(root: Path):
    path = "sales/notes/pipeline_review_2024-05-06.txt"
    customers = {row["company"]: row["email"] for row in rows_of(root, "sales/customers.csv")}
    sales = [row for row in rows_of(root, "hr/employees.csv") if row["department"] == "Sales"]
    emails = text.extract_emails(path)
    assert emails == sorted(set(emails))
    assert customers["Alpine Edge GmbH"] in emails
    assert sales[0]["email"] in emails and sales[1]["email"] in emails
    assert "ops@northpeak.example" in emails
    assert emails == sorted(set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", (root / path).read_text())))


def test_extract_dates(root: Path):
    assert text.extract_dates("engineering/logs/worker_2024-06-29.log") == ["2024-06-29"]
    notes = text.extract_dates("sales/notes/pipeline_review_2024-05-06.txt")
    assert notes[0] == "2024-05-02" and "2024-05-06" in notes and notes[-1] == "2024-06-03"
    fs.write_file("dates.txt", "due 2024-02-30, then 2024-02-29 and 2024-02-29T10:00Z, id 12024-01-01x")
    assert text.extract_dates("dates.txt") == ["2024-02-29"]


# ---------------------------------------------------------------------------------------------------
# csv


@pytest.mark.parametrize("path", CSV_FILES)
def test_csv_columns_and_preview(root: Path, path: str):
    rows = rows_of(root, path)
    assert csv_tools.csv_columns(path) == {"path": path, "columns": list(rows[0]), "rows": len(rows)}
    assert csv_tools.csv_preview(path, n=3) == rows[:3]
    assert csv_tools.csv_preview(path) == rows[:5]


@pytest.mark.parametrize("path, column", [("finance/expenses_2024.csv", "amount"),
                                          ("sales/orders_2024.csv", "total"),
                                          ("hr/employees.csv", "salary"),
                                          ("marketing/campaigns.csv", "spend")])
def test_csv_column_stats_numeric(root: Path, path: str, column: str):
    values = [float(row[column]) for row in rows_of(root, path)]
    stats = csv_tools.csv_column_stats(path, column)
    assert stats["column"] == column and stats["count"] == len(values)
    assert stats["sum"] == pytest.approx(sum(values), abs=1e-6)
    assert stats["mean"] == pytest.approx(sum(values) / len(values), abs=1e-4)
    assert stats["min"] == min(values) and stats["max"] == max(values)


def test_csv_column_stats_integer_and_text(root: Path):
    quantities = [int(row["quantity"]) for row in rows_of(root, "sales/orders_2024.csv")]
    stats = csv_tools.csv_column_stats("sales/orders_2024.csv", "quantity")
    assert stats["sum"] == sum(quantities) and isinstance(stats["sum"], int)
    departments = Counter(row["department"] for row in rows_of(root, "finance/expenses_2024.csv"))
    expected = sorted(departments.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert csv_tools.csv_column_stats("finance/expenses_2024.csv", "department") == {
        "column": "department", "count": sum(departments.values()), "unique": len(departments),
        "most_common": [list(pair) for pair in expected]}
    with pytest.raises(ToolError, match="available columns"):
        csv_tools.csv_column_stats("finance/expenses_2024.csv", "cost_center")
    with pytest.raises(ToolError, match="not a CSV"):
        csv_tools.csv_column_stats("sales/products.json", "price")


@pytest.mark.parametrize("column, operator, value, keep", [
    ("amount", ">", "500", lambda cell: float(cell) > 500),
    ("amount", "<=", "100.5", lambda cell: float(cell) <= 100.5),
    ("category", "==", "Travel", lambda cell: cell == "Travel"),
    ("status", "!=", "approved", lambda cell: cell != "approved"),
    ("vendor", "contains", "AIR", lambda cell: "air" in cell.lower()),
    ("date", ">=", "2024-04-01", lambda cell: cell >= "2024-04-01"),
    ("date", "<", "2024-02-01", lambda cell: cell < "2024-02-01"),
])
def test_csv_filter_rows(root: Path, column, operator, value, keep):
    rows = rows_of(root, "finance/expenses_2024.csv")
    expected = [row for row in rows if keep(row[column])]
    result = csv_tools.csv_filter_rows("finance/expenses_2024.csv", column, operator, value, limit=7)
    assert expected and result == {"matches": len(expected), "rows": expected[:7]}


def test_csv_filter_rows_rejects_bad_operator(root: Path):
    with pytest.raises(ToolError, match="unsupported operator"):
        csv_tools.csv_filter_rows("finance/expenses_2024.csv", "amount", "=~", "5")


def test_csv_sort(root: Path):
    rows = rows_of(root, "sales/orders_2024.csv")
    top = csv_tools.csv_sort("sales/orders_2024.csv", "total", descending=True, limit=5)
    assert top == sorted(rows, key=lambda row: float(row["total"]), reverse=True)[:5]
    by_customer = csv_tools.csv_sort("sales/orders_2024.csv", "customer_id")
    assert by_customer == sorted(rows, key=lambda row: row["customer_id"])[:10]
    shipments = rows_of(root, "operations/shipments.csv")  # delivery_days is empty for shipped orders
    slowest = csv_tools.csv_sort("operations/shipments.csv", "delivery_days", limit=len(shipments))
    filled = [row for row in shipments if row["delivery_days"]]
    assert slowest[:len(filled)] == sorted(filled, key=lambda row: int(row["delivery_days"]))
    assert all(row["delivery_days"] == "" for row in slowest[len(filled):])


def test_csv_group_sum(root: Path):
    sums, counts = defaultdict(float), Counter()
    for row in rows_of(root, "finance/expenses_2024.csv"):
        sums[row["department"]] += float(row["amount"])
        counts[row["department"]] += 1
    result = csv_tools.csv_group_sum("finance/expenses_2024.csv", "department", "amount")
    assert [item["group"] for item in result] == sorted(sums, key=lambda d: -sums[d])
    for item in result:
        assert item["sum"] == pytest.approx(sums[item["group"]], abs=1e-6)
        assert item["count"] == counts[item["group"]]
    with pytest.raises(ToolError, match="not numeric"):
        csv_tools.csv_group_sum("finance/expenses_2024.csv", "department", "vendor")


def test_csv_unique_values(root: Path):
    rows = rows_of(root, "sales/orders_2024.csv")
    assert csv_tools.csv_unique_values("sales/orders_2024.csv", "status") == sorted({r["status"] for r in rows})
    assert csv_tools.csv_unique_values("sales/customers.csv", "segment") == ["Online", "Retail", "Wholesale"]


def test_csv_to_json(root: Path):
    result = csv_tools.csv_to_json("hr/employees.csv", "exports/employees.json")
    assert result == {"output_path": "exports/employees.json", "rows": len(rows_of(root, "hr/employees.csv"))}
    assert json.loads((root / "exports/employees.json").read_text()) == rows_of(root, "hr/employees.csv")
    with pytest.raises(ToolError, match="must differ"):
        csv_tools.csv_to_json("hr/employees.csv", "hr/employees.csv")


# ---------------------------------------------------------------------------------------------------
# json


def test_json_keys(root: Path):
    products = json.loads((root / "sales/products.json").read_text())
    assert json_tools.json_keys("sales/products.json") == list(products)
    indexes = [str(i) for i in range(len(products["products"]))]
    assert json_tools.json_keys("sales/products.json", "/products") == indexes
    assert json_tools.json_keys("sales/products.json", "/products/0") == list(products["products"][0])
    config = json.loads((root / "engineering/config/app_config.json").read_text())
    assert json_tools.json_keys("engineering/config/app_config.json", "/api/rate_limit") == list(
        config["api"]["rate_limit"])
    with pytest.raises(ToolError, match="not an object or list"):
        json_tools.json_keys("engineering/config/app_config.json", "/api/port")


def test_json_get(root: Path):
    products = json.loads((root / "sales/products.json").read_text())
    assert json_tools.json_get("engineering/config/app_config.json", "/database/path") == DB
    colors = products["products"][2]["specs"]["colors"]
    assert json_tools.json_get("sales/products.json", "/products/2/specs/colors") == colors
    assert json_tools.json_get("sales/products.json", "") == products
    with pytest.raises(ToolError, match="start with '/'"):
        json_tools.json_get("engineering/config/app_config.json", "database/path")
    with pytest.raises(ToolError, match="available keys"):
        json_tools.json_get("engineering/config/app_config.json", "/database/password")
    with pytest.raises(ToolError, match="out of range"):
        json_tools.json_get("sales/products.json", "/products/99")


def test_json_set(root: Path):
    path = "engineering/config/app_config.json"
    assert json_tools.json_set(path, "/api/port", 9090) == {"path": path, "pointer": "/api/port",
                                                          "old": 8080, "new": 9090}
    assert json_tools.json_set(path, "/api/tls", {"enabled": True})["old"] is None
    assert json_tools.json_set(path, "/api/cors_origins/-", "https://new.example")["old"] is None
    saved = json.loads((root / path).read_text())
    assert saved["api"]["port"] == 9090 and saved["api"]["tls"] == {"enabled": True}
    assert saved["api"]["cors_origins"][-1] == "https://new.example"
    assert (root / path).read_text().startswith('{\n  "app"')  # indent=2
    with pytest.raises(ToolError, match="not found"):
        json_tools.json_set(path, "/nope/child", 1)


def test_json_validate(root: Path):
    for path in JSON_FILES:
        assert json_tools.json_validate(path) == {"valid": True, "error": None}
    (root / "broken.json").write_text('{"a": 1,\n "b": }\n')
    result = json_tools.json_validate("broken.json")
    assert result["valid"] is False and "line 2" in result["error"]
    with pytest.raises(ToolError, match="not valid JSON"):
        json_tools.json_keys("broken.json")


def test_json_search_key(root: Path):
    products = json.loads((root / "sales/products.json").read_text())["products"]
    assert json_tools.json_search_key("sales/products.json", "price") == [
        {"pointer": f"/products/{i}/price", "value": p["price"]} for i, p in enumerate(products)]
    assert json_tools.json_search_key("sales/products.json", "units") == [
        {"pointer": f"/products/{i}/stock/units", "value": p["stock"]["units"]} for i, p in enumerate(products)]
    org = json.loads((root / "hr/org_chart.json").read_text())
    emails = [hit["value"] for hit in json_tools.json_search_key("hr/org_chart.json", "email")]
    assert len(emails) == len(rows_of(root, "hr/employees.csv"))
    assert emails[0] == org["departments"][0]["head"]["email"]


# ---------------------------------------------------------------------------------------------------
# sqlite


def db_rows(root: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(root / DB) as connection:
        return connection.execute(sql, params).fetchall()


def test_sqlite_list_and_describe(root: Path):
    assert sqlite_tools.sqlite_list_tables(DB) == ["customers", "employees", "orders", "products"]
    columns = sqlite_tools.sqlite_describe_table(DB, "orders")
    assert [c["name"] for c in columns] == list(rows_of(root, "sales/orders_2024.csv")[0])
    assert [c["name"] for c in columns if c["primary_key"]] == ["order_id"]
    by_name = {c["name"]: c for c in columns}
    assert by_name["quantity"] == {"name": "quantity", "type": "INTEGER", "notnull": True, "primary_key": False}
    assert by_name["sales_rep"]["notnull"] is False
    with pytest.raises(ToolError, match="no table named"):
        sqlite_tools.sqlite_describe_table(DB, "orders; DROP TABLE orders")
    with pytest.raises(ToolError, match="not a SQLite database"):
        sqlite_tools.sqlite_list_tables("sales/orders_2024.csv")


@pytest.mark.parametrize("table, source", [("customers", "sales/customers.csv"), ("employees", "hr/employees.csv"),
                                           ("orders", "sales/orders_2024.csv"), ("products", "sales/products.json")])
def test_sqlite_count_rows_matches_the_files(root: Path, table: str, source: str):
    if source.endswith(".json"):
        expected = len(json.loads((root / source).read_text())["products"])
    else:
        expected = len(rows_of(root, source))
    assert sqlite_tools.sqlite_count_rows(DB, table) == {"table": table, "rows": expected}


def test_sqlite_query_agrees_with_the_csv(root: Path):
    rows = rows_of(root, "sales/orders_2024.csv")
    revenue = sum(float(r["total"]) for r in rows if r["status"] != "cancelled")
    result = sqlite_tools.sqlite_query(DB, "SELECT ROUND(SUM(total), 2) AS revenue FROM orders WHERE status != ?",
                                       ["cancelled"])
    assert result["columns"] == ["revenue"] and result["row_count"] == 1
    assert result["rows"][0][0] == pytest.approx(revenue, abs=0.01)
    newest_first = "-- newest first\nSELECT order_id, total FROM orders ORDER BY order_id DESC"
    limited = sqlite_tools.sqlite_query(DB, newest_first, limit=3)
    assert limited["row_count"] == len(rows) and len(limited["rows"]) == 3
    assert limited["rows"][0] == [rows[-1]["order_id"], float(rows[-1]["total"])]
    joined = sqlite_tools.sqlite_query(
        DB, "WITH c AS (SELECT customer_id, company FROM customers) "
            "SELECT c.company, COUNT(*) FROM orders o JOIN c USING (customer_id) GROUP BY c.company ORDER BY 1")
    names = {r["customer_id"]: r["company"] for r in rows_of(root, "sales/customers.csv")}
    assert dict(map(tuple, joined["rows"])) == dict(Counter(names[r["customer_id"]] for r in rows))


@pytest.mark.parametrize("sql", ["DELETE FROM orders", "  drop table orders", "UPDATE orders SET total = 0",
                                 "PRAGMA writable_schema = 1", "SELECT 1; DELETE FROM orders",
                                 "WITH x AS (SELECT 1) DELETE FROM orders"])
def test_sqlite_query_refuses_writes(root: Path, sql: str):
    with pytest.raises(ToolError):
        sqlite_tools.sqlite_query(DB, sql)
    assert db_rows(root, "SELECT COUNT(*) FROM orders")[0][0] == len(rows_of(root, "sales/orders_2024.csv"))


def test_sqlite_query_reports_sql_errors(root: Path):
    with pytest.raises(ToolError, match="no such column"):
        sqlite_tools.sqlite_query(DB, "SELECT revenue FROM orders")
    with pytest.raises(ToolError):
        sqlite_tools.sqlite_query(DB, "SELECT * FROM orders WHERE status = ?", [])


def test_sqlite_query_stops_runaway_queries(root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sqlite_tools, "_MAX_STEPS", 5)
    with pytest.raises(ToolError, match="too long"):
        sqlite_tools.sqlite_query(DB, "SELECT COUNT(*) FROM orders a, orders b, orders c")


def test_sqlite_insert_row(root: Path):
    before = db_rows(root, "SELECT COUNT(*) FROM customers")[0][0]
    result = sqlite_tools.sqlite_insert_row(DB, "customers", {"customer_id": "C016", "company": "Ridge & Co",
                                                              "country": "USA", "segment": "Retail"})
    assert result == {"table": "customers", "rowid": before + 1}
    assert db_rows(root, "SELECT company, email FROM customers WHERE customer_id = 'C016'") == [("Ridge & Co", None)]
    with pytest.raises(ToolError, match="no column"):
        sqlite_tools.sqlite_insert_row(DB, "customers", {"customer_id": "C017", 'company") VALUES (1); --': "x"})
    with pytest.raises(ToolError, match="UNIQUE"):
        sqlite_tools.sqlite_insert_row(DB, "customers", {"customer_id": "C001", "company": "Duplicate"})
    with pytest.raises(ToolError, match="no table named"):
        sqlite_tools.sqlite_insert_row(DB, "clients", {"company": "x"})


def test_sqlite_update_rows(root: Path):
    pending = [r["order_id"] for r in rows_of(root, "sales/orders_2024.csv") if r["status"] == "pending"]
    result = sqlite_tools.sqlite_update_rows(DB, "orders", {"status": "shipped"}, "order_id", pending[0])
    assert result == {"table": "orders", "updated": 1}
    assert db_rows(root, "SELECT status FROM orders WHERE order_id = ?", (pending[0],)) == [("shipped",)]
    everyone = sqlite_tools.sqlite_update_rows(DB, "orders", {"status": "archived"}, "status", "pending")
    assert everyone["updated"] == len(pending) - 1
    assert sqlite_tools.sqlite_update_rows(DB, "orders", {"status": "x"}, "order_id", "SO-0")["updated"] == 0
    with pytest.raises(ToolError, match="no column"):
        sqlite_tools.sqlite_update_rows(DB, "orders", {"status": "x"}, "1=1 OR order_id", "SO-0")


def test_sqlite_table_preview(root: Path):
    preview = sqlite_tools.sqlite_table_preview(DB, "employees", n=3)
    employees = rows_of(root, "hr/employees.csv")
    assert preview["columns"] == list(employees[0])
    assert [row[0] for row in preview["rows"]] == [e["employee_id"] for e in employees[:3]]
    assert preview["rows"][0][-1] == int(employees[0]["salary"])
    assert sqlite_tools.sqlite_table_preview(DB, "PRODUCTS")["columns"][0] == "sku"  # names match case-insensitively


def test_database_agrees_with_products_json(root: Path):
    products = json.loads((root / "sales/products.json").read_text())["products"]
    result = sqlite_tools.sqlite_query(DB, "SELECT sku, price, stock_units FROM products ORDER BY rowid")
    assert result["rows"] == [[p["sku"], p["price"], p["stock"]["units"]] for p in products]
