-- 52-describe-types: composite types, enums, domains and range types with
-- \dT, \dT+, \dD, \dD+ and \d of a composite type.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TYPE IF EXISTS u52_point3, u52_mood, u52_floatrange CASCADE;
DROP DOMAIN IF EXISTS u52_email, u52_percent CASCADE;
RESET client_min_messages;
\set QUIET :q0

CREATE TYPE u52_point3 AS (x float8, y float8, label text COLLATE "C");
COMMENT ON TYPE u52_point3 IS '3D point';
CREATE TYPE u52_mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE u52_mood ADD VALUE 'ecstatic' AFTER 'happy';
CREATE TYPE u52_floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE DOMAIN u52_email AS text COLLATE "C" NOT NULL CHECK (VALUE LIKE '%@%');
CREATE DOMAIN u52_percent AS numeric(5,2) DEFAULT 0 CONSTRAINT pct_range CHECK (VALUE BETWEEN 0 AND 100);
COMMENT ON DOMAIN u52_percent IS 'zero to a hundred';

\dT u52_*
\dT+ u52_*
\dT+ u52_mood
\d u52_point3
\d+ u52_point3
\dD u52_*
\dD+ u52_*
-- system types need S or an explicit pattern
\dT int4
\dTS int2
\dT pg_catalog.bool
-- a pattern that matches nothing
\dT u52_nothing*
DROP TYPE u52_point3, u52_mood, u52_floatrange;
DROP DOMAIN u52_email, u52_percent;
