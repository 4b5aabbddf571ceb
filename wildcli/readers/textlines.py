"""Physical lines of a dump as text, each capped in length so one huge line cannot exhaust memory."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from itertools import compress, islice, repeat
from itertools import count as counter
from operator import ne

from wildcli.errors import InputError
from wildcli.readers.base import ErrorCallback
from wildcli.readers.decoding import MARK_ERRORS, errors_seen, first_problem, has_problem
from wildcli.readers.opening import OpenedInput

TOO_LONG = ""
"""Yielded in place of a line longer than the limit (a real line is never empty)."""

_SKIP_CHUNK = 1024 * 1024
_TEXT_CHUNK = 64 * 1024


def open_text(source: OpenedInput) -> io.TextIOWrapper:
    """Text with line endings kept as they are (CSV needs them) and bad bytes marked, not lost."""
    text = io.TextIOWrapper(source.stream, source.encoding, errors=MARK_ERRORS, newline="")
    # Fewer, larger decode calls than the 8 KiB default, but not so large that each chunk's text
    # falls out of the CPU caches before its lines are cut from it: 64 KiB read a 37 MB dump
    # 5-8% faster than 256 KiB did.
    text._CHUNK_SIZE = _TEXT_CHUNK  # type: ignore[attr-defined]
    return text


class BlankRun(str):
    """Two or more blank lines in a row (nothing but their line endings), given as one item by
    `capped_lines`: a dump made mostly of blank lines costs a few operations per run instead of
    a trip through every reader loop per line. At most one chunk of text long; runs follow
    each other when longer."""

    __slots__ = ()

    @property
    def lines(self) -> int:
        return self.count("\n") + self.count("\r") - self.count("\r\n")


def _split(chunk: str) -> list[str]:
    """The lines of `chunk` with their endings: \\n, \\r\\n or \\r, as csv and open(newline="") cut.

    str.splitlines also cuts at other characters (form feed, U+2028...); a count of the real
    endings tells, at C speed, whether any is there, and then a slower split is used.
    """
    lines = chunk.splitlines(True)
    endings = chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")
    if len(lines) - (not chunk.endswith(("\n", "\r"))) == endings:
        return lines
    return _LINE.findall(chunk)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def capped_lines(
    text: io.TextIOWrapper, limit: int, *, skipped: Callable[[str], None] | None = None, live: bool = False
) -> Iterator[str]:
    """Each line with its line ending; TOO_LONG for a line over `limit` characters (not counting
    its ending), which is skipped; a BlankRun for two or more blank lines in a row.

    `skipped` is shown the text of each skipped line, piece by piece, as it is read (the CSV
    reader needs to know whether the line ended inside quotes); nothing of it is kept.

    Lines are cut from chunks at C speed; the line a chunk leaves unfinished is finished with
    readline, which also bounds it: a line over the limit is never held whole. A `live` input
    (a pipe, a FIFO) is read a line at a time instead, each as soon as it has arrived.
    """
    if live:
        yield from _lines_as_they_come(text, limit, skipped)
        return
    read, readline = text.read, text.readline
    probe = limit + 1
    ahead = ""  # text read past the end of the last line
    while True:
        chunk = ahead + read(_TEXT_CHUNK) if ahead else read(_TEXT_CHUNK)
        ahead = ""
        if not chunk:
            return
        lines = _split(chunk)
        last = lines.pop()
        count, index = len(lines), 0
        while index < count:
            line = lines[index]
            index += 1
            if line[0] in "\r\n":
                # A blank line (nothing but its ending): find where the run of them ends, the
                # lines like it compared at C speed, any other endings among them one by one.
                start = index - 1
                while index < count and lines[index][0] in "\r\n":
                    unlike = map(ne, islice(lines, index, count), repeat(lines[index]))
                    index = next(compress(counter(index), unlike), count)
                yield line if index - start == 1 else BlankRun("".join(lines[start:index]))
            elif len(line) <= probe or len(line.rstrip("\r\n")) <= limit:
                yield line
            else:
                yield _too_long(line, skipped)
        # The chunk's last line may go on in the text not read yet; a \r may have a \n after it.
        if last[-1] == "\r":
            after = read(1)
            if after == "\n":
                last += after
            else:
                ahead = after
        elif last[-1] != "\n" and len(last) < probe:
            last += readline(probe - len(last))
        if len(last.rstrip("\r\n")) <= limit:
            if last.endswith("\r") and len(last) > limit and not ahead:
                ahead = read(1)  # the line ends at the limit: a \n after its \r belongs to it
                if ahead == "\n":
                    ahead = ""
            yield last
        elif last[-1] in "\r\n":
            yield _too_long(last, skipped)
        else:
            _too_long(last, skipped)
            del last  # drop what was read of it before reading on
            _skip_rest(text, skipped)
            yield TOO_LONG


def _lines_as_they_come(
    text: io.TextIOWrapper, limit: int, skipped: Callable[[str], None] | None
) -> Iterator[str]:
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
            _too_long(line, skipped)
            del line  # drop the first `limit` characters before reading on
            _skip_rest(text, skipped)
            yield TOO_LONG


def _too_long(line: str, skipped: Callable[[str], None] | None) -> str:
    if skipped is not None:
        skipped(line)
    return TOO_LONG


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
    source: OpenedInput, limit: int, report: ErrorCallback, count: list[int]
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
        for line in capped_lines(open_text(source), limit, live=source.live):
            number += 1
            if line is TOO_LONG:
                row += 1
                report(InputError(too_long, source.where(number)))
                continue
            if line.isspace():
                if type(line) is BlankRun:
                    number += line.lines - 1
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
