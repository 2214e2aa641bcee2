-- 56-describe-misc: collations, casts, extensions, languages, access methods,
-- tablespaces, event triggers, publications, foreign objects, extended
-- statistics, text search, \dconfig and \dd for object comments.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS y56_people;
DROP CAST IF EXISTS (y56_pair AS text);
DROP TYPE IF EXISTS y56_pair CASCADE;
DROP FUNCTION IF EXISTS y56_pair_text(y56_pair);
DROP COLLATION IF EXISTS y56_coll;
RESET client_min_messages;
\set QUIET :q0

CREATE COLLATION y56_coll FROM "C";
COMMENT ON COLLATION y56_coll IS 'byte order';
CREATE TYPE y56_pair AS (a int, b int);
CREATE FUNCTION y56_pair_text(y56_pair) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a || '/' || $1.b $$;
CREATE CAST (y56_pair AS text) WITH FUNCTION y56_pair_text(y56_pair) AS ASSIGNMENT;
COMMENT ON CAST (y56_pair AS text) IS 'slash form';
CREATE TABLE y56_people (id int CONSTRAINT y56_id_positive CHECK (id > 0), first_name text, last_name text, city text);
CREATE STATISTICS y56_names (dependencies, ndistinct) ON first_name, last_name FROM y56_people;
COMMENT ON CONSTRAINT y56_id_positive ON y56_people IS 'ids start at one';

\dO y56_*
\dO+ y56_*
\dC y56_*
\dC+ y56_pair
\dd y56_*
\dX y56_*
\dX+ y56_*
\d y56_people
\dx plpgsql
\dx+ plpgsql
\dL plpgsql
\dA heap
\dA+ hash
\dAc btree int4
\db pg_default
\dy
\dRp
\dRs
\dE
\dew
\des
\deu
\det
\dcS utf8_to_iso_8859_1
\dF english
\dFd english_stem
\dFp default
\dFt simple
\dconfig extra_float_digits
\dconfig+ bytea_output
\dconfig nosuch_setting*
SELECT ROW(1, 2)::y56_pair::text AS cast_result;
DROP TABLE y56_people;
DROP CAST (y56_pair AS text);
DROP FUNCTION y56_pair_text(y56_pair);
DROP TYPE y56_pair;
DROP COLLATION y56_coll;
