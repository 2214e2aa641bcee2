-- copy/03-to-stdout: COPY TO STDOUT in text and csv with options, and
-- COPY (SELECT ...) TO STDOUT. psql prints no COPY tag when the data went
-- to the same place as the tag would (stdout or \o), and ROW_COUNT stays 0;
-- with \g FILE the tag does print.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS cc03_stock;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE cc03_stock (sku text, qty int, price numeric(6,2), note text);
INSERT INTO cc03_stock VALUES
  ('A-1', 10, 2.50, 'plain'),
  ('B,2', 0, 10.00, E'tab\there'),
  ('C"3', NULL, 0.99, E'two\nlines'),
  ('D\4', 5, NULL, '');

COPY cc03_stock TO STDOUT;
COPY cc03_stock (sku, note) TO STDOUT WITH (DELIMITER '|', NULL '<null>');
COPY cc03_stock TO STDOUT WITH (FORMAT csv);
COPY cc03_stock TO STDOUT WITH (FORMAT csv, HEADER);
COPY cc03_stock TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';', QUOTE '''', FORCE_QUOTE (sku, note));
COPY cc03_stock TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *, NULL 'NULL', ESCAPE '\');
COPY (SELECT sku, qty * 2 AS double_qty FROM cc03_stock WHERE qty IS NOT NULL ORDER BY sku) TO STDOUT WITH (FORMAT csv, HEADER);
COPY (SELECT 'x' AS a WHERE false) TO STDOUT;
COPY (VALUES (1, 'ä日本'), (2, NULL)) TO STDOUT;
-- no tag, and ROW_COUNT is 0
COPY (SELECT generate_series(1, 3)) TO STDOUT;
\echo ROW_COUNT=:ROW_COUNT
-- output formats do not apply to COPY data
\pset format csv
\x on
COPY (SELECT 1 AS a, 'b c' AS b) TO STDOUT;
\x off
\pset format aligned
-- \o captures COPY TO STDOUT data
\o copied.txt
COPY cc03_stock (sku) TO STDOUT;
\o
\! cat copied.txt
-- \g sends COPY data to a file too
COPY cc03_stock (sku, qty) TO STDOUT WITH (FORMAT csv) \g copy-g.csv
\echo ROW_COUNT=:ROW_COUNT
\! cat copy-g.csv
DROP TABLE cc03_stock;
