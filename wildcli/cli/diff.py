"""`wildcli diff`: added, removed and changed terms between two lexicons or two git revisions."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from wildcli.cli.console import ExitCode, fail, warn

if TYPE_CHECKING:
    from wildcli.lexicon import Lexicon


class DiffFormat(str, enum.Enum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


def diff_command(
    old: str = typer.Argument(..., help="Old lexicon: a directory, git:REV (the NEW directory at REV) or REV:path."),
    new: str = typer.Argument(..., help="New lexicon: a directory, git:REV or REV:path."),
    fmt: DiffFormat = typer.Option(DiffFormat.TABLE, "--format", help="Output format (markdown suits pull-request comments)."),
    include_restricted: bool = typer.Option(False, "--include-restricted", help="Show restricted terms instead of masking them."),
    summary: bool = typer.Option(False, "--summary", help="Only the counts per concept and language (table, markdown), not each term."),
) -> None:
    """Show the terms added, removed and changed per concept and language."""
    from wildcli.errors import UsageError
    from wildcli.lexicon.diff import (
        LexiconDiff,
        diff_lexicons,
        lexicon_dir,
        render_json,
        render_markdown,
        render_table,
    )

    renderers: dict[DiffFormat, Callable[[LexiconDiff], str]] = {
        DiffFormat.TABLE: functools.partial(render_table, details=not summary),
        DiffFormat.JSON: render_json,
        DiffFormat.MARKDOWN: functools.partial(render_markdown, details=not summary),
    }
    try:
        with lexicon_dir(old, new) as old_dir, lexicon_dir(new, old) as new_dir:
            before, after = _load(old_dir, old), _load(new_dir, new)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    typer.echo(renderers[fmt](diff_lexicons(before, after, include_restricted=include_restricted)), nl=False)


def _load(directory: Path, spec: str) -> Lexicon:
    """One lexicon directory alone (no bundled layer), or exit 78 naming the side that is broken."""
    from wildcli.lexicon import LexiconProblems, load_lexicon

    if not directory.is_dir():
        fail(f"{spec}: lexicon directory not found", ExitCode.USAGE)
    try:
        return load_lexicon([directory])
    except LexiconProblems as problems:
        for error in problems.errors[:-1]:
            warn(f"error: {spec}: {error}")
        fail(f"{spec}: {problems.errors[-1]}", ExitCode.LEXICON_ERROR)
