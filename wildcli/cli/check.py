"""`wildcli check`: run the matcher on one string, such as a search query."""

from __future__ import annotations

from pathlib import Path

import typer

from wildcli.cli.console import ExitCode
from wildcli.cli.options import LexiconOption, NoBundledOption, load_matcher
from wildcli.lexicon.model import Severity


def check_command(
    text: str = typer.Argument(..., help="The text to check, e.g. a search query or a listing title."),
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
    min_severity: Severity = typer.Option(Severity.MONITOR, "--min-severity", help="Report only findings at least this severe."),
    json_output: bool = typer.Option(False, "--json", help="Print the findings as a JSON list."),
    fail_on_findings: bool = typer.Option(False, "--fail-on-findings", help="Exit 1 when anything matched."),
) -> None:
    """Say which lexicon terms a single text matches, and how."""
    from wildcli.matcher import MatchOptions
    from wildcli.safety import json_text, strip_controls

    matcher = load_matcher(lexicon, no_bundled, MatchOptions(min_severity=min_severity), short_run=True)
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
