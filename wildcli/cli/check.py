"""`wildcli check`: run the matcher on one string, such as a search query, or on a file of them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from wildcli.cli import options as shared
from wildcli.cli.console import ExitCode, fail, warn
from wildcli.lexicon.model import Severity
from wildcli.readers.base import InputFormat, ReadOptions

if TYPE_CHECKING:
    from wildcli.match.matcher import Matcher
    from wildcli.scanning.queries import ActionTally, QueryResult


def check_command(
    text: str = typer.Argument(None, help="The search query to check (wildcli explain --query shows why).", show_default=False),
    file: str = typer.Option(None, "--file", metavar="PATH", help="Check every query of this file instead: a query file (.txt, one a line), a query log (CSV/TSV with a count column) or any dump; - for stdin.", show_default=False),
    lexicon: list[Path] = shared.LexiconOption,
    no_bundled: bool = shared.NoBundledOption,
    min_severity: Severity = typer.Option(Severity.MONITOR, "--min-severity", help="Report only findings at least this severe."),
    json_output: bool = typer.Option(False, "--json", help="Print the findings as a JSON list (with --file: one JSON object per query)."),
    fail_on_findings: bool = typer.Option(False, "--fail-on-findings", help="Exit 1 when anything matched."),
    input_format: InputFormat = shared.InputFormatOption,
    count_field: str = shared.CountFieldOption,
    fields: list[str] = shared.FieldsOption,
    encoding: str = shared.EncodingOption,
    ignore_lint_errors: bool = shared.IgnoreLintErrorsOption,
) -> None:
    """Say which lexicon terms a single text matches, and how; or, with --file, what to do with
    each search query of a file: block, warn, monitor or allow.

    With --file, each query gets one line on stdout (the action, the query, and the concept and
    terms that fired) or, with --json, one JSON object (query, count, action, findings); the
    queries and searches per action go to stderr.
    """
    from wildcli.match.matcher import MatchOptions
    from wildcli.safety import json_text, strip_controls

    if (text is None) == (file is None):
        fail("give a TEXT to check, or --file PATH, not both" if file else "missing TEXT (or --file PATH)",
             ExitCode.USAGE)  # fmt: skip
    options = MatchOptions(min_severity=min_severity, queries=True)  # as `serve` judges them
    matcher = shared.load_matcher(lexicon, no_bundled, options, short_run=True, gated=not ignore_lint_errors)
    if file is not None:
        read = ReadOptions(format=input_format, fields=shared.split_list(fields), encoding=encoding, count_field=count_field)
        _check_file(file, matcher, read, json_output=json_output, fail_on_findings=fail_on_findings)
    findings = matcher.find(text)
    if json_output:
        typer.echo(json_text([f.to_dict() for f in findings], indent=2))
    elif not findings:
        typer.echo("no match")
    for f in [] if json_output else findings:
        typer.echo(strip_controls(
            f"{f.severity.value:7} {f.concept}: {f.matched!r} at {f.start}-{f.end} "
            f"matches {f.term!r} ({f.lang}, {f.kind.value}) by {f.method.value}, score {f.score:.2f}"
        ))
    raise typer.Exit(int(ExitCode.FINDINGS if fail_on_findings and findings else ExitCode.OK))


def _check_file(
    path: str, matcher: Matcher, read: ReadOptions, *, json_output: bool, fail_on_findings: bool
) -> NoReturn:
    """One line per query of `path` on stdout, the tally per action on stderr; exits."""
    from wildcli.cli.scan import MAX_ERROR_LINES
    from wildcli.cli.scan_run import ScanRun
    from wildcli.scanning.queries import ActionTally, check_paths
    from wildcli.scanning.streaming import is_stream

    run = ScanRun(matcher=matcher, read=read, max_errors=0, max_error_lines=MAX_ERROR_LINES, warn=warn)
    tally = ActionTally()
    out = sys.stdout
    flush = is_stream(path)  # a pipe's answers go out as its queries come in
    try:
        for result in check_paths([path], matcher, read, summary=run.summary, on_error=run.on_error):
            tally.add(result)
            out.write(_json_line(result) if json_output else _text_line(result))
            if flush:
                out.flush()
    except KeyboardInterrupt:
        fail(f"interrupted after {run.summary.records} queries", ExitCode.INTERRUPTED)
    out.flush()
    run.report_errors()
    _tally_lines(tally)
    raise typer.Exit(int(run.exit_code(fail_on_findings)))


def _text_line(result: QueryResult) -> str:
    """`block   query  [concept: term, term; concept: term]`: what to do and why."""
    from wildcli.safety import strip_controls

    fired: dict[str, list[str]] = {}
    for f in result.findings:
        terms = fired.setdefault(f.concept, [])
        if f.term not in terms:
            terms.append(f.term)
    why = "; ".join(f"{concept}: {', '.join(terms)}" for concept, terms in fired.items())
    line = f"{result.action.value:7} {result.query}" + (f"  [{why}]" if why else "")
    return strip_controls(line.replace("\n", " ")) + "\n"


def _json_line(result: QueryResult) -> str:
    from wildcli.safety import json_text

    return json_text(result.to_dict()) + "\n"


def _tally_lines(tally: ActionTally) -> None:
    """Queries and searches per action, most severe first, as a small table on stderr."""
    from wildcli.lexicon.actions import LIST_ACTIONS, Action

    rows = [(a.value, tally.queries[a], tally.searches[a]) for a in (*LIST_ACTIONS, Action.ALLOW)]
    rows.append(("total", sum(tally.queries.values()), sum(tally.searches.values())))
    warn(f"{'action':8} {'queries':>9} {'searches':>11}")
    for name, queries, searches in rows:
        warn(f"{name:8} {queries:>9} {searches:>11}")
