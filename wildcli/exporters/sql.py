"""`sql`: the rules as one script for PostgreSQL (`psql -f`) or DuckDB (`duckdb db < file`).

The script (re)creates `wildcli_meta` (dialect, lexicon version), `wildcli_rules` (one row per
rule: id, action, concept, terms, pattern, unless) and two functions: `wildcli_match(text)`,
the rules that fire, and `wildcli_action(text)`, the strongest of their actions ('allow' when
none). A rule fires when `pattern` matches and `unless` does not (`regexrules`). PostgreSQL
matches `normalize(text, NFKC)` with its own regex engine (the POSTGRES dialect), after the
substring tests of `sqlgate`; DuckDB has RE2 but no NFKC, and matches `nfc_normalize(text)`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wildcli.exporters import sqlgate
from wildcli.exporters.base import (
    ExportContext,
    Exporter,
    ExportItem,
    LeftOut,
    Rendering,
    SqlDialect,
    lines_text,
)
from wildcli.exporters.regexrules import FLAGS, POSTGRES, RE2, Dialect, RegexRule, compile_rules, literal

# Controls and line separators are written as chr(n): the file keeps LF line ends only, and
# neither database reads escapes inside a plain string literal.
_UNPRINTABLE = re.compile("([\x00-\x1f\x7f-\x9f\u2028\u2029])")
_TAG = "$wildcli$"
MAX_PATTERN_CHARS = 200_000
"""Rules are split so that no pattern is longer: PostgreSQL refuses 400,000 characters of the
exclusion-heavy rules of --variants as too complex and compiles 200,000 in a few seconds (once
per session, and only when a text holds the rule's anchors); DuckDB's RE2 runs out of memory
at 600,000."""
TOO_LONG = f"is longer than {MAX_PATTERN_CHARS} characters as a pattern with its exclusions"
RANK = "CASE {} WHEN 'block' THEN 3 WHEN 'warn' THEN 2 WHEN 'monitor' THEN 1 END"
ACTION_OF_RANK = "WHEN 3 THEN 'block' WHEN 2 THEN 'warn' WHEN 1 THEN 'monitor' ELSE 'allow' END"


def quote(text: str) -> str:
    """`text` as a string literal that both databases read back unchanged."""
    pieces = []
    for k, piece in enumerate(_UNPRINTABLE.split(text)):
        if k % 2:
            pieces.append(f"chr({ord(piece)})")
        elif piece:
            pieces.append("'" + piece.replace("'", "''") + "'")
    if not pieces:
        return "''"
    return pieces[0] if len(pieces) == 1 else "(" + " || ".join(pieces) + ")"


def dollar_tag(body: str) -> str:
    """A dollar-quote tag that `body` does not hold (anchors are pieces of raw terms)."""
    tag, k = _TAG, 0
    while tag in body:
        k += 1
        tag = f"$wildcli{k}$"
    return tag


def prefilter(rules: Sequence[RegexRule]) -> str:
    """One RE2 pattern that every text some rule fires on matches: each rule's phrases without
    their boundaries. RE2 runs it about as fast as a single phrase, and most texts fail it."""
    return FLAGS + "(?:" + "|".join(sorted({literal(t) for r in rules for t in r.terms})) + ")"


def _header(ctx: ExportContext, dialect: SqlDialect, rules: Sequence[RegexRule]) -> list[str]:
    if dialect is SqlDialect.POSTGRES:
        database, load, lateral = "PostgreSQL", "psql -v ON_ERROR_STOP=1 -d DB -f FILE", "CROSS JOIN LATERAL"
        text = "normalize(text, NFKC), in a UTF8 database with a UTF-8 LC_CTYPE (C.UTF-8 will do)"
    else:
        database, load, lateral = "DuckDB", "duckdb DB < FILE", "CROSS JOIN"
        text = "nfc_normalize(text): DuckDB has no NFKC, so fullwidth and other compatibility forms stay"
    return [
        f"-- wildcli rules for {database}: lexicon {ctx.lexicon_version or 'unknown'}, "
        f"{len(rules)} rule{'' if len(rules) == 1 else 's'}.",
        f"-- Load: {load}",
        "-- Use:  SELECT wildcli_action(title) FROM listings;",
        f"--       SELECT l.id, m.* FROM listings AS l {lateral} wildcli_match(l.title) AS m;",
        "-- A rule fires on a text when its pattern matches and its unless pattern does not;",
        f"-- both functions match {text}.",
        "",
    ]


def _meta(ctx: ExportContext, dialect: SqlDialect) -> list[str]:
    kind = "text" if dialect is SqlDialect.POSTGRES else "VARCHAR"
    create = "CREATE TABLE" if dialect is SqlDialect.POSTGRES else "CREATE OR REPLACE TABLE"
    rows = [("dialect", dialect.value), ("lexicon_version", ctx.lexicon_version or "unknown")]
    values = ",\n".join(f"  ({quote(k)}, {quote(v)})" for k, v in rows)
    return [
        f"{create} wildcli_meta (key {kind} PRIMARY KEY, value {kind} NOT NULL);",
        f"INSERT INTO wildcli_meta (key, value) VALUES\n{values};",
        "",
    ]


def _insert(k: int, rule: RegexRule, dialect: SqlDialect) -> str:
    terms = ", ".join(quote(t) for t in rule.terms)
    values = [str(k), quote(rule.action.value), quote(rule.concept),
              f"ARRAY[{terms}]" if dialect is SqlDialect.POSTGRES else f"[{terms}]",
              quote(rule.pattern), "NULL" if rule.unless is None else quote(rule.unless)]
    columns = "id, action, concept, terms, pattern, unless"
    if dialect is SqlDialect.POSTGRES:
        found = sqlgate.rule_anchors(rule)
        pieces = [f"lower({quote(a)})" if sqlgate.needs_lower(a) else quote(a) for a in found or ()]
        values.append("NULL" if found is None else f"ARRAY[{', '.join(pieces)}]")
        columns += ", anchors"
    return f"INSERT INTO wildcli_rules ({columns}) VALUES ({', '.join(values)});"


def _table(rules: Sequence[RegexRule], dialect: SqlDialect) -> list[str]:
    postgres = dialect is SqlDialect.POSTGRES
    kind = "text" if postgres else "VARCHAR"
    return [
        "CREATE TABLE wildcli_rules (" if postgres else "CREATE OR REPLACE TABLE wildcli_rules (",
        "  id integer PRIMARY KEY,",
        f"  action {kind} NOT NULL CHECK (action IN ('block', 'warn', 'monitor')),",
        f"  concept {kind} NOT NULL,",
        f"  terms {kind}[] NOT NULL,",
        f"  pattern {kind} NOT NULL,",
        f"  unless {kind}" + (",\n  anchors text[]" if postgres else ""),
        ");",
        *(_insert(k, rule, dialect) for k, rule in enumerate(rules, 1)),
        "",
    ]


def _gate_tests(rules: Sequence[RegexRule], fold: str) -> list[str]:
    needs, regexes = sqlgate.gate(rules)
    tests = []
    for need in needs:
        pieces = [fold.format(quote(a)) if sqlgate.needs_lower(a) else quote(a) for a in need]
        held = [f"strpos(key, {piece}) > 0" for piece in pieces]
        tests.append(held[0] if len(held) == 1 else "(" + " AND ".join(held) + ")")
    tests.extend(f"norm ~ {quote(r)}" for r in regexes)
    return tests or ["false"]


def _postgres_match(rules: Sequence[RegexRule]) -> list[str]:
    fold = f"translate(lower({{}}), {quote(sqlgate.FOLD_FROM)}, {quote(sqlgate.FOLD_TO)})"
    tests = _gate_tests(rules, fold)
    body = [
        "#variable_conflict use_column",
        "DECLARE",
        "  norm text := CASE WHEN t IS NFKC NORMALIZED THEN t ELSE normalize(t, NFKC) END;",
        f"  key text := {fold.format('norm')};",
        "  bare text;",
        "BEGIN",
        "  IF norm IS NULL OR NOT (",
        *(f"    {test}" + (" OR" if k < len(tests) - 1 else "") for k, test in enumerate(tests)),
        "  ) THEN",
        "    RETURN;",
        "  END IF;",
        f"  bare := translate(lower(norm), {quote(sqlgate.GAPS)}, '');",
        "  RETURN QUERY",
        "    SELECT r.id, r.action, r.concept",
        "      FROM wildcli_rules AS r",
        "     WHERE CASE WHEN r.anchors IS NULL",
        "                  OR EXISTS (SELECT FROM unnest(r.anchors) AS a WHERE strpos(bare, a) > 0)",
        "                THEN norm ~ r.pattern AND (r.unless IS NULL OR norm !~ r.unless)",
        "                ELSE false END",
        "     ORDER BY r.id;",
        "END",
    ]
    tag = dollar_tag("\n".join(body))
    return [
        "-- The rules that fire on t, in id order (strongest action first). A text that holds no",
        "-- term's anchors (key: lower-cased, look-alikes, separators and spaces folded) and",
        "-- matches no gate regex leaves before any pattern is tried; the others try the rules",
        "-- whose anchors they hold: PostgreSQL's regexes are slow on long alternations.",
        "CREATE FUNCTION wildcli_match(t text)",
        "RETURNS TABLE (rule_id integer, action text, concept text)",
        f"LANGUAGE plpgsql STABLE PARALLEL SAFE AS {tag}",
        *body,
        f"{tag};",
        "",
    ]


def _postgres(rules: Sequence[RegexRule], ctx: ExportContext) -> list[str]:
    return [
        *_header(ctx, SqlDialect.POSTGRES, rules),
        "SET client_encoding = 'UTF8';",
        "BEGIN;",
        "SET LOCAL standard_conforming_strings = on;",
        "SET LOCAL client_min_messages = warning;",
        "",
        "-- The functions need normalize() (PostgreSQL 13), and the patterns the database's character",
        "-- classes: refuse to load where they would not classify non-ASCII letters.",
        f"DO {_TAG}",
        "BEGIN",
        "  IF current_setting('server_version_num')::integer < 130000 THEN",
        "    RAISE EXCEPTION 'wildcli rules need PostgreSQL 13 or later (normalize), not %',",
        "      current_setting('server_version');",
        "  END IF;",
        "  IF current_setting('server_encoding') <> 'UTF8' THEN",
        "    RAISE EXCEPTION 'wildcli rules need a UTF8 database, not %',",
        "      current_setting('server_encoding');",
        "  END IF;",
        "  IF NOT 'é' ~ '^[[:alnum:]]$' THEN",
        "    RAISE EXCEPTION 'wildcli rules need a UTF-8 LC_CTYPE (C.UTF-8 will do), not %',",
        "      current_setting('lc_ctype');",
        "  END IF;",
        "END",
        f"{_TAG};",
        "",
        "DROP FUNCTION IF EXISTS wildcli_action(text);",
        "DROP FUNCTION IF EXISTS wildcli_match(text);",
        "DROP TABLE IF EXISTS wildcli_rules;",
        "DROP TABLE IF EXISTS wildcli_meta;",
        "",
        *_meta(ctx, SqlDialect.POSTGRES),
        "-- anchors: a piece of each term (lower-cased, white space taken out) that lower(text)",
        "-- without white space holds wherever the pattern matches that term (NULL: some term",
        "-- has none): a cheap test before the pattern.",
        *_table(rules, SqlDialect.POSTGRES),
        *_postgres_match(rules),
        "-- The strongest action of the rules that fire on t: block, warn, monitor, else allow.",
        "CREATE FUNCTION wildcli_action(t text) RETURNS text",
        f"LANGUAGE sql STABLE PARALLEL SAFE AS {_TAG}",
        f"  SELECT CASE max({RANK.format('m.action')})",
        f"         {ACTION_OF_RANK}",
        "    FROM wildcli_match(t) AS m",
        f"{_TAG};",
        "",
        "COMMIT;",
    ]


def _duckdb(rules: Sequence[RegexRule], ctx: ExportContext) -> list[str]:
    # Patterns written as constants: DuckDB compiles each once per query. Rules come strongest
    # action first, so the first that fires gives the action.
    cases = [f"    WHEN NOT regexp_matches(nfc_normalize(t), {quote(prefilter(rules))}) THEN 'allow'"]
    for rule in rules:
        fires = f"regexp_matches(nfc_normalize(t), {quote(rule.pattern)})"
        if rule.unless is not None:
            fires += f" AND NOT regexp_matches(nfc_normalize(t), {quote(rule.unless)})"
        cases.append(f"    WHEN {fires} THEN {quote(rule.action.value)}")
    return [
        *_header(ctx, SqlDialect.DUCKDB, rules),
        "BEGIN TRANSACTION;",
        "",
        *_meta(ctx, SqlDialect.DUCKDB),
        *_table(rules, SqlDialect.DUCKDB),
        "-- The rules that fire on t, in id order (strongest action first).",
        "CREATE OR REPLACE MACRO wildcli_match(t) AS TABLE",
        "  SELECT r.id AS rule_id, r.action, r.concept",
        "    FROM wildcli_rules AS r",
        "   WHERE regexp_matches(nfc_normalize(t), r.pattern)",
        "     AND NOT coalesce(regexp_matches(nfc_normalize(t), r.unless), false)",
        "   ORDER BY r.id;",
        "",
        "-- The strongest action of the rules that fire on t: block, warn, monitor, else allow.",
        "CREATE OR REPLACE MACRO wildcli_action(t) AS CASE",
        "    WHEN t IS NULL THEN 'allow'",
        *(cases if rules else []),
        "    ELSE 'allow' END;",
        "",
        "COMMIT;",
    ]


def sql_rules(items: Sequence[ExportItem], dialect: SqlDialect) -> tuple[list[RegexRule], list[LeftOut]]:
    """The rules of the script: a rule whose patterns would be longer than MAX_PATTERN_CHARS
    is split into runs of its items that fit."""
    regex = POSTGRES if dialect is SqlDialect.POSTGRES else RE2
    rules, problems = compile_rules(items, regex)
    pieces = []
    for rule in rules:
        pieces.extend(_split(rule, regex, problems) if _too_long(rule) else [rule])
    return pieces, problems


def _too_long(rule: RegexRule) -> bool:
    return max(len(rule.pattern), len(rule.unless or "")) > MAX_PATTERN_CHARS


def _split(rule: RegexRule, regex: Dialect, problems: list[LeftOut]) -> list[RegexRule]:
    """The rule's items (in its order) in runs of equal length whose patterns fit, as few as a
    few tries find: each try compiles the whole rule once, and the exclusions, written into
    every run, make an exact packing costly."""
    items = list(rule.items)
    runs = max(len(rule.pattern), len(rule.unless or "")) // MAX_PATTERN_CHARS + 1
    while True:
        size = -(-len(items) // runs)
        chunks = [items[k : k + size] for k in range(0, len(items), size)]
        joined = [(chunk, _joined(chunk, regex)) for chunk in chunks]
        if size == 1 or all(piece is not None for _, piece in joined):
            problems.extend(LeftOut(TOO_LONG, chunk[0]) for chunk, piece in joined if piece is None)
            return [piece for _, piece in joined if piece is not None]
        runs *= 2


def _joined(items: Sequence[ExportItem], regex: Dialect) -> RegexRule | None:
    """The items as one rule, if its patterns fit (they share action, concept and judgement)."""
    (rule,), _ = compile_rules(items, regex)
    return None if _too_long(rule) else rule


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    dialect = ctx.options.sql_dialect
    rules, problems = sql_rules(items, dialect)
    lines = _postgres(rules, ctx) if dialect is SqlDialect.POSTGRES else _duckdb(rules, ctx)
    return Rendering((lines_text(lines),), tuple(problems))


EXPORTER = Exporter(
    summary="SQL script for PostgreSQL or DuckDB (--dialect): rules table, wildcli_match, wildcli_action",
    suffix=".sql",
    render_fn=render,
    rules=True, per_action=False,  # one table: each rule carries its action, context and exclusions
)
