"""Options shared by several commands, and turning them into library objects."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from wildcli.cli.console import ExitCode, fail, warn
from wildcli.errors import LexiconError
from wildcli.readers.base import InputFormat

if TYPE_CHECKING:
    from wildcli.lexicon import Lexicon
    from wildcli.lexicon.gate import GateReport
    from wildcli.match.matcher import Matcher, MatchOptions

LexiconOption = typer.Option(
    None,
    "--lexicon",
    "-l",
    help="Lexicon directory layered over the bundled one (repeatable; later ones win).",
    show_default=False,
)
NoBundledOption = typer.Option(
    False, "--no-bundled", help="Leave the bundled lexicon out (use only --lexicon directories)."
)
IgnoreLintErrorsOption = typer.Option(False, "--ignore-lint-errors", help="Use the lexicon even though `wildcli lint` finds errors in it (an export still leaves out the terms they are in).")  # fmt: skip
# How `scan` and `check --file` read their inputs.
def _fields_named(values: list[str] | None) -> list[str] | None:
    """`--fields ""` (or `--fields ,`) would scan no field at all and report a clean dump."""
    if values and not split_list(values):
        fail("--fields names no field: give at least one (comma-separated), or leave it out "
             "for the text-like columns", ExitCode.USAGE)  # fmt: skip
    return values


# Python codecs that take text for something else (host names, escape sequences, nothing):
# "Python Specific Encodings" in the codecs documentation. Decoding a dump with one of them
# either fails outright or reads a different text than the bytes hold.
_NOT_FILE_ENCODINGS = frozenset({"idna", "punycode", "raw-unicode-escape", "unicode-escape", "undefined"})


def _text_encoding(value: str | None) -> str | None:
    """Only an encoding of text files: not a bytes-to-bytes codec (base64, zlib ...) nor one of
    `_NOT_FILE_ENCODINGS`; an unknown name is left to the readers, which say so."""
    import codecs

    try:
        info = codecs.lookup(value) if value else None
    except LookupError:
        return value
    if info is not None and (info.name in _NOT_FILE_ENCODINGS or not getattr(info, "_is_text_encoding", True)):
        fail(f"--encoding {value!r} is not an encoding of text files (try utf-8, latin-1, cp1252 "
             "or shift_jis)", ExitCode.USAGE)  # fmt: skip
    return value


FieldsOption = typer.Option(None, "--fields", "-f", callback=_fields_named, help="Text fields to scan (comma-separated; dotted paths for nested JSON). Default: text-like columns.")  # fmt: skip
InputFormatOption = typer.Option(InputFormat.AUTO, "--input-format", help="Input format; auto guesses from the name and content. text: one search query a line (the default for .txt).")  # fmt: skip
EncodingOption = typer.Option(None, "--encoding", callback=_text_encoding, help="Force a text encoding (default: UTF-8, or UTF-16 when a BOM says so).")  # fmt: skip
QueriesOption = typer.Option(False, "--queries", help="Judge each record as a search query, as check and serve do: words that ask to see or know about a product ('photo', 'history') leave it alone.")  # fmt: skip
CountFieldOption = typer.Option(None, "--count-field", metavar="NAME", help="Column of a CSV/TSV query log saying how many times each query was searched (never scanned). Default: a column named count, searches, search_count, frequency, freq, impressions or hits; '' for none.", show_default=False)  # fmt: skip


def load(lexicons: list[Path] | None, no_bundled: bool = False) -> Lexicon:
    """Load the lexicon layers or fail with every problem listed, one per line (exit 78)."""
    from wildcli.lexicon import load_lexicon

    dirs = _dirs(lexicons, no_bundled)
    return _or_fail(lambda: load_lexicon(dirs, with_bundled=not no_bundled))


MAX_GATE_LINES = 20


def lint_gate(lexicons: list[Path] | None, no_bundled: bool, *, ignore: bool) -> GateReport:
    """The lexicon's lint errors (the cheap rules, see `wildcli.lexicon.gate`): with any, fail
    with exit 78 listing them, unless `ignore` (--ignore-lint-errors), which only warns."""
    from wildcli.lexicon.gate import gate

    report = gate(_dirs(lexicons, no_bundled), with_bundled=not no_bundled)
    if report.load_failed:
        return report  # the loader refuses these files itself, with its own messages
    count = len(report.problems)
    errors = f"{count} lint error{'s' if count != 1 else ''}"
    if count and ignore:
        warn(f"warning: the lexicon has {errors} (--ignore-lint-errors)")
    elif count:
        for problem in report.problems[:MAX_GATE_LINES]:
            warn(f"error: {problem}")
        if count > MAX_GATE_LINES:
            warn(f"error: {count - MAX_GATE_LINES} more lint errors not shown (wildcli lint lists them)")
        fail(f"the lexicon has {errors}: fix the lexicon, or pass --ignore-lint-errors", ExitCode.LEXICON_ERROR)
    return report


def load_matcher(
    lexicons: list[Path] | None, no_bundled: bool, options: MatchOptions, *, short_run: bool = False,
    gated: bool = False,
) -> Matcher:
    """A compiled matcher over the lexicon layers (cached on disk), or fail like `load`; with
    `gated` (scan and check, unless --ignore-lint-errors), a lexicon with lint errors fails too."""
    from wildcli.match.cache import load_matcher as cached

    dirs = _dirs(lexicons, no_bundled)
    if gated:
        lint_gate(lexicons, no_bundled, ignore=False)
    matcher = _or_fail(lambda: cached(dirs, with_bundled=not no_bundled, options=options, short_run=short_run))
    # The matcher lives as long as the command: out of the collector's sight, a long scan's
    # full collections no longer walk its hundreds of thousands of objects.
    gc.freeze()
    return matcher


def _dirs(lexicons: list[Path] | None, no_bundled: bool) -> list[str]:
    dirs = [str(p) for p in lexicons or []]
    if no_bundled and not dirs:
        fail("--no-bundled needs at least one --lexicon directory", ExitCode.USAGE)
    return dirs


T = TypeVar("T")


def _or_fail(build: Callable[[], T]) -> T:
    """Run `build`; a broken lexicon ends the command with each problem on its own line (exit 78)."""
    from wildcli.lexicon import LexiconProblems

    try:
        return build()
    except LexiconProblems as problems:
        for error in problems.errors[:-1]:
            warn(f"error: {error}")
        fail(problems.errors[-1], ExitCode.LEXICON_ERROR)
    except LexiconError as error:
        fail(error, ExitCode.LEXICON_ERROR)


def split_list(values: list[str] | None) -> tuple[str, ...] | None:
    """Repeatable options that also accept comma-separated values: `--fields title,body`."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())
