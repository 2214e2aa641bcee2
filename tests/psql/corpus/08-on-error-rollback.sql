-- 08-on-error-rollback: with ON_ERROR_ROLLBACK on, psql wraps each statement
-- in a savepoint so one failure does not abort the transaction. The value
-- "interactive" only does that in interactive sessions, not for -f scripts.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS f08_ledger;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE f08_ledger (id int PRIMARY KEY, amount numeric CHECK (amount > 0));

-- default (off): the error aborts the transaction
BEGIN;
INSERT INTO f08_ledger VALUES (1, 10);
INSERT INTO f08_ledger VALUES (2, -5);
INSERT INTO f08_ledger VALUES (3, 30);
COMMIT;
SELECT count(*) AS rows_after_off FROM f08_ledger;

-- on: the failed statement is rolled back alone
\set ON_ERROR_ROLLBACK on
BEGIN;
INSERT INTO f08_ledger VALUES (1, 10);
INSERT INTO f08_ledger VALUES (2, -5);
INSERT INTO f08_ledger VALUES (3, 30);
COMMIT;
SELECT id, amount FROM f08_ledger ORDER BY id;

-- interactive: a script is not interactive, so the transaction aborts
\set ON_ERROR_ROLLBACK interactive
BEGIN;
INSERT INTO f08_ledger VALUES (4, 40);
INSERT INTO f08_ledger VALUES (1, 99);
INSERT INTO f08_ledger VALUES (5, 50);
ROLLBACK;
SELECT id, amount FROM f08_ledger ORDER BY id;

-- an invalid value is refused and the old value kept
\set ON_ERROR_ROLLBACK sometimes
\echo :ON_ERROR_ROLLBACK
\set ON_ERROR_ROLLBACK off

DROP TABLE f08_ledger;
