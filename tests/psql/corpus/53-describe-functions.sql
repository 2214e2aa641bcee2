-- 53-describe-functions: \df with patterns and type filters, \df+, \sf, \sf+,
-- \da for a user aggregate, \do for a user operator.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP AGGREGATE IF EXISTS v53_product(numeric);
DROP OPERATOR IF EXISTS ### (text, text);
DROP FUNCTION IF EXISTS v53_add(int, int), v53_add(numeric, numeric), v53_mul_step(numeric, numeric),
  v53_concat_sp(text, text), v53_series(int), v53_touch();
DROP PROCEDURE IF EXISTS v53_log_it(text);
RESET client_min_messages;
\set QUIET :q0

CREATE FUNCTION v53_add(a int, b int DEFAULT 1) RETURNS int
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN a + b;
CREATE FUNCTION v53_add(numeric, numeric) RETURNS numeric LANGUAGE sql STABLE AS 'SELECT $1 + $2';
COMMENT ON FUNCTION v53_add(int, int) IS 'adds two ints';
CREATE FUNCTION v53_mul_step(state numeric, x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT state * x $$;
CREATE AGGREGATE v53_product(numeric) (SFUNC = v53_mul_step, STYPE = numeric, INITCOND = '1');
COMMENT ON AGGREGATE v53_product(numeric) IS 'multiplies';
CREATE FUNCTION v53_concat_sp(l text, r text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT l || ' ' || r $$;
CREATE OPERATOR ### (LEFTARG = text, RIGHTARG = text, FUNCTION = v53_concat_sp);
COMMENT ON OPERATOR ### (text, text) IS 'space join';
CREATE FUNCTION v53_series(n int, OUT i int, OUT sq int) RETURNS SETOF record LANGUAGE sql
  ROWS 10 COST 5 AS $$ SELECT g, g * g FROM generate_series(1, n) g $$;
CREATE FUNCTION v53_touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog AS $$
BEGIN
  -- comment kept in the source
  RETURN NEW;
END $$;
CREATE PROCEDURE v53_log_it(msg text) LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%', msg; END $$;

\df v53_*
\df+ v53_add
\df *_add
-- a pattern also matches built-in functions
\df *sum*
\df v53_add numeric
\dfn v53_*
\dfa v53_*
\dft v53_*
\dfp v53_*
\da v53_*
\da+ v53_*
\do ###
\do+ ###
\sf v53_add(int, int)
\sf v53_add(numeric,numeric)
\sf+ v53_touch
\sf+ v53_series
\sf v53_log_it
\sf v53_add
\sf v53_nonexistent
\sf v53_product
SELECT v53_add(2), v53_add(2.5, 1), v53_product(x), 'a' ### 'b' AS joined FROM (VALUES (2), (3)) v(x) GROUP BY 1, 2, 4;
CALL v53_log_it('called');
DROP AGGREGATE v53_product(numeric);
DROP OPERATOR ### (text, text);
DROP FUNCTION v53_add(int, int), v53_add(numeric, numeric), v53_mul_step(numeric, numeric),
  v53_concat_sp(text, text), v53_series(int), v53_touch();
DROP PROCEDURE v53_log_it(text);
