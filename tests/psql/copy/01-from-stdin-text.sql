-- copy/01-from-stdin-text: COPY FROM STDIN in text format with the data in
-- the script: \N for NULL, backslash escapes, tabs, empty strings and lines.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS ca01_book, ca01_line;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE ca01_book (id int, title text, author text, note text);

COPY ca01_book FROM STDIN;
1	Dune	Frank Herbert	\N
2	Tab\there	Back\\slash	new\nline
3		\N	empty title above
4	Semi;colon	'single'	"double"
5	\x41\101 octal	E'not an escape'	trailing space 
\.
SELECT id, title, author, note, note IS NULL AS note_null FROM ca01_book ORDER BY id;

-- a custom delimiter and NULL string
COPY ca01_book (id, title, author) FROM STDIN WITH (DELIMITER '|', NULL 'NULL');
6|Pipes|NULL
7|NULL|nobody
\.
SELECT id, title, author FROM ca01_book WHERE id > 5 ORDER BY id;

-- a one-column table: an empty line is an empty string, \N is NULL
CREATE TABLE ca01_line (t text);
COPY ca01_line FROM STDIN;
first

\N
last
\.
SELECT row_number() OVER () AS n, t, t IS NULL AS is_null FROM ca01_line;

-- zero rows
COPY ca01_line FROM STDIN;
\.
-- the data end marker must be alone on its line
COPY ca01_line FROM STDIN;
a \. b
\.
SELECT count(*) FROM ca01_line;
DROP TABLE ca01_book, ca01_line;
