"""Sorted spans with window queries, so judging a field stays near-linear in its hits.

A crafted listing can hold tens of thousands of hits; comparing each with every other (for
context windows, overlaps and exclusions) would let one listing stall a scan.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator

Span = tuple[int, int]


class SpanIndex:
    """Spans sorted by start; `near` finds one that overlaps a window."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.spans = sorted(set(spans))
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def near(self, lo: int, hi: int, skip: Span | None = None, *, within: Span | None = None) -> Span | None:
        """The first span (by start) with start < hi and end > lo, other than `skip` and other
        than those lying inside `within`."""
        return next(self.all_near(lo, hi, skip, within=within), None)

    def all_near(
        self, lo: int, hi: int, skip: Span | None = None, *, within: Span | None = None,
    ) -> Iterator[Span]:
        """Every such span, by start."""
        first = bisect_left(self.starts, lo - self.longest)
        last = bisect_left(self.starts, hi)
        for span in self.spans[first:last]:
            inside = within is not None and within[0] <= span[0] and span[1] <= within[1]
            if span[1] > lo and span != skip and not inside:
                yield span

    def covering(self, start: int, end: int) -> Span | None:
        """A strictly longer span containing `start`-`end`."""
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, start + 1)
        for span in self.spans[first:last]:
            if span[1] >= end and span[1] - span[0] > end - start:
                return span
        return None


class DisjointSpans:
    """Non-overlapping spans, grown one at a time: `add` refuses a span that overlaps one kept."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end) - 1  # the kept span starting last before `end`
        if i >= 0 and self.ends[i] > start:
            return False
        insort(self.starts, start)
        self.ends.insert(bisect_left(self.starts, start), end)
        return True
