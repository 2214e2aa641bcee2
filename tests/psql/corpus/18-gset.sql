-- 18-gset: \gset stores columns of a one-row result in variables.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS p18_config;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE p18_config (key text PRIMARY KEY, value text);
INSERT INTO p18_config VALUES ('host_name', 'db1'), ('max_conn', '100'), ('mode', NULL);

SELECT value AS host FROM p18_config WHERE key = 'host_name' \gset
\echo host is :host
SELECT 1 AS a, 'two' AS b, NULL AS c, 2.5::numeric AS "D" \gset
\echo a=:a b=:b D=:D c=:{?c}
-- a prefix
SELECT key, value FROM p18_config WHERE key = 'max_conn' \gset cfg_
\echo :cfg_key = :cfg_value
-- NULL unsets the variable
\set mode before
SELECT value AS mode FROM p18_config WHERE key = 'mode' \gset
\echo mode defined? :{?mode}

-- zero rows: variables are untouched
\set host unchanged
SELECT value AS host FROM p18_config WHERE key = 'nothing' \gset
\echo host is :host
-- more than one row
SELECT key FROM p18_config \gset
-- \gset on a statement without a result
UPDATE p18_config SET value = '200' WHERE key = 'max_conn' \gset
-- a column name that is not a valid variable name: no variable is set
SELECT 1 AS "bad-name", 2 AS good \gset
\echo good=:good
-- special variables: assigning a bad value fails with psql's own message
SELECT 'maybe' AS "AUTOCOMMIT" \gset
SELECT 'x' AS "ON_ERROR_STOP" \gset
\echo AUTOCOMMIT=:AUTOCOMMIT

-- use gset values in the next query
SELECT value::int * 2 AS doubled FROM p18_config WHERE key = :'cfg_key';
-- an error while running the query
SELECT 1 / 0 AS never \gset
\echo never defined? :{?never}

DROP TABLE p18_config;
