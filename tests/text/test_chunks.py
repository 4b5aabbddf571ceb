"""A long text's chunks come from Arrow and are cut at fewer kinds of whitespace than
`str.split` cuts at; the runs of letters inside them must be the same."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wildcli.text.chunks import distinct_chunks
from wildcli.text.codepoints import MIN_CHARS

_RUN = re.compile(r"[^\W\d_]+")
_PARTS = st.sampled_from(["ivory", "Elfenbein", "ngà", "象牙", "x", " ", "  ", "\n", "\t", "\x1e", "\x1f", "\u3000",
                          "\xa0", "\u2028", "\x85", "1v0ry", "-", "\ud800", "🐘", "ß"])


def _runs(chunks: set[str]) -> set[str]:
    return {run for chunk in chunks for run in _RUN.findall(chunk)}


@settings(max_examples=80, deadline=None)
@given(st.lists(_PARTS, min_size=1, max_size=60))
def test_a_long_text_gives_the_runs_of_letters_str_split_gives(parts: list[str]) -> None:
    text = "".join(parts) * (MIN_CHARS // len("".join(parts)) + 1)
    assert len(text) >= MIN_CHARS
    assert _runs(distinct_chunks(text)) == _runs(set(text.split()))


def test_each_chunk_comes_once_and_a_short_text_is_split_as_str_split_does() -> None:
    text = "carved ivory\x1ecarved bone\nivory" * MIN_CHARS
    assert distinct_chunks(text) >= {"carved", "ivory", "bone"}
    assert len(distinct_chunks(text)) < 10
    assert distinct_chunks("a\u3000b c") == {"a", "b", "c"}
