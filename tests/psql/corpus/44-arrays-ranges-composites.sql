-- 44-arrays-ranges-composites: array, range, multirange and composite output,
-- including quoting of elements with spaces, commas, quotes and NULLs.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS n44_bookings;
DROP TYPE IF EXISTS n44_address;
RESET client_min_messages;
\set QUIET :q0
CREATE TYPE n44_address AS (street text, num int, zip text);
CREATE TABLE n44_bookings (id int, rooms int[], guests text[], stay daterange, addr n44_address, grid int[][]);
INSERT INTO n44_bookings VALUES
  (1, '{101,102}', '{"Ann Lee","O''Hara","x,y"}', '[2024-05-01,2024-05-04)', ROW('Main St', 5, '01234'), '{{1,2},{3,4}}'),
  (2, '{}', '{NULL,"","quote\"d","back\\slash"}', 'empty', ROW(NULL, NULL, ''), NULL),
  (3, NULL, '{plain}', '[2024-06-01,)', ROW('Elm "Old" Road, North', 7, NULL), '{{5}}');

SELECT id, rooms, guests, stay FROM n44_bookings ORDER BY id;
SELECT id, addr, (addr).street, grid FROM n44_bookings ORDER BY id;
SELECT id, addr.* FROM n44_bookings, LATERAL (SELECT (n44_bookings.addr).*) addr ORDER BY id;
SELECT '[1:3]={7,8,9}'::int[] AS lower_bound, ARRAY[1.5, NULL, 3] AS nums, ARRAY[[true, false]] AS bools;
SELECT int4range(1, 10) AS r1, numrange(1.5, 2.5, '(]') AS r2, tstzrange(NULL, NULL) AS unbounded, int8range(5, 5) AS empty;
SELECT '{[1,3), [7,9)}'::int4multirange AS multi, '{}'::int4multirange AS none;
SELECT ROW(1, 'two', NULL, ARRAY['a b']) AS anon_row, ROW() AS empty_row;
SELECT array_agg(id ORDER BY id) AS ids, array_length(guests, 1) AS n FROM n44_bookings GROUP BY 2 ORDER BY 2;
SELECT unnest(guests) AS guest FROM n44_bookings WHERE id = 2;
SELECT '{1,2'::int[];
DROP TABLE n44_bookings;
DROP TYPE n44_address;
