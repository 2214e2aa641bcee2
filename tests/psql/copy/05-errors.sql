-- copy/05-errors: errors in the middle of COPY FROM STDIN data (the error,
-- its CONTEXT line, no rows kept, the rest of the data skipped), and COPY
-- commands the server refuses.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS ce05_reading;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE ce05_reading (id int PRIMARY KEY, sensor text NOT NULL, value numeric CHECK (value >= 0));

-- bad value on line 3
COPY ce05_reading FROM STDIN;
1	s1	1.5
2	s2	2.5
3	s3	lots
4	s4	4.5
\.
SELECT count(*) AS kept_after_bad_value FROM ce05_reading;
-- missing and extra columns
COPY ce05_reading FROM STDIN;
1	s1
\.
COPY ce05_reading FROM STDIN;
1	s1	1	extra
\.
-- constraint failures: CONTEXT names the line
COPY ce05_reading FROM STDIN;
1	s1	1
1	s1	2
\.
COPY ce05_reading FROM STDIN (FORMAT csv);
1,s1,-4
\.
COPY ce05_reading FROM STDIN (FORMAT csv);
1,,4
\.
-- broken csv quoting
COPY ce05_reading FROM STDIN (FORMAT csv);
1,"open quote,4
\.
-- a wrong option
COPY ce05_reading FROM STDIN (FORMAT xml);
COPY ce05_reading FROM STDIN (FORMAT csv, DELIMITER '||');
-- server-side files need privileges this role does not have
COPY ce05_reading FROM '/tmp/ce05-does-not-matter.txt';
COPY ce05_reading TO '/tmp/ce05-does-not-matter.txt';
COPY ce05_reading TO PROGRAM 'cat';
-- a COPY inside a transaction that then fails aborts it
BEGIN;
COPY ce05_reading FROM STDIN;
10	ok	1
\.
COPY ce05_reading FROM STDIN;
11	bad	x
\.
SELECT count(*) FROM ce05_reading;
ROLLBACK;
SELECT count(*) AS rows_at_end FROM ce05_reading;
\echo :LAST_ERROR_SQLSTATE
DROP TABLE ce05_reading;
