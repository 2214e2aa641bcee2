-- copy/04-binary: COPY TO STDOUT in binary format captured with \o, shown
-- with od; binary round trip through \copy files.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS cd04_sample, cd04_copy, cd04_wrong;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE cd04_sample (id int, label text, flag boolean, amount numeric);
INSERT INTO cd04_sample VALUES (1, 'one', true, 1.5), (2, NULL, false, NULL);

\o sample.bin
COPY cd04_sample TO STDOUT WITH (FORMAT binary);
\o
\! od -An -tx1 sample.bin
COPY (SELECT id FROM cd04_sample ORDER BY id) TO STDOUT (FORMAT binary) \g ids.bin
\! od -An -tx1 ids.bin

-- round trip through a client-side file
\copy cd04_sample to 'sample2.bin' with (format binary)
\! cmp sample.bin sample2.bin && echo identical files
CREATE TABLE cd04_copy (LIKE cd04_sample);
\copy cd04_copy from 'sample2.bin' with (format binary)
SELECT id, label, flag, amount FROM cd04_copy ORDER BY id;
-- reading binary data into a table of other types fails
CREATE TABLE cd04_wrong (id text, label int, flag int, amount int);
\copy cd04_wrong from 'sample2.bin' (format binary)
DROP TABLE cd04_wrong;
DROP TABLE cd04_sample, cd04_copy;

-- binary data from stdin has no end marker: psql sends the rest of the
-- script as COPY data, so this must be the last command. A temporary table
-- keeps the script clean even though nothing runs after it.
CREATE TEMP TABLE cd04_tmp (id int);
\copy cd04_tmp from stdin (format binary)
\echo 'this line is COPY data, not a command'
\.
SELECT 'not run either' AS x;
