-- 14-verbosity: VERBOSITY default, verbose (with LOCATION), terse, sqlstate,
-- applied to the same errors and notices.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS l14_users;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE l14_users (email text UNIQUE, age int CHECK (age >= 0));
INSERT INTO l14_users VALUES ('a@example.org', 30);

\echo '--- default'
INSERT INTO l14_users VALUES ('a@example.org', 31);
SELECT bogus FROM l14_users;
DO $$ BEGIN RAISE NOTICE 'hello' USING DETAIL = 'some detail', HINT = 'a hint'; END $$;

\set VERBOSITY verbose
\echo '--- verbose'
INSERT INTO l14_users VALUES ('a@example.org', 31);
SELECT bogus FROM l14_users;
INSERT INTO l14_users VALUES ('b@example.org', -1);
DO $$ BEGIN RAISE NOTICE 'hello' USING DETAIL = 'some detail', HINT = 'a hint'; END $$;

\set VERBOSITY terse
\echo '--- terse'
INSERT INTO l14_users VALUES ('a@example.org', 31);
SELECT bogus FROM l14_users;
DO $$ BEGIN RAISE NOTICE 'hello' USING DETAIL = 'some detail', HINT = 'a hint'; END $$;

\set VERBOSITY sqlstate
\echo '--- sqlstate'
INSERT INTO l14_users VALUES ('a@example.org', 31);
SELECT bogus FROM l14_users;
DO $$ BEGIN RAISE NOTICE 'hello' USING DETAIL = 'some detail', HINT = 'a hint'; END $$;
DO $$ BEGIN RAISE WARNING 'careful' USING ERRCODE = '01007'; END $$;

\set VERBOSITY wordy
\set VERBOSITY default
\echo '--- default again, then \errverbose repeats the last error verbosely'
SELECT bogus FROM l14_users;
\errverbose
\set VERBOSITY terse
INSERT INTO l14_users VALUES ('a@example.org', 31);
\errverbose
\set VERBOSITY default
DROP TABLE l14_users;
