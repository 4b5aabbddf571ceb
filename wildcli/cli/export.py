"""`wildcli export`: render the lexicon as a blocklist for one target, check it, or write deltas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from wildcli.cli.console import ExitCode, fail, warn
from wildcli.cli.export_options import ExportChoice, with_export_choices
from wildcli.cli.options import IgnoreLintErrorsOption, lint_gate
from wildcli.exporters import ExportFormat
from wildcli.exporters.base import ALL_ROLE, Part

if TYPE_CHECKING:
    from wildcli.exporters.selection import ExportOptions, ExportResult
    from wildcli.lexicon import Lexicon

@with_export_choices
def export_command(
    choice: ExportChoice,
    output: Path = typer.Option(None, "--output", "-o", help="Write here (atomically) instead of stdout; other lists go beside it (FILE.warn.txt, FILE.allow.txt ...), lists over a target's size limit to <stem>.2<suffix>, ...", show_default=False),
    list_formats: bool = typer.Option(False, "--list", help="List the formats, one line each, and exit."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1, writing nothing, when a term cannot be expressed in the format."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 when --output is not what this export would write."),
    manifest: Path = typer.Option(None, "--manifest", help="Also write a JSON manifest: lexicon version and digest, options, counts, sha256 per file.", show_default=False),
    since: str = typer.Option(None, "--since", help="Also write <file>.added and <file>.removed per list against the lexicon at this git revision.", show_default=False),
    ignore_lint_errors: bool = IgnoreLintErrorsOption,
) -> None:
    """Export the lexicon as a blocklist for a search engine, ad platform or moderation service."""
    from wildcli.errors import OutputError, UsageError
    from wildcli.exporters.selection import render_export

    if list_formats:
        for f in ExportFormat:
            typer.echo(f"{f.value:16} {f.exporter.summary}")
        raise typer.Exit()
    fmt = choice.format
    _check_usage(fmt, output, check, since)
    assert fmt is not None
    options = choice.options()
    lex = _checked_lexicon(choice, ignore_lint_errors)
    try:
        result = render_export(lex, fmt, options)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    problems = report_left_out(result)
    if output is None:
        _one_part_for_stdout(result)
    if check:
        _check(result, output, strict and problems)
    if strict and problems:
        what = f"{result.left_out} terms cannot be expressed" if result.left_out else "the list is over the target's limits"
        fail(f"{fmt.value}: {what} (--strict); nothing written", ExitCode.FINDINGS)
    if not result.exported:
        # Empty lists written over a platform's blocklist would unblock everything it held.
        fail(f"{fmt.value}: nothing to export: {_why_empty(result)}; nothing written", ExitCode.FINDINGS)
    try:
        written = _write(result, output, lex, options, since)
        if manifest is not None:
            _write_manifest(manifest, lex, result, options, written)
    except OutputError as error:
        fail(error, ExitCode.CANT_CREATE)
    warn(_summary(result, output))


def _checked_lexicon(choice: ExportChoice, ignore_lint_errors: bool) -> Lexicon:
    """The lexicon to export, refused when it has lint errors; with --ignore-lint-errors, less
    the terms those errors are in: an invalid term never reaches a blocklist."""
    from wildcli.lexicon.gate import without_invalid_terms

    report = lint_gate(choice.values["lexicon"], choice.values["no_bundled"], ignore=ignore_lint_errors)
    lex, invalid = without_invalid_terms(choice.load(), report.problems)
    if invalid:
        warn(f"note: {len(invalid)} terms with lint errors left out (--ignore-lint-errors)")
    return lex


def _check_usage(fmt: ExportFormat | None, output: Path | None, check: bool, since: str | None) -> None:
    if fmt is None:
        fail("--format is required (wildcli export --list shows the formats)", ExitCode.USAGE)
    if check and output is None:
        fail("--check needs --output: the file to compare with", ExitCode.USAGE)
    if since is not None and output is None:
        fail("--since needs --output: deltas are written beside it", ExitCode.USAGE)
    if since is not None:
        from wildcli.errors import UsageError
        from wildcli.lexicon.diff import check_revision

        try:
            check_revision(since)  # before anything is written
        except UsageError as error:
            fail(error, ExitCode.USAGE)
    if since is not None and not fmt.exporter.line_items:
        line_formats = ", ".join(f.value for f in ExportFormat if f.exporter.line_items)
        fail(f"--since works with one-item-per-line formats: {line_formats}", ExitCode.USAGE)


def _summary(result: ExportResult, output: Path | None) -> str:
    from wildcli.exporters.outputs import by_role

    what = f"exported {result.exported} terms to {output or 'stdout'} as {result.format.value}"
    if output is None:
        part = result.single_part() or Part("", ALL_ROLE)  # checked before writing
        return f"{what} (the {part.role} list, {_count(part.text)}; {result.left_out} left out)"
    lists = ", ".join(f"{role} {_count(text)}" for role, text in by_role(result.parts).items())
    files = len(result.parts)
    return f"{what} ({files} file{'s' if files > 1 else ''}: {lists}; {result.left_out} left out)"


def _why_empty(result: ExportResult) -> str:
    if not result.left_out:
        return "no term of the lexicon passes the filters (--concept, --lang, --kind, --min-severity, --action ...)"
    return f"all {result.left_out} terms chosen were left out (the lines above say why)"


def _count(text: str) -> str:
    lines = len(text.splitlines())
    return f"{lines} line{'s' if lines != 1 else ''}"


def _one_part_for_stdout(result: ExportResult) -> None:
    """Standard output holds one list; an export of several needs --output (or fewer actions)."""
    from wildcli.exporters.outputs import by_role

    if result.single_part() is None:
        lists = ", ".join(f"{role} ({_count(text)})" for role, text in by_role(result.parts).items())
        fail(f"{result.format.value}: this export is {len(result.parts)} files, {lists}: give --output FILE, or narrow it with --action", ExitCode.USAGE)


def report_left_out(result: ExportResult) -> bool:
    """What was left out, problems and notes on stderr; True when some term or limit could not
    be expressed (what the safe defaults leave out is a note, not a problem)."""
    from wildcli.exporters.selection import feasibility_report, left_out_report

    for line in left_out_report(result):
        warn(f"note: {line}")
    for line in feasibility_report(result):
        warn(f"warning: {line}")
    for note in result.notes:
        warn(f"note: {result.format.value}: {note}")
    if result.restricted_left_out:
        warn(f"note: {result.restricted_left_out} restricted terms left out (--include-restricted, or the hashed format)")
    return bool(result.problems)


def _check(result: ExportResult, output: Path, failed: bool) -> None:
    from wildcli.exporters.outputs import check_parts

    stale = [c for c in check_parts(output, result.parts) if c.state != "fresh"]
    for c in stale:
        sample = [f"+{line!r}" for line in c.added[:3]] + [f"-{line!r}" for line in c.removed[:3]]
        detail = f": {len(c.added)} lines added, {len(c.removed)} removed ({', '.join(sample)})" if sample else ""
        warn(f"{c.state}: {c.path}{detail}")
    if stale:
        warn(f"{output} is stale: run the same wildcli export without --check")
    else:
        warn(f"{output} is up to date")
    raise typer.Exit(int(ExitCode.FINDINGS if stale or failed else ExitCode.OK))


def _write(result: ExportResult, output: Path | None, lex: Lexicon, options: ExportOptions, since: str | None) -> list[tuple[Path, str | None]]:
    from wildcli.atomic import write_atomic
    from wildcli.exporters.outputs import list_deltas, write_delta, write_parts

    if output is None:
        write_atomic("-", (result.single_part() or Part("", ALL_ROLE)).text)
        return []
    written: list[tuple[Path, str | None]] = [
        (path, part.role) for path, part in zip(write_parts(output, result.parts), result.parts, strict=False)
    ]
    if since is not None:
        old = _old_export(result, lex, options, since)
        changes = list_deltas(old.parts, result.parts, output, result.format.exporter.comment_prefix)
        for role, (added, removed, path) in changes.items():
            written.extend((p, None) for p in write_delta(path, added, removed))
            warn(f"since {since}: {role}: {len(added)} lines added, {len(removed)} removed")
    return written


def _old_export(result: ExportResult, lex: Lexicon, options: ExportOptions, since: str) -> ExportResult:
    from wildcli.errors import LexiconError, UsageError
    from wildcli.exporters.selection import render_export
    from wildcli.lexicon import load_lexicon
    from wildcli.lexicon.diff import roots_at

    try:
        with roots_at(lex.roots, since) as (old_roots, unversioned):
            for root in unversioned:
                warn(f"note: {root} is not in git: taken as it is now")
            return render_export(load_lexicon(old_roots), result.format, options)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    except LexiconError as error:
        fail(f"the lexicon at {since} does not load: {error}", ExitCode.LEXICON_ERROR)


def _write_manifest(path: Path, lex: Lexicon, result: ExportResult, options: ExportOptions, files: list[tuple[Path, str | None]]) -> None:
    from wildcli import __version__
    from wildcli.atomic import write_atomic
    from wildcli.exporters.outputs import manifest

    summary = {
        "generator": f"wildcli {__version__}",
        "format": result.format.value,
        "lexicon": {"version": lex.version, "digest": lex.digest},
        "options": options.to_dict(),
        "counts": {"selected": result.selected, "exported": result.exported, "left_out": result.left_out,
                   "restricted_left_out": result.restricted_left_out, "files": len(result.parts),
                   "left_out_by_reason": result.left_out_by_reason()},
    }
    write_atomic(path, json.dumps(manifest(summary, files, path), ensure_ascii=False, indent=2, sort_keys=True) + "\n")
