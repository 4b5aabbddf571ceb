"""Each format read back the way its consumer reads it: what goes in must come out unchanged."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import defaultdict

import pytest
import re2
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from tests.exporters.conftest import TEST_KEY
from wildcli.export import ExportOptions, ExportResult, render_export, select_items
from wildcli.exporters import EXPORTERS, CsvDialect, ExportFormat, MatchType, RenderOptions, SynonymStyle
from wildcli.exporters.ads import ALLOWED_SYMBOLS
from wildcli.exporters.solr import escape
from wildcli.lexicon import Lexicon, Role

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(lexicon: Lexicon, fmt: ExportFormat, **render_options: object) -> ExportResult:
    return render_export(lexicon, fmt, ExportOptions(render=RenderOptions(**render_options)))  # type: ignore[arg-type]


def expected_texts(lexicon: Lexicon) -> dict[str, set[str]]:
    items, _ = select_items(lexicon, ExportOptions())
    by_concept: dict[str, set[str]] = defaultdict(set)
    for item in items:
        by_concept[item.concept].add(item.text)
    return by_concept


def left_out(result: ExportResult) -> set[str]:
    return {p.item.text for p in result.problems if p.item is not None}


def test_every_format_has_an_exporter_with_a_summary() -> None:
    assert set(EXPORTERS) == set(ExportFormat)
    for fmt in ExportFormat:
        assert fmt.exporter.summary
        assert "\n" not in fmt.exporter.summary
        assert fmt.exporter.suffix.startswith(".")


def test_csv_spreadsheet_cells_never_start_a_formula(export_lexicon: Lexicon) -> None:
    text = render(export_lexicon, ExportFormat.CSV).parts[0]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:3] == ["concept", "lang", "term"]
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    terms = {row[2] for row in rows[1:]}
    assert {"'=IVORY(1)", "'+ivory", "'-ivory-", "'@ivory_dealer", "'\tivory tab", "ivory\rcr"} <= terms


def test_csv_rfc4180_round_trips_every_term_with_crlf(export_lexicon: Lexicon) -> None:
    text = render(export_lexicon, ExportFormat.CSV, csv_dialect=CsvDialect.RFC4180).parts[0]
    assert text.count("\r\n") == len(select_items(export_lexicon, ExportOptions())[0]) + 1
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert {row[2] for row in rows[1:]} == set().union(*expected_texts(export_lexicon).values())


def test_json_and_jsonl_carry_full_records(export_lexicon: Lexicon) -> None:
    doc = json.loads(render(export_lexicon, ExportFormat.JSON).parts[0])
    lines = [json.loads(line) for line in render(export_lexicon, ExportFormat.JSONL).parts[0].splitlines()]
    assert doc["terms"] == lines
    assert doc["lexicon_version"] == "2026.11.0-test"
    record = next(r for r in lines if r["term"] == "elephant ivory")
    assert record == {
        "concept": "ivory", "lang": "en", "term": "elephant ivory", "kind": "name", "severity": "block",
        "status": "approved", "sensitivity": "public", "variant_of": None, "variant_rule": None,
        "sources": [{"title": "Fixture source", "url": "https://example.org/a", "year": 2022},
                    {"title": "Second source", "url": None, "year": None}],
    }


def lucene_split(line: str, separator: str) -> list[str]:
    """SolrSynonymParser.split: a backslash protects the next character from being a separator."""
    parts, current, i = [], "", 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            current += line[i : i + 2]
            i += 2
        elif line.startswith(separator, i):
            parts.append(current)
            current, i = "", i + len(separator)
        else:
            current += line[i]
            i += 1
    return [*parts, current]


def lucene_unescape(entry: str) -> str:
    return re.sub(r"\\(.)", r"\1", entry, flags=re.S)


@pytest.mark.parametrize("style", list(SynonymStyle))
def test_solr_synonyms_parse_back_to_the_terms(style: SynonymStyle, export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.SOLR_SYNONYMS, synonyms=style)
    expected = expected_texts(export_lexicon)
    lines = result.parts[0].splitlines()
    assert len(lines) == 2
    assert not any(line.startswith("#") for line in lines)
    for line, concept in zip(lines, sorted(expected), strict=True):
        sides = lucene_split(line, "=>")
        assert len(sides) == (2 if style is SynonymStyle.EXPLICIT else 1)
        if style is SynonymStyle.EXPLICIT:
            assert sides[1].strip() == f"wildcli_{concept}"
        # Lucene trims each entry, so compare trimmed forms.
        parsed = {lucene_unescape(e).strip() for e in lucene_split(sides[0], ",")}
        assert parsed == {t.strip() for t in expected[concept] - left_out(result)}
    assert left_out(result) == {"ivory\rcr", "🦏🔪"}


def test_solr_escaping() -> None:
    assert escape("#tag") == "\\#tag"
    assert escape("a, b => c\\d") == "a\\, b \\=> c\\\\d"
    assert escape("mid#dle") == "mid#dle"


def test_es_synonyms_api_uses_solr_rules(export_lexicon: Lexicon) -> None:
    body = json.loads(render(export_lexicon, ExportFormat.ES_SYNONYMS_API).parts[0])
    solr = render(export_lexicon, ExportFormat.SOLR_SYNONYMS).parts[0].splitlines()
    assert [r["synonyms"] for r in body["synonyms_set"]] == solr
    assert [r["id"] for r in body["synonyms_set"]] == ["ivory", "rhino_horn"]


def test_stopwords_are_single_tokens_without_leading_hash(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.STOPWORDS)
    lines = result.parts[0].splitlines()
    assert lines
    assert all(line.split() == [line] and not line.startswith("#") for line in lines)
    assert {"#ivorytrade", "elephant ivory", "слоновая кость"} <= left_out(result)


def assert_portable(pattern: str) -> None:
    """formats.md §3.4: no lookaround, backreferences, capturing groups or \\b."""
    tokens = re.findall(r"\\.|.", pattern, flags=re.S)
    escapes = {t for t in tokens if len(t) == 2}
    assert not escapes & {"\\b", "\\B", *(f"\\{d}" for d in range(1, 10))}, pattern
    plain = "".join(t if len(t) == 1 else "_" for t in tokens)
    for i, char in enumerate(plain):
        if char == "(":
            assert plain.startswith(("(?:", "(?i)"), i), f"group at {i} in {pattern}"


def test_regex_patterns_compile_in_re2_and_match_their_terms(export_lexicon: Lexicon) -> None:
    patterns = render(export_lexicon, ExportFormat.REGEX).parts[0].splitlines()
    assert len(patterns) == 3
    compiled = [re2.compile(p) for p in patterns]
    for p in patterns:
        re.compile(p)
        assert p.startswith("(?i)(?:")
        assert p.endswith(")")
        assert len(p) <= 512
        assert_portable(p)
    for text in set().union(*expected_texts(export_lexicon).values()):
        for probe in (text, text.upper(), f"xx {text.strip()} yy"):
            assert any(c.search(probe) for c in compiled), probe


@pytest.mark.parametrize(("fmt", "max_chars"), [(ExportFormat.GOOGLE_ADS, 80), (ExportFormat.MICROSOFT_ADS, 100)])
@pytest.mark.parametrize("match", list(MatchType))
def test_ads_keywords_respect_limits_and_syntax(fmt: ExportFormat, max_chars: int, match: MatchType, export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, fmt, match_type=match)
    open_, close = ('"', '"') if match is MatchType.PHRASE else ("[", "]")
    keywords = result.parts[0].splitlines()
    for line in keywords:
        assert line[0] == open_
        assert line[-1] == close
        text = line[1:-1]
        assert len(text) <= max_chars
        assert all(c == " " or c in ALLOWED_SYMBOLS or unicodedata.category(c)[0] in "LMN" for c in text)
        assert not set(text) & set('"[],=@!%^*(){};~`<>?|\\\t\r')
    assert len({k.casefold() for k in keywords}) == len(keywords)
    assert {"=IVORY(1)", "@ivory_dealer", "ivory, carved", "🦏🔪"} <= left_out(result)
    assert ("hand-carved-antique-elephant-ivory-bangle-from-an-old-estate-collection-with-certificate"
            in left_out(result)) is (fmt is ExportFormat.GOOGLE_ADS)


def test_google_ads_limits_words(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.GOOGLE_ADS)
    assert "one two three four five six seven eight nine ten eleven" in left_out(result)
    assert all(len(k.split()) <= 10 for k in result.parts[0].splitlines())


def test_azure_bodies(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.AZURE_BLOCKLIST)
    bodies = [json.loads(line) for line in result.parts[0].splitlines()]
    items = [i for b in bodies for i in b["blocklistItems"]]
    assert all(len(b["blocklistItems"]) <= 100 for b in bodies)
    assert all(len(i["text"]) <= 128 for i in items)
    assert {"ivory\rcr", "象牙,手镯", "🦏🔪", "#ivorytrade"} <= {i["text"] for i in items}
    assert len(left_out(result)) == 1


def test_comma_list_splits_back_into_the_terms(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.COMMA_LIST)
    text = result.parts[0]
    assert text.count("\n") == 1
    entries = [e.strip() for e in text.split(",")]
    assert len(entries) == len({e.casefold() for e in entries})
    assert left_out(result) == {"ivory, carved", "象牙,手镯", "ivory\rcr"}
    assert "🦏🔪" in entries
    assert "слоновая кость" in entries


def test_skos_turtle_parses_with_disjoint_labels(export_lexicon: Lexicon) -> None:
    graph = Graph().parse(data=render(export_lexicon, ExportFormat.SKOS).parts[0], format="turtle")
    ivory = URIRef("urn:wildcli:concept:ivory")
    pref = set(graph.objects(ivory, SKOS.prefLabel))
    alt = set(graph.objects(ivory, SKOS.altLabel))
    hidden = set(graph.objects(ivory, SKOS.hiddenLabel))
    assert Literal("象牙", lang="zh-Hans") in pref
    assert len(pref) == 3
    assert not (pref & alt)
    assert not (pref & hidden)
    assert not (alt & hidden)
    assert Literal("ivory \"white\" (gold)", lang="en") in alt
    assert {Literal("\tivory tab", lang="en"), Literal("ivory\rcr", lang="en"), Literal("back\\slash ivory", lang="en")} <= hidden
    assert Literal("🦏🔪", lang="und") in set(graph.objects(URIRef("urn:wildcli:concept:rhino_horn"), SKOS.altLabel))
    # Every exported string is some label of its concept.
    for concept, texts in expected_texts(export_lexicon).items():
        labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                  for o in graph.objects(URIRef(f"urn:wildcli:concept:{concept}"), p)}
        assert texts <= labels


def test_context_concepts_stay_out_unless_named(export_lexicon: Lexicon) -> None:
    assert export_lexicon.concepts["trade_context"].role is Role.CONTEXT
    assert "dm for price" not in render(export_lexicon, ExportFormat.TXT).parts[0]
    named = render_export(export_lexicon, ExportFormat.TXT, ExportOptions(concepts=frozenset({"trade_context"})))
    assert named.parts[0] == "dm for price\n"


def test_hashed_is_an_hmac_of_the_normalised_key(export_lexicon: Lexicon) -> None:
    import hashlib
    import hmac

    from wildcli.normalize import normalize_key

    lines = render(export_lexicon, ExportFormat.HASHED, hmac_key=TEST_KEY).parts[0].splitlines()
    rows = {tuple(line.split("\t")) for line in lines if not line.startswith("#")}
    expected = hmac.new(TEST_KEY, normalize_key("ELEPHANT IVORY").encode(), hashlib.sha256).hexdigest()
    assert (expected, "ivory", "block") in rows
    # "Ivory" and "ivory" share a key.
    assert len(rows) == len(select_items(export_lexicon, ExportOptions(), carries_restricted=True)[0]) - 1
