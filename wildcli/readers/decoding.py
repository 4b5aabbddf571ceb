"""Decoding that never drops bytes: undecodable ones become markers that readers find and report."""

from __future__ import annotations

import codecs
import re

MARK_ERRORS = "wildcli-mark"
"""Codec error handler: each undecodable byte b becomes the lone surrogate U+DC00+b.

A strict decoder never produces lone surrogates, so any one in decoded text marks a bad byte,
and unlike "surrogateescape" this also works for bytes below 0x80 (UTF-16 needs that).
"""

JSON_SENTINEL = "\ufdd0"
"""What marked bytes become in text handed to the JSON parser (a noncharacter, valid UTF-8)."""

MARKS = re.compile("[\udc00-\udcff]")
_MARKS_OR_NUL = re.compile("[\x00\udc00-\udcff]")
_errors_seen = [0]


def _mark(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _errors_seen[0] += 1
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + b) for b in bad), error.end


codecs.register_error(MARK_ERRORS, _mark)


def errors_seen() -> int:
    """How many decode errors the marker handler has seen in this process.

    Readers compare it with the value at their start: scanning text for markers is only needed
    once it changed, which keeps clean files on the fast path. Decoding happens before text is
    handed out, so a change is always visible before the marked text is.
    """
    return _errors_seen[0]


def encoding_label(encoding: str) -> str:
    """The name used in messages: `UTF-8`, `UTF-16`, `UTF-32`, else the codec's canonical name."""
    name = codecs.lookup(encoding).name
    if name.startswith("utf-16"):
        return "UTF-16"
    if name.startswith("utf-32"):
        return "UTF-32"
    if name.startswith("utf-8"):
        return "UTF-8"
    return name


def _byte_length(text: str, encoding: str) -> int:
    clean = MARKS.sub("", text)
    return len(clean.encode(encoding, "replace")) + (len(text) - len(clean))


def first_problem(line: str, encoding: str, offset: int = 0) -> str | None:
    """A message for the first NUL or undecodable byte in `line`, or None if it is clean.

    The byte position is 1-based within the physical line; `offset` is added for bytes that
    precede the line's text, such as a byte-order mark on line 1.
    """
    found = _MARKS_OR_NUL.search(line)
    if found is None:
        return None
    encoder = _encoder_name(encoding)
    position = offset + _byte_length(line[: found.start()], encoder) + 1
    if found.group() == "\x00":
        return f"NUL byte at byte {position}"
    return f"invalid {encoding_label(encoding)} at byte {position}"


def has_problem(line: str) -> bool:
    return _MARKS_OR_NUL.search(line) is not None


def _encoder_name(encoding: str) -> str:
    # A BOM-writing codec would add 2-3 bytes to every prefix it measures.
    name = codecs.lookup(encoding).name
    return {"utf-16": "utf-16-le", "utf-32": "utf-32-le", "utf-8-sig": "utf-8"}.get(name, name)


class Transcoder:
    """Turns chunks of bytes in any encoding into UTF-8 for the JSON parser, marking bad bytes.

    Bad bytes become JSON_SENTINEL, so a string holding them still parses and the record can be
    reported on its own instead of the parser stopping on invalid UTF-8.
    """

    def __init__(self, encoding: str) -> None:
        self._decoder = codecs.getincrementaldecoder(encoding)(MARK_ERRORS)
        self.marked = False

    def feed(self, chunk: bytes, final: bool = False) -> bytes:
        before = errors_seen()
        text = self._decoder.decode(chunk, final)
        if errors_seen() != before:
            self.marked = True
            text = MARKS.sub(JSON_SENTINEL, text)
        return text.encode("utf-8", "surrogatepass")
