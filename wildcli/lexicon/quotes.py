"""Whether a code word or slang term shows its evidence: a quote from its source, or a marked gap."""

from __future__ import annotations

from wildcli.lexicon.model import Kind, Status, Term

NEEDS_QUOTE = frozenset({Kind.CODE_WORD, Kind.SLANG})
"""Kinds whose meaning a reader cannot guess from the words, so the source's sentence must show it."""


def quote_state(term: Term) -> str | None:
    """For an approved code word or slang term: 'quoted' (a source has a quote), 'missing' (a
    source says its text could not be found: quote_missing) or 'absent'; None for other terms."""
    if term.status is not Status.APPROVED or term.kind not in NEEDS_QUOTE:
        return None
    if any(s.quote for s in term.sources):
        return "quoted"
    return "missing" if any(s.quote_missing for s in term.sources) else "absent"
