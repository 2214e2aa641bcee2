-- 28-asciidoc: format asciidoc with borders, titles, expanded, tuples only,
-- and cells with pipes and newlines.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS z28_tasks;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE z28_tasks (id int, title text, done boolean);
INSERT INTO z28_tasks VALUES (1, 'write docs', true), (2, E'pipe | in\nand newline', false), (3, NULL, NULL);

\pset format asciidoc
SELECT * FROM z28_tasks ORDER BY id;
\pset title 'Task list'
\pset border 0
SELECT * FROM z28_tasks ORDER BY id;
\pset border 2
SELECT * FROM z28_tasks ORDER BY id;
\pset border 1
\pset title
\x on
SELECT * FROM z28_tasks ORDER BY id;
\x off
\t on
SELECT * FROM z28_tasks ORDER BY id;
\t off
\pset null '-'
\pset footer off
SELECT title FROM z28_tasks WHERE id = 3;
\pset footer on
\pset null ''
SELECT * FROM z28_tasks WHERE false;
\pset format aligned
DROP TABLE z28_tasks;
