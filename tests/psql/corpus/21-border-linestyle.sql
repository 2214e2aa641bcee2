-- 21-border-linestyle: border 0/1/2 with the ascii, old-ascii and unicode
-- line styles, in normal and expanded mode, including multi-line cells.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS s21_menu;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE s21_menu (dish text, price numeric(5,2), notes text);
INSERT INTO s21_menu VALUES
  ('Soup', 4.50, 'hot'),
  ('Salad', 6.25, E'green\nwith dressing'),
  ('Pie', 3.00, NULL);

\pset linestyle ascii
\pset border 0
SELECT * FROM s21_menu ORDER BY dish;
\pset border 1
SELECT * FROM s21_menu ORDER BY dish;
\pset border 2
SELECT * FROM s21_menu ORDER BY dish;
\x on
SELECT * FROM s21_menu ORDER BY dish;
\pset border 0
SELECT * FROM s21_menu ORDER BY dish;
\x off

\pset linestyle old-ascii
\pset border 0
SELECT * FROM s21_menu ORDER BY dish;
\pset border 1
SELECT * FROM s21_menu ORDER BY dish;
\pset border 2
SELECT * FROM s21_menu ORDER BY dish;
\x on
SELECT * FROM s21_menu ORDER BY dish;
\x off

\pset linestyle unicode
\pset border 0
SELECT * FROM s21_menu ORDER BY dish;
\pset border 1
SELECT * FROM s21_menu ORDER BY dish;
\pset border 2
SELECT * FROM s21_menu ORDER BY dish;
\x on
SELECT * FROM s21_menu ORDER BY dish;
\pset border 1
SELECT * FROM s21_menu ORDER BY dish;
\x off

-- unique prefixes and bad values
\pset linestyle u
\pset linestyle a
\pset linestyle fancy
\pset border 3
\pset border 1
\pset linestyle ascii
DROP TABLE s21_menu;
