"""Compounds: in German, Dutch and the Scandinavian languages a term joined to one of its own
context words as one word ("Elfenbeinschnitzerei", "Elfenbeinkette") is the term with its context;
the colour compounds ("elfenbeinfarben") and other words that start with the term stay clean."""

from __future__ import annotations

from functools import cache

import pytest

from wildcli.lexicon import load_lexicon
from wildcli.match.findings import Method
from wildcli.match.languages import compounds, hyphen_forms
from wildcli.match.matcher import Matcher


@cache
def matcher() -> Matcher:
    return Matcher(load_lexicon())


@pytest.mark.parametrize("word", ["Elfenbeinminiatur", "Elfenbeinschachfiguren", "Elfenbeinstatuette"])
def test_a_term_joined_to_its_context_word_is_found_as_the_whole_word(word: str) -> None:
    text = f"{word}, 19. Jh."
    [finding] = [f for f in matcher().find(text) if f.concept == "ivory"]
    assert (finding.start, finding.end, finding.matched) == (0, len(word), word)
    assert finding.method is Method.COMPOUND


@pytest.mark.parametrize(
    "text",
    ["elfenbeinfarben Kleid", "Elfenbeinweiß Wandfarbe", "Urlaub an der Elfenbeinküste", "Elfenbeinton Fliesen"],
)
def test_colour_compounds_and_other_words_starting_with_the_term_stay_clean(text: str) -> None:
    assert [f for f in matcher().find(text) if f.concept == "ivory"] == []


def test_a_term_that_is_the_whole_word_is_reported_instead_of_the_compound() -> None:
    [finding] = [f for f in matcher().find("Elfenbeinkette, 19. Jh.") if f.concept == "ivory"]
    assert (finding.term, finding.method) == ("Elfenbeinkette", Method.EXACT)


def test_batches_find_the_compounds_find_finds() -> None:
    texts = ["Elfenbeinkette antik", "elfenbeinfarben", "Elfenbeinschatulle, Nachlass", *["Tischlampe"] * 40]
    assert matcher().find_many(texts) == [matcher().find(t) for t in texts]


def test_only_compounding_languages_and_long_enough_words_make_compounds() -> None:
    assert compounds("elfenbein", ["kette", "jh.", "lot"], "de") == ["elfenbeinkette", "elfenbeinskette"]
    assert compounds("ivory", ["carving"], "en") == []
    assert compounds("slonová kost", ["řezba"], "nl") == []  # a term of two words


def test_one_finding_per_concept_and_words_the_more_severe_and_surer_one() -> None:
    # 熊膽 is a zh-Hant term and the Traditional spelling of the zh-Hans 熊胆: one finding.
    [finding] = matcher().find("熊膽粉 正品")
    assert (finding.term, finding.lang, finding.method) == ("熊膽", "zh-Hant", Method.EXACT)
    decisions = [d for d in matcher().decide("熊膽粉 正品") if d.term.term == "熊胆"]
    assert decisions
    assert not decisions[0].accepted
    assert decisions[0].reason.startswith("the same words as '熊膽'")


def test_exports_with_variants_carry_the_compounds_wildcli_reads_alone() -> None:
    from wildcli.exporters.selection import ExportOptions, select_items

    options = ExportOptions(variants=True, concepts=frozenset({"ivory"}), langs=frozenset({"de"}))
    texts = {i.text for i in select_items(load_lexicon(), options).items}
    assert {"Elfenbeinschachfiguren", "Elfenbeinstatuette"} <= texts
    assert not {t for t in texts if t.lower().startswith("elfenbeinfarb")}


@pytest.mark.parametrize("text", ["Nashornhorn Pulver", "Nashorn Horn Pulver", "nashornhorn pulver"])
def test_a_hyphenated_compound_is_found_closed_and_apart(text: str) -> None:
    [finding] = [f for f in matcher().find(text) if f.concept == "rhino_horn"]
    assert (finding.term, finding.method) == ("Nashorn-Horn", Method.NORMALIZED)
    assert finding.start == 0


def test_hyphen_forms_are_for_compounding_languages_only() -> None:
    assert hyphen_forms("nashorn-horn", "de") == ["nashornhorn", "nashorn horn"]
    assert hyphen_forms("neushoorn-hoorn", "nl") == ["neushoornhoorn", "neushoorn hoorn"]
    assert hyphen_forms("rhino-horn", "en") == []
    assert hyphen_forms("nashorn horn", "de") == []
