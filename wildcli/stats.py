"""Counts over a lexicon: what `wildcli stats` shows and CI dashboards read."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from wildcli.lexicon.model import Lexicon, Status


def lexicon_stats(lexicon: Lexicon) -> dict[str, Any]:
    """Top-level integers (`concepts`, `languages`, `terms` = approved terms), then detail."""
    approved = lexicon.active_terms()
    status = Counter(t.status.value for t in lexicon.terms)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for t in approved:
        per[t.concept][t.lang] += 1
    sources = {(s.title, s.url) for t in approved for s in t.sources}
    return {
        "version": lexicon.version,
        "concepts": len(lexicon.concepts),
        "languages": len({t.lang for t in approved}),
        "terms": len(approved),
        "proposed": status.get(Status.PROPOSED.value, 0),
        "retired": status.get(Status.RETIRED.value, 0),
        "sources": len(sources),
        "unsourced_approved": sum(1 for t in approved if not t.sources),
        "by_severity": dict(sorted(Counter(t.severity.value for t in approved).items())),
        "by_kind": dict(sorted(Counter(t.kind.value for t in approved).items())),
        "by_language": dict(sorted(Counter(t.lang for t in approved).items())),
        "by_concept": {
            cid: {"terms": sum(per[cid].values()), "languages": dict(sorted(per[cid].items()))}
            for cid in lexicon.concepts
        },
        "digest": lexicon.digest,
    }
