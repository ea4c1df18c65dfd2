-- 2023-09-04: initial schema
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
