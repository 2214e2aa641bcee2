-- 15-show-context: SHOW_CONTEXT never / errors (default) / always, for
-- notices and errors raised inside nested PL/pgSQL functions.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP FUNCTION IF EXISTS m15_inner(int);
DROP FUNCTION IF EXISTS m15_outer(int);
RESET client_min_messages;
\set QUIET :q0

CREATE FUNCTION m15_inner(n int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE 'inner got %', n;
  IF n < 0 THEN
    RAISE EXCEPTION 'negative input %', n USING HINT = 'pass zero or more';
  END IF;
  RETURN n * 2;
END $$;
CREATE FUNCTION m15_outer(n int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN m15_inner(n) + 1;
END $$;

\echo '--- errors (default)'
SELECT m15_outer(5);
SELECT m15_outer(-1);

\set SHOW_CONTEXT always
\echo '--- always'
SELECT m15_outer(5);
SELECT m15_outer(-1);

\set SHOW_CONTEXT never
\echo '--- never'
SELECT m15_outer(5);
SELECT m15_outer(-1);

\set SHOW_CONTEXT sometimes
\echo SHOW_CONTEXT is :SHOW_CONTEXT
\set SHOW_CONTEXT errors
\set VERBOSITY terse
\echo '--- terse hides context'
SELECT m15_outer(-1);
\set VERBOSITY default

DROP FUNCTION m15_outer(int);
DROP FUNCTION m15_inner(int);
