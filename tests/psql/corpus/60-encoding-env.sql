-- 60-encoding-env: the ENCODING variable and \encoding, \setenv and \getenv,
-- shell commands with \!.
\echo :ENCODING
\encoding
SHOW client_encoding;
\encoding LATIN1
\echo :ENCODING
SHOW client_encoding;
-- bytes on stdout are now Latin-1, shown through od
\o | od -An -c
SELECT 'Grüße' AS word;
\o
SELECT 'Zürich' AS latin1_output \g (format=unaligned tuples_only=on) | od -An -tx1
-- the script's UTF-8 bytes are now read as Latin-1 characters, so this
-- round-trips byte for byte instead of failing
SELECT '日本' AS not_in_latin1;
\encoding UTF8
\echo :ENCODING
\encoding NO_SUCH_ENCODING
SET client_encoding = 'SQL_ASCII';
\echo :ENCODING
RESET client_encoding;
\echo :ENCODING

\setenv COR4_CORPUS_GREETING 'hello from setenv'
\! echo "$COR4_CORPUS_GREETING"
\getenv greeting COR4_CORPUS_GREETING
\echo :greeting
\setenv COR4_CORPUS_GREETING
\getenv greeting COR4_CORPUS_GREETING
\echo greeting still :greeting
\! echo hi
\! exit 3
\echo 'a failing shell command does not stop the script'
