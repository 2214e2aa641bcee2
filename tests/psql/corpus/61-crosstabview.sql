-- 61-crosstabview: \crosstabview pivots a result; column and sort choices,
-- duplicate cells and errors.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS a61_sales;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE a61_sales (shop text, month int, units int);
INSERT INTO a61_sales VALUES
  ('north', 1, 10), ('north', 2, 12), ('south', 1, 7),
  ('south', 3, 9), ('east', 2, 4), ('east', 3, NULL);

SELECT shop, month, units FROM a61_sales ORDER BY shop, month \crosstabview
SELECT month, shop, units FROM a61_sales ORDER BY month \crosstabview
-- column headers sorted by a fourth column
SELECT shop, to_char(make_date(2024, month, 1), 'Mon') AS m, units, month FROM a61_sales ORDER BY shop
\crosstabview shop m units month
-- two columns are not enough
SELECT shop, month FROM a61_sales ORDER BY 1, 2 \crosstabview
\pset border 2
SELECT shop, month, units FROM a61_sales ORDER BY shop, month \crosstabview
\pset border 1
-- errors
SELECT shop, month, units FROM a61_sales UNION ALL SELECT 'north', 1, 99 \crosstabview
SELECT shop FROM a61_sales \crosstabview
SELECT shop, month, units FROM a61_sales \crosstabview shop month nosuch
DROP TABLE a61_sales;
