-- 35-error-position: LINE n: and the caret for errors in multi-line
-- statements, long lines cut around the caret, tabs and wide characters.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS f35_emp;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE f35_emp (id int, name text, dept text);

-- error on the first line
SELECT nme FROM f35_emp;
-- error on the third line of a statement
SELECT id,
       name,
       salary
  FROM f35_emp;
-- syntax error at the end of input
SELECT id, name FROM f35_emp WHERE
;
-- a long line: psql shows only the part around the error position
SELECT id, name, dept, id + 1 AS next_id, upper(name) AS shout, lower(dept) AS quiet, length(name) AS len, missing_column_here, id * 2 AS dbl, name || dept AS combined FROM f35_emp;
-- the error near the start of a long line
SELECT missing_first, id, name, dept, id + 1 AS next_id, upper(name) AS shout, lower(dept) AS quiet, length(name) AS len, id * 2 AS dbl FROM f35_emp;
-- the error near the end of a long line
SELECT id, name, dept, id + 1 AS next_id, upper(name) AS shout, lower(dept) AS quiet, length(name) AS len, id * 2 AS dbl FROM f35_emp WHERE nope;
-- tabs before the error
SELECT	id,	name	FROM	f35_emp	WHERE	bad_col	= 1;
-- wide characters before the error
SELECT 'Grüße 日本語' AS greeting, oops FROM f35_emp;
-- type errors point at the literal
INSERT INTO f35_emp VALUES ('one', 'x', 'y');
SELECT '2024-13-45'::date;
-- an error in a later statement on the same line
SELECT 1 AS fine; SELECT * FROM f35_nope;
-- an error with a hint
SELECT f35_emp.name FROM f35_emp e;
SELECT lenght('abc');
-- comments before the statement count as lines of the query
-- (they are not sent; the LINE number is within what was sent)
SELECT 1,
  /* a comment line */
  2,
  wrong;
DROP TABLE f35_emp;
