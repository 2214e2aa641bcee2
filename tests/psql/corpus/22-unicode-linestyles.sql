-- 22-unicode-linestyles: unicode_border_linestyle, unicode_column_linestyle
-- and unicode_header_linestyle single/double.
\pset linestyle unicode
\pset border 2
\pset unicode_border_linestyle double
SELECT * FROM (VALUES (1, 'one'), (2, E'two\nlines')) v(n, word);
\pset unicode_column_linestyle double
SELECT * FROM (VALUES (1, 'one'), (2, E'two\nlines')) v(n, word);
\pset unicode_header_linestyle double
SELECT * FROM (VALUES (1, 'one'), (2, E'two\nlines')) v(n, word);
\x on
SELECT * FROM (VALUES (1, 'one'), (2, E'two\nlines')) v(n, word);
\x off
\pset border 1
SELECT * FROM (VALUES (1, 'one'), (2, E'two\nlines')) v(n, word);
\pset unicode_border_linestyle single
\pset unicode_column_linestyle single
SELECT * FROM (VALUES (1, 'one'), (2, E'two\nlines')) v(n, word);
\pset unicode_header_linestyle single
\pset border 2
SELECT * FROM (VALUES (1, 'one'), (2, E'two\nlines')) v(n, word);
\pset unicode_header_linestyle triple
\pset unicode_border_linestyle d
\pset unicode_border_linestyle
\pset unicode_border_linestyle single
-- these settings do nothing for ascii
\pset linestyle ascii
\pset unicode_column_linestyle double
SELECT * FROM (VALUES (1, 'one')) v(n, word);
\pset unicode_column_linestyle single
\pset border 1
