-- 62-quit-exit: \q ends the script at once with exit status 0, even after
-- earlier errors and inside an \if branch; the lines after it never run.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS b62_t;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE b62_t (x int);
INSERT INTO b62_t VALUES (1);
SELECT nonexistent FROM b62_t;
DROP TABLE b62_t;
\echo 'errors before \\q do not change the exit status'
\set done true
\if false
  \q
\endif
\echo 'a \\q in a skipped branch is ignored'
\if :done
  \echo 'quitting from inside an if'
  \q
\endif
\echo 'never printed'
SELECT 'never run' AS x;
