-- 25-wrapped: format wrapped with \pset columns, long words, multi-line cells
-- and borders.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS w25_quotes;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE w25_quotes (id int, author text, quote text);
INSERT INTO w25_quotes VALUES
  (1, 'Anonymous', 'The quick brown fox jumps over the lazy dog near the riverbank'),
  (2, 'Pat', E'short\nand a second, much longer line that must wrap somewhere'),
  (3, 'Supercalifragilistic', 'Antidisestablishmentarianism');

\pset format wrapped
-- no width given and not a terminal: like aligned
SELECT * FROM w25_quotes ORDER BY id;
\pset columns 40
SELECT * FROM w25_quotes ORDER BY id;
\pset border 2
SELECT * FROM w25_quotes ORDER BY id;
\pset border 0
SELECT * FROM w25_quotes ORDER BY id;
\pset border 1
\pset linestyle unicode
SELECT * FROM w25_quotes ORDER BY id;
\pset linestyle old-ascii
SELECT * FROM w25_quotes ORDER BY id;
\pset linestyle ascii
\x on
SELECT * FROM w25_quotes ORDER BY id;
\x off
\pset columns 15
SELECT * FROM w25_quotes ORDER BY id;
\pset columns 0
\pset format aligned
DROP TABLE w25_quotes;
