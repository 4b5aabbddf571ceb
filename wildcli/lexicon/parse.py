"""Turn the plain data of one lexicon file into model objects, collecting located errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from wildcli.errors import LexiconError
from wildcli.lexicon.model import (
    MAX_QUOTE_CHARS,
    Cancels,
    Concept,
    Kind,
    Role,
    Scope,
    Sensitivity,
    Severity,
    Source,
    SourceKind,
    Species,
    Status,
    Term,
)
from wildcli.lexicon.yamlfile import Path_, YamlDocument

# The end of the text: `$` alone also matches before a final newline (in Python, not in the
# ECMA dialect of JSON Schema), and an id or tag ending in one would pass and then split the lines
# of every export that writes it. `(?!\n)$` is the very end in both, so the JSON Schemas in
# wildcli/schema carry these same patterns and validators written in Python hold too.
END = r"(?!\n)$"
CONCEPT_ID = re.compile(r"^[a-z][a-z0-9_]*" + END)
LANG_TAG = re.compile(r"^(?:und|[a-z]{2,3})(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?" + END)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}" + END)
URL = re.compile(r"^https?://\S+" + END)

CONCEPT_KEYS = (
    "id", "role", "severity", "cancels", "scope", "counts_as", "labels", "description", "species", "exclude",
    "examples", "counter_examples",
)
TERM_KEYS = (
    "term", "kind", "severity", "status", "sensitivity", "sources", "added", "contributor",
    "note", "context", "exclude", "window", "hashtag", "examples", "counter_examples",
)
SOURCE_KEYS = ("title", "kind", "url", "year", "quote", "quote_missing")
SPECIES_KEYS = ("scientific_name", "common_name", "cites_appendix", "gbif_key")
MAX_TERM_CHARS = 200
MAX_WINDOW = 10_000

ErrorSink = Callable[[LexiconError], None]
E = TypeVar("E")


class _Reader:
    """Typed field access on one document; each problem goes to `sink` and yields a default."""

    def __init__(self, doc: YamlDocument, sink: ErrorSink) -> None:
        self.doc = doc
        self.sink = sink
        self.failed = False

    def error(self, path: Path_, message: str) -> None:
        self.failed = True
        self.sink(LexiconError(message, self.doc.location(path)))

    def mapping(self, value: Any, path: Path_, keys: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping, got {_type_name(value)}")
            return None
        for key in value:
            if key not in keys:
                self.error((*path, key), f"unknown field (expected one of: {', '.join(keys)})")
        return value

    def text(self, data: dict[str, Any], path: Path_, key: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error((*path, key) if key in data else path, f"{key} is required")
            return None
        if not isinstance(value, str):
            self.error((*path, key), f"expected a string, got {_type_name(value)}; quote it")
            return None
        if not value.strip():
            self.error((*path, key), "must not be empty")
            return None
        return value

    def texts(self, data: dict[str, Any], path: Path_, key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error((*path, key), f"expected a list of strings, got {_type_name(value)}")
            return ()
        result = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                result.append(item)
            else:
                self.error((*path, key, i), f"expected a non-empty string, got {_type_name(item)}")
        return tuple(result)

    def enum(self, data: dict[str, Any], path: Path_, key: str, kind: type[E], default: E) -> E:
        value = data.get(key)
        if value is None:
            return default
        try:
            return kind(value)  # type: ignore[call-arg]
        except ValueError:
            allowed = ", ".join(m.value for m in kind)  # type: ignore[attr-defined]
            self.error((*path, key), f"{value!r} is not one of: {allowed}")
            return default


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def parse_concept(doc: YamlDocument, expected_id: str, sink: ErrorSink) -> Concept | None:
    """Build a Concept from a concept.yaml document; None when it is too broken to use."""
    r = _Reader(doc, sink)
    data = r.mapping(doc.data, (), CONCEPT_KEYS)
    if data is None:
        return None
    concept_id = r.text(data, (), "id", required=True)
    if concept_id is not None and concept_id != expected_id:
        r.error(("id",), f"id {concept_id!r} does not match its directory {expected_id!r}")
    severity = data.get("severity")
    if severity is None:
        r.error((), "severity is required (the default for the concept's terms)")
    labels = _labels(r, data.get("labels"))
    description = r.text(data, (), "description", required=True) or ""
    species = tuple(
        s for i, item in enumerate(_list(r, data, (), "species")) if (s := _species(r, item, i))
    )
    concept = Concept(
        id=expected_id,
        labels=labels,
        description=description,
        severity=r.enum(data, (), "severity", Severity, Severity.REVIEW),
        role=r.enum(data, (), "role", Role, Role.PRODUCT),
        cancels=None if data.get("cancels") is None else r.enum(data, (), "cancels", Cancels, Cancels.NEAR),
        scope=r.enum(data, (), "scope", Scope, Scope.ALL),
        counts_as=r.texts(data, (), "counts_as"),
        species=species,
        exclude=r.texts(data, (), "exclude"),
        examples=r.texts(data, (), "examples"),
        counter_examples=r.texts(data, (), "counter_examples"),
        location=doc.location(()),
    )
    if concept.scope is Scope.QUERIES and concept.cancels is None:
        r.error(("scope",), "scope 'queries' limits where a concept cancels: it needs 'cancels' too")
    for i, other in enumerate(concept.counts_as):
        if not CONCEPT_ID.match(other):
            r.error(("counts_as", i), f"{other!r} is not a concept id (lower case, digits and underscores)")
    if concept.counts_as and concept.role is not Role.PRODUCT:
        r.error(("counts_as",), "only a product concept's terms can count as another concept's: "
                                "a context concept's terms are context already")
    return None if concept_id is None else concept


def _list(r: _Reader, data: dict[str, Any], path: Path_, key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        r.error((*path, key), f"expected a list, got {_type_name(value)}")
        return []
    return value


def _labels(r: _Reader, value: Any) -> dict[str, str]:
    if value is None:
        r.error((), "labels is required (one display name per language)")
        return {}
    if not isinstance(value, dict):
        r.error(("labels",), f"expected a mapping of language to label, got {_type_name(value)}")
        return {}
    labels: dict[str, str] = {}
    for lang, label in value.items():
        if not LANG_TAG.match(lang):
            r.error(("labels", lang), f"{lang!r} is not a BCP-47 language tag")
        elif not isinstance(label, str) or not label.strip():
            r.error(("labels", lang), "expected a non-empty string")
        else:
            labels[lang] = label
    return labels


def _species(r: _Reader, item: Any, i: int) -> Species | None:
    path: Path_ = ("species", i)
    data = r.mapping(item, path, SPECIES_KEYS)
    if data is None:
        return None
    name = r.text(data, path, "scientific_name", required=True)
    if name is None:
        return None
    gbif = data.get("gbif_key")
    return Species(
        scientific_name=name,
        common_name=r.text(data, path, "common_name"),
        cites_appendix=r.text(data, path, "cites_appendix"),
        gbif_key=None if gbif is None else str(gbif),
    )


def parse_terms(
    doc: YamlDocument, concept: Concept | None, concept_id: str, lang: str, sink: ErrorSink
) -> list[Term]:
    """Build the terms of one `<lang>.yaml` file; broken entries are reported and skipped."""
    r = _Reader(doc, sink)
    data = r.mapping(doc.data, (), ("terms",))
    if data is None:
        return []
    entries = data.get("terms")
    if not isinstance(entries, list):
        r.error(("terms",) if "terms" in data else (), "terms must be a list of entries")
        return []
    default = concept.severity if concept else Severity.REVIEW
    terms = []
    for i, entry in enumerate(entries):
        term = _term(_Reader(doc, sink), entry, ("terms", i), concept_id, lang, default)
        if term is not None:
            terms.append(term)
    return terms


def _term(
    r: _Reader, entry: Any, path: Path_, concept_id: str, lang: str, default: Severity
) -> Term | None:
    data = r.mapping(entry, path, TERM_KEYS)
    if data is None:
        return None
    text = r.text(data, path, "term", required=True)
    kind_value = data.get("kind")
    if kind_value is None:
        r.error(path, "kind is required")
    status = r.enum(data, path, "status", Status, Status.PROPOSED)
    if data.get("status") is None:  # `status:` left empty must not silently mean proposed
        r.error(path, "status is required (proposed, approved or retired)")
    sources = tuple(
        s for i, item in enumerate(_list(r, data, path, "sources"))
        if (s := _source(r, item, (*path, "sources", i)))
    )
    if status is Status.APPROVED and not sources and "sources" not in data:
        r.error(path, "sources: an approved term needs at least one source")
    elif status is Status.APPROVED and not sources:
        r.error((*path, "sources"), "an approved term needs at least one source")
    added = r.text(data, path, "added")
    if added is not None and not DATE.match(added):
        r.error((*path, "added"), f"{added!r} is not a date (YYYY-MM-DD)")
    window = data.get("window")
    if window is not None and (
        not isinstance(window, int) or isinstance(window, bool) or not 0 < window <= MAX_WINDOW
    ):
        r.error((*path, "window"), f"expected a whole number of characters from 1 to {MAX_WINDOW}")
        window = None
    hashtag = data.get("hashtag", False)
    if not isinstance(hashtag, bool):
        r.error((*path, "hashtag"), "expected true or false")
        hashtag = False
    if text is not None and len(text) > MAX_TERM_CHARS:
        r.error((*path, "term"), f"longer than {MAX_TERM_CHARS} characters")
    term = Term(
        term=text or "",
        concept=concept_id,
        lang=lang,
        kind=r.enum(data, path, "kind", Kind, Kind.NAME),
        severity=r.enum(data, path, "severity", Severity, default),
        status=status,
        sources=sources,
        added=added,
        contributor=r.text(data, path, "contributor"),
        note=r.text(data, path, "note"),
        context=r.texts(data, path, "context"),
        exclude=r.texts(data, path, "exclude"),
        window=window,
        examples=r.texts(data, path, "examples"),
        counter_examples=r.texts(data, path, "counter_examples"),
        sensitivity=r.enum(data, path, "sensitivity", Sensitivity, Sensitivity.PUBLIC),
        hashtag=hashtag,
        location=r.doc.location(path),
    )
    return None if r.failed else term


def _source(r: _Reader, item: Any, path: Path_) -> Source | None:
    data = r.mapping(item, path, SOURCE_KEYS)
    if data is None:
        return None
    title = r.text(data, path, "title", required=True)
    url = r.text(data, path, "url")
    if url is not None and not URL.match(url):
        r.error((*path, "url"), f"{url!r} is not an http(s) URL")
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1800 <= year <= 2100):
        r.error((*path, "year"), f"{year!r} is not a year")
        year = None
    quote = r.text(data, path, "quote")
    if quote is not None and len(quote) > MAX_QUOTE_CHARS:
        r.error((*path, "quote"),
                f"longer than {MAX_QUOTE_CHARS} characters; quote the sentence that shows the term")
    quote_missing = data.get("quote_missing", False)
    if not isinstance(quote_missing, bool):
        r.error((*path, "quote_missing"), "expected true or false")
        quote_missing = False
    if quote is not None and quote_missing:
        r.error((*path, "quote_missing"), "a source with a quote is not missing one; remove quote_missing")
    source_kind: SourceKind | None = r.enum(data, path, "kind", SourceKind, None)
    if title is None:
        return None
    return Source(title=title, url=url, year=year, kind=source_kind, quote=quote,
                  quote_missing=quote_missing)
