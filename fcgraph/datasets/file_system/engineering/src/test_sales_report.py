"""Tests for sales_report.py; run with pytest from the drive root."""

import sqlite3

from sales_report import revenue_by_customer


def test_revenue_by_customer_excludes_cancelled():
    rows = dict(revenue_by_customer("data/company.db"))
    with sqlite3.connect("data/company.db") as connection:
        (expected,) = connection.execute(
            "SELECT ROUND(SUM(total), 2) FROM orders WHERE status != 'cancelled'").fetchone()
    assert round(sum(rows.values()), 2) == expected


def test_main_prints_one_line_per_customer(capsys):
    from sales_report import main

    assert main() == 0
    assert len(capsys.readouterr().out.splitlines()) == len(revenue_by_customer())
