"""Every normalised view maps each of its characters back to a valid, ordered span of the original,
which is what lets a finding quote exactly what the seller typed."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzz.conftest import Runner, fuzz_settings
from wildcli.text.normalize import Normalized, fold_view, normalize
from wildcli.text.obfuscation import skeleton

# Characters whose normalisation changes length or drops them: ligatures, compatibility forms,
# case folds that expand, combining marks, invisible and bidi controls, full-width letters,
# look-alikes, leetspeak and separators, Hangul jamo, emoji with variation selectors.
_TRICKY = list(
    "aAbBiIvVoOrRyY0134@$.-_*~ \t\n"
    "éÉßẞİıŉǰΣσςﬁﬃﬅ½①㎏ＡＢｉｖ"
    "\u0301\u0323\u0308\u200b\u200c\u200d\u00ad\ufeff\u202e\u2066\U000e0041\ufe0f"
    "іνοгуΙνоrу"  # Cyrillic and Greek look-alikes
    "각각한국象牙ngàvoiđĐ🐘🦏"
)
_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from(_TRICKY), max_size=80),
    st.text(max_size=40),
)


def _check_view(view: Normalized, original: str) -> None:
    assert view.original == original
    starts, ends = view.offset_maps()
    assert len(starts) == len(ends) == len(view.text)
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        assert 0 <= start < end <= len(original), (i, start, end)
    assert list(starts) == sorted(starts), "view characters map to non-decreasing starts"
    assert list(ends) == sorted(ends), "view characters map to non-decreasing ends"
    if view.text:
        start, end = view.original_span(0, len(view.text))
        assert 0 <= start < end <= len(original)


@fuzz_settings(500)
@given(text=_TEXT)
def _views(text: str) -> None:
    base = normalize(text)
    _check_view(base, text)
    if text.isascii():
        assert base.text == text.lower()
    folded = fold_view(base)
    _check_view(folded, text)
    shape = skeleton(text, folded)
    if shape is not None:
        _check_view(shape.view, text)
        for start, end, _trick in shape.regions:
            assert 0 <= start < end <= len(text)


def test_every_view_maps_back_to_valid_ordered_spans(fuzz: Runner) -> None:
    fuzz(_views)


@fuzz_settings(500)
@given(text=_TEXT)
@example(text="nga\u200b\u0300")  # found by this test: invisible characters went after NFKC
def _idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


def test_normalising_twice_changes_nothing(fuzz: Runner) -> None:
    # A term is normalised once, a text once: if a second pass changed either, a term written
    # in normalised form would not match the text it was copied from.
    fuzz(_idempotent)
