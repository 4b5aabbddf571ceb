"""Why a text matched or not: every normalisation view, every candidate and what decided it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wildcli.match.decisions import Decision
from wildcli.match.matcher import Matcher
from wildcli.match.views import Trace
from wildcli.text.normalize import View

_GLUED = re.compile(r"[#＃][^\W_]+(?:_[^\W_]+)*|\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")

VIEW_NOTES = {
    "original": "as typed",
    "base": "NFKC, case folded, zero-width and bidi controls removed",
    "folded": "Latin diacritics removed, typographic apostrophes made plain",
    "spaced": "the base view, each zero-width space read as a space",
    "spaced folded": "the folded view, each zero-width space read as a space",
    "skeleton": "look-alike letters, leetspeak, separators and stuffed letters undone",
    "glued": "hashtags and camel-cased compounds, where glued terms may match",
}


@dataclass(frozen=True)
class Step:
    """One view of the text that terms were matched against."""

    name: str
    text: str
    same_as: str = ""  # a view that changed nothing: the one whose text it shares

    @property
    def note(self) -> str:
        note = VIEW_NOTES.get(self.name, "")
        return f"{note}: none here, the same text as {self.same_as}" if self.same_as else note


@dataclass(frozen=True)
class Explanation:
    """The views of a text, the judged candidates and those dropped before judging."""

    text: str
    steps: tuple[Step, ...]
    decisions: tuple[Decision, ...]
    dropped: tuple[Decision, ...]
    reported: tuple[bool, ...]  # per decision: accepted and within the matcher's filters

    @property
    def findings(self) -> tuple[Decision, ...]:
        return tuple(d for d, shown in zip(self.decisions, self.reported, strict=True) if shown)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "views": [{"name": s.name, "text": s.text, "note": s.note} for s in self.steps],
            "candidates": [
                _decision_dict(d, shown) for d, shown in zip(self.decisions, self.reported, strict=True)
            ],
            "dropped": [_decision_dict(d, False) for d in self.dropped],
        }


def explain(matcher: Matcher, text: str) -> Explanation:
    """Match `text` as `matcher.find` does, keeping everything that was looked at."""
    trace = Trace()
    decisions = matcher.decide(text, trace)
    steps = [Step("original", text)]
    seen: set[tuple[str, str]] = set()
    for name, view in trace.views:
        if (name, view) not in seen:
            seen.add((name, view))
            steps.append(Step(name, view))
    dropped = _dropped(matcher, text, trace)
    # A text without diacritics is matched once, for its base and folded keys alike; a finding
    # "in folded" then needs that view listed, else the reader looks for it in vain.
    if any(d.view is View.FOLDED for d in (*decisions, *dropped)) and "folded" not in {s.name for s in steps}:
        base = next(i for i, s in enumerate(steps) if s.name == "base")
        steps.insert(base + 1, Step("folded", steps[base].text, same_as="base"))
    glued = " ".join(m.group() for m in _GLUED.finditer(text))
    if glued:
        steps.append(Step("glued", glued))
    reported = tuple(d.accepted and matcher.wanted(d.term) for d in decisions)
    return Explanation(text, tuple(steps), tuple(decisions), tuple(dropped), reported)


def _dropped(matcher: Matcher, text: str, trace: Trace) -> list[Decision]:
    """The candidates dropped before judging, once each."""
    dropped = []
    for hit, reason in trace.rejected:
        term = matcher.terms[hit.term].term
        dropped.append(Decision(
            term, hit.start, hit.end, text[hit.start:hit.end], hit.method, hit.score, False,
            reason, hit.view,
        ))
    return _unique(dropped)


def _unique(decisions: list[Decision]) -> list[Decision]:
    out: dict[tuple[str, str, int, int, str], Decision] = {}
    for d in decisions:
        out.setdefault((d.term.concept, d.term.term, d.start, d.end, d.reason), d)
    return sorted(out.values(), key=lambda d: (d.start, d.end, d.term.term))


def _decision_dict(d: Decision, reported: bool) -> dict[str, Any]:
    t = d.term
    return {
        "concept": t.concept, "term": t.term, "lang": t.lang, "kind": t.kind.value,
        "severity": t.severity.value, "matched": d.matched, "start": d.start, "end": d.end,
        "method": d.method.value, "score": d.score, "view": d.view.value,
        "accepted": d.accepted, "reported": reported, "reason": d.reason,
    }
