"""Revenue per customer from the company database (run from the drive root)."""

import sqlite3
import sys

DB_PATH = "data/company.db"


def revenue_by_customer(db_path: str = DB_PATH) -> list[tuple[str, float]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            """
            SELECT c.company, ROUND(SUM(o.total), 2) AS revenue
            FROM orders AS o JOIN customers AS c ON c.customer_id = o.customer_id
            WHERE o.status != 'cancelled'
            GROUP BY c.company
            ORDER BY revenue DESC
            """
        ).fetchall()


def main() -> int:
    rows = revenue_by_customer(sys.argv[1] if len(sys.argv) > 1 else DB_PATH)
    for company, revenue in rows:
        print(f"{company:<28} {revenue:>12,.2f}")
    # TODO: add a per-quarter breakdown for the finance summaries
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
