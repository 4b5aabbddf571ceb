"""Findings below a severity, left out of a report but counted, so that a report for people can
stay quiet about weak signals and still say how many it left out."""

from __future__ import annotations

from dataclasses import dataclass

from wildcli.lexicon.model import Severity
from wildcli.match.findings import Finding
from wildcli.readers.base import Record


@dataclass
class HideBelow:
    """A record filter for `scan_records`/`scan_paths` (`keep=`) that drops findings less severe
    than `severity` and counts them in `hidden`."""

    severity: Severity
    hidden: int = 0

    def __call__(self, record: Record, findings: list[Finding]) -> list[Finding]:
        kept = [f for f in findings if f.severity.rank >= self.severity.rank]
        self.hidden += len(findings) - len(kept)
        return kept
