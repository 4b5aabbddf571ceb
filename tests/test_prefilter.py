"""Batch matching (`Matcher.find_many`, `scan_batches`) gives exactly the per-text results.

The batch candidate test (`wildcli.match.prefilter`) only decides which texts `find` looks at, so the
whole contract is equality with `find`; `tests/fuzz/test_prefilter_fuzz.py` checks it on
generated texts, this module on every shared corpus and on the pieces it relies on.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPORA, EXAMPLES, need_corpora
from tests.test_corpora import CORPUS_FILES
from wildcli.errors import InputError, InputUnavailable, Location
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.lexicon.model import Concept, Kind, Role, Severity, Status, Term
from wildcli.match.matcher import MIN_BATCH, Matcher, MatchOptions
from wildcli.readers import Record, read_records
from wildcli.scanning.choice import scan_paths
from wildcli.scanning.local import BATCH_RECORDS, HeldErrors, ScanSummary, scan_batches
from wildcli.text.normalize import (
    _PIECES,
    INVISIBLE,
    _bmp_pieces,
    fold,
    fold_pieces,
    normalize,
    normalize_pieces,
)

OPTIONS = {
    "default": MatchOptions(),
    "fuzzy": MatchOptions(fuzzy=True),
    "plain": MatchOptions(obfuscation=False),
}


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return load_lexicon()


def _texts(path: Path) -> list[str]:
    return [text for record in read_records(str(path)) for text in record.fields.values()]


@pytest.mark.corpora
@pytest.mark.parametrize("options", list(OPTIONS))
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_find_many_equals_find_on_every_corpus(name: str, options: str, bundled: Lexicon) -> None:
    need_corpora()
    matcher = Matcher(bundled, OPTIONS[options])
    texts = _texts(CORPORA / name)
    assert matcher.find_many(texts) == [matcher.find(text) for text in texts]


def test_find_many_equals_find_on_the_sample(bundled: Lexicon) -> None:
    matcher = Matcher(bundled, MatchOptions(fuzzy=True))
    texts = _texts(EXAMPLES / "listings.jsonl") * 2
    assert len(texts) >= MIN_BATCH
    expected = [matcher.find(text) for text in texts]
    assert sum(map(len, expected)) > 40
    assert matcher.find_many(texts) == expected


def _lexicon(*terms: str) -> Lexicon:
    concept = Concept(id="ivory", labels={"en": "ivory"}, description="test", severity=Severity.REVIEW)
    return Lexicon(concepts={"ivory": concept}, terms=tuple(
        Term(term=t, concept="ivory", lang="en", kind=Kind.NAME, severity=Severity.REVIEW, status=Status.APPROVED)
        for t in terms
    ))


# A key meets a leet token of the skeleton view in one whole run of its letters: as its middle
# word, its first word (ending the token), its last word (starting it) or as the whole key. A
# key starting or ending with a Han character needs no word boundary there, so it may also
# begin or end inside the token.
_LEET_CASES = {
    "middle word": ("tusk ivory piece", "old tusk iv0ry piece"),
    "first word": ("ivory tusk", "iv0ry tusk here"),
    "last word": ("raw tusk ivory", "sold raw tusk iv0ry"),
    "first word, inside": ("象ivory tusk", "x象iv0ry tusk"),
    "last word, inside": ("raw ivory象", "raw iv0ry象x"),
    "whole key, inside": ("象ivory", "牙象iv0ry"),
    "letters typed thrice": ("ivory tusk", "ivooory tusk here"),
    "spelled out": ("ivory tusk", "i v o r y tusk here"),
    "three letters spelled out first": ("yak bone", "y a k bone"),
    "spelled out with dots": ("tusk ivory piece", "tusk i.v.o.r.y piece"),
    "spelled out after a letter": ("ivory", "a i v o r y"),  # a removed space is a word boundary
    "Han spelled out": ("象牙", "出售 象 牙"),
}
# Keys glued to a letter, tokens that are not rewritten (more digits than letters), model
# numbers and sizes that only look like leet, letters typed thrice in everyday words, and
# abbreviations and sizes spelled out letter by letter (also across two texts of the batch):
# none of them costs `find` anything.
_LEET_MISSES = [
    "牙象iv0ryx", "xiv0ry tusk", "raw tusk iv0ryx", "1111iv0ry", "iPhone7 case", "NOTE8 t4sk", "Galaxy 5GHz",
    "r3d x 8degrees", "AAA batteries", "Super Bowl XIII", "yesss tusks", "ivoooryx tusk", "xi v o r y", "o.b.o",
    "W x H x D", "U.S.A made", "黑/白 鞋", "a b", "c d e", "x\x1fy\x1fz",
]


@pytest.mark.parametrize("case", list(_LEET_CASES))
def test_a_leet_token_is_a_candidate_when_a_key_can_overlap_its_rewrite(case: str) -> None:
    term, text = _LEET_CASES[case]
    matcher = Matcher(_lexicon(term))
    texts = ["plain words", text, *_LEET_MISSES, *["plain words"] * MIN_BATCH]
    expected = [matcher.find(t) for t in texts]
    assert [f.term for f in expected[1]] == [term]
    assert not any(expected[:1] + expected[2:])
    assert matcher.find_many(texts) == expected
    assert matcher.prefilter().candidates(texts) == {1}


def test_bmp_table_is_the_lazy_table() -> None:
    table = _bmp_pieces()
    assert [cp for cp in range(0x10000) if table[cp] != _PIECES[cp]] == []


def test_casefold_is_the_piece_of_every_character_a_simple_text_can_hold() -> None:
    # normalize() case folds "simple" texts (NFKC already, nothing invisible, one character per
    # character) whole, while a batch maps them character by character: both must agree.
    chars = [chr(cp) for cp in range(1, 0x110000) if not 0xD800 <= cp <= 0xDFFF]
    nfkc = unicodedata.normalize("NFKC", "\0".join(chars)).split("\0")
    folded = "\0".join(chars).casefold().split("\0")
    simple = [
        ch for ch, n, f in zip(chars, nfkc, folded, strict=True)
        if n == ch and len(f) == 1 and not INVISIBLE.match(ch)
    ]
    assert len(simple) > 200_000
    joined = "".join(simple)
    assert normalize_pieces(joined) == joined.casefold()


def test_joined_texts_normalise_and_fold_as_each_alone() -> None:
    texts = ["Ivory ™ ﬁne", "NGÀ VOI", "象牙，出售", "𝐈𝐯𝐨𝐫𝐲", "iv\u200bory", "Straße", "ｉｖｏｒｙ"]
    joined = fold(normalize_pieces("\x1e".join(texts)))
    assert joined.split("\x1e") == [fold(normalize(t).text) for t in texts]


def test_small_batches_are_matched_one_by_one(bundled: Lexicon) -> None:
    matcher = Matcher(bundled)
    texts = ["carved ivory for sale"] * (MIN_BATCH - 1)
    assert matcher.find_many(texts) == [matcher.find(t) for t in texts]
    assert matcher._prefilter is None  # never built for a small batch


def test_bad_rows_and_findings_come_out_in_file_order(tmp_path: Path, bundled: Lexicon) -> None:
    # Records are matched in batches, but a bad row's error is still reported between the
    # findings of the rows before and after it, and a scan stopped by it keeps what came before.
    rows = [{"title": "ivory tusk carving for sale" if i % 7 == 0 else f"garden chair {i}"} for i in range(300)]
    lines = [json.dumps(row) for row in rows]
    lines[100] = lines[200] = "{broken"
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    events: list[tuple[str, int]] = []
    summary = ScanSummary()

    def on_error(error: InputError) -> None:
        assert error.location is not None
        assert error.location.line is not None
        events.append(("error", error.location.line))

    for finding in scan_paths([str(path)], Matcher(bundled), summary=summary, on_error=on_error):
        assert finding.row is not None
        events.append(("finding", finding.row))
    lines_seen = [line for _, line in events]
    assert lines_seen == sorted(lines_seen)
    assert ("error", 101) in events
    assert ("error", 201) in events
    assert summary.bad_rows == 2
    assert summary.records == 298

    stopped: list[int] = []

    def scan_until_stopped() -> None:
        for finding in scan_paths([str(path)], Matcher(bundled)):
            assert finding.row is not None
            stopped.append(finding.row)

    with pytest.raises(InputError):
        scan_until_stopped()
    assert stopped == [row for kind, row in events if kind == "finding" and row < 101]
    assert len(rows) < BATCH_RECORDS  # all of it in one batch: the error splits it


@pytest.mark.parametrize(
    "before", ["a", "E", "가", "\u1100", "ｅ", "ſ", "ß", "\u0385", "\u0e48", "\u0e39", "\u0301", "\u3099"]
)
def test_one_pass_folding_agrees_with_normalising_whenever_it_answers(before: str) -> None:
    # Every character after a letter that may compose with what follows it: either the one-pass
    # fold is exactly the slow one, or it declines (None) and the caller takes the slow way.
    declined = 0
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        text = f"{before}{chr(cp)}x"
        quick = fold_pieces(text)
        if quick is None:
            declined += 1
        else:
            assert quick == fold(normalize(text).text), repr(text)
    if fold_pieces(before) is None:  # a mark that composes, or a piece that brings marks
        assert declined == 0x10000 - 0x800
    else:
        assert declined < 2_000  # only those with a combining mark, a Hangul vowel...


def test_a_reader_that_gives_up_still_gets_its_findings_and_errors_out_in_order(bundled: Lexicon) -> None:
    delivered: list[str] = []
    held = HeldErrors(lambda error: delivered.append(error.message))

    def records() -> Iterator[Record]:
        yield Record("dump", 1, "1", {"title": "carved ivory bangle"})
        held(InputError("row 2 is bad", Location("dump", 2)))
        raise InputUnavailable("dump: the rest cannot be read", Location("dump"))

    seen: list[tuple[int, int]] = []

    def scan() -> None:
        for _, found in scan_batches(records(), Matcher(bundled), held):
            seen.append((len(found), len(delivered)))  # the error comes after the record before it

    with pytest.raises(InputUnavailable):
        scan()
    assert seen == [(1, 0)]
    assert delivered == ["row 2 is bad"]


def test_a_misspelled_word_of_a_context_concept_still_makes_a_candidate() -> None:
    """A near-miss of a term of a concept others take as context is context for them in `find`,
    so the batch test keeps it; near-misses of terms that can only cancel a finding (everyday
    goods) are not candidates, which spares ordinary listings full of such words."""
    sell = Concept(id="selling", labels={"en": "selling"}, description="test", severity=Severity.MONITOR, role=Role.CONTEXT)
    goods = Concept(id="goods", labels={"en": "goods"}, description="test", severity=Severity.MONITOR, role=Role.CONTEXT)
    ivory = Concept(id="ivory", labels={"en": "ivory"}, description="test", severity=Severity.REVIEW)

    def term(text: str, concept: str, **extra: object) -> Term:
        return Term(text, concept, "en", Kind.NAME, Severity.MONITOR if concept != "ivory" else Severity.REVIEW,
                    Status.APPROVED, **extra)  # type: ignore[arg-type]

    lexicon = Lexicon(
        concepts={"selling": sell, "goods": goods, "ivory": ivory},
        terms=(term("elfenbein", "ivory", context=("@selling",), exclude=("@goods",)),
               term("negotiable", "selling"), term("curtains", "goods")),
    )
    matcher = Matcher(lexicon, MatchOptions(fuzzy=True))
    texts = ["elfenbein figure, price negotable", "garden chair, cream curtans"] * MIN_BATCH
    assert [len(f) for f in matcher.find_many(texts)] == [len(matcher.find(t)) for t in texts] == [1, 0] * MIN_BATCH
    candidates = matcher.prefilter().candidates(texts, matcher.fuzzy, frozenset({0}))
    assert candidates == set(range(0, len(texts), 2))
