"""Obfuscation-robust matching: each trick, its method and score, and the policies that keep
lossy matching from inventing findings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tests.conftest import VALID_LEXICON
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.match.findings import Method
from wildcli.match.matcher import Matcher, MatchOptions
from wildcli.match.views import Trace

HERE = Path(__file__).parent


@cache
def lexicon() -> Lexicon:
    return load_lexicon([VALID_LEXICON, HERE / "lexicon"])


@cache
def matcher(obfuscation: bool = True, fuzzy: bool = False) -> Matcher:
    return Matcher(lexicon(), MatchOptions(obfuscation=obfuscation, fuzzy=fuzzy))


FOUND = [
    # (text, term, matched, method)
    ("carved 1v0ry for sale", "ivory", "1v0ry", Method.LEET),
    ("carved !vory netsuke", "ivory", "!vory", Method.LEET),
    ("carved i.v.o.r.y", "ivory", "i.v.o.r.y", Method.SEPARATED),
    ("carved i v o r y", "ivory", "i v o r y", Method.SEPARATED),
    ("buy a i v o r y carved", "ivory", "i v o r y", Method.SEPARATED),
    ("carved i-v-o-r-y", "ivory", "i-v-o-r-y", Method.SEPARATED),
    ("carved ｉｖｏｒｙ", "ivory", "ｉｖｏｒｙ", Method.NORMALIZED),
    ("carved іvory", "ivory", "іvory", Method.CONFUSABLE),  # Cyrillic і
    ("carved ІVОRY", "ivory", "ІVОRY", Method.CONFUSABLE),  # Cyrillic І and О
    ("carved iv\u200bory", "ivory", "iv\u200bory", Method.NORMALIZED),
    ("carved ivoooory", "ivory", "ivoooory", Method.LEET),
    ("#ivorycarving for sale", "ivory", "ivory", Method.HASHTAG),
    ("#RhinoHornBeads for sale", "rhino horn", "RhinoHorn", Method.HASHTAG),
    ("RhinoHornBeads", "rhino horn", "RhinoHorn", Method.HASHTAG),
    ("#rhino_horn", "rhino horn", "rhino_horn", Method.SEPARATED),
    ("genuine rhino-horn cup", "rhino horn", "rhino-horn", Method.SEPARATED),
    ("e.l.e.p.h.a.n.t i.v.o.r.y", "elephant ivory", "e.l.e.p.h.a.n.t i.v.o.r.y", Method.SEPARATED),
    ("p4ngolin sc4les", "pangolin scales", "p4ngolin sc4les", Method.LEET),
    ("pango1in scales", "pangolin scales", "pango1in scales", Method.LEET),
    ("bán sung te giac thật", "sừng tê giác", "sung te giac", Method.DIACRITICS),
    ("ban vong nga voi", "ngà voi", "nga voi", Method.DIACRITICS),
    ("出售 象 牙 手镯", "象牙", "象 牙", Method.SEPARATED),
    ("出售象.牙", "象牙", "象.牙", Method.SEPARATED),
    ("正品熊膽粉", "熊胆", "熊膽", Method.SCRIPT_VARIANT),
    ("正品 熊 膽", "熊胆", "熊 膽", Method.SEPARATED),
    ("出售 犀 牛 角 杯", "犀牛角", "犀 牛 角", Method.SEPARATED),
    ("tusk🐘carving", "🐘", "🐘", Method.EXACT),
    ("echte Barengalle", "Bärengalle", "Barengalle", Method.DIACRITICS),
]


@pytest.mark.parametrize(("text", "term", "matched", "method"), FOUND)
def test_obfuscated_forms_are_found(text: str, term: str, matched: str, method: Method) -> None:
    found = [(f.term, f.matched, f.method) for f in matcher().find(text)]
    assert (term, matched, method) in found


CLEAN = [
    "Ngày hội voi Buôn Đôn",  # ngà inside Ngày
    "Nga vội vàng",  # a toned text never matches a toneless key
    "nanh ho thật",  # one syllable: ho is not hổ
    "siro cao ho cho bé",  # cao hổ is too short to match without its tones
    "cocktail bar for sale",  # German Bär needs its umlaut
    "продам слоновую кость",  # genuine Cyrillic words are not mapped to Latin
    "iPhone 7plus 64gb, 4th gen, mp3 player, w x d 20 x 30",  # numbers and units are not leet
    "#pottery and #babypangolinlove for sale",  # a glued term only at a hashtag's start or end
    "rhinohornbeads",  # glued, but neither a hashtag nor a camel-cased compound
    "好像牙齿在疼",  # 像 is not a Traditional form of 象
    "熊猫胆小",
    "Ivory Coast football shirt, for sale",
    "#IvoryCoast shirt for sale",
]


@pytest.mark.parametrize("text", CLEAN)
def test_policies_keep_lossy_matching_honest(text: str) -> None:
    assert matcher().find(text) == []


def test_without_obfuscation_handling_only_base_and_folded_views_match() -> None:
    plain = matcher(obfuscation=False)
    for text, term, _, method in FOUND:
        toneless = term in {"sừng tê giác", "ngà voi"}  # new: Vietnamese without tones
        expected = method in {Method.EXACT, Method.NORMALIZED} or (
            method is Method.DIACRITICS and not toneless
        )
        assert bool(plain.find(text)) is expected, text


def test_scores_order_the_methods() -> None:
    scores = {f.method: f.score for text, *_ in FOUND for f in matcher().find(text)}
    assert scores[Method.EXACT] == 1.0
    assert scores[Method.NORMALIZED] > scores[Method.DIACRITICS] >= scores[Method.CONFUSABLE]
    assert scores[Method.SCRIPT_VARIANT] == scores[Method.DIACRITICS]
    assert min(scores[m] for m in (Method.CONFUSABLE, Method.SEPARATED, Method.LEET, Method.HASHTAG)) > 0.7
    (fuzzy,) = matcher(fuzzy=True).find("pangolim meat for sale")
    assert (fuzzy.method, fuzzy.matched) == (Method.FUZZY, "pangolim")
    assert 0 < fuzzy.score <= 0.7


def test_offsets_cover_the_obfuscated_form() -> None:
    for text, *_ in FOUND:
        for f in matcher().find(text):
            assert text[f.start:f.end] == f.matched


def test_clean_text_builds_no_extra_view() -> None:
    trace = Trace()
    matcher().decide("Solid oak table, barely used, $40 or best offer. Pickup in Oakland.", trace)
    assert [name for name, _ in trace.views] == ["base"]
    trace = Trace()
    matcher().decide("carved 1v0ry", trace)
    assert [name for name, _ in trace.views] == ["base", "skeleton"]


def test_fuzzy_near_misses() -> None:
    fuzzy = matcher(fuzzy=True)
    assert [f.term for f in fuzzy.find("pangolins meat for sale")] == ["pangolin"]
    assert matcher().find("pangolim meat for sale") == []  # off by default in the library
    assert fuzzy.find("ivry carved") == []  # ivory: too short for an edit
    assert fuzzy.find("opangolin for sale") == []  # misspellings keep the first letter
    assert fuzzy.find("ban sung te giax") == []  # never Vietnamese


def test_decide_explains_early_drops() -> None:
    trace = Trace()
    matcher(fuzzy=True).decide("Ngày hội, #babypangolinlove, pangolxxn for sale", trace)
    reasons = {(lexicon_term(h.term), r) for h, r in trace.rejected}
    assert any(t == "pangolin" and r.startswith("glued into a word") for t, r in reasons)
    assert any(t == "pangolin" and r.startswith("fuzzy: 2 edits") for t, r in reasons)


def lexicon_term(index: int) -> str:
    return matcher(fuzzy=True).terms[index].term.term


def test_a_matcher_survives_pickling() -> None:
    import pickle

    clone = pickle.loads(pickle.dumps(matcher(fuzzy=True)))
    assert clone.options == MatchOptions(fuzzy=True)
    assert [f.matched for f in clone.find("carved 1v0ry")] == ["1v0ry"]
