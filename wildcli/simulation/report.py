"""Run an export's applier and wildcli's own judgement over the same records, and score both.

A record is *flagged* by a system when its action is block or warn, *blocked* when it is block.
With labels, each system gets recall and precision; without, the report gives how many records
each system blocks, warns about and logs, and where the two disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wildcli.lexicon.actions import Action
from wildcli.match.matcher import Matcher
from wildcli.quality.evaluation import Counts
from wildcli.readers import Record
from wildcli.scanning.local import scan_batches
from wildcli.simulation.appliers import Applier, Fired

EXCERPT = 80
FLAGGING = (Action.BLOCK, Action.WARN)


@dataclass(frozen=True)
class Disagreement:
    """A record on which the export and wildcli act differently, with what fired on each side."""

    record: str
    row: int
    label: bool | None
    wildcli: Action
    export: Action
    excerpt: str
    wildcli_terms: tuple[str, ...] = ()
    export_entries: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.record, "row": self.row, "label": self.label, "wildcli": self.wildcli.value,
            "export": self.export.value, "wildcli_terms": list(self.wildcli_terms),
            "export_entries": list(self.export_entries), "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class SystemScore:
    """One system's actions over the records, and its scores against the labels if any."""

    actions: Mapping[Action, int]
    flagged: Counts | None = None
    blocked: Counts | None = None

    def rate(self, action: Action, records: int) -> float | None:
        return self.actions.get(action, 0) / records if records else None

    @property
    def benign_block_rate(self) -> float | None:
        """Share of the negative records blocked (None without labels or negatives)."""
        return self._benign(self.blocked)

    @property
    def benign_flag_rate(self) -> float | None:
        """Share of the negative records blocked or warned about."""
        return self._benign(self.flagged)

    def _benign(self, counts: Counts | None) -> float | None:
        if counts is None or self.flagged is None:
            return None
        negatives = self.flagged.fp + self.flagged.tn
        return counts.fp / negatives if negatives else None

    def to_dict(self, records: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "actions": {a.value: self.actions.get(a, 0) for a in reversed(Action)},
            "block_rate": self.rate(Action.BLOCK, records),
        }
        if self.flagged is not None and self.blocked is not None:
            data["flagged"] = self.flagged.to_dict()
            data["blocked"] = self.blocked.to_dict()
            data["benign_block_rate"] = self.benign_block_rate
            data["benign_flag_rate"] = self.benign_flag_rate
        return data


@dataclass(frozen=True)
class SimulationReport:
    """The export and wildcli side by side on the same records."""

    format: str
    target: str
    records: int
    labelled: int
    positives: int
    export: SystemScore
    wildcli: SystemScore
    agree: int
    cases: tuple[Disagreement, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def recall_ratio(self) -> float | None:
        """The export's flagged recall as a share of wildcli's own."""
        e, w = self.export.flagged, self.wildcli.flagged
        if e is None or w is None or not w.recall or e.recall is None:
            return None
        return e.recall / w.recall

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format, "target": self.target, **dict(self.meta),
            "records": self.records, "labelled": self.labelled, "positives": self.positives,
            "export": self.export.to_dict(self.records), "wildcli": self.wildcli.to_dict(self.records),
            "recall_ratio": self.recall_ratio, "agree": self.agree,
            "disagreements": [c.to_dict() for c in self.cases],
        }


def _flat(text: str) -> str:
    return " ".join(text.split())


def _excerpt(record: Record) -> str:
    text = " | ".join(_flat(t) for t in record.fields.values() if t.strip())
    return text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")


def _score(actions: dict[int, Action], labels: Mapping[int, bool]) -> SystemScore:
    counts = Counter(actions.values())
    if not labels:
        return SystemScore(counts)
    rows = [r for r in actions if r in labels]
    positive = {r for r in rows if labels[r]}

    def confusion(hit: set[int]) -> Counts:
        tp, fp = len(hit & positive), len(hit - positive)
        fn = len(positive - hit)
        return Counts(tp, fp, fn, len(rows) - tp - fp - fn)

    flagged = {r for r in rows if actions[r] in FLAGGING}
    blocked = {r for r in rows if actions[r] is Action.BLOCK}
    return SystemScore(counts, confusion(flagged), confusion(blocked))


def simulate(
    records: Iterable[Record],
    applier: Applier,
    matcher: Matcher,
    *,
    labels: Mapping[int, bool] | None = None,
    format_name: str = "",
    target: str = "",
    max_cases: int = 1000,
    meta: Mapping[str, Any] | None = None,
) -> SimulationReport:
    """Apply `applier` (an export, as its target applies it) and `matcher` to every field of
    every record; a record's action is the strongest over its fields."""
    labels = labels or {}
    mine: dict[int, Action] = {}
    theirs: dict[int, Action] = {}
    cases: list[Disagreement] = []
    agree = 0
    for record, findings in scan_batches(records, matcher):
        ours = Action.strongest(f.action for f in findings)
        fired: list[Fired] = []
        for text in record.fields.values():
            fired.extend(applier.apply(text).fired)
        export = Action.strongest(f.action for f in fired)
        mine[record.row], theirs[record.row] = ours, export
        if ours is export:
            agree += 1
        elif len(cases) < max_cases:
            cases.append(Disagreement(
                record.id, record.row, labels.get(record.row), ours, export, _excerpt(record),
                tuple(dict.fromkeys(f"{f.concept}:{f.term}" for f in findings)),
                tuple(dict.fromkeys(f.entry for f in fired)),
            ))
    labelled = {r: v for r, v in labels.items() if r in mine}
    return SimulationReport(
        format=format_name, target=target, records=len(mine), labelled=len(labelled),
        positives=sum(labelled.values()), export=_score(theirs, labelled), wildcli=_score(mine, labelled),
        agree=agree, cases=tuple(cases), meta=dict(meta or {}),
    )
