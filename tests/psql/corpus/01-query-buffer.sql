-- 01-query-buffer: \p, \r, \w and how the query buffer carries over lines.
-- A small stock list: type a query over several lines, look at it, reset it.
-- Before anything ran, \p has nothing to show:
\p
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS b01_stock;
RESET client_min_messages;
\set QUIET :q0

-- with an empty buffer \p shows the previous query (here the RESET)
\p
CREATE TABLE b01_stock (item text PRIMARY KEY, qty int NOT NULL);
INSERT INTO b01_stock VALUES ('bolt', 40), ('nut', 75), ('washer', 12);

-- an unfinished statement sits in the buffer
SELECT item, qty
  FROM b01_stock
\p
\w buffer.sql
\r
-- after \r the buffer is empty, so \p shows the previous query again
\p
\echo 'the file keeps the text:'
\! cat buffer.sql

-- \w with an empty buffer writes the previous query
SELECT count(*) AS items FROM b01_stock;
\w last.sql
\! cat last.sql

-- \p after a query has run shows the last query
\p

-- several statements on one line
SELECT 1 AS one; SELECT 'two' AS two; SELECT 3 AS three;

-- a statement spread over many lines, with blank lines inside
SELECT item,

       qty * 2
         AS doubled
  FROM b01_stock

 WHERE qty > 20
 ORDER BY item;

-- run what \w saved: the unterminated statement at the end of an \i file
-- is sent when the file ends, so the next line starts a new query
\i buffer.sql
ORDER BY qty DESC;

-- \r in the middle of typing throws the partial statement away
SELECT this is not valid sql
\r
SELECT 'still fine' AS status;

DROP TABLE b01_stock;
