-- 05-if-conditionals: \if/\elif/\else/\endif and psql's boolean parsing.
\if true
  \echo 'true is true'
\endif
\if on
  \echo 'on is true'
\endif
\if 1
  \echo '1 is true'
\endif
\if yes
  \echo 'yes is true'
\endif
\if t
  \echo 't is true (prefix of true)'
\endif
\if TRUE
  \echo 'TRUE is true (case-insensitive)'
\endif
\if of
  \echo 'never'
\else
  \echo 'of is false (prefix of off)'
\endif
\if n
  \echo 'never'
\elif 0
  \echo 'never'
\elif false
  \echo 'never'
\elif y
  \echo 'y is true (prefix of yes)'
\else
  \echo 'never'
\endif

-- o alone is ambiguous between on and off
\if o
  \echo 'o was true'
\else
  \echo 'o was false'
\endif
\if maybe
  \echo 'maybe was true'
\else
  \echo 'maybe was false'
\endif

-- a variable that holds a boolean
\set feature off
\if :feature
  \echo 'feature on'
\else
  \echo 'feature off'
\endif

-- :{?var} in \if
\if :{?feature}
  \echo 'feature is defined'
\endif
\if :{?undefined_thing}
  \echo 'never'
\else
  \echo 'undefined_thing is not defined'
\endif

-- nesting, with skipped branches: no variables expanded, no backquotes run
\set level outer
\if true
  \if false
    \echo :level `echo should-not-run`
    \set level changed
    SELECT 'skipped query' AS never;
  \elif true
    \echo 'inner elif taken, level is' :level
  \endif
\else
  \echo 'never' `echo should-not-run-either`
\endif

-- a query-producing boolean
SELECT 2 > 1 AS bigger \gset
\if :bigger
  \echo 'gset boolean t is true'
\endif

-- an SQL statement in a true branch runs, in a false branch it does not
\if false
SELECT 'not run' AS x;
\else
SELECT 'run' AS x;
\endif

-- \elif after \else and a stray \endif are errors
\if false
\else
\elif true
\echo 'still in else branch'
\endif
\endif
\else
\elif true

-- an \if left open at the end of the file
\if true
\echo 'inside an unclosed if'
