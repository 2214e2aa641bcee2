-- 12-quiet: QUIET suppresses command tags and informational messages but
-- not query results, notices or errors.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS j12_tags;
RESET client_min_messages;
\set QUIET off

CREATE TABLE j12_tags (t text);
INSERT INTO j12_tags VALUES ('a'), ('b');
\set QUIET on
INSERT INTO j12_tags VALUES ('c');
UPDATE j12_tags SET t = upper(t);
SELECT t FROM j12_tags ORDER BY t;
DO $$ BEGIN RAISE NOTICE 'notices still show when quiet'; END $$;
SELECT missing FROM j12_tags;
\p
\r
\echo QUIET is :QUIET
\set QUIET off
DELETE FROM j12_tags WHERE t = 'A';
\r
DROP TABLE j12_tags;
\set QUIET :q0
