"""`str.translate` for long texts, done as a table lookup over UTF-16 code units in Arrow.

CPython translates a non-ASCII text one character at a time through a Python lookup, about
25 ns a character: most of the cost of folding a batch of listings. Here the text goes to Arrow
as UTF-16 code units, one `take` from a table rewrites every character that becomes one
character of the Basic Multilingual Plane, and the few whose replacement is empty or longer
(ß -> ss, invisible characters) are put right with `str.replace`: about a tenth of the time.
The result is the string `str.translate` gives. A text with a character the table refuses (one
beyond the Basic Multilingual Plane, a lone surrogate, or one the caller names) gives None.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pyarrow as pa

MIN_CHARS = 4096
"""Shorter texts are cheaper through `str.translate` than through Arrow's fixed costs."""

BMP = 0x10000
_SURROGATES = range(0xD800, 0xE000)  # halves of a character beyond the plane, or a lone one
_SINGLE, _REPLACED, _REFUSED = 0, 1, 2


class Translation(NamedTuple):
    text: str
    marked: bool
    """Whether the translation may hold a character of the table's `marks`."""


class CodepointTable:
    """The translation `pieces[code]` of every BMP character, refusing the `refused` codes.

    `marks`: characters the caller wants to know the translation holds (it is told whether
    any piece it used contains one), so that it can skip a search of its own."""

    def __init__(
        self, pieces: Sequence[str], refused: Collection[int] = (), marks: re.Pattern[str] | None = None
    ) -> None:
        import pyarrow as pa  # only texts long enough to pay for it bring Arrow in

        if len(pieces) != BMP:
            raise ValueError(f"a table needs a piece for each of the {BMP} BMP characters, not {len(pieces)}")
        kinds = [_SINGLE if len(piece) == 1 and ord(piece) < BMP else _REPLACED for piece in pieces]
        singles = [ord(piece) if kinds[code] == _SINGLE else code for code, piece in enumerate(pieces)]
        produced = {single for code, single in enumerate(singles) if single != code}
        for code, kind in enumerate(kinds):
            # A replaced character is put right by `str.replace` on the whole output, so no other
            # character may become it, and no replacement may hold one: else refuse it.
            if kind == _REPLACED and (code in produced or any(
                ord(ch) < BMP and kinds[ord(ch)] != _SINGLE for ch in pieces[code]
            )):
                kinds[code] = _REFUSED
        for code in (*refused, *_SURROGATES):
            kinds[code] = _REFUSED
        self._pieces = list(pieces)
        self._kinds: pa.Array = pa.array(kinds, pa.uint8())
        self._singles: pa.Array = pa.array(singles, pa.uint16())
        self._marked: pa.Array | None = None
        if marks is not None:
            self._marked = pa.array([int(marks.search(piece) is not None) for piece in pieces], pa.uint8())

    def translate(self, text: str) -> Translation | None:
        """`text.translate(pieces)`, or None when the text holds a refused character."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not text:
            return Translation(text, self._marked is None)
        data = text.encode("utf-16-le", "surrogatepass")
        if len(data) != 2 * len(text):
            return None  # a character beyond the plane took two code units
        codes = pa.Array.from_buffers(pa.uint16(), len(text), [None, pa.py_buffer(data)])
        kinds = pc.take(self._kinds, codes)
        worst = pc.max(kinds).as_py()
        if worst == _REFUSED:
            return None
        units = pc.take(self._singles, codes).buffers()[1]
        out = str(memoryview(units)[: len(data)], "utf-16-le")
        if worst == _REPLACED:
            replaced = pc.unique(pc.filter(codes, pc.equal(kinds, _REPLACED))).to_pylist()
            for code in replaced:
                out = out.replace(chr(code), self._pieces[code])
        marked = self._marked is None or pc.max(pc.take(self._marked, codes)).as_py() > 0
        return Translation(out, marked)
