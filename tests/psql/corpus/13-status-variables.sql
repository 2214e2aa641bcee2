-- 13-status-variables: ROW_COUNT, ERROR, SQLSTATE, LAST_ERROR_MESSAGE and
-- LAST_ERROR_SQLSTATE after successes and failures.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS k13_items;
RESET client_min_messages;
\set QUIET :q0

\echo 'before any error:' [:LAST_ERROR_MESSAGE] :LAST_ERROR_SQLSTATE
CREATE TABLE k13_items (id int PRIMARY KEY, price numeric);
\echo ROW_COUNT=:ROW_COUNT ERROR=:ERROR SQLSTATE=:SQLSTATE
INSERT INTO k13_items SELECT g, g * 1.5 FROM generate_series(1, 7) g;
\echo ROW_COUNT=:ROW_COUNT ERROR=:ERROR SQLSTATE=:SQLSTATE
UPDATE k13_items SET price = price * 2 WHERE id <= 3;
\echo ROW_COUNT=:ROW_COUNT
SELECT id FROM k13_items WHERE id > 5 ORDER BY id;
\echo ROW_COUNT=:ROW_COUNT
DELETE FROM k13_items WHERE id > 100;
\echo ROW_COUNT=:ROW_COUNT

INSERT INTO k13_items VALUES (1, 0);
\echo ERROR=:ERROR SQLSTATE=:SQLSTATE ROW_COUNT=:ROW_COUNT
\echo LAST_ERROR_MESSAGE=:LAST_ERROR_MESSAGE
\echo LAST_ERROR_SQLSTATE=:LAST_ERROR_SQLSTATE

SELECT 1 AS ok;
\echo ERROR=:ERROR SQLSTATE=:SQLSTATE ROW_COUNT=:ROW_COUNT
\echo 'the last error is remembered:' :LAST_ERROR_SQLSTATE

SELECT 1/0;
\echo :SQLSTATE :'LAST_ERROR_MESSAGE'
SELECT * FROM k13_no_such_table;
\echo :SQLSTATE :LAST_ERROR_MESSAGE

-- a syntax error
SELEC 1;
\echo :SQLSTATE :LAST_ERROR_MESSAGE

-- a failing meta-command does not touch these variables
\echo before: :ERROR
\nonsense
\echo after: :ERROR

-- use them in a conditional
SELECT count(*) AS n FROM k13_items \gset
\if :ERROR
  \echo 'count failed'
\else
  \echo 'count worked:' :n rows, ROW_COUNT=:ROW_COUNT
\endif

DROP TABLE k13_items;
