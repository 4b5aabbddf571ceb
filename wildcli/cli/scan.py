"""`wildcli scan`: find lexicon terms in listing dumps."""

from __future__ import annotations

import os
import time
from pathlib import Path

import typer

from wildcli.cli.console import ExitCode, fail, is_terminal, warn
from wildcli.cli.conventions import unknown
from wildcli.cli.options import (
    CountFieldOption,
    EncodingOption,
    FieldsOption,
    IgnoreLintErrorsOption,
    InputFormatOption,
    LexiconOption,
    NoBundledOption,
    QueriesOption,
    load_matcher,
    split_list,
)
from wildcli.lexicon.model import Severity
from wildcli.readers.base import InputFormat
from wildcli.reports import ReportFormat
from wildcli.scanning import Engine
from wildcli.scanning.quiet import HideBelow

MAX_ERROR_LINES = 50


def scan_command(
    paths: list[str] = typer.Argument(..., help="CSV, JSON or JSONL dumps, or query files (.txt, one search query a line), optionally .gz; - for stdin."),
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
    fields: list[str] = FieldsOption,
    id_field: str = typer.Option(None, "--id-field", help="Field holding the record id. Default: an id-like column, else the record number."),
    input_format: InputFormat = InputFormatOption,
    count_field: str = CountFieldOption,
    encoding: str = EncodingOption,
    fmt: ReportFormat = typer.Option(ReportFormat.TABLE, "--format", help="Output format."),
    output: str = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
    min_severity: Severity = typer.Option(
        None, "--min-severity", show_default=False,
        help="Report only findings at least this severe. Default: monitor, except that the table leaves out "
             "monitor findings (weak signals) and says how many.",
    ),
    concept: list[str] = typer.Option(None, "--concept", help="Only these concepts (repeatable)."),
    lang: list[str] = typer.Option(None, "--lang", help="Only terms of these languages (repeatable)."),
    top: int = typer.Option(20, "--top", help="Records listed by the table format (and, for queries with counts, most searched terms per action)."),
    fail_on_findings: bool = typer.Option(False, "--fail-on-findings", help="Exit 1 when anything was found (for CI)."),
    max_errors: int = typer.Option(0, "--max-errors", help="Stop after this many unreadable rows (0: never stop)."),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first unreadable row."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr (only when it is a terminal)."),
    no_fuzzy: bool = typer.Option(False, "--no-fuzzy", help="Leave out near-misses of long terms (faster, fewer uncertain findings)."),
    queries: bool = QueriesOption,
    no_obfuscation: bool = typer.Option(False, "--no-obfuscation", help="Do not undo leetspeak, look-alikes, separators, missing tones, hashtags ... (faster)."),
    baseline: Path = typer.Option(None, "--baseline", metavar="FILE", help="Report only findings that are not in this baseline (see --write-baseline).", show_default=False),
    write_baseline: Path = typer.Option(None, "--write-baseline", metavar="FILE", help="Record this scan's findings as a baseline (JSON, written atomically).", show_default=False),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, metavar="N", help="Processes to scan with (default: all cores); output is the same for any N.", show_default=False),
    engine: Engine = typer.Option(Engine.LOCAL, "--engine", help="Scan on this machine, or on a Dask cluster (needs wildcli[dask])."),
    scheduler: str = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster of --jobs processes).", show_default=False),
    ignore_lint_errors: bool = IgnoreLintErrorsOption,
) -> None:
    """Scan listing dumps or search queries for wildlife-trade terms and report the findings with evidence.

    A query log (a CSV/TSV with a count column) or a query file (.txt) is weighed by its counts:
    the table then says how many searches held each concept, and which terms were searched most.
    """
    from wildcli.cli.scan_run import ScanRun, load_baseline
    from wildcli.match.matcher import MatchOptions
    from wildcli.readers.base import ReadOptions

    if scheduler and engine is not Engine.DASK:
        fail("--scheduler needs --engine dask", ExitCode.USAGE)
    quiet = min_severity is None and fmt is ReportFormat.TABLE
    options = MatchOptions(
        min_severity=min_severity or Severity.MONITOR,
        concepts=frozenset(split_list(concept) or ()) or None,
        langs=frozenset(split_list(lang) or ()) or None,
        obfuscation=not no_obfuscation,
        fuzzy=not no_fuzzy,
        queries=queries,
    )
    matcher = load_matcher(lexicon, no_bundled, options, gated=not ignore_lint_errors)
    lex = matcher.lexicon
    for what, given, known in (("concept", concept, lex.concepts), ("language", lang, {t.lang for t in lex.terms})):
        missing = sorted(set(split_list(given) or ()) - set(known))
        if missing:
            fail(unknown(what, missing[0], known), ExitCode.USAGE)
    run = ScanRun(
        matcher=matcher,
        read=ReadOptions(format=input_format, fields=split_list(fields), id_field=id_field, encoding=encoding,
                         count_field=count_field),
        max_errors=1 if strict else max_errors,
        max_error_lines=MAX_ERROR_LINES,
        warn=warn,
        baseline=load_baseline(baseline, lex) if baseline else None,
        write_baseline=str(write_baseline) if write_baseline else None,
        jobs=jobs or os.cpu_count() or 1,
        engine=engine,
        scheduler=scheduler,
        hide=HideBelow(Severity.REVIEW) if quiet else None,
    )
    started = time.perf_counter()
    try:
        run.execute(paths, fmt, output, top=top, progress=progress and is_terminal())
    except KeyboardInterrupt:
        s = run.summary
        kept = f"{output} left unchanged" if output else "complete findings were written"
        fail(f"interrupted after {s.records} records and {s.findings} findings; {kept}", ExitCode.INTERRUPTED)
    elapsed = time.perf_counter() - started
    s = run.summary
    if fmt is not ReportFormat.TABLE or output:
        warn(
            f"scanned {s.records} records in {elapsed:.1f}s: "
            f"{s.findings} findings in {s.records_with_findings} records"
        )
    raise typer.Exit(int(run.exit_code(fail_on_findings)))
