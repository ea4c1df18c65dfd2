"""The bundled seed file system: reproducible, varied, readable in every format, and consistent across files.

The content checks read the shipped tree (what the dialogue generator really copies) and recompute each
fact from another file, so a change in the generator that makes two files disagree fails here.
"""

from __future__ import annotations

import configparser
import csv
import email
import email.policy
import json
import os
import re
import sqlite3
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
import yaml
from PIL import ExifTags, Image

import fcgraph
from fcgraph.datasets import build_file_system

SEED_DIR = Path(fcgraph.__file__).parent / "datasets" / "file_system"
DB = SEED_DIR / "data" / "company.db"
REQUIRED_EXTENSIONS = {"txt", "md", "csv", "xlsx", "json", "yaml", "xml", "html", "pdf", "docx", "png", "jpg",
                       "db", "log", "py", "sql"}


def all_files(top: Path) -> list[str]:
    return sorted(p.relative_to(top).as_posix() for p in top.rglob("*") if p.is_file())


def shipped(extension: str) -> list[Path]:
    return sorted(SEED_DIR.rglob(f"*.{extension}"))


def rows_of(path: str, delimiter: str = ",") -> list[dict]:
    with (SEED_DIR / path).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def db_rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def money(text: str, label: str) -> float:
    return float(re.search(rf"{label}: \$([\d,]+\.\d\d)", text).group(1).replace(",", ""))


def sheet_rows(path: Path, sheet: str) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [[comparable(value) for value in row] for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()


def comparable(value: object) -> object:
    """Numbers as floats and dates as ISO text, so a sheet's cells compare with a CSV file's text."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return value


def csv_rows(path: str, delimiter: str = ",") -> list[list[object]]:
    return [[comparable(value) for value in row.values()] for row in rows_of(path, delimiter)]


def employee_names() -> set[str]:
    return {f"{row['first_name']} {row['last_name']}" for row in rows_of("hr/employees.csv")}


# ---------------------------------------------------------------------------------------------------
# reproducibility


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("one") / "drive", tmp_path_factory.mktemp("two") / "drive"
    build_file_system.build(first)
    build_file_system.build(second)
    return first, second


def _same_database(a: bytes, b: bytes) -> bool:
    # bytes 92-99 of the header record which SQLite library version last wrote the file
    return len(a) == len(b) and a[:92] == b[:92] and a[100:] == b[100:]


def test_two_builds_are_byte_identical_with_fixed_mtimes(builds: tuple[Path, Path]):
    first, second = builds
    names = all_files(first)
    assert names == all_files(second)
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    for path in [first, *first.rglob("*")]:
        assert path.stat().st_mtime == build_file_system.MTIME, path


def test_fresh_build_matches_the_shipped_tree(builds: tuple[Path, Path]):
    # Only the SQLite header carries a library version. PDFs name a fixed producer instead of fpdf2's
    # version and office files get rewritten docProps, so everything else must match exactly; a
    # mismatch after upgrading Faker, fpdf2, Pillow (zlib, libjpeg, default font) or openpyxl means
    # the shipped tree must be regenerated with `python -m fcgraph.datasets.build_file_system`.
    fresh = builds[0]
    assert all_files(fresh) == all_files(SEED_DIR)
    for name in all_files(fresh):
        new, old = (fresh / name).read_bytes(), (SEED_DIR / name).read_bytes()
        assert _same_database(new, old) if name.endswith(".db") else new == old, name


def test_command_line(tmp_path: Path, builds: tuple[Path, Path]):
    out = tmp_path / "drive"
    command = [sys.executable, "-m", "fcgraph.datasets.build_file_system", str(out)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert all_files(out) == all_files(builds[0])
    for name in all_files(out):  # another process, so another hash seed: no output may depend on set order
        new, reference = (out / name).read_bytes(), (builds[0] / name).read_bytes()
        assert _same_database(new, reference) if name.endswith(".db") else new == reference, name
    again = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert again.returncode == 1 and "--replace" in again.stderr


# ---------------------------------------------------------------------------------------------------
# shape


def test_tree_is_large_varied_and_deep():
    names = all_files(SEED_DIR)
    extensions = Counter(Path(name).suffix.lstrip(".") for name in names)
    assert len(names) >= 80
    assert len(REQUIRED_EXTENSIONS & set(extensions)) >= 12 and len(extensions) >= 14
    assert max(len(Path(name).parts) for name in names) >= 5  # a file four folders down
    sizes = [(SEED_DIR / name).stat().st_size for name in names]
    assert max(sizes) < 200_000 and sum(sizes) < 3_000_000
    for path in SEED_DIR.rglob("*"):
        assert " " not in path.name and "`" not in path.name, path
    duplicates = [n for n, count in Counter(Path(name).name for name in names).items() if count > 1]
    assert not duplicates  # the tree overview shown to the user agent names each file once


# ---------------------------------------------------------------------------------------------------
# every format opens


@pytest.mark.parametrize("extension", ["xlsx", "docx"])
def test_office_files_open_with_fixed_properties(extension: str):
    people = employee_names()
    for path in shipped(extension):
        with zipfile.ZipFile(path) as package:
            stamps = {info.date_time for info in package.infolist()}
        if extension == "xlsx":
            workbook = openpyxl.load_workbook(path)
            assert workbook.sheetnames and all(sheet.max_row > 1 for sheet in workbook.worksheets), path
            properties = workbook.properties
            author, created, modified = properties.creator, properties.created, properties.modified
        else:
            document = docx.Document(path)
            assert document.paragraphs[0].text, path
            properties = document.core_properties
            author, created, modified = properties.author, properties.created, properties.modified
        assert author in people and created == modified, path
        assert stamps == {created.timetuple()[:6]}, path  # zip entries stamped with the document's date


def test_pdfs_open_with_fixed_metadata():
    people = employee_names()
    for path in shipped("pdf"):
        reader = pypdf.PdfReader(path)
        assert reader.pages and reader.pages[0].extract_text().strip(), path
        metadata = reader.metadata
        assert metadata.author in people and metadata.creation_date.year in (2023, 2024), path
        assert "fpdf" not in metadata.producer.lower(), path


def test_images_open_and_photos_carry_exif():
    for path in shipped("png"):
        with Image.open(path) as image:
            assert image.format == "PNG" and min(image.size) >= 100, path
    for path in shipped("jpg"):
        with Image.open(path) as image:
            exif = image.getexif()
            taken = exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal]
            assert image.format == "JPEG" and exif[ExifTags.Base.Make] and exif[ExifTags.Base.Model], path
            assert taken.startswith("2024:"), path


def test_structured_text_formats_parse():
    for path in shipped("json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in shipped("yaml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8")), path
    for path in shipped("xml"):
        ET.parse(path)
    for path in shipped("toml"):
        tomllib.loads(path.read_text(encoding="utf-8"))
    for path in shipped("ini"):
        parser = configparser.ConfigParser()
        parser.read_string(path.read_text(encoding="utf-8"))
        assert parser.sections(), path
    for path in shipped("html"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>"), path
    for path in shipped("eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert all(message[h] for h in ("From", "To", "Subject", "Date", "Message-ID")), path
    for path in shipped("ics"):
        lines = path.read_bytes().decode("utf-8").split("\r\n")
        assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR", path
        assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") > 5, path
    for extension, delimiter in (("csv", ","), ("tsv", "\t")):
        for path in shipped(extension):
            with path.open(newline="", encoding="utf-8") as handle:
                widths = {len(row) for row in csv.reader(handle, delimiter=delimiter)}
            assert len(widths) == 1, path


# ---------------------------------------------------------------------------------------------------
# the files agree with one another


def test_orders_refer_to_known_customers_products_and_reps():
    orders = rows_of("sales/orders_2024.csv")
    customers = {row[0] for row in db_rows(DB, "SELECT customer_id FROM customers")}
    skus = {p["sku"] for p in json.loads((SEED_DIR / "sales/products.json").read_text())["products"]}
    reps = {row["employee_id"] for row in rows_of("hr/employees.csv") if row["department"] == "Sales"}
    assert {o["customer_id"] for o in orders} <= customers
    assert {o["sku"] for o in orders} <= skus
    assert {o["sales_rep"] for o in orders} <= reps
    assert {r["order_id"] for r in rows_of("operations/rma_log_2024.tsv", "\t")} <= {
        o["order_id"] for o in orders}


@pytest.mark.parametrize("quarter", [1, 2])
def test_quarter_reports_quote_the_revenue_of_the_orders(quarter: int):
    start, end = f"2024-{3 * quarter - 2:02d}-01", f"2024-{3 * quarter + 1:02d}-01"
    expected = round(sum(float(o["total"]) for o in rows_of("sales/orders_2024.csv")
                         if start <= o["order_date"] < end and o["status"] != "cancelled"), 2)
    report = pdf_text(SEED_DIR / f"finance/reports/2024/Q{quarter}/q{quarter}_2024_report.pdf")
    summary = (SEED_DIR / f"finance/reports/q{quarter}_2024_summary.md").read_text()
    assert money(report, "Revenue") == expected == money(summary, "Revenue")


def test_invoices_bill_orders_of_the_database():
    invoices = sorted((SEED_DIR / "finance/invoices").rglob("*.pdf"))
    assert len(invoices) >= 4
    orders = {row[0]: row[1:] for row in db_rows(DB, "SELECT o.order_id, o.total, c.company FROM orders o "
                                                     "JOIN customers c USING (customer_id)")}
    for path in invoices:
        text = pdf_text(path)
        order_id = re.search(r"Order: (SO-\d+)", text).group(1)
        total, company = orders[order_id]
        assert path.stem == "INV-" + order_id.removeprefix("SO-")
        assert money(text, "Total due") == total and f"Bill to\n{company}\n" in text, path


def test_regional_workbooks_split_the_orders_csv():
    orders = rows_of("sales/orders_2024.csv")
    columns = list(orders[0])
    split = []
    for path in sorted((SEED_DIR / "sales/regions").glob("*.xlsx")):
        rows = sheet_rows(path, "Orders")
        assert rows[0][:len(columns)] == columns
        split += [row[:len(columns)] for row in rows[1:]]
    assert sorted(split) == sorted(csv_rows("sales/orders_2024.csv"))


def test_workbooks_agree_with_their_sources():
    employees = {row["employee_id"]: float(row["salary"]) for row in rows_of("hr/employees.csv")}
    payroll = sheet_rows(SEED_DIR / "finance/payroll/payroll_2024-06.xlsx", "June 2024")
    assert {row[0]: row[4] for row in payroll[1:]} == employees
    budget = json.loads((SEED_DIR / "finance/budget_2024.json").read_text())["departments"]
    summary = sheet_rows(SEED_DIR / "finance/budget_2024.xlsx", "Summary")
    assert {row[0]: (row[2], row[3]) for row in summary[1:]} == {
        d: (b["annual"], b["spent_to_date"]) for d, b in budget.items()}
    campaigns = csv_rows("marketing/campaigns.csv")
    sheet = sheet_rows(SEED_DIR / "marketing/reports/campaign_performance_2024H1.xlsx", "Campaigns")
    assert [row[:len(campaigns[0])] for row in sheet[1:]] == campaigns


def test_org_charts_match_the_employees():
    employees = rows_of("hr/employees.csv")
    chart = yaml.safe_load((SEED_DIR / "hr/org_chart.yaml").read_text())
    in_yaml = [team["lead"]["id"] for team in chart["teams"]] + [
        member["id"] for team in chart["teams"] for member in team["members"]]
    assert sorted(in_yaml) == [e["employee_id"] for e in employees]
    heads = {d["name"]: d["head"]["employee_id"] for d in json.loads((SEED_DIR / "hr/org_chart.json").read_text())[
        "departments"]}
    assert {team["department"]: team["lead"]["id"] for team in chart["teams"]} == heads


def test_warehouse_database_matches_operations_and_catalog():
    warehouse = SEED_DIR / "data/warehouse.db"
    shipments = [tuple(row.values()) for row in rows_of("operations/shipments.csv")]
    stored = db_rows(warehouse, "SELECT shipment_id, order_id, carrier, warehouse, ship_date, "
                                "IFNULL(delivery_days, ''), printf('%.2f', shipping_cost) FROM shipments")
    assert [tuple(str(v) for v in row) for row in stored] == shipments
    products = json.loads((SEED_DIR / "sales/products.json").read_text())["products"]
    assert dict(db_rows(warehouse, "SELECT sku, units FROM inventory")) == {
        p["sku"]: p["stock"]["units"] for p in products}
    counted = rows_of("operations/warehouse/denver/stock_count_2024-06-24.tsv", "\t")
    assert {row["sku"]: int(row["system_units"]) for row in counted} == {
        p["sku"]: p["stock"]["units"] for p in products if p["stock"]["warehouse"] == "Denver"}


def test_exports_logs_and_photos_agree_with_their_sources():
    june = [o["order_id"] for o in rows_of("sales/orders_2024.csv") if o["order_date"].startswith("2024-06")]
    exported = ET.parse(SEED_DIR / "data/orders_export_2024-06.xml").getroot()
    assert [order.get("id") for order in exported] == june and exported.get("count") == str(len(june))
    errors = (SEED_DIR / "engineering/logs/api_2024-06-28.log").read_text().count(" ERROR ")
    incident = (SEED_DIR / "engineering/incidents/INC-2024-007_database_timeouts.md").read_text()
    assert f"- {errors} requests failed with HTTP 500" in incident
    config = json.loads((SEED_DIR / "engineering/config/app_config.json").read_text())
    worker = tomllib.loads((SEED_DIR / "engineering/config/worker.toml").read_text())
    assert {job: spec["schedule"] for job, spec in worker["jobs"].items()} == config["worker"]["schedule"]
    expenses = {row["expense_id"]: row["date"] for row in rows_of("finance/expenses_2024.csv")}
    for path in sorted((SEED_DIR / "finance/expense_claims").rglob("*.jpg")):
        with Image.open(path) as image:
            taken = image.getexif().get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal]
        assert date.fromisoformat(taken[:10].replace(":", "-")).isoformat() == expenses[path.stem.split("_")[0]]
