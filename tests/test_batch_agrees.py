"""The batch candidate test drops no text that `find` reports on: a differential test on
generated texts, with no shared data needed.

`Matcher.find_many` must return exactly what `find` returns text by text. Both ask the rules in
`wildcli.match.acceptance`; this test is what catches a batch stage that stops asking one of them (or a
new rule of `find` that the batch stage does not know). Every term of the bundled lexicon is
written in every disguise family that applies to it (tests/obfuscation/families.py, and the
spellings below: joined words, glued to a word, in hashtags, split by a separator, near-misses,
with and without the context it needs), and put in batches among filler texts that set off the
disguise triggers without holding a term (model numbers, sizes, abbreviations spelled out).
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.obfuscation import families
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.lexicon.model import Concept, Kind, Role, Severity, Status, Term
from wildcli.match.findings import Finding, Method
from wildcli.match.inflection import plural
from wildcli.match.keys import JOINERS
from wildcli.match.languages import hyphen_forms
from wildcli.match.matcher import MIN_BATCH, Matcher, MatchOptions
from wildcli.match.prefilter import SEPARATOR
from wildcli.text.codepoints import MIN_CHARS

_OPTIONS = {
    "default": MatchOptions(),
    "fuzzy": MatchOptions(fuzzy=True),
    "plain": MatchOptions(obfuscation=False),
}

# Texts that set off the disguise triggers (leet tokens, letters typed thrice, spelled-out runs,
# look-alike letters, separators between Han characters) and hold no term, and ordinary ones.
FILLERS = [
    "garden chair, good condition", "iPhone7 case", "NOTE8 t4sk", "Galaxy 5GHz", "r3d x 8degrees",
    "AAA batteries", "Super Bowl XIII", "yesss", "o.b.o", "W x H x D", "U.S.A made", "黑/白 鞋", "a b",
    "c d e", "m10 u11 z3 z4", "4th gen 3d 4k", "128gb 30000mah", "www.shop.example", "Zzz",
    "аpple pie", "ραdio", "小象 牙刷", "出售 手机", "ng4", "t3", "x\x1fy", "", " ", "1/2 5 x 7",
    "w.x.y", "b1g s4le", "c00l", "h0t d34l", "ｓａｌｅ", "#summer #sale", "BigSale", "über", "Straße",
]  # fmt: skip

# Separators between the characters of a term of a script without spaces.
_GAP_SEPARATORS = [" ", "  ", ".", "·", "・", "•", "‧", "･", "*", "/", "-", "_", "\u200b", ". ", "/ "]


def _spellings(term: Term, lexicon: Lexicon, rng: random.Random) -> Iterator[tuple[str, str]]:
    """(family, text) for the ways `term` can be written, alone and among other words."""
    text = term.term
    for name, family in families.FAMILIES.items():
        spelling = family(term, rng)
        if spelling is None:
            continue
        yield name, spelling  # alone: a disguise stands in for the context a term needs
        yield name, families.embed(term, name, spelling, lexicon, rng).text
    yield "decomposed", unicodedata.normalize("NFD", text)
    yield "title", text.title()
    for joined in hyphen_forms(text, term.lang):  # Nashorn-Horn: Nashornhorn, Nashorn Horn
        yield "hyphen", f"{joined} Pulver"
    form = plural(text, term.lang)
    if form is not None:  # a name is matched in its plural too, and so are its exclusions
        yield "plural", form
        yield "plural", f"{form} {' '.join(plural(p, term.lang) or p for p in term.exclude[:1] if p[:1] != '@')}"
    if " " in text:
        for joiner in JOINERS:  # slow_loris: a disguise, so no context needed either
            yield "joined", text.replace(" ", joiner)
        yield "joined", f"cute {text.replace(' ', rng.choice(JOINERS))} baby"
        yield "camel", "".join(w[:1].upper() + w[1:] for w in text.split(" "))
    glued = text.replace(" ", "")
    yield "hashtag", f"#{glued}"
    yield "hashtag", f"love #{glued}carving and #buy{glued}"
    yield "hashtag", f"{glued.title()}Beads"
    for before, after in (("x", ""), ("", "9"), ("象", ""), ("_", "_")):
        yield "glued", f"{before}{text}{after}"  # inside a longer word: counts for some scripts only
    context = families.context_word(term, lexicon, rng)
    if context is not None:
        yield "context near", f"{context} {text}"
        yield "context far", f"{text} {' '.join(['word'] * 60)} {context}"
    for phrase in term.exclude:
        if not phrase.startswith("@"):
            yield "excluded", f"{text} {phrase}"
    chars = text.replace(" ", "")
    if len(chars) >= 2 and not chars.isascii():
        gap = rng.choice(_GAP_SEPARATORS)
        yield "split", gap.join(chars)
        yield "split", f"出售{gap.join(chars)}手镯"
        middle = len(text) // 2
        yield "split once", f"{text[:middle]}{gap}{text[middle:]}"
        yield "split once", f"小{text[:middle]} {text[middle:]}刷"
    if len(text) >= 8:
        middle = len(text) // 2
        yield "near-miss", text[:middle] + text[middle + 1:]  # a letter left out
        yield "near-miss", text[:middle] + text[middle + 1] + text[middle] + text[middle + 2:]  # swapped
        yield "near-miss", f"nice {text[:middle]}{text[middle]}{text[middle:]} here"  # doubled
    if text.isascii() and any(ch.isalpha() for ch in text):
        spelled = " ".join(ch for ch in text if ch != " ")
        yield "spelled out", spelled
        yield "spelled out", f"a {spelled}"  # a letter before: a removed space is a boundary
        yield "spelled out", ".".join(ch for ch in text if ch != " ")
        yield "leet symbols", text.replace("s", "$").replace("a", "@").replace("i", "!")
        yield "leet l", text.replace("l", "1").replace("i", "|")


PER_LANGUAGE = 4
"""Terms drawn from each language (all of them would take minutes; the families apply alike)."""


def _terms(lexicon: Lexicon, rng: random.Random) -> list[Term]:
    """Some terms of every language, of every kind and of every disguise family, every multi-word
    term that needs context (written with joiners, it needs none), and every term that may be
    glued into hashtags."""
    terms = sorted(lexicon.active_terms(), key=lambda t: (t.lang, t.term))
    by_lang: dict[str, list[Term]] = {}
    for term in terms:
        by_lang.setdefault(term.lang, []).append(term)
    chosen = {id(t): t for group in by_lang.values() for t in rng.sample(group, min(PER_LANGUAGE, len(group)))}
    for kind in Kind:
        chosen.update({id(t): t for t in [t for t in terms if t.kind is kind][:PER_LANGUAGE]})
    for family in families.FAMILIES.values():  # and some terms each family applies to
        probe = random.Random(0)
        chosen.update({id(t): t for t in [t for t in terms if family(t, probe) is not None][:PER_LANGUAGE]})
    chosen.update({id(t): t for t in terms if (t.context and " " in t.term) or t.hashtag})
    return list(chosen.values())


def _lexicon_spellings(lexicon: Lexicon) -> list[tuple[str, str]]:
    rng = random.Random(16)
    out = [(family, text) for term in _terms(lexicon, rng) for family, text in _spellings(term, lexicon, rng)]
    out += [("filler", text) for text in FILLERS]
    return out


def _batches(texts: list[str], rng: random.Random) -> Iterator[list[str]]:
    """The texts among fillers, then back to back in another order (what stands beside a text
    in the joined batch changes), in batches large enough for the batch test."""
    mixed = [t for i, text in enumerate(texts) for t in (text, FILLERS[i % len(FILLERS)])]
    shuffled = rng.sample(texts, len(texts))
    for ordered in (mixed, shuffled):
        for at in range(0, len(ordered), 500):
            batch = ordered[at:at + 500]
            yield batch + FILLERS[:max(0, MIN_BATCH - len(batch))]


def _disagreements(matcher: Matcher, texts: list[str]) -> tuple[list[str], dict[str, list[Finding]]]:
    expected = {text: matcher.find(text) for text in set(texts) | set(FILLERS)}
    wrong = []
    for batch in _batches(texts, random.Random(7)):
        for text, found in zip(batch, matcher.find_many(batch), strict=True):
            if found != expected[text]:
                wrong.append(text)
    return wrong, expected


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def spellings(bundled: Lexicon) -> list[tuple[str, str]]:
    return _lexicon_spellings(bundled)


@pytest.mark.timeout(240)
@pytest.mark.parametrize("options", list(_OPTIONS))
def test_find_many_is_find_on_every_spelling_of_every_term(
    options: str, bundled: Lexicon, spellings: list[tuple[str, str]]
) -> None:
    matcher = Matcher(bundled, _OPTIONS[options])
    texts = [text for _, text in spellings]
    wrong, expected = _disagreements(matcher, texts)
    family = {text: name for name, text in reversed(spellings)}
    assert not wrong, f"{len(wrong)} texts differ, e.g. " + ", ".join(
        f"{family.get(t, 'filler')}: {t!r}" for t in sorted(set(wrong))[:12]
    )
    # The texts reach every way of finding a term, so the comparison above is not an empty one.
    found = [f for text in texts for f in expected[text]]
    methods = Counter(f.method for f in found)
    if options == "plain":
        # A compound ("Elfenbeinschnitzerei") is how the language writes the term, no disguise.
        assert set(methods) == {Method.EXACT, Method.NORMALIZED, Method.DIACRITICS, Method.COMPOUND}
    else:
        assert set(methods) == set(Method) - ({Method.FUZZY} if options == "default" else set()), methods
        assert all(count >= 5 for count in methods.values()), methods
    findings_per_family = Counter(name for name, text in spellings if expected[text])
    assert len(findings_per_family) >= (15 if options == "plain" else 25), findings_per_family


def test_the_fillers_set_off_triggers_but_hold_no_term(bundled: Lexicon) -> None:
    matcher = Matcher(bundled)
    decisions = [d for text in FILLERS for d in matcher.decide(text) if d.accepted and matcher.wanted(d.term)]
    assert decisions == []
    candidates = matcher.prefilter().candidates(FILLERS)
    assert len(candidates) >= 5  # the batch test looks closer at some, and lets them go


def _concept(name: str, role: Role = Role.PRODUCT) -> Concept:
    return Concept(id=name, labels={"en": name}, description="test", severity=Severity.REVIEW, role=role)


def _term(text: str, concept: str, **extra: object) -> Term:
    return Term(text, concept, "en", Kind.NAME, Severity.REVIEW, Status.APPROVED, **extra)  # type: ignore[arg-type]


def _test_lexicon() -> Lexicon:
    """What the bundled lexicon may not hold at any moment: a multi-word term that needs a
    context phrase, one that needs a context concept, one excluded by a concept, a key of one
    word that is also glued (`hashtag: true`), and keys starting or ending with Han."""
    return Lexicon(
        concepts={name: _concept(name) for name in ("ivory", "primate")} | {
            "selling": _concept("selling", Role.CONTEXT), "goods": _concept("goods", Role.CONTEXT),
        },
        terms=(
            _term("slow loris", "primate", context=("for sale",)),
            _term("white gold", "ivory", context=("@selling",), exclude=("@goods",)),
            _term("pangolin scale", "primate"),
            _term("tusk", "ivory", context=("@selling",)),
            _term("象ivory tusk", "ivory"),
            _term("raw ivory象", "ivory"),
            _term("for sale", "selling"), _term("negotiable", "selling"), _term("jewellery box", "goods"),
        ),
    )


_SMALL_CASES = [
    "slow loris", "slow_loris", "slow-loris", "slow.loris", "cute slow_loris baby", "slow loris for sale",
    "sl0w l0ris", "s l o w l o r i s", "ѕlow lorіs", "slooow loris", "#slowloris", "SlowLoris",
    "white gold", "white-gold ring", "white_gold negotiable", "white gold, negotiable",
    "white gold jewellery box negotiable", "wh1te g0ld", "w h i t e gold", "white gold for sale",
    "pangolin scale", "pang0lin scale", "pangoiin scaie", "p4ngolin sc4le", "pangolinscale", "#pangolinscales",
    "tusk", "tusk negotiable", "tu$k", "t u s k", "tusk for sale", "tusks", "ivory tusk",
    "x象iv0ry tusk", "象ivory tusk", "raw iv0ry象x", "raw ivory象", "sold raw ivory象 now",
]  # fmt: skip


@pytest.mark.parametrize("options", list(_OPTIONS))
def test_find_many_is_find_on_a_small_lexicon_of_every_context_rule(options: str) -> None:
    matcher = Matcher(_test_lexicon(), _OPTIONS[options])
    wrong, expected = _disagreements(matcher, _SMALL_CASES)
    assert wrong == []
    reported = {text for text in _SMALL_CASES if expected[text]}
    assert {"slow loris for sale", "tusk negotiable", "raw ivory象"} <= reported
    assert "slow loris" not in reported  # it needs its context...
    assert "tusk" not in reported
    if options != "plain":  # ...which a disguise stands in for
        assert {"slow_loris", "cute slow_loris baby", "sl0w l0ris", "tu$k", "x象iv0ry tusk"} <= reported


def test_the_separator_is_no_character_of_any_generated_text(spellings: list[tuple[str, str]]) -> None:
    # A text holding it is sent to `find` whole; the generated ones must test the joined batch.
    assert sum(SEPARATOR in text for _, text in spellings) == 0


def test_the_batches_take_both_the_arrow_and_the_str_ways(spellings: list[tuple[str, str]]) -> None:
    # Long joined texts are folded and split in Arrow (wildcli.text.codepoints, .chunks), short
    # ones by str methods: the comparison above must see both.
    texts = [text for _, text in spellings]
    sizes = [
        len(SEPARATOR.join(t for t in batch if t and t.isascii() == ascii_only))
        for batch in _batches(texts, random.Random(7))
        for ascii_only in (True, False)
    ]
    assert max(sizes) >= MIN_CHARS
    assert min(sizes) < MIN_CHARS
