"""Precision and recall of the lexicon against a labelled dump: the library behind `wildcli eval`.

A record is *flagged* when it has a block or review finding, *blocked* when it has a block one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from wildcli.errors import UsageError
from wildcli.lexicon.model import Severity
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions, Record, read_records
from wildcli.readers.base import ErrorCallback
from wildcli.scanning.local import scan_batches

__all__ = [
    "FORMAT", "Case", "ConceptScore", "Counts", "EvalReport", "GroupScore", "LabeledDump",
    "TermScore", "evaluate", "read_labeled",
]

FORMAT = "wildcli-eval/1"
"""Tag of the JSON report, so that `lint --precision` can refuse a file it does not understand."""
EXCERPT = 60
"""Characters kept on either side of the evidence in listed cases."""
NO_LABEL = frozenset({"", "na", "n/a", "nan", "null", "none"})
"""Label values that mean "not labelled" (R and pandas write NA and NaN for missing values)."""


def _ratio(num: int, den: int) -> float | None:
    # None rather than 0 when nothing was counted: "no data" is not "always wrong".
    return num / den if den else None


@dataclass(frozen=True)
class Counts:
    """A confusion matrix over records."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return None if p is None or r is None or p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
        }


@dataclass(frozen=True)
class TermScore:
    """How often one term fired on labelled-positive and on negative records."""

    concept: str
    term: str
    lang: str
    severity: Severity
    tp: int
    fp: int

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept, "term": self.term, "lang": self.lang,
            "severity": self.severity.value, "tp": self.tp, "fp": self.fp, "precision": self.precision,
        }


@dataclass(frozen=True)
class ConceptScore:
    """Records flagged (and blocked) by one concept; its recall is its share of all positives."""

    concept: str
    flagged: Counts
    block: Counts

    def to_dict(self) -> dict[str, Any]:
        return {"concept": self.concept, "flagged": self.flagged.to_dict(), "block": self.block.to_dict()}


@dataclass(frozen=True)
class GroupScore:
    """The records whose group field (say `lang` or `family`) holds `value`, scored on their own.

    A group of negatives only (benign listings of one kind) has no recall; what it measures is
    `false_positive_rate`, the share of its negatives that were flagged.
    """

    field: str
    value: str
    records: int
    positives: int
    flagged: Counts
    block: Counts

    @property
    def false_positive_rate(self) -> float | None:
        return _ratio(self.flagged.fp, self.flagged.fp + self.flagged.tn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field, "value": self.value, "records": self.records,
            "positives": self.positives, "flagged": self.flagged.to_dict(),
            "block": self.block.to_dict(), "false_positive_rate": self.false_positive_rate,
        }


@dataclass(frozen=True)
class Case:
    """A record worth reading: a missed positive or a flagged negative, with its evidence."""

    record: str
    row: int
    excerpt: str
    terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "row": self.row, "terms": list(self.terms), "excerpt": self.excerpt}


@dataclass(frozen=True)
class EvalReport:
    """Everything `wildcli eval` prints; `to_dict` is its saved JSON form."""

    records: int
    positives: int
    flagged: Counts
    block: Counts
    concepts: tuple[ConceptScore, ...]
    terms: tuple[TermScore, ...]
    misses: tuple[Case, ...]
    false_positives: tuple[Case, ...]
    unlabelled: int = 0
    groups: tuple[GroupScore, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """`meta` (input, fields, lexicon digest...) comes after `format` and never hides a score;
        `groups` is there only when asked for, so that reports without it keep their shape."""
        grouped = {"groups": [g.to_dict() for g in self.groups]} if self.groups else {}
        return {
            "format": FORMAT, **{k: v for k, v in self.meta.items() if k != "format"},
            "records": self.records, "positives": self.positives, "unlabelled": self.unlabelled,
            "flagged": self.flagged.to_dict(), "block": self.block.to_dict(),
            "concepts": [c.to_dict() for c in self.concepts],
            "terms": [t.to_dict() for t in self.terms],
            "misses": [c.to_dict() for c in self.misses],
            "false_positives": [c.to_dict() for c in self.false_positives],
            **grouped,
        }


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _evidence(f: Finding) -> str:
    before, after = f.snippet(EXCERPT)
    return f"{f.field}: {before}[{_flat(f.matched)}]{after}"


def _opening(record: Record) -> str:
    text = " | ".join(_flat(t).strip() for t in record.fields.values() if t.strip())
    return text[: 2 * EXCERPT] + ("…" if len(text) > 2 * EXCERPT else "")


def _counts(hit: set[int], positive: set[int], total: set[int]) -> Counts:
    tp = len(hit & positive)
    fp = len(hit - positive)
    fn = len(positive - hit)
    return Counts(tp, fp, fn, len(total) - tp - fp - fn)


def _group_scores(
    groups: Mapping[str, Mapping[int, str]], flagged: set[int], blocked: set[int],
    positive: set[int], seen: set[int],
) -> tuple[GroupScore, ...]:
    scores: list[GroupScore] = []
    for name, values in groups.items():
        rows_of: dict[str, set[int]] = defaultdict(set)
        for row in seen:
            rows_of[values.get(row, "")].add(row)
        for value, rows in sorted(rows_of.items()):
            scores.append(GroupScore(
                name, value, len(rows), len(rows & positive),
                _counts(flagged & rows, positive & rows, rows),
                _counts(blocked & rows, positive & rows, rows),
            ))
    return tuple(scores)


def evaluate(
    records: Iterable[Record], labels: Mapping[int, bool], matcher: Matcher,
    groups: Mapping[str, Mapping[int, str]] | None = None,
) -> EvalReport:
    """Scan `records` and score the findings against `labels` (record row -> is positive).

    Records without a label are skipped and counted as `unlabelled`. Per-term scores cover
    every finding the matcher reports, monitor ones included, so build it with the default
    options to score the whole lexicon. `groups` (field name -> record row -> value, as
    `read_labeled` keeps them) adds a score per value of each field, in the order given; a
    record without a value counts under "".
    """
    seen: set[int] = set()
    positive: set[int] = set()
    flagged: set[int] = set()
    blocked: set[int] = set()
    by_concept: dict[str, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    by_term: dict[tuple[str, str, str, Severity], set[int]] = defaultdict(set)
    misses: list[Case] = []
    false_positives: list[Case] = []
    unlabelled = 0

    def labelled() -> Iterator[Record]:
        nonlocal unlabelled
        for record in records:
            if record.row in labels:
                yield record
            else:
                unlabelled += 1

    for record, found in scan_batches(labelled(), matcher):
        row = record.row
        label = labels[row]
        seen.add(row)
        if label:
            positive.add(row)
        strong = [f for f in found if f.severity.at_least(Severity.REVIEW)]
        for f in found:
            by_term[(f.concept, f.term, f.lang, f.severity)].add(row)
        for f in strong:
            by_concept[f.concept][0].add(row)
            if f.severity is Severity.BLOCK:
                by_concept[f.concept][1].add(row)
                blocked.add(row)
        if strong:
            flagged.add(row)
            if not label:
                fired = tuple(dict.fromkeys(f"{f.concept}:{f.term}" for f in strong))
                false_positives.append(Case(record.id, row, _evidence(strong[0]), fired))
        elif label:
            weak = tuple(dict.fromkeys(f"{f.concept}:{f.term}" for f in found))
            misses.append(Case(record.id, row, _opening(record), weak))
    concepts = tuple(
        ConceptScore(c, _counts(f, positive, seen), _counts(b, positive, seen))
        for c, (f, b) in sorted(by_concept.items(), key=lambda kv: (-len(kv[1][0]), kv[0]))
    )
    terms = tuple(sorted(
        (TermScore(c, t, lang, sev, len(rows & positive), len(rows - positive))
         for (c, t, lang, sev), rows in by_term.items()),
        key=lambda s: (-(s.tp + s.fp), s.concept, s.term, s.lang),
    ))
    return EvalReport(
        records=len(seen), positives=len(positive),
        flagged=_counts(flagged, positive, seen), block=_counts(blocked, positive, seen),
        concepts=concepts, terms=terms, misses=tuple(misses),
        false_positives=tuple(false_positives), unlabelled=unlabelled,
        groups=_group_scores(groups or {}, flagged, blocked, positive, seen),
    )


@dataclass(frozen=True)
class LabeledDump:
    """The records of a labelled dump (label and group fields removed), their labels by record
    row, and the values of each group field by record row."""

    records: tuple[Record, ...]
    labels: dict[int, bool]
    fields: tuple[str, ...]
    groups: dict[str, dict[int, str]] = field(default_factory=dict)


def read_labeled(
    path: str,
    label_field: str,
    positive: str = "1",
    options: ReadOptions = ReadOptions(),  # frozen, so sharing the default is safe
    *,
    group_fields: tuple[str, ...] = (),
    on_error: ErrorCallback | None = None,
) -> LabeledDump:
    """Read `path` keeping `label_field` and `group_fields` apart from the text fields that will
    be scanned.

    A label equal to `positive` (after trimming) marks a positive; a missing, empty or NA-style
    label ("NA", "null", "NaN"...) leaves the record unlabelled. Without `options.fields`, the
    text fields are detected as `scan` does (which reads the first record twice, so stdin needs
    explicit fields), and the label and group fields are never scanned. A group field (the
    language or kind of each record) is kept, trimmed, to score each of its values apart.
    """
    kept_apart = (label_field, *group_fields)
    fields = options.fields
    if fields is None and path == "-":
        raise UsageError("reading a labelled dump from stdin needs explicit fields")
    if fields is None:
        # Peek at the first record only to learn the detected names; the real pass reports errors.
        first = next(iter(read_records(path, options, on_error=lambda _: None)), None)
        fields = tuple(n for n in (first.fields if first else ()) if n not in kept_apart)
    extra = tuple(n for n in dict.fromkeys(kept_apart) if n not in fields)
    # A group field named in `fields` is scanned too; the label never is.
    scanned = frozenset(fields) - {label_field}
    wanted = ReadOptions(
        format=options.format, fields=(*fields, *extra), id_field=options.id_field,
        encoding=options.encoding, extra=options.extra, max_record_bytes=options.max_record_bytes,
    )
    records: list[Record] = []
    labels: dict[int, bool] = {}
    groups: dict[str, dict[int, str]] = {name: {} for name in group_fields}
    for record in read_records(path, wanted, on_error=on_error):
        value = record.fields.get(label_field, "").strip()
        if value.lower() not in NO_LABEL:
            labels[record.row] = value == positive.strip()
        for name, values in groups.items():
            values[record.row] = record.fields.get(name, "").strip()
        text = {k: v for k, v in record.fields.items() if k in scanned}
        records.append(Record(record.source, record.row, record.id, text, record.line))
    return LabeledDump(tuple(records), labels, tuple(fields), groups)
