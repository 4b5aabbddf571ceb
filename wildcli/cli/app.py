"""The Typer application; each command lives in its own module and is registered here."""

from __future__ import annotations

import typer

from wildcli import __version__
from wildcli.cli import check, scan, stats

app = typer.Typer(
    name="wildcli",
    help="Keyword and search-term intelligence against the online trade in illegal wildlife products.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wildcli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Keyword and search-term intelligence against the online trade in illegal wildlife products."""


app.command("scan")(scan.scan_command)
app.command("check")(check.check_command)
app.command("stats")(stats.stats_command)


def main() -> None:
    """Console-script entry point."""
    app()
