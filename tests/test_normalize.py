"""Normalisation views and their map back to the original text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wildcli.text.normalize import View, fold_view, normalize, normalize_key


@pytest.mark.parametrize(
    ("text", "base", "folded"),
    [
        ("IVORY", "ivory", "ivory"),
        ("Ngày", "ngày", "ngay"),
        ("ＩＶＯＲＹ", "ivory", "ivory"),
        ("iv\u200bory", "ivory", "ivory"),
        ("i\u202evory", "ivory", "ivory"),
        ("Stoßzahn", "stosszahn", "stosszahn"),
        ("e\u0301le\u0301phant", "éléphant", "elephant"),
        ("sừng tê giác", "sừng tê giác", "sung te giac"),
        ("象牙", "象牙", "象牙"),
        ("🐘\ufe0f", "🐘", "🐘"),
        ("đồi mồi", "đồi mồi", "doi moi"),
        ("Défenses d\u2019éléphant", "défenses d\u2019éléphant", "defenses d'elephant"),
        ("costa d\u02bcavorio", "costa d\u02bcavorio", "costa d'avorio"),
    ],
)
def test_views(text: str, base: str, folded: str) -> None:
    b = normalize(text)
    assert b.text == base
    assert fold_view(b).text == folded


@pytest.mark.parametrize(
    ("text", "view_start", "view_end", "original"),
    [
        ("xx ＩＶＯＲＹ yy", 3, 8, "ＩＶＯＲＹ"),
        ("a iv\u200bory b", 2, 7, "iv\u200bory"),
        ("Der Stoßzahn", 4, 13, "Stoßzahn"),
        ("un e\u0301le\u0301phant", 3, 11, "e\u0301le\u0301phant"),
    ],
)
def test_original_span(text: str, view_start: int, view_end: int, original: str) -> None:
    b = normalize(text)
    start, end = b.original_span(view_start, view_end)
    assert text[start:end] == original


def test_keys_use_the_same_normalisation_as_texts() -> None:
    assert normalize_key("Sừng Tê Giác", View.FOLDED) == "sung te giac"
    assert normalize_key("Sừng Tê Giác", View.BASE) == "sừng tê giác"


@given(st.text(max_size=60))
def test_offset_map_is_valid_and_monotonic(text: str) -> None:
    for view in (normalize(text), fold_view(normalize(text))):
        if view.starts is None or view.ends is None:
            assert len(view.text) == len(text)
            continue
        assert len(view.starts) == len(view.ends) == len(view.text)
        assert list(view.starts) == sorted(view.starts)
        assert list(view.ends) == sorted(view.ends)
        for s, e in zip(view.starts, view.ends, strict=True):
            assert 0 <= s < e <= len(text)


def _reference(text: str) -> str:
    """The definition: NFKC and case folding cluster by cluster, invisible characters dropped."""
    import unicodedata

    from wildcli.text.normalize import INVISIBLE

    out, i = [], 0
    while i < len(text):
        j = i + 1
        # Invisible characters between a letter and its accents do not split the cluster.
        while j < len(text) and (unicodedata.combining(text[j]) or INVISIBLE.match(text[j])):
            j += 1
        while j > i + 1 and INVISIBLE.match(text[j - 1]):
            j -= 1
        cluster = INVISIBLE.sub("", text[i:j])
        out.append(unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cluster).casefold()))
        i = j
    return "".join(out)


_TRICKY = st.lists(
    st.sampled_from([*list("aAeE iIß1 ."), "́", "̈", "\u200b", "️", "ｉ", "™", "½", "ﬁ", "Σ", "象", "，", "Ǆ", "ẞ", "\u3000"]),
    max_size=30,
).map("".join)


@given(_TRICKY)
def test_fast_paths_agree_with_the_definition(text: str) -> None:
    assert normalize(text).text == _reference(text)
