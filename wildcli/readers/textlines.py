"""Physical lines of a dump as text, each capped in length so one huge line cannot exhaust memory."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from wildcli.errors import InputError
from wildcli.readers.base import ErrorCallback
from wildcli.readers.decoding import MARK_ERRORS, errors_seen, first_problem, has_problem
from wildcli.readers.opening import Source

TOO_LONG = ""
"""Yielded in place of a line longer than the limit (a real line is never empty)."""

_SKIP_CHUNK = 1024 * 1024
_TEXT_CHUNK = 64 * 1024


def open_text(source: Source) -> io.TextIOWrapper:
    """Text with line endings kept as they are (CSV needs them) and bad bytes marked, not lost."""
    text = io.TextIOWrapper(source.stream, source.encoding, errors=MARK_ERRORS, newline="")
    # Fewer, larger decode calls than the 8 KiB default, but not so large that each chunk's text
    # falls out of the CPU caches before its lines are cut from it: 64 KiB read a 37 MB dump
    # 5-8% faster than 256 KiB did.
    text._CHUNK_SIZE = _TEXT_CHUNK  # type: ignore[attr-defined]
    return text


def capped_lines(
    text: io.TextIOWrapper, limit: int, *, skipped: Callable[[str], None] | None = None
) -> Iterator[str]:
    """Each line with its line ending; TOO_LONG for a line over `limit` characters, which is skipped.

    `skipped` is shown the text of each skipped line, piece by piece, as it is read (the CSV
    reader needs to know whether the line ended inside quotes); nothing of it is kept.
    """
    readline = text.readline
    probe = limit + 1
    cut_cr = False
    while True:
        line = readline(probe)
        if cut_cr:
            cut_cr = False
            if line == "\n":
                continue  # the \n of a \r\n that the size limit cut off from its line: not a line
        if len(line) < probe:
            if not line:
                return
            yield line
        elif line.endswith(("\n", "\r")):
            cut_cr = line.endswith("\r")
            yield line  # exactly limit + 1 characters including the line ending
        else:
            if skipped is not None:
                skipped(line)
            del line  # drop the first `limit` characters before reading on
            _skip_rest(text, skipped)
            yield TOO_LONG


def _skip_rest(text: io.TextIOWrapper, skipped: Callable[[str], None] | None) -> None:
    while True:
        chunk = text.readline(_SKIP_CHUNK)
        if skipped is not None and chunk:
            skipped(chunk)
        if not chunk or chunk.endswith(("\n", "\r")):
            return


def size_text(size: int) -> str:
    """64 MiB, 512 KiB or 100 bytes: how limits are named in messages."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size} bytes"


def record_lines(
    source: Source, limit: int, report: ErrorCallback, count: list[int]
) -> Iterator[tuple[str, int, int]]:
    """Each non-blank line of a one-record-a-line dump with its record number and line number.

    Blank lines are skipped and not numbered as records. A line over `limit` characters, or
    with a NUL or an undecodable byte, is reported and skipped, and keeps its record number.
    `count` ends as [records, lines] read.
    """
    errors_before = errors_seen()
    too_long = f"line is longer than {size_text(limit)}"
    row = number = 0
    try:
        for number, line in enumerate(capped_lines(open_text(source), limit), 1):
            if line is TOO_LONG:
                row += 1
                report(InputError(too_long, source.where(number)))
                continue
            if line.isspace():
                continue
            if line[-1] not in "\r\n" and source.damage() is not None:
                break  # the last line, cut in two by damage to the stream: not a shorter record
            row += 1
            if "\x00" in line or (errors_seen() != errors_before and has_problem(line)):
                offset = source.bom_length if number == 1 else 0
                message = first_problem(line, source.encoding, offset) or "bad line"
                report(InputError(message, source.where(number)))
                continue
            yield line, row, number
    finally:
        # Told once at the end rather than per line: it is only read after the last record.
        count[0], count[1] = row, number
