-- 23-expanded: \x toggles, \x on/off/auto, \pset expanded, and auto mode
-- deciding by the columns setting (output here is not a terminal).
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS t23_people;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE t23_people (id int, full_name text, city text, bio text);
INSERT INTO t23_people VALUES
  (1, 'Ada Lovelace', 'London', 'wrote the first published algorithm for a machine'),
  (2, 'Kurt Gödel', 'Brno', NULL);

\x
SELECT * FROM t23_people ORDER BY id;
\x
SELECT * FROM t23_people ORDER BY id;
\x on
SELECT id FROM t23_people WHERE id > 5;
SELECT 'no columns at all' AS x WHERE false;
SELECT;
\x off
\pset expanded
\pset expanded off

-- auto: with columns 0 and a non-terminal output there is no width limit
\x auto
SELECT * FROM t23_people ORDER BY id;
-- with a width, rows wider than it switch to expanded
\pset columns 40
SELECT * FROM t23_people ORDER BY id;
SELECT id, city FROM t23_people ORDER BY id;
-- auto applies to wrapped format too
\pset format wrapped
SELECT * FROM t23_people ORDER BY id;
\pset format aligned
\pset columns 0
\x off
\x maybe
\pset expanded auto
\pset expanded
\pset expanded
\echo
DROP TABLE t23_people;
