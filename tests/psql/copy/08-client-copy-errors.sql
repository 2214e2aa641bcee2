-- copy/08-client-copy-errors: \copy with missing files, directories that do
-- not exist, bad syntax, and data errors inside a file.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS ch08_item;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE ch08_item (id int, name text);

\copy ch08_item from 'no-such-file.txt'
\copy ch08_item to 'no/such/dir/out.txt'
\copy ch08_item from 'no/such/dir/in.csv' csv
\copy ch08_item
\copy ch08_item sideways 'x.txt'
\copy ch08_nosuch_table to 'x.txt'
\! test -f x.txt && echo x.txt exists || echo x.txt absent
\copy ch08_item to 'out.txt' with (format nonsense)
\copy ch08_item from '.'

-- a file whose third line is bad: nothing is loaded
\! printf '1\tone\n2\ttwo\nthree\t3\n4\tfour\n' > bad.txt
\copy ch08_item from 'bad.txt'
SELECT count(*) AS loaded FROM ch08_item;
-- a csv file with an unterminated quote
\! printf '1,"open\n' > bad.csv
\copy ch08_item from 'bad.csv' csv
-- the same file is fine as text data (the quote is just a character)
\! printf '5\t"open\n' > ok.txt
\copy ch08_item from 'ok.txt'
SELECT id, name FROM ch08_item ORDER BY id;
DROP TABLE ch08_item;
