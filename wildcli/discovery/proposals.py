"""Suggested terms written as `status: proposed` lexicon entries, one canonical file per concept and
language, for an expert to source, review and approve (or delete)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from wildcli.discovery.suggestion import Candidate
from wildcli.errors import LexiconError, UsageError
from wildcli.lexicon.add import add_term
from wildcli.lexicon.model import Lexicon, Role, Severity

CONTRIBUTOR = "wildcli suggest"


@dataclass(frozen=True)
class Proposal:
    """What became of one candidate: the file it was added to, or why it was not."""

    candidate: Candidate
    path: Path | None = None
    skipped: str | None = None


def write_proposals(
    candidates: Iterable[Candidate], root: Path, lexicon: Lexicon, *, found_in: str,
    today: datetime.date | None = None,
) -> list[Proposal]:
    """Add each candidate to `root/<concept>/<lang>.yaml` as a proposed term.

    `found_in` names the data (e.g. the dump's file name) for the note. A candidate without
    a concept, of a concept `root` cannot hold, or already in its file is skipped with the
    reason; nothing else is refused, so one bad candidate never loses the others.
    """
    done = []
    for c in candidates:
        concept = lexicon.concepts.get(c.concept or "")
        if concept is None:
            done.append(Proposal(c, skipped="no concept: no listing with findings holds it"))
            continue
        entry = {
            "term": c.term,
            "kind": "misspelling" if c.near else "code_word",
            "severity": _severity(concept.severity, concept.role).value,
            "status": "proposed",
            "contributor": CONTRIBUTOR,
            "note": _note(c, found_in),
        }
        try:
            path = add_term(root, concept.id, c.lang, entry, today=today)
        except (UsageError, LexiconError) as error:
            done.append(Proposal(c, skipped=str(error)))
            continue
        done.append(Proposal(c, path=path))
    return done


def _severity(default: Severity, role: Role) -> Severity:
    """At most `review`: a statistical lead must not start out blocking listings."""
    if role is Role.PRODUCT and default is Severity.BLOCK:
        return Severity.REVIEW
    return default


def _note(c: Candidate, found_in: str) -> str:
    examples = f"; e.g. listings {', '.join(c.examples)}" if c.examples else ""
    return (
        f"Found by wildcli suggest in {found_in} (score {c.score:.1f}): {c.reason}{examples}. "
        "Needs a source and an expert's review before approval."
    )
