"""Deterministic generator of the bundled seed file system: the shared drive of a small company.

    python -m fcgraph.datasets.build_file_system OUT_DIR [--replace]

Northpeak Outdoor Supply sells outdoor gear to retailers. Its drive holds about a hundred files in some
twenty formats (tables, JSON/YAML/XML/TOML/INI, notes, logs, code, SQLite databases, PDF, Word and Excel
documents, PNG charts and JPEG photos), and they agree with one another: the people of hr/employees.csv
are the sales reps of sales/orders_2024.csv and the authors of the reports, the invoice PDFs bill orders
of data/company.db, the Q2 report quotes the revenue of those orders, the regional workbooks split the
same orders, and so on. A user agent writes tasks about these files; an assistant must find the answers
with tools, so the answers must be there and be consistent.

Reproducible: every random choice comes from random.Random or Faker seeded from SEED (the draws made
while rendering a file use a stream of their own, so adding a file does not change the others; Faker's
records are drawn once, in a fixed order), no wall clock is read, office documents are re-zipped
with fixed timestamps and properties, PDFs carry a fixed creation date and producer, and every file and
folder gets the same modification time. The bytes still depend on the versions of the libraries that
write them (Faker's word lists, fpdf2's layout, Pillow's zlib, libjpeg and default font, the SQLite
version stamped in a database header), which is why the shipped copy (fcgraph/datasets/file_system) is
compared with a fresh build in tests/test_seed_file_system.py.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import math
import os
import random
import re
import shutil
import sqlite3
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
import yaml
from faker import Faker
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from PIL import ExifTags, Image, ImageDraw, ImageFilter, ImageFont

from fcgraph.datasets import BUNDLED_MTIME

SEED = 20261121
MTIME = BUNDLED_MTIME  # every file's and folder's
NOW = datetime.fromtimestamp(MTIME, UTC)  # the drive's "today": export stamps
COMPANY = "Northpeak Outdoor Supply"
DOMAIN = "northpeak.example"
HQ_ADDRESS = ("2150 Larkspur Way, Suite 300", "Denver, CO 80216", "USA")
APP_VERSION = "3.4.1"
PDF_PRODUCER = "Northpeak document service"  # replaces fpdf2's default, which names the library version
H1_MONTHS = [f"2024-{month:02d}" for month in range(1, 7)]

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
FOREIGN_CITIES = {  # country: (city, postal code, dialling code) of the customers abroad
    "Germany": ("Munich", "80331", "+49"), "Canada": ("Calgary", "T2P 1J9", "+1"),
    "United Kingdom": ("Inverness", "IV1 1QA", "+44"), "Mexico": ("Monterrey", "64000", "+52"),
    "Sweden": ("Ostersund", "831 30", "+46"), "Australia": ("Brisbane", "4000", "+61"),
    "Norway": ("Tromso", "9008", "+47"),
}
REGIONS = {  # file stem: (region, countries)
    "north_america": ("North America", ("USA", "Canada", "Mexico")),
    "europe": ("Europe", ("Germany", "United Kingdom", "Sweden", "Norway")),
    "asia_pacific": ("Asia Pacific", ("Australia",)),
}
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
SUPPLIED_CATEGORIES = [("Tents", "Sleeping"), ("Backpacks",), ("Apparel",), ("Footwear",), ("Accessories",)]
CARRIERS = ["UPS", "FedEx", "DHL", "USPS"]
CHANNELS = ["Email", "Social", "Search", "Events", "Print"]
WAREHOUSES = {"Denver": ("DEN", "4800 Dahlia Street, Denver, CO 80216"),
              "Portland": ("PDX", "9100 NE Cascade Parkway, Portland, OR 97220")}
REORDER_POINT = 60  # below this many units a product is on the low stock report
CALL_TOPICS = ["reorder of best sellers", "late delivery complaint", "new catalog request",
               "invoice question", "summer promotion", "return authorization"]
HOLIDAYS = [(date(2024, 1, 1), "New Year's Day"), (date(2024, 1, 15), "Martin Luther King Jr. Day"),
            (date(2024, 5, 27), "Memorial Day"), (date(2024, 6, 19), "Juneteenth"),
            (date(2024, 7, 4), "Independence Day"), (date(2024, 9, 2), "Labor Day"),
            (date(2024, 11, 28), "Thanksgiving"), (date(2024, 11, 29), "Day after Thanksgiving"),
            (date(2024, 12, 25), "Christmas Day")]
WORKER_SCHEDULE = {"nightly_sales_report": "02:00", "inventory_sync": "*/30"}
BRAND_COLORS = {"Summit Green": (31, 84, 61), "Trail Orange": (232, 118, 38), "Glacier Blue": (74, 134, 184),
                "Granite": (58, 60, 66), "Snow": (247, 247, 242)}
PRODUCT_COLORS = {"green": (46, 125, 70), "orange": (232, 118, 38), "black": (35, 35, 38), "blue": (45, 90, 170),
                  "red": (190, 40, 40), "grey": (128, 128, 132), "navy": (30, 40, 90), "yellow": (235, 200, 40),
                  "teal": (30, 140, 140), "charcoal": (64, 64, 70), "brown": (110, 72, 40),
                  "lime": (160, 210, 60), "silver": (190, 192, 198)}
SILHOUETTES = {  # product outlines in a unit square, drawn by _product_photo
    "Tents": [(0.08, 0.82), (0.5, 0.18), (0.92, 0.82)],
    "Backpacks": [(0.3, 0.85), (0.28, 0.3), (0.38, 0.18), (0.62, 0.18), (0.72, 0.3), (0.7, 0.85)],
    "Sleeping": [(0.15, 0.7), (0.15, 0.45), (0.25, 0.35), (0.85, 0.35), (0.85, 0.7)],
    "Apparel": [(0.3, 0.85), (0.3, 0.4), (0.15, 0.55), (0.08, 0.45), (0.3, 0.2), (0.42, 0.15), (0.5, 0.22),
                (0.58, 0.15), (0.7, 0.2), (0.92, 0.45), (0.85, 0.55), (0.7, 0.4), (0.7, 0.85)],
    "Footwear": [(0.15, 0.8), (0.15, 0.3), (0.45, 0.3), (0.5, 0.55), (0.85, 0.62), (0.9, 0.8)],
    "Accessories": [(0.46, 0.12), (0.54, 0.12), (0.52, 0.88), (0.48, 0.88)],
}
CAMERAS = {"studio": ("Canon", "Canon EOS R6"), "phone": ("Apple", "iPhone 13"),
           "android": ("Samsung", "SM-G991U")}

Content = str | bytes  # text files are str (written as UTF-8), everything else bytes


def _rng(topic: str) -> random.Random:
    """One independent stream per topic, so a new file's draws never shift the values of another file."""
    return random.Random(f"{SEED}:{topic}")


# ---------------------------------------------------------------------------------------------------
# the company's records


class _Company:
    """All generated records, built once from the seed so every file can refer to the same facts."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # the stream of the original records, kept so their values stay put
        self.fake = Faker("en_US")
        self.fake.seed_instance(SEED)
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
        self.employee = {e["employee_id"]: e for e in self.employees}
        self.customer = {c["customer_id"]: c for c in self.customers}
        self.product = {p["sku"]: p for p in self.products}
        self.shipment = {s["order_id"]: s for s in self.shipments}
        self.bins = self._bins()
        self.mobiles = {e["employee_id"]: self.fake.numerify("+1 ###-555-01##") for e in self.employees}
        self.suppliers = self._suppliers()
        self.purchase_orders = self._purchase_orders()
        self.budget = self._budget()
        self.calls = self._calls()
        self.damaged_order = self._damaged_order()
        self.returns = self._returns()
        self.carrier_rates = self._carrier_rates()
        self.candidates = self._candidates()
        self.visitors = [(self.fake.ipv4_public(), self.fake.user_agent()) for _ in range(12)]

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
            customers.append({
                "customer_id": f"C{number:03d}",
                "company": company,
                "contact_name": contact,
                "email": f"{first[0].lower()}{last.lower()}@{_domain(company)}",
                "country": country,
                "segment": segment,
                "signup_date": self._day(date(2019, 1, 1), date(2023, 12, 31)),
                "account_manager": reps[(number - 1) % len(reps)],
            })
        for customer in customers:  # columns added by engineering/src/migrations/002_customer_contact_details.sql
            customer.update(self._contact_details(customer["country"]))
        return customers

    def _contact_details(self, country: str) -> dict:
        if country == "USA":
            city = self.fake.city()
            postal_code = f"{self.fake.state_abbr(include_territories=False)} {self.fake.postcode()}"
            dialling = "+1"
        else:
            city, postal_code, dialling = FOREIGN_CITIES[country]
        return {"phone": f"{dialling} {self.fake.numerify('###-555-01##')}", "street": self.fake.street_address(),
                "city": city, "postal_code": postal_code}

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

    def _suppliers(self) -> list[dict]:
        rng = _rng("suppliers")
        suppliers = []
        for number, categories in enumerate(SUPPLIED_CATEGORIES, start=1):
            name = self.fake.company()
            first, last = self.fake.first_name(), self.fake.last_name()
            suppliers.append({
                "supplier_id": f"SUP-{number:02d}", "name": name, "contact_name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}@{_domain(name)}",
                "phone": self.fake.numerify("+1 ###-555-01##"), "city": self.fake.city(),
                "state": self.fake.state_abbr(include_territories=False), "categories": ", ".join(categories),
                "payment_terms": rng.choice(["Net 30", "Net 45", "Net 60"]),
            })
        return suppliers

    def _purchase_orders(self) -> list[dict]:
        """Restocking: a few received orders a month, and open ones for every product on the low stock report."""
        rng = _rng("purchasing")
        by_category = {c: s for s in self.suppliers for c in s["categories"].split(", ")}
        planned = [(date(2024, month, rng.randint(1, 28)), rng.choice(self.products)) for month in range(1, 7)
                   for _ in range(rng.randint(2, 3))]
        planned += [(date(2024, 6, 28), p) for p in self.products if p["stock_units"] < REORDER_POINT]
        orders = []
        for number, (day, product) in enumerate(sorted(planned, key=lambda item: (item[0], item[1]["sku"])), 1):
            quantity = rng.randrange(60, 260, 20)
            expected = day + timedelta(days=rng.randint(14, 28))
            orders.append({
                "po_id": f"PO-2024-{number:03d}", "order_date": day,
                "supplier_id": by_category[product["category"]]["supplier_id"], "sku": product["sku"],
                "quantity": quantity, "unit_cost": product["cost"], "total": round(quantity * product["cost"], 2),
                "status": "received" if expected <= date(2024, 6, 28) else "open", "expected_date": expected,
                "warehouse": product["warehouse"],
            })
        return orders

    def _budget(self) -> dict[str, dict]:
        rng = _rng("budget")
        spent = defaultdict(float)
        for expense in self.expenses:
            if expense["status"] == "approved":
                spent[expense["department"]] += expense["amount"]
        budget = {}
        for department, *_ in DEPARTMENTS:
            quarters = {f"Q{q}": rng.randrange(6000, 16000, 500) for q in range(1, 5)}
            budget[department] = {"owner": self.head(department)["email"], "annual": sum(quarters.values()),
                                  "quarters": quarters, "spent_to_date": round(spent[department], 2)}
        return budget

    def _bins(self) -> dict[str, str]:
        rng = _rng("bins")
        return {p["sku"]: f"{rng.choice('ABCD')}-{rng.randint(1, 12):02d}-{rng.randint(1, 4)}" for p in self.products}

    def _calls(self) -> list[dict]:
        rng = _rng("call_log")
        calls = []
        for hour, customer in zip(range(9, 17), rng.sample(self.customers, 6)):
            calls.append({"time": f"{hour:02d}:{rng.randint(0, 59):02d}", "customer": customer,
                          "topic": rng.choice(CALL_TOPICS)})
        return calls

    def _damaged_order(self) -> dict:
        """The order whose damaged units the pipeline review of 2024-05-06 mentions."""
        return [o for o in self.orders if o["customer_id"] == "C001" and o["status"] == "delivered"
                and o["order_date"] < date(2024, 5, 2)][-1]

    def _returns(self) -> list[dict]:
        """The damaged units of the pipeline review first, then returns drawn from delivered orders."""
        rng = _rng("returns")
        delivered = [o for o in self.orders if o["status"] == "delivered" and o is not self.damaged_order]
        first = {"order": self.damaged_order, "opened": date(2024, 5, 2), "quantity": 2,
                 "reason": "damaged in transit", "resolution": "replacement shipped 2024-05-03", "status": "closed"}
        drawn = sorted(rng.sample(delivered, 5), key=lambda o: o["order_id"])
        returns = [first]
        for order in drawn:
            opened = order["order_date"] + timedelta(days=rng.randint(8, 20))
            returns.append({"order": order, "opened": opened, "quantity": rng.randint(1, min(3, order["quantity"])),
                            "reason": rng.choice(["wrong size", "defective zipper", "not as described",
                                                  "ordered by mistake"]),
                            "resolution": rng.choice(["refund", "exchange", "store credit"]),
                            "status": "closed" if opened < date(2024, 6, 15) else "open"})
        returns.sort(key=lambda item: item["opened"])
        for number, item in enumerate(returns, start=1):
            item["rma_id"] = f"RMA-{number:04d}"
        return returns

    def _carrier_rates(self) -> dict[str, dict]:
        rng = _rng("carriers")
        return {carrier: {"account": f"NP-{carrier}-{rng.randint(1000, 9999)}",
                          "base_fee": round(rng.uniform(6, 11), 2), "per_kg": round(rng.uniform(0.6, 1.4), 2),
                          "fuel_surcharge_pct": rng.choice([9.5, 11.0, 12.5]),
                          "ground_transit_days": f"{rng.randint(2, 3)}-{rng.randint(5, 7)}"}
                for carrier in CARRIERS}

    def _candidates(self) -> list[dict]:
        rng = _rng("recruiting")
        interviewers = self.by_department["Engineering"][:2] + self.by_department["Marketing"][:1]
        candidates = []
        for number in range(1, 11):
            role = "Software Engineer" if number % 3 else "Marketing Specialist"
            candidates.append({
                "candidate_id": f"CAND-{number:03d}", "name": f"{self.fake.first_name()} {self.fake.last_name()}",
                "email": self.fake.safe_email(), "city": self.fake.city(), "role": role,
                "source": rng.choice(["Referral", "LinkedIn", "Careers page", "University fair"]),
                "applied": date(2024, 5, 1) + timedelta(days=rng.randint(0, 50)),
                "stage": rng.choice(["Applied", "Phone screen", "Onsite", "Offer", "Rejected"]),
                "interviewer": rng.choice(interviewers)["email"],
            })
        return candidates

    def head(self, department: str) -> dict:
        return self.by_department[department][0]

    def booked(self, start: date, end: date) -> list[dict]:
        """Orders placed in [start, end) that count as revenue (everything but cancelled)."""
        return [o for o in self.orders if start <= o["order_date"] < end and o["status"] != "cancelled"]

    def monthly_revenue(self) -> dict[str, float]:
        revenue = dict.fromkeys(H1_MONTHS, 0.0)
        for order in self.booked(date(2024, 1, 1), date(2024, 7, 1)):
            revenue[order["order_date"].isoformat()[:7]] += order["total"]
        return {month: round(total, 2) for month, total in revenue.items()}


def _domain(company: str) -> str:
    words = [w for w in company.lower().split() if w not in ("gmbh", "ltd", "ab", "as", "pty", "llc", "inc", "plc")]
    return "".join(ch for ch in "".join(words) if ch.isalpha()) + ".example"


@dataclass(frozen=True)
class _Quarter:
    """The figures a quarter's summary and report quote, computed once so both say the same."""

    number: int
    start: date
    end: date  # exclusive
    orders: list[dict]
    revenue: float
    cost_of_goods: float
    by_category: list[tuple[str, float]]
    by_month: dict[str, float]
    approved_by_department: dict[str, float]
    approved_by_category: dict[str, float]
    pending_claims: int
    by_customer: list[tuple[str, float]]


def _quarter(company: _Company, number: int) -> _Quarter:
    start, end = date(2024, 3 * number - 2, 1), date(2024, 3 * number + 1, 1)  # quarters 1 to 3
    orders = company.booked(start, end)
    expenses = [e for e in company.expenses if start <= e["date"] < end]
    approved = [e for e in expenses if e["status"] == "approved"]
    return _Quarter(
        number=number, start=start, end=end, orders=orders,
        revenue=round(sum(o["total"] for o in orders), 2),
        cost_of_goods=round(sum(o["quantity"] * company.product[o["sku"]]["cost"] for o in orders), 2),
        by_category=_ranked(orders, lambda o: company.product[o["sku"]]["category"], "total"),
        by_month={m: v for m, v in company.monthly_revenue().items() if f"{start:%Y-%m}" <= m < f"{end:%Y-%m}"},
        approved_by_department=dict(sorted(_sums(approved, "department", "amount").items())),
        approved_by_category=_sums(approved, "category", "amount"),
        pending_claims=sum(e["status"] == "pending" for e in expenses),
        by_customer=_ranked(orders, lambda o: company.customer[o["customer_id"]]["company"], "total"),
    )


def _sums(rows: list[dict], key: str, value: str) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for row in rows:
        sums[row[key]] += row[value]
    return dict(sums)


def _ranked(rows: list[dict], key: Any, value: str) -> list[tuple[str, float]]:
    """Totals per key, largest first and ties by name, so the order never depends on the input order."""
    sums: dict[str, float] = defaultdict(float)
    for row in rows:
        sums[key(row)] += row[value]
    return sorted(((k, round(v, 2)) for k, v in sums.items()), key=lambda kv: (-kv[1], kv[0]))


def _rep_stats(company: _Company, rep: dict) -> dict:
    orders = [o for o in company.booked(date(2024, 1, 1), date(2024, 7, 1)) if o["sales_rep"] == rep["employee_id"]]
    ranked = _ranked(orders, lambda o: company.customer[o["customer_id"]]["company"], "total")
    return {"orders": len(orders), "revenue": round(sum(o["total"] for o in orders), 2), "top_customer": ranked[0],
            "customers": len({o["customer_id"] for o in orders})}


# ---------------------------------------------------------------------------------------------------
# formats


def _name(person: dict) -> str:
    return f"{person['first_name']} {person['last_name']}"


def _handle(person: dict) -> str:
    return f"{person['first_name']}.{person['last_name']}".lower()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _lines(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def _csv(rows: list[dict], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: f"{value:.2f}" if isinstance(value, float) else value for key, value in row.items()})
    return buffer.getvalue()


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _yaml(data: Any, comment: str) -> str:
    return f"# {comment}\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _element(tag: str, text: Any = None, **attributes: Any) -> ET.Element:
    element = ET.Element(tag, {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def _html_page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
  <style>
    body {{ font-family: Helvetica, Arial, sans-serif; max-width: 860px; margin: 0 auto; color: #3a3c42; }}
    header {{ background: #1f543d; color: #f7f7f2; padding: 16px 24px; }}
    h1, h2 {{ color: #1f543d; }}
    table {{ border-collapse: collapse; width: 100%; }}
    th, td {{ border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: left; }}
    .cta {{ background: #e87626; color: #fff; padding: 10px 18px; text-decoration: none; border-radius: 4px; }}
  </style>
</head>
<body>
{body.strip()}
</body>
</html>
"""


def _html_table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "\n".join("    <tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>\n  <thead><tr>{head}</tr></thead>\n  <tbody>\n{body}\n  </tbody>\n</table>"


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _email(sender: str, to: str, cc: str, subject: str, sent: datetime, body: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Cc"] = sender, to, cc
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = f"<{sent:%Y%m%d%H%M%S}.{_slug(subject)}@{DOMAIN}>"
    message.set_content(body, cte="7bit")  # readable as plain text, unlike quoted-printable
    return message.as_bytes()


# --- documents: one block model rendered as PDF (fpdf2) or Word (python-docx)


@dataclass(frozen=True)
class _Doc:
    """A document described once, so its PDF and Word renderings cannot drift apart.

    blocks are ("heading" | "text" | "bullets" | "table", payload); a table's payload is (header, rows).
    """

    title: str
    author: str
    day: date
    blocks: list[tuple[str, Any]]


def _pdf(doc: _Doc) -> bytes:
    pdf = FPDF(format="letter")
    pdf.set_creation_date(_at(doc.day))
    pdf.set_title(doc.title)
    pdf.set_author(doc.author)
    pdf.set_creator(COMPANY)
    pdf.set_producer(PDF_PRODUCER)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)
    pdf.set_text_color(*BRAND_COLORS["Summit Green"])
    pdf.cell(0, 5, f"{COMPANY.upper()}  |  {', '.join(HQ_ADDRESS)}  |  www.{DOMAIN}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", style="B", size=17)
    pdf.multi_cell(0, 10, doc.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for kind, payload in doc.blocks:
        _PDF_BLOCKS[kind](pdf, payload)
    return bytes(pdf.output())


def _pdf_heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", style="B", size=12)
    pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _pdf_text(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _pdf_bullets(pdf: FPDF, items: list[str]) -> None:
    for item in items:
        _pdf_text(pdf, f"-  {item}")


def _pdf_table(pdf: FPDF, table: tuple[list[str], list[list[Any]]]) -> None:
    header, rows = table
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(4, *(len(row[i]) for row in cells)) for i in range(len(header))]
    aligns = ["RIGHT" if all(_numeric(row[i]) for row in cells[1:]) else "LEFT" for i in range(len(header))]
    pdf.set_font("Helvetica", size=9)
    pdf.ln(1)
    with pdf.table(col_widths=widths, text_align=aligns, line_height=5.5) as grid:
        for row in cells:
            line = grid.row()
            for cell in row:
                line.cell(cell)
    pdf.ln(2)


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"-?\$?[\d,]+(\.\d+)?%?", text))


_PDF_BLOCKS = {"heading": _pdf_heading, "text": _pdf_text, "bullets": _pdf_bullets, "table": _pdf_table}


def _docx(doc: _Doc) -> bytes:
    document = docx.Document()
    document.add_heading(doc.title, level=0)
    for kind, payload in doc.blocks:
        if kind == "heading":
            document.add_heading(payload, level=1)
        elif kind == "text":
            document.add_paragraph(payload)
        elif kind == "bullets":
            for item in payload:
                document.add_paragraph(item, style="List Bullet")
        else:
            _docx_table(document, *payload)
    buffer = io.BytesIO()
    document.save(buffer)
    return _office_package(buffer.getvalue(), doc.title, doc.author, doc.day, "Microsoft Office Word")


def _docx_table(document: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = str(value)


def _xlsx(sheets: dict[str, list[list[Any]]], title: str, author: str, day: date) -> bytes:
    """Each sheet's first row is its header, bold and frozen, as in the workbooks people share."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column, cells in enumerate(zip(*rows), start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(48, 2 + max(len(str(c)) for c in cells))
            for cell in sheet[get_column_letter(column)][1:]:
                cell.number_format = _number_format(cell.value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _office_package(buffer.getvalue(), title, author, day, "Microsoft Excel")


def _number_format(value: Any) -> str:
    if isinstance(value, float):
        return "#,##0.00"
    if isinstance(value, date):
        return "yyyy-mm-dd"
    return "General"


def _office_package(raw: bytes, title: str, author: str, day: date, application: str) -> bytes:
    """Re-zip an Office file so two runs give the same bytes.

    The libraries stamp every zip entry with the time of saving, openpyxl sets the modified property
    to now and names its own version in docProps/app.xml; here entries keep their order but get the
    document's date, and both property parts are rewritten from the document's own facts.
    """
    stamp = _at(day).strftime("%Y-%m-%dT%H:%M:%SZ")
    replaced = {
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{html.escape(title)}</dc:title><dc:creator>{html.escape(author)}</dc:creator>"
            f"<cp:lastModifiedBy>{html.escape(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
        ).encode(),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{application}</Application><Company>{COMPANY}</Company></Properties>"
        ).encode(),
    }
    source, target = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as package:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_at(day).timetuple()[:6])
            entry.compress_type, entry.create_system = zipfile.ZIP_DEFLATED, 0
            package.writestr(entry, replaced.get(info.filename, source.read(info.filename)))
    return target.getvalue()


# --- images: Pillow only, default font, no external assets


@lru_cache(maxsize=None)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _jpg(image: Image.Image, taken: datetime, camera: str) -> bytes:
    """A JPEG with the EXIF a phone or camera writes: make, model and when the picture was taken."""
    make, model = CAMERAS[camera]
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = make, model
    exif[ExifTags.Base.DateTime] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=78, exif=exif)
    return buffer.getvalue()


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _shade(color: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, int(c * factor))) for c in color)  # type: ignore[return-value]


def _ridges(image: Image.Image, rng: random.Random, color: tuple[int, int, int], layers: int = 3) -> None:
    """Mountain ridges from far (light, high) to near (dark, low)."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    for layer in range(layers):
        base = int(height * (0.55 + 0.12 * layer))
        points = [(0, height)]
        for x in range(0, width + 40, 40):
            points.append((x, base - rng.randint(0, int(height * (0.3 - 0.07 * layer)))))
        points.append((width, height))
        draw.polygon(points, fill=_shade(color, 1.5 - 0.35 * layer))


def _landscape(rng: random.Random, size: tuple[int, int] = (640, 427)) -> Image.Image:
    image = _gradient(size, (80, 130, 200), (240, 205, 170))
    draw = ImageDraw.Draw(image)
    sun_x, sun_y = rng.randint(80, size[0] - 80), rng.randint(40, 120)
    draw.ellipse((sun_x - 28, sun_y - 28, sun_x + 28, sun_y + 28), fill=(255, 236, 180))
    _ridges(image, rng, (70, 80, 95))
    for _ in range(40):  # a forest in the foreground
        x, y = rng.randint(0, size[0]), rng.randint(int(size[1] * 0.8), size[1])
        draw.polygon([(x, y - 26), (x - 9, y), (x + 9, y)], fill=(24, 60, 40))
    return image.filter(ImageFilter.GaussianBlur(0.7))


def _product_photo(product: dict, rng: random.Random) -> Image.Image:
    size = (480, 480)
    image = _gradient(size, (238, 238, 236), (196, 196, 192))
    draw = ImageDraw.Draw(image)
    draw.ellipse((90, 380, 390, 430), fill=(170, 170, 166))
    color = PRODUCT_COLORS[rng.choice(product["colors"])]
    outline = [(60 + x * 360, 40 + y * 380) for x, y in SILHOUETTES[product["category"]]]
    draw.polygon(outline, fill=color, outline=_shade(color, 0.6), width=4)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def _receipt_photo(expense: dict, rng: random.Random) -> Image.Image:
    """A receipt lying on a desk, showing the vendor, date and amount of the expense claim."""
    paper = Image.new("RGBA", (260, 380), (250, 250, 246, 255))
    draw = ImageDraw.Draw(paper)
    lines = [(expense["vendor"].upper(), 20), ("", 12), (f"Date: {expense['date'].isoformat()}", 15),
             (f"Receipt #{rng.randint(100000, 999999)}", 15), ("", 12), (f"{expense['category']}", 15),
             ("", 12), (f"TOTAL  {_money(expense['amount'])}", 20), ("", 12), ("Paid by card ****4417", 13),
             ("Thank you!", 15)]
    y = 24
    for text, size in lines:
        draw.text((20, y), text, fill=(40, 40, 40), font=_font(size))
        y += size + 10
    tilted = paper.rotate(rng.uniform(-6, 6), expand=True, resample=Image.Resampling.BICUBIC)
    desk = _gradient((480, 520), (120, 84, 56), (84, 58, 38))
    desk.paste(tilted, ((480 - tilted.width) // 2, (520 - tilted.height) // 2), tilted)
    return desk.filter(ImageFilter.GaussianBlur(0.5))


def _dock_door_photo() -> Image.Image:
    image = _gradient((640, 480), (150, 152, 156), (108, 110, 114))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 400, 640, 480), fill=(88, 88, 90))
    draw.rectangle((170, 90, 470, 400), fill=(200, 202, 206), outline=(60, 60, 64), width=6)
    for y in range(110, 400, 26):
        draw.line((176, y, 464, y), fill=(150, 152, 158), width=3)
    for x in (140, 476):
        draw.rectangle((x, 330, x + 24, 400), fill=(235, 190, 30))
    draw.text((300, 60), "3", fill=(240, 240, 240), font=_font(34))
    return image.filter(ImageFilter.GaussianBlur(0.8))


def _bar_chart(title: str, labels: list[str], values: list[float], color: tuple[int, int, int]) -> Image.Image:
    """A labelled bar chart; values are money, printed above each bar."""
    width, height, left, bottom, top = 720, 420, 90, 60, 60
    image = Image.new("RGB", (width, height), BRAND_COLORS["Snow"])
    draw = ImageDraw.Draw(image)
    draw.text((left, 20), title, fill=BRAND_COLORS["Granite"], font=_font(20))
    ceiling = _round_up(max(values) * 1.1)
    plot_height = height - top - bottom
    for step in range(5):
        value = ceiling * step / 4
        y = height - bottom - plot_height * step / 4
        draw.line((left, y, width - 20, y), fill=(220, 220, 215))
        draw.text((10, y - 7), f"${value:,.0f}", fill=BRAND_COLORS["Granite"], font=_font(12))
    slot = (width - left - 20) / len(values)
    for index, (label, value) in enumerate(zip(labels, values)):
        x0 = left + index * slot + slot * 0.15
        y0 = height - bottom - plot_height * value / ceiling
        draw.rectangle((x0, y0, x0 + slot * 0.7, height - bottom), fill=color)
        draw.text((x0, y0 - 16), f"${value:,.0f}", fill=BRAND_COLORS["Granite"], font=_font(11))
        draw.text((x0, height - bottom + 8), label, fill=BRAND_COLORS["Granite"], font=_font(12))
    draw.line((left, height - bottom, width - 20, height - bottom), fill=BRAND_COLORS["Granite"], width=2)
    return image


def _round_up(value: float) -> float:
    """A round top for a chart's axis: four gridline steps of 1, 2, 2.5 or 5 times a power of ten."""
    magnitude = 10 ** math.floor(math.log10(value / 4))
    return 4 * magnitude * next(step for step in (1, 2, 2.5, 5, 10) if 4 * magnitude * step >= value)


def _logo() -> Image.Image:
    foreground = BRAND_COLORS["Summit Green"]
    image = Image.new("RGB", (480, 160), BRAND_COLORS["Snow"])
    draw = ImageDraw.Draw(image)
    draw.polygon([(20, 130), (75, 30), (130, 130)], fill=foreground)
    draw.polygon([(80, 130), (120, 60), (160, 130)], fill=BRAND_COLORS["Trail Orange"])
    draw.text((180, 44), "NORTHPEAK", fill=foreground, font=_font(44))
    draw.text((183, 100), "OUTDOOR SUPPLY", fill=BRAND_COLORS["Trail Orange"], font=_font(20))
    return image


def _banner(headline: str, subline: str, seed_topic: str) -> Image.Image:
    image = _gradient((960, 320), BRAND_COLORS["Glacier Blue"], (250, 214, 160))
    _ridges(image, _rng(seed_topic), BRAND_COLORS["Summit Green"], layers=2)
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), headline, fill=BRAND_COLORS["Snow"], font=_font(48))
    draw.text((42, 104), subline, fill=BRAND_COLORS["Snow"], font=_font(24))
    draw.rounded_rectangle((40, 240, 230, 290), radius=8, fill=BRAND_COLORS["Trail Orange"])
    draw.text((62, 254), "SHOP NOW", fill=BRAND_COLORS["Snow"], font=_font(22))
    return image


def _architecture_diagram() -> Image.Image:
    image = Image.new("RGB", (760, 360), BRAND_COLORS["Snow"])
    draw = ImageDraw.Draw(image)
    boxes = {"browser": (30, 40, 200, 100, "Browser / portal UI"), "api": (290, 40, 470, 100, "api :8080"),
             "db": (290, 220, 470, 290, "data/company.db"), "worker": (560, 220, 730, 290, "worker (nightly)"),
             "csv": (560, 40, 730, 100, "sales/orders_2024.csv")}
    for x0, y0, x1, y1, label in boxes.values():
        draw.rounded_rectangle((x0, y0, x1, y1), radius=10, outline=BRAND_COLORS["Summit Green"], width=3,
                               fill=(255, 255, 255))
        draw.text((x0 + 12, (y0 + y1) // 2 - 8), label, fill=BRAND_COLORS["Granite"], font=_font(15))
    for start, end in [((200, 70), (290, 70)), ((380, 100), (380, 220)), ((560, 255), (470, 255)),
                       ((645, 220), (645, 100))]:
        _arrow(draw, start, end)
    draw.text((30, 320), f"Northpeak portal {APP_VERSION} - see engineering/docs/architecture.md",
              fill=BRAND_COLORS["Granite"], font=_font(13))
    return image


def _arrow(draw: ImageDraw.ImageDraw, start: tuple[int, int], end: tuple[int, int]) -> None:
    draw.line((start, end), fill=BRAND_COLORS["Trail Orange"], width=3)
    (x0, y0), (x1, y1) = start, end
    dx, dy = (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)
    draw.polygon([(x1, y1), (x1 - 10 * dx - 6 * dy, y1 - 10 * dy - 6 * dx),
                  (x1 - 10 * dx + 6 * dy, y1 - 10 * dy + 6 * dx)], fill=BRAND_COLORS["Trail Orange"])


# --- databases


def _database(schema: str, tables: dict[str, list[dict]]) -> bytes:
    """Build in memory and serialize, so no journal or half-written file is ever left behind."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("PRAGMA page_size = 512")
        connection.executescript(schema)
        for table, rows in tables.items():
            columns = list(rows[0])
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [tuple(str(v) if isinstance(v, date) else v for v in row.values()) for row in rows],
            )
        connection.commit()
        connection.execute("VACUUM")
        return connection.serialize()
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------------------
# shared pieces of content


def _address_lines(customer: dict) -> list[str]:
    return [customer["company"], f"Attn: {customer['contact_name']}", customer["street"],
            f"{customer['city']} {customer['postal_code']}", customer["country"], customer["email"]]


def _company_tables(company: _Company) -> dict[str, list[dict]]:
    """The rows of data/company.db, also the source of the portal's generated models."""
    return {
        "customers": company.customers,
        "employees": company.employees,
        "products": [{k: v for k, v in p.items() if k not in ("weight_kg", "colors")}
                     | {"active": int(p["active"])} for p in company.products],
        "orders": company.orders,
    }


def _invoice_id(order: dict) -> str:
    return "INV-" + order["order_id"].removeprefix("SO-")


def _invoiced_orders(company: _Company) -> list[dict]:
    """The last two wholesale shipments of May and of June: the invoices finance keeps as PDFs."""
    picked = []
    for month in (5, 6):
        shipped = [o for o in company.orders if o["order_id"] in company.shipment
                   and company.customer[o["customer_id"]]["segment"] == "Wholesale"
                   and company.shipment[o["order_id"]]["ship_date"].month == month]
        picked += shipped[-2:]
    return picked


def _api_log_lines(company: _Company) -> list[str]:
    rng = _rng("api_log")
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
    return lines


# ---------------------------------------------------------------------------------------------------
# finance


def _finance(company: _Company) -> dict[str, Content]:
    quarters = {number: _quarter(company, number) for number in (1, 2)}
    monthly = company.monthly_revenue()
    files: dict[str, Content] = {
        "finance/expenses_2024.csv": _csv(company.expenses),
        "finance/budget_2024.json": _budget_json(company),
        "finance/budget_2024.xlsx": _budget_xlsx(company),
        "finance/reports/2024/Q2/monthly_revenue_2024H1.png": _png(_bar_chart(
            "Monthly revenue, H1 2024 (excluding cancelled orders)", [m[5:] + "/24" for m in monthly],
            list(monthly.values()), BRAND_COLORS["Summit Green"])),
        "finance/reports/2024/Q2/expenses_by_department_q2.png": _png(_bar_chart(
            "Approved expenses by department, Q2 2024", list(quarters[2].approved_by_department),
            list(quarters[2].approved_by_department.values()), BRAND_COLORS["Glacier Blue"])),
        "finance/payroll/payroll_2024-06.xlsx": _payroll_xlsx(company),
        "finance/general_ledger_2024-06.tsv": _ledger(company),
        "finance/meetings/2024-04-12_q1_review_minutes.docx": _docx(_q1_minutes(company, quarters[1])),
    }
    for number, quarter in quarters.items():
        files[f"finance/reports/q{number}_2024_summary.md"] = _quarter_summary(company, quarter)
        files[f"finance/reports/2024/Q{number}/q{number}_2024_report.pdf"] = _pdf(_quarter_report(company, quarter))
    for order in _invoiced_orders(company):
        issued = company.shipment[order["order_id"]]["ship_date"]
        files[f"finance/invoices/2024/{issued:%m}/{_invoice_id(order)}.pdf"] = _pdf(_invoice(company, order))
    claim = company.expenses[-1]
    files[f"finance/expense_claims/{claim['expense_id']}_receipt.jpg"] = _jpg(
        _receipt_photo(claim, _rng(claim["expense_id"])), _at(claim["date"], 13, 5), "phone")
    return files


def _budget_json(company: _Company) -> str:
    return _json({"fiscal_year": 2024, "currency": "USD", "approved_by": company.head("Finance")["email"],
                  "approved_on": "2023-12-15", "departments": company.budget})


def _budget_xlsx(company: _Company) -> bytes:
    summary = [["Department", "Owner", "Annual budget", "Spent to date", "Remaining", "Used %"]]
    quarterly = [["Department", "Q1", "Q2", "Q3", "Q4", "Annual"]]
    for department, plan in company.budget.items():
        spent = plan["spent_to_date"]
        summary.append([department, plan["owner"], plan["annual"], spent, round(plan["annual"] - spent, 2),
                        round(100 * spent / plan["annual"], 1)])
        quarterly.append([department, *plan["quarters"].values(), plan["annual"]])
    return _xlsx({"Summary": summary, "Quarterly": quarterly}, "Budget 2024", _name(company.head("Finance")),
                 date(2023, 12, 15))


def _prepared_on(quarter: _Quarter) -> date:
    return min(quarter.end, NOW.date())


def _quarter_notes(quarter: _Quarter) -> list[str]:
    if quarter.number == 1:
        largest = max(sorted(quarter.approved_by_category), key=lambda c: quarter.approved_by_category[c])
        return [f"Largest expense category: {largest} ({_money(quarter.approved_by_category[largest])}); "
                "details in finance/expenses_2024.csv.",
                f"Questions about reimbursements go to accounts@{DOMAIN}.",
                "Next review meeting: 2024-04-12."]
    (first, first_revenue), (second, second_revenue) = quarter.by_customer[:2]
    return [f"Top customers this quarter: {first} ({_money(first_revenue)}) and {second} "
            f"({_money(second_revenue)}).",
            f"Pending claims must be approved by 2024-07-10; contact accounts@{DOMAIN}.",
            "Budget re-forecast due 2024-07-15 (see finance/budget_2024.json)."]


def _quarter_summary(company: _Company, quarter: _Quarter) -> str:
    finance = company.head("Finance")
    approved = quarter.approved_by_department
    return _lines(
        f"# Q{quarter.number} 2024 Finance Summary",
        "",
        f"Prepared by {_name(finance)} ({finance['email']}) on {_prepared_on(quarter).isoformat()}.",
        f"Period: {quarter.start.isoformat()} to {(quarter.end - timedelta(days=1)).isoformat()}.",
        "",
        "## Revenue",
        "",
        f"- Orders booked (excluding cancelled): {len(quarter.orders)}",
        f"- Revenue: {_money(quarter.revenue)}",
        "",
        "| Category | Revenue |",
        "|---|---|",
        *[f"| {category} | {_money(total)} |" for category, total in quarter.by_category],
        "",
        "## Approved expenses by department",
        "",
        "| Department | Amount |",
        "|---|---|",
        *[f"| {department} | {_money(total)} |" for department, total in approved.items()],
        "",
        f"Total approved: {_money(sum(approved.values()))}. Pending claims: {quarter.pending_claims}.",
        "",
        "## Notes",
        "",
        *[f"- {note}" for note in _quarter_notes(quarter)],
    )


def _quarter_report(company: _Company, quarter: _Quarter) -> _Doc:
    finance = company.head("Finance")
    margin = quarter.revenue - quarter.cost_of_goods
    approved = quarter.approved_by_department
    blocks: list[tuple[str, Any]] = [
        ("text", f"Prepared by {_name(finance)} ({finance['email']}) on {_prepared_on(quarter).isoformat()}. "
                 f"Period: {quarter.start.isoformat()} to {(quarter.end - timedelta(days=1)).isoformat()}."),
        ("heading", "Highlights"),
        ("bullets", [f"Orders booked (excluding cancelled): {len(quarter.orders)}",
                     f"Revenue: {_money(quarter.revenue)}",
                     f"Gross margin: {_money(margin)} ({margin / quarter.revenue:.1%} of revenue)",
                     f"Approved expenses: {_money(sum(approved.values()))}; pending claims: "
                     f"{quarter.pending_claims}"]),
        ("heading", "Revenue by month"),
        ("table", (["Month", "Revenue"], [[m, _money(v)] for m, v in quarter.by_month.items()])),
        ("heading", "Revenue by product category"),
        ("table", (["Category", "Revenue"], [[c, _money(v)] for c, v in quarter.by_category])),
        ("heading", "Top customers"),
        ("table", (["Customer", "Revenue"], [[c, _money(v)] for c, v in quarter.by_customer[:5]])),
        ("heading", "Approved expenses by department"),
        ("table", (["Department", "Amount"], [[d, _money(v)] for d, v in approved.items()])),
        ("heading", "Notes"),
        ("bullets", _quarter_notes(quarter)),
    ]
    return _Doc(f"Q{quarter.number} 2024 Financial Report", _name(finance), _prepared_on(quarter), blocks)


def _q1_minutes(company: _Company, quarter: _Quarter) -> _Doc:
    finance = company.by_department["Finance"]
    attendees = [*finance, company.head("Sales"), company.head("Operations")]
    top_category, top_revenue = quarter.by_category[0]
    return _Doc("Q1 2024 Finance Review - Minutes", _name(finance[1]), date(2024, 4, 12), [
        ("text", "Date: 2024-04-12, 10:00-11:00, Denver office (room Longs Peak)."),
        ("text", "Attendees: " + ", ".join(_name(p) for p in attendees) + "."),
        ("heading", "Q1 results"),
        ("bullets", [f"Revenue {_money(quarter.revenue)} from {len(quarter.orders)} orders "
                     "(see finance/reports/q1_2024_summary.md).",
                     f"Best category: {top_category} with {_money(top_revenue)}.",
                     f"Approved expenses {_money(sum(quarter.approved_by_department.values()))}; "
                     f"{quarter.pending_claims} claims still pending."]),
        ("heading", "Decisions"),
        ("bullets", ["Keep the 2024 budget unchanged until the mid-year re-forecast.",
                     "Wholesale invoices move to PDF by e-mail from May (finance/invoices)."]),
        ("heading", "Action items"),
        ("table", (["Owner", "Action", "Due"], [
            [_name(finance[1]), "Chase pending expense claims", "2024-04-26"],
            [_name(company.head("Sales")), "Send updated wholesale price list", "2024-05-10"],
            [_name(company.head("Operations")), "Renegotiate carrier rates", "2024-06-30"],
        ])),
    ])


def _invoice(company: _Company, order: dict) -> _Doc:
    customer, product = company.customer[order["customer_id"]], company.product[order["sku"]]
    shipment = company.shipment[order["order_id"]]
    issued = shipment["ship_date"]
    subtotal = order["quantity"] * order["unit_price"]
    return _Doc(f"Invoice {_invoice_id(order)}", _name(company.by_department["Finance"][1]), issued, [
        ("text", f"Invoice number: {_invoice_id(order)}\nInvoice date: {issued.isoformat()}\n"
                 f"Due date: {(issued + timedelta(days=30)).isoformat()} (Net 30)\n"
                 f"Order: {order['order_id']} placed {order['order_date'].isoformat()}"),
        ("heading", "Bill to"),
        ("text", "\n".join(_address_lines(customer))),
        ("heading", "Items"),
        ("table", (["SKU", "Description", "Qty", "Unit price", "Discount", "Amount"],
                   [[product["sku"], product["name"], order["quantity"], _money(order["unit_price"]),
                     f"{order['discount_pct']}%", _money(order["total"])]])),
        ("text", f"Subtotal: {_money(subtotal)}\nDiscount: -{_money(subtotal - order['total'])}\n"
                 f"Shipping: included ({shipment['carrier']} shipment {shipment['shipment_id']} from "
                 f"{shipment['warehouse']})\nTotal due: {_money(order['total'])}"),
        ("text", f"Pay by ACH to {COMPANY}, quoting {_invoice_id(order)}. Questions: accounts@{DOMAIN}."),
    ])


PAYROLL_RATES = {"Federal tax": 0.15, "State tax": 0.044, "401k": 0.05}


def _payroll_xlsx(company: _Company) -> bytes:
    rows = [["Employee ID", "Name", "Department", "Title", "Annual salary", "Gross pay", *PAYROLL_RATES, "Net pay"]]
    gross_by_department: dict[str, float] = defaultdict(float)
    for employee in company.employees:
        gross = round(employee["salary"] / 12, 2)
        deductions = [round(gross * rate, 2) for rate in PAYROLL_RATES.values()]
        rows.append([employee["employee_id"], _name(employee), employee["department"], employee["title"],
                     employee["salary"], gross, *deductions, round(gross - sum(deductions), 2)])
        gross_by_department[employee["department"]] += gross
    departments = [["Department", "Headcount", "Gross pay"]] + [
        [d, len(company.by_department[d]), round(g, 2)] for d, g in gross_by_department.items()]
    return _xlsx({"June 2024": rows, "By department": departments}, "Payroll June 2024",
                 _name(company.by_department["Finance"][2]), date(2024, 6, 28))


def _ledger(company: _Company) -> str:
    """June's journal: each booked order and each approved claim as a balanced pair of lines."""
    june = (date(2024, 6, 1), date(2024, 7, 1))
    accounts = {category: f"{6100 + 100 * i} {category}" for i, category in enumerate(EXPENSE_CATEGORIES)}
    pairs = []
    for order in company.booked(*june):
        text = f"Order {order['order_id']} {company.customer[order['customer_id']]['company']}"
        pairs.append((order["order_date"], order["order_id"], "1100 Accounts Receivable", "4000 Sales Revenue",
                      text, order["total"]))
    for expense in company.expenses:
        if june[0] <= expense["date"] < june[1] and expense["status"] == "approved":
            text = f"{expense['vendor']} ({_name(company.employee[expense['employee_id']])})"
            pairs.append((expense["date"], expense["expense_id"], accounts[expense["category"]],
                          "2100 Reimbursements Payable", text, expense["amount"]))
    rows = []
    for day, reference, debit, credit, text, amount in sorted(pairs, key=lambda p: (p[0], p[1])):
        for account, debit_amount, credit_amount in ((debit, amount, ""), (credit, "", amount)):
            rows.append({"entry_id": f"JE-2024-06-{len(rows) + 1:03d}", "date": day, "account": account,
                         "description": text, "debit": debit_amount, "credit": credit_amount,
                         "reference": reference})
    return _csv(rows, delimiter="\t")


# ---------------------------------------------------------------------------------------------------
# hr


def _hr(company: _Company) -> dict[str, Content]:
    newest = max(company.employees, key=lambda e: e["hire_date"])
    files: dict[str, Content] = {
        "hr/employees.csv": _csv(company.employees),
        "hr/org_chart.json": _org_chart_json(company),
        "hr/org_chart.yaml": _org_chart_yaml(company),
        "hr/employee_directory.xlsx": _directory_xlsx(company),
        "hr/onboarding_checklist.txt": _onboarding(company),
        f"hr/onboarding/offer_letter_{newest['employee_id']}.pdf": _pdf(_offer_letter(company, newest)),
        "hr/policies/remote_work_policy.md": _remote_policy(company),
        "hr/policies/employee_handbook_2024.docx": _docx(_handbook(company)),
        "hr/policies/travel_and_expense_policy.pdf": _pdf(_expense_policy(company)),
        "hr/team_calendar_2024.ics": _calendar(company),
        "hr/recruiting/candidates_2024.tsv": _csv(company.candidates, delimiter="\t"),
    }
    for rep in company.by_department["Sales"][1:]:
        files[f"hr/reviews/2024/H1/{rep['employee_id']}_{_slug(_name(rep))}_review.docx"] = _docx(
            _review(company, rep))
    return files


def _person(employee: dict) -> dict:
    return {"employee_id": employee["employee_id"], "name": _name(employee), "title": employee["title"],
            "email": employee["email"]}


def _org_chart_json(company: _Company) -> str:
    return _json({
        "company": COMPANY,
        "as_of": "2024-06-30",
        "departments": [{
            "name": department,
            "head": _person(company.head(department)),
            "members": [_person(e) for e in company.by_department[department][1:]],
        } for department, *_ in DEPARTMENTS],
    })


def _org_chart_yaml(company: _Company) -> str:
    teams = []
    for department, *_ in DEPARTMENTS:
        head, *members = company.by_department[department]
        teams.append({
            "department": department,
            "lead": {"id": head["employee_id"], "name": _name(head), "title": head["title"],
                     "location": head["location"]},
            "members": [{"id": m["employee_id"], "name": _name(m), "title": m["title"], "location": m["location"],
                         "reports_to": head["employee_id"], "since": m["hire_date"].isoformat()} for m in members],
        })
    return _yaml({"company": COMPANY, "as_of": "2024-06-30", "headcount": len(company.employees), "teams": teams},
                 "Org chart maintained by HR; the same people as hr/employees.csv and hr/org_chart.json")


def _directory_xlsx(company: _Company) -> bytes:
    directory = [["Employee ID", "Name", "Title", "Department", "Email", "Extension", "Mobile", "Location",
                  "Manager"]]
    for number, employee in enumerate(company.employees, start=1):
        head = company.head(employee["department"])
        directory.append([employee["employee_id"], _name(employee), employee["title"], employee["department"],
                          employee["email"], 200 + number, company.mobiles[employee["employee_id"]],
                          employee["location"], "" if head is employee else _name(head)])
    departments = [["Department", "Head", "Headcount"]] + [
        [d, _name(company.head(d)), len(company.by_department[d])] for d, *_ in DEPARTMENTS]
    locations = [["Location", "Headcount"]] + [
        [place, count] for place, count in sorted(Counter(e["location"] for e in company.employees).items())]
    return _xlsx({"Directory": directory, "Departments": departments, "Locations": locations},
                 "Employee directory", _name(company.head("HR")), date(2024, 6, 17))


def _onboarding(company: _Company) -> str:
    newest = max(company.employees, key=lambda e: e["hire_date"])
    manager = company.head(newest["department"])
    start = newest["hire_date"]
    return _lines(
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
    )


def _offer_letter(company: _Company, hire: dict) -> _Doc:
    hr, manager = company.head("HR"), company.head(hire["department"])
    sent = hire["hire_date"] - timedelta(days=25)
    return _Doc(f"Offer of Employment - {_name(hire)}", _name(hr), sent, [
        ("text", f"{sent.isoformat()}\n\nDear {hire['first_name']},"),
        ("text", f"We are delighted to offer you the position of {hire['title']} in our {hire['department']} team, "
                 f"reporting to {_name(manager)}."),
        ("heading", "Terms"),
        ("bullets", [f"Start date: {hire['hire_date'].isoformat()}", f"Location: {hire['location']}",
                     f"Annual base salary: {_money(hire['salary'])}, paid monthly",
                     "Paid time off: 15 days a year plus company holidays",
                     "Benefits: medical, dental and vision cover; 401(k) with a 5% match"]),
        ("text", f"Please sign and return this letter by {(sent + timedelta(days=7)).isoformat()}. "
                 f"Your company e-mail will be {hire['email']}."),
        ("text", f"Sincerely,\n{_name(hr)}\n{hr['title']}, {COMPANY}"),
    ])


def _remote_policy(company: _Company) -> str:
    hr = company.head("HR")
    return _lines(
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
    )


def _handbook(company: _Company) -> _Doc:
    hr = company.head("HR")
    return _Doc("Employee Handbook 2024", _name(hr), date(2024, 1, 15), [
        ("heading", "Welcome"),
        ("text", f"{COMPANY} has sold outdoor gear to retailers since 2015. This handbook explains how we work; "
                 f"questions go to hr@{DOMAIN}."),
        ("heading", "Working hours"),
        ("text", "Core hours are 10:00 to 15:00 local time, Monday to Friday. Warehouse shifts are planned by "
                 "the Operations Lead."),
        ("heading", "Paid time off"),
        ("text", "Everyone has 15 days of paid time off a year, plus the company holidays below. Book time off "
                 "in the team calendar (hr/team_calendar_2024.ics) at least two weeks ahead."),
        ("table", (["Date", "Holiday"], [[day.isoformat(), name] for day, name in HOLIDAYS])),
        ("heading", "Remote work"),
        ("text", "See hr/policies/remote_work_policy.md: up to three remote days a week after onboarding."),
        ("heading", "Expenses"),
        ("text", "Business expenses are claimed within 30 days and follow "
                 "hr/policies/travel_and_expense_policy.pdf."),
        ("heading", "Who to ask"),
        ("table", (["Department", "Head", "E-mail"],
                   [[d, _name(company.head(d)), company.head(d)["email"]] for d, *_ in DEPARTMENTS])),
    ])


def _expense_policy(company: _Company) -> _Doc:
    finance = company.head("Finance")
    rows = [[category, ", ".join(vendors), _money(high), "Finance Director" if high > 1000 else "Department head"]
            for category, (vendors, _, high) in EXPENSE_CATEGORIES.items()]
    return _Doc("Travel and Expense Policy", _name(finance), date(2024, 2, 1), [
        ("text", f"Effective 2024-02-01. Owner: {_name(finance)} ({finance['email']})."),
        ("heading", "Limits and approvals"),
        ("table", (["Category", "Preferred vendors", "Limit per claim", "Approver"], rows)),
        ("heading", "Rules"),
        ("bullets", ["Submit claims within 30 days with a photo of the receipt.",
                     "Claims above the limit need the Finance Director's written approval.",
                     "Economy class for flights under six hours.",
                     "Claims filed after 2024-06-20 stay pending until the Q2 close."]),
        ("text", f"Questions: accounts@{DOMAIN}."),
    ])


def _review(company: _Company, rep: dict) -> _Doc:
    rng = _rng(f"review:{rep['employee_id']}")
    stats, manager = _rep_stats(company, rep), company.head("Sales")
    top, top_revenue = stats["top_customer"]
    strengths = ["Responsive with customers", "Accurate forecasts", "Strong product knowledge",
                 "Helps new colleagues", "Keeps the CRM up to date"]
    return _Doc(f"H1 2024 Performance Review - {_name(rep)}", _name(manager), date(2024, 6, 26), [
        ("text", f"Employee: {_name(rep)} ({rep['employee_id']}), {rep['title']}\nReviewer: {_name(manager)}\n"
                 "Period: 2024-01-01 to 2024-06-30\nOverall rating: "
                 + rng.choice(["Meets expectations", "Exceeds expectations", "Strongly exceeds expectations"])),
        ("heading", "Results"),
        ("table", (["Metric", "Value"], [["Orders booked (not cancelled)", stats["orders"]],
                                         ["Revenue", _money(stats["revenue"])],
                                         ["Customers with orders", stats["customers"]],
                                         ["Largest account", f"{top} ({_money(top_revenue)})"]])),
        ("heading", "Strengths"),
        ("bullets", rng.sample(strengths, 2)),
        ("heading", "Goals for H2"),
        ("bullets", [f"Reach {_money(round(stats['revenue'] * 1.1, -2))} in H2 revenue.",
                     rng.choice(["Win one new wholesale account.", "Cut order-to-ship time for key accounts.",
                                 "Grow online accounts by two."])]),
    ])


def _calendar(company: _Company) -> str:
    """An iCalendar file (CRLF lines, as RFC 5545 asks) with holidays, time off and company events."""
    rng = _rng("pto")
    events: list[tuple[str, date | datetime, date | datetime, str]] = [
        (f"holiday-{day.isoformat()}", day, day + timedelta(days=1), name) for day, name in HOLIDAYS]
    for employee in sorted(rng.sample(company.employees, 6), key=lambda e: e["employee_id"]):
        start = date(2024, 7, 8) + timedelta(days=rng.randint(0, 50))
        events.append((f"pto-{employee['employee_id']}", start, start + timedelta(days=rng.randint(2, 7)),
                       f"PTO - {_name(employee)}"))
    events += [("q1-review", _at(date(2024, 4, 12), 16), _at(date(2024, 4, 12), 17), "Q1 finance review"),
               ("pipeline-0506", _at(date(2024, 5, 6), 15), _at(date(2024, 5, 6), 16), "Sales pipeline review"),
               ("pipeline-0603", _at(date(2024, 6, 3), 15), _at(date(2024, 6, 3), 16), "Sales pipeline review"),
               ("trail-days", date(2024, 7, 5), date(2024, 7, 22), "July Trail Days sale"),
               ("or-show", date(2024, 8, 14), date(2024, 8, 15), "Outdoor Retailer Show, Denver")]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{COMPANY}//Team calendar//EN", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:Northpeak team calendar 2024"]
    for uid, start, end, summary in sorted(events, key=lambda e: (f"{e[1]:%Y%m%d}", e[0])):
        lines += ["BEGIN:VEVENT", f"UID:{uid}@{DOMAIN}", f"DTSTAMP:{NOW:%Y%m%dT%H%M%SZ}",
                  f"DTSTART{_ics_time(start)}", f"DTEND{_ics_time(end)}", f"SUMMARY:{summary}", "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def _ics_time(value: date | datetime) -> str:
    return f":{value:%Y%m%dT%H%M%SZ}" if isinstance(value, datetime) else f";VALUE=DATE:{value:%Y%m%d}"


# ---------------------------------------------------------------------------------------------------
# sales

QUOTES = [  # (number, customer_id, date, [(sku, quantity)], discount %): the deals of the pipeline review
    ("Q-2024-014", "C002", date(2024, 5, 14), [("NP-TNT-001", 200)], 15),
    ("Q-2024-016", "C010", date(2024, 5, 20), [("NP-ACC-001", 10), ("NP-ACC-002", 20), ("NP-BPK-002", 10)], 5),
    ("Q-2024-019", "C009", date(2024, 6, 10), [("NP-BPK-002", 40), ("NP-ACC-002", 60), ("NP-APP-002", 50)], 10),
]
FOLLOW_UPS = {
    "reorder of best sellers": "I have reserved stock of our best sellers for you; reply with quantities and "
                               "I will confirm within a day.",
    "late delivery complaint": "The shipment has been traced with the carrier and I will send you the "
                               "delivery confirmation as soon as it lands.",
    "new catalog request": "The summer catalog and the current price list are attached to our portal "
                           "account; I can also send printed copies.",
    "invoice question": "Finance has checked the invoice; the discount was applied to the net amount, as "
                        "agreed. Any questions, accounts@northpeak.example can help.",
    "summer promotion": "The Summer Peaks promotion runs until the end of June; orders placed before then get "
                        "the campaign price.",
    "return authorization": "Operations has opened a return authorization for you; the RMA number will "
                            "follow in a separate message.",
}


def _sales(company: _Company) -> dict[str, Content]:
    files: dict[str, Content] = {
        "sales/customers.csv": _csv(company.customers),
        "sales/orders_2024.csv": _csv(company.orders),
        "sales/products.json": _products_json(company),
        "sales/notes/pipeline_review_2024-05-06.txt": _pipeline_notes(company),
        "sales/notes/call_log_2024-06-12.txt": _call_log(company),
        "sales/price_lists/wholesale_price_list_2024-05.xlsx": _price_list(company),
        "sales/contracts/nordic_trail_ab_distribution_agreement_2024.docx": _docx(_agreement(company)),
    }
    for stem, (region, countries) in REGIONS.items():
        files[f"sales/regions/{stem}_2024.xlsx"] = _region_xlsx(company, region, countries)
    for number, customer_id, day, lines, discount in QUOTES:
        customer = company.customer[customer_id]
        files[f"sales/quotes/2024/{number}_{_slug(customer['company'])}.pdf"] = _pdf(
            _quote(company, number, customer, day, lines, discount))
    for index, call in enumerate(company.calls[:2]):
        files[f"sales/emails/2024-06-14_{_slug(call['customer']['company'])}.eml"] = _follow_up(
            company, call, _at(date(2024, 6, 14), 15, 10 * index))
    return files


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


def _pipeline_notes(company: _Company) -> str:
    sales = company.by_department["Sales"]
    customers = company.customers
    damaged = company.damaged_order
    return _lines(
        "Sales pipeline review - 2024-05-06",
        f"Attendees: {', '.join(_name(e) for e in sales)}",
        f"Notes taken by {_name(sales[1])} <{sales[1]['email']}>",
        "",
        "1. Wholesale accounts",
        f"   - {customers[1]['company']} wants a volume quote for Ridgeline 2P tents before 2024-05-20.",
        f"     Contact: {customers[1]['contact_name']} ({customers[1]['email']}).",
        f"   - {customers[7]['company']} renewal meeting moved to 2024-05-28.",
        "2. Retail",
        f"   - {customers[0]['company']} reported two damaged {company.product[damaged['sku']]['name']} units "
        f"(order {damaged['order_id']}); replacement shipped 2024-05-03.",
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
    )


def _call_log(company: _Company) -> str:
    rep = company.by_department["Sales"][3]
    calls = [f"{call['time']}  {call['customer']['company']} ({call['customer']['contact_name']}, "
             f"{call['customer']['email']}) - {call['topic']}" for call in company.calls]
    return _lines(f"Call log - {_name(rep)} <{rep['email']}> - 2024-06-12", "", *calls, "",
                  "Follow-ups due 2024-06-14.")


def _follow_up(company: _Company, call: dict, sent: datetime) -> bytes:
    rep, customer = company.by_department["Sales"][3], call["customer"]
    body = _lines(f"Hi {customer['contact_name'].split()[0]},", "",
                  f"Thanks for taking my call on 2024-06-12 about the {call['topic']}. {FOLLOW_UPS[call['topic']]}",
                  "", "Best regards,", _name(rep), f"{rep['title']}, {COMPANY}", company.mobiles[rep["employee_id"]])
    return _email(f"{_name(rep)} <{rep['email']}>", f"{customer['contact_name']} <{customer['email']}>",
                  company.head("Sales")["email"], f"Follow-up: {call['topic']}", sent, body)


def _price_list(company: _Company) -> bytes:
    header = ["SKU", "Product", "List price", "Wholesale price (-10%)", "Volume price 50+ (-15%)", "Weight kg"]
    sheets: dict[str, list[list[Any]]] = {}
    for product in company.products:
        if product["active"]:
            sheets.setdefault(product["category"], [header]).append(
                [product["sku"], product["name"], product["price"], round(product["price"] * 0.9, 2),
                 round(product["price"] * 0.85, 2), product["weight_kg"]])
    sheets["Terms"] = [["Term", "Value"], ["Valid from", "2024-05-10"], ["Currency", "USD"],
                       ["Payment", "Net 30 (Net 45 for distribution partners)"], ["Minimum order", "10 units"]]
    return _xlsx(sheets, "Wholesale price list May 2024", _name(company.by_department["Sales"][2]), date(2024, 5, 9))


def _region_xlsx(company: _Company, region: str, countries: tuple[str, ...]) -> bytes:
    customers = {c["customer_id"]: c for c in company.customers if c["country"] in countries}
    orders = [o for o in company.orders if o["customer_id"] in customers]
    columns = list(company.orders[0])
    order_rows = [columns + ["company", "country"]] + [
        [*o.values(), customers[o["customer_id"]]["company"], customers[o["customer_id"]]["country"]] for o in orders]
    booked = [o for o in orders if o["status"] != "cancelled"]
    by_customer = [["Customer", "Orders", "Revenue"]] + [
        [name, sum(customers[o["customer_id"]]["company"] == name for o in booked), revenue]
        for name, revenue in _ranked(booked, lambda o: customers[o["customer_id"]]["company"], "total")]
    by_month = [["Month", "Orders", "Revenue"]] + [
        [month, len(rows), round(sum(o["total"] for o in rows), 2)]
        for month in H1_MONTHS for rows in [[o for o in booked if o["order_date"].isoformat()[:7] == month]]]
    return _xlsx({"Orders": order_rows, "By Customer": by_customer, "By Month": by_month},
                 f"{region} sales 2024", _name(company.head("Sales")), date(2024, 6, 30))


def _quote(company: _Company, number: str, customer: dict, day: date, lines: list[tuple[str, int]],
           discount: int) -> _Doc:
    rep = company.employee[customer["account_manager"]]
    rows, total = [], 0.0
    for sku, quantity in lines:
        product = company.product[sku]
        net = round(product["price"] * (100 - discount) / 100, 2)
        total += net * quantity
        rows.append([sku, product["name"], quantity, _money(product["price"]), f"{discount}%", _money(net),
                     _money(net * quantity)])
    return _Doc(f"Quote {number}", _name(rep), day, [
        ("text", f"Quote number: {number}\nDate: {day.isoformat()}\n"
                 f"Valid until: {(day + timedelta(days=30)).isoformat()}\nPrepared by: {_name(rep)} ({rep['email']})"),
        ("heading", "Prepared for"),
        ("text", "\n".join(_address_lines(customer))),
        ("heading", "Items"),
        ("table", (["SKU", "Product", "Qty", "List price", "Discount", "Net price", "Amount"], rows)),
        ("text", f"Quote total: {_money(total)} (USD, excluding shipping and taxes)"),
        ("bullets", ["Delivery within 3 weeks of order confirmation.",
                     "Payment: Net 30 from invoice date.", "Prices from sales/price_lists (May 2024)."]),
    ])


def _agreement(company: _Company) -> _Doc:
    customer, head = company.customer["C008"], company.head("Sales")
    h1 = sum(o["total"] for o in company.booked(date(2024, 1, 1), date(2024, 7, 1)) if o["customer_id"] == "C008")
    minimum = max(10000, round(h1 * 2.2, -3))
    return _Doc(f"Distribution Agreement - {customer['company']}", _name(head), date(2024, 5, 28), [
        ("text", f"This agreement is made on 2024-05-28 between {COMPANY}, {', '.join(HQ_ADDRESS)} "
                 f"(\"Northpeak\"), and {customer['company']}, {customer['street']}, {customer['city']} "
                 f"{customer['postal_code']}, {customer['country']} (\"the Distributor\")."),
        ("heading", "1. Territory and term"),
        ("text", f"The Distributor may resell Northpeak products in {customer['country']} from 2024-06-01 to "
                 "2025-05-31. The agreement renews for one year unless either party gives 60 days' notice."),
        ("heading", "2. Prices and payment"),
        ("bullets", ["Distributor discount: 15% off the list prices of the current wholesale price list.",
                     "Payment terms: Net 45 from invoice date.",
                     f"Minimum annual purchases: {_money(minimum)}."]),
        ("heading", "3. Contacts"),
        ("table", (["Party", "Name", "E-mail"], [["Northpeak", _name(head), head["email"]],
                                               ["Distributor", customer["contact_name"], customer["email"]]])),
        ("text", f"Signed: {_name(head)}, {head['title']}        Signed: {customer['contact_name']}"),
    ])


# ---------------------------------------------------------------------------------------------------
# marketing


def _marketing(company: _Company) -> dict[str, Content]:
    campaigns = {c["name"]: c for c in company.campaigns}
    files: dict[str, Content] = {
        "marketing/campaigns.csv": _csv(company.campaigns),
        "marketing/newsletter_draft_2024-06.md": _newsletter(company),
        "marketing/campaigns/2024/summer_peaks/summer_peaks_landing.html": _landing_page(
            company, campaigns["Summer Peaks"], ("Apparel", "Footwear"), 10),
        "marketing/campaigns/2024/summer_peaks/banner.png": _png(_banner(
            "Summer Peaks", "10% off apparel and footwear until the end of June", "banner:summer_peaks")),
        "marketing/campaigns/2024/summer_peaks/hero.jpg": _jpg(_landscape(_rng("hero")),
                                                               datetime(2024, 5, 22, 7, 40), "studio"),
        "marketing/campaigns/2024/tent_week_landing.html": _landing_page(
            company, campaigns["Tent Week"], ("Tents",), 12),
        "marketing/campaigns/2024/trail_days_july_email.html": _trail_days_email(company),
        "marketing/brand/brand_guidelines.pdf": _pdf(_brand_guidelines(company)),
        "marketing/reports/campaign_performance_2024H1.xlsx": _campaign_xlsx(company),
        "marketing/reports/campaign_spend_2024H1.png": _png(_bar_chart(
            "Campaign spend, H1 2024", [c["campaign_id"] for c in company.campaigns],
            [c["spend"] for c in company.campaigns], BRAND_COLORS["Trail Orange"])),
    }
    shoot = company.product["NP-APP-001"]
    files["marketing/photos/2024-05_product_shoot/IMG_4101.jpg"] = _jpg(
        _product_photo(shoot, _rng(f"shoot:{shoot['sku']}")), datetime(2024, 5, 16, 10, 11), "studio")
    return files


def _newsletter(company: _Company) -> str:
    author = company.by_department["Marketing"][1]
    best = max(company.products, key=lambda p: sum(o["quantity"] for o in company.orders if o["sku"] == p["sku"]))
    return _lines(
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
    )


def _sale_rows(company: _Company, categories: tuple[str, ...], discount: int) -> list[list[Any]]:
    return [[p["name"], p["sku"], _money(p["price"]), _money(round(p["price"] * (100 - discount) / 100, 2))]
            for p in company.products if p["active"] and p["category"] in categories]


def _landing_page(company: _Company, campaign: dict, categories: tuple[str, ...], discount: int) -> str:
    slug = _slug(campaign["name"]).replace("_", "-")
    table = _html_table(["Product", "SKU", "List price", "Campaign price"], _sale_rows(company, categories, discount))
    return _html_page(f"{campaign['name']} | {COMPANY}", f"""
<header>
  <img src="../../../../images/northpeak_logo.png" alt="Northpeak Outdoor Supply" height="48">
</header>
<main>
  <h1>{html.escape(campaign['name'])}</h1>
  <p>From {campaign['start_date']} to {campaign['end_date']}: {discount}% off {' and '.join(categories).lower()}
  for our retail partners. Campaign {campaign['campaign_id']}, {campaign['channel'].lower()} channel.</p>
  <img src="banner.png" alt="{html.escape(campaign['name'])} banner" width="960">
  <h2>On offer</h2>
  {table}
  <p><a class="cta" href="https://shop.{DOMAIN}/{slug}?utm_campaign={campaign['campaign_id']}">Order now</a></p>
</main>
<footer><p>Questions? sales@{DOMAIN}</p></footer>
""")


def _trail_days_email(company: _Company) -> str:
    author = company.by_department["Marketing"][1]
    table = _html_table(["Product", "SKU", "List price", "Sale price"],
                        _sale_rows(company, ("Tents", "Sleeping"), 15))
    return _html_page("July Trail Days sale", f"""
<!-- e-mail template by {author['email']}; send 2024-07-02 with the June newsletter -->
<header><h1>July Trail Days: 15% off tents and sleeping bags</h1></header>
<p>Hi {{{{first_name}}}},</p>
<p>From 2024-07-05 to 2024-07-21 every tent and sleeping bag is 15% off for our retail partners.</p>
{table}
<p><a class="cta" href="https://shop.{DOMAIN}/trail-days">Shop the sale</a></p>
<p>See you at the Outdoor Retailer Show in Denver on 2024-08-14.
<a href="mailto:unsubscribe@{DOMAIN}">Unsubscribe</a></p>
""")


def _brand_guidelines(company: _Company) -> _Doc:
    head = company.head("Marketing")
    palette = [[name, "#{:02X}{:02X}{:02X}".format(*rgb), "RGB {}, {}, {}".format(*rgb)]
               for name, rgb in BRAND_COLORS.items()]
    return _Doc("Northpeak Brand Guidelines", _name(head), date(2024, 2, 20), [
        ("text", f"Owner: {_name(head)} ({head['email']}). Version 2.1, February 2024."),
        ("heading", "Logo"),
        ("bullets", ["Logo: images/northpeak_logo.png (green on snow; white on dark backgrounds).",
                     "Keep clear space of one peak height around the logo; never stretch it."]),
        ("heading", "Colour palette"),
        ("table", (["Name", "Hex", "RGB"], palette)),
        ("heading", "Voice"),
        ("bullets", ["Plain, friendly and practical: we talk like a guide, not a brochure.",
                     "Lead with the trail, then the gear.", "Prices always in USD with two decimals."]),
    ])


def _campaign_xlsx(company: _Company) -> bytes:
    columns = list(company.campaigns[0])
    rows = [[*columns, "conversion_rate_pct", "cost_per_conversion"]] + [
        [*c.values(), round(100 * c["conversions"] / c["clicks"], 2), round(c["spend"] / c["conversions"], 2)]
        for c in company.campaigns]
    channels = [["Channel", "Campaigns", "Spend", "Clicks", "Conversions"]]
    for channel in CHANNELS:
        chosen = [c for c in company.campaigns if c["channel"] == channel]
        channels.append([channel, len(chosen), round(sum(c["spend"] for c in chosen), 2),
                         sum(c["clicks"] for c in chosen), sum(c["conversions"] for c in chosen)])
    return _xlsx({"Campaigns": rows, "By Channel": channels}, "Campaign performance H1 2024",
                 _name(company.head("Marketing")), date(2024, 6, 30))


# ---------------------------------------------------------------------------------------------------
# engineering


def _engineering(company: _Company) -> dict[str, Content]:
    return {
        "engineering/config/app_config.json": _app_config_json(company),
        "engineering/config/feature_flags.json": _feature_flags_json(company),
        "engineering/config/deploy/production.yaml": _deploy(company, "production", APP_VERSION, 3),
        "engineering/config/logging.ini": LOGGING_INI,
        "engineering/config/worker.toml": _worker_toml(),
        "engineering/docs/architecture.md": _architecture(company),
        "engineering/docs/api_reference.html": _api_reference(),
        "engineering/docs/runbook_database_timeouts.md": _runbook(company),
        "engineering/docs/adr_0001_use_sqlite.md": _adr(company),
        "engineering/docs/architecture_diagram.png": _png(_architecture_diagram()),
        "engineering/incidents/INC-2024-007_database_timeouts.md": _incident(company),
        "engineering/ci/junit_2024-06-28.xml": _junit(),
        "engineering/logs/api_2024-06-28.log": _lines(*_api_log_lines(company)),
        "engineering/logs/worker_2024-06-29.log": _worker_log(company),
        "engineering/logs/nginx_access_2024-06-28.log": _access_log(company),
        "engineering/src/sales_report.py": SALES_REPORT_PY,
        "engineering/src/queries.sql": QUERIES_SQL,
        "engineering/src/portal/models.py": _models_py(company),
        "engineering/src/portal/api/orders.py": ORDERS_API_PY,
        "engineering/src/migrations/001_initial_schema.sql": "-- 2023-09-04: initial schema\n" + SCHEMA.lstrip(),
        "engineering/src/migrations/002_customer_contact_details.sql": MIGRATION_002,
        "engineering/src/test_sales_report.py": TEST_SALES_REPORT_PY,
    }


def _app_config_json(company: _Company) -> str:
    return _json({
        "app": {"name": "northpeak-portal", "version": APP_VERSION, "environment": "production"},
        "database": {"engine": "sqlite", "path": "data/company.db", "pool_size": 5, "timeout_seconds": 30},
        "api": {
            "host": "0.0.0.0", "port": 8080,
            "rate_limit": {"requests_per_minute": 600, "burst": 50},
            "cors_origins": [f"https://portal.{DOMAIN}", f"https://admin.{DOMAIN}"],
        },
        "worker": {"schedule": WORKER_SCHEDULE, "max_retries": 3},
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


def _deploy(company: _Company, environment: str, version: str, replicas: int) -> str:
    return _yaml({
        "service": "northpeak-portal",
        "environment": environment,
        "image": f"registry.{DOMAIN}/portal:{version}",
        "replicas": replicas,
        "resources": {"cpu": "500m", "memory": "512Mi"},
        "env": {"DATABASE_PATH": "data/company.db", "FEATURE_FLAGS": "engineering/config/feature_flags.json",
                "LOG_LEVEL": "INFO" if environment == "production" else "DEBUG"},
        "healthcheck": {"path": "/health", "interval_seconds": 30, "timeout_seconds": 5},
        "owners": [e["email"] for e in company.by_department["Engineering"][:2]],
    }, f"Deployment of the portal to {environment}; applied by the deploy pipeline")


LOGGING_INI = """; Python logging configuration for the portal (logging.config.fileConfig)
[loggers]
keys = root,api,worker

[handlers]
keys = console,file

[formatters]
keys = plain

[logger_root]
level = INFO
handlers = console

[logger_api]
level = INFO
handlers = file
qualname = api
propagate = 0

[logger_worker]
level = INFO
handlers = file
qualname = worker
propagate = 0

[handler_console]
class = StreamHandler
formatter = plain
args = (sys.stderr,)

[handler_file]
class = handlers.TimedRotatingFileHandler
formatter = plain
args = ('engineering/logs/portal.log', 'midnight', 1, 14)

[formatter_plain]
format = %%(asctime)s %%(levelname)-5s [%%(name)s] %%(message)s
datefmt = %%Y-%%m-%%dT%%H:%%M:%%SZ
"""


def _worker_toml() -> str:
    jobs = "\n".join(f'[jobs.{job}]\nschedule = "{when}"\n' for job, when in WORKER_SCHEDULE.items())
    return ("# Worker settings (the schedule matches engineering/config/app_config.json)\n\n"
            "[worker]\nconcurrency = 2\nmax_retries = 3\nretry_backoff_seconds = [30, 120, 600]\n\n"
            f"{jobs}\n[jobs.nightly_sales_report.output]\npath = \"sales/orders_2024.csv\"\n\n"
            "[jobs.inventory_sync.source]\nwarehouses = [\"Denver\", \"Portland\"]\n")


def _architecture(company: _Company) -> str:
    head = company.head("Engineering")
    return _lines(
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
        "Diagram: engineering/docs/architecture_diagram.png. Why SQLite: engineering/docs/adr_0001_use_sqlite.md.",
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
    )


API_ENDPOINTS = [("GET", "/orders", "List orders, newest first; ?status= filters"),
                 ("GET", "/orders/{order_id}", "One order, e.g. /orders/SO-24001"),
                 ("POST", "/orders", "Create an order (JSON body: customer_id, sku, quantity)"),
                 ("GET", "/products", "The catalog, as in sales/products.json"),
                 ("GET", "/customers", "Customers with their account manager"),
                 ("GET", "/health", "Liveness probe used by the deploy healthcheck")]


def _api_reference() -> str:
    table = _html_table(["Method", "Path", "Description"], [list(e) for e in API_ENDPOINTS])
    return _html_page(f"Northpeak portal API {APP_VERSION}", f"""
<h1>Northpeak portal API <small>v{APP_VERSION}</small></h1>
<p>Base URL: <code>https://portal.{DOMAIN}/api</code> (port 8080 inside the cluster).
Rate limit: 600 requests per minute with bursts of 50; over the limit the API answers 429.</p>
<h2>Endpoints</h2>
{table}
<h2>Errors</h2>
<p>500 with <code>database timeout after 30s</code> means the database was busy: see
<a href="runbook_database_timeouts.md">the runbook</a>.</p>
""")


def _runbook(company: _Company) -> str:
    head = company.head("Engineering")
    return _lines(
        "# Runbook: database timeouts on /orders",
        "",
        f"Owner: {_name(head)}. Last used: 2024-06-28 (INC-2024-007).",
        "",
        "## Symptoms",
        "",
        "- `ERROR [api] GET /orders/... 500 - database timeout after 30s` in engineering/logs/api_*.log",
        "- `WARN  [api] slow query on /orders` above 1000 ms",
        "",
        "## Steps",
        "",
        "1. Check the worker is not running `nightly_sales_report` (engineering/logs/worker_*.log).",
        "2. Look for long transactions: `sqlite3 data/company.db 'PRAGMA busy_timeout;'`.",
        "3. Lower `database.pool_size` in engineering/config/app_config.json to 3 and redeploy.",
        f"4. If errors continue for 15 minutes, page oncall@{DOMAIN}.",
    )


def _adr(company: _Company) -> str:
    deciders = ", ".join(_name(e) for e in company.by_department["Engineering"][:3])
    return _lines(
        "# ADR 0001: Keep SQLite for the portal database",
        "",
        f"Status: accepted (2023-09-04). Deciders: {deciders}.",
        "",
        "## Context",
        "",
        "About 150 orders a half-year and fewer than 20 internal users. Backups are file copies.",
        "",
        "## Decision",
        "",
        "Use one SQLite file, data/company.db, written only by the api; the worker reads it.",
        "",
        "## Consequences",
        "",
        "- Writes serialise: heavy reads during the nightly export can time out (see INC-2024-007).",
        "- Revisit when the wholesale portal v2 flag reaches 100% rollout.",
    )


def _incident(company: _Company) -> str:
    """The post-mortem counts what engineering/logs/api_2024-06-28.log shows, so the two agree."""
    lines = _api_log_lines(company)
    errors = [line for line in lines if " ERROR " in line]
    slow = [line for line in lines if " WARN " in line]
    engineer = company.by_department["Engineering"][1]
    return _lines(
        "# INC-2024-007: database timeouts on /orders",
        "",
        f"Date: 2024-06-28. Severity: SEV-3. Incident lead: {_name(engineer)} ({engineer['email']}).",
        "",
        "## Impact",
        "",
        f"- {len(errors)} requests failed with HTTP 500 between {errors[0][11:19]} and {errors[-1][11:19]} UTC.",
        f"- {len(slow)} slow queries over 1200 ms.",
        "- CI job on 2024-06-28 failed `test_list_orders_under_load` (engineering/ci/junit_2024-06-28.xml).",
        "",
        "## Root cause",
        "",
        "Long read transactions from a reporting query held the database lock while the api wrote orders.",
        "",
        "## Follow-ups",
        "",
        "- [x] Runbook written: engineering/docs/runbook_database_timeouts.md",
        "- [ ] Move reporting queries to a read-only copy (owner: engineering, due 2024-07-19)",
    )


JUNIT_CASES = [  # (class, test, seconds, failure message or None)
    ("tests.test_sales_report", "test_revenue_by_customer_excludes_cancelled", 0.041, None),
    ("tests.test_sales_report", "test_main_prints_one_line_per_customer", 0.038, None),
    ("tests.test_orders_api", "test_get_order_by_id", 0.112, None),
    ("tests.test_orders_api", "test_create_order_validates_quantity", 0.087, None),
    ("tests.test_orders_api", "test_list_orders_under_load", 30.021, "TimeoutError: database timeout after 30s"),
    ("tests.test_products_api", "test_inactive_products_are_hidden", 0.064, None),
]


def _junit() -> str:
    failures = sum(1 for *_, failure in JUNIT_CASES if failure)
    suite = _element("testsuite", name="portal", tests=len(JUNIT_CASES), failures=failures, errors=0, skipped=0,
                     time=f"{sum(case[2] for case in JUNIT_CASES):.3f}", timestamp="2024-06-28T14:05:12",
                     hostname="ci-runner-2")
    for classname, name, seconds, failure in JUNIT_CASES:
        case = _element("testcase", classname=classname, name=name, time=f"{seconds:.3f}")
        if failure:
            case.append(_element("failure", failure, message=failure, type=failure.split(":")[0]))
        suite.append(case)
    root = _element("testsuites", tests=len(JUNIT_CASES), failures=failures)
    root.append(suite)
    return _xml(root)


def _worker_log(company: _Company) -> str:
    rng = _rng("worker_log")
    lines = []
    for hour in range(24):
        for half in (0, 30):
            stamp = f"2024-06-29T{hour:02d}:{half:02d}:{rng.randint(0, 9):02d}Z"
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
    return _lines(*lines)


def _access_log(company: _Company) -> str:
    """nginx's combined format, visitors from Faker; /orders answers 504 while the database timed out."""
    rng = _rng("access_log")
    moment = datetime(2024, 6, 28, 8, 0, 0, tzinfo=UTC)
    paths = ["/", "/products", "/customers", "/health", "/static/logo.png",
             *[f"/products/{p['sku']}" for p in company.products[:6]]]
    lines = []
    for _ in range(90):
        moment += timedelta(seconds=rng.randint(30, 400))
        ip, agent = rng.choice(company.visitors)
        if rng.random() < 0.3:
            path = f"/orders/{rng.choice(company.orders)['order_id']}"
            status = 504 if 10 <= moment.hour < 13 and rng.random() < 0.4 else 200
        else:
            path, status = rng.choice(paths), 200
        size = rng.randint(300, 9000) if status == 200 else 167
        lines.append(f'{ip} - - [{moment:%d/%b/%Y:%H:%M:%S} +0000] "GET {path} HTTP/1.1" {status} {size} "-" '
                     f'"{agent}"')
    return _lines(*lines)


def _models_py(company: _Company) -> str:
    """Dataclasses generated from the database rows, so the code matches data/company.db column for column."""
    kinds = {bool: "bool", int: "int", float: "float", str: "str", date: "date"}
    classes = []
    for table, rows in _company_tables(company).items():
        fields = [f"    {column}: {kinds[type(value)]}" for column, value in rows[0].items()]
        classes.append(f"@dataclass(frozen=True)\nclass {table[:-1].title()}:\n" + "\n".join(fields))
    return ('"""Row types of data/company.db (generated from the schema; do not edit by hand)."""\n\n'
            "from dataclasses import dataclass\nfrom datetime import date\n\n\n" + "\n\n\n".join(classes) + "\n")


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

TEST_SALES_REPORT_PY = '''"""Tests for sales_report.py; run with pytest from the drive root."""

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
'''

ORDERS_API_PY = '''"""HTTP handlers for /orders."""

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

MIGRATION_002 = """-- 2024-03-11: contact details for invoices and quotes
ALTER TABLE customers ADD COLUMN phone TEXT;
ALTER TABLE customers ADD COLUMN street TEXT;
ALTER TABLE customers ADD COLUMN city TEXT;
ALTER TABLE customers ADD COLUMN postal_code TEXT;
"""

WAREHOUSE_SCHEMA = """
CREATE TABLE warehouses (
    warehouse_id TEXT PRIMARY KEY,
    city TEXT NOT NULL,
    address TEXT,
    manager_id TEXT,
    dock_doors INTEGER
);
CREATE TABLE inventory (
    sku TEXT NOT NULL,
    warehouse_id TEXT NOT NULL REFERENCES warehouses(warehouse_id),
    units INTEGER NOT NULL,
    reorder_point INTEGER NOT NULL,
    bin TEXT,
    last_counted TEXT,
    PRIMARY KEY (sku, warehouse_id)
);
CREATE TABLE suppliers (
    supplier_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    contact_name TEXT,
    email TEXT,
    phone TEXT,
    city TEXT,
    state TEXT,
    categories TEXT,
    payment_terms TEXT
);
CREATE TABLE purchase_orders (
    po_id TEXT PRIMARY KEY,
    order_date TEXT NOT NULL,
    supplier_id TEXT NOT NULL REFERENCES suppliers(supplier_id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_cost REAL NOT NULL,
    total REAL NOT NULL,
    status TEXT NOT NULL,
    expected_date TEXT,
    warehouse TEXT
);
CREATE TABLE shipments (
    shipment_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    carrier TEXT,
    warehouse TEXT,
    ship_date TEXT,
    delivery_days INTEGER,
    shipping_cost REAL
);
"""


# ---------------------------------------------------------------------------------------------------
# operations

COUNT_DATES = {"Denver": date(2024, 6, 24), "Portland": date(2024, 6, 10)}  # last cycle count per warehouse


def _operations(company: _Company) -> dict[str, Content]:
    files: dict[str, Content] = {
        "operations/shipments.csv": _csv(company.shipments),
        "operations/warehouse_notes.txt": _warehouse_notes(company),
        "operations/warehouse/portland/dock_door_3_2024-06-26.jpg": _jpg(
            _dock_door_photo(), datetime(2024, 6, 26, 15, 12), "android"),
        "operations/carriers/carrier_rates_2024.yaml": _yaml(
            {"effective": "2024-07-01", "currency": "USD", "carriers": company.carrier_rates},
            "Carrier contracts for 2024 H2; UPS renegotiated on 2024-06-29"),
        "operations/carriers/ups_rate_agreement_2024.pdf": _pdf(_rate_agreement(company, "UPS")),
        "operations/purchase_orders_2024.xlsx": _purchasing_xlsx(company),
        "operations/rma_log_2024.tsv": _csv(_rma_rows(company), delimiter="\t"),
        "operations/ops_report_2024-06.docx": _docx(_ops_report(company)),
    }
    for warehouse, day in COUNT_DATES.items():
        files[f"operations/warehouse/{warehouse.lower()}/stock_count_{day.isoformat()}.tsv"] = _stock_count(
            company, warehouse)
    return files


def _low_stock(company: _Company) -> list[dict]:
    return sorted((p for p in company.products if p["stock_units"] < REORDER_POINT), key=lambda p: p["stock_units"])


def _warehouse_notes(company: _Company) -> str:
    ops = company.head("Operations")
    return _lines(
        "Warehouse notes",
        f"Owner: {_name(ops)} <{ops['email']}>",
        "",
        "2024-06-24  Cycle count completed in Denver. Variance under 1%.",
        "2024-06-26  Portland dock door 3 repaired (photo in operations/warehouse/portland).",
        "2024-06-28  Low stock report:",
        *[f"            {p['sku']}  {p['name']}  {p['stock_units']} units ({p['warehouse']})"
          for p in _low_stock(company)],
        "2024-06-28  Purchase orders raised for every low stock item (operations/purchase_orders_2024.xlsx).",
        f"2024-06-29  Carrier rates renegotiated with UPS; questions to logistics@{DOMAIN}.",
    )


def _stock_count(company: _Company, warehouse: str) -> str:
    """Counted units differ from the system by a unit here and there: the variance the notes mention."""
    rng = _rng(f"count:{warehouse}")
    rows = []
    for product in company.products:
        if product["warehouse"] == warehouse:
            counted = max(0, product["stock_units"] + rng.choice([0, 0, 0, -1, 1, -2]))
            rows.append({"sku": product["sku"], "name": product["name"], "bin": company.bins[product["sku"]],
                         "system_units": product["stock_units"], "counted_units": counted,
                         "variance": counted - product["stock_units"]})
    return _csv(rows, delimiter="\t")


def _rate_agreement(company: _Company, carrier: str) -> _Doc:
    rates, ops = company.carrier_rates[carrier], company.head("Operations")
    surcharge = 1 + rates["fuel_surcharge_pct"] / 100
    examples = [[p["name"], f"{p['weight_kg']} kg", _money((rates["base_fee"] + rates["per_kg"] * p["weight_kg"])
                                                           * surcharge)] for p in company.products[::3]]
    return _Doc(f"{carrier} Rate Agreement 2024", _name(ops), date(2024, 6, 29), [
        ("text", f"Between {COMPANY} (account {rates['account']}) and {carrier}. Effective 2024-07-01 to "
                 f"2025-06-30. Signed for Northpeak by {_name(ops)}, {ops['title']}."),
        ("heading", "Rates"),
        ("table", (["Item", "Rate"], [["Base fee per parcel", _money(rates["base_fee"])],
                                      ["Per kilogram", _money(rates["per_kg"])],
                                      ["Fuel surcharge", f"{rates['fuel_surcharge_pct']}%"],
                                      ["Ground transit", f"{rates['ground_transit_days']} days"]])),
        ("heading", "Examples (one unit, ground)"),
        ("table", (["Product", "Weight", "Cost incl. surcharge"], examples)),
        ("text", f"Pick-ups from both warehouses: {', '.join(a for _, a in WAREHOUSES.values())}."),
    ])


def _purchasing_xlsx(company: _Company) -> bytes:
    orders = [list(company.purchase_orders[0])] + [list(po.values()) for po in company.purchase_orders]
    suppliers = [list(company.suppliers[0])] + [list(s.values()) for s in company.suppliers]
    return _xlsx({"Purchase Orders": orders, "Suppliers": suppliers}, "Purchase orders 2024",
                 _name(company.by_department["Operations"][1]), date(2024, 6, 28))


def _rma_rows(company: _Company) -> list[dict]:
    return [{"rma_id": r["rma_id"], "opened": r["opened"], "order_id": r["order"]["order_id"],
             "customer_id": r["order"]["customer_id"], "sku": r["order"]["sku"], "quantity": r["quantity"],
             "reason": r["reason"], "resolution": r["resolution"], "status": r["status"]} for r in company.returns]


def _ops_report(company: _Company) -> _Doc:
    ops = company.head("Operations")
    june = [s for s in company.shipments if s["ship_date"].month == 6]
    carriers = []
    for carrier in CARRIERS:
        chosen = [s for s in june if s["carrier"] == carrier]
        delivered = [s["delivery_days"] for s in chosen if s["delivery_days"] != ""]
        carriers.append([carrier, len(chosen), f"{sum(delivered) / len(delivered):.1f}" if delivered else "-",
                         _money(sum(s["shipping_cost"] for s in chosen))])
    open_orders = [po for po in company.purchase_orders if po["status"] == "open"]
    return _Doc("Operations Report - June 2024", _name(ops), date(2024, 6, 30), [
        ("text", f"Prepared by {_name(ops)} ({ops['email']}). Source: operations/shipments.csv and data/warehouse.db."),
        ("heading", "Shipments"),
        ("text", f"{len(june)} shipments left our warehouses in June 2024."),
        ("table", (["Carrier", "Shipments", "Avg delivery days", "Shipping cost"], carriers)),
        ("heading", "Stock"),
        ("table", (["SKU", "Product", "Units", "Warehouse"],
                   [[p["sku"], p["name"], p["stock_units"], p["warehouse"]] for p in _low_stock(company)])),
        ("text", f"{len(open_orders)} purchase orders are open, worth "
                 f"{_money(sum(po['total'] for po in open_orders))}."),
        ("heading", "Returns"),
        ("text", f"{sum(r['opened'].month == 6 for r in company.returns)} returns opened in June "
                 "(operations/rma_log_2024.tsv)."),
        ("heading", "Facilities"),
        ("bullets", ["Denver cycle count on 2024-06-24: variance under 1%.",
                     "Portland dock door 3 repaired on 2024-06-26."]),
    ])


# ---------------------------------------------------------------------------------------------------
# data


def _data(company: _Company) -> dict[str, Content]:
    return {
        "data/company.db": _database(SCHEMA + MIGRATION_002, _company_tables(company)),
        "data/warehouse.db": _database(WAREHOUSE_SCHEMA, _warehouse_tables(company)),
        "data/orders_export_2024-06.xml": _orders_xml(company),
    }


def _warehouse_tables(company: _Company) -> dict[str, list[dict]]:
    ops = company.by_department["Operations"]
    return {
        "warehouses": [{"warehouse_id": code, "city": city, "address": address,
                        "manager_id": ops[index]["employee_id"], "dock_doors": 6 - 2 * index}
                       for index, (city, (code, address)) in enumerate(WAREHOUSES.items())],
        "inventory": [{"sku": p["sku"], "warehouse_id": WAREHOUSES[p["warehouse"]][0], "units": p["stock_units"],
                       "reorder_point": REORDER_POINT, "bin": company.bins[p["sku"]],
                       "last_counted": COUNT_DATES[p["warehouse"]]} for p in company.products],
        "suppliers": company.suppliers,
        "purchase_orders": company.purchase_orders,
        "shipments": [s | {"delivery_days": s["delivery_days"] or None} for s in company.shipments],
    }


def _orders_xml(company: _Company) -> str:
    june = [o for o in company.orders if o["order_date"].month == 6]
    root = _element("orders", exported=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), month="2024-06", count=len(june))
    for order in june:
        element = _element("order", id=order["order_id"], date=order["order_date"], status=order["status"])
        element.append(_element("customer", company.customer[order["customer_id"]]["company"],
                                id=order["customer_id"]))
        element.append(_element("line", sku=order["sku"], quantity=order["quantity"],
                                unit_price=f"{order['unit_price']:.2f}", discount_pct=order["discount_pct"]))
        element.append(_element("total", f"{order['total']:.2f}", currency="USD"))
        element.append(_element("sales_rep", id=order["sales_rep"]))
        root.append(element)
    return _xml(root)


# ---------------------------------------------------------------------------------------------------
# personal notes, images and the index


def _personal(company: _Company) -> dict[str, Content]:
    sales_head, engineering_head = company.head("Sales"), company.head("Engineering")
    rep = company.by_department["Sales"][1]
    return {
        f"personal/{_handle(sales_head)}/todo_2024-06.md": _todo(company),
        f"personal/{_handle(sales_head)}/meetings/2024-06-18_1on1_{rep['first_name'].lower()}.md":
            _one_on_one(company, rep),
        f"personal/{_handle(engineering_head)}/reading_list.md": READING_LIST,
        f"personal/{_handle(engineering_head)}/oncall_handover_2024-06-28.txt": _handover(company),
        f"personal/{_handle(engineering_head)}/photos/moab_2024-05-25.jpg": _jpg(
            _landscape(_rng("moab")), datetime(2024, 5, 25, 7, 12), "phone"),
    }


def _todo(company: _Company) -> str:
    pending = [o for o in company.orders if o["status"] == "pending"]
    reviews = ", ".join(e["first_name"] for e in company.by_department["Sales"][1:])
    return _lines(
        "# To do - June 2024",
        "",
        "- [x] Alpine Edge volume quote Q-2024-014 sent (2024-05-14)",
        "- [x] Nordic Trail distribution agreement signed (sales/contracts)",
        "- [ ] Chase Basecamp Online on quote Q-2024-019 (valid until 2024-07-10)",
        f"- [ ] H1 reviews for {reviews} - due 2024-06-28 (hr/reviews/2024/H1)",
        f"- [ ] {len(pending)} orders still pending - check with ops before the Q2 close",
        "- [ ] Book the Outdoor Retailer Show booth (2024-08-14) with marketing",
    )


def _one_on_one(company: _Company, rep: dict) -> str:
    stats = _rep_stats(company, rep)
    top, revenue = stats["top_customer"]
    return _lines(
        f"# 1:1 {_name(company.head('Sales'))} / {_name(rep)} - 2024-06-18",
        "",
        f"- H1 so far: {stats['orders']} orders, {_money(stats['revenue'])} (orders_2024.csv, not cancelled).",
        f"- Biggest account: {top} ({_money(revenue)}).",
        "- Wants to take over one of the online accounts in H2.",
        "- Review draft due 2024-06-26.",
        "",
        "Next 1:1: 2024-07-02",
    )


READING_LIST = """# Reading list

- [x] The Phoenix Project - ops culture, for the team book club
- [ ] SQLite internals docs: WAL mode and busy timeouts (after INC-2024-007)
- [ ] Designing Data-Intensive Applications, chapters 5-7
- [ ] Accelerate - metrics for the H2 engineering goals
"""


def _handover(company: _Company) -> str:
    errors = sum(" ERROR " in line for line in _api_log_lines(company))
    nxt = company.by_department["Engineering"][2]
    newest = max(company.employees, key=lambda e: e["hire_date"])
    return _lines(
        "On-call handover - Friday 2024-06-28",
        f"To: {_name(nxt)} <{nxt['email']}>",
        "",
        f"* api: {errors} x 500 'database timeout after 30s' today, see INC-2024-007.",
        "* worker: nightly_sales_report ran fine; watch inventory_sync tomorrow morning.",
        "* CI: test_list_orders_under_load is red until the read replica lands.",
        f"* {_name(newest)} (joined {newest['hire_date'].isoformat()}) shadows on-call from next week.",
    )


def _images(company: _Company) -> dict[str, Content]:
    files: dict[str, Content] = {"images/northpeak_logo.png": _png(_logo())}
    for minute, sku in enumerate(("NP-BPK-001", "NP-FTW-001")):
        files[f"images/products/{sku}.jpg"] = _jpg(_product_photo(company.product[sku], _rng(f"catalog:{sku}")),
                                                   datetime(2024, 3, 12, 11, minute), "studio")
    return files


def _readme(company: _Company, paths: list[str]) -> str:
    counts = Counter(path.split("/")[0] for path in paths)
    owners = {"finance": "Finance", "hr": "HR", "sales": "Sales", "marketing": "Marketing",
              "engineering": "Engineering", "operations": "Operations", "data": "Engineering"}
    rows = [f"| {folder}/ | {counts[folder]} | "
            + (company.head(owners[folder])["email"] if folder in owners else "-") + " |" for folder in sorted(counts)]
    return _lines(
        f"# {COMPANY} - shared drive",
        "",
        f"Snapshot of {NOW.date().isoformat()}. Ask it@{DOMAIN} for access to a folder.",
        "",
        "| Folder | Files | Owner |",
        "|---|---|---|",
        *rows,
        "",
        "Personal folders under personal/ belong to their owners; images/ holds the logo and catalog photos.",
    )


def _files(company: _Company) -> dict[str, Content]:
    files: dict[str, Content] = {}
    for section in (_data, _engineering, _finance, _hr, _images, _marketing, _operations, _personal, _sales):
        files.update(section(company))
    files["README.md"] = _readme(company, list(files))
    return files


def build(out_dir: Path) -> list[Path]:
    """Write the whole tree into out_dir (which must be empty or absent) and return the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for relative_path, content in sorted(_files(_Company()).items()):
        target = out_dir / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        written.append(target)
    for path in sorted(out_dir.rglob("*"), reverse=True):  # files before the folders holding them
        os.utime(path, (MTIME, MTIME))
    os.utime(out_dir, (MTIME, MTIME))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the seed company file system into OUT_DIR.")
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
