-- copy/09-copy-variables: COPY with ECHO, QUIET, ON_ERROR_ROLLBACK,
-- AUTOCOMMIT off, ON_ERROR_STOP and the status variables.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS ci09_evt;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE ci09_evt (id int PRIMARY KEY, kind text);

\set ECHO all
COPY ci09_evt FROM STDIN;
1	start
2	stop
\.
\set ECHO none
\echo ROW_COUNT=:ROW_COUNT SQLSTATE=:SQLSTATE
\set QUIET on
COPY ci09_evt FROM STDIN;
3	pause
\.
COPY ci09_evt TO STDOUT;
\set QUIET off

-- ON_ERROR_ROLLBACK keeps the transaction alive after a failed COPY
\set ON_ERROR_ROLLBACK on
BEGIN;
COPY ci09_evt FROM STDIN;
1	duplicate
\.
COPY ci09_evt FROM STDIN;
4	resume
\.
COMMIT;
\unset ON_ERROR_ROLLBACK
SELECT id, kind FROM ci09_evt ORDER BY id;

-- AUTOCOMMIT off wraps COPY in a transaction
\set AUTOCOMMIT off
COPY ci09_evt FROM STDIN;
5	later
\.
ROLLBACK;
\set AUTOCOMMIT on
SELECT count(*) AS after_rollback FROM ci09_evt;
\echo ERROR=:ERROR

DROP TABLE ci09_evt;
-- ON_ERROR_STOP: the failing COPY's remaining data is not run as SQL
\set ON_ERROR_STOP on
COPY ci09_missing FROM STDIN;
this line is data, not SQL
\.
\echo 'never printed'
