"""The layout written straight from data (fastlayout) must be ruamel.yaml's canonical layout
wherever it claims a file is canonical: `fmt` and WL009 trust it instead of the round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wildcli.lexicon.bundled import bundled_lexicon_dir
from wildcli.lexicon.canonical import format_text, round_trip, schema_line
from wildcli.lexicon.fastlayout import canonical_layout
from wildcli.lexicon.parse import CONCEPT_KEYS, SOURCE_KEYS, SPECIES_KEYS, TERM_KEYS
from wildcli.lexicon.yamlfile import parse_yaml

BUNDLED = sorted(bundled_lexicon_dir().glob("*/*.yaml"))
TERMS_FILE = Path("lexicons/ivory/en.yaml")
CONCEPT_FILE = Path("lexicons/ivory/concept.yaml")


def claimed(text: str, path: Path) -> bool:
    """Whether format_text takes the fast path for `text`: the layout of its data is the text."""
    body = canonical_layout(parse_yaml(text, str(path)).data, path.name == "concept.yaml")
    return body is not None and text == f"{schema_line(path, text.split(chr(10))[0])}\n{body}"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bundled_files_are_laid_out_as_ruamel_does(path: Path) -> None:
    text = path.read_text("utf-8")
    body = canonical_layout(parse_yaml(text, str(path)).data, path.name == "concept.yaml")
    assert body is not None
    assert f"{schema_line(path, text.split(chr(10))[0])}\n{body}" == round_trip(text, path)


def test_files_with_comments_or_out_of_order_take_the_round_trip() -> None:
    header = schema_line(TERMS_FILE)
    entry = '  - term: {}\n    kind: name\n    severity: block\n    status: approved\n'
    commented = f"{header}\n# reviewed 2026-11\nterms:\n{entry.format('ivory')}"
    unsorted = f"{header}\nterms:\n{entry.format('tusk')}{entry.format('ivory')}"
    quoted_number = f"{header}\nterms:\n{entry.format('ivory')}    window: '40'\n"
    for text in (commented, unsorted, quoted_number):
        assert not claimed(text, TERMS_FILE)
        assert format_text(text, TERMS_FILE) == round_trip(text, TERMS_FILE)
    assert format_text(commented, TERMS_FILE).startswith(f"{header}\n# reviewed 2026-11\n")


# Text that trips YAML: indicators, `: ` and ` #`, quotes, escapes, line breaks, hidden and
# bidi characters, a BOM, words YAML 1.1 reads as booleans, numbers, dates, other scripts.
_PIECES = st.sampled_from([
    "a", "ivory", " ", "  ", ":", ": ", "#", " #", "-", "- ", "?", "? ", ",", "[", "]", "{", "}",
    "&", "*", "!", "|", ">", "'", '"', "%", "@", "`", "\\", "\t", "\n", "\r", "\x85", "\u2028",
    "\x00", "\x7f", "\xa0", "\u200b", "\u200d", "\u202e", "\ufeff", "---", "...", "no", "yes",
    "on", "true", "null", "~", "1", "0x1F", "1_0e5", "1.5", ".inf", "2024-05-01", "12:30",
    "象牙", "ngà voi", "عاج", "🐘", "é", "=", "<<",
])
_TEXT = st.lists(_PIECES, min_size=0, max_size=6).map("".join)
_SCALAR = st.one_of(_TEXT, _TEXT, st.integers(-5, 500), st.booleans())
_LIST = st.lists(_TEXT, min_size=0, max_size=4)


def _entry(keys: tuple[str, ...], extra: bool) -> st.SearchStrategy[dict[str, Any]]:
    names = st.sampled_from(keys + (("x-note", "no", "a b") if extra else ()))
    values = st.one_of(_SCALAR, _LIST)
    return st.dictionaries(names, values, min_size=1, max_size=6)


_SOURCE = _entry(SOURCE_KEYS, True)
_TERM = st.builds(
    lambda base, sources: {**base, **({"sources": sources} if sources else {})},
    _entry(TERM_KEYS, True), st.lists(_SOURCE, max_size=2),
)
_TERMS_DATA = st.builds(lambda terms: {"terms": terms}, st.lists(_TERM, min_size=1, max_size=4))
_CONCEPT_DATA = st.builds(
    lambda base, labels, species: {**base, "labels": labels, **({"species": species} if species else {})},
    _entry(CONCEPT_KEYS, True), st.dictionaries(_TEXT, _TEXT, min_size=1, max_size=3),
    st.lists(_entry(SPECIES_KEYS, True), max_size=2),
)


def _dump(data: dict[str, Any], path: Path) -> str | None:
    body = canonical_layout(data, path.name == "concept.yaml")
    return None if body is None else f"{schema_line(path)}\n{body}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_TERMS_DATA)
def test_generated_terms_files_claimed_canonical_are_canonical(data: dict[str, Any]) -> None:
    _check(data, TERMS_FILE)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_CONCEPT_DATA)
def test_generated_concept_files_claimed_canonical_are_canonical(data: dict[str, Any]) -> None:
    _check(data, CONCEPT_FILE)


def _check(data: dict[str, Any], path: Path) -> None:
    text = _dump(data, path)
    if text is None:
        return
    try:
        if not claimed(text, path):
            return  # the text reads back as other data: the fast path would not trust it
    except Exception:  # the loader refuses the text: so does format_text, before any layout
        return
    assert round_trip(text, path) == text
