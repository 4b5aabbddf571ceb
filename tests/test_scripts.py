"""Script-aware word boundaries."""

from __future__ import annotations

import pytest

from wildcli.text.scripts import at_boundaries, is_unspaced, needs_boundary_after, needs_boundary_before


@pytest.mark.parametrize(("ch", "unspaced"), [("象", True), ("ア", True), ("ง", True), ("ກ", True),
                                               ("ក", True), ("က", True), ("a", False), ("й", False),
                                               ("상", False), ("ع", False)])
def test_unspaced_scripts(ch: str, unspaced: bool) -> None:
    assert is_unspaced(ch) is unspaced


def test_korean_terms_need_a_boundary_only_at_the_start() -> None:
    assert needs_boundary_before("상")
    assert not needs_boundary_after("아")


@pytest.mark.parametrize(
    ("text", "start", "end", "ok"),
    [
        ("ngày", 0, 3, False),     # ngà inside Ngày
        ("khổng", 1, 3, False),    # hổ inside khổng
        ("hổ con", 0, 2, True),
        ("象牙ivory", 2, 7, True),  # a Latin word glued to Han text is still a word
        ("#ivory", 1, 6, True),
        ("ivorycoast", 0, 5, False),
    ],
)
def test_boundaries(text: str, start: int, end: int, ok: bool) -> None:
    term = text[start:end]
    assert at_boundaries(
        text, start, end, needs_boundary_before(term[0]), needs_boundary_after(term[-1])
    ) is ok
