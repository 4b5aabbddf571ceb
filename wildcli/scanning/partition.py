"""Planning parallel scans: each dump becomes byte-range partitions that start at record boundaries.

Large plain UTF-8 JSON Lines, CSV and query files are split; everything else is one partition.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from wildcli.errors import InputError
from wildcli.readers.base import InputFormat, ReadOptions
from wildcli.readers.ranges import Layout, inspect

MIN_PARTITION_BYTES = 1 << 20
MAX_PARTITION_BYTES = 8 << 20
PARTS_PER_JOB = 4
"""Partitions per worker and file: enough that a slow partition hardly delays the end."""
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Partition:
    """Bytes [start, end) of the `file`-th dump of a scan, its `index`-th partition.

    `layout` None means: read the whole dump with `read_records` (gzip, JSON, stdin, small or
    unusual files); `start` and `end` are then 0 and the file's size (0 when unknown).
    """

    file: int
    path: str
    index: int
    start: int
    end: int
    last: bool
    layout: Layout | None = None

    @property
    def stdin(self) -> bool:
        """Only the main process can read standard input."""
        return self.path == "-"


def partition_bytes(paths: Sequence[str], jobs: int) -> int:
    """A partition size that gives every worker several partitions of the input."""
    share = total_bytes(paths) // max(1, jobs * PARTS_PER_JOB)
    return max(MIN_PARTITION_BYTES, min(MAX_PARTITION_BYTES, share))


JOBS_PER_CORE = 4
"""Matching is CPU-bound: more processes than this per core only cost memory and start-up."""


def useful_jobs(paths: Sequence[str], jobs: int, cores: int) -> int:
    """Processes worth starting for `paths`: no more than the partitions the input makes, nor
    than `JOBS_PER_CORE` per core; at least one."""
    return max(1, min(jobs, JOBS_PER_CORE * cores, estimate(paths, partition_bytes(paths, jobs))))


def total_bytes(paths: Sequence[str]) -> int:
    return sum(_size(path) for path in paths)


def estimate(paths: Sequence[str], size: int) -> int:
    """How many partitions `plan` will make at most, from the file sizes alone."""
    return sum(max(1, math.ceil(_size(path) / size)) for path in paths)


def plan(paths: Sequence[str], options: ReadOptions, size: int) -> Iterator[Partition]:
    """The partitions of `paths` in scan order, planned lazily (CSV planning reads the file)."""
    for number, path in enumerate(paths):
        yield from plan_file(number, path, options, size)


def plan_file(number: int, path: str, options: ReadOptions, size: int) -> Iterator[Partition]:
    """Partitions of about `size` bytes; one whole-file partition when the file cannot be split."""
    layout = _layout(path, options) if _size(path) > size else None
    if layout is None:
        yield Partition(number, path, 0, 0, _size(path), True)
        return
    cut_at = csv_cuts if layout.format is InputFormat.CSV else line_cuts
    start = index = 0
    for cut in cut_at(path, layout.size, size):
        yield Partition(number, path, index, start, cut, False, layout)
        start, index = cut, index + 1
    yield Partition(number, path, index, start, layout.size, True, layout)


def _layout(path: str, options: ReadOptions) -> Layout | None:
    try:
        return inspect(path, options)
    except (OSError, InputError):
        return None  # reading the whole file reports the problem as a one-partition scan would


def _size(path: str) -> int:
    if path == "-":
        return 0
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def line_cuts(path: str, size: int, step: int) -> Iterator[int]:
    """Offsets just after the first line feed at or after every `step` bytes, below `size`."""
    with open(path, "rb") as handle:
        target = step
        while target < size:
            handle.seek(target - 1)
            found = -1
            offset = target - 1
            while found < 0:
                block = handle.read(64 * 1024)
                if not block:
                    return
                found = block.find(b"\n")
                if found < 0:
                    offset += len(block)
            cut = offset + found + 1
            if cut >= size:
                return
            yield cut
            target = cut + step


def csv_cuts(path: str, size: int, step: int) -> Iterator[int]:
    """Offsets just after line feeds outside quoted fields, one at or after every `step` bytes.

    In RFC 4180 a line feed is outside a quoted field when the number of `"` before it is even
    (an escaped `""` adds two). Malformed files can fool the count; the scan then notices that a
    partition ended inside a quoted field and reads the rest of the file in one piece.
    """
    with open(path, "rb") as handle:
        base = quotes = 0  # `quotes` counts the quote bytes in the file before `base`
        target = step
        while chunk := handle.read(_CHUNK):
            end = base + len(chunk)
            counted = 0  # quotes in chunk[:counted] are already in `quotes`
            while target < end:
                found = chunk.find(b"\n", max(target - base, counted))
                if found < 0:
                    break
                quotes += chunk.count(b'"', counted, found)
                counted = found
                target = base + found + 1
                if quotes % 2 == 0:
                    if target >= size:
                        return
                    yield target
                    target += step
            quotes += chunk.count(b'"', counted)
            base = end
