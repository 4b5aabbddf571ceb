"""Blocklist exports: choose terms from a lexicon, render them for a target, report what cannot be.

`render_export(lexicon, fmt, options)` is the library entry point; it never prints or writes.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from wildcli.errors import UsageError
from wildcli.exporters import ExportContext, ExportFormat, ExportItem, Problem, RenderOptions
from wildcli.exporters.hashed import key_id
from wildcli.lexicon.model import Kind, Lexicon, Role, Sensitivity, Severity, Status, Term
from wildcli.normalize import normalize_key

EXAMPLES = 3
"""Example terms shown per feasibility problem."""
EXAMPLE_CHARS = 40


@dataclass(frozen=True)
class ExportOptions:
    """Which terms to export, and how. `concepts` naming a `context` concept lets it in."""

    concepts: frozenset[str] | None = None
    langs: frozenset[str] | None = None
    min_severity: Severity = Severity.MONITOR
    statuses: frozenset[Status] = frozenset({Status.APPROVED})
    kinds: frozenset[Kind] | None = None
    variants: bool = False
    include_restricted: bool = False
    render: RenderOptions = field(default_factory=RenderOptions)

    def to_dict(self) -> dict[str, Any]:
        """For manifests: every choice that changes the output, but never the HMAC key itself."""
        key = self.render.hmac_key
        return {
            "concepts": _sorted(self.concepts),
            "langs": _sorted(self.langs),
            "min_severity": self.min_severity.value,
            "statuses": sorted(s.value for s in self.statuses),
            "kinds": _sorted({k.value for k in self.kinds} if self.kinds else None),
            "variants": self.variants,
            "include_restricted": self.include_restricted,
            "csv_dialect": self.render.csv_dialect.value,
            "match_type": self.render.match_type.value,
            "synonyms": self.render.synonyms.value,
            "hmac_key_id": key_id(key) if key else None,
        }


def _sorted(values: frozenset[str] | set[str] | None) -> list[str] | None:
    return None if values is None else sorted(values)


@dataclass(frozen=True)
class ExportResult:
    """The rendered parts (one text per output file), what was left out, and how many were chosen."""

    format: ExportFormat
    parts: tuple[str, ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    selected: int
    restricted_left_out: int

    @property
    def left_out(self) -> int:
        return sum(1 for p in self.problems if p.item is not None)


VariantSource = Callable[[Term], Sequence[tuple[str, str]]]


def library_variants(term: Term) -> list[tuple[str, str]]:
    """(text, rule) pairs from `wildcli.variants.expand`, imported late: it pulls in pinyin tables."""
    from wildcli.variants import expand

    return [(v.text, v.rule) for v in expand(term)]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def wanted(term: Term, lexicon: Lexicon, options: ExportOptions) -> bool:
    """The filters, except sensitivity (counted separately so the CLI can say how many)."""
    if term.status not in options.statuses or not term.severity.at_least(options.min_severity):
        return False
    if options.concepts is not None:
        if term.concept not in options.concepts:
            return False
    else:
        concept = lexicon.concepts.get(term.concept)
        # Selling phrases ("dm for price") support findings; blocking them alone would block commerce.
        if concept is not None and concept.role is Role.CONTEXT:
            return False
    if options.langs is not None and term.lang not in options.langs:
        return False
    return options.kinds is None or term.kind in options.kinds


def select_items(
    lexicon: Lexicon,
    options: ExportOptions,
    *,
    carries_restricted: bool = False,
    variants: VariantSource = library_variants,
) -> tuple[list[ExportItem], int]:
    """Items sorted by concept, language and text, and how many restricted terms were left out."""
    unknown = sorted(set(options.concepts or ()) - set(lexicon.concepts))
    if unknown:
        raise UsageError(f"unknown concept {unknown[0]!r}")
    terms = [t for t in lexicon.terms if wanted(t, lexicon, options)]
    hidden = [] if options.include_restricted or carries_restricted else [
        t for t in terms if t.sensitivity is Sensitivity.RESTRICTED
    ]
    hidden_keys = {t.key for t in hidden}
    shown = [t for t in terms if t.key not in hidden_keys]
    # Curated terms first, so that a variant spelling the same string never replaces one.
    chosen = {(t.concept, t.lang, nfc(t.term)): ExportItem(nfc(t.term), t) for t in shown}
    if options.variants:
        # A variant of a public term may spell a restricted one: it must not leak it either.
        secret = {normalize_key(t.term) for t in hidden}
        for term in shown:
            for item in _variants_of(term, variants):
                if normalize_key(item.text) not in secret:
                    chosen.setdefault((item.concept, item.lang, item.text), item)
    items = sorted(chosen.values(), key=lambda i: (i.concept, i.lang, i.text, i.rule or ""))
    return items, len(hidden)


def _variants_of(term: Term, variants: VariantSource) -> Iterator[ExportItem]:
    for text, rule in variants(term):
        if text.strip():
            yield ExportItem(nfc(text), term, rule)


def render_export(
    lexicon: Lexicon,
    fmt: ExportFormat,
    options: ExportOptions | None = None,
    *,
    variants: VariantSource = library_variants,
) -> ExportResult:
    """Render `lexicon` for `fmt`. Raises UsageError for impossible options (unknown concept, no key)."""
    options = options or ExportOptions()
    exporter = fmt.exporter
    items, restricted = select_items(
        lexicon, options, carries_restricted=exporter.carries_restricted, variants=variants
    )
    ctx = ExportContext(lexicon.concepts, lexicon.version, options.render, variants=options.variants)
    rendering = exporter.render(items, ctx)
    return ExportResult(fmt, rendering.parts, rendering.problems, rendering.notes, len(items), restricted)


def feasibility_report(result: ExportResult, examples: int = EXAMPLES) -> list[str]:
    """One line per kind of problem: how many terms, and the first few as examples."""
    by_reason: dict[str, list[Problem]] = defaultdict(list)
    for problem in result.problems:
        by_reason[problem.reason].append(problem)
    lines = []
    for reason, problems in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        shown = [_example(p.item) for p in problems[:examples] if p.item is not None]
        if not shown:
            lines.append(f"{result.format.value}: the list {reason}")
            continue
        more = ", ..." if len(problems) > examples else ""
        noun = "term" if len(problems) == 1 else "terms"
        examples_text = ", ".join(shown) + more
        lines.append(f"{result.format.value}: {len(problems)} {noun} left out: {reason}: {examples_text}")
    return lines


def _example(item: ExportItem) -> str:
    text = item.text if len(item.text) <= EXAMPLE_CHARS else item.text[: EXAMPLE_CHARS - 1] + "…"
    return f"{text!r} ({item.concept}/{item.lang})"
