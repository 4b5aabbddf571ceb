"""The exporter interface: what an exporter receives (selected items), and what it returns.

Exporters are pure functions of their input: no clock, no environment, no file system.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from wildcli.lexicon.actions import Action
from wildcli.lexicon.model import Concept, Kind, Severity, Status, Term

T = TypeVar("T")


class CsvDialect(str, enum.Enum):
    """`spreadsheet` neutralises formulas (OWASP CSV injection); `rfc4180` is raw for pipelines."""

    SPREADSHEET = "spreadsheet"
    RFC4180 = "rfc4180"


class MatchType(str, enum.Enum):
    """Ad-platform negative keyword match type: phrase `"..."` or exact `[...]`."""

    PHRASE = "phrase"
    EXACT = "exact"


class SynonymStyle(str, enum.Enum):
    """Solr synonym rules: all terms of a concept equivalent, or every term `=>` a concept token."""

    EQUIVALENT = "equivalent"
    EXPLICIT = "explicit"


class SqlDialect(str, enum.Enum):
    """Database the `sql` export is written for."""

    POSTGRES = "postgres"
    DUCKDB = "duckdb"


DEFAULT_PATTERN_CHARS = 512
"""AWS WAF's RegexString limit [formats.md §2.11]; the regex export's default pattern length."""


@dataclass(frozen=True)
class RenderOptions:
    """Format-specific choices; each exporter reads only the fields it needs."""

    csv_dialect: CsvDialect = CsvDialect.SPREADSHEET
    match_type: MatchType = MatchType.PHRASE
    synonyms: SynonymStyle = SynonymStyle.EQUIVALENT
    hmac_key: bytes | None = field(default=None, repr=False)
    sql_dialect: SqlDialect = SqlDialect.POSTGRES
    max_pattern_chars: int = DEFAULT_PATTERN_CHARS


@dataclass(frozen=True)
class ExportItem:
    """One string to export: a lexicon term (NFC) or one of its variants, with its judgement.

    `rule` names the variant rule that produced `text` (None for the term as curated), so
    formats that carry metadata can say where a string came from. `context` holds the literal
    phrases (concept references expanded) of which one must occur within `window` characters
    for a match to count; empty, the string acts alone (a disguised spelling of a contextual
    term does: nobody disguises a colour). `exclude` phrases within `window` characters cancel
    a match; `allow` are those of them that contain the string itself, which a flat allow-list
    beside a list can carry. `cancel` holds the phrases of the cancelling concepts of the term's
    language (a denial right before the term, "không phải ngà voi"; a publication or campaign
    word, "tạp chí"): the rules formats carry them as exclusions (`rule_exclude`); a list format
    cannot, and keeps the term without them, as they only ever spare benign texts.
    """

    text: str
    term: Term
    rule: str | None = None
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    window: int = 100
    cancel: tuple[str, ...] = ()

    @property
    def rule_exclude(self) -> tuple[str, ...]:
        """The exclusions a rules format writes: the term's own and the cancelling phrases."""
        return tuple(sorted({*self.exclude, *self.cancel})) if self.cancel else self.exclude

    @property
    def action(self) -> Action:
        return Action.of(self.term.severity)

    @property
    def near_exclusions(self) -> bool:
        """Some exclusion is a separate phrase near the string, not one containing it."""
        return len(self.allow) < len(self.exclude)

    @property
    def concept(self) -> str:
        return self.term.concept

    @property
    def lang(self) -> str:
        return self.term.lang

    @property
    def kind(self) -> Kind:
        return self.term.kind

    @property
    def severity(self) -> Severity:
        return self.term.severity

    @property
    def status(self) -> Status:
        return self.term.status


@dataclass(frozen=True)
class LeftOut:
    """Something a target cannot express; the item is left out (`item` None: a whole-list limit)."""

    reason: str
    item: ExportItem | None = None


@dataclass(frozen=True)
class Rendering:
    """What one exporter produced: one text per output part (chunked lists), problems and notes."""

    parts: tuple[str, ...]
    problems: tuple[LeftOut, ...] = ()
    notes: tuple[str, ...] = ()


ALLOW_ROLE = "allow"
"""The role of the exceptions list written beside a list format's action lists."""
ALL_ROLE = "all"
"""The role of a file that holds every action (with an action field or column)."""


@dataclass(frozen=True)
class Part:
    """One output file: its text, the list it holds (`role`: an action, or `allow`) and its
    chunk number within that list (lists over a target's size limit are split)."""

    text: str
    role: str
    index: int = 1


@dataclass(frozen=True)
class ExportContext:
    """Everything an exporter may look at besides the items."""

    concepts: dict[str, Concept]
    lexicon_version: str | None
    options: RenderOptions
    variants: bool = False  # whether variants were asked for (ad exporters advise it otherwise)
    role: str | None = None  # the list being rendered, for formats written one list per action


@dataclass(frozen=True)
class Exporter:
    """One target format: a deterministic render function (same items, same bytes) and its traits."""

    summary: str  # one line for `wildcli export --list`
    suffix: str
    render_fn: Callable[[Sequence[ExportItem], ExportContext], Rendering]
    line_items: bool = False  # one item per line (after any header): deltas are computed per line
    carries_restricted: bool = False  # restricted terms belong here (the format never shows text)
    comment_prefix: str | None = None  # header lines that are not items (ignored by deltas)
    rules: bool = False  # carries each item's action, context, window and exclusions itself
    per_action: bool = True  # a plain list: written once per action (else one file with an action field)
    allow_list: bool = False  # can carry the exceptions that contain a term, as an allow-list

    def render(self, items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
        return self.render_fn(items, ctx)


def line_breaks(text: str) -> bool:
    """True when `text` would split a line in a line-oriented file (CR, LF, and Unicode breaks)."""
    return len(text.splitlines()) > 1 or text.endswith(("\n", "\r"))


def lines_text(lines: Iterable[str]) -> str:
    """Lines joined with LF and a final newline; an empty list is an empty file."""
    joined = "\n".join(lines)
    return joined + "\n" if joined else ""


def one_per_line(items: Sequence[ExportItem], check: Callable[[str], str | None]) -> Rendering:
    """A single word-list file: each distinct text that `check` accepts on a line of its own."""
    kept, problems = partition(unique_texts(items), check)
    return Rendering((lines_text(i.text for i in kept),), tuple(problems))


def chunked(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` values; none for an empty sequence."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def unique_texts(items: Iterable[ExportItem], key: Callable[[str], str] = str) -> list[ExportItem]:
    """First item per distinct `key(text)`, in codepoint order of the text (stable output)."""
    seen: dict[str, ExportItem] = {}
    for item in sorted(items, key=lambda i: (i.text, i.concept, i.lang, i.rule or "")):
        seen.setdefault(key(item.text), item)
    return list(seen.values())


def partition(
    items: Iterable[ExportItem], check: Callable[[str], str | None]
) -> tuple[list[ExportItem], list[LeftOut]]:
    """Split items into those `check` accepts (returns None) and problems (the reason it returns)."""
    kept: list[ExportItem] = []
    problems: list[LeftOut] = []
    for item in items:
        reason = check(item.text)
        if reason is None:
            kept.append(item)
        else:
            problems.append(LeftOut(reason, item))
    return kept, problems
