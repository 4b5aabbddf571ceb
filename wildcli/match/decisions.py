"""What the matcher decided about each candidate hit of a text, and whether a term was read there.

A value type and one rule over it, apart from the Matcher: the lint rules that run examples, the
export's variant judge and `explain` read decisions without building or importing the matcher.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wildcli.lexicon.model import Term
from wildcli.match.findings import Method
from wildcli.text.normalize import View


@dataclass(frozen=True)
class Decision:
    """A candidate hit and what was decided about it (used by `explain` and by `find`)."""

    term: Term
    start: int
    end: int
    matched: str
    method: Method
    score: float
    accepted: bool
    reason: str
    view: View = View.BASE


def read_as(decisions: Iterable[Decision], term: Term) -> bool:
    """Whether `term` was read in a text: accepted itself, or on the same words as a surer term
    of its concept, which the matcher reports in its place (`_resolve_overlaps`)."""
    decisions = list(decisions)
    reported = {(d.start, d.end) for d in decisions if d.accepted and d.term.concept == term.concept}
    return any(d.term.key == term.key and (d.accepted or (d.start, d.end) in reported) for d in decisions)
