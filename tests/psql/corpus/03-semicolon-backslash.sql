-- 03-semicolon-backslash: \; sends several statements as one query string;
-- psql 15 prints every result of such a string. The file ends without a
-- semicolon.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS d03_log;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE d03_log (n int);

-- one query string, two statements: both results print
SELECT 1 AS first \; SELECT 2 AS second;

-- inserts and a select in one round trip
INSERT INTO d03_log VALUES (1) \; INSERT INTO d03_log VALUES (2) \; SELECT count(*) FROM d03_log;

-- \; across lines
SELECT 'a' AS x \;
SELECT 'b' AS y;

-- an error in the middle of a \; group: the whole string is one implicit
-- transaction, so the first insert is rolled back too
INSERT INTO d03_log VALUES (3) \; INSERT INTO d03_log VALUES ('x') \; INSERT INTO d03_log VALUES (4);
SELECT n FROM d03_log ORDER BY n;

-- \; with ROW_COUNT: both tags print, ROW_COUNT is from the last one
UPDATE d03_log SET n = n + 10 \; UPDATE d03_log SET n = n WHERE n = 11;
\echo ROW_COUNT :ROW_COUNT

DROP TABLE d03_log;
-- the last statement has no semicolon: psql sends it at end of file
SELECT 'sent at end of file' AS last
