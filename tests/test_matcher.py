"""The matching engine on the fixture lexicon: boundaries, context, exclude, offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wildcli.lexicon import Lexicon, Severity
from wildcli.match.findings import Method
from wildcli.match.matcher import Matcher, MatchOptions

CASES = [
    # (text, expected terms)
    ("Carved IVORY bangle, DM for price", ["ivory"]),
    ("Ivory Coast football shirt, for sale", []),
    ("ivory wedding dress for sale", []),
    ("ivory bangle", []),  # no context word: the colour sense is more likely
    ("Bán vòng ngà voi thật", ["ngà voi"]),
    ("Ngày hội voi Buôn Đôn", []),
    ("Ngàn voi", []),
    ("出售老象牙手镯，包邮", ["象牙"]),
    ("象牙白钢笔", []),
    ("Antique bovine bone netsuke", ["bovine bone"]),
    ("Bán cao hổ cốt nguyên chất", ["cao hổ"]),
    ("Khổng tử cao hơn", []),
    ("for sale", []),  # trade_context is never a finding alone
]


@pytest.mark.parametrize(("text", "terms"), CASES)
def test_detection_table(fixture_matcher: Matcher, text: str, terms: list[str]) -> None:
    assert [f.term for f in fixture_matcher.find(text)] == terms


def test_offsets_point_into_the_original_text(fixture_matcher: Matcher) -> None:
    text = "Rare ＩＶＯＲＹ carved, also iv\u200bory netsuke"
    found = fixture_matcher.find(text)
    assert [(text[f.start:f.end], f.method) for f in found] == [
        ("ＩＶＯＲＹ", Method.NORMALIZED),
        ("iv\u200bory", Method.NORMALIZED),
    ]
    assert all(text[f.start:f.end] == f.matched for f in found)


def test_exact_method_and_score(fixture_matcher: Matcher) -> None:
    (f,) = fixture_matcher.find("Bán vòng ngà voi thật")
    assert (f.method, f.score, f.severity, f.concept, f.lang) == (
        Method.EXACT, 1.0, Severity.BLOCK, "ivory", "vi"
    )


def test_vietnamese_tones_are_significant(fixture_lexicon: Lexicon) -> None:
    plain = Matcher(fixture_lexicon, MatchOptions(obfuscation=False))
    assert plain.find("ban vong nga voi that") == []


def test_vietnamese_toneless_policy(fixture_matcher: Matcher) -> None:
    # Obfuscation handling: a toneless two-syllable term matches where the text has no tones...
    (f,) = fixture_matcher.find("ban vong nga voi that")
    assert (f.term, f.matched, f.method) == ("ngà voi", "nga voi", Method.DIACRITICS)
    # ...but never where the matched text carries other tones, and never for one syllable.
    assert fixture_matcher.find("Nga vội vàng") == []
    assert fixture_matcher.find("ban cao ho cot") == []


def test_decide_explains_rejections(fixture_matcher: Matcher) -> None:
    reasons = {d.term.term: d.reason for d in fixture_matcher.decide("Ivory Coast shirt for sale")}
    assert reasons["ivory"] == "excluded by 'Ivory Coast'"
    reasons = {d.term.term: d.reason for d in fixture_matcher.decide("ivory bangle")}
    assert reasons["ivory"] == "no context word within the window"


def test_filters(fixture_lexicon: Lexicon) -> None:
    text = "Carved ivory and 象牙 for sale"
    only_block = Matcher(fixture_lexicon, MatchOptions(min_severity=Severity.BLOCK)).find(text)
    assert [f.term for f in only_block] == ["象牙"]
    only_en = Matcher(fixture_lexicon, MatchOptions(langs=frozenset({"en"}))).find(text)
    assert [f.term for f in only_en] == ["ivory"]
    none = Matcher(fixture_lexicon, MatchOptions(concepts=frozenset({"tiger_parts"}))).find(text)
    assert none == []


def test_longer_hit_of_the_same_concept_hides_the_shorter(fixture_lexicon: Lexicon) -> None:
    matcher = Matcher(fixture_lexicon)
    assert [f.term for f in matcher.find("carved elephant ivory")] == ["elephant ivory"]
    reasons = {d.term.term: d.reason for d in matcher.decide("carved elephant ivory")}
    assert reasons["ivory"] == "inside the longer hit 'elephant ivory'"


@given(st.text(max_size=80))
def test_findings_are_always_exact_substrings(text: str) -> None:
    from tests.conftest import VALID_LEXICON
    from wildcli.lexicon import load_lexicon

    matcher = _matcher(str(VALID_LEXICON), load_lexicon)
    for f in matcher.find(text + " ivory carved " + text):
        assert 0 <= f.start < f.end
        assert (text + " ivory carved " + text)[f.start:f.end] == f.matched


_CACHE: dict[str, Matcher] = {}


def _matcher(path: str, load) -> Matcher:  # type: ignore[no-untyped-def]
    if path not in _CACHE:
        _CACHE[path] = Matcher(load([path]))
    return _CACHE[path]


@pytest.mark.parametrize("text", ["i.v.o.r.y bangle", "1v0ry bangle", "\u0456vory bangle"])
def test_a_disguised_spelling_stands_in_for_context(fixture_matcher: Matcher, text: str) -> None:
    assert [f.term for f in fixture_matcher.find(text)] == ["ivory"]
    assert fixture_matcher.find("ivory bangle") == []


def test_a_disguise_does_not_override_an_exclusion(fixture_matcher: Matcher) -> None:
    assert fixture_matcher.find("i.v.o.r.y wedding dress") == []


def test_dots_inside_a_spelled_out_word_are_not_word_boundaries(fixture_matcher: Matcher) -> None:
    # "ivory coast" is an exclusion; "c.o.a.s.t.e.r" is one word, so it must not trigger it.
    assert [f.term for f in fixture_matcher.find("1v0ry c.o.a.s.t.e.r")] == ["ivory"]
    assert fixture_matcher.find("1v0ry c.o.a.s.t") == []


def test_an_exclusion_may_name_a_concept() -> None:
    """`exclude: ["@goods"]`: any term of that concept near the hit cancels it, in any language."""
    from wildcli.lexicon import Concept, Kind, Role, Severity, Status, Term

    terms = (
        Term("ivoire", "ivory", "fr", Kind.NAME, Severity.REVIEW, Status.APPROVED, exclude=("@goods", "peinture")),
        Term("tapis", "goods", "fr", Kind.NAME, Severity.MONITOR, Status.APPROVED),
        Term("rug", "goods", "en", Kind.NAME, Severity.MONITOR, Status.APPROVED),
    )
    lexicon = Lexicon(
        concepts={
            "ivory": Concept("ivory", {"fr": "ivoire"}, "", Severity.REVIEW),
            "goods": Concept("goods", {"fr": "biens"}, "", Severity.MONITOR, Role.CONTEXT),
        },
        terms=terms,
    )
    matcher = Matcher(lexicon)
    assert [f.term for f in matcher.find("statuette en ivoire")] == ["ivoire"]
    assert matcher.find("tapis ivoire 160x230") == []
    assert matcher.find("ivoire rug") == []
    assert matcher.find("peinture ivoire") == []
    [decision] = [d for d in matcher.decide("tapis ivoire") if d.term.term == "ivoire"]
    assert decision.reason == "excluded by 'tapis' (@goods)"


def test_a_name_is_found_in_its_plural_and_a_code_word_only_as_written(fixture_matcher: Matcher) -> None:
    found = fixture_matcher.find("two elephant ivories, for sale")
    assert [(f.term, f.matched, f.method) for f in found] == [("elephant ivory", "elephant ivories", Method.NORMALIZED)]
    # 'bovine bone' is a code word: its plural is the everyday sense ("bovine bones for dogs").
    assert fixture_matcher.find("bovine bones for dogs") == []
    assert [f.term for f in fixture_matcher.find("Antique bovine bone netsuke")] == ["bovine bone"]


def test_an_exclusion_counts_in_its_plural_too(fixture_matcher: Matcher) -> None:
    assert fixture_matcher.find("carved ivory wedding dress") == []
    assert fixture_matcher.find("carved ivory wedding dresses") == []
    assert [f.term for f in fixture_matcher.find("carved ivory bangles")] == ["ivory"]


def _zero_width_lexicon() -> Lexicon:
    from wildcli.lexicon import Concept, Kind, Severity, Status, Term

    terms = (
        Term("slow loris", "primate", "en", Kind.NAME, Severity.REVIEW, Status.APPROVED),
        Term("ivory", "primate", "en", Kind.NAME, Severity.REVIEW, Status.APPROVED),
        Term("ory", "primate", "en", Kind.NAME, Severity.REVIEW, Status.APPROVED),
    )
    return Lexicon(concepts={"primate": Concept("primate", {"en": "primate"}, "", Severity.REVIEW)}, terms=terms)


def test_a_zero_width_space_may_stand_for_the_space_of_a_term() -> None:
    """Read once as nothing ("iv\u200bory" is ivory) and once as a space: "slow\u200bloris" is slow
    loris, found at its place in the text as typed, normalised rather than exact."""
    matcher = Matcher(_zero_width_lexicon())
    text = "cute slow\u200bloris baby"
    [found] = matcher.find(text)
    assert (found.term, found.matched, text[found.start:found.end], found.method) == (
        "slow loris", "slow\u200bloris", "slow\u200bloris", Method.NORMALIZED,
    )
    assert [f.term for f in matcher.find("iv\u200bory")] == ["ivory"]
    assert matcher.find_many([text] + ["a filler"] * 300)[0] == [found]


def test_a_zero_width_space_inside_a_word_makes_no_key_of_its_halves() -> None:
    """Read as a space, "iv\u200bory" would hold the word "ory": a hit of that reading counts only
    with a zero-width space inside it."""
    matcher = Matcher(_zero_width_lexicon())
    assert [f.term for f in matcher.find("iv\u200bory")] == ["ivory"]
    assert [f.term for f in matcher.find("xyz\u200bory")] == []
    assert [d.term.term for d in matcher.decide("xyz\u200bory")] == []


def test_words_one_term_is_excluded_on_are_excluded_for_its_concept() -> None:
    """The Traditional term read on Simplified letters (and the other way round) answers to the
    exclusions of the term written there, which its own list need not repeat."""
    from wildcli.lexicon import Concept, Kind, Severity, Status, Term

    terms = (
        Term("鹤顶红", "hornbill", "zh-Hans", Kind.NAME, Severity.REVIEW, Status.APPROVED, exclude=("仿鹤顶红",)),
        Term("鶴頂紅", "hornbill", "zh-Hant", Kind.NAME, Severity.REVIEW, Status.APPROVED),
    )
    matcher = Matcher(Lexicon(
        concepts={"hornbill": Concept("hornbill", {"zh-Hans": "鹤顶红"}, "", Severity.REVIEW)}, terms=terms,
    ))
    assert [f.term for f in matcher.find("鹤顶红 手镯")] == ["鹤顶红"]
    assert [f.term for f in matcher.find("鶴頂紅 手鐲")] == ["鶴頂紅"]
    assert matcher.find("仿鹤顶红 手镯") == []
    assert matcher.find("仿鶴頂紅 手鐲") == []
    reasons = {d.term.term: d.reason for d in matcher.decide("仿鹤顶红 手镯")}
    assert reasons["鶴頂紅"] == "the same words as '鹤顶红', excluded by '仿鹤顶红'"


def test_an_exclusion_glued_into_another_word_counts_only_in_the_hit_s_own_word() -> None:
    """The end of "#necklace" reads "lace", an exclusion of ivory: it says nothing about the ivory
    of another word, but "#ivorylace" is ivory lace. The same for a concept's term."""
    from wildcli.lexicon import Concept, Kind, Role, Severity, Status, Term

    terms = (
        Term("ivory", "ivory", "en", Kind.NAME, Severity.REVIEW, Status.APPROVED, exclude=("lace",)),
        Term("ivoire", "ivory", "fr", Kind.NAME, Severity.REVIEW, Status.APPROVED, exclude=("@goods",)),
        Term("lampe", "goods", "fr", Kind.NAME, Severity.MONITOR, Status.APPROVED),
    )
    matcher = Matcher(Lexicon(
        concepts={
            "ivory": Concept("ivory", {"en": "ivory"}, "", Severity.REVIEW),
            "goods": Concept("goods", {"fr": "biens"}, "", Severity.MONITOR, Role.CONTEXT),
        },
        terms=terms,
    ))
    assert [f.term for f in matcher.find("antique ivory pendant #necklace")] == ["ivory"]
    assert matcher.find("antique ivory pendant, lace ribbon") == []
    assert matcher.find("#ivorylace wedding dress") == []
    assert matcher.find("ivoire sculpté #belleLampe") == []  # a capital marks a word of its own
    assert [f.term for f in matcher.find("ivoire sculpté #superlampe")] == ["ivoire"]
    assert matcher.find("#ivoirelampe") == []


def test_a_short_term_is_matched_only_with_its_own_accents() -> None:
    """German Bär is not English bar, and English hat is not Vietnamese hạt (a bead): a term of
    fewer than five letters is refused where the text adds accents to it or drops its own. A
    longer one may be written either way ("ívory", "Barengalle")."""
    from wildcli.lexicon import Concept, Kind, Severity, Status, Term

    terms = (
        Term("hat", "goods", "en", Kind.NAME, Severity.REVIEW, Status.APPROVED),
        Term("Bär", "goods", "de", Kind.NAME, Severity.REVIEW, Status.APPROVED),
        Term("ivory", "goods", "en", Kind.NAME, Severity.REVIEW, Status.APPROVED),
    )
    matcher = Matcher(Lexicon(concepts={"goods": Concept("goods", {"en": "goods"}, "", Severity.REVIEW)}, terms=terms))
    assert [f.term for f in matcher.find("a straw hat")] == ["hat"]
    assert [f.term for f in matcher.find("vòng hạt gỗ")] == []
    assert [f.term for f in matcher.find("ein Bär aus Holz")] == ["Bär"]
    assert [f.term for f in matcher.find("a bar of soap")] == []
    assert [(f.term, f.method) for f in matcher.find("an ívory box")] == [("ivory", Method.DIACRITICS)]
    [refused] = [d for d in matcher.decide("vòng hạt gỗ") if d.term.term == "hat"]
    assert (refused.accepted, refused.reason) == (False, "too short to match with accents other than its own")
