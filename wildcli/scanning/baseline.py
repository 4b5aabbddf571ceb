"""Baselines: the findings a dump already had, so that a later scan reports only what is new.

A finding is known when its record's scanned text (all selected fields) and its concept are in
the baseline. Row numbers play no part, so a shuffled or re-exported dump keeps its baseline.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wildcli import __version__
from wildcli.atomic import write_atomic
from wildcli.errors import InputError, Location
from wildcli.lexicon.model import Lexicon
from wildcli.match.findings import Finding
from wildcli.readers import Record
from wildcli.scanning.baselinefile import read_baseline_file

FORMAT = "wildcli-baseline"
FORMAT_VERSION = 1

Keep = Callable[[Record, list[Finding]], list[Finding]]
"""Given a record and its findings, the findings to report (the shape of a scan filter)."""


def record_key(record: Record) -> str:
    """sha256 of the record's scanned text: fields in name order, each NFC with its whitespace
    collapsed, so a re-export that rewraps lines or reorders columns keeps the key. Empty fields
    are left out, so a column that appears empty in a later export changes nothing."""
    digest = hashlib.sha256()
    for name in sorted(record.fields):
        text = " ".join(unicodedata.normalize("NFC", record.fields[name]).split())
        if text:
            digest.update(f"{name}\x1f{text}\x1e".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass
class _Seen:
    findings: int = 0
    terms: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)


@dataclass
class BaselineRecorder:
    """Collects the state of a scan; use `record` as the scan's filter, then `write`."""

    seen: dict[tuple[str, str], _Seen] = field(default_factory=dict)

    def record(self, record: Record, findings: list[Finding]) -> list[Finding]:
        """Remember the findings of `record` and pass them on unchanged."""
        key = record_key(record) if findings else ""
        for f in findings:
            entry = self.seen.setdefault((key, f.concept), _Seen())
            entry.findings += 1
            entry.terms.add(f.term)
            entry.records.add(record.id)
        return findings

    def to_json(self, lexicon: Lexicon) -> str:
        """The baseline document: sorted and free of timestamps, so equal scans give equal bytes."""
        entries = [
            {
                "key": key, "concept": concept, "findings": s.findings,
                "terms": sorted(s.terms), "record": min(s.records),
            }
            for (key, concept), s in sorted(self.seen.items())
        ]
        header = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "wildcli": __version__,
            "lexicon": {"version": lexicon.version, "digest": lexicon.digest},
        }
        # One entry per line: compact for large dumps, and a diff shows one line per change.
        lines = [json.dumps(e, ensure_ascii=False) for e in entries]
        body = "[\n    " + ",\n    ".join(lines) + "\n  ]" if lines else "[]"
        return json.dumps(header, ensure_ascii=False, indent=2)[:-2] + f',\n  "entries": {body}\n}}\n'

    def write(self, path: str | os.PathLike[str], lexicon: Lexicon) -> None:
        """Write the baseline atomically: an interrupted write keeps the previous one."""
        write_atomic(path, self.to_json(lexicon))


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline; `new_findings` is the scan filter that drops what it already holds."""

    known: frozenset[tuple[str, str]]
    wildcli: str | None = None
    lexicon_digest: str | None = None

    def new_findings(self, record: Record, findings: list[Finding]) -> list[Finding]:
        if not findings:
            return findings
        key = record_key(record)
        return [f for f in findings if (key, f.concept) not in self.known]

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Baseline:
        """Read a baseline file; InputUnavailable if it cannot be read, InputError if it is not
        one. Memory is bounded whatever the file holds (see wildcli.scanning.baselinefile)."""
        where = Location(os.fspath(path))
        document = read_baseline_file(path, "wildcli baseline")
        _check_header(document.header, where)
        if not document.has_entries or document.bad_entry:
            raise InputError(_BAD_ENTRIES, where)
        return cls(
            known=frozenset(document.entries), wildcli=_text(document.header.get("wildcli")),
            lexicon_digest=_text(document.digest),
        )

    @classmethod
    def from_dict(cls, data: Any, where: Location) -> Baseline:
        if not isinstance(data, dict):
            raise InputError(f"not a wildcli baseline (no \"format\": \"{FORMAT}\")", where)
        _check_header(data, where)
        entries = data.get("entries")
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("key"), str) and isinstance(e.get("concept"), str)
            for e in entries
        ):
            raise InputError(_BAD_ENTRIES, where)
        lexicon = data.get("lexicon")
        digest = lexicon.get("digest") if isinstance(lexicon, dict) else None
        return cls(
            known=frozenset((e["key"], e["concept"]) for e in entries),
            wildcli=_text(data.get("wildcli")), lexicon_digest=_text(digest),
        )


_BAD_ENTRIES = "baseline entries must be objects with a \"key\" and a \"concept\""


def _check_header(header: dict[str, Any], where: Location) -> None:
    if header.get("format") != FORMAT:
        raise InputError(f"not a wildcli baseline (no \"format\": \"{FORMAT}\")", where)
    version = header.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:
        raise InputError(f"baseline format_version {str(version)[:20]!r} is not supported", where)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def chain(filters: Sequence[Keep]) -> Keep | None:
    """One scan filter applying `filters` in order (None when there are none)."""
    if not filters:
        return None

    def keep(record: Record, findings: list[Finding]) -> list[Finding]:
        for f in filters:
            findings = f(record, findings)
        return findings

    return keep
