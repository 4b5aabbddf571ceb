"""`wildcli fmt`: rewrite lexicon files in their canonical layout (or, with --check, list them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import typer

from wildcli.cli.console import ExitCode, fail, warn
from wildcli.errors import LexiconError, Location, OutputError


def fmt_command(
    paths: list[Path] = typer.Argument(None, metavar="PATH", help="Lexicon directories or files (default: the bundled lexicon).", show_default=False),
    check: bool = typer.Option(False, "--check", help="Write nothing; list the files that would change and exit 1 if any."),
) -> None:
    """Sort terms, order keys, fix quoting and indentation; comments are kept."""
    from wildcli.atomic import write_atomic
    from wildcli.lexicon.canonical import format_file
    from wildcli.lexicon.loader import bundled_lexicon_dir, display_path

    files: list[Path] = []
    for target in paths or [bundled_lexicon_dir()]:
        if not target.exists():
            fail(LexiconError("no such file or directory", Location(str(target))), ExitCode.LEXICON_ERROR)
        files.extend([target] if target.is_file() else lexicon_files(target))
    changed = broken = 0
    for path in files:
        shown = display_path(path)
        try:
            _inside_its_lexicon(path, shown)
            text = format_file(path, shown)
            if text == path.read_bytes().decode("utf-8"):
                continue
            changed += 1
            if not check:
                write_atomic(path, text)
        except (LexiconError, OutputError) as error:
            warn(f"error: {error}")
            broken += 1
            continue
        typer.echo(f"would reformat {shown}" if check else f"reformatted {shown}")
    verb = "would be reformatted" if check else "reformatted"
    warn(f"{changed} {'file' if changed == 1 else 'files'} {verb}, {len(files) - changed - broken} unchanged"
         + (f", {broken} not readable" if broken else ""))
    code = ExitCode.LEXICON_ERROR if broken else ExitCode.FINDINGS if check and changed else ExitCode.OK
    raise typer.Exit(int(code))


def _inside_its_lexicon(path: Path, shown: str) -> None:
    """Refuse a file named on the command line that is a link, or lies in a linked directory,
    leading out of its lexicon (`<lexicon>/<concept>/<file>`): the write would replace the
    file it points to, anywhere, as the loader refuses to read it."""
    import os

    real_root = Path(os.path.abspath(path)).parent.parent.resolve()
    if not path.resolve().is_relative_to(real_root):
        raise LexiconError("points outside its lexicon directory: not rewritten", Location(shown))


def lexicon_files(root: Path) -> Iterator[Path]:
    """Concept and language files under `root`, not following links out of it."""
    from wildcli.lexicon.parse import CONCEPT_ID, LANG_TAG

    real_root = root.resolve()
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root).parts
        if any(part.startswith(".") for part in relative) or path.is_symlink():
            continue
        if not path.resolve().is_relative_to(real_root) or not CONCEPT_ID.match(path.parent.name):
            continue
        if path.name == "concept.yaml" or LANG_TAG.match(path.stem):
            yield path
