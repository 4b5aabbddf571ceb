"""The building blocks of obfuscation handling, one by one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import VALID_LEXICON
from wildcli.lexicon import load_lexicon
from wildcli.match.keys import Patterns
from wildcli.match.matcher import Matcher
from wildcli.match.views import Trace, collect
from wildcli.text import han
from wildcli.text.confusables import unconfuse
from wildcli.text.hashtags import glued_in
from wildcli.text.normalize import fold_view, normalize
from wildcli.text.obfuscation import Trick, letters_of, skeleton, skeleton_keys, tone_placement
from wildcli.text.triggers import suspects, thrice


@pytest.mark.parametrize(
    ("text", "mapped"),
    [
        ("іvory", "ivory"),  # Cyrillic і in a Latin word
        ("ΗΟRΝ", "hoRn"),  # Greek capitals: Η looks like H, Ν like N
        ("pangоlin scales", "pangolin scales"),
        ("продам кость", "продам кость"),  # genuine Cyrillic words stay
        ("καλημέρα", "καλημέρα"),  # genuine Greek too
        ("ivory ІVОRY", "ivory iVoRY"),
    ],
)
def test_confusables_only_in_mixed_script_words(text: str, mapped: str) -> None:
    assert unconfuse(text)[0] == mapped


def test_han_equivalence_is_exact_not_a_guess() -> None:
    assert han.equivalents("熊胆") == ["熊膽"]
    assert han.equivalents("象牙") == []  # 像 is not a Traditional 象
    assert "臺灣" in han.equivalents("台湾")
    assert han.to_simplified("頭髮") == "头发"
    assert han.traditional_forms("头发")[:2] == ["頭發", "頭髮"]


@pytest.mark.parametrize(
    ("text", "leet", "runs", "repeats"),
    [
        ("carved 1v0ry", True, False, False),
        ("i v o r y", False, True, False),
        ("ivoooory", False, False, True),
        ("iphone 7 64gb 128gb 4th mp3 10am", False, False, False),
        ("20 x 30, 1/2 off, www.example.com", False, False, False),
    ],
)
def test_suspects(text: str, leet: bool, runs: bool, repeats: bool) -> None:
    found = suspects(text)
    assert (bool(found.leet), found.runs, bool(found.repeats)) == (leet, runs, repeats)


def _leet_at(text: str, i: int) -> bool:
    """The leet rule of the trigger keys, position by position: a leet character between two
    ASCII letters, or (neither "!") two between them, marked at the first; before three letters at
    the start of a word, or (not "!") after three at its end."""
    ch, size = text[i], len(text)

    def letters(start: int, end: int) -> bool:
        return start >= 0 and end <= size and all("a" <= c <= "z" for c in text[start:end])

    return ch in "013456789@$!|" and (
        (letters(i - 1, i) and letters(i + 1, i + 2))
        or (letters(i - 1, i) and ch != "!" and i + 2 < size and text[i + 1] in "013456789@$|"
            and letters(i + 2, i + 3))
        or ((i == 0 or not text[i - 1].isalnum()) and letters(i + 1, i + 4))
        or (ch != "!" and letters(i - 3, i) and (i + 1 == size or not text[i + 1].isalnum()))
    )


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abstz19!|$@ .-_Aé象2\n", max_size=14))
def test_suspected_leet_follows_the_rule_at_every_position(text: str) -> None:
    expected = {i for i in range(len(text)) if _leet_at(text, i)} | set(_short_pairs_at(text))
    assert list(suspects(text).leet) == sorted(expected)


def _short_pairs_at(text: str) -> list[int]:
    """The short-word rule: two words of two or three characters, each an ASCII letter then
    letters or characters that stand for vowels (0, 1, 3, 4, @) with one such at least, or a
    digit that stands for a vowel then two letters (not an ordinal), one whitespace character
    between them, and neither touching a letter, a digit or a leet symbol outside the pair."""
    def letter(c: str) -> bool:
        return c.isascii() and c.isalpha()

    def short(word: str) -> bool:
        if len(word) == 3 and word[0] in "0134" and all(letter(c) for c in word[1:]):
            return word[1:] not in {"st", "nd", "rd", "th"}
        return (
            2 <= len(word) <= 3 and letter(word[0])
            and all(letter(c) or c in "0134@" for c in word) and any(c in "0134@" for c in word)
        )

    def edge(c: str) -> bool:
        return (c.isalnum() and c != "_") or c in "@$!|"

    starts = []
    for i in range(len(text)):
        for a in (2, 3):
            for b in (2, 3):
                j = i + a
                if j + 1 + b > len(text) or not text[j].isspace() or text[j] not in " \t\n\r\f\v":
                    continue
                if not (short(text[i:j]) and short(text[j + 1:j + 1 + b])):
                    continue
                if (i > 0 and edge(text[i - 1])) or (j + 1 + b < len(text) and edge(text[j + 1 + b])):
                    continue
                starts.append(i)
    return sorted(set(starts))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="aabwxz_01٣²é \n", max_size=14))
def test_letters_written_thrice_are_found_as_the_rule_says(text: str) -> None:
    # The rule: a letter (not a digit of any script, not w, x or z) three times in a row.
    rule = re.compile(r"([^\W\d_wxz])\1\1")
    assert thrice(text) == [m.start() + 1 for m in rule.finditer(text)]


def test_skeleton_maps_every_character_back() -> None:
    text = "Rare І.V.О.R.Y and p4ngolin, ivoooory"
    sk = skeleton(text, fold_view(normalize(text)))
    assert sk is not None
    assert sk.view.text == "rare ivory and pangoin, ivory"  # l read as i in a leet token
    assert {t for _, _, t in sk.regions} == {Trick.CONFUSABLE, Trick.SEPARATED, Trick.LEET, Trick.REPEATED}
    start = sk.view.text.index("ivory")
    assert text[slice(*sk.view.original_span(start, start + 5))] == "І.V.О.R.Y"


def test_clean_text_has_no_skeleton() -> None:
    text = "Solid oak table, barely used. Pickup only."
    assert skeleton(text, fold_view(normalize(text))) is None


def test_skeleton_keys_know_which_spellings_need_leet() -> None:
    keys = skeleton_keys("pangolin scales")
    assert keys["pangolin scales"] is False
    assert keys["pangolinscales"] is False
    assert keys["pangoin scaies"] is True  # l read as i, only inside a rewritten token


def test_letters_of_keeps_tones() -> None:
    assert letters_of("N.G.À v0i") == letters_of("ngà voi")
    assert letters_of("nga voi") != letters_of("ngà voi")


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoả tốc", "hỏa tốc"), ("khoẻ", "khỏe"), ("thuý", "thúy"), ("chích choè lửa", "chích chòe lửa"),
     ("HOẠ SĨ", "họa sĩ"), ("hoà, bình", "hòa, bình")],
)
def test_either_tone_placement_spells_the_same_letters(old: str, new: str) -> None:
    assert tone_placement(normalize(old).text) == normalize(new).text
    assert letters_of(old) == letters_of(new)


@pytest.mark.parametrize("text", ["hoàn", "thuyền", "khoèo", "họa", "ngà voi", "bo à"])
def test_tone_placement_leaves_closed_syllables_and_the_newer_placement_alone(text: str) -> None:
    assert tone_placement(text) == text


def test_a_term_is_found_in_the_older_tone_placement() -> None:
    matcher = Matcher(load_lexicon())
    for text in ("Rùa sa nhân, gửi hoả tốc", "bán chích choè lửa, giá tốt"):
        decisions = [d for d in matcher.decide(text) if d.accepted]
        assert decisions, text
        assert all(d.term.lang == "vi" for d in decisions)
    assert {f.concept for f in matcher.find("bán chích choè lửa, giá tốt")} == {"live_bird"}


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        ("#ivorycarving", (1, 6), "hashtag"),
        ("#legalmammothivory", (13, 18), "hashtag"),
        ("#pottery", (2, 7), None),  # inside a lowercase hashtag
        ("RhinoHornBeads", (0, 9), "compound"),
        ("rhinohornbeads", (0, 9), None),
        ("#MammothIvoryTusk", (8, 13), "hashtag"),
        ("HTMLParser", (4, 10), "compound"),
    ],
)
def test_glued_terms_only_where_hashtags_and_capitals_allow(
    text: str, span: tuple[int, int], where: str | None
) -> None:
    assert glued_in(text, *span) == where


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*list("ab1 .-_*!@$|#ІаоΗ象牙熊膽"), "\u200b", "́", "ｉ"]), max_size=40).map("".join))
def test_skeleton_offsets_are_monotonic_and_in_range(text: str) -> None:
    sk = skeleton(text, fold_view(normalize(text)))
    if sk is None:
        return
    starts, ends = sk.view.offset_maps()
    assert len(starts) == len(ends) == len(sk.view.text)
    assert list(starts) == sorted(starts)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))


@pytest.mark.parametrize(
    ("text", "stuffed"),
    [
        ("ivvvory", True),
        ("IVVVORY", True),
        ("iv\u200bvvory", True),  # an invisible character between the letters hides nothing
        ("Großstadt, Maßstab, Fußsohle", False),  # ß is ss: with one more s it is not stuffing
        ("ﬀf", False),  # the ff ligature next to an f
        ("Großstadt ivvvory", True),
    ],
)
def test_a_stuffed_letter_is_one_typed_three_times(text: str, stuffed: bool) -> None:
    trace = Trace()
    collect(text, Patterns(load_lexicon([VALID_LEXICON]), obfuscation=True), trace)
    assert ("skeleton" in [name for name, _ in trace.views]) is stuffed


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("ng4 v01 chạm khắc", "ngà voi"),  # every word in leet, the tones gone with the vowels
        ("c0rn3 d3 rh1n0c3r0s", "corne de rhinocéros"),  # short words between leet words
        ("b1lis d3 0so", "bilis de oso"),  # a digit first in a short word
        ("vây cá m4p", "vây cá mập"),  # the tones kept where no digit took the vowel
        ("Baer3ngalle", "Bärengalle"),  # an umlaut written out, and leet
        ("Baerengalle 100g", "Bärengalle"),
        ("used apd0 ng 0so", "apdo ng oso"),  # a short plain word between two in leet
        ("price sk0ra lamp@r7a", "skóra lamparta"),  # 'lamp' inside the disguised term itself
        ("price k a p l 4 n derisi", "kaplan derisi"),  # 'kapı' read inside the spelled-out word
        ("buche de t0t04b4", "buche de totoaba"),  # more leet digits than letters
        ("1v01r3 sculptée", "ivoire"),  # two leet digits side by side between letters
    ],
)
def test_leet_in_every_word_and_written_out_umlauts(text: str, term: str) -> None:
    from dataclasses import replace

    from wildcli.lexicon import Status
    from wildcli.match.matcher import Matcher

    # What is tested is the reading of the disguise: a name still waiting for a source that shows
    # it (proposed) is approved here, so the case holds whatever its review status.
    lexicon = load_lexicon()
    terms = tuple(replace(t, status=Status.APPROVED) if t.term == term else t for t in lexicon.terms)
    found = Matcher(replace(lexicon, terms=terms, digest=f"{lexicon.digest}+{term}")).find(text)
    assert term in [f.term for f in found], text


@pytest.mark.parametrize(
    "text",
    [
        "Samsung m8 m9 m10 u11 z3 z4 z5 phone case",  # model numbers in a row
        "4th mp3 player",  # an ordinal and a model
        "vấy cá m4p",  # a tone the term does not have
        "iphone 7 64gb 128gb 4th mp3 10am",
        "b4b3 a1b2 rx580 x100 10w40 1080p h264",  # mostly digits: leet only where no three run
    ],
)
def test_model_numbers_and_wrong_tones_are_not_leet_terms(text: str) -> None:
    from wildcli.match.matcher import MIN_BATCH, Matcher

    matcher = Matcher(load_lexicon())
    assert matcher.find(text) == []
    texts = [text] * MIN_BATCH
    assert matcher.find_many(texts) == [[]] * MIN_BATCH


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("apd0 ng 0so", ["apd0", "0so"]),  # across a short plain word, from a word in leet on its own
        ("ru4 sa0 an d0", ["ru4", "sa0", "d0"]),
        ("bmw m3 vs x4", []),  # two short words two apart are model names, not a disguise
        ("size l1 ok", []),  # alone, a size
        ("b1lis chair d0", ["b1lis"]),  # not across a longer word
    ],
)
def test_short_leet_words_are_read_only_beside_a_disguised_word(text: str, words: list[str]) -> None:
    from wildcli.text.obfuscation import rewritten_words

    tokens = suspects(text).token_spans()
    assert [text[s:e] for s, e, _ in rewritten_words(text, tokens)] == words


def test_at_stands_for_a_vowel_after_the_first_letter_of_a_short_word_not_before_it() -> None:
    assert suspects("ng@ v0i").leet == (0, 5)  # ngà voi: the pair of short words, and the 0 in v0i
    assert suspects("@jo @al").leet == ()  # two mentions
    assert suspects("a0 é0").leet == ()  # the class string's letters are ASCII, and so are the regex's
