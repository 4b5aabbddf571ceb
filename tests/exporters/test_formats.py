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
from wildcli.exporters import EXPORTERS, CsvDialect, ExportFormat, MatchType, RenderOptions, SynonymStyle
from wildcli.exporters.ads import ALLOWED_SYMBOLS
from wildcli.exporters.selection import ExportOptions, ExportResult, render_export, select_items
from wildcli.exporters.solr import escape
from wildcli.lexicon import Lexicon, Role, Severity

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(lexicon: Lexicon, fmt: ExportFormat, **render_options: object) -> ExportResult:
    return render_export(lexicon, fmt, ExportOptions(render=RenderOptions(**render_options)))  # type: ignore[arg-type]


def expected_texts(lexicon: Lexicon, *, lists: bool = False) -> dict[str, set[str]]:
    """The selected strings per concept; for list formats, those without exclusions or with
    only exclusions that contain them (the others need a rules format)."""
    by_concept: dict[str, set[str]] = defaultdict(set)
    for item in select_items(lexicon, ExportOptions()).items:
        if not (lists and item.near_exclusions):
            by_concept[item.concept].add(item.text)
    return by_concept


def left_out(result: ExportResult) -> set[str]:
    return {p.item.text for p in result.problems if p.item is not None}


def lists(result: ExportResult) -> list[str]:
    """The text of each action list of a list format (most severe first), without the allow-list."""
    return [p.text for p in result.parts if p.role != "allow"]


def test_list_formats_write_one_list_per_action_and_rules_formats_one_file(export_lexicon: Lexicon) -> None:
    for fmt in ExportFormat:
        result = render(export_lexicon, fmt, hmac_key=TEST_KEY)
        roles = [p.role for p in result.parts]
        if fmt.exporter.per_action:
            assert roles[:2] == ["block", "warn"], fmt
            assert roles[2:] == (["allow"] if fmt.exporter.allow_list else []), fmt
        else:
            assert roles == ["all"], fmt


def test_every_format_has_an_exporter_with_a_summary() -> None:
    assert set(EXPORTERS) == set(ExportFormat)
    for fmt in ExportFormat:
        assert fmt.exporter.summary
        assert "\n" not in fmt.exporter.summary
        assert fmt.exporter.suffix.startswith(".")


def test_csv_spreadsheet_cells_never_start_a_formula(export_lexicon: Lexicon) -> None:
    text = render_export(export_lexicon, ExportFormat.CSV, ExportOptions(min_severity=Severity.MONITOR)).parts[0].text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:3] == ["concept", "lang", "term"]
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    terms = {row[2] for row in rows[1:]}
    assert {"'=IVORY(1)", "'+ivory", "'-ivory-", "'@ivory_dealer", "'\tivory tab", "ivory\rcr"} <= terms


def test_csv_rfc4180_round_trips_every_term_with_crlf(export_lexicon: Lexicon) -> None:
    text = render(export_lexicon, ExportFormat.CSV, csv_dialect=CsvDialect.RFC4180).parts[0].text
    assert text.count("\r\n") == len(select_items(export_lexicon, ExportOptions()).items) + 1
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {row["term"] for row in rows} == set().union(*expected_texts(export_lexicon).values())
    bone = next(row for row in rows if row["term"] == "bovine bone")
    assert (bone["action"], bone["window"], json.loads(bone["exclude"])) == ("warn", "100", ["bovine bone graft", "broth"])
    assert bone["context"] == ""


def test_json_and_jsonl_carry_full_records(export_lexicon: Lexicon) -> None:
    doc = json.loads(render(export_lexicon, ExportFormat.JSON).parts[0].text)
    lines = [json.loads(line) for line in render(export_lexicon, ExportFormat.JSONL).parts[0].text.splitlines()]
    assert doc["terms"] == lines
    assert doc["lexicon_version"] == "2026.11.0-test"
    record = next(r for r in lines if r["term"] == "elephant ivory")
    assert record == {
        "concept": "ivory", "lang": "en", "term": "elephant ivory", "kind": "name", "action": "block",
        "context": [], "window": 100, "exclude": [], "severity": "block",
        "status": "approved", "sensitivity": "public", "variant_of": None, "variant_rule": None,
        "sources": [{"title": "Fixture source", "url": "https://example.org/a", "year": 2022},
                    {"title": "Second source", "url": None, "year": None}],
    }
    assert next(r for r in lines if r["term"] == "象牙")["exclude"] == ["象牙 白", "象牙白"]  # also written apart, as wildcli reads it


def test_rules_formats_carry_context_with_concept_references_expanded(export_lexicon: Lexicon) -> None:
    options = ExportOptions(include_contextual=True)
    lines = [json.loads(line) for line in render_export(export_lexicon, ExportFormat.JSONL, options).parts[0].text.splitlines()]
    gold = next(r for r in lines if r["term"] == "pale gold")
    assert (gold["action"], gold["context"], gold["window"]) == ("warn", ["dm for price", "tusk"], 100)
    # Not in list formats: they cannot carry the condition, and say so.
    txt = render_export(export_lexicon, ExportFormat.TXT, options)
    assert "pale gold" not in txt.texts()
    assert any(p.item and p.item.text == "pale gold" and "context word" in p.reason for p in txt.problems)


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
    expected = expected_texts(export_lexicon, lists=True)
    parsed: dict[str, set[str]] = defaultdict(set)
    for text in lists(result):
        for line in text.splitlines():
            assert not line.startswith("#")
            sides = lucene_split(line, "=>")
            assert len(sides) == (2 if style is SynonymStyle.EXPLICIT else 1)
            entries = {lucene_unescape(e).strip() for e in lucene_split(sides[0], ",")}
            concept = "rhino_horn" if "rhino horn" in entries else "ivory"
            if style is SynonymStyle.EXPLICIT:
                assert sides[1].strip() == f"wildcli_{concept}"
            # Lucene trims each entry, so compare trimmed forms.
            parsed[concept] |= entries
    for concept, texts in expected.items():
        assert parsed[concept] == {t.strip() for t in texts - left_out(result)}
    assert left_out(result) == {"ivory\rcr", "🦏🔪", "象牙", "bovine bone"}


def test_solr_escaping() -> None:
    assert escape("#tag") == "\\#tag"
    assert escape("a, b => c\\d") == "a\\, b \\=> c\\\\d"
    assert escape("mid#dle") == "mid#dle"


def test_es_synonyms_api_uses_solr_rules(export_lexicon: Lexicon) -> None:
    api = render(export_lexicon, ExportFormat.ES_SYNONYMS_API)
    solr = render(export_lexicon, ExportFormat.SOLR_SYNONYMS)
    for body_text, solr_text in zip(lists(api), lists(solr), strict=True):
        body = json.loads(body_text)
        assert [r["synonyms"] for r in body["synonyms_set"]] == solr_text.splitlines()
    assert [r["id"] for r in json.loads(api.parts[0].text)["synonyms_set"]] == ["ivory", "rhino_horn"]


def test_stopwords_are_single_tokens_without_leading_hash(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.STOPWORDS)
    lines = [line for text in lists(result) for line in text.splitlines()]
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
            assert plain.startswith(("(?:", "(?is)"), i), f"group at {i} in {pattern}"


def regex_rules(result: ExportResult) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result.parts[0].text), delimiter="\t", quoting=csv.QUOTE_NONE))


def fires(rules: list[dict[str, str]], text: str) -> set[str]:
    """The actions of the rules that fire: the pattern matches and `unless` does not."""
    return {
        r["action"] for r in rules
        if re2.compile(r["pattern"]).search(text) and not (r["unless"] and re2.compile(r["unless"]).search(text))
    }


def test_regex_rules_compile_in_re2_and_match_their_terms(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.REGEX)
    assert result.parts[0].text.startswith("action\tconcept\tpattern\tunless\n")
    rules = regex_rules(result)
    for r in rules:
        for p in filter(None, (r["pattern"], r["unless"])):
            assert p.startswith("(?is)")
            assert len(p) <= 512
            assert_portable(p)
    actions = {i.text: i.action.value for i in select_items(export_lexicon, ExportOptions()).items}
    for text in set().union(*expected_texts(export_lexicon).values()) - left_out(result):
        for probe in (text, text.upper(), f"xx {text.strip()} yy"):
            assert actions[text] in fires(rules, probe), probe


def test_regex_rules_keep_words_whole_and_apply_exclusions(export_lexicon: Lexicon) -> None:
    rules = regex_rules(render(export_lexicon, ExportFormat.REGEX))
    assert fires(rules, "carved ngà voi bangle") == {"block"}
    assert fires(rules, "ngà voii") == set()  # glued into a longer word
    assert fires(rules, "象牙手镯") == {"block"}  # no word boundaries in Han
    assert fires(rules, "象牙白窗帘") == set()  # the exclusion covers the term
    assert fires(rules, "bovine bone for sale") == {"warn"}
    assert fires(rules, "bovine bone broth") == set()  # an exclusion within the window
    assert fires(rules, "bovine bone" + " x" * 60 + " broth") == {"warn"}  # beyond it


def test_regex_context_is_proximity_in_both_orders(export_lexicon: Lexicon) -> None:
    options = ExportOptions(include_contextual=True, render=RenderOptions(max_pattern_chars=5000))
    rules = [r for r in regex_rules(render_export(export_lexicon, ExportFormat.REGEX, options)) if "gold" in r["pattern"]]
    assert fires(rules, "pale gold, dm for price") == {"warn"}
    assert fires(rules, "tusk: pale gold") == {"warn"}
    assert fires(rules, "pale gold ring") == set()
    assert fires(rules, "pale gold" + " x" * 60 + " tusk") == set()


@pytest.mark.parametrize(("fmt", "max_chars"), [(ExportFormat.GOOGLE_ADS, 80), (ExportFormat.MICROSOFT_ADS, 100)])
@pytest.mark.parametrize("match", list(MatchType))
def test_ads_keywords_respect_limits_and_syntax(fmt: ExportFormat, max_chars: int, match: MatchType, export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, fmt, match_type=match)
    open_, close = ('"', '"') if match is MatchType.PHRASE else ("[", "]")
    keywords = [k for text in lists(result) for k in text.splitlines()]
    for line in keywords:
        assert line[0] == open_
        assert line[-1] == close
        text = line[1:-1]
        assert len(text) <= max_chars
        assert all(c == " " or c in ALLOWED_SYMBOLS or unicodedata.category(c)[0] in "LMN" for c in text)
        assert not set(text) & set('"[],=@!%^*(){};~`<>?|\\\t\r')
    assert len({k.casefold() for k in keywords}) == len(keywords)
    assert {"=IVORY(1)", "ivory, carved", "🦏🔪", "象牙", "bovine bone"} <= left_out(result)
    assert ("hand-carved-antique-elephant-ivory-bangle-from-an-old-estate-collection-with-certificate"
            in left_out(result)) is (fmt is ExportFormat.GOOGLE_ADS)


def test_google_ads_limits_words(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.GOOGLE_ADS)
    assert "one two three four five six seven eight nine ten eleven" in left_out(result)
    assert all(len(k.split()) <= 10 for text in lists(result) for k in text.splitlines())


def test_azure_bodies(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.AZURE_BLOCKLIST)
    bodies = [json.loads(line) for text in lists(result) for line in text.splitlines()]
    items = [i for b in bodies for i in b["blocklistItems"]]
    assert all(len(b["blocklistItems"]) <= 100 for b in bodies)
    assert all(len(i["text"]) <= 128 for i in items)
    assert {"ivory\rcr", "象牙,手镯", "🦏🔪", "#ivorytrade"} <= {i["text"] for i in items}
    assert len(left_out(result)) == 3  # too long; and two whose exclusions Azure cannot apply


def test_comma_list_splits_back_into_the_terms(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.COMMA_LIST)
    assert all(text.count("\n") == 1 for text in lists(result))
    entries = [e.strip() for text in lists(result) for e in text.split(",")]
    assert len(entries) == len({e.casefold() for e in entries})
    assert left_out(result) == {"ivory, carved", "象牙,手镯", "ivory\rcr", "象牙", "bovine bone"}
    assert "🦏🔪" in entries
    assert "слоновая кость" in entries


def test_skos_turtle_parses_with_disjoint_labels(export_lexicon: Lexicon) -> None:
    result = render(export_lexicon, ExportFormat.SKOS)
    graph = Graph()
    for text in lists(result):
        graph.parse(data=text, format="turtle")
    ivory = URIRef("urn:wildcli:concept:ivory")
    pref = set(graph.objects(ivory, SKOS.prefLabel))
    alt = set(graph.objects(ivory, SKOS.altLabel))
    hidden = set(graph.objects(ivory, SKOS.hiddenLabel))
    # A concept label is a prefLabel only where it is a term of the list (象牙 needs an allow-list).
    assert pref == {Literal("ivory", lang="en"), Literal("ngà voi", lang="vi")}
    assert not (pref & alt)
    assert not (pref & hidden)
    assert not (alt & hidden)
    assert Literal("ivory \"white\" (gold)", lang="en") in alt
    assert {Literal("\tivory tab", lang="en"), Literal("ivory\rcr", lang="en"), Literal("back\\slash ivory", lang="en")} <= hidden
    assert Literal("🦏🔪", lang="und") in set(graph.objects(URIRef("urn:wildcli:concept:rhino_horn"), SKOS.altLabel))
    # Every exported string is some label of its concept.
    for concept, texts in expected_texts(export_lexicon, lists=True).items():
        texts -= left_out(result)
        labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                  for o in graph.objects(URIRef(f"urn:wildcli:concept:{concept}"), p)}
        assert texts <= labels


def test_context_concepts_stay_out_unless_named(export_lexicon: Lexicon) -> None:
    assert export_lexicon.concepts["trade_context"].role is Role.CONTEXT
    assert "dm for price" not in render(export_lexicon, ExportFormat.TXT).texts()
    named = render_export(export_lexicon, ExportFormat.TXT, ExportOptions(
        concepts=frozenset({"trade_context"}), min_severity=Severity.MONITOR))
    assert named.texts("monitor") == "dm for price\n"
    assert any("selling phrases" in note for note in named.notes)


def test_hashed_is_an_hmac_of_the_normalised_key(export_lexicon: Lexicon) -> None:
    import hashlib
    import hmac

    from wildcli.text.normalize import normalize_key

    lines = render(export_lexicon, ExportFormat.HASHED, hmac_key=TEST_KEY).parts[0].text.splitlines()
    rows = {tuple(line.split("\t")) for line in lines if not line.startswith("#")}

    def digest(text: str) -> str:
        return hmac.new(TEST_KEY, normalize_key(text).encode(), hashlib.sha256).hexdigest()

    assert (digest("ELEPHANT IVORY"), "ivory", "block") in rows
    assert (digest("象牙白"), "ivory", "allow") in rows
    assert not any(row[0] == digest("bovine bone") for row in rows)  # an exclusion near it: left out
    assert (digest("象牙 白"), "ivory", "allow") in rows  # the exception written apart, as searches do
    # "Ivory" and "ivory" share a key; bovine bone is out, 象牙白 and 象牙 白 are in.
    assert len(rows) == len(select_items(export_lexicon, ExportOptions(), carries_restricted=True).items)


def test_proximity_between_phrases_of_scripts_without_spaces() -> None:
    """Han phrases need no boundary, so other letters may stand between them; Latin ones may not glue."""
    from wildcli.exporters.regexrules import FLAGS, RE2, near

    han = re2.compile(FLAGS + near(["熊掌"], ["皂"], 100, RE2))
    assert han.search("熊掌手工皂")
    assert han.search("皂 熊掌")
    latin = re2.compile(FLAGS + near(["bovine bone"], ["broth"], 100, RE2))
    assert latin.search("bovine bone broth")
    assert latin.search("broth, bovine bone")
    assert not latin.search("bovine bone xbroth")
