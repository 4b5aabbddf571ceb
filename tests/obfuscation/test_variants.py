"""`wildcli.discovery.variants.expand`: deterministic, capped, named by rule, and found by the matcher."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tests.conftest import VALID_LEXICON
from wildcli.discovery.variants import RULES, Variant, expand
from wildcli.lexicon import Lexicon, Term, load_lexicon
from wildcli.match import languages
from wildcli.match.inflection import plural
from wildcli.match.matcher import Matcher
from wildcli.text.normalize import fold, has_diacritics, normalize_key

HERE = Path(__file__).parent


@cache
def lexicon() -> Lexicon:
    return load_lexicon([VALID_LEXICON, HERE / "lexicon"])


def test_rules_name_each_variant() -> None:
    by_rule = {v.rule: v.text for v in expand("ivory", "en", max_variants=100)}
    assert by_rule["leet"]
    assert by_rule["separator"]
    assert by_rule["confusable"]
    texts = {v.text for v in expand("ivory", max_variants=100)}
    assert {"1v0ry", "i.v.o.r.y", "i v o r y", "іvory", "IVORY", "#ivory", "ivories"} <= texts


def test_expand_is_pure_sorted_capped_and_unique() -> None:
    first = expand("rhino horn", "en", max_variants=12)
    assert first == expand("rhino horn", "en", max_variants=12)
    assert len(first) == 12
    assert len({v.text for v in first}) == 12
    assert all(v.text != "rhino horn" and v.term == "rhino horn" for v in first)
    assert first == sorted(first, key=lambda v: (RULES.index(v.rule), v.text))
    assert len({v.rule for v in first}) >= 6  # the cap is shared out between the rules


@pytest.mark.parametrize(
    ("term", "lang", "expected"),
    [
        ("熊胆", "zh-Hans", {("熊膽", "script_variant"), ("xiong dan", "transliteration"), ("熊 胆", "separator")}),
        ("熊膽", "zh-Hant", {("熊胆", "script_variant")}),
        ("ngà voi", "vi", {("nga voi", "transliteration"), ("#ngavoi", "hashtag")}),
        ("слоновая кость", "ru", {("slonovaia kost'", "transliteration")}),
        ("éléphant", "fr", {("elephant", "diacritics"), ("éléphants", "plural")}),
    ],
)
def test_language_specific_rules(term: str, lang: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= {(v.text, v.rule) for v in expand(term, lang, max_variants=100)}


def test_no_variants_for_emoji_terms_and_no_look_alike_forms_of_other_scripts() -> None:
    emoji = next(t for t in lexicon().terms if t.kind.value == "emoji")
    assert expand(emoji) == []
    assert not {v.rule for v in expand("象牙", "zh-Hans")} & {"leet", "confusable", "case"}


@pytest.mark.parametrize(
    ("term", "lang", "expected"),
    [
        ("rhino horn", "en", "rhino horns"), ("ivory", "en", "ivories"), ("tusk", "en", "tusks"),
        ("scales", "en", None), ("box", "en", "boxes"),
        ("marfil", "es", "marfiles"), ("tiburón", "es", "tiburones"), ("luz", "es", "luces"),
        ("cuerno de rinoceronte", "es", "cuernos de rinoceronte"), ("marfil tallado", "es", None),
        ("marfim", "pt", "marfins"), ("animal", "pt", "animais"), ("chifre", "pt", "chifres"),
        ("ivoire", "fr", "ivoires"), ("corne de rhinocéros", "fr", "cornes de rhinocéros"),
        ("chacal", "fr", None), ("avorio", "it", "avori"), ("zanna", "it", "zanne"),
        ("corno di rinoceronte", "it", "corni di rinoceronte"), ("象牙", "zh-Hans", None),
    ],
)
def test_plurals_only_where_a_simple_rule_is_right(term: str, lang: str, expected: str | None) -> None:
    assert plural(term, lang) == expected


MATCHED_RULES = {"case", "diacritics", "script_variant", "separator", "leet", "confusable", "repeat"}


def _matched_by_policy(term: Term, variant: Variant) -> bool:
    """Whether the matcher's documented policy promises to find this variant of the term."""
    key = normalize_key(term.term, languages.view_for(term.lang))
    folded = fold(key)
    toned = languages.strict_diacritics(term.lang) and folded != key
    if toned and not has_diacritics(variant.text) and not languages.toneless_allowed(key):
        return False  # Vietnamese without its tones: only long multi-syllable terms
    if variant.rule in {"separator", "leet", "confusable", "repeat"}:
        return languages.lossy_allowed(folded)
    if variant.rule == "diacritics" and languages.letters(key) < languages.ACCENT_MIN_LETTERS:
        return False
    if variant.rule == "hashtag":
        return languages.hashtag_allowed(term, key.replace(" ", ""))
    return variant.rule in MATCHED_RULES or (variant.rule == "transliteration" and toned)


def test_the_matcher_finds_the_variants_it_promises_to() -> None:
    matcher = Matcher(lexicon())
    terms = [
        t for t in lexicon().active_terms()
        if lexicon().concepts[t.concept].role.value == "product" and not t.context
    ]
    missed = [
        (term.term, v.rule, v.text)
        for term in terms for v in expand(term, max_variants=100)
        if _matched_by_policy(term, v)
        and not any(f.concept == term.concept for f in matcher.find(f"see {v.text} now"))
    ]
    assert missed == []
