-- 04-variables: \set, \unset and the interpolation forms.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS "v04 Orders";
RESET client_min_messages;
\set QUIET :q0

\set tbl 'v04 Orders'
\set customer 'O''Brien'
\set minimum 10
CREATE TABLE :"tbl" (customer text, amount int);
INSERT INTO :"tbl" VALUES (:'customer', 25), ('Smith', 5), (:'customer', :minimum);
SELECT customer, amount FROM :"tbl" WHERE amount >= :minimum ORDER BY amount;

-- several arguments are concatenated without spaces
\set joined one two 'three four' five
\echo :joined
\set empty
\echo [:empty]

-- :{?name} tests whether a variable is set
\echo minimum set: :{?minimum}, nothing set: :{?nothing}

-- unknown variables are left as typed
\echo :nothing :'nothing' :"nothing"
SELECT ':nothing' AS inside_quotes, $$:minimum$$ AS inside_dollars, ':minimum' AS plain;
-- a colon-typecast is not a variable
SELECT '7'::int AS cast_value, :minimum::text AS var_cast;

-- interpolation in identifiers and literals escapes correctly
\set weird 'a"b''c'
SELECT :'weird' AS literal, 1 AS :"weird";

-- backquotes run a shell command
\set greeting `echo hi there`
\echo :greeting
\set twolines `printf 'x\ny\n'`
\echo [:twolines]
-- a variable inside backquotes is expanded
\set word shell
\set out `echo :word says hi`
\echo :out

-- quoting forms in \set values
\set q1 'single ''quoted'' text'
\set q2 "double"
\set q3 'tab\tand\\backslash'
\echo :q1 :q2 :q3
-- an unterminated quote is an error, yet the variable is still set
\set broken O'Brien
\echo [:broken] :{?broken}
\set partly 'a' 'b
\echo [:partly]

-- \unset removes; the name then echoes as typed
\unset customer
\echo :customer :{?customer}
-- a name may start with a digit; one with a dash is invalid
\set 1abc foo
\echo :1abc
\set a-b foo

DROP TABLE :"tbl";
