"""The Typer application; each command lives in its own module and is registered here."""

from __future__ import annotations

import typer

from wildcli import __version__
from wildcli.cli import add, check, fmt, lint, scan, serve, stats
from wildcli.cli import diff as diff_cli
from wildcli.cli import eval as eval_cli
from wildcli.cli import expand as expand_cli
from wildcli.cli import explain as explain_cli
from wildcli.cli import export as export_cli
from wildcli.cli import release as release_cli
from wildcli.cli import simulate as simulate_cli
from wildcli.cli import suggest as suggest_cli
from wildcli.cli.conventions import Command

app = typer.Typer(
    name="wildcli",
    help="Keyword and search-term intelligence against the online trade in illegal wildlife products.",
    no_args_is_help=True,
    add_completion=True,
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


app.command("scan", cls=Command)(scan.scan_command)
app.command("check", cls=Command)(check.check_command)
app.command("serve", cls=Command)(serve.serve_command)
app.command("stats", cls=Command)(stats.stats_command)
app.command("export", cls=Command)(export_cli.export_command)
app.command("simulate", cls=Command)(simulate_cli.simulate_command)
app.command("diff", cls=Command)(diff_cli.diff_command)
app.command("lint", cls=Command)(lint.lint_command)
app.command("fmt", cls=Command)(fmt.fmt_command)
app.command("add", cls=Command)(add.add_command)
app.command("suggest", cls=Command)(suggest_cli.suggest_command)
app.command("eval", cls=Command)(eval_cli.eval_command)
app.command("expand", cls=Command)(expand_cli.expand_command)
app.command("explain", cls=Command)(explain_cli.explain_command)
app.add_typer(release_cli.app)


def main() -> None:
    """Console-script entry point: Ctrl-C anywhere (even while loading) exits 130 quietly, and
    SIGTERM or SIGHUP with 128 + the signal's number (see console.run_guarded)."""
    import sys

    from wildcli.cli.console import Terminated, run_guarded

    try:
        run_guarded(app)
    except KeyboardInterrupt as interrupt:  # before a command runs, or after it ended
        if isinstance(interrupt, Terminated):
            sys.stderr.write(f"error: terminated by {interrupt.name}\n")
            sys.exit(interrupt.exit_code)
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
