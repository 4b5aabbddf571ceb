"""What a scan counted: records, fields, findings by concept, language, severity, method, field
and term, unreadable rows and missing inputs. Read by the reports and the CLI's table, which
therefore need not import the scanning modules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from wildcli.match.findings import Finding


@dataclass
class ScanSummary:
    """Counts gathered while scanning, for the summary tables and the exit code."""

    files: int = 0
    records: int = 0
    fields: int = 0
    records_with_findings: int = 0
    findings: int = 0
    bad_rows: int = 0
    missing_inputs: int = 0
    by_concept: Counter[str] = field(default_factory=Counter)
    by_lang: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)
    by_field: Counter[str] = field(default_factory=Counter)
    by_term: Counter[tuple[str, str]] = field(default_factory=Counter)
    searches: int = 0
    """The counts of the records scanned added up: how many searches they were, for a query
    log; one per record of an input without counts."""
    searches_with_findings: int = 0
    counted: bool = False
    """Whether some input had counts (a query file or a query log: CountedRecords)."""

    def add_record(self, fields: int, count: int, counted: bool, found: Sequence[Finding]) -> None:
        """Count one record scanned, with `fields` text fields, and the findings reported in it."""
        self.records += 1
        self.fields += fields
        self.searches += count
        if counted:
            self.counted = True
        if found:
            self.records_with_findings += 1
            self.searches_with_findings += count
            for f in found:
                self.add(f)

    def add(self, finding: Finding) -> None:
        self.findings += 1
        self.by_concept[finding.concept] += 1
        self.by_lang[finding.lang] += 1
        self.by_severity[finding.severity.value] += 1
        self.by_method[finding.method.value] += 1
        self.by_field[finding.field or ""] += 1
        self.by_term[(finding.concept, finding.term)] += 1
