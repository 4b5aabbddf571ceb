"""`wildcli explain`: show how one text was normalised and why each candidate matched or not."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from wildcli.cli.options import LexiconOption, NoBundledOption, load_matcher

if TYPE_CHECKING:
    from wildcli.match.decisions import Decision
    from wildcli.match.explanation import Explanation


class ExplainFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"


def explain_command(
    text: str = typer.Argument(..., help="The text to explain, e.g. a listing title."),
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
    fmt: ExplainFormat = typer.Option(ExplainFormat.TEXT, "--format", help="Output format."),
    no_fuzzy: bool = typer.Option(False, "--no-fuzzy", help="Leave out near-misses (rapidfuzz)."),
    no_obfuscation: bool = typer.Option(False, "--no-obfuscation", help="Match only the base and folded views."),
    query: bool = typer.Option(False, "--query", help="Judge TEXT as a search query, as check and serve do."),
) -> None:
    """Show every view of TEXT, every candidate term, and the rule or context that decided it."""
    from wildcli.match.explanation import explain
    from wildcli.match.matcher import MatchOptions
    from wildcli.safety import json_text

    options = MatchOptions(obfuscation=not no_obfuscation, fuzzy=not no_fuzzy, queries=query)
    result = explain(load_matcher(lexicon, no_bundled, options, short_run=True), text)
    if fmt is ExplainFormat.JSON:
        typer.echo(json_text(result.to_dict(), indent=2))
    else:
        for line in render_text(result):
            typer.echo(line)


def render_text(result: Explanation) -> list[str]:
    """The plain-text report: views, then candidates (+ reported, - not), then early drops."""
    from wildcli.safety import strip_controls

    lines = ["Views:"]
    width = max(len(s.name) for s in result.steps)
    lines.extend(
        f"  {step.name:{width}}  {strip_controls(repr(step.text))}  ({step.note})" for step in result.steps
    )
    lines.append("Candidates:" if result.decisions else "Candidates: none")
    for d, shown in zip(result.decisions, result.reported, strict=True):
        lines.append("  " + ("+ " if shown else "- ") + strip_controls(_line(d)))
    if result.dropped:
        lines.append("Dropped before judging:")
        lines.extend("  - " + strip_controls(_line(d)) for d in result.dropped)
    found = len(result.findings)
    lines.append(f"{found} finding{'' if found == 1 else 's'}")
    return lines


def _line(d: Decision) -> str:
    t = d.term
    return (
        f"{t.concept}: {d.matched!r} at {d.start}-{d.end} ~ {t.term!r} ({t.lang}, {t.kind.value}, "
        f"{t.severity.value}) by {d.method.value} {d.score:.2f} in {d.view.value}: {d.reason}"
    )
