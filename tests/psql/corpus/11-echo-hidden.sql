-- 11-echo-hidden: ECHO_HIDDEN shows the catalog queries behind \d commands;
-- "noexec" shows them without running them: a list prints only the query,
-- and \d NAME counts as failed (under ON_ERROR_STOP the script ends
-- silently, exit 3).
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS i11_tiny;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE i11_tiny (id int PRIMARY KEY, label text);

\set ECHO_HIDDEN on
\dt i11_tiny
\di i11_*
-- a command that runs no catalog query shows nothing extra
\echo 'no hidden query for echo'
\set ECHO_HIDDEN noexec
\dt i11_*
\d i11_tiny
\set ECHO_HIDDEN off
\dt i11_*
DROP TABLE i11_tiny;
