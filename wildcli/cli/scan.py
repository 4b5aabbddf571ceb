"""`wildcli scan`: find lexicon terms in listing dumps."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from wildcli.cli.console import ExitCode, fail, is_terminal, warn
from wildcli.cli.options import LexiconOption, NoBundledOption, load, split_list
from wildcli.lexicon.model import Severity
from wildcli.readers.base import InputFormat
from wildcli.reports import ReportFormat

MAX_ERROR_LINES = 50


def scan_command(
    paths: list[str] = typer.Argument(..., help="CSV, JSON or JSONL dumps (optionally .gz); - for stdin."),
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
    fields: list[str] = typer.Option(None, "--fields", "-f", help="Text fields to scan (comma-separated; dotted paths for nested JSON). Default: text-like columns."),
    id_field: str = typer.Option(None, "--id-field", help="Field holding the record id. Default: an id-like column, else the record number."),
    input_format: InputFormat = typer.Option(InputFormat.AUTO, "--input-format", help="Input format; auto guesses from the name and content."),
    encoding: str = typer.Option(None, "--encoding", help="Force a text encoding (default: UTF-8, or UTF-16 when a BOM says so)."),
    fmt: ReportFormat = typer.Option(ReportFormat.TABLE, "--format", help="Output format."),
    output: str = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
    min_severity: Severity = typer.Option(Severity.MONITOR, "--min-severity", help="Report only findings at least this severe."),
    concept: list[str] = typer.Option(None, "--concept", help="Only these concepts (repeatable)."),
    lang: list[str] = typer.Option(None, "--lang", help="Only terms of these languages (repeatable)."),
    top: int = typer.Option(20, "--top", help="Findings listed by the table format."),
    fail_on_findings: bool = typer.Option(False, "--fail-on-findings", help="Exit 1 when anything was found (for CI)."),
    max_errors: int = typer.Option(0, "--max-errors", help="Stop after this many unreadable rows (0: never stop)."),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first unreadable row."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr (only when it is a terminal)."),
) -> None:
    """Scan listing dumps for wildlife-trade terms and report the findings with evidence."""
    from wildcli.cli.scan_run import ScanRun
    from wildcli.matcher import MatchOptions, Matcher
    from wildcli.readers.base import ReadOptions

    lex = load(lexicon, no_bundled)
    unknown = sorted(set(split_list(concept) or ()) - set(lex.concepts))
    if unknown:
        fail(f"unknown concept {unknown[0]!r} (see wildcli stats)", ExitCode.USAGE)
    options = MatchOptions(
        min_severity=min_severity,
        concepts=frozenset(split_list(concept) or ()) or None,
        langs=frozenset(split_list(lang) or ()) or None,
    )
    run = ScanRun(
        matcher=Matcher(lex, options),
        read=ReadOptions(format=input_format, fields=split_list(fields), id_field=id_field, encoding=encoding),
        max_errors=1 if strict else max_errors,
        max_error_lines=MAX_ERROR_LINES,
        warn=warn,
    )
    started = time.perf_counter()
    run.execute(paths, fmt, output, top=top, progress=progress and is_terminal())
    elapsed = time.perf_counter() - started
    s = run.summary
    if fmt is not ReportFormat.TABLE or output:
        warn(f"scanned {s.records} records in {elapsed:.1f}s: {s.findings} findings in {s.records_with_findings} records")
    raise typer.Exit(int(run.exit_code(fail_on_findings)))
