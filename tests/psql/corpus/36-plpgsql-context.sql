-- 36-plpgsql-context: CONTEXT lines from PL/pgSQL, QUERY: lines with an
-- internal error position (dynamic EXECUTE, PL/pgSQL expressions), RAISE
-- with DETAIL/HINT, WARNING and NOTICE levels.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP FUNCTION IF EXISTS g36_check_qty(int);
DROP FUNCTION IF EXISTS g36_place_order(int);
DROP FUNCTION IF EXISTS g36_dynamic(text);
DROP FUNCTION IF EXISTS g36_expr(int);
RESET client_min_messages;
\set QUIET :q0

CREATE FUNCTION g36_check_qty(q int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF q > 100 THEN
    RAISE WARNING 'large order of % units', q;
  END IF;
  IF q <= 0 THEN
    RAISE EXCEPTION 'quantity must be positive, got %', q
      USING DETAIL = 'The order was rejected.',
            HINT = 'Use a quantity of at least 1.',
            ERRCODE = 'check_violation';
  END IF;
END $$;
CREATE FUNCTION g36_place_order(q int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM g36_check_qty(q);
  RAISE NOTICE 'order for % placed', q USING DETAIL = 'queued for shipping';
  RETURN 'ok';
END $$;
CREATE FUNCTION g36_dynamic(col text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE 'SELECT count(' || col || ') FROM (VALUES (1), (2)) v(x)' INTO n;
  RETURN n;
END $$;
CREATE FUNCTION g36_expr(d int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE r int;
BEGIN
  r := 10 / d + nonexistent_var;
  RETURN r;
END $$;

SELECT g36_place_order(5);
SELECT g36_place_order(500);
SELECT g36_place_order(0);
-- a dynamic query with an error: QUERY: and a caret inside it
SELECT g36_dynamic('x');
SELECT g36_dynamic('y');
-- an error in a PL/pgSQL expression
SELECT g36_expr(2);
-- errors raised in a DO block
DO $$
BEGIN
  RAISE NOTICE 'starting';
  PERFORM 1 / 0;
END $$;
DO $$ BEGIN RAISE 'plain % message', 'formatted'; END $$;
DO $$ BEGIN RAISE unique_violation USING MESSAGE = 'custom unique'; END $$;
DO $$ BEGIN RAISE INFO 'info level'; RAISE LOG 'log level is not sent'; RAISE DEBUG 'nor debug'; END $$;
-- an error thrown from a SQL function called in plpgsql
DO $$ DECLARE v int; BEGIN SELECT x INTO STRICT v FROM (VALUES (1), (2)) t(x); END $$;
-- compile-time error in a function body
CREATE FUNCTION g36_bad() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1
END $$;

DROP FUNCTION g36_expr(int);
DROP FUNCTION g36_dynamic(text);
DROP FUNCTION g36_place_order(int);
DROP FUNCTION g36_check_qty(int);
