"""`wildcli add`: add one term to the lexicon, asking for what is missing, then lint the file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from wildcli.cli.console import ExitCode, fail, sanitize, warn
from wildcli.errors import LexiconError, UsageError
from wildcli.lexicon.model import Kind, Severity, Status

_REQUIRED = {
    "concept": ("--concept", "Concept id (a directory of the lexicon)", str),
    "lang": ("--lang", "Language tag (e.g. vi, zh-Hans)", str),
    "term": ("--term", "Term, as sellers type it", str),
    "kind": ("--kind", "Kind", Kind),
    "source_title": ("--source-title", "Source title", str),
    "source_url": ("--source-url", "Source URL", str),
    "source_year": ("--source-year", "Source year", int),
}


def add_command(
    concept: str = typer.Option(None, "--concept", metavar="TEXT", help="Concept id, e.g. ivory.", show_default=False),
    lang: str = typer.Option(None, "--lang", metavar="TEXT", help="BCP-47 language tag, e.g. vi or zh-Hans.", show_default=False),
    term: str = typer.Option(None, "--term", metavar="TEXT", help="The term, as sellers write it.", show_default=False),
    kind: Kind = typer.Option(None, "--kind", help="What sort of string the term is.", show_default=False),
    severity: Severity = typer.Option(None, "--severity", help="Default: the concept's severity.", show_default=False),
    status: Status = typer.Option(Status.PROPOSED, "--status", help="Workflow state; reviewers approve."),
    source_title: str = typer.Option(None, "--source-title", metavar="TEXT", help="Title of the evidence.", show_default=False),
    source_url: str = typer.Option(None, "--source-url", metavar="TEXT", help="http(s) URL of the evidence.", show_default=False),
    source_year: int = typer.Option(None, "--source-year", metavar="YEAR", help="Year of the evidence.", show_default=False),
    contributor: str = typer.Option(None, "--contributor", metavar="TEXT", help="Who proposes the term.", show_default=False),
    note: str = typer.Option(None, "--note", metavar="TEXT", help="Why the term signals the concept.", show_default=False),
    example: list[str] = typer.Option(None, "--example", metavar="TEXT", help="Listing text that must match (repeatable).", show_default=False),
    counter_example: list[str] = typer.Option(None, "--counter-example", metavar="TEXT", help="Listing text that must not match (repeatable).", show_default=False),
    context: list[str] = typer.Option(None, "--context", metavar="TEXT", help="Phrase or @concept required nearby (repeatable).", show_default=False),
    exclude: list[str] = typer.Option(None, "--exclude", metavar="TEXT", help="Phrase that cancels a hit nearby (repeatable).", show_default=False),
    lexicon: Path = typer.Option(None, "--lexicon", metavar="DIR", help="Lexicon directory to write to (default: the bundled lexicons/).", show_default=False),
) -> None:
    """Add a term to lexicons/<concept>/<lang>.yaml, sorted and canonical, then lint that file."""
    from wildcli.lexicon.add import add_term
    from wildcli.lexicon.loader import bundled_lexicon_dir, display_path

    given = _complete({"concept": concept, "lang": lang, "term": term, "kind": kind,
                       "source_title": source_title, "source_url": source_url, "source_year": source_year})
    entry = {
        "term": given["term"], "kind": Kind(given["kind"]).value, "severity": severity and severity.value,
        "status": status.value, "contributor": contributor, "note": note,
        "sources": [{"title": given["source_title"], "url": given["source_url"], "year": given["source_year"]}],
        "context": context, "exclude": exclude, "examples": example, "counter_examples": counter_example,
    }
    root = lexicon or bundled_lexicon_dir()
    try:
        path = add_term(root, given["concept"], given["lang"], entry)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    except LexiconError as error:
        fail(error, ExitCode.LEXICON_ERROR)
    shown = display_path(path)
    typer.echo(sanitize(f"added {given['term']!r} to {shown}"))
    # A lexicon defining the concept is linted alone; an overlay adding to a bundled concept, layered.
    overlay = not (root / given["concept"] / "concept.yaml").is_file()
    raise typer.Exit(int(_lint(root, path, overlay)))


def _complete(values: dict[str, Any]) -> dict[str, Any]:
    """Ask for missing required values on a terminal; elsewhere, name them and fail."""
    missing = [name for name, value in values.items() if value is None]
    if missing and not _interactive():
        flags = ", ".join(_REQUIRED[name][0] for name in missing)
        fail(f"missing {flags} (or run in a terminal to be asked)", ExitCode.USAGE)
    for name in missing:
        _, prompt, kind = _REQUIRED[name]
        values[name] = typer.prompt(prompt, type=kind)
    return values


def _interactive() -> bool:
    return sys.stdin.isatty()


def _lint(root: Path, path: Path, overlay: bool) -> ExitCode:
    """Lint the lexicon and report the problems of the file just written (as `wildcli lint FILE`)."""
    from wildcli.lexicon.loader import display_path
    from wildcli.lexicon.rulerun import available_processes
    from wildcli.lexicon.validation import ProblemSeverity, lint_report

    shown = display_path(path)
    problems = lint_report([root], with_bundled=overlay, only=[path], processes=available_processes()).problems
    for p in problems:
        warn(f"{p} (warning)" if p.severity is ProblemSeverity.WARNING else str(p))
    errors = sum(p.severity is ProblemSeverity.ERROR for p in problems)
    if problems:
        warn(f"lint: {errors} error(s), {len(problems) - errors} warning(s) in {shown}")
    return ExitCode.FINDINGS if errors else ExitCode.OK
