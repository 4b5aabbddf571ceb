"""The options that choose an export, declared once for every command that renders one.

`wildcli export` writes the export; `wildcli simulate` applies it to a dump first. Both take
the same choices: `with_export_choices(command)` adds them to the command's own options and
hands the command an `ExportChoice` built from them.
"""

from __future__ import annotations

import functools
import inspect
import os
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from wildcli.cli.console import ExitCode, fail
from wildcli.cli.conventions import did_you_mean, unknown
from wildcli.cli.options import LexiconOption, NoBundledOption, load, split_list
from wildcli.exporters import CsvDialect, ExportFormat, MatchType, SynonymStyle
from wildcli.exporters.base import DEFAULT_PATTERN_CHARS, SqlDialect
from wildcli.lexicon.actions import Action
from wildcli.lexicon.model import Kind, Severity, Status

if TYPE_CHECKING:
    from wildcli.exporters.selection import ExportOptions
    from wildcli.lexicon import Lexicon

KEY_ENV = "WILDCLI_HMAC_KEY"


def _choices(
    fmt: ExportFormat = typer.Option(None, "--format", "-f", help="Target format (see wildcli export --list).", show_default=False),
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
) -> None:
    """Only a signature: the export choices, as typer reads them."""


_HINTS = typing.get_type_hints(_choices)
CHOICES = [p.replace(annotation=_HINTS[p.name]) for p in inspect.signature(_choices).parameters.values()]


@dataclass(frozen=True)
class ExportChoice:
    """The export chosen on the command line; `options()` and `load()` turn it into library objects."""

    values: dict[str, Any]

    @property
    def format(self) -> ExportFormat | None:
        fmt = self.values["fmt"]
        return fmt if isinstance(fmt, ExportFormat) else None

    def load(self) -> Lexicon:
        """The lexicon, or exit 2 on a --lang it does not have, or a --concept close to one it
        has (one it has nothing like is left to the library's own error)."""
        lex = load(self.values["lexicon"], self.values["no_bundled"])
        langs = {t.lang for t in lex.terms}
        for lang in split_list(self.values["lang"]) or ():
            if lang not in langs:
                fail(unknown("language", lang, langs), ExitCode.USAGE)
        for concept in split_list(self.values["concept"]) or ():
            if concept not in lex.concepts and did_you_mean(concept, lex.concepts):
                fail(unknown("concept", concept, lex.concepts), ExitCode.USAGE)
        return lex

    def options(self) -> ExportOptions:
        """The library's ExportOptions; the HMAC key is read only for the hashed format."""
        from wildcli.exporters import RenderOptions
        from wildcli.exporters.selection import ExportOptions

        v = self.values
        if v["action"] and Action.ALLOW in v["action"]:
            fail("--action takes block, warn or monitor (allow is what a platform does when nothing matched)", ExitCode.USAGE)
        return ExportOptions(
            concepts=frozenset(split_list(v["concept"]) or ()) or None,
            langs=frozenset(split_list(v["lang"]) or ()) or None,
            min_severity=v["min_severity"],
            statuses=frozenset(v["status"] or [Status.APPROVED]),
            kinds=frozenset(v["kind"]) if v["kind"] else None,
            variants=v["variants"],
            include_restricted=v["include_restricted"],
            include_contextual=v["include_contextual"],
            actions=frozenset(v["action"]) if v["action"] else None,
            render=RenderOptions(
                v["csv_dialect"], v["match_type"], v["synonyms"],
                read_key(v["key_file"]) if self.format is ExportFormat.HASHED else None,
                sql_dialect=v["dialect"], max_pattern_chars=v["max_pattern_chars"],
            ),
        )


MAX_KEY_BYTES = 64 * 1024
"""An HMAC key is tens of bytes; reading no more than this keeps `--key-file /dev/zero` bounded."""


def read_key(key_file: Path | None) -> bytes:
    """The HMAC key: the file's bytes or the variable's UTF-8, less one trailing line break."""
    if key_file is not None:
        try:
            with key_file.open("rb") as handle:
                key = handle.read(MAX_KEY_BYTES + 1)
        except OSError as exc:
            fail(f"{key_file}: cannot read the key: {exc.strerror or exc}", ExitCode.NO_INPUT)
        if len(key) > MAX_KEY_BYTES:
            fail(f"{key_file}: not a key: larger than {MAX_KEY_BYTES // 1024} KiB", ExitCode.NO_INPUT)
    else:
        key = os.environ.get(KEY_ENV, "").encode("utf-8")
    key = key.removesuffix(b"\n").removesuffix(b"\r")
    if not key:
        fail(f"the hashed format needs a key: --key-file FILE or ${KEY_ENV} (refusing to hash without one)", ExitCode.USAGE)
    return key


Command = Callable[..., None]


def with_export_choices(command: Command) -> Command:
    """`command(choice: ExportChoice, **own options)` as a typer command taking the export
    choices after its own options (its `choice` parameter is filled from them)."""
    own = [p for p in inspect.signature(command).parameters.values() if p.name != "choice"]
    hints = {k: v for k, v in typing.get_type_hints(command).items() if k != "choice"}
    names = [p.name for p in CHOICES]

    @functools.wraps(command)
    def run(**kwargs: Any) -> None:
        picked = {name: kwargs.pop(name) for name in names}
        command(choice=ExportChoice(picked), **kwargs)

    own_hinted = [p.replace(annotation=hints[p.name]) for p in own]
    # The format first, as it is the one choice every run makes.
    run.__signature__ = inspect.Signature([CHOICES[0], *own_hinted, *CHOICES[1:]])  # type: ignore[attr-defined]
    run.__annotations__ = {**hints, **_HINTS}
    del run.__wrapped__  # typer must see this signature, not the command's
    return run
