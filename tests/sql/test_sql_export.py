"""The sql export loaded into a real PostgreSQL and DuckDB, against RE2 applying the same rules.

The reference is `wildcli.simulation.appliers.Regexes` over the rules compiled in the RE2
dialect, given the text as each database's functions normalise it: NFC for DuckDB (RE2 too,
so it must agree on every text) and NFKC for PostgreSQL. PostgreSQL runs its own regex engine
on its own character tables, so a few documented differences remain (`PG_DIFFERENCES`):

- case: RE2 folds whole Unicode orbits, PostgreSQL compares a character with its lower and
  upper case only: ẞ (capital sharp s) matches ß and a medial σ a final ς in RE2 only, while
  I matches the dotless ı (whose upper case it is) in PostgreSQL only;
- word boundaries: RE2 counts letters, digits and marks (\\p{L}\\p{N}\\p{M}) as word
  characters, PostgreSQL its locale's [:alnum:] and the combining diacritical blocks, which
  leaves out a few marks of other scripts (a Devanagari virama, a Hebrew point).

Texts where NFKC changes the outcome (fullwidth letters, a no-break space) are not
differences: both sides see the NFKC text.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, EXAMPLES
from tests.sql.server import Server
from wildcli.exporters import ExportFormat, RenderOptions, sql
from wildcli.exporters.base import SqlDialect
from wildcli.exporters.regexrules import POSTGRES, RE2, any_chars, compile_rules
from wildcli.exporters.selection import ExportOptions, ExportResult, render_export, select_items
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.lexicon.actions import Action
from wildcli.simulation import load_applier
from wildcli.simulation.appliers import Regexes, RegexRuleRead

FIXTURE = Path(__file__).resolve().parent / "data" / "lexicon"

# Rows at the window's edge: "tiger claw" and "pendant" (window 15) this many characters apart.
GAPS = [" " * n for n in (1, 13, 14, 15, 16)] + [" " + "x" * (n - 2) + " " for n in (12, 13, 14, 15, 16)]

TEXTS = [
    # word boundaries
    "ivory", "Ivory.", "IVORY!", "(ivory)", "xivory", "ivoryx", "ivory2", "2ivory", "象牙ivory", "ivory象牙",
    "ivory\u0301", "ivory\u0332", "\u0332ivory", "ivory\u200b", "ivory_x", "ivory-x", "#ivory", "ivory's",
    # context in both orders, at the window's edge
    *(f"tiger claw{gap}pendant" for gap in GAPS), *(f"pendant{gap}tiger claw" for gap in GAPS),
    "white gold", "carved white gold", "white gold, dm for price", "dm for price " + "x" * 20 + " white gold",
    # exclusions near the term and covering it
    "ivory tower", "the ivory tower of academia", "ivory soap", "soap " + "y" * 80 + " ivory",
    "soap " + "y" * 120 + " ivory", "ivory " + "z" * 97 + " soap", "ivory tower and carved ivory",
    "ngà voi", "màu ngà voi", "màu ngà", "bán ngà voi thật", "nga\u0300 voi", "NGÀ VOI",
    "象牙", "象牙白", "象牙手镯", "象牙白的象牙", "tiger bone", "tiger bone wine label", "tiger bone wine",
    "elephant ivory", "elephant  ivory", "elephant\tivory", "elephant\nivory", "elephant\u00a0ivory",
    "elephant\u2028ivory", "elephant\vivory", "ｅｌｅｐｈａｎｔ ｉｖｏｒｙ", "elephant ivory tower",
    # quotes, backslashes and regex metacharacters in terms
    "o'brien's \"tusk\"", "O'BRIEN'S \"TUSK\"", "o'brien's tusk", "back\\slash ivory", "back\\\\slash ivory",
    "backslash ivory", "iv.ory|tu*sk?", "ivXory|tuusk", "iv.ory|tu*sk", "IV.ORY|TU*SK?",
    # other scripts and cases
    "слоновая кость", "СЛОНОВАЯ КОСТЬ", "слоновая  кость", "слоновая кость!", "слоноваякость",
    "weißes Elfenbein", "WEISSES ELFENBEIN", "χαυλιόδοντας", "ΧΑΥΛΙΌΔΟΝΤΑΣ", "🐘🦷", "🐘🦷🐘🦷", "🐘 🦷",
    "İVORY", "ıvory", "ivory\u094d", "ivory\ufe0f",
    # sizes
    "", " ", "x" * 5000 + " ivory", "elephant ivory " + "w" * 5000,
]

PG_DIFFERENCES = {"WEIẞES ELFENBEIN", "χαυλιόδοντασ", "ivory\u094d"}
"""Texts on which PostgreSQL is expected to differ from RE2 (see the module docstring)."""
TEXTS += sorted(PG_DIFFERENCES - set(TEXTS))


def export(lexicon: Lexicon, dialect: SqlDialect, **options: Any) -> ExportResult:
    return render_export(lexicon, ExportFormat.SQL, ExportOptions(render=RenderOptions(sql_dialect=dialect), **options))


def reference(lexicon: Lexicon, **options: Any) -> Regexes:
    """RE2 applying the rules the export holds, as `regex` would."""
    items = select_items(lexicon, ExportOptions(**options)).items
    rules, _ = sql.sql_rules(items, SqlDialect.DUCKDB)
    return Regexes(RegexRuleRead(r.action, r.concept, r.pattern, r.unless) for r in rules)


def pg_actions(conn: Any, script: str, texts: list[str]) -> list[str]:
    conn.execute(script)
    rows = conn.execute(
        "SELECT wildcli_action(t) FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n", [texts]
    ).fetchall()
    return [r[0] for r in rows]


def duck_actions(conn: Any, script: str, texts: list[str]) -> list[str]:
    conn.execute(script)
    rows = conn.execute("SELECT wildcli_action(t) FROM unnest(?) WITH ORDINALITY AS u(t, n) ORDER BY n", [texts])
    return [r[0] for r in rows.fetchall()]


@pytest.fixture(scope="module")
def fixture_lexicon() -> Lexicon:
    return load_lexicon([FIXTURE])


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return load_lexicon()


def sample_texts() -> list[str]:
    texts = []
    with (EXAMPLES / "listings.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts.extend(str(record[k]) for k in ("title", "description") if record.get(k))
    return texts


QUOTED = ["", "'", "''", "\\", "a'b\\c''d", "tab\there", "line\nbreak", "cr\rlf\n", "\x01\x1f\x7f", "\u0085",
          "\u2028\u2029", "é e\u0301", "象牙", "🐘🦷", "$wildcli$", "$$", "-- not a comment", "/* nor */", ";"]


def test_quoted_strings_read_back_in_both_databases(pg: Any, duck: Any) -> None:
    for text in QUOTED:
        literal = sql.quote(text)
        assert "\n" not in literal
        assert "\r" not in literal
        assert pg.execute(f"SELECT {literal}").fetchone()[0] == text
        assert duck.execute(f"SELECT {literal}").fetchone()[0] == text


@pytest.mark.parametrize("dialect", list(SqlDialect))
def test_script_is_deterministic_with_lf_line_ends(fixture_lexicon: Lexicon, dialect: SqlDialect) -> None:
    first = export(fixture_lexicon, dialect, include_contextual=True).texts()
    assert first == export(fixture_lexicon, dialect, include_contextual=True).texts()
    assert "\r" not in first
    assert first.endswith(";\n")
    assert "\u2028" not in first
    assert "\u0085" not in first
    assert f"lexicon {fixture_lexicon.version}" in first.splitlines()[0]


def test_psql_loads_the_script_twice(postgres: Server, pg: Any, fixture_lexicon: Lexicon, tmp_path: Path) -> None:
    path = tmp_path / "wildcli.sql"
    path.write_text(export(fixture_lexicon, SqlDialect.POSTGRES).texts(), encoding="utf-8")
    schema = pg.execute("SELECT current_schema()").fetchone()[0]
    for _ in range(2):
        done = postgres.psql("-At", "-v", "ON_ERROR_STOP=1", "-c", f"SET search_path = {schema}", "-f", str(path),
                             "-c", "SELECT wildcli_action('carved elephant ivory')")
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["block"]
        assert done.stderr == ""
    meta = dict(pg.execute("SELECT key, value FROM wildcli_meta").fetchall())
    assert meta == {"dialect": "postgres", "lexicon_version": fixture_lexicon.version}


def test_duckdb_loads_the_script_twice(duck: Any, fixture_lexicon: Lexicon) -> None:
    script = export(fixture_lexicon, SqlDialect.DUCKDB).texts()
    for _ in range(2):
        duck.execute(script)
    assert duck.execute("SELECT wildcli_action('carved elephant ivory')").fetchone() == ("block",)
    assert duck.execute("SELECT count(*) FROM wildcli_rules").fetchone()[0] > 0
    meta = dict(duck.execute("SELECT key, value FROM wildcli_meta").fetchall())
    assert meta == {"dialect": "duckdb", "lexicon_version": fixture_lexicon.version}


def test_postgres_refuses_a_database_without_utf8_classes(postgres: Server, fixture_lexicon: Lexicon) -> None:
    with postgres.connect() as conn:
        conn.execute("DROP DATABASE IF EXISTS wildcli_c_ctype")
        conn.execute("CREATE DATABASE wildcli_c_ctype TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C' LC_COLLATE 'C'")
    import psycopg

    with (
        postgres.connect(dbname="wildcli_c_ctype") as conn,
        pytest.raises(psycopg.errors.RaiseException, match="UTF-8 LC_CTYPE"),
    ):
        conn.execute(export(fixture_lexicon, SqlDialect.POSTGRES).texts())
    with postgres.connect() as conn:
        conn.execute("DROP DATABASE wildcli_c_ctype")


def _compare(texts: list[str], got: list[str], ref: Regexes, form: str) -> list[tuple[str, str, str]]:
    want = [ref.apply(unicodedata.normalize(form, t)).action.value for t in texts]
    return [(t, g, w) for t, g, w in zip(texts, got, want, strict=True) if g != w]


def test_actions_agree_with_re2_on_crafted_texts(pg: Any, duck: Any, fixture_lexicon: Lexicon) -> None:
    ref = reference(fixture_lexicon, include_contextual=True)
    postgres = pg_actions(pg, export(fixture_lexicon, SqlDialect.POSTGRES, include_contextual=True).texts(), TEXTS)
    duckdb = duck_actions(duck, export(fixture_lexicon, SqlDialect.DUCKDB, include_contextual=True).texts(), TEXTS)
    assert _compare(TEXTS, duckdb, ref, "NFC") == []
    differences = _compare(TEXTS, postgres, ref, "NFKC")
    assert {t for t, _, _ in differences} == PG_DIFFERENCES, differences
    # The crafted texts reach every action, so agreement is not agreement on 'allow'.
    assert set(duckdb) == {a.value for a in Action} - {"monitor"}


def test_matched_rules_agree_with_re2(pg: Any, duck: Any, fixture_lexicon: Lexicon) -> None:
    """wildcli_match names the same rules as RE2 does (ids follow the compile order)."""
    items = select_items(fixture_lexicon, ExportOptions(include_contextual=True)).items
    rules, _ = sql.sql_rules(items, SqlDialect.DUCKDB)
    assert len(rules) == len(sql.sql_rules(items, SqlDialect.POSTGRES)[0])
    pg.execute(export(fixture_lexicon, SqlDialect.POSTGRES, include_contextual=True).texts())
    duck.execute(export(fixture_lexicon, SqlDialect.DUCKDB, include_contextual=True).texts())
    index = {r.pattern: k for k, r in enumerate(rules, 1)}
    ref = Regexes(RegexRuleRead(r.action, r.concept, r.pattern, r.unless) for r in rules)
    for text in TEXTS:
        if text in PG_DIFFERENCES:
            continue
        want_pg = sorted(index[f.entry] for f in ref.apply(unicodedata.normalize("NFKC", text)).fired)
        want_duck = sorted(index[f.entry] for f in ref.apply(unicodedata.normalize("NFC", text)).fired)
        got_pg = [r[0] for r in pg.execute("SELECT rule_id FROM wildcli_match(%s)", [text]).fetchall()]
        got_duck = [r[0] for r in duck.execute("SELECT rule_id FROM wildcli_match(?)", [text]).fetchall()]
        assert (got_pg, got_duck) == (want_pg, want_duck), text


@pytest.fixture(scope="module")
def bundled_reference(bundled: Lexicon) -> Regexes:
    return reference(bundled)  # 15 s to compile: built once for the tests below on one process


def test_bundled_lexicon_agrees_on_the_sample(pg: Any, duck: Any, bundled: Lexicon, bundled_reference: Regexes) -> None:
    texts = sample_texts()
    ref = bundled_reference
    postgres = pg_actions(pg, export(bundled, SqlDialect.POSTGRES).texts(), texts)
    duckdb = duck_actions(duck, export(bundled, SqlDialect.DUCKDB).texts(), texts)
    assert _compare(texts, postgres, ref, "NFKC") == []
    assert _compare(texts, duckdb, ref, "NFC") == []
    assert "block" in postgres
    assert "warn" in postgres


@pytest.mark.parametrize("half", [0, 1])
def test_every_bundled_term_passes_the_postgres_gate(
    pg: Any, bundled: Lexicon, bundled_reference: Regexes, half: int
) -> None:
    """Each term as the whole text, as typed, upper-cased and with its spaces doubled: the
    substring tests before the patterns must never turn away a text a pattern matches. In two
    halves, each well inside the time limit of a test as the lexicon grows."""
    items = select_items(bundled, ExportOptions()).items
    texts = sorted({form for i in items for form in (i.text, i.text.upper(), i.text.replace(" ", "  "))})[half::2]
    ref = bundled_reference
    postgres = pg_actions(pg, export(bundled, SqlDialect.POSTGRES).texts(), texts)
    differences = _compare(texts, postgres, ref, "NFKC")
    assert [d for d in differences if d[1] == "allow"] == []
    # The others are PostgreSQL matching an upper case that RE2 does not fold ("TIRNAĞI" for
    # "tırnağı": the dotless ı upper-cases to I).
    assert all(text == text.upper() for text, _, _ in differences), differences


def test_long_windows_split_their_bounds(pg: Any, duck: Any) -> None:
    """PostgreSQL takes bounds up to 255 and RE2 up to 1000: a longer window is written as
    several bounded runs, which both read as one."""
    for dialect, limit in ((POSTGRES, 255), (RE2, 1000)):
        pattern = any_chars(2500, dialect)
        assert all(int(b) <= limit for b in pattern.replace(".{0,", " ").replace("}", " ").split())
    gap = "(?is)a" + any_chars(2500, POSTGRES) + "b"
    assert pg.execute("SELECT %s ~ %s, %s ~ %s", ["a" + "x" * 2500 + "b", gap, "a" + "x" * 2501 + "b", gap]
                      ).fetchone() == (True, False)
    gap = "(?is)a" + any_chars(2500, RE2) + "b"
    assert duck.execute("SELECT regexp_matches(?, ?), regexp_matches(?, ?)",
                        ["a" + "x" * 2500 + "b", gap, "a" + "x" * 2501 + "b", gap]).fetchone() == (True, False)


@pytest.mark.parametrize("dialect", list(SqlDialect))
def test_simulation_applies_the_script(pg: Any, duck: Any, fixture_lexicon: Lexicon, dialect: SqlDialect) -> None:
    """`wildcli simulate` reads the export back: for DuckDB it asks DuckDB, for PostgreSQL it
    applies the rules in RE2 on the NFKC text; either way the database agrees with it."""
    result = export(fixture_lexicon, dialect, include_contextual=True)
    applier = load_applier(result)
    texts = [t for t in TEXTS if t not in PG_DIFFERENCES]
    simulated = [applier.apply(t).action.value for t in texts]
    run = pg_actions if dialect is SqlDialect.POSTGRES else duck_actions
    assert simulated == run(pg if dialect is SqlDialect.POSTGRES else duck, result.texts(), texts)


def test_postgres_rules_split_where_patterns_are_too_long(bundled: Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every item lands in exactly one rule, or is reported when alone it is too long."""
    monkeypatch.setattr(sql, "MAX_PATTERN_CHARS", 3000)
    items = select_items(bundled, ExportOptions()).items
    rules, problems = sql.sql_rules(items, SqlDialect.POSTGRES)
    assert max(max(len(r.pattern), len(r.unless or "")) for r in rules) <= 3000
    placed = [i for r in rules for i in r.items] + [p.item for p in problems if p.reason == sql.TOO_LONG]
    assert sorted(id(i) for i in placed) == sorted(id(i) for i in items)
    def key(r: Any) -> tuple[Any, ...]:
        first = r.items[0]
        return (r.action, r.concept, first.context, first.window, first.rule_exclude)

    keys = [key(r) for r in rules]
    assert len(set(keys)) < len(keys)  # some rule was split
    assert len({key(r) for r in compile_rules(items, POSTGRES)[0]}) == len(compile_rules(items, POSTGRES)[0])


def test_the_nasty_export_fixture_loads_and_matches_its_own_terms(pg: Any, duck: Any) -> None:
    """The exporters' fixture (separators, quotes, a backslash, a tab and a CR in terms, emoji,
    regex metacharacters): each term, as the whole text, gets the same action as in RE2."""
    lexicon = load_lexicon([DATA / "lexicons" / "export"])
    texts = sorted({i.text for i in select_items(lexicon, ExportOptions(include_contextual=True)).items})
    ref = reference(lexicon, include_contextual=True)
    postgres = pg_actions(pg, export(lexicon, SqlDialect.POSTGRES, include_contextual=True).texts(), texts)
    duckdb = duck_actions(duck, export(lexicon, SqlDialect.DUCKDB, include_contextual=True).texts(), texts)
    assert _compare(texts, postgres, ref, "NFKC") == []
    assert _compare(texts, duckdb, ref, "NFC") == []
    assert {"block", "warn"} <= set(duckdb)  # a term alone may stay allowed: it needs its context word
