"""Streaming writers for findings: JSON Lines, JSON, CSV."""

from __future__ import annotations

import csv
import enum
from collections.abc import Iterable, Iterator
from typing import TextIO

from wildcli.match.findings import FIELD_ORDER, Finding
from wildcli.safety import json_text, neutralize_formula


class ReportFormat(str, enum.Enum):
    """Output formats of `scan`; `table` is rendered by the CLI, `html` by wildcli.reports.html
    (it needs every finding first), the others here as findings arrive."""

    TABLE = "table"
    JSONL = "jsonl"
    JSON = "json"
    CSV = "csv"
    HTML = "html"


def write_findings(
    findings: Iterable[Finding], fmt: ReportFormat, out: TextIO, *, flush: bool = False
) -> int:
    """Write findings as they arrive; returns how many were written. `flush`: push each one out
    at once (for a reader at the other end of a pipe while the input still trickles in)."""
    if flush:
        findings = _flushed(findings, out)
    if fmt is ReportFormat.JSONL:
        return _jsonl(findings, out)
    if fmt is ReportFormat.JSON:
        return _json(findings, out)
    if fmt is ReportFormat.CSV:
        return _csv(findings, out)
    raise ValueError(f"{fmt.value} is not a streaming format")


def _flushed(findings: Iterable[Finding], out: TextIO) -> Iterator[Finding]:
    """Each finding, with `out` flushed when the writer asks for the next one (it has written
    the one before by then)."""
    for finding in findings:
        yield finding
        out.flush()


def _dumps(finding: Finding) -> str:
    return json_text(finding.to_dict())


def _jsonl(findings: Iterable[Finding], out: TextIO) -> int:
    count = 0
    for f in findings:
        out.write(_dumps(f) + "\n")
        count += 1
    return count


def _json(findings: Iterable[Finding], out: TextIO) -> int:
    count = 0
    out.write("[")
    try:
        for f in findings:
            out.write(("," if count else "") + "\n  " + _dumps(f))
            count += 1
    finally:
        # Closed even when the scan is interrupted, so what was written stays valid JSON.
        out.write("\n]\n" if count else "]\n")
    return count


def _csv(findings: Iterable[Finding], out: TextIO) -> int:
    # Spreadsheet-safe: a cell starting with = + - @ would run as a formula (OWASP CSV injection).
    # CRLF rows as RFC 4180 has them: with "\n" alone, csv leaves a cell holding a lone CR
    # unquoted, and that CR splits the row for most readers.
    writer = csv.writer(out, lineterminator="\r\n")
    # The header waits for the first finding: it has a `count` column when that finding's
    # input had counts (a query log), which is only known once the input is read.
    columns: tuple[str, ...] | None = None
    count = 0
    try:
        for f in findings:
            if columns is None:
                columns = FIELD_ORDER if f.count is None else (*FIELD_ORDER, "count")
                writer.writerow(columns)
            row = f.to_dict()
            writer.writerow([_cell(row.get(key)) for key in columns])
            count += 1
    finally:
        if columns is None:
            writer.writerow(FIELD_ORDER)  # even when interrupted: a file of no findings, not nothing
    return count


def _cell(value: object) -> object:
    return neutralize_formula(value) if isinstance(value, str) else ("" if value is None else value)
