-- 41-timezone: the same timestamptz values under different TimeZone settings,
-- including a DST change and POSIX-style offsets.
SET TimeZone = 'UTC';
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS l41_flights;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE l41_flights (code text, departs timestamptz);
INSERT INTO l41_flights VALUES
  ('winter', '2024-01-15 12:00:00+00'),
  ('before-dst', '2024-03-10 06:59:59+00'),
  ('after-dst', '2024-03-10 07:00:00+00'),
  ('summer', '2024-07-04 16:30:00.25+00');

SELECT code, departs FROM l41_flights ORDER BY departs;
SET TimeZone = 'America/New_York';
SHOW TimeZone;
SELECT code, departs, departs::date AS local_date FROM l41_flights ORDER BY departs;
SET TimeZone = '+05:30';
SHOW TimeZone;
SELECT code, departs FROM l41_flights ORDER BY departs;
SET TimeZone = 'UTC+3';
SELECT code, departs FROM l41_flights ORDER BY departs;
SET TimeZone = 'Asia/Kolkata';
SELECT code, departs FROM l41_flights ORDER BY departs;
SET TimeZone = 'Europe/Berlin';
SET DateStyle = 'SQL, DMY';
SELECT code, departs FROM l41_flights ORDER BY departs;
SET DateStyle = 'Postgres, MDY';
SELECT code, departs FROM l41_flights ORDER BY departs;
RESET DateStyle;
SET TIME ZONE INTERVAL '-08:00' HOUR TO MINUTE;
SHOW TimeZone;
SELECT code, departs FROM l41_flights ORDER BY departs;
SET TimeZone = 'Mars/Olympus';
SET TimeZone = 'UTC';
SELECT departs AT TIME ZONE 'Asia/Tokyo' AS tokyo_wallclock FROM l41_flights ORDER BY departs LIMIT 1;
DROP TABLE l41_flights;
