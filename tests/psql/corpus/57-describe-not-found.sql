-- 57-describe-not-found: the messages for patterns that match nothing, bare
-- \d in an empty search path, quoted mixed-case names and schema patterns.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS "Z57 Mixed Case", z57_lower;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE "Z57 Mixed Case" ("Id" int, "Full Name" text);
CREATE TABLE z57_lower (id int);
SELECT current_schema() AS myschema \gset

\d "Z57 Mixed Case"
\d "z57 mixed case"
\d Z57_LOWER
\d "Z57_LOWER"
\dt "Z57"*
\dt :"myschema".z57_*
\dt *.z57_lower
\dt z57_lower|nothing
\dt z57_lowe?
\dt z57_nonexistent
-- the public schema is on the search path but this role has nothing there
\dt public.*
-- system objects: S, or a name that matches one
\dS pg_am
\dvS pg_roles
\dtS pg_am*
\d z57_nonexistent
\d nosuchschema.z57_lower
\dt+ z57_lower
\di z57_*
\dv z57_*
\dm z57_*
\ds z57_*
\df z57_*
\dD z57_*
\dT z57_*
\dn z57_*
\dx z57_*
-- with nothing on the search path, the unqualified listings are empty
SET search_path = z57_no_such_schema;
\d
\dt
\dv
\di
\d z57_lower
\d :"myschema".z57_lower
\dt :"myschema".*z57*
RESET search_path;
-- too many dots in a pattern
\dt a.b.c.d
\d nosuchdb.public.z57_lower
DROP TABLE "Z57 Mixed Case", z57_lower;
