"""Counts over a lexicon: what `wildcli stats` shows and CI dashboards read."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from wildcli.lexicon.model import Lexicon, SourceKind, Status
from wildcli.lexicon.quotes import quote_state

UNCLASSIFIED = "unclassified"
"""The `kind` of a citation that does not say what sort of page it is."""


def lexicon_stats(lexicon: Lexicon) -> dict[str, Any]:
    """Top-level integers (`concepts`, `languages`, `terms` = approved terms), then detail."""
    approved = lexicon.active_terms()
    status = Counter(t.status.value for t in lexicon.terms)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for t in approved:
        per[t.concept][t.lang] += 1
    sources = {(s.title, s.url) for t in approved for s in t.sources}
    kinds = Counter(s.kind.value if s.kind else UNCLASSIFIED for t in approved for s in t.sources)
    quotes = Counter(state for t in approved if (state := quote_state(t)))
    return {
        "version": lexicon.version,
        "concepts": len(lexicon.concepts),
        "languages": len({t.lang for t in approved}),
        "terms": len(approved),
        "proposed": status.get(Status.PROPOSED.value, 0),
        "retired": status.get(Status.RETIRED.value, 0),
        "sources": len(sources),
        "unsourced_approved": sum(1 for t in approved if not t.sources),
        "code_words_without_quote": quotes["missing"] + quotes["absent"],
        "by_severity": dict(sorted(Counter(t.severity.value for t in approved).items())),
        "by_kind": dict(sorted(Counter(t.kind.value for t in approved).items())),
        "by_language": dict(sorted(Counter(t.lang for t in approved).items())),
        # Citations (source entries of approved terms) by the sort of page they are, every kind
        # listed so that a dashboard sees a zero; `unclassified` ones do not say yet.
        "citations_by_kind": {k: kinds[k] for k in [*(m.value for m in SourceKind), UNCLASSIFIED]},
        # Approved code words and slang: a quote from the source shows the term; `missing` ones
        # say their source's text could not be found (quote_missing), `absent` ones say nothing.
        "quotes": {"needed": sum(quotes.values()), "quoted": quotes["quoted"],
                   "missing": quotes["missing"], "absent": quotes["absent"]},
        "by_concept": {
            cid: {"terms": sum(per[cid].values()), "languages": dict(sorted(per[cid].items()))}
            for cid in lexicon.concepts
        },
        "digest": lexicon.digest,
    }
