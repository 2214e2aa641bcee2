-- 34-wide-chars-alignment: column widths with accented and double-width
-- characters, and which types are right-aligned.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS e34_shop;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE e34_shop (name text, city text, price money, qty int2, weight real, code oid);
INSERT INTO e34_shop VALUES
  ('Käse', 'Zürich', 12.5, 3, 0.25, 42),
  ('日本茶', '東京', 1200, 10, 1.5, 7),
  ('tea', 'ⓐⓑⓒ', 3.99, -2, 100, 123456);

SELECT * FROM e34_shop ORDER BY name;
\pset border 2
SELECT * FROM e34_shop ORDER BY name;
\x on
SELECT * FROM e34_shop ORDER BY name;
\x off
\pset border 1
\pset format wrapped
\pset columns 30
SELECT name, city FROM e34_shop ORDER BY name;
\pset columns 0
\pset format aligned
-- headers wider than data, and wide headers
SELECT 'x' AS "名前", 1 AS "数量数量数量";

-- right alignment: numbers, money, oid, xid, cid; left: text, bool, date
SELECT 1::int2 AS i2, 22::int4 AS i4, 333::int8 AS i8, 4.5::numeric AS num,
       5.5::float4 AS f4, 6.25::float8 AS f8, 7::oid AS an_oid,
       '8'::xid AS an_xid, '9'::cid AS a_cid, 10::money AS cash,
       'txt'::text AS t, true AS b, '2024-01-02'::date AS d, 'x'::"char" AS ch;
SELECT * FROM (VALUES (1::int, 'a'::text), (1000000, 'bbbbbbbbbb')) v(n, s);
SELECT '12'::text AS text_digits, 12 AS int_digits;
-- unaligned and csv are not padded
SELECT * FROM e34_shop ORDER BY name \g (format=unaligned)
SELECT * FROM e34_shop ORDER BY name \g (format=csv)
DROP TABLE e34_shop;
