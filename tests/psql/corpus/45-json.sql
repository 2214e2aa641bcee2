-- 45-json: json keeps the input text, jsonb normalises; pretty printing and
-- nested values in aligned, expanded and csv output.
\set q0 :QUIET
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS o45_docs;
RESET client_min_messages;
\set QUIET :q0
CREATE TABLE o45_docs (id int, j json, jb jsonb);
INSERT INTO o45_docs VALUES
  (1, '{"b": 1,  "a": [1, 2, {"c": null}], "a": "dup"}', '{"b": 1,  "a": [1, 2, {"c": null}], "a": "dup"}'),
  (2, '"just a string with \"quotes\" and \u00e4"', '"just a string with \"quotes\" and \u00e4"'),
  (3, '[1.50, 2e3, true, false, null]', '[1.50, 2e3, true, false, null]'),
  (4, '{"nested": {"deeper": {"deepest": ["x", {"y": "z"}]}}}', '{"nested": {"deeper": {"deepest": ["x", {"y": "z"}]}}}');

SELECT id, j, jb FROM o45_docs ORDER BY id;
SELECT id, jsonb_pretty(jb) FROM o45_docs ORDER BY id;
\x on
SELECT id, jsonb_pretty(jb) AS pretty FROM o45_docs WHERE id IN (1, 4) ORDER BY id;
\x off
SELECT id, jb FROM o45_docs ORDER BY id \g (format=csv)
SELECT jb -> 'nested' -> 'deeper' AS arrow, jb #>> '{nested,deeper,deepest,1,y}' AS path_text
  FROM o45_docs WHERE id = 4;
SELECT jsonb_build_object('k', 1, 'list', jsonb_build_array('a', NULL)) AS built,
       json_agg(x ORDER BY x) AS agg
  FROM generate_series(1, 3) x;
SELECT key, value FROM jsonb_each('{"x": 1, "y": [true], "z": {"q": "r"}}') ORDER BY key;
SELECT '{"a": }'::jsonb;
DROP TABLE o45_docs;
