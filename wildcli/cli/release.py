"""`wildcli release`: keep a lexicon's VERSION and CHANGELOG in step with its terms."""

from __future__ import annotations

from pathlib import Path

import typer

from wildcli.cli.console import ExitCode, fail
from wildcli.cli.conventions import Command

app = typer.Typer(
    name="release",
    help="Lexicon releases: check that VERSION and CHANGELOG.md follow the terms, and prepare one.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_DIR = typer.Argument(Path("lexicons"), help="The lexicon directory (with VERSION and CHANGELOG.md).", show_default=True)


@app.command("check", cls=Command)
def check_command(
    lexicon: Path = _DIR,
    since: str = typer.Option(
        None, "--since", metavar="REV", show_default=False,
        help="Compare with this git revision (a pull request's target branch) instead of the last release.",
    ),
) -> None:
    """Fail when terms changed without a CHANGELOG entry, or VERSION and the newest release disagree.

    Exit codes: 0 in step; 1 a problem, each on its own line (file:line: message); 2 a bad
    revision.
    """
    from wildcli.errors import UsageError, WildcliError
    from wildcli.lexicon.release import check_release

    try:
        status = check_release(lexicon, base=since)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    except WildcliError as error:
        fail(error, ExitCode.NO_INPUT)
    for problem in status.problems:
        typer.echo(str(problem), err=True)
    compared = f"{status.changed_terms} term(s) changed since {status.base[:12]}" if status.base else "not in git history: files checked only"
    typer.echo(f"release: lexicon {status.version}, {compared}, {len(status.problems)} problem(s)", err=True)
    if status.problems:
        raise typer.Exit(ExitCode.FINDINGS)


@app.command("prepare", cls=Command)
def prepare_command(lexicon: Path = _DIR) -> None:
    """Release the Unreleased entries: a new version heading dated today, and VERSION bumped.

    The version is YYYY.MM.PATCH: the next patch within a month, else the month's first.
    Exit codes: 0 prepared; 2 nothing to release.
    """
    from wildcli.errors import UsageError, WildcliError
    from wildcli.lexicon.release import prepare_release

    try:
        version = prepare_release(lexicon)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    except WildcliError as error:
        fail(error, ExitCode.NO_INPUT)
    typer.echo(f"release: {lexicon}/VERSION and CHANGELOG.md now name {version}")
