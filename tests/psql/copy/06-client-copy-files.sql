-- copy/06-client-copy-files: \copy to and from files in text, csv and
-- binary, with a query, and printed back with \! cat.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS cf06_city, cf06_city2;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE cf06_city (name text, country text, pop int);
INSERT INTO cf06_city VALUES ('Oslo', 'NO', 709000), ('São Paulo', 'BR', 12300000), ('Nowhere, "X"', NULL, 0);

\copy cf06_city to 'city.txt'
\! cat city.txt
\copy cf06_city to 'city.csv' with (format csv, header)
\! cat city.csv
\copy cf06_city to 'city-semi.csv' csv header delimiter ';' force quote name
\! cat city-semi.csv
\copy (select name, pop from cf06_city where pop > 0 order by pop) to 'big.txt'
\! cat big.txt
\copy (SELECT upper(name) AS "Name; Upper" FROM cf06_city ORDER BY 1) TO 'upper.csv' WITH CSV HEADER
\! cat upper.csv

CREATE TABLE cf06_city2 (LIKE cf06_city);
\copy cf06_city2 from 'city.csv' csv header
\copy cf06_city2 from 'city.txt'
\copy cf06_city2 (name, pop) from 'big.txt'
SELECT name, country, pop FROM cf06_city2 ORDER BY name, country NULLS FIRST;
\echo ROW_COUNT=:ROW_COUNT
-- a file name with spaces, quoted
\copy cf06_city to 'with space.txt'
\! cat 'with space.txt'
-- \copy ignores a trailing semicolon
\copy cf06_city (name) to 'semi.txt';
\! cat semi.txt
DROP TABLE cf06_city, cf06_city2;
