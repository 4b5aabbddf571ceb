"""`wildcli suggest`: candidate new terms in listing dumps, ranked, with the evidence for each."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from wildcli.cli.console import ExitCode, fail, sanitize, warn
from wildcli.cli.options import LexiconOption, NoBundledOption, load_matcher, split_list
from wildcli.readers.base import InputFormat
from wildcli.safety import json_text

if TYPE_CHECKING:
    from wildcli.discovery.suggestion import Candidate
    from wildcli.lexicon.model import Lexicon
    from wildcli.readers import ReadOptions, Record


class SuggestFormat(str, enum.Enum):
    TABLE = "table"
    JSON = "json"


def suggest_command(
    paths: list[str] = typer.Argument(..., metavar="DUMP", help="CSV, JSON or JSONL dumps (optionally .gz); - for stdin.", show_default=False),
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
    fields: list[str] = typer.Option(None, "--fields", "-f", help="Text fields to read (comma-separated; dotted paths for nested JSON). Default: text-like columns."),
    id_field: str = typer.Option(None, "--id-field", help="Field holding the record id (shown as examples)."),
    input_format: InputFormat = typer.Option(InputFormat.AUTO, "--input-format", help="Input format; auto guesses from the name and content."),
    encoding: str = typer.Option(None, "--encoding", help="Force a text encoding."),
    top: int = typer.Option(20, "--top", min=1, help="Candidates to show."),
    min_count: int = typer.Option(3, "--min-count", min=1, help="Listings a candidate must occur in (with findings, or with selling phrases)."),
    fmt: SuggestFormat = typer.Option(SuggestFormat.TABLE, "--format", help="table or json."),
    proposals: Path = typer.Option(None, "--write-proposals", metavar="DIR", help="Also add the candidates to DIR/<concept>/<lang>.yaml as proposed terms.", show_default=False),
) -> None:
    """Rank words that listings with findings use and the lexicon lacks: leads for experts."""
    from wildcli.discovery.suggestion import SuggestOptions, suggest
    from wildcli.match.matcher import MatchOptions
    from wildcli.readers import ReadOptions

    matcher = load_matcher(lexicon, no_bundled, MatchOptions())  # compiled, from the cache
    lex = matcher.lexicon
    read = ReadOptions(format=input_format, fields=split_list(fields), id_field=id_field, encoding=encoding)
    problems = {"missing": 0, "bad": 0}
    try:
        candidates = suggest(
            _records(paths, read, problems), matcher, SuggestOptions(top=top, min_count=min_count)
        )
    except KeyboardInterrupt:
        fail("interrupted; nothing was written", ExitCode.INTERRUPTED)
    if fmt is SuggestFormat.JSON:
        typer.echo(json_text([c.to_dict() for c in candidates], indent=2))
    else:
        _table(candidates)
    if proposals is not None:
        _write(candidates, proposals, lex, paths)
    if problems["missing"]:
        raise typer.Exit(int(ExitCode.NO_INPUT))
    raise typer.Exit(int(ExitCode.DATA_ERROR if problems["bad"] else ExitCode.OK))


def _records(paths: list[str], read: ReadOptions, problems: dict[str, int]) -> Iterator[Record]:
    """Every readable record of every dump; each problem is one line and reading goes on."""
    for path in paths:
        yield from _read_one(path, read, problems)


def _read_one(path: str, read: ReadOptions, problems: dict[str, int]) -> Iterator[Record]:
    from wildcli.errors import InputError, InputUnavailable
    from wildcli.readers import read_records

    def on_error(error: InputError) -> None:
        problems["bad"] += 1
        warn(f"error: {error}")

    try:
        yield from read_records(path, read, on_error=on_error)
    except InputUnavailable as error:
        problems["missing"] += 1
        warn(f"error: {error}")


def _table(candidates: list[Candidate]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not candidates:
        console.print("No candidates: too few listings with findings, or nothing stands out.", markup=False)
        return
    table = Table(title=f"Top {len(candidates)} candidate terms", title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Term", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Findings", justify="right", no_wrap=True)
    table.add_column("Other", justify="right", no_wrap=True)
    table.add_column("Concept", no_wrap=True)
    table.add_column("Lang", no_wrap=True)
    table.add_column("Why", overflow="fold")
    table.add_column("Examples", overflow="fold")
    for i, c in enumerate(candidates, 1):
        table.add_row(
            str(i), sanitize(c.term), f"{c.score:.1f}", str(c.count), str(c.background),
            c.concept or "?", c.lang, _why(c), sanitize(", ".join(c.examples)),
        )
    console.print(table)


def _why(c: Candidate) -> str:
    """The evidence in a few words; `--format json` has the full sentence."""
    parts = [f"near-miss of {sanitize(c.near)!r}"] if c.near else []
    if c.z_findings >= 1.96 and not c.near:
        parts.append(f"log-odds z={c.z_findings:.1f}")
    if c.z_selling >= 1.96:
        parts.append(f"selling phrases z={c.z_selling:.1f}")
    return "; ".join(parts)


def _write(candidates: list[Candidate], root: Path, lex: Lexicon, paths: list[str]) -> None:
    from wildcli.discovery.proposals import write_proposals

    found_in = ", ".join(Path(p).name for p in paths)
    done = write_proposals(candidates, root, lex, found_in=found_in)
    for p in done:
        if p.skipped:
            warn(f"skipped {p.candidate.term!r}: {p.skipped}")
    written = sorted({str(p.path) for p in done if p.path})
    warn(f"{sum(p.path is not None for p in done)} proposed terms written to {len(written)} file(s) in {root}")
    for path in written:
        warn(f"  {path}")


