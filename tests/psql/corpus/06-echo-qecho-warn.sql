-- 06-echo-qecho-warn: \echo (with -n), \qecho goes to the \o target,
-- \warn goes to stderr.
\echo plain words   with   spaces
\echo 'quoted   words' and "double quoted"
\echo -n no newline here
\echo ' <- continued'
\echo -n
\echo 'escapes in single quotes:\ttab\\backslash\nnewline'
\echo
\echo 'empty line above'
\warn 'this line goes to stderr'
\warn -n 'stderr without newline'
\warn ''

-- \o sends query output and \qecho to a file; \echo still goes to stdout
\o report.txt
\qecho 'Report header'
SELECT 'row in file' AS what;
\echo 'echo is not redirected'
\qecho -n 'qecho no newline'
\qecho ' end'
\o
\echo '--- report.txt:'
\! cat report.txt

-- \o appends? no: a second \o to the same file truncates it
\o report.txt
\qecho 'second report'
\o
\! cat report.txt

-- \o |command pipes
\o | tr a-z A-Z
SELECT 'piped through tr' AS shout;
\qecho 'qecho piped too'
\o
\echo 'back to stdout'
