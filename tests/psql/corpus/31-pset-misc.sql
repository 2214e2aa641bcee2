-- 31-pset-misc: tuples_only/\t, footer, title/\C, null, pager settings,
-- numericlocale; each \pset prints the new value.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS c31_sales;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE c31_sales (region text, amount numeric, units bigint, ratio float8);
INSERT INTO c31_sales VALUES ('North', 1234567.891, 1234567, 0.5), ('South', -98765.4, 1000, 1234.5), ('East', NULL, NULL, NULL);

\pset null '(none)'
SELECT * FROM c31_sales ORDER BY region;
\pset title 'Sales by region'
SELECT * FROM c31_sales ORDER BY region;
\C 'Other title'
SELECT region FROM c31_sales ORDER BY region LIMIT 1;
\C
\pset footer off
SELECT region FROM c31_sales ORDER BY region;
\pset footer
\pset footer
\pset tuples_only
SELECT region FROM c31_sales ORDER BY region;
\t
\t on
\t off
\pset tuples_only on
\pset title 'titles are hidden in tuples-only mode'
SELECT region FROM c31_sales ORDER BY region LIMIT 1;
\pset tuples_only off
\pset title

-- numericlocale: separators come from the client's LC_NUMERIC (C here)
\pset numericlocale on
SELECT * FROM c31_sales ORDER BY region;
SELECT 1234567::int AS i, 1234567.5::numeric AS n, '1e10'::float8 AS f, '-1234'::text AS t;
\pset numericlocale off
\pset null ''

-- pager settings are accepted but output is not a terminal
\pset pager off
\pset pager on
\pset pager always
\pset pager
\pset pager off
\pset pager_min_lines 10
\pset pager_min_lines
\pset pager_min_lines 0
\pset pager_min_lines abc
\pset nosuchoption on
DROP TABLE c31_sales;
