-- 09-autocommit-off: with AUTOCOMMIT off psql opens a transaction before the
-- first statement; an error aborts it until ROLLBACK.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS g09_cart;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE g09_cart (sku text PRIMARY KEY, n int);

\set AUTOCOMMIT off
\echo AUTOCOMMIT is :AUTOCOMMIT
INSERT INTO g09_cart VALUES ('apple', 3);
SELECT sku, n FROM g09_cart;
COMMIT;

INSERT INTO g09_cart VALUES ('pear', 1);
INSERT INTO g09_cart VALUES ('apple', 9);
SELECT 'in aborted transaction' AS attempt;
ROLLBACK;
SELECT sku, n FROM g09_cart ORDER BY sku;
ROLLBACK;

-- psql does not open a transaction for VACUUM (it cannot run in one), so
-- the ROLLBACK after it finds no transaction
VACUUM g09_cart;
ROLLBACK;

-- switching AUTOCOMMIT back on with an open transaction does not commit it
INSERT INTO g09_cart VALUES ('plum', 2);
\set AUTOCOMMIT on
SELECT count(*) AS visible_inside FROM g09_cart;
COMMIT;
SELECT sku, n FROM g09_cart ORDER BY sku;

-- bad values are refused
\set AUTOCOMMIT maybe
\echo AUTOCOMMIT is :AUTOCOMMIT
DROP TABLE g09_cart;
