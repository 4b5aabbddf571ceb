"""`wildcli expand`: the spelling variants of a term, each with the rule that made it."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from wildcli.cli.console import ExitCode, fail
from wildcli.cli.conventions import unknown
from wildcli.cli.options import LexiconOption, NoBundledOption, load, split_list

if TYPE_CHECKING:
    from wildcli.discovery.variants import Variant
    from wildcli.lexicon import Term


class ExpandFormat(str, enum.Enum):
    TABLE = "table"
    TXT = "txt"
    JSONL = "jsonl"


def expand_command(
    term: str = typer.Argument(None, help="The term to expand (or use --concept).", show_default=False),
    concept: str = typer.Option(None, "--concept", help="Expand every approved term of this concept instead.", show_default=False),
    lang: list[str] = typer.Option(None, "--lang", help="Language of TERM [default: en]; with --concept, only terms of these languages.", show_default=False),
    fmt: ExpandFormat = typer.Option(ExpandFormat.TABLE, "--format", help="Output format."),
    max_variants: int = typer.Option(50, "--max-variants", min=1, help="At most this many variants per term."),
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
) -> None:
    """List the spellings sellers use instead of a term: leetspeak, separators, look-alikes, ..."""
    from wildcli.discovery.variants import expand

    if (term is None) == (concept is None):
        fail("give either a TERM or --concept", ExitCode.USAGE)
    langs = split_list(lang)
    rows: list[tuple[str, str, list[Variant]]] = []
    if term is not None:
        if langs and len(langs) > 1:
            fail("a TERM has one language: give --lang once", ExitCode.USAGE)
        code = langs[0] if langs else "en"
        rows.append((term, code, expand(term, code, max_variants=max_variants)))
    else:
        rows.extend(
            (t.term, t.lang, expand(t, max_variants=max_variants))
            for t in _concept_terms(concept, langs, lexicon, no_bundled)
        )
    _render(rows, fmt)


def _concept_terms(
    concept: str, langs: tuple[str, ...] | None, lexicon: list[Path], no_bundled: bool
) -> list[Term]:
    lex = load(lexicon, no_bundled)
    if concept not in lex.concepts:
        fail(unknown("concept", concept, lex.concepts), ExitCode.USAGE)
    return [t for t in lex.active_terms() if t.concept == concept and (not langs or t.lang in langs)]


def _render(rows: list[tuple[str, str, list[Variant]]], fmt: ExpandFormat) -> None:
    from wildcli.safety import strip_controls

    if fmt is ExpandFormat.TXT:
        for _, _, variants in rows:
            for v in variants:
                typer.echo(strip_controls(v.text))
    elif fmt is ExpandFormat.JSONL:
        for term, lang, variants in rows:
            for v in variants:
                typer.echo(json.dumps(
                    {"term": term, "lang": lang, "rule": v.rule, "variant": v.text}, ensure_ascii=False
                ))
    else:
        _table(rows)


def _table(rows: list[tuple[str, str, list[Variant]]]) -> None:
    from rich.console import Console
    from rich.table import Table

    from wildcli.safety import strip_controls

    table = Table(title="Variants", title_justify="left")
    for name in ("Term", "Lang", "Rule", "Variant"):
        table.add_column(name, overflow="fold")
    for term, lang, variants in rows:
        for v in variants:
            table.add_row(strip_controls(term), lang, v.rule, strip_controls(v.text))
    Console(highlight=False).print(table)
