"""`wildcli simulate`: what an export would do on a platform, next to wildcli's own judgement."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

import typer

from wildcli.cli import options as shared
from wildcli.cli.console import ExitCode, fail, sanitize, warn
from wildcli.cli.export_options import ExportChoice, with_export_choices
from wildcli.readers.base import InputFormat, ReadOptions

if TYPE_CHECKING:
    from wildcli.readers import ErrorCallback, Record
    from wildcli.simulation import SimulationReport, SystemScore


class SimulateFormat(str, enum.Enum):
    TABLE = "table"
    JSON = "json"


@with_export_choices
def simulate_command(
    choice: ExportChoice,
    inputs: list[str] = typer.Argument(..., help="Dumps, query files or query logs to apply the export to (one report each); - for stdin.", show_default=False),
    label_field: str = typer.Option(None, "--label-field", help="Field holding a label: then recall and precision are scored (the field is never scanned).", show_default=False),
    positive: str = typer.Option("1", "--positive", help="Label value of a positive record; any other non-empty value is negative."),
    fields: list[str] = typer.Option(None, "--fields", help="Text fields to apply it to (comma-separated). Default: text-like columns, as scan.", show_default=False),
    id_field: str = typer.Option(None, "--id-field", help="Field holding the record id.", show_default=False),
    input_format: InputFormat = shared.InputFormatOption,
    encoding: str = shared.EncodingOption,
    count_field: str = shared.CountFieldOption,
    fuzzy: bool = typer.Option(False, "--fuzzy", help="wildcli's side also finds near-misses of long terms (as scan does by default)."),
    queries: bool = shared.QueriesOption,
    report: SimulateFormat = typer.Option(SimulateFormat.TABLE, "--report", help="table for people, json to save."),
    output: str = typer.Option(None, "--output", "-o", help="Write the report here (atomically) instead of stdout.", show_default=False),
    show: int = typer.Option(10, "--show", min=0, help="Disagreements listed per input by the table report."),
) -> None:
    """Apply an export the way its target applies it, and score it next to wildcli's own judgement.

    The export is rendered with the same options as `wildcli export`, read back from its files
    and applied as its target does (a phrase list after NFKC and case folding, Google Ads phrase
    or exact negatives, Azure substrings, RE2 rules, the json rule semantics ...). Each record
    gets the strongest action over its fields, from the export and from wildcli itself; with
    --label-field both are scored.
    """
    from wildcli.atomic import atomic_writer
    from wildcli.cli.export import report_left_out
    from wildcli.errors import InputError, InputUnavailable, OutputError, UsageError
    from wildcli.exporters.selection import render_export
    from wildcli.match.matcher import MatchOptions
    from wildcli.safety import json_text
    from wildcli.simulation import TARGETS, load_applier, simulate

    fmt = choice.format
    if fmt is None:
        fail("--format is required (wildcli export --list shows the formats)", ExitCode.USAGE)
    options = choice.options()
    lex = choice.load()
    try:
        result = render_export(lex, fmt, options)
        applier = load_applier(result, options.render.hmac_key)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    report_left_out(result)
    matcher = shared.load_matcher(choice.values["lexicon"], choice.values["no_bundled"], MatchOptions(fuzzy=fuzzy, queries=queries))
    bad_rows = 0

    def on_error(error: InputError) -> None:
        nonlocal bad_rows
        bad_rows += 1
        warn(f"error: {error}")

    read = ReadOptions(
        format=input_format, fields=shared.split_list(fields), id_field=id_field, encoding=encoding,
        count_field=count_field,
    )
    reports = []
    for path in inputs:
        try:
            records, labels, scanned = _read(path, read, label_field, positive, on_error)
        except InputUnavailable as error:
            fail(error, ExitCode.NO_INPUT)
        except UsageError as error:
            fail(error, ExitCode.USAGE)
        if label_field and not labels:
            fail(f"{path}: no record has a value in the label field {label_field!r}", ExitCode.DATA_ERROR)
        reports.append(simulate(
            records, applier, matcher, labels=labels, format_name=fmt.value, target=TARGETS.get(fmt, ""),
            meta={"input": path, "fields": list(scanned), "exported": result.exported, "queries": queries},
        ))
    try:
        with atomic_writer(output, newline="\n") as out:
            if report is SimulateFormat.JSON:
                out.write(json_text({"simulations": [r.to_dict() for r in reports]}, indent=2) + "\n")
            else:
                for r in reports:
                    write_table(r, out, show=show)
    except OutputError as error:
        fail(error, ExitCode.CANT_CREATE)
    raise typer.Exit(int(ExitCode.DATA_ERROR if bad_rows else ExitCode.OK))


def _read(
    path: str, read: ReadOptions, label_field: str | None, positive: str, on_error: ErrorCallback
) -> tuple[Sequence[Record], dict[int, bool], tuple[str, ...]]:
    """Records, labels (empty without a label field) and the fields applied to."""
    from wildcli.quality.evaluation import read_labeled
    from wildcli.readers import read_records

    if label_field:
        dump = read_labeled(path, label_field, positive, read, on_error=on_error)
        return dump.records, dump.labels, dump.fields
    records = list(read_records(path, read, on_error=on_error))
    return records, {}, tuple(records[0].fields) if records else ()


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(name: str, score: SystemScore, records: int, labelled: bool) -> str:
    from wildcli.lexicon.actions import Action

    counts = "".join(f"{score.actions.get(a, 0):>8}" for a in (Action.BLOCK, Action.WARN, Action.MONITOR, Action.ALLOW))
    line = f"{name:<10}{counts}{_pct(score.rate(Action.BLOCK, records)):>9}"
    if labelled and score.flagged is not None:
        line += (f"{_ratio(score.flagged.recall):>9}{_ratio(score.flagged.precision):>11}"
                 f"{_pct(score.benign_block_rate):>10}{_pct(score.benign_flag_rate):>10}")
    return line


def write_table(r: SimulationReport, out: TextIO, *, show: int) -> None:
    """One input's report as aligned plain text."""

    def line(text: str = "") -> None:
        out.write(sanitize(text) + "\n")

    meta = r.meta
    labelled = r.labelled > 0
    what = f"{r.records} records"
    if labelled:
        what += f" ({r.positives} positive, {r.labelled - r.positives} negative)"
    line(f"{meta.get('input', '')}: {what}; fields: {', '.join(meta.get('fields', [])) or '-'}")
    line(f"export: {r.format}, {meta.get('exported', 0)} terms, applied as {r.target}")
    line()
    head = f"{'':<10}{'block':>8}{'warn':>8}{'monitor':>8}{'allow':>8}{'blocked':>9}"
    if labelled:
        head += f"{'recall':>9}{'precision':>11}{'blocked':>10}{'flagged':>10}"
        line(f"{'':<51}{'(block or warn)':>20}{'benign':>10}{'benign':>10}")
    line(head)
    line(_row("export", r.export, r.records, labelled))
    line(_row("wildcli", r.wildcli, r.records, labelled))
    line()
    if labelled:
        line(f"export recall / wildcli recall: {_ratio(r.recall_ratio)}")
    line(f"same action on {r.agree} of {r.records} records")
    if show and r.cases:
        line()
        more = f", first {show}" if len(r.cases) > show else ""
        line(f"Disagreements: {r.records - r.agree}{more}")
        for case in r.cases[:show]:
            label = "" if case.label is None else f" label {int(case.label)}"
            line(f"  row {case.row} (id {case.record}{label}): wildcli {case.wildcli.value} "
                 f"[{', '.join(case.wildcli_terms[:3])}], export {case.export.value} "
                 f"[{', '.join(e[:60] for e in case.export_entries[:3])}]: {case.excerpt}")
    line()

