"""HTTP handlers for /orders."""

import sqlite3

DB_PATH = "data/company.db"
TIMEOUT_SECONDS = 30  # database.timeout_seconds in engineering/config/app_config.json


def _connect() -> sqlite3.Connection:
    connection = sqlite3.connect(DB_PATH, timeout=TIMEOUT_SECONDS)
    connection.row_factory = sqlite3.Row
    return connection


def list_orders(status: str | None = None, limit: int = 50) -> list[dict]:
    query = "SELECT * FROM orders"
    params: tuple = ()
    if status:
        query, params = query + " WHERE status = ?", (status,)
    with _connect() as connection:
        rows = connection.execute(query + " ORDER BY order_date DESC LIMIT ?", (*params, limit)).fetchall()
    return [dict(row) for row in rows]


def get_order(order_id: str) -> dict | None:
    with _connect() as connection:
        row = connection.execute("SELECT * FROM orders WHERE order_id = ?", (order_id,)).fetchone()
    return dict(row) if row else None
