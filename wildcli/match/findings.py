"""The Finding value object: what matched, how, and where, in one place."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from wildcli.lexicon.actions import Action
from wildcli.lexicon.model import Kind, Severity
from wildcli.text.scripts import breaks_word


class Method(str, enum.Enum):
    """How a term was found; later methods are less certain, and `score` says by how much."""

    EXACT = "exact"
    NORMALIZED = "normalized"
    CONFUSABLE = "confusable"
    SEPARATED = "separated"
    LEET = "leet"
    DIACRITICS = "diacritics"
    SCRIPT_VARIANT = "script_variant"
    HASHTAG = "hashtag"
    COMPOUND = "compound"
    FUZZY = "fuzzy"


EVASIONS = frozenset({Method.SEPARATED, Method.LEET, Method.CONFUSABLE})
"""Methods that only match a deliberately disguised spelling: such a hit needs no context."""


CONTEXT = 40
"""Characters of text the matcher keeps either side of a finding (`matcher.EXCERPT`): a side
this long may have been cut from a longer text."""

ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Finding:
    """One occurrence of a lexicon term in one field of one record.

    - `source`, `record`, `row`, `field`: where it is, so an analyst can open the listing
      (`record` is the listing's own id, `row` its 1-based position in the file, which stays
      meaningful when ids are missing or repeated);
    - `concept`, `term`, `lang`, `kind`, `severity`: which lexicon entry fired and how seriously
      to take it;
    - `matched`, `start`, `end`: the evidence, exactly as typed: `text[start:end] == matched`
      in the field's original text, whatever normalisation was needed to find it;
    - `method`, `score`: how it was found and how confident that is (1.0 for an exact hit);
    - `before`, `after`: a little of the surrounding text, so a reader can judge the hit
      without opening the dump;
    - `count`: how many times the record was searched, for records of an input with counts (a
      query file or a query log: wildcli.readers.CountedRecord); None for ordinary dumps.
    """

    concept: str
    term: str
    lang: str
    kind: Kind
    severity: Severity
    matched: str
    start: int
    end: int
    method: Method
    score: float
    source: str | None = None
    record: str | None = None
    row: int | None = None
    field: str | None = None
    before: str = ""
    after: str = ""
    count: int | None = None

    @property
    def action(self) -> Action:
        """What a platform does with it: block, warn (the review tier) or monitor."""
        return Action.of(self.severity)

    def snippet(self, width: int = CONTEXT) -> tuple[str, str]:
        """`before` and `after` as a reader sees them: on one line, at most `width` characters
        each, cut at a word (a spaced script) or a character (one written without spaces), and
        "…" where text was left out. The offsets and `before`/`after` themselves stay exact."""
        return lead(self.before, width), tail(self.after, width)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields in a stable order (the order of the output formats); `count`
        comes last, and only when the record has one."""
        # Every field is immutable, so plain attribute reads give what `asdict` would, at a
        # tenth of its cost (this runs for every finding a service answers with).
        ordered = {key: getattr(self, key) for key in FIELD_ORDER}
        ordered["kind"] = self.kind.value
        ordered["severity"] = self.severity.value
        ordered["method"] = self.method.value
        if self.count is not None:
            ordered["count"] = self.count
        return ordered


FIELD_ORDER = (
    "source", "record", "row", "field", "concept", "term", "lang", "kind", "severity",
    "matched", "start", "end", "method", "score", "before", "after",
)



def lead(before: str, width: int = CONTEXT) -> str:
    """The end of `before`, for display in front of a match (see `Finding.snippet`)."""
    text = _SPACES.sub(" ", before)
    kept = text[-width:] if width else ""
    # What stood in front of the kept text: known when it is cut here, unknown (maybe a letter)
    # when the matcher already cut it.
    if len(text) > width:
        previous: str | None = text[-width - 1]
    elif len(before) >= CONTEXT:
        previous = None
    else:
        return kept
    if breaks_word(kept[:1] or " ") and (previous is None or breaks_word(previous)):
        start = next((i for i, ch in enumerate(kept) if not breaks_word(ch)), len(kept))
        if start < len(kept):  # else one long word: cut it at a character
            kept = kept[start:]
    return ELLIPSIS + kept.lstrip()


def tail(after: str, width: int = CONTEXT) -> str:
    """The start of `after`, for display behind a match (see `Finding.snippet`)."""
    text = _SPACES.sub(" ", after)
    kept = text[:width]
    if len(text) > width:
        following: str | None = text[width]
    elif len(after) >= CONTEXT:
        following = None
    else:
        return kept
    if breaks_word(kept[-1:] or " ") and (following is None or breaks_word(following)):
        end = next((i for i in range(len(kept), 0, -1) if not breaks_word(kept[i - 1])), 0)
        if end:
            kept = kept[:end]
    return kept.rstrip() + ELLIPSIS
