-- 58-help: \h for SQL commands. The wording comes from psql's built-in help;
-- the harness may treat this script separately.
-- one command, upper and lower case, several words
\h SELECT
\h create table
\h ALTER SEQUENCE
\help TRUNCATE
-- a unique prefix of several words
\h DROP TAB
-- a trailing semicolon is ignored
\h BEGIN;
-- an unknown command
\h xyzzy
-- psql drops words from the end until something matches: "no" finds NOTIFY
\h no such command
-- a prefix shows every command it matches
\h SELEC
-- \h with no argument lists every command (80 columns when not a terminal)
\h
-- the command word may be quoted
\h "VALUES"
-- psql shows the URL of the reference page under each entry
\h COMMIT
\echo 'end of help'
