-- wildcli rules for PostgreSQL: lexicon 2026.11.0-test, 5 rules.
-- Load: psql -v ON_ERROR_STOP=1 -d DB -f FILE
-- Use:  SELECT wildcli_action(title) FROM listings;
--       SELECT l.id, m.* FROM listings AS l CROSS JOIN LATERAL wildcli_match(l.title) AS m;
-- A rule fires on a text when its pattern matches and its unless pattern does not;
-- both functions match normalize(text, NFKC), in a UTF8 database with a UTF-8 LC_CTYPE (C.UTF-8 will do).

SET client_encoding = 'UTF8';
BEGIN;
SET LOCAL standard_conforming_strings = on;
SET LOCAL client_min_messages = warning;

-- The functions need normalize() (PostgreSQL 13), and the patterns the database's character
-- classes: refuse to load where they would not classify non-ASCII letters.
DO $wildcli$
BEGIN
  IF current_setting('server_version_num')::integer < 130000 THEN
    RAISE EXCEPTION 'wildcli rules need PostgreSQL 13 or later (normalize), not %',
      current_setting('server_version');
  END IF;
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'wildcli rules need a UTF8 database, not %',
      current_setting('server_encoding');
  END IF;
  IF NOT 'é' ~ '^[[:alnum:]]$' THEN
    RAISE EXCEPTION 'wildcli rules need a UTF-8 LC_CTYPE (C.UTF-8 will do), not %',
      current_setting('lc_ctype');
  END IF;
END
$wildcli$;

DROP FUNCTION IF EXISTS wildcli_action(text);
DROP FUNCTION IF EXISTS wildcli_match(text);
DROP TABLE IF EXISTS wildcli_rules;
DROP TABLE IF EXISTS wildcli_meta;

CREATE TABLE wildcli_meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO wildcli_meta (key, value) VALUES
  ('dialect', 'postgres'),
  ('lexicon_version', '2026.11.0-test');

-- anchors: a piece of each term (lower-cased, white space taken out) that lower(text)
-- without white space holds wherever the pattern matches that term (NULL: some term
-- has none): a cheap test before the pattern.
CREATE TABLE wildcli_rules (
  id integer PRIMARY KEY,
  action text NOT NULL CHECK (action IN ('block', 'warn', 'monitor')),
  concept text NOT NULL,
  terms text[] NOT NULL,
  pattern text NOT NULL,
  unless text,
  anchors text[]
);
INSERT INTO wildcli_rules (id, action, concept, terms, pattern, unless, anchors) VALUES (1, 'block', 'ivory', ARRAY['elephant ivories', 'elephant ivory', 'ngà voi'], '(?is)(?:^|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:elephant[ \t\n\f\r]+ivories|elephant[ \t\n\f\r]+ivory|ngà[ \t\n\f\r]+voi)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])', NULL, ARRAY['elephantivories', 'elephantivory', 'ngàvoi']);
INSERT INTO wildcli_rules (id, action, concept, terms, pattern, unless, anchors) VALUES (2, 'block', 'ivory', ARRAY['象牙'], '(?is)(?:象牙)', '(?is)(?:(?:(?:象牙).{0,99}(?:象牙[ \t\n\f\r]+白|象牙白)|(?:象牙[ \t\n\f\r]+白|象牙白).{0,99}(?:象牙))|(?:象牙[ \t\n\f\r]+白|象牙白))', ARRAY['象牙']);
INSERT INTO wildcli_rules (id, action, concept, terms, pattern, unless, anchors) VALUES (3, 'block', 'rhino_horn', ARRAY['rhinoceros horns', 'rhinoceros horn', 'sừng tê giác', 'rhino horns', 'rhino horn', '🦏🔪'], '(?is)(?:(?:🦏🔪)|(?:^|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:sừng[ \t\n\f\r]+tê[ \t\n\f\r]+giác|rhinoceros[ \t\n\f\r]+horns|rhinoceros[ \t\n\f\r]+horn|rhino[ \t\n\f\r]+horns|rhino[ \t\n\f\r]+horn)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]))', NULL, ARRAY['rhinoceroshorn', 'rhinohorn', 'sừngtêgiác', '🦏🔪']);
INSERT INTO wildcli_rules (id, action, concept, terms, pattern, unless, anchors) VALUES (4, 'warn', 'ivory', ARRAY['genuine antique hand carved elephant ivory bangle from an old estate collection with certificate of origin and a receipt from the nineteen seventies', 'hand-carved-antique-elephant-ivory-bangle-from-an-old-estate-collection-with-certificate', 'one two three four five six seven eight nine ten eleven', 'ivory "white" (gold)', 'back\slash ivory', 'слоновая кость', 'iv.ory|tu*sk?', 'ivory, carved', 'tusk => ivory', '#ivorytrade', (chr(9) || 'ivory tab'), '=IVORY(1)', 'عاج الفيل', ('ivory' || chr(13) || 'cr'), 'vòng ngà', '-ivory-', 'Ivories', 'nga voi', '+ivory', 'งาช้าง', 'Ivory', 'ivory', '象牙,手镯'], '(?is)(?:(?:=IVORY\(1\)|-ivory-|งาช้าง|象牙,手镯)|(?:#ivorytrade|\+ivory)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])|(?:^|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:ivory[ \t\n\f\r]+"white"[ \t\n\f\r]+\(gold\)|iv\.ory\|tu\*sk\?)|(?:^|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:genuine[ \t\n\f\r]+antique[ \t\n\f\r]+hand[ \t\n\f\r]+carved[ \t\n\f\r]+elephant[ \t\n\f\r]+ivory[ \t\n\f\r]+bangle[ \t\n\f\r]+from[ \t\n\f\r]+an[ \t\n\f\r]+old[ \t\n\f\r]+estate[ \t\n\f\r]+collection[ \t\n\f\r]+with[ \t\n\f\r]+certificate[ \t\n\f\r]+of[ \t\n\f\r]+origin[ \t\n\f\r]+and[ \t\n\f\r]+a[ \t\n\f\r]+receipt[ \t\n\f\r]+from[ \t\n\f\r]+the[ \t\n\f\r]+nineteen[ \t\n\f\r]+seventies|one[ \t\n\f\r]+two[ \t\n\f\r]+three[ \t\n\f\r]+four[ \t\n\f\r]+five[ \t\n\f\r]+six[ \t\n\f\r]+seven[ \t\n\f\r]+eight[ \t\n\f\r]+nine[ \t\n\f\r]+ten[ \t\n\f\r]+eleven|hand-carved-antique-elephant-ivory-bangle-from-an-old-estate-collection-with-certificate|tusk[ \t\n\f\r]+=>[ \t\n\f\r]+ivory|back\\slash[ \t\n\f\r]+ivory|слоновая[ \t\n\f\r]+кость|ivory,[ \t\n\f\r]+carved|ivory[ \t\n\f\r]+tab|عاج[ \t\n\f\r]+الفيل|ivory[ \t\n\f\r]+cr|vòng[ \t\n\f\r]+ngà|nga[ \t\n\f\r]+voi|Ivories|Ivory)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]))', NULL, ARRAY[lower('Ivories'), lower('Ivory'), 'iv.ory|tu*sk?', 'ivory', 'ngavoi', 'onetwothreefourfivesixseveneightnineteneleven', 'vòngngà', 'слоноваякость', 'عاجالفيل', 'งาช้าง', '象牙,手镯']);
INSERT INTO wildcli_rules (id, action, concept, terms, pattern, unless, anchors) VALUES (5, 'warn', 'ivory', ARRAY['bovine bone'], '(?is)(?:^|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:bovine[ \t\n\f\r]+bone)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])', '(?is)(?:(?:(?:^|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:bovine[ \t\n\f\r]+bone)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:.{0,98}[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])?(?:bovine[ \t\n\f\r]+bone[ \t\n\f\r]+graft|broth)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])|(?:^|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:bovine[ \t\n\f\r]+bone[ \t\n\f\r]+graft|broth)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:.{0,98}[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])?(?:bovine[ \t\n\f\r]+bone)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]))|(?:^|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f])(?:bovine[ \t\n\f\r]+bone[ \t\n\f\r]+graft)(?:$|[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]))', ARRAY['bovinebone']);

-- The rules that fire on t, in id order (strongest action first). A text that holds no
-- term's anchors (key: lower-cased, look-alikes, separators and spaces folded) and
-- matches no gate regex leaves before any pattern is tried; the others try the rules
-- whose anchors they hold: PostgreSQL's regexes are slow on long alternations.
CREATE FUNCTION wildcli_match(t text)
RETURNS TABLE (rule_id integer, action text, concept text)
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $wildcli$
#variable_conflict use_column
DECLARE
  norm text := CASE WHEN t IS NFKC NORMALIZED THEN t ELSE normalize(t, NFKC) END;
  key text := translate(lower(norm), ('013457@$!асԁеһіјорѕѵԝху.-_* ' || chr(9) || chr(10) || chr(12) || chr(13)), 'oieastasiacdehijopsvwxy');
  bare text;
BEGIN
  IF norm IS NULL OR NOT (
    strpos(key, translate(lower('Ivories'), ('013457@$!асԁеһіјорѕѵԝху.-_* ' || chr(9) || chr(10) || chr(12) || chr(13)), 'oieastasiacdehijopsvwxy')) > 0 OR
    strpos(key, translate(lower('Ivory'), ('013457@$!асԁеһіјорѕѵԝху.-_* ' || chr(9) || chr(10) || chr(12) || chr(13)), 'oieastasiacdehijopsvwxy')) > 0 OR
    strpos(key, 'bovinebone') > 0 OR
    strpos(key, 'cлoнoвaякocть') > 0 OR
    strpos(key, 'elephantivories') > 0 OR
    strpos(key, 'ivory') > 0 OR
    strpos(key, 'ngavoi') > 0 OR
    strpos(key, 'ngàvoi') > 0 OR
    strpos(key, 'onetwothreefourfivesixseveneightnineteneleven') > 0 OR
    strpos(key, 'rhinoceroshorn') > 0 OR
    strpos(key, 'rhinohorn') > 0 OR
    strpos(key, 'sừngtêgiác') > 0 OR
    strpos(key, 'vòngngà') > 0 OR
    strpos(key, 'عاجالفيل') > 0 OR
    strpos(key, 'งาช้าง') > 0 OR
    strpos(key, '象牙') > 0 OR
    strpos(key, '🦏🔪') > 0
  ) THEN
    RETURN;
  END IF;
  bare := translate(lower(norm), (' ' || chr(9) || chr(10) || chr(12) || chr(13)), '');
  RETURN QUERY
    SELECT r.id, r.action, r.concept
      FROM wildcli_rules AS r
     WHERE CASE WHEN r.anchors IS NULL
                  OR EXISTS (SELECT FROM unnest(r.anchors) AS a WHERE strpos(bare, a) > 0)
                THEN norm ~ r.pattern AND (r.unless IS NULL OR norm !~ r.unless)
                ELSE false END
     ORDER BY r.id;
END
$wildcli$;

-- The strongest action of the rules that fire on t: block, warn, monitor, else allow.
CREATE FUNCTION wildcli_action(t text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $wildcli$
  SELECT CASE max(CASE m.action WHEN 'block' THEN 3 WHEN 'warn' THEN 2 WHEN 'monitor' THEN 1 END)
         WHEN 3 THEN 'block' WHEN 2 THEN 'warn' WHEN 1 THEN 'monitor' ELSE 'allow' END
    FROM wildcli_match(t) AS m
$wildcli$;

COMMIT;
