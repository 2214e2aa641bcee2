-- 29-latex: latex and latex-longtable with borders 0..3, titles, tableattr
-- for longtable column widths, expanded mode and LaTeX escaping.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS a29_costs;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE a29_costs (item text, cost numeric(6,2), remark text);
INSERT INTO a29_costs VALUES ('R&D_1', 10.50, '50% of {budget} #1 ~ $x ^ \ '), ('Ops', 7.25, E'two\nlines');

\pset format latex
SELECT * FROM a29_costs ORDER BY item;
\pset border 0
SELECT * FROM a29_costs ORDER BY item;
\pset border 2
\pset title 'Costs & more'
SELECT * FROM a29_costs ORDER BY item;
\pset border 3
SELECT * FROM a29_costs ORDER BY item;
\x on
SELECT * FROM a29_costs ORDER BY item;
\x off
\pset title
\pset border 1

\pset format latex-longtable
SELECT * FROM a29_costs ORDER BY item;
\pset border 3
\pset title 'Long costs'
SELECT * FROM a29_costs ORDER BY item;
\pset tableattr '0.3 0.2 0.5'
SELECT * FROM a29_costs ORDER BY item;
\pset tableattr
\pset title
\pset border 0
SELECT * FROM a29_costs ORDER BY item;
\pset border 1
\t on
SELECT * FROM a29_costs ORDER BY item;
\t off
\pset format aligned
DROP TABLE a29_costs;
