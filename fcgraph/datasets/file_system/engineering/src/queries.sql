-- Reporting queries for data/company.db
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
