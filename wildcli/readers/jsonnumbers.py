"""Numbers the JSON parser must not be given as they are, defused in the bytes before it sees them.

ijson's C backend turns an integer into a Python int, and when Python refuses one longer than its
limit (4,300 digits) the backend crashes the whole process (SIGSEGV). An exponent longer than
Decimal can hold (18 digits) raises from inside the parser, which cannot go on after it. Both are
rewritten into a number with a marker exponent that parses at once, found again in the record
built from it (`too_long`), which is then reported and skipped like any bad record.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal

MARKER_EXPONENT = 999_999_999_999_999_999
"""Decimal's largest exponent, put in place of a hazardous number's digits."""
_OUT_OF_RANGE = 10**17
"""A number that reads back with an exponent this far beyond any real data's is one of ours (or
as absurd: 1e100000000000000000 is reported the same way)."""
_EXPONENT_DIGITS = len(str(MARKER_EXPONENT))
_CARRY_MAX = 1024 * 1024
_NUMBER_BYTES = b"0123456789+-.eE"


def _int_digits() -> int:
    """The longest run of digits the parser may turn into an int: Python's limit (4,300 unless
    set otherwise), and never more, as an unlimited int is parsed in quadratic time."""
    get_limit = getattr(sys, "get_int_max_str_digits", None)  # Python 3.11 and later
    limit = get_limit() if get_limit is not None else 0
    return min(limit, 4300) if limit > 0 else 4300


def _shapes() -> bytes:
    """A byte translation that keeps only what the hazards are made of: digits, e and signs."""
    table = bytearray(b" " * 256)
    for digit in b"0123456789":
        table[digit] = ord("0")
    for letter in b"eE":
        table[letter] = ord("e")
    for sign in b"+-":
        table[sign] = ord("+")
    return bytes(table)


_SHAPES = _shapes()


class NumberGuard:
    """Feed it the UTF-8 of a JSON document chunk by chunk; it returns the same bytes with every
    hazardous number defused. A number cut by a chunk boundary is held back until it is whole.

    A run of thousands of digits inside a string, not right after its opening quote, is defused
    too (it looks like a number to a search that does not parse): that text changes, nothing
    crashes.
    """

    def __init__(self) -> None:
        digits = _int_digits()
        self._long = b"0" * (digits + 1)
        self._exponents = (b"e" + b"0" * (_EXPONENT_DIGITS + 1), b"e+" + b"0" * (_EXPONENT_DIGITS + 1))
        # An integer part: not after a digit, a point or an exponent's e or sign, and not followed
        # by a fraction or an exponent (those make a Decimal, which any length is fine for).
        # Never right after a quote: a number there is a syntax error the parser reports before
        # converting it, so a string of nothing but digits is left as it is. Right before a
        # quote it is converted first, then reported: defused all the same.
        # An exponent followed by a letter or a quote is left to raise: that too is a syntax
        # error, which ends the document anyway (see json_reader._send), and a hexadecimal id
        # such as "3e1234567890123456789a" must not change.
        # The lookbehinds make the search linear: a match can only start where a run starts.
        self._pattern = re.compile(
            rb"(?P<exponent>(?<=[0-9.][eE])[+-]?[0-9]{%d,}(?![0-9A-Za-z\"]))"
            rb"|(?<![0-9.eE\"])(?<![eE][+-])[0-9]{%d,}(?![0-9.eE])" % (_EXPONENT_DIGITS + 1, digits + 1)
        )
        self._carry = b""
        self.defused = 0

    def feed(self, data: bytes, final: bool = False) -> bytes:
        if self._carry:
            data, self._carry = self._carry + data, b""
        if not final:
            kept = len(data.rstrip(_NUMBER_BYTES))
            if 0 < len(data) - kept <= _CARRY_MAX:
                data, self._carry = data[:kept], data[kept:]
        if not data:
            return data
        shape = data.translate(_SHAPES)
        if self._long not in shape and not any(hazard in shape for hazard in self._exponents):
            return data  # nearly every chunk: a translation and three searches at C speed
        return self._pattern.sub(self._defuse, data)

    def _defuse(self, match: re.Match[bytes]) -> bytes:
        self.defused += 1
        if match.group("exponent") is not None:
            return b"%d" % MARKER_EXPONENT  # its sign goes with its digits
        return b"1E%d" % MARKER_EXPONENT


def too_long(value: object) -> bool:
    """Whether `value` is a number NumberGuard defused."""
    return type(value) is Decimal and abs(value.adjusted()) >= _OUT_OF_RANGE
