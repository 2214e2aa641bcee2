-- 20-gdesc: \gdesc describes the result columns of a query without running it.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS r20_orders;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE r20_orders (id bigint, placed date, total numeric(10,2), tags text[], note varchar(40));
SELECT id, placed, total, tags, note FROM r20_orders \gdesc
SELECT id + 1, total * 2 AS "double total", now() AS ts, 'x'::char(3) AS c, NULL AS unknown_null
  FROM r20_orders \gdesc
-- the query is not executed: no division by zero
SELECT 1 / 0 AS never \gdesc
-- a statement without a result
INSERT INTO r20_orders VALUES (1) \gdesc
-- an error in the query
SELECT nosuch FROM r20_orders \gdesc
-- \gdesc leaves the query in the history: \g runs it
SELECT count(*) AS n FROM r20_orders \gdesc
\g
-- with a different output format
\pset format unaligned
SELECT id, tags FROM r20_orders \gdesc
\pset format aligned
DROP TABLE r20_orders;
