"""The rules `find` and the batch candidate test share (`wildcli.match.acceptance`), and the offsets
of the trigger keys in the class string (`wildcli.text.triggers`), pinned one by one.

tests/test_batch_agrees.py compares both stages as a whole; a rule changed here changes both at
once, so each is also held to what it means on its own.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from wildcli.lexicon import load_lexicon
from wildcli.lexicon.model import Kind, Severity, Status, Term
from wildcli.match.acceptance import (
    alternating_case,
    bounded,
    can_report,
    counts_without_context,
    disguise_is_context,
    glued_key_may_pass,
    glued_key_passes,
    may_alternate,
    needs_context,
    refused_at_boundary,
    rewrite_counts,
    rewrite_may_count,
    separators_removed,
    trick_method,
    word_only_keys,
)
from wildcli.match.findings import Method
from wildcli.match.keys import CompiledTerm, Entry, build_automaton
from wildcli.match.matcher import Matcher
from wildcli.text.normalize import View
from wildcli.text.obfuscation import Trick
from wildcli.text.triggers import (
    CLASS_TRIGGERS,
    TRIGGER_KEYS,
    Trigger,
    class_bytes,
    class_offset,
    classes,
    marked_byte,
    read,
    run_bytes,
    suspects,
    tail,
    tokens_at,
)

_TERM = Term("slow loris", "primate", "en", Kind.NAME, Severity.REVIEW, Status.APPROVED)


def _entry(view: View = View.BASE, *, before: bool = True, after: bool = True, **extra: object) -> Entry:
    return Entry(view, 0, None, before, after, **extra)  # type: ignore[arg-type]


def test_a_disguise_stands_in_for_context_and_nothing_else_does() -> None:
    # A compound holds its context word ("Elfenbeinschnitzerei"); the disguises show the sense.
    assert {m for m in Method if disguise_is_context(m)} == {
        Method.SEPARATED, Method.LEET, Method.CONFUSABLE, Method.COMPOUND,
    }
    assert not disguise_is_context(None)  # a plain key: exact, normalised or without diacritics
    bare, needy = CompiledTerm(_TERM), CompiledTerm(_TERM, context=(0,))
    concept = CompiledTerm(_TERM, context_concepts=("selling",))
    assert not needs_context(bare)
    assert needs_context(needy)
    assert needs_context(concept)
    assert counts_without_context(bare, None)
    assert not counts_without_context(needy, None)
    assert not counts_without_context(concept, Method.HASHTAG)
    assert counts_without_context(needy, Method.SEPARATED)
    assert counts_without_context(concept, Method.LEET)


def test_only_the_keys_of_reported_terms_in_the_plain_views_make_a_candidate() -> None:
    assert can_report(_entry(), frozenset())
    assert can_report(_entry(View.FOLDED), frozenset())
    assert can_report(_entry(View.GLUED), frozenset())
    assert not can_report(_entry(View.SKELETON), frozenset())
    assert not can_report(_entry(), frozenset({0}))  # a selling phrase or everyday goods
    assert not can_report(Entry(View.BASE, None, 3, True, True), frozenset())  # a context phrase


def test_word_boundaries() -> None:
    both = _entry()
    assert refused_at_boundary(both, True, False)
    assert refused_at_boundary(both, False, True)
    assert not refused_at_boundary(both, False, False)
    before = _entry(after=False)
    assert refused_at_boundary(before, True, False)
    assert not refused_at_boundary(before, False, True)
    after = _entry(before=False)
    assert refused_at_boundary(after, False, True)
    assert not refused_at_boundary(after, True, False)
    assert not refused_at_boundary(_entry(before=False, after=False), True, True)  # Han, emoji
    assert bounded(0, 5, before, None, (False, True))
    assert not bounded(0, 5, before, None, (True, False))


def test_whole_word_keys_and_glued_keys() -> None:
    words, glue_words = word_only_keys([
        [_entry()], [_entry(before=False)], [_entry(), _entry(View.GLUED, before=False, after=False)],
        [_entry(View.GLUED, before=False, after=False)], [],
    ])
    assert (words, glue_words) == ({0}, {2})

    def never() -> bool:
        raise AssertionError("asked whether the text may glue words, with no need to")

    one_word, two_words = _entry(View.GLUED), _entry(View.GLUED, standalone=False)
    assert not glued_key_passes(one_word, True, never)  # the plain key reports it
    assert glued_key_passes(two_words, True, never)  # "#rhinohorn": glued_in decides
    assert glued_key_passes(one_word, False, lambda: True)
    assert not glued_key_passes(two_words, False, lambda: False)
    # Seen in the folded view only, either answer of the base view counts.
    assert glued_key_may_pass(two_words, lambda: False)
    assert glued_key_may_pass(one_word, lambda: True)
    assert not glued_key_may_pass(one_word, lambda: False)


def test_which_rewrites_of_the_skeleton_view_count() -> None:
    none: frozenset[Trick] = frozenset()
    assert not rewrite_counts(none, False)
    assert not rewrite_may_count(none)
    for trick in Trick:
        assert rewrite_counts(frozenset({trick}), False)
        assert rewrite_may_count(frozenset({trick}))
    # A key spelled as a rewritten token ("pangoiin") needs leet or stuffed letters there.
    assert rewrite_counts(frozenset({Trick.LEET}), True)
    assert rewrite_counts(frozenset({Trick.REPEATED}), True)
    assert not rewrite_counts(frozenset({Trick.SEPARATED, Trick.CONFUSABLE}), True)
    assert separators_removed(frozenset({Trick.SEPARATED, Trick.LEET}))
    assert not separators_removed(frozenset({Trick.LEET, Trick.CONFUSABLE, Trick.REPEATED}))
    assert trick_method(frozenset({Trick.SEPARATED, Trick.LEET})) is Method.LEET
    assert trick_method(frozenset({Trick.REPEATED})) is Method.LEET
    assert trick_method(frozenset({Trick.SEPARATED, Trick.CONFUSABLE})) is Method.CONFUSABLE
    assert trick_method(frozenset({Trick.SEPARATED})) is Method.SEPARATED


_CLASS_KEYS = sorted(k for k, t in TRIGGER_KEYS.items() if t in CLASS_TRIGGERS)
_LEET_KEYS = {k for k in _CLASS_KEYS if TRIGGER_KEYS[k] is Trigger.LEET}
_TEXTS = [
    "iv0ry", "1vory tusk", "rhin0", "buy rhin0 now", "t3 d3", "ng4 v01 x", "iv!ry", "$cales", "x iv0ry",
    "i v o r y", "buy i v o r y now", "i.v.o.r.y", "a i. v. o", "1 v 0 r y", "象 牙", "出售 象 牙 手镯", "к о с т ь",
    "к0сть", "слон0вая", "0бъявление", "рог0 сайги", "κέρα$ ρινόκερου", "τιμή 4λογο",
]  # fmt: skip


@pytest.mark.parametrize("text", _TEXTS)
def test_a_class_trigger_found_after_the_text_points_at_its_own_bytes(text: str) -> None:
    # As `views` scans them: the text, a NUL and the padded class string, in one pass.
    raw = text.encode()
    padded = classes(raw)
    automaton = build_automaton(_CLASS_KEYS)
    hits = [(k, s, e) for k, s, e in automaton.find_matches_as_indexes(text + tail(text), overlapping=True)]
    assert hits
    for key, start, _ in hits:
        at = class_offset(start, len(text))
        assert padded[at:at + len(_CLASS_KEYS[key])] == _CLASS_KEYS[key]
        # The byte marked is the key's second character (the first is the context before it).
        byte = marked_byte(at)
        assert padded[byte + 1] == _CLASS_KEYS[key][1]
        assert 0 <= byte < len(raw)
        # A leet key marks the first byte of a character, where the text may be cut and decoded.
        if _CLASS_KEYS[key] in _LEET_KEYS:
            raw[:byte].decode()


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab0@!кяосλοα象é .-", max_size=12))
def test_leet_triggers_of_the_class_string_and_of_the_regex_agree(text: str) -> None:
    # `views` reads the class-string keys; `skeleton`, without them, the regex twin.
    automaton = build_automaton([k for k in _CLASS_KEYS if k in _LEET_KEYS])
    hits = [
        (Trigger.LEET, class_offset(s, len(text)))
        for _, s, _ in automaton.find_matches_as_indexes(text + tail(text), overlapping=True)
        if s > len(text)
    ]
    # Keys may mark another character of the same token (a leet character ending a word is
    # marked at its word's second letter): the tokens they name must be the regex's. The regex
    # also takes a word ending in two leet characters ("abc0@"), which no key spells.
    def tokens(leet: tuple[int, ...]) -> list[tuple[int, int]]:
        return tokens_at(text, sorted(set(leet)))

    by_keys, by_regex = tokens(read(text, hits, True).leet), tokens(suspects(text).leet)
    assert set(by_keys) <= set(by_regex)
    if not re.search(r"[0@!][0@!]", text):
        assert by_keys == by_regex


@pytest.mark.parametrize("text", [t for t in _TEXTS if " " in t or "." in t])
def test_a_run_key_spans_exactly_its_run(text: str) -> None:
    # As `prefilter` scans a batch: the class string alone, as bytes.
    raw = text.encode()
    automaton = build_automaton(_CLASS_KEYS)
    runs = [
        (s, e) for k, s, e in automaton.find_matches_as_indexes(class_bytes(raw).decode("ascii"), overlapping=True)
        if _CLASS_KEYS[k] not in _LEET_KEYS
    ]
    for start, end in runs:
        first, last = run_bytes(start, end)
        run = raw[first:last + 1].decode()
        # The run starts and ends with a single character that is no separator, beside context.
        assert run[:1].isalnum(), run
        assert run[-1:].isalnum(), run
        assert first == 0 or not raw[first - 1:first].isalnum()
        assert last == len(raw) - 1 or not raw[last + 1:last + 2].isalnum()


def test_runs_and_leet_tokens_at_the_edge_of_a_batch_text_stay_in_their_own_text() -> None:
    # A run ending a text is followed by the batch separator; a leet token starting a text
    # follows it: the bytes the class keys name must fall in the right text.
    from wildcli.lexicon import load_lexicon

    matcher = Matcher(load_lexicon())
    texts = ["nothing here", "i v o r y", "r h i n o horn", "1vory", "iv0ry", "nothing here"] * 20
    expected = [matcher.find(t) for t in texts]
    assert sum(map(len, expected)) >= 20 * 4
    assert matcher.find_many(texts) == expected


@pytest.mark.parametrize(
    ("span", "alternating"),
    [
        ("KuKaNg JaWa", True),
        ("ЛоРи", True),
        ("iVoRy", True),
        ("Kukang Jawa", False),
        ("KUKANG", False),
        ("iPhone", False),
        ("eBay", False),
        ("McDonald", False),
        ("PayPal", False),
        ("KuK", False),  # three letters are too few to tell
    ],
)
def test_alternating_case_is_every_letter_changing_case(span: str, alternating: bool) -> None:
    assert alternating_case(span) is alternating
    # The batch test's cheap sign never misses what the matcher reads as alternating.
    assert may_alternate(span) or not alternating


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAbZz1 .-_'\t\n\x1c\x1f")), max_size=16))
@example("aA\x1cbZ")  # every ASCII white space, the information separators too, breaks a run
@example("aA\x1fbZ")
@example("aA\vbZ")
@example("a-A.b_Z")  # other characters are skipped, not breaks
def test_the_ascii_reading_of_alternating_case_is_the_character_loop(text: str) -> None:
    # An ASCII text is read in C as a string of its cases; " é" after it (white space, then one
    # cased letter, which can start no run of four) sends it through the loop over characters.
    assert may_alternate(text) is may_alternate(text + " é")


def test_a_term_in_alternating_case_needs_no_context_in_find_and_in_batches() -> None:
    matcher = Matcher(load_lexicon())
    texts = ["KuKaNg JaWa", "Kukang Jawa", *["plain listing text"] * 40]
    found = [[f.concept for f in fs] for fs in matcher.find_many(texts)]
    assert found == [[f.concept for f in matcher.find(t)] for t in texts]
    assert "live_primate" in found[0]
    assert "live_primate" not in found[1]
