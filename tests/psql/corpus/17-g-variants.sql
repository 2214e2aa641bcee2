-- 17-g-variants: \g and \gx with files, pipes and per-query \pset options,
-- and meta-commands written after SQL on the same line.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS o17_cities;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE o17_cities (name text, country text, pop int);
INSERT INTO o17_cities VALUES ('Lyon', 'FR', 522), ('Graz', 'AT', 291), ('Porto', 'PT', 232);

-- \g ends a query like a semicolon
SELECT name, pop FROM o17_cities ORDER BY pop DESC \g
SELECT name FROM o17_cities WHERE country = 'AT' \gx
select 1 as one; \echo after the query on the same line

-- \g with no query re-runs the previous one
\g
\gx

-- \g FILE writes the result to a file
SELECT name, country FROM o17_cities ORDER BY name \g cities.txt
\! cat cities.txt
-- \g |command pipes it
SELECT name FROM o17_cities ORDER BY name \g | cat -n
-- per-query options; the settings are back afterwards
SELECT name, pop FROM o17_cities ORDER BY name \g (format=csv tuples_only=on)
SELECT name, pop FROM o17_cities ORDER BY name \g (format=unaligned fieldsep=';' footer=off) cities2.txt
\! cat cities2.txt
SELECT name, pop FROM o17_cities ORDER BY name \gx (border=2)
SELECT name, pop FROM o17_cities ORDER BY name \g (expanded)
SELECT name, pop FROM o17_cities ORDER BY name LIMIT 1;
-- an unknown option is an error and the query is not run
SELECT 'not run' AS x \g (colour=red)
-- the failed \g keeps the query in the buffer; a comment line typed now
-- is added to it too
\p
\r
-- a command tag is not a result: it goes to stdout and the file is not made
UPDATE o17_cities SET pop = pop + 1 WHERE country = 'FR' \g update.txt
\! test -f update.txt && echo update.txt exists || echo update.txt absent
-- \g to a directory that does not exist
SELECT 1 \g no/such/dir/out.txt
DROP TABLE o17_cities;
