-- 07-on-error-stop: errors do not stop a script until ON_ERROR_STOP is set;
-- then the first error ends it with exit status 3.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS e07_jobs;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE e07_jobs (id int PRIMARY KEY, name text);
INSERT INTO e07_jobs VALUES (1, 'build');
INSERT INTO e07_jobs VALUES (1, 'duplicate');
\echo 'still running after the error'
SELECT id, name FROM e07_jobs ORDER BY id;

-- a psql meta-command error does not stop either
\nosuchcommand
\echo 'still running after a bad meta-command'

DROP TABLE e07_jobs;

\set ON_ERROR_STOP on
\echo :ON_ERROR_STOP
SELECT 'before the fatal error' AS status;
SELECT 1/0 AS boom;
\echo 'never printed'
SELECT 'never run' AS status;
