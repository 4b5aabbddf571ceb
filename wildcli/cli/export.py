"""`wildcli export`: render the lexicon as a blocklist for one target, check it, or write deltas."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from wildcli.actions import Action
from wildcli.cli.console import ExitCode, fail, warn
from wildcli.cli.options import LexiconOption, NoBundledOption, load, split_list
from wildcli.exporters import CsvDialect, ExportFormat, MatchType, SynonymStyle
from wildcli.exporters.base import ALL_ROLE, DEFAULT_PATTERN_CHARS, Part, SqlDialect
from wildcli.lexicon.model import Kind, Severity, Status

if TYPE_CHECKING:
    from wildcli.export import ExportOptions, ExportResult
    from wildcli.lexicon import Lexicon

KEY_ENV = "WILDCLI_HMAC_KEY"


def export_command(
    fmt: ExportFormat = typer.Option(None, "--format", "-f", help="Target format (see --list).", show_default=False),
    output: Path = typer.Option(None, "--output", "-o", help="Write here (atomically) instead of stdout; lists over a target's size limit become <stem>.2<suffix>, ...", show_default=False),
    list_formats: bool = typer.Option(False, "--list", help="List the formats, one line each, and exit."),
    lexicon: list[Path] = LexiconOption,
    no_bundled: bool = NoBundledOption,
    concept: list[str] = typer.Option(None, "--concept", help="Only these concepts (repeatable; names context concepts in too).", show_default=False),
    lang: list[str] = typer.Option(None, "--lang", help="Only terms of these languages (repeatable).", show_default=False),
    min_severity: Severity = typer.Option(Severity.REVIEW, "--min-severity", help="Only terms at least this severe (monitor adds the logged-only list)."),
    action: list[Action] = typer.Option(None, "--action", help="Only these actions (repeatable): block, warn, monitor.", show_default=False),
    status: list[Status] = typer.Option(None, "--status", help="Term statuses to export (repeatable) [default: approved].", show_default=False),
    kind: list[Kind] = typer.Option(None, "--kind", help="Only terms of these kinds (repeatable).", show_default=False),
    variants: bool = typer.Option(False, "--variants", help="Add the generated spellings (unaccented, spaced, leet ...) that wildcli reads as each term."),
    include_contextual: bool = typer.Option(False, "--include-contextual", help="Add terms that count only next to a context word (kept by json, jsonl, csv, regex and sql, which carry the condition)."),
    include_restricted: bool = typer.Option(False, "--include-restricted", help="Put restricted terms in public formats too."),
    csv_dialect: CsvDialect = typer.Option(CsvDialect.SPREADSHEET, "--csv-dialect", help="csv: formula-safe cells, or raw RFC 4180."),
    match_type: MatchType = typer.Option(MatchType.PHRASE, "--match", help='google-ads/microsoft-ads: "phrase" or [exact] keywords.'),
    synonyms: SynonymStyle = typer.Option(SynonymStyle.EQUIVALENT, "--synonyms", help="solr-synonyms/es-synonyms-api: one equivalence per concept, or terms => wildcli_<concept>."),
    key_file: Path = typer.Option(None, "--key-file", help=f"hashed: file holding the HMAC key (else ${KEY_ENV}).", show_default=False),
    dialect: SqlDialect = typer.Option(SqlDialect.POSTGRES, "--dialect", help="sql: the database to write for."),
    max_pattern_chars: int = typer.Option(DEFAULT_PATTERN_CHARS, "--max-pattern-chars", min=64, help="regex: longest pattern (AWS WAF takes 512; RE2 itself has no such limit)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1, writing nothing, when a term cannot be expressed in the format."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 when --output is not what this export would write."),
    manifest: Path = typer.Option(None, "--manifest", help="Also write a JSON manifest: lexicon version and digest, options, counts, sha256 per file.", show_default=False),
    since: str = typer.Option(None, "--since", help="Also write <output>.added and <output>.removed against the lexicon at this git revision.", show_default=False),
) -> None:
    """Export the lexicon as a blocklist for a search engine, ad platform or moderation service."""
    from wildcli.errors import OutputError, UsageError
    from wildcli.export import ExportOptions, render_export
    from wildcli.exporters import RenderOptions

    if list_formats:
        for f in ExportFormat:
            typer.echo(f"{f.value:16} {f.exporter.summary}")
        raise typer.Exit()
    _check_usage(fmt, output, check, since)
    if action and Action.ALLOW in action:
        fail("--action takes block, warn or monitor (allow is what a platform does when nothing matched)", ExitCode.USAGE)
    options = ExportOptions(
        concepts=frozenset(split_list(concept) or ()) or None,
        langs=frozenset(split_list(lang) or ()) or None,
        min_severity=min_severity,
        statuses=frozenset(status or [Status.APPROVED]),
        kinds=frozenset(kind) if kind else None,
        variants=variants,
        include_restricted=include_restricted,
        include_contextual=include_contextual,
        actions=frozenset(action) if action else None,
        render=RenderOptions(
            csv_dialect, match_type, synonyms, _key(key_file) if fmt is ExportFormat.HASHED else None,
            sql_dialect=dialect, max_pattern_chars=max_pattern_chars,
        ),
    )
    lex = load(lexicon, no_bundled)
    try:
        result = render_export(lex, fmt, options)
    except UsageError as error:
        fail(error, ExitCode.USAGE)
    problems = _report(result)
    if output is None:
        _one_part_for_stdout(result)
    if check:
        _check(result, output, strict and problems)
    if strict and problems:
        what = f"{result.left_out} terms cannot be expressed" if result.left_out else "the list is over the target's limits"
        fail(f"{fmt.value}: {what} (--strict); nothing written", ExitCode.FINDINGS)
    try:
        written = _write(result, output, lex, options, since)
        if manifest is not None:
            _write_manifest(manifest, lex, result, options, written)
    except OutputError as error:
        fail(error, ExitCode.CANT_CREATE)
    warn(_summary(result, output))


def _check_usage(fmt: ExportFormat | None, output: Path | None, check: bool, since: str | None) -> None:
    if fmt is None:
        fail("--format is required (wildcli export --list shows the formats)", ExitCode.USAGE)
    if check and output is None:
        fail("--check needs --output: the file to compare with", ExitCode.USAGE)
    if since is not None and output is None:
        fail("--since needs --output: deltas are written beside it", ExitCode.USAGE)
    if since is not None and not fmt.exporter.line_items:
        line_formats = ", ".join(f.value for f in ExportFormat if f.exporter.line_items)
        fail(f"--since works with one-item-per-line formats: {line_formats}", ExitCode.USAGE)


def _key(key_file: Path | None) -> bytes:
    """The HMAC key: the file's bytes or the variable's UTF-8, less one trailing line break."""
    if key_file is not None:
        try:
            key = key_file.read_bytes()
        except OSError as exc:
            fail(f"{key_file}: cannot read the key: {exc.strerror or exc}", ExitCode.NO_INPUT)
    else:
        key = os.environ.get(KEY_ENV, "").encode("utf-8")
    key = key.removesuffix(b"\n").removesuffix(b"\r")
    if not key:
        fail(f"the hashed format needs a key: --key-file FILE or ${KEY_ENV} (refusing to hash without one)", ExitCode.USAGE)
    return key


def _summary(result: ExportResult, output: Path | None) -> str:
    from wildcli.exporters.outputs import by_role

    what = f"exported {result.exported} terms to {output or 'stdout'} as {result.format.value}"
    if output is None:
        part = _stdout_part(result)
        return f"{what} (the {part.role} list, {_count(part.text)}; {result.left_out} left out)"
    lists = ", ".join(f"{role} {_count(text)}" for role, text in by_role(result.parts).items())
    files = len(result.parts)
    return f"{what} ({files} file{'s' if files > 1 else ''}: {lists}; {result.left_out} left out)"


def _stdout_part(result: ExportResult) -> Part:
    """The one list standard output holds: the only one with entries, else the first."""
    filled = [p for p in result.parts if p.text.strip()]
    return (filled or list(result.parts) or [Part("", ALL_ROLE)])[0]


def _count(text: str) -> str:
    lines = len(text.splitlines())
    return f"{lines} line{'s' if lines != 1 else ''}"


def _one_part_for_stdout(result: ExportResult) -> None:
    """Standard output holds one list; an export of several needs --output (or fewer actions)."""
    from wildcli.exporters.outputs import by_role

    if sum(1 for p in result.parts if p.text.strip()) > 1:
        lists = ", ".join(f"{role} ({_count(text)})" for role, text in by_role(result.parts).items())
        fail(f"{result.format.value}: this export is {len(result.parts)} files, {lists}: give --output FILE, or narrow it with --action", ExitCode.USAGE)


def _report(result: ExportResult) -> bool:
    """What was left out, problems and notes on stderr; True when some term or limit could not
    be expressed (what the safe defaults leave out is a note, not a problem)."""
    from wildcli.export import feasibility_report, left_out_report

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
    from wildcli.exporters.outputs import write_delta, write_parts

    if output is None:
        write_atomic("-", _stdout_part(result).text)
        return []
    written: list[tuple[Path, str | None]] = [
        (path, part.role) for path, part in zip(write_parts(output, result.parts), result.parts, strict=False)
    ]
    if since is not None:
        old = _old_export(result, lex, options, since)
        for role, (added, removed, path) in _deltas(old, result, output).items():
            written.extend((p, None) for p in write_delta(path, added, removed))
            warn(f"since {since}: {role}: {len(added)} lines added, {len(removed)} removed")
    return written


def _deltas(old: ExportResult, new: ExportResult, output: Path) -> dict[str, tuple[list[str], list[str], Path]]:
    """Per list: lines added and removed since `old`, and the file the delta files go beside."""
    from wildcli.exporters.outputs import by_role, delta, part_paths

    before, after = by_role(old.parts), by_role(new.parts)
    first: dict[str, Path] = {}
    for path, part in zip(part_paths(output, new.parts), new.parts, strict=True):
        first.setdefault(part.role, path)
    prefix = new.format.exporter.comment_prefix
    return {
        role: (*delta(before.get(role, ""), text, prefix), first[role])
        for role, text in after.items()
    }


def _old_export(result: ExportResult, lex: Lexicon, options: ExportOptions, since: str) -> ExportResult:
    from wildcli.diff import roots_at
    from wildcli.errors import LexiconError, UsageError
    from wildcli.export import render_export
    from wildcli.lexicon import load_lexicon

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
                   "left_out_by_reason": _reasons(result)},
    }
    write_atomic(path, json.dumps(manifest(summary, files, path), ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _reasons(result: ExportResult) -> dict[str, int]:
    from collections import Counter

    return dict(sorted(Counter(p.reason for p in (*result.excluded, *result.problems) if p.item is not None).items()))
