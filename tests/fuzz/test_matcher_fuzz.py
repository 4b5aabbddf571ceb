"""The matcher against a slow, obviously correct reference built from the documented semantics.

Reference (README "Checking one text", lexicons/README.md section 5), for ASCII text and terms,
with obfuscation and fuzzy matching off: a term matches where its case-folded form occurs in the
case-folded text, with no letter or digit glued to either end (a hyphen or any other symbol is a
boundary); overlapping occurrences of one term keep the leftmost; within one concept, a longer
hit hides a shorter one inside it. Separately, on any text with the full matcher, every finding's
evidence must be the exact original text at its offsets.
"""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import VALID_LEXICON
from tests.fuzz.conftest import Runner, fuzz_settings
from wildcli.lexicon import load_lexicon
from wildcli.lexicon.model import Concept, Kind, Lexicon, Severity, Status, Term
from wildcli.match.matcher import EXCERPT, Matcher, MatchOptions

_LETTERS = "abcAB"  # few letters: terms then occur in the text often enough to matter
_WORD = st.text(alphabet=_LETTERS, min_size=1, max_size=4)
_TERM = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_TEXT = st.lists(st.one_of(_WORD, st.sampled_from([" ", " ", "-", ".", ",", "1", "_", "'", "  ", "ab1"])),
                 max_size=30).map("".join)  # fmt: skip
_CONCEPTS = ("alpha", "beta")


def _lexicon(entries: list[tuple[str, str]]) -> Lexicon:
    concepts = {c: Concept(id=c, labels={"en": c}, description="fuzz", severity=Severity.REVIEW) for c in _CONCEPTS}
    unique = {(term.lower(), concept): term for term, concept in entries}  # one spelling per key
    terms = tuple(
        Term(term=term, concept=concept, lang="en", kind=Kind.NAME, severity=Severity.REVIEW, status=Status.APPROVED)
        for (_, concept), term in sorted(unique.items())
    )
    return Lexicon(concepts=concepts, terms=terms)


def _reference(text: str, lexicon: Lexicon) -> set[tuple[str, str, int, int]]:
    """(concept, term, start, end) of every finding, by the documented rules, the slow way."""
    folded = text.lower()
    hits: list[tuple[str, str, int, int]] = []
    for term in lexicon.terms:
        key = term.term.lower()
        taken_until = -1
        for start in range(len(folded) - len(key) + 1):
            end = start + len(key)
            if folded[start:end] != key or start < taken_until:
                continue
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end < len(folded) and folded[end].isalnum():
                continue
            hits.append((term.concept, term.term, start, end))
            taken_until = end  # the next occurrence of this term must not overlap this one
    return {
        h for h in hits
        if not any(o[0] == h[0] and o[2] <= h[2] and o[3] >= h[3] and o[3] - o[2] > h[3] - h[2] for o in hits)
    }


@fuzz_settings(400)
@given(entries=st.lists(st.tuples(_TERM, st.sampled_from(_CONCEPTS)), min_size=1, max_size=6), text=_TEXT,
       seeded=st.lists(st.integers(0, 5), max_size=3))  # fmt: skip
def _agrees(entries: list[tuple[str, str]], text: str, seeded: list[int]) -> None:
    for i in seeded:  # put some terms into the text, in any case, so hits are not left to chance
        term = entries[i % len(entries)][0]
        text = f"{text} {term.upper() if i % 2 else term} {text[: i * 3]}"
    lexicon = _lexicon(entries)
    matcher = Matcher(lexicon, MatchOptions(obfuscation=False, fuzzy=False))
    found = {(f.concept, f.term, f.start, f.end) for f in matcher.find(text)}
    assert found == _reference(text, lexicon), text


def test_matcher_agrees_with_the_reference_on_exact_word_matching(fuzz: Runner) -> None:
    fuzz(_agrees)


# --- evidence is exact on any text, with every matcher feature on ---

_FIXTURE = load_lexicon([VALID_LEXICON])
_FULL = Matcher(_FIXTURE, MatchOptions(fuzzy=True))
_PIECES = [t.term for t in _FIXTURE.terms] + [
    "carved", "tusk", " ", "\u200b", "\u202e", "-", ".", "I.V.O.R.Y", "1v0ry", "ｉｖｏｒｙ", "ＩＶＯＲＹ", "ivvory",
    "#carvedivory", "iv ory", "Ivory", "象 牙", "象\u200b牙", "NGÀ VOI", "nga voi", "nga\u0300 voi", "\x1b[2J", "\n",
    "ß", "İ", "ﬁ",
]  # fmt: skip


@fuzz_settings(400)
@given(parts=st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=5)), max_size=14))
def _exact_evidence(parts: list[str]) -> None:
    text = "".join(parts)
    for f in _FULL.find(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.matched
        assert f.before == text[max(0, f.start - EXCERPT) : f.start]
        assert f.after == text[f.end : f.end + EXCERPT]
        assert 0 < f.score <= 1


def test_every_finding_quotes_the_original_text_exactly(fuzz: Runner) -> None:
    fuzz(_exact_evidence)


def test_reference_itself_follows_the_documented_examples() -> None:
    # The reference must encode the README's own examples, or agreeing with it proves nothing.
    lexicon = _lexicon([("ivory", "alpha"), ("ivory coast", "beta"), ("carved ivory", "alpha")])
    assert _reference("Ivory Coast", lexicon) == {("alpha", "ivory", 0, 5), ("beta", "ivory coast", 0, 11)}
    assert _reference("ivorycoast ivory-coast", lexicon) == {("alpha", "ivory", 11, 16)}
    assert _reference("a carved ivory b", lexicon) == {("alpha", "carved ivory", 2, 14)}
    assert string.ascii_letters  # the reference is ASCII-only by construction
