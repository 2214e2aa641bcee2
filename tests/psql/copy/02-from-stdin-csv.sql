-- copy/02-from-stdin-csv: COPY FROM STDIN in csv: quoting, embedded newlines
-- and delimiters, NULL vs empty string, HEADER, custom DELIMITER and QUOTE,
-- FORCE_NULL and FORCE_NOT_NULL.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS cb02_person;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE cb02_person (id int, name text, city text, bio text);

COPY cb02_person FROM STDIN WITH (FORMAT csv, HEADER);
id,name,city,bio
1,"Doe, Jane",Oslo,"Says ""hello"""
2,Bob,,""
3,"Multi
Line",Rome,"a\b"
4,  spaced  ,"",\N
\.
SELECT id, name, city, bio, city IS NULL AS city_null, bio IS NULL AS bio_null FROM cb02_person ORDER BY id;

COPY cb02_person FROM STDIN WITH (FORMAT csv, DELIMITER ';', QUOTE '''', NULL 'NA');
5;'Semi;colon';NA;'it''s'
6;NA;Paris;''
\.
SELECT id, name, city, bio FROM cb02_person WHERE id >= 5 ORDER BY id;

COPY cb02_person FROM STDIN WITH (FORMAT csv, FORCE_NULL (city), FORCE_NOT_NULL (bio));
7,Quoted empty,"",
\.
SELECT id, city IS NULL AS city_null, bio = '' AS bio_empty FROM cb02_person WHERE id = 7;

-- a \. inside a quoted value with csv is data only when quoted
COPY cb02_person (id, bio) FROM STDIN WITH (FORMAT csv);
8,"\."
\.
SELECT id, bio FROM cb02_person WHERE id = 8;
DROP TABLE cb02_person;
