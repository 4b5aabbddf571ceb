"""The canonical layout: stable (formatting twice changes nothing), comment-keeping, never lossy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DATA, ROOT, VALID_LEXICON
from wildcli.errors import LexiconError
from wildcli.lexicon.canonical import format_file, format_text, needs_quotes, schema_line
from wildcli.lexicon.yamlfile import parse_yaml

ISSUES = DATA / "lexicons" / "issues"
LEX = ROOT / "lexicons" / "pangolin" / "en.yaml"  # the path only picks the schema line; nothing is read
HEAD = "# yaml-language-server: $schema=../../wildcli/schema/terms.schema.json\n"
UNFORMATTED = {"WL008", "WL009", "WL010"}

MESSY = """\
# Pangolin terms, reviewed by the TRAFFIC team.
terms:
- status: proposed   # waiting for a second source
  term: trenggiling
  kind: name
  examples: [jual trenggiling hidup]
  added: 2024-05-01
- term: "armadillo scales"
  kind: misspelling
  # sellers misname pangolins on purpose
  status: proposed
  note: 'single quoted, needlessly'
  context: ["dried", '@trade_context']
"""

CANONICAL = HEAD + """\
# Pangolin terms, reviewed by the TRAFFIC team.
terms:
  - term: armadillo scales
    kind: misspelling
  # sellers misname pangolins on purpose
    status: proposed
    note: single quoted, needlessly
    context: ["dried", "@trade_context"]
  - term: trenggiling
    kind: name
    status: proposed # waiting for a second source
    added: "2024-05-01"
    examples:
      - "jual trenggiling hidup"
"""


def fixture_files() -> list[Path]:
    return sorted([*VALID_LEXICON.glob("*/*.yaml"), *(p for p in ISSUES.glob("*/*/*.yaml")
                                                       if p.parts[-3] not in UNFORMATTED)])


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: "/".join(p.parts[-3:]))
def test_fixture_files_are_canonical(path: Path) -> None:
    assert format_file(path) == path.read_text("utf-8")


def test_messy_file_gets_the_canonical_layout_and_keeps_comments() -> None:
    assert format_text(MESSY, LEX) == CANONICAL


@pytest.mark.parametrize("text", [MESSY, CANONICAL, *(p.read_text("utf-8") for p in ISSUES.glob("WL00[89]/*/*.yaml"))])
def test_formatting_is_idempotent(text: str) -> None:
    once = format_text(text, LEX)
    assert format_text(once, LEX) == once


def test_unformatted_fixtures_change_and_keep_their_data() -> None:
    for rule in sorted(UNFORMATTED):
        path = ISSUES / rule / "pangolin" / "en.yaml"
        text = path.read_text("utf-8")
        assert format_file(path) != text
        def terms(text: str) -> list[object]:
            return sorted(parse_yaml(text, "x").data["terms"], key=lambda e: e["term"].casefold())

        assert terms(format_file(path)) == terms(text)


@pytest.mark.parametrize(
    "value",
    ["no", "No", "on", "OFF", "y", "n", "yes", "true", "null", "~", "", "2024-05-01", "2024-05-01 10:00:00",
     "123", "-1", "1.5", "1e3", "0x1F", "0o17", "1:20", ".inf", ".NaN", "=", "<<"],
)
def test_values_yaml_would_misread_are_quoted(value: str) -> None:
    assert needs_quotes(value)
    text = format_text(f"terms:\n  - term: {json.dumps(value)}\n    kind: name\n", LEX)
    assert f"  - term: {json.dumps(value)}\n" in text


@pytest.mark.parametrize("value", ["ivory", "pied d'éléphant", "象牙", "ngà voi", "a-b", "1st class ivory"])
def test_ordinary_values_stay_plain(value: str) -> None:
    assert not needs_quotes(value)
    assert f"  - term: {value}\n" in format_text(f"terms:\n  - term: '{value.replace(chr(39), chr(39) * 2)}'\n", LEX)


@pytest.mark.parametrize(("value", "written"), [("#ivory", '"#ivory"'), ("@x", '"@x"'), ("a: b", '"a: b"'),
                                                 ("it's #1", '"it\'s #1"'), ("it's 1#", "it's 1#"), (" padded", '" padded"')])
def test_values_plain_yaml_cannot_hold_are_double_quoted(value: str, written: str) -> None:
    assert f"  - term: {written}\n" in format_text(f"terms:\n  - term: {json.dumps(value)}\n", LEX)


def test_hidden_characters_are_written_as_escapes() -> None:
    text = format_text('terms:\n  - term: "iv\u200bory"\n    kind: obfuscation\n', LEX)
    assert '  - term: "iv\\u200Bory"\n' in text
    assert parse_yaml(text, "x").data["terms"][0]["term"] == "iv\u200bory"


def test_long_lines_are_not_folded_and_long_phrase_lists_go_block() -> None:
    sentence = "carved ivory " * 40
    phrases = [f"phrase number {i} of a long list" for i in range(6)]
    text = format_text(f"terms:\n  - term: x\n    exclude: {json.dumps(phrases)}\n    examples: [{json.dumps(sentence)}]\n", LEX)
    assert f'      - "{sentence}"\n' in text
    assert '    exclude:\n      - "phrase number 0 of a long list"\n' in text


def test_crlf_and_missing_final_newline() -> None:
    assert format_text("terms:\r\n  - term: x\r\n    kind: name", LEX) == HEAD + "terms:\n  - term: x\n    kind: name\n"


def test_concept_keys_are_ordered_and_species_keys_too() -> None:
    text = ("description: D.\nlabels:\n  en: pangolin\nseverity: review\nid: pangolin\n"
            "species:\n  - common_name: Sunda pangolin\n    scientific_name: Manis javanica\n")
    path = ROOT / "lexicons" / "pangolin" / "concept.yaml"
    assert format_text(text, path) == (
        "# yaml-language-server: $schema=../../wildcli/schema/concept.schema.json\n"
        "id: pangolin\nseverity: review\nlabels:\n  en: pangolin\ndescription: D.\n"
        "species:\n  - scientific_name: Manis javanica\n    common_name: Sunda pangolin\n")


def test_source_keys_are_ordered_title_kind_url_year_quote() -> None:
    text = ("terms:\n  - term: x\n    kind: slang\n    status: approved\n    sources:\n"
            "      - quote: Sellers call it x.\n        year: 2020\n        url: https://example.org/r\n"
            "        kind: report\n        title: R\n"
            "      - quote_missing: true\n        title: S\n        kind: news\n")
    assert format_text(text, LEX) == HEAD + (
        "terms:\n  - term: x\n    kind: slang\n    status: approved\n    sources:\n"
        "      - title: R\n        kind: report\n        url: https://example.org/r\n        year: 2020\n"
        "        quote: Sellers call it x.\n"
        "      - title: S\n        kind: news\n        quote_missing: true\n")


def test_schema_line_is_kept_when_it_names_the_right_schema() -> None:
    assert schema_line(LEX, "# yaml-language-server: $schema=https://example.org/terms.schema.json") == (
        "# yaml-language-server: $schema=https://example.org/terms.schema.json")
    assert schema_line(LEX, "# yaml-language-server: $schema=../../wildcli/schema/concept.schema.json") == HEAD.strip()
    assert schema_line(LEX) == HEAD.strip()


def test_files_the_loader_refuses_are_refused_with_the_same_message() -> None:
    with pytest.raises(LexiconError) as caught:
        format_text("terms:\n  - term: a\n    term: b\n", LEX, "en.yaml")
    assert str(caught.value) == "en.yaml:3: duplicate key 'term'"


text_values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


def as_yaml(value: object) -> str:
    """JSON is YAML, except that YAML spells characters beyond the BMP as one \\U escape."""
    def astral(m: re.Match[str]) -> str:
        high, low = int(m.group(1), 16), int(m.group(2), 16)
        return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"

    return re.sub(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", astral, json.dumps(value))


@settings(max_examples=300, deadline=None)
@given(term=text_values, note=text_values, examples=st.lists(text_values, max_size=3))
def test_any_string_survives_formatting(term: str, note: str, examples: list[str]) -> None:
    entry = {"term": term, "kind": "name", "status": "proposed", "note": note, "examples": examples}
    source = "terms:\n  - " + as_yaml(entry)  # an independent way to write the input
    once = format_text(source, LEX)
    assert parse_yaml(once, "x").data == {"terms": [entry]}
    assert format_text(once, LEX) == once
