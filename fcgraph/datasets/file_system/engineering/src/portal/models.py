"""Row types of data/company.db (generated from the schema; do not edit by hand)."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Customer:
    customer_id: str
    company: str
    contact_name: str
    email: str
    country: str
    segment: str
    signup_date: date
    account_manager: str
    phone: str
    street: str
    city: str
    postal_code: str


@dataclass(frozen=True)
class Employee:
    employee_id: str
    first_name: str
    last_name: str
    email: str
    department: str
    title: str
    location: str
    hire_date: date
    salary: int


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    price: float
    cost: float
    stock_units: int
    warehouse: str
    active: int


@dataclass(frozen=True)
class Order:
    order_id: str
    order_date: date
    customer_id: str
    sku: str
    quantity: int
    unit_price: float
    discount_pct: int
    total: float
    status: str
    sales_rep: str
