-- 30-troff-ms: format troff-ms with borders, titles, expanded and escaping
-- of backslashes.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS b30_parts;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE b30_parts (pn text, qty int, descr text);
INSERT INTO b30_parts VALUES ('P\1', 4, 'has a \ backslash'), ('Q.2', 12, E'two\nlines'), ('R3', NULL, '');

\pset format troff-ms
SELECT * FROM b30_parts ORDER BY pn;
\pset border 0
SELECT * FROM b30_parts ORDER BY pn;
\pset border 2
\pset title 'Parts'
SELECT * FROM b30_parts ORDER BY pn;
\x on
SELECT * FROM b30_parts ORDER BY pn;
\pset border 1
SELECT * FROM b30_parts ORDER BY pn;
\x off
\pset title
\t on
SELECT * FROM b30_parts ORDER BY pn;
\t off
\pset format aligned
DROP TABLE b30_parts;
