-- 26-csv: format csv, csv_fieldsep, quoting of separators, quotes,
-- newlines and empty strings vs NULL, headers, tuples_only and expanded.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS x26_contacts;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE x26_contacts (name text, phone text, note text);
INSERT INTO x26_contacts VALUES
  ('Doe, Jane', '555-0100', 'says "hi"'),
  ('Roe; Rick', NULL, E'line1\nline2'),
  ('Plain', '', ' padded '),
  ('Back\slash', E'tab\there', '\.');

\pset format csv
SELECT * FROM x26_contacts ORDER BY name;
\pset csv_fieldsep ';'
SELECT * FROM x26_contacts ORDER BY name;
\pset csv_fieldsep '\t'
SELECT * FROM x26_contacts ORDER BY name;
\pset csv_fieldsep ,
\pset null '(null)'
SELECT * FROM x26_contacts ORDER BY name;
\pset null ''
\t on
SELECT * FROM x26_contacts ORDER BY name;
\t off
\x on
SELECT * FROM x26_contacts ORDER BY name;
\x off
-- a column name that needs quoting
SELECT 1 AS "a,b", 2 AS "say ""x""", 3 AS plain;
-- invalid separators
\pset csv_fieldsep '"'
\pset csv_fieldsep ab
\pset csv_fieldsep
\pset format aligned
DROP TABLE x26_contacts;
