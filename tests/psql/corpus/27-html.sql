-- 27-html: format html via \pset and \H, \T tableattr, titles, HTML escaping,
-- expanded and tuples-only html.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS y27_links;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE y27_links (id int, label text, url text);
INSERT INTO y27_links VALUES
  (1, 'Fish & <Chips>', 'http://example.org/?a=1&b="2"'),
  (2, E'two\nlines', NULL),
  (3, '  spaced  ', '');

\H
SELECT * FROM y27_links ORDER BY id;
\T 'class="grid" border=1'
\C 'Links & more'
SELECT * FROM y27_links ORDER BY id;
\x on
SELECT * FROM y27_links ORDER BY id;
\x off
\t on
SELECT * FROM y27_links ORDER BY id;
\t off
\T
\C
\pset border 0
SELECT id FROM y27_links ORDER BY id LIMIT 1;
\pset border 2
SELECT id FROM y27_links ORDER BY id LIMIT 1;
\pset border 1
\pset null '<null>'
SELECT url FROM y27_links WHERE id = 2;
\pset null ''
\H
\pset tableattr 'width="50%"'
\pset format html
SELECT 'a' AS "x<y";
\pset tableattr
\pset format aligned
DROP TABLE y27_links;
