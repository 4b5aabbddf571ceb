"""`wildcli eval`: precision and recall of the lexicon on a labelled dump."""

from __future__ import annotations

import enum
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import typer

from wildcli.cli.console import ExitCode, fail, sanitize, warn
from wildcli.cli.conventions import unknown
from wildcli.cli.options import LexiconOption, NoBundledOption, QueriesOption, load_matcher, split_list
from wildcli.readers.base import InputFormat
from wildcli.safety import json_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from wildcli.quality.evaluation import Counts, EvalReport


class EvalFormat(str, enum.Enum):
    TABLE = "table"
    JSON = "json"


def eval_command(
    labeled: str = typer.Argument(..., help="A labelled CSV, JSON or JSONL dump (optionally .gz)."),
    label_field: str = typer.Option(..., "--label-field", help="Field holding the label."),
    positive: str = typer.Option("1", "--positive", help="Label value of a positive record; any other non-empty value is negative."),
    fields: list[str] = typer.Option(None, "--fields", "-f", help="Text fields to scan (comma-separated). Default: text-like columns, as scan."),
    id_field: str = typer.Option(None, "--id-field", help="Field holding the record id. Default: an id-like column, else the record number."),
    input_format: InputFormat = typer.Option(InputFormat.AUTO, "--input-format", help="Input format; auto guesses from the name and content."),
    encoding: str = typer.Option(None, "--encoding", help="Force a text encoding."),
    by: list[str] = typer.Option(None, "--by", metavar="FIELD", help="Also score per value of this field, e.g. lang or family (comma-separated or repeatable); it is never scanned."),
    concept: list[str] = typer.Option(None, "--concept", help="Score only findings of these concepts (repeatable), e.g. the ones the labels are about."),
    queries: bool = QueriesOption,
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
    fmt: EvalFormat = typer.Option(EvalFormat.TABLE, "--format", help="table for people, json to save (lint --precision reads it)."),
    output: str = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
    top: int = typer.Option(20, "--top", help="Terms, misses and false positives listed by the table format."),
) -> None:
    """Score the lexicon against a labelled dump: precision, recall and F1, per concept and term."""
    from wildcli.atomic import atomic_writer
    from wildcli.errors import InputError, InputUnavailable, OutputError, UsageError
    from wildcli.match.matcher import MatchOptions
    from wildcli.quality.evaluation import evaluate, read_labeled
    from wildcli.readers.base import ReadOptions

    concepts = split_list(concept)
    # The compiled matcher from the cache, as scan uses: loading and compiling the YAML anew
    # took four fifths of an evaluation of a few hundred listings.
    matcher = load_matcher(lexicon, no_bundled, MatchOptions(concepts=frozenset(concepts) if concepts else None,
                                                              queries=queries))  # fmt: skip
    lex = matcher.lexicon
    missing = sorted(set(concepts or ()) - set(lex.concepts))
    if missing:
        fail(unknown("concept", missing[0], lex.concepts), ExitCode.USAGE)
    bad_rows = 0

    def on_error(error: InputError) -> None:
        nonlocal bad_rows
        bad_rows += 1
        warn(f"error: {error}")

    options = ReadOptions(format=input_format, fields=split_list(fields), id_field=id_field, encoding=encoding)
    group_fields = tuple(dict.fromkeys(split_list(by) or ()))
    try:
        dump = read_labeled(labeled, label_field, positive, options, group_fields=group_fields, on_error=on_error)
    except InputUnavailable as error:
        fail(error, ExitCode.NO_INPUT)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    if not dump.labels:
        fail(f"no record has a value in the label field {label_field!r}", ExitCode.DATA_ERROR)
    report = evaluate(dump.records, dump.labels, matcher, dump.groups)
    meta = {
        "input": labeled, "fields": list(dump.fields), "label_field": label_field, "positive": positive,
        **({"by": list(group_fields)} if group_fields else {}),
        "concept_filter": list(concepts or ()), "queries": queries,
        "lexicon": {"version": lex.version, "digest": lex.digest},
    }
    try:
        with atomic_writer(output, newline="\n") as out:
            if fmt is EvalFormat.JSON:
                data = replace(report, meta=meta).to_dict()
                out.write(json_text(data, indent=2) + "\n")
            else:
                write_table(report, out, fields=dump.fields, concepts=concepts or (), top=top)
    except OutputError as error:
        fail(error, ExitCode.CANT_CREATE)
    raise typer.Exit(int(ExitCode.DATA_ERROR if bad_rows else ExitCode.OK))


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _cells(text: str, width: int) -> str:
    """`text` in a column `width` cells wide, by what a terminal shows: a Chinese or Japanese
    character takes two cells, a combining mark none (str.ljust counts characters)."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) >= width:
        text = set_cell_size(text, width - 2) + "…"
    return set_cell_size(text, width)


def _row(name: str, c: Counts) -> str:
    return f"{name:<9}{c.tp:>7}{c.fp:>7}{c.fn:>7}  {_pct(c.precision):>9}  {_pct(c.recall):>6}  {_pct(c.f1):>6}"


def _group_tables(report: EvalReport, line: Callable[[str], None]) -> None:
    """One table per group field: its positives' recall, and the share of its negatives flagged
    (the only figure a group of benign records has)."""
    for name in dict.fromkeys(g.field for g in report.groups):
        line("")
        line(f"Per {name} (flagged = block or review; fp rate = share of its negatives flagged)")
        line(f"{name:<14}{'records':>8}{'pos':>6}{'tp':>6}{'fp':>6}{'fn':>6}  {'precision':>9}  "
             f"{'recall':>6}  {'fp rate':>7}  {'block recall':>12}")
        for g in (g for g in report.groups if g.field == name):
            c = g.flagged
            line(f"{_cells(g.value or '(none)', 14)}{g.records:>8}{g.positives:>6}{c.tp:>6}{c.fp:>6}{c.fn:>6}  "
                 f"{_pct(c.precision):>9}  {_pct(c.recall):>6}  {_pct(g.false_positive_rate):>7}  "
                 f"{_pct(g.block.recall):>12}")


def write_table(
    report: EvalReport, out: TextIO, *, fields: tuple[str, ...], concepts: tuple[str, ...], top: int
) -> None:
    """The report as aligned plain text: totals, concepts, top terms, then the cases to read."""
    r = report

    def line(text: str = "") -> None:
        out.write(sanitize(text) + "\n")

    line(f"Evaluated {r.records} labelled records ({r.positives} positive, {r.unlabelled} unlabelled); "
         f"fields scanned: {', '.join(fields) or '-'}")
    if concepts:
        line(f"Concepts scored: {', '.join(concepts)}")
    line()
    line(f"{'set':<9}{'tp':>7}{'fp':>7}{'fn':>7}  {'precision':>9}  {'recall':>6}  {'f1':>6}")
    line(_row("flagged", r.flagged))
    line(_row("block", r.block))
    line()
    line("Per concept (flagged = block or review; recall = share of all positives)")
    line(f"{'concept':<22}{'tp':>6}{'fp':>6}  {'precision':>9}  {'recall':>6}  {'block tp':>8}{'block fp':>9}")
    for c in r.concepts:
        line(f"{c.concept:<22}{c.flagged.tp:>6}{c.flagged.fp:>6}  {_pct(c.flagged.precision):>9}  "
             f"{_pct(c.flagged.recall):>6}  {c.block.tp:>8}{c.block.fp:>9}")
    _group_tables(r, line)
    line()
    line(f"Top {min(top, len(r.terms))} of {len(r.terms)} terms by records matched (all severities)")
    line(f"{'concept':<22}{'term':<28}{'lang':<9}{'severity':<9}{'tp':>6}{'fp':>6}  {'precision':>9}")
    for t in r.terms[:top]:
        line(f"{t.concept:<22}{_cells(t.term, 28)}{t.lang:<9}{t.severity.value:<9}{t.tp:>6}{t.fp:>6}  {_pct(t.precision):>9}")
    for title, cases in (("Misses (positives without a block/review finding)", r.misses),
                         ("False positives (negatives with a block/review finding)", r.false_positives)):
        line()
        line(f"{title}: {len(cases)}" + (f", first {top}" if len(cases) > top else ""))
        for case in cases[:top]:
            terms = f" [{', '.join(case.terms)}]" if case.terms else ""
            line(f"  row {case.row} (id {case.record}){terms}: {case.excerpt}")
