"""`wildcli stats`: how big the lexicon is, per concept and language."""

from __future__ import annotations

import enum
import json
from pathlib import Path

import typer

from wildcli.cli.options import LexiconOption, NoBundledOption, load


class StatsFormat(str, enum.Enum):
    TABLE = "table"
    JSON = "json"


def stats_command(
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
    fmt: StatsFormat = typer.Option(StatsFormat.TABLE, "--format", help="Output format."),
) -> None:
    """Count concepts, approved terms, languages and sources, per concept and language."""
    from rich.console import Console
    from rich.table import Table

    from wildcli.lexicon.stats import lexicon_stats

    stats = lexicon_stats(load(lexicon, no_bundled))
    if fmt is StatsFormat.JSON:
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    version = f" {stats['version']}" if stats["version"] else ""
    console.print(
        f"Lexicon{version}: {stats['concepts']} concepts, {stats['terms']} approved terms "
        f"in {stats['languages']} languages from {stats['sources']} sources "
        f"({stats['proposed']} proposed, {stats['retired']} retired).",
        markup=False,
    )
    kinds = ", ".join(f"{kind} {n}" for kind, n in stats["citations_by_kind"].items() if n)
    quotes = stats["quotes"]
    console.print(f"Citations by kind: {kinds or 'none'}.", markup=False)
    console.print(
        f"Code words and slang without a quote from their source: {stats['code_words_without_quote']} "
        f"of {quotes['needed']} ({quotes['missing']} marked quote_missing).",
        markup=False,
    )
    table = Table(title="Approved terms per concept", title_justify="left")
    table.add_column("Concept")
    table.add_column("Terms", justify="right")
    table.add_column("Languages")
    for cid, detail in stats["by_concept"].items():
        langs = ", ".join(f"{k} {v}" for k, v in detail["languages"].items())
        table.add_row(cid, str(detail["terms"]), langs)
    console.print(table)
