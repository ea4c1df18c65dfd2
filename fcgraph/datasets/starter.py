"""Deterministic generator of the bundled starter file system: the shared drive of a small company.

    python -m fcgraph.datasets.starter OUT_DIR [--replace]

Northpeak Outdoor Supply sells outdoor gear to retailers. Its drive holds CSV tables, JSON documents,
a SQLite database, notes, reports, logs and a little code, and they agree with one another: the
people in hr/employees.csv are the sales reps of sales/orders_2024.csv, the products of
sales/products.json are the products table of data/company.db, and so on. Everything comes from one
seeded random generator and every file gets the same fixed modification time, so running the
generator twice gives byte-identical trees (the shipped copy is fcgraph/datasets/file_system).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import sqlite3
import sys
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 20261121
MTIME = datetime(2024, 6, 30, 12, 0, 0, tzinfo=UTC).timestamp()
DOMAIN = "northpeak.example"
YEAR_START = date(2024, 1, 1)

FIRST_NAMES = ["Maria", "James", "Aisha", "Tom", "Priya", "Lukas", "Sofia", "Daniel", "Mei", "Omar",
               "Hannah", "Carlos", "Emma", "Kenji", "Fatima", "Noah", "Elena", "Samuel", "Grace", "Ravi"]
LAST_NAMES = ["Lopez", "Carter", "Bello", "Fischer", "Nair", "Weber", "Rossi", "Kim", "Chen", "Haddad",
              "Novak", "Mendes", "Larsen", "Tanaka", "Rahman", "Brooks", "Petrova", "Okafor", "Walsh", "Iyer"]
DEPARTMENTS = [  # (department, head title, member title, headcount)
    ("Sales", "Head of Sales", "Account Manager", 5),
    ("Finance", "Finance Director", "Accountant", 3),
    ("Engineering", "Engineering Manager", "Software Engineer", 5),
    ("Operations", "Operations Lead", "Logistics Coordinator", 3),
    ("Marketing", "Marketing Manager", "Marketing Specialist", 2),
    ("HR", "HR Manager", "HR Generalist", 2),
]
LOCATIONS = ["Denver", "Denver", "Portland", "Austin", "Remote"]
CUSTOMERS = [  # (company, contact, country, segment)
    ("Summit Ridge Outfitters", "Laura Bennett", "USA", "Retail"),
    ("Alpine Edge GmbH", "Stefan Huber", "Germany", "Wholesale"),
    ("Trailhead Co-op", "Marcus Reid", "USA", "Retail"),
    ("Coastal Paddle Shop", "Nina Alvarez", "USA", "Retail"),
    ("Boreal Gear Ltd", "Oliver Grant", "Canada", "Wholesale"),
    ("Highland Rambler", "Fiona MacLeod", "United Kingdom", "Retail"),
    ("Desert Sun Adventures", "Diego Ramos", "Mexico", "Retail"),
    ("Nordic Trail AB", "Ingrid Sandberg", "Sweden", "Wholesale"),
    ("Basecamp Online", "Tyler Young", "USA", "Online"),
    ("Cascade Climbing Gym", "Jenna Park", "USA", "Retail"),
    ("Outback Supply Pty", "Liam Murphy", "Australia", "Wholesale"),
    ("Peak Performance Store", "Chloe Martin", "Canada", "Retail"),
    ("WildPath Online", "Arjun Mehta", "USA", "Online"),
    ("Fjell og Fjord AS", "Kari Solberg", "Norway", "Wholesale"),
    ("Canyon Country Sports", "Rosa Jimenez", "USA", "Retail"),
]
PRODUCTS = [  # (sku, name, category, price, cost, weight_kg, colors)
    ("NP-TNT-001", "Ridgeline 2P Tent", "Tents", 329.00, 151.00, 2.4, ["green", "orange"]),
    ("NP-TNT-002", "Basecamp 4P Tent", "Tents", 489.00, 228.00, 5.1, ["green"]),
    ("NP-BPK-001", "Trailblazer 45L Backpack", "Backpacks", 179.00, 72.00, 1.6, ["black", "blue", "red"]),
    ("NP-BPK-002", "Daytripper 22L Pack", "Backpacks", 89.00, 31.00, 0.7, ["black", "grey"]),
    ("NP-SLP-001", "Glacier -10C Sleeping Bag", "Sleeping", 249.00, 104.00, 1.9, ["navy"]),
    ("NP-SLP-002", "Featherlite Sleeping Pad", "Sleeping", 119.00, 44.00, 0.5, ["yellow"]),
    ("NP-APP-001", "Stormshell Rain Jacket", "Apparel", 199.00, 76.00, 0.4, ["red", "black", "teal"]),
    ("NP-APP-002", "Merino Base Layer", "Apparel", 85.00, 29.00, 0.2, ["charcoal", "blue"]),
    ("NP-FTW-001", "Scree Hiking Boot", "Footwear", 219.00, 92.00, 1.2, ["brown"]),
    ("NP-FTW-002", "Riverbed Trail Runner", "Footwear", 139.00, 55.00, 0.6, ["grey", "lime"]),
    ("NP-ACC-001", "Summit Trekking Poles", "Accessories", 99.00, 36.00, 0.5, ["silver"]),
    ("NP-ACC-002", "Headlamp 400", "Accessories", 45.00, 14.00, 0.1, ["black", "orange"]),
]
EXPENSE_CATEGORIES = {  # category: (vendors, min amount, max amount)
    "Travel": (["Frontier Airlines", "Hilton Denver", "Hertz", "United Airlines"], 120, 1400),
    "Software": (["Atlassian", "Slack", "GitHub", "Figma"], 40, 900),
    "Office Supplies": (["Staples", "Office Depot"], 15, 260),
    "Meals": (["Snooze Eatery", "Local Cafe", "Catering Co"], 18, 320),
    "Training": (["Coursera", "O'Reilly Media", "PMI"], 80, 1200),
    "Equipment": (["Dell", "Apple", "B&H Photo"], 150, 2400),
}
CARRIERS = ["UPS", "FedEx", "DHL", "USPS"]
CHANNELS = ["Email", "Social", "Search", "Events", "Print"]


class _Company:
    """All generated records, built once from the seed so every file can refer to the same facts."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.employees = self._employees()
        self.by_department: dict[str, list[dict]] = defaultdict(list)
        for employee in self.employees:
            self.by_department[employee["department"]].append(employee)
        self.customers = self._customers()
        self.products = self._products()
        self.orders = self._orders()
        self.expenses = self._expenses()
        self.shipments = self._shipments()
        self.campaigns = self._campaigns()

    def _day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def _employees(self) -> list[dict]:
        last_names = LAST_NAMES[:]
        self.rng.shuffle(last_names)
        people = list(zip(FIRST_NAMES, last_names))
        employees, number = [], 1
        for department, head_title, member_title, headcount in DEPARTMENTS:
            for position in range(headcount):
                first, last = people[number - 1]
                head = position == 0
                employees.append({
                    "employee_id": f"E{number:03d}",
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first.lower()}.{last.lower()}@{DOMAIN}",
                    "department": department,
                    "title": head_title if head else member_title,
                    "location": self.rng.choice(LOCATIONS),
                    "hire_date": self._day(date(2015, 3, 1) if head else date(2018, 1, 1), date(2024, 3, 31)),
                    "salary": self.rng.randrange(118000 if head else 62000, 165000 if head else 112000, 500),
                })
                number += 1
        newest = [e for e in employees if e["department"] == "Engineering"][-1]
        newest["hire_date"] = date(2024, 6, 17)  # the new hire of hr/onboarding_checklist.txt
        return employees

    def _customers(self) -> list[dict]:
        reps = [e["employee_id"] for e in self.employees if e["department"] == "Sales"]
        customers = []
        for number, (company, contact, country, segment) in enumerate(CUSTOMERS, start=1):
            first, last = contact.split()
            words = [w for w in company.lower().split() if w not in ("gmbh", "ltd", "ab", "as", "pty")]
            domain = "".join(ch for ch in "".join(words) if ch.isalpha()) + ".example"
            customers.append({
                "customer_id": f"C{number:03d}",
                "company": company,
                "contact_name": contact,
                "email": f"{first[0].lower()}{last.lower()}@{domain}",
                "country": country,
                "segment": segment,
                "signup_date": self._day(date(2019, 1, 1), date(2023, 12, 31)),
                "account_manager": reps[(number - 1) % len(reps)],
            })
        return customers

    def _products(self) -> list[dict]:
        products = []
        for sku, name, category, price, cost, weight, colors in PRODUCTS:
            products.append({
                "sku": sku, "name": name, "category": category, "price": price, "cost": cost,
                "stock_units": self.rng.randint(0, 240), "warehouse": self.rng.choice(["Denver", "Portland"]),
                "weight_kg": weight, "colors": colors, "active": sku != "NP-TNT-002",
            })
        return products

    def _orders(self) -> list[dict]:
        days = sorted(self._day(date(2024, 1, 2), date(2024, 6, 28)) for _ in range(150))
        statuses = ["delivered", "shipped", "pending", "cancelled"]
        active = [p for p in self.products if p["active"]]
        orders = []
        for number, day in enumerate(days, start=1):
            customer = self.rng.choice(self.customers)
            product = self.rng.choice(active)
            wholesale = customer["segment"] == "Wholesale"
            quantity = self.rng.randint(10, 60) if wholesale else self.rng.randint(1, 12)
            discount = self.rng.choice([10, 15]) if wholesale else self.rng.choice([0, 0, 0, 5, 10])
            recent = day >= date(2024, 6, 15)
            status = self.rng.choices(statuses, [1, 3, 4, 1] if recent else [12, 2, 0, 1])[0]
            orders.append({
                "order_id": f"SO-{24000 + number}",
                "order_date": day,
                "customer_id": customer["customer_id"],
                "sku": product["sku"],
                "quantity": quantity,
                "unit_price": product["price"],
                "discount_pct": discount,
                "total": round(quantity * product["price"] * (100 - discount) / 100, 2),
                "status": status,
                "sales_rep": customer["account_manager"],
            })
        return orders

    def _expenses(self) -> list[dict]:
        days = sorted(self._day(date(2024, 1, 3), date(2024, 6, 28)) for _ in range(100))
        categories = list(EXPENSE_CATEGORIES)
        expenses = []
        for number, day in enumerate(days, start=1):
            employee = self.rng.choice(self.employees)
            category = self.rng.choice(categories)
            vendors, low, high = EXPENSE_CATEGORIES[category]
            status = self.rng.choices(["approved", "pending", "rejected"], [8, 1, 1])[0]
            expenses.append({
                "expense_id": f"EXP-{number:04d}",
                "date": day,
                "employee_id": employee["employee_id"],
                "department": employee["department"],
                "category": category,
                "vendor": self.rng.choice(vendors),
                "amount": round(self.rng.uniform(low, high), 2),
                "status": "pending" if day >= date(2024, 6, 20) else status,
            })
        return expenses

    def _shipments(self) -> list[dict]:
        products = {p["sku"]: p for p in self.products}
        shipments = []
        for order in self.orders:
            if order["status"] not in ("shipped", "delivered"):
                continue
            ship_date = order["order_date"] + timedelta(days=self.rng.randint(1, 3))
            days = self.rng.randint(2, 9)
            shipments.append({
                "shipment_id": f"SH-{len(shipments) + 1:04d}",
                "order_id": order["order_id"],
                "carrier": self.rng.choice(CARRIERS),
                "warehouse": products[order["sku"]]["warehouse"],
                "ship_date": ship_date,
                "delivery_days": days if order["status"] == "delivered" else "",
                "shipping_cost": round(8 + order["quantity"] * self.rng.uniform(0.8, 2.2), 2),
            })
        return shipments

    def _campaigns(self) -> list[dict]:
        owners = [e["employee_id"] for e in self.by_department["Marketing"]]
        names = ["Winter Warmers", "Spring Trail Launch", "Tent Week", "Earth Day Gear Swap",
                 "Memorial Day Sale", "Summer Peaks", "Trail Runner Promo", "Backpack Refresh",
                 "Dealer Expo Denver", "Newsletter June"]
        campaigns = []
        for number, name in enumerate(names, start=1):
            start = date(2024, 1, 8) + timedelta(days=17 * (number - 1))
            budget = self.rng.randrange(2000, 15000, 250)
            clicks = self.rng.randint(800, 12000)
            campaigns.append({
                "campaign_id": f"MC-{number:02d}",
                "name": name,
                "channel": CHANNELS[(number - 1) % len(CHANNELS)],
                "start_date": start,
                "end_date": start + timedelta(days=self.rng.randint(7, 30)),
                "budget": budget,
                "spend": round(budget * self.rng.uniform(0.55, 1.08), 2),
                "clicks": clicks,
                "conversions": int(clicks * self.rng.uniform(0.01, 0.06)),
                "owner": owners[number % len(owners)],
            })
        return campaigns

    def head(self, department: str) -> dict:
        return self.by_department[department][0]


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: f"{value:.2f}" if isinstance(value, float) else value for key, value in row.items()})
    return buffer.getvalue()


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _name(person: dict) -> str:
    return f"{person['first_name']} {person['last_name']}"


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _products_json(company: _Company) -> str:
    return _json({
        "catalog_version": "2024.2",
        "currency": "USD",
        "updated": "2024-06-15",
        "products": [{
            "sku": p["sku"], "name": p["name"], "category": p["category"], "price": p["price"],
            "cost": p["cost"], "active": p["active"],
            "stock": {"warehouse": p["warehouse"], "units": p["stock_units"]},
            "specs": {"weight_kg": p["weight_kg"], "colors": p["colors"]},
        } for p in company.products],
    })


def _budget_json(company: _Company) -> str:
    rng = company.rng
    spent = defaultdict(float)
    for expense in company.expenses:
        if expense["status"] == "approved":
            spent[expense["department"]] += expense["amount"]
    departments = {}
    for department, *_ in DEPARTMENTS:
        quarters = {f"Q{q}": rng.randrange(6000, 16000, 500) for q in range(1, 5)}
        departments[department] = {
            "owner": company.head(department)["email"],
            "annual": sum(quarters.values()),
            "quarters": quarters,
            "spent_to_date": round(spent[department], 2),
        }
    finance_head = company.head("Finance")
    return _json({"fiscal_year": 2024, "currency": "USD", "approved_by": finance_head["email"],
                  "approved_on": "2023-12-15", "departments": departments})


def _org_chart_json(company: _Company) -> str:
    def person(e: dict) -> dict:
        return {"employee_id": e["employee_id"], "name": _name(e), "title": e["title"], "email": e["email"]}

    return _json({
        "company": "Northpeak Outdoor Supply",
        "as_of": "2024-06-30",
        "departments": [{
            "name": department,
            "head": person(company.head(department)),
            "members": [person(e) for e in company.by_department[department][1:]],
        } for department, *_ in DEPARTMENTS],
    })


def _app_config_json(company: _Company) -> str:
    return _json({
        "app": {"name": "northpeak-portal", "version": "3.4.1", "environment": "production"},
        "database": {"engine": "sqlite", "path": "data/company.db", "pool_size": 5, "timeout_seconds": 30},
        "api": {
            "host": "0.0.0.0", "port": 8080,
            "rate_limit": {"requests_per_minute": 600, "burst": 50},
            "cors_origins": [f"https://portal.{DOMAIN}", f"https://admin.{DOMAIN}"],
        },
        "worker": {"schedule": {"nightly_sales_report": "02:00", "inventory_sync": "*/30"}, "max_retries": 3},
        "logging": {"level": "INFO", "directory": "engineering/logs", "rotate_days": 14},
        "email": {"smtp_host": f"smtp.{DOMAIN}", "from": f"noreply@{DOMAIN}",
                  "alerts_to": [company.head("Engineering")["email"], f"ops@{DOMAIN}"]},
    })


def _feature_flags_json(company: _Company) -> str:
    engineers = company.by_department["Engineering"]
    flags = [("new_checkout", True, 50), ("bulk_order_upload", True, 100), ("dark_mode", False, 0),
             ("ai_product_search", False, 10), ("wholesale_portal_v2", True, 25)]
    return _json({
        "updated": "2024-06-20",
        "flags": [{
            "name": name, "enabled": enabled, "rollout_percent": rollout,
            "owner": engineers[i % len(engineers)]["email"],
            "environments": {"staging": True, "production": enabled and rollout == 100},
        } for i, (name, enabled, rollout) in enumerate(flags)],
    })


def _quarter_report(company: _Company, quarter: int) -> str:
    start, end = date(2024, 3 * quarter - 2, 1), date(2024, 3 * quarter + 1, 1)  # quarters 1 to 3
    expenses = [e for e in company.expenses if start <= e["date"] < end]
    orders = [o for o in company.orders if start <= o["order_date"] < end and o["status"] != "cancelled"]
    by_department = defaultdict(float)
    for expense in expenses:
        if expense["status"] == "approved":
            by_department[expense["department"]] += expense["amount"]
    by_category = defaultdict(float)
    for order in orders:
        by_category[next(p["category"] for p in company.products if p["sku"] == order["sku"])] += order["total"]
    finance = company.head("Finance")
    pending = [e for e in expenses if e["status"] == "pending"]
    lines = [
        f"# Q{quarter} 2024 Finance Summary",
        "",
        f"Prepared by {_name(finance)} ({finance['email']}) on {end.isoformat() if quarter == 1 else '2024-06-30'}.",
        f"Period: {start.isoformat()} to {(end - timedelta(days=1)).isoformat()}.",
        "",
        "## Revenue",
        "",
        f"- Orders booked (excluding cancelled): {len(orders)}",
        f"- Revenue: {_money(sum(o['total'] for o in orders))}",
        "",
        "| Category | Revenue |",
        "|---|---|",
        *[f"| {category} | {_money(total)} |"
          for category, total in sorted(by_category.items(), key=lambda kv: -kv[1])],
        "",
        "## Approved expenses by department",
        "",
        "| Department | Amount |",
        "|---|---|",
        *[f"| {department} | {_money(total)} |" for department, total in sorted(by_department.items())],
        "",
        f"Total approved: {_money(sum(by_department.values()))}. Pending claims: {len(pending)}.",
        "",
        "## Notes",
        "",
    ]
    if quarter == 1:
        categories = defaultdict(float)
        for expense in expenses:
            if expense["status"] == "approved":
                categories[expense["category"]] += expense["amount"]
        largest = max(sorted(categories), key=lambda category: categories[category])
        lines += [f"- Largest expense category: {largest} ({_money(categories[largest])}); "
                  "details in finance/expenses_2024.csv.",
                  f"- Questions about reimbursements go to accounts@{DOMAIN}.",
                  "- Next review meeting: 2024-04-12."]
    else:
        revenue = defaultdict(float)
        for order in orders:
            revenue[order["customer_id"]] += order["total"]
        top = sorted(revenue, key=lambda customer_id: (-revenue[customer_id], customer_id))[:2]
        names = [next(c["company"] for c in company.customers if c["customer_id"] == t) for t in top]
        lines += [f"- Top customers this quarter: {names[0]} ({_money(revenue[top[0]])}) and "
                  f"{names[1]} ({_money(revenue[top[1]])}).",
                  f"- Pending claims must be approved by 2024-07-10; contact accounts@{DOMAIN}.",
                  "- Budget re-forecast due 2024-07-15 (see finance/budget_2024.json)."]
    return "\n".join(lines) + "\n"


def _pipeline_notes(company: _Company) -> str:
    sales = company.by_department["Sales"]
    customers = company.customers
    return "\n".join([
        "Sales pipeline review - 2024-05-06",
        f"Attendees: {', '.join(_name(e) for e in sales)}",
        f"Notes taken by {_name(sales[1])} <{sales[1]['email']}>",
        "",
        "1. Wholesale accounts",
        f"   - {customers[1]['company']} wants a volume quote for Ridgeline 2P tents before 2024-05-20.",
        f"     Contact: {customers[1]['contact_name']} ({customers[1]['email']}).",
        f"   - {customers[7]['company']} renewal meeting moved to 2024-05-28.",
        "2. Retail",
        f"   - {customers[0]['company']} reported two damaged Trailblazer packs; replacement shipped 2024-05-03.",
        f"   - {customers[9]['company']} asked about the climbing gym starter bundle.",
        "3. Online",
        f"   - {customers[8]['company']} and {customers[12]['company']} want dropship SKUs; follow up with "
        f"{sales[0]['email']}.",
        "",
        "Action items",
        f"- [ ] {sales[2]['first_name']}: send updated wholesale price list by 2024-05-10",
        f"- [ ] {sales[3]['first_name']}: check stock of NP-SLP-001 with operations (ops@{DOMAIN})",
        f"- [x] {sales[4]['first_name']}: close out Q1 commissions (done 2024-05-02)",
        "",
        "Next review: 2024-06-03",
    ]) + "\n"


def _call_log(company: _Company) -> str:
    rep = company.by_department["Sales"][3]
    lines = [f"Call log - {_name(rep)} <{rep['email']}> - 2024-06-12", ""]
    for hour, customer in zip(range(9, 17), company.rng.sample(company.customers, 6)):
        topic = company.rng.choice(["reorder of best sellers", "late delivery complaint", "new catalog request",
                                    "invoice question", "summer promotion", "return authorization"])
        lines.append(f"{hour:02d}:{company.rng.randint(0, 59):02d}  {customer['company']} "
                     f"({customer['contact_name']}, {customer['email']}) - {topic}")
    lines += ["", "Follow-ups due 2024-06-14."]
    return "\n".join(lines) + "\n"


def _remote_policy(company: _Company) -> str:
    hr = company.head("HR")
    return "\n".join([
        "# Remote Work Policy",
        "",
        "Effective date: 2024-02-01  ",
        "Last reviewed: 2024-06-01  ",
        f"Owner: {_name(hr)} ({hr['email']})",
        "",
        "## Eligibility",
        "",
        "Employees who have completed their 90-day onboarding period may work remotely up to three days a week.",
        "Roles based in a warehouse (Operations) are eligible for one remote day a week.",
        "",
        "## Equipment",
        "",
        "Northpeak provides a laptop and a monitor. Other equipment is expensed under the *Equipment* category",
        "in finance/expenses_2024.csv and needs manager approval.",
        "",
        "## Requests",
        "",
        f"Send requests to hr@{DOMAIN} at least two weeks in advance. Requests submitted before 2024-03-01",
        "were reviewed under the old policy.",
    ]) + "\n"


def _onboarding(company: _Company) -> str:
    newest = max(company.employees, key=lambda e: e["hire_date"])
    manager = company.head(newest["department"])
    start = newest["hire_date"]
    return "\n".join([
        f"Onboarding checklist - {_name(newest)} ({newest['employee_id']})",
        f"Start date: {start.isoformat()}",
        f"Department: {newest['department']} - manager {_name(manager)} <{manager['email']}>",
        "",
        f"[x] Laptop ordered ({(start - timedelta(days=10)).isoformat()})",
        f"[x] Accounts created: {newest['email']}",
        f"[x] Welcome lunch booked for {(start + timedelta(days=2)).isoformat()}",
        "[ ] Security training (due within 30 days)",
        "[ ] Read hr/policies/remote_work_policy.md",
        f"[ ] 90-day review on {(start + timedelta(days=90)).isoformat()}",
        "",
        f"Questions: hr@{DOMAIN}",
    ]) + "\n"


def _architecture(company: _Company) -> str:
    head = company.head("Engineering")
    return "\n".join([
        "# Northpeak Portal Architecture",
        "",
        f"Maintainer: {_name(head)} ({head['email']}). Last updated 2024-06-18.",
        "",
        "## Components",
        "",
        "- **api**: HTTP service on port 8080 (see engineering/config/app_config.json).",
        "- **worker**: nightly jobs such as `nightly_sales_report` and `inventory_sync`.",
        "- **database**: SQLite file `data/company.db` with tables customers, orders, products and employees.",
        "",
        "## Data flow",
        "",
        "1. Orders are entered through the portal and written to the `orders` table.",
        "2. The worker exports sales/orders_2024.csv every night at 02:00.",
        "3. engineering/src/sales_report.py builds the revenue report used by finance.",
        "",
        "## Known issues",
        "",
        "- 2024-06-28: database timeouts under load on /orders (see engineering/logs/api_2024-06-28.log).",
        "- 2024-06-29: inventory_sync retried after a warehouse API outage.",
        "",
        f"Incidents: page the on-call engineer via oncall@{DOMAIN}.",
    ]) + "\n"


def _newsletter(company: _Company) -> str:
    author = company.by_department["Marketing"][1]
    best = max(company.products, key=lambda p: sum(o["quantity"] for o in company.orders if o["sku"] == p["sku"]))
    return "\n".join([
        "# Northpeak Trail Notes - June 2024 (draft)",
        "",
        f"Draft by {_name(author)} <{author['email']}>, to be sent 2024-07-02.",
        "",
        "## July Trail Days sale",
        "",
        "From 2024-07-05 to 2024-07-21 every tent and sleeping bag is 15% off for our retail partners.",
        "",
        "## Best seller of the season",
        "",
        f"The {best['name']} ({best['sku']}) was our most ordered product this spring.",
        "",
        "## Meet us",
        "",
        "Visit our booth at the Outdoor Retailer Show in Denver on 2024-08-14. Book a slot with",
        f"events@{DOMAIN}.",
        "",
        f"Unsubscribe: newsletter@{DOMAIN}",
    ]) + "\n"


def _warehouse_notes(company: _Company) -> str:
    ops = company.head("Operations")
    low = sorted((p for p in company.products if p["stock_units"] < 60), key=lambda p: p["stock_units"])
    lines = [
        "Warehouse notes",
        f"Owner: {_name(ops)} <{ops['email']}>",
        "",
        "2024-06-24  Cycle count completed in Denver. Variance under 1%.",
        "2024-06-26  Portland dock door 3 repaired.",
        "2024-06-28  Low stock report:",
        *[f"            {p['sku']}  {p['name']}  {p['stock_units']} units ({p['warehouse']})" for p in low],
        f"2024-06-29  Carrier rates renegotiated with UPS; questions to logistics@{DOMAIN}.",
    ]
    return "\n".join(lines) + "\n"


def _api_log(company: _Company) -> str:
    rng = company.rng
    moment = datetime(2024, 6, 28, 8, 0, 0, tzinfo=UTC)
    lines = []
    orders = [o["order_id"] for o in company.orders]
    for _ in range(130):
        moment += timedelta(seconds=rng.randint(20, 300))
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        roll = rng.random()
        if roll < 0.08:
            lines.append(f"{stamp} ERROR [api] GET /orders/{rng.choice(orders)} 500 - database timeout after 30s")
        elif roll < 0.2:
            lines.append(f"{stamp} WARN  [api] slow query on /orders took {rng.randint(1200, 4800)}ms")
        else:
            path = rng.choice(["/orders", f"/orders/{rng.choice(orders)}", "/products", "/customers", "/health"])
            lines.append(f"{stamp} INFO  [api] GET {path} 200 {rng.randint(4, 180)}ms")
    return "\n".join(lines) + "\n"


def _worker_log(company: _Company) -> str:
    rng = company.rng
    moment = datetime(2024, 6, 29, 0, 0, 0, tzinfo=UTC)
    lines = []
    for hour in range(24):
        for half in (0, 30):
            moment = datetime(2024, 6, 29, hour, half, rng.randint(0, 9), tzinfo=UTC)
            stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            if 9 <= hour < 11:
                lines.append(f"{stamp} ERROR [worker] job=inventory_sync failed: warehouse API returned 503")
                lines.append(f"{stamp} WARN  [worker] job=inventory_sync retry 1/3 scheduled")
            else:
                lines.append(f"{stamp} INFO  [worker] job=inventory_sync synced {rng.randint(10, 12)} products")
            if hour == 2 and half == 0:
                revenue = sum(o["total"] for o in company.orders if o["status"] != "cancelled")
                lines.append(f"{stamp} INFO  [worker] job=nightly_sales_report started")
                lines.append(f"{stamp} INFO  [worker] job=nightly_sales_report rows={len(company.orders)} "
                             f"revenue={revenue:.2f}")
                lines.append(f"{stamp} INFO  [worker] job=nightly_sales_report finished")
    return "\n".join(lines) + "\n"


SALES_REPORT_PY = '''"""Revenue per customer from the company database (run from the drive root)."""

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
'''

QUERIES_SQL = """-- Reporting queries for data/company.db
-- Maintained by the engineering team; last updated 2024-06-18.

-- Revenue by product category (cancelled orders excluded)
SELECT p.category, ROUND(SUM(o.total), 2) AS revenue, COUNT(*) AS orders
FROM orders AS o JOIN products AS p ON p.sku = o.sku
WHERE o.status != 'cancelled'
GROUP BY p.category
ORDER BY revenue DESC;

-- Orders still waiting to ship
SELECT order_id, order_date, customer_id, sku, quantity
FROM orders
WHERE status = 'pending'
ORDER BY order_date;

-- Sales rep leaderboard
SELECT e.first_name || ' ' || e.last_name AS rep, ROUND(SUM(o.total), 2) AS revenue
FROM orders AS o JOIN employees AS e ON e.employee_id = o.sales_rep
WHERE o.status != 'cancelled'
GROUP BY o.sales_rep
ORDER BY revenue DESC;

-- Products that need restocking
SELECT sku, name, stock_units, warehouse FROM products WHERE stock_units < 60 ORDER BY stock_units;
"""

SCHEMA = """
CREATE TABLE customers (
    customer_id TEXT PRIMARY KEY,
    company TEXT NOT NULL,
    contact_name TEXT,
    email TEXT,
    country TEXT,
    segment TEXT,
    signup_date TEXT,
    account_manager TEXT REFERENCES employees(employee_id)
);
CREATE TABLE employees (
    employee_id TEXT PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    department TEXT,
    title TEXT,
    location TEXT,
    hire_date TEXT,
    salary INTEGER
);
CREATE TABLE products (
    sku TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT,
    price REAL NOT NULL,
    cost REAL,
    stock_units INTEGER DEFAULT 0,
    warehouse TEXT,
    active INTEGER DEFAULT 1
);
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    order_date TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers(customer_id),
    sku TEXT NOT NULL REFERENCES products(sku),
    quantity INTEGER NOT NULL,
    unit_price REAL NOT NULL,
    discount_pct INTEGER DEFAULT 0,
    total REAL NOT NULL,
    status TEXT NOT NULL,
    sales_rep TEXT REFERENCES employees(employee_id)
);
"""


def _build_database(company: _Company, path: Path) -> None:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA page_size = 512")
        connection.executescript(SCHEMA)
        tables = {
            "customers": company.customers,
            "employees": company.employees,
            "products": [{k: v for k, v in p.items() if k not in ("weight_kg", "colors")}
                         | {"active": int(p["active"])} for p in company.products],
            "orders": company.orders,
        }
        for table, rows in tables.items():
            columns = list(rows[0])
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                [tuple(str(v) if isinstance(v, date) else v for v in row.values()) for row in rows],
            )
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()


def build(out_dir: Path) -> list[Path]:
    """Write the whole tree into out_dir (which must be empty or absent) and return the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    company = _Company(random.Random(SEED))
    texts: dict[str, str] = {
        "hr/employees.csv": _csv(company.employees),
        "sales/customers.csv": _csv(company.customers),
        "sales/orders_2024.csv": _csv(company.orders),
        "finance/expenses_2024.csv": _csv(company.expenses),
        "operations/shipments.csv": _csv(company.shipments),
        "marketing/campaigns.csv": _csv(company.campaigns),
        "sales/products.json": _products_json(company),
        "finance/budget_2024.json": _budget_json(company),
        "hr/org_chart.json": _org_chart_json(company),
        "engineering/config/app_config.json": _app_config_json(company),
        "engineering/config/feature_flags.json": _feature_flags_json(company),
        "finance/reports/q1_2024_summary.md": _quarter_report(company, 1),
        "finance/reports/q2_2024_summary.md": _quarter_report(company, 2),
        "sales/notes/pipeline_review_2024-05-06.txt": _pipeline_notes(company),
        "sales/notes/call_log_2024-06-12.txt": _call_log(company),
        "hr/policies/remote_work_policy.md": _remote_policy(company),
        "hr/onboarding_checklist.txt": _onboarding(company),
        "engineering/docs/architecture.md": _architecture(company),
        "marketing/newsletter_draft_2024-06.md": _newsletter(company),
        "operations/warehouse_notes.txt": _warehouse_notes(company),
        "engineering/logs/api_2024-06-28.log": _api_log(company),
        "engineering/logs/worker_2024-06-29.log": _worker_log(company),
        "engineering/src/sales_report.py": SALES_REPORT_PY,
        "engineering/src/queries.sql": QUERIES_SQL,
    }
    written = []
    for relative_path, text in texts.items():
        target = out_dir / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
        written.append(target)
    database = out_dir / "data" / "company.db"
    database.parent.mkdir(parents=True, exist_ok=True)
    _build_database(company, database)
    written.append(database)
    for path in sorted(out_dir.rglob("*"), reverse=True):  # files before the folders holding them
        os.utime(path, (MTIME, MTIME))
    os.utime(out_dir, (MTIME, MTIME))
    return sorted(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the starter company file system into OUT_DIR.")
    parser.add_argument("out_dir", type=Path, help="directory to create (must be empty unless --replace)")
    parser.add_argument("--replace", action="store_true", help="delete OUT_DIR first if it already exists")
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir
    if out_dir.exists() and any(out_dir.iterdir()):
        if not args.replace:
            print(f"{out_dir} is not empty; pass --replace to regenerate it", file=sys.stderr)
            return 1
        shutil.rmtree(out_dir)
    files = build(out_dir)
    print(f"wrote {len(files)} files to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
