"""`wildcli lint`: check lexicon directories against the lint rules, for experts and for CI."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from wildcli.cli.console import ExitCode, fail, sanitize, warn
from wildcli.errors import LexiconError, Location, UsageError
from wildcli.safety import json_text

if TYPE_CHECKING:
    from wildcli.lexicon.rules.base import Problem


class LintFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


def lint_command(
    paths: list[Path] = typer.Argument(None, metavar="PATH", help="Lexicon directories, layered in order (default: the bundled lexicon); or files of a lexicon, to report only their problems (and duplicates of their terms).", show_default=False),
    with_bundled: bool = typer.Option(False, "--with-bundled", help="Layer the lexicons given over the bundled lexicon."),
    fmt: LintFormat = typer.Option(LintFormat.TEXT, "--format", help="text, json, github (workflow annotations) or sarif (SARIF 2.1.0, for code scanning)."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    rules: bool = typer.Option(False, "--rules", help="List the lint rules and exit."),
    precision: Path = typer.Option(None, "--precision", metavar="FILE", help="A `wildcli eval --format json` report: warn on block terms whose measured precision is low (WL100).", show_default=False),
    min_precision: float = typer.Option(0.9, "--min-precision", help="With --precision: lowest acceptable precision of a block term."),
    min_hits: int = typer.Option(5, "--min-hits", help="With --precision: records a term must have fired on to be judged."),
) -> None:
    """Check lexicon files: schema, duplicates, examples, sources, layout and hidden characters.

    Given files (what a pre-commit hook passes), the lexicon they belong to is loaded whole and only
    their problems are reported; a full lint can still find problems elsewhere that they cause."""
    from wildcli.lexicon.rulerun import available_processes
    from wildcli.lexicon.validation import RULES, ProblemSeverity, lint_report

    if rules:
        for rule in RULES:
            typer.echo(f"{rule.rule_id}  {rule.severity.value:7}  {rule.description}")
        raise typer.Exit(int(ExitCode.OK))
    dirs, files = _lexicons_of(paths or [])
    only = files or None
    # The second core, where there is one: half the rules run there while this process compiles
    # the lexicon to judge the examples.
    report = lint_report(dirs, with_bundled=with_bundled, only=only, processes=available_processes())
    if precision is not None:
        shown = {f.display for f in report.files}
        report.problems.extend(p for p in _precision(dirs, with_bundled, precision, min_precision, min_hits)
                               if only is None or p.location.path in shown)
        report.problems.sort(key=lambda p: (p.location.path, p.location.line or 0, p.rule_id, p.message))
    if fmt is LintFormat.JSON:
        typer.echo(json_text([{
            "rule": p.rule_id, "severity": p.severity.value, "path": p.location.path,
            "line": p.location.line, "field": p.location.field, "message": p.message,
        } for p in report.problems], indent=2))
    if fmt is LintFormat.SARIF:
        from wildcli.lexicon.sarif import to_sarif

        typer.echo(json_text(to_sarif(report.problems, RULES), indent=2))
    for p in [] if fmt in (LintFormat.JSON, LintFormat.SARIF) else report.problems:
        warning = p.severity is ProblemSeverity.WARNING
        if fmt is LintFormat.GITHUB:
            typer.echo(github_annotation(str(p.severity.value), p.location, p.rule_id, _text(p.message, p.location)))
        else:
            typer.echo(sanitize(f"{p} (warning)" if warning else str(p)))
    errors = sum(p.severity is ProblemSeverity.ERROR for p in report.problems)
    warnings = len(report.problems) - errors
    warn(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(len(report.files), 'file')}")
    failed = errors > 0 or (strict and warnings > 0)
    raise typer.Exit(int(ExitCode.FINDINGS if failed else ExitCode.OK))


def _lexicons_of(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The lexicon directories to load, in order, and the files to report on (none: all). A file
    belongs to the lexicon two levels up (`<lexicon>/<concept>/<lang>.yaml`)."""
    dirs: list[Path] = []
    files: list[Path] = []
    for path in paths:
        if path.is_file():
            files.append(path)
            path = path.parent.parent if len(path.parts) > 1 else Path("..")
        elif not path.is_dir():
            missing = "no such lexicon file" if path.suffix in (".yaml", ".yml") else "lexicon directory not found"
            fail(LexiconError(missing, Location(str(path))), ExitCode.LEXICON_ERROR)
        if all(d.resolve() != path.resolve() for d in dirs):
            dirs.append(path)
    if files and len(files) < len(paths):
        fail(UsageError("give lexicon directories or files of a lexicon, not both"), ExitCode.USAGE)
    return dirs, files


def _precision(dirs: list[Path], with_bundled: bool, path: Path, min_precision: float, min_hits: int) -> list[Problem]:
    from wildcli.errors import InputError
    from wildcli.lexicon.precision import PrecisionOptions, check_precision

    try:
        return check_precision(dirs, path, with_bundled=with_bundled, options=PrecisionOptions(min_precision, min_hits))
    except InputError as error:
        fail(error, ExitCode.NO_INPUT)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _text(message: str, location: Location) -> str:
    return f"{location.field}: {message}" if location.field else message




def github_annotation(level: str, location: Location, title: str, message: str) -> str:
    """A GitHub Actions workflow command (`::error file=...,line=...,title=...::message`)."""
    props = [f"file={_escape_property(location.path)}"]
    if location.line is not None:
        props.append(f"line={location.line}")
    props.append(f"title={_escape_property(title)}")
    return f"::{level} {','.join(props)}::{sanitize(_escape_data(message))}"


def _escape_data(text: str) -> str:
    # The escaping GitHub's own @actions/core toolkit applies (toCommandValue/escapeData).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
