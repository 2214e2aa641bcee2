-- 55-describe-privileges: \dp and \z with grants and column privileges,
-- \ddp default privileges, \dn/\dn+ for the role's own schema, and role
-- listings restricted to built-in roles.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS x55_secret, x55_open;
DROP SEQUENCE IF EXISTS x55_seq;
DROP FUNCTION IF EXISTS x55_f();
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE x55_secret (id int, pin text, note text);
CREATE TABLE x55_open (id int);
CREATE SEQUENCE x55_seq;
CREATE FUNCTION x55_f() RETURNS int LANGUAGE sql RETURN 1;
GRANT SELECT ON x55_open TO PUBLIC;
GRANT SELECT (id, note), UPDATE (note) ON x55_secret TO pg_monitor;
GRANT USAGE ON SEQUENCE x55_seq TO PUBLIC;
REVOKE EXECUTE ON FUNCTION x55_f() FROM PUBLIC;
\dp x55_secret
\z x55_open
\dp x55_nomatch*

-- the schema is named like the role: take its name from the server
SELECT current_schema() AS myschema \gset
ALTER DEFAULT PRIVILEGES IN SCHEMA :"myschema" GRANT SELECT ON TABLES TO pg_monitor;
\ddp
ALTER DEFAULT PRIVILEGES IN SCHEMA :"myschema" REVOKE SELECT ON TABLES FROM pg_monitor;
\ddp

\dn :"myschema"
\dn+ :"myschema"
\dn nosuch_schema*
-- built-in roles only: their definition is the same on every server
\du pg_monitor
\dg pg_read_all_*
\du+ pg_write_server_files
\du nosuch_role
\l nosuch_database
DROP TABLE x55_secret, x55_open;
DROP SEQUENCE x55_seq;
DROP FUNCTION x55_f();
