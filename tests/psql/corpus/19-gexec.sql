-- 19-gexec: \gexec runs each non-null cell of the result as a statement.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS q19_a, q19_b, q19_c;
RESET client_min_messages;
\set QUIET :q0

SELECT format('CREATE TABLE %I (id int)', 'q19_' || x) FROM unnest(ARRAY['a', 'b', 'c']) x ORDER BY x \gexec
SELECT format('INSERT INTO %I SELECT generate_series(1, %s)', t, n)
  FROM (VALUES ('q19_a', 2), ('q19_b', 3)) v(t, n) ORDER BY t
\gexec
-- row by row, column by column; NULL cells are skipped
SELECT 'SELECT count(*) AS a_rows FROM q19_a', NULL, 'SELECT count(*) AS b_rows FROM q19_b'
UNION ALL
SELECT 'SELECT ''second row'' AS r', 'SELECT 42 AS answer', NULL
\gexec
-- an error in one generated statement does not stop the others
SELECT stmt FROM (VALUES (1, 'SELECT 1 AS fine'), (2, 'SELECT * FROM q19_missing'), (3, 'SELECT 3 AS also_fine')) v(n, stmt) ORDER BY n \gexec
-- the cells go to the server as they are: psql meta-commands are not run
SELECT '\echo hi' \gexec
-- zero rows: nothing happens
SELECT 'SELECT 1' WHERE false \gexec
SELECT format('DROP TABLE %I', 'q19_' || x) FROM unnest(ARRAY['a', 'b', 'c']) x ORDER BY x \gexec
