-- 16-fetch-count: FETCH_COUNT fetches results through a cursor in chunks;
-- aligned output computes column widths per chunk and prints the header once.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS n16_words;
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE n16_words (id int, word text);
INSERT INTO n16_words VALUES
  (1, 'a'), (2, 'bb'), (3, 'ccc'), (4, 'a much longer word'), (5, 'e'),
  (6, 'ff'), (7, 'ggggggggggggggggggggggggggggg'), (8, 'h'), (9, 'ii'),
  (10, 'j'), (11, 'kk');

\set FETCH_COUNT 4
SELECT id, word FROM n16_words ORDER BY id;

-- an exact multiple of the chunk size
SELECT id, word FROM n16_words WHERE id <= 8 ORDER BY id;

-- zero rows
SELECT id, word FROM n16_words WHERE id > 100;

-- other formats with FETCH_COUNT
\pset format unaligned
SELECT id, word FROM n16_words WHERE id > 6 ORDER BY id;
\pset format aligned
\pset border 2
SELECT id, word FROM n16_words WHERE id < 7 ORDER BY id;
\pset border 1
\x on
SELECT id, word FROM n16_words WHERE id < 7 ORDER BY id;
\x off

-- an error after the first chunk was printed: the rows fetched so far show,
-- the failing chunk does not
SELECT g, 10 / (7 - g) AS q FROM generate_series(1, 11) g;

-- non-SELECT statements are not affected
UPDATE n16_words SET word = upper(word) WHERE id < 3;
\unset FETCH_COUNT
SELECT id, word FROM n16_words ORDER BY id;
DROP TABLE n16_words;
