-- 33-multiline-values: the same values with newlines, tabs, carriage returns
-- and trailing spaces in every output format.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS d33_lines;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE d33_lines (k int, v text);
INSERT INTO d33_lines VALUES
  (1, E'first\nsecond\nthird'),
  (2, E'a\tb\tc'),
  (3, E'trailing   '),
  (4, E'\n'),
  (5, E'cr\rhere'),
  (6, E'mixed\t\nend\n');

SELECT k, v FROM d33_lines ORDER BY k;
SELECT v AS "multi
line header", k FROM d33_lines WHERE k <= 2 ORDER BY k;
\x on
SELECT k, v FROM d33_lines ORDER BY k;
\x off
SELECT k, v FROM d33_lines ORDER BY k \g (format=unaligned)
SELECT k, v FROM d33_lines ORDER BY k \g (format=csv)
SELECT k, v FROM d33_lines ORDER BY k \g (format=wrapped columns=20)
SELECT k, v FROM d33_lines ORDER BY k \g (format=asciidoc)
SELECT k, v FROM d33_lines ORDER BY k \g (format=html)
SELECT k, v FROM d33_lines ORDER BY k \g (format=latex)
SELECT k, v FROM d33_lines ORDER BY k \g (format=troff-ms)
\pset linestyle unicode
SELECT k, v FROM d33_lines ORDER BY k;
\pset linestyle ascii
DROP TABLE d33_lines;
