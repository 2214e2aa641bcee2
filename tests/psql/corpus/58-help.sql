-- 58-help: \h for SQL commands. The wording comes from psql's built-in help;
-- the harness may treat this script separately.
\h SELECT
\h create table
\h DROP TAB
\h ALTER SEQUENCE
\h no such command
\h TRUNCATE
