-- 46-misc-types: uuid, inet/cidr/macaddr, bit strings, xml, tsvector/tsquery,
-- enums, domains, booleans, money, geometric types and char padding.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS p46_devices;
DROP TYPE IF EXISTS p46_status;
DROP DOMAIN IF EXISTS p46_port;
RESET client_min_messages;
\set QUIET :q0
CREATE TYPE p46_status AS ENUM ('offline', 'online', 'retired');
CREATE DOMAIN p46_port AS int CHECK (VALUE BETWEEN 1 AND 65535);
CREATE TABLE p46_devices (
  id uuid, ip inet, net cidr, mac macaddr, mac8 macaddr8,
  flags bit(4), vflags varbit, status p46_status, port p46_port, tag char(5));
INSERT INTO p46_devices VALUES
  ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '192.168.0.10/24', '10.1.0.0/16', '08:00:2b:01:02:03', '08002b0102030405', B'1010', B'1', 'online', 443, 'ab'),
  ('{a0eebc999c0b4ef8bb6d6bb9bd380a12}', '::1', '2001:db8::/32', '0800.2b01.0204', '08:00:2b:ff:fe:01:02:04', B'0001', B'', 'retired', 22, 'abcde');

SELECT id, ip, net, mac, mac8 FROM p46_devices ORDER BY id;
SELECT flags, vflags, status, port, tag, length(tag) AS len, tag || '|' AS concat FROM p46_devices ORDER BY status;
SELECT status, status > 'offline' AS above FROM p46_devices ORDER BY status;
INSERT INTO p46_devices (status) VALUES ('broken');
INSERT INTO p46_devices (port) VALUES (70000);
SELECT 'wifi'::text::p46_status;
SELECT enum_range(NULL::p46_status) AS all_values;

SELECT xmlparse(content '<a x="1">text &amp; more</a><b/>') AS content_xml,
       xmlelement(name item, xmlattributes(5 AS qty), 'pen') AS built;
SELECT xmlparse(document '<unclosed>');
SELECT to_tsvector('english', 'The quick brown foxes jumped') AS tsv,
       to_tsquery('english', 'fox & jump') AS tsq,
       'a:1A fat:2B,4C cat:5D'::tsvector AS raw;
SELECT true AS t, false AS f, NULL::boolean AS n, 'yes'::boolean AS y;
SELECT 12.345::money AS cash, (-1)::money AS negative;
SELECT point(1, 2) AS pt, box(point(0, 0), point(1, 1)) AS bx, circle(point(0, 0), 2) AS c,
       '[(0,0),(1,1),(2,0)]'::path AS open_path, lseg(point(0, 0), point(3, 4)) AS seg;
SELECT 'x'::char AS one_char, 'abc'::varchar(2);
DROP TABLE p46_devices;
DROP TYPE p46_status;
DROP DOMAIN p46_port;
