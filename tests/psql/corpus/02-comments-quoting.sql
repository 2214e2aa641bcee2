-- 02-comments-quoting: comments, nested block comments, dollar quotes,
-- E'' strings and semicolons inside quotes do not end a statement.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS c02_notes;
DROP FUNCTION IF EXISTS c02_shout(text);
RESET client_min_messages;
\set QUIET :q0

CREATE TABLE c02_notes (id int, body text); -- trailing comment
-- a whole-line comment; with a semicolon;
INSERT INTO c02_notes VALUES
  (1, 'semi;colon'),          -- semicolon inside a literal
  (2, 'it''s quoted'),
  (3, E'tab\there'),
  (4, E'new\nline'),
  (5, E'back\\slash and \x41\101 and \u00e4'),
  (6, $$dollar ; quoted 'text'$$),
  (7, $tag$with $$ inside$tag$);

/* a block comment; spanning
   two lines */
SELECT id, body FROM c02_notes /* inline; comment */ ORDER BY id;

/* nested /* block */ comment; still a comment */
SELECT 'after nested comment' AS result;

SELECT /* comment /* nested */ inside */ 42 AS answer;

-- a function body with semicolons inside dollar quotes
CREATE FUNCTION c02_shout(t text) RETURNS text
LANGUAGE plpgsql AS $body$
BEGIN
  -- comment inside the body; ignored by psql
  RETURN upper(t) || '!';
END;
$body$;
SELECT c02_shout('hello; world');

-- quoted identifiers with semicolons and spaces
SELECT 1 AS "semi;colon", 2 AS "two words", 3 AS "quote""d";

-- a string that looks like a comment
SELECT '-- not a comment' AS a, '/* nor this */' AS b;

-- E string with an escaped quote and dollar signs in an ordinary literal
SELECT E'it\'s' AS e_quote, 'cost: $5' AS dollars, $$$$ AS empty_dollar;

DROP FUNCTION c02_shout(text);
DROP TABLE c02_notes;
