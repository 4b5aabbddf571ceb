"""The benign-corpus gate: block and review findings on text known to be legitimate.

Every such finding must be fixed in the lexicon or listed, with a reason, in a reviewed file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from wildcli.errors import LexiconError
from wildcli.lexicon.model import Severity
from wildcli.lexicon.yamlfile import read_yaml
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions, Record, read_records
from wildcli.scanning.local import scan_batches

__all__ = [
    "SOURCES", "BenignHit", "BenignSource", "GateResult", "KnownFalsePositive", "compare",
    "describe", "load_known", "missing_sources", "record_hash", "scan_benign", "suggest_entry",
]

HASH_CHARS = 12
"""Hex digits of the record hash kept in the known list: enough to be unique across the corpora."""
EXCERPT = 40
_HEX = re.compile(r"^[0-9a-f]{8,64}$")


@dataclass(frozen=True)
class BenignSource:
    """A file of legitimate text under the shared directory, and which of its fields to scan.

    `append` is added to every scanned field: a selling phrase turns a bare collision ("ivory
    wedding dress") into the harder case of an offer that only looks like wildlife trade.
    """

    path: str
    fields: tuple[str, ...]
    id_field: str | None = None
    append: str = ""

    @property
    def name(self) -> str:
        base = Path(self.path).name
        return f"{base} (+{self.append.strip(' ,')!r})" if self.append else base


SOURCES: tuple[BenignSource, ...] = (
    BenignSource("corpora/craigslist_forsale_2017.jsonl", ("title", "description"), "post_id"),
    # The English reference titles are human translations: a second, English, benign corpus.
    BenignSource("corpora/shopee_tw_product_titles_zh.csv", ("title_zh", "title_en_reference"), "id"),
    BenignSource("corpora/vn_ecommerce_sample_titles.jsonl", ("product_name", "category"), "product_id"),
    BenignSource("research/false_positives.tsv", ("phrase",)),
    BenignSource("research/false_positives.tsv", ("phrase",), append=", DM for price"),
)
"""The gate's inputs, relative to the shared directory (`WILDCLI_SHARED`)."""


def record_hash(record: Record) -> str:
    """sha256 of the record's scanned text fields (in field order, joined by U+001F), shortened.

    It names a record without copying its text into the repository (the corpora's licences
    allow evaluation only), and it changes when the text does, so a stale entry shows.
    """
    data = "\x1f".join(record.fields.values()).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


@dataclass(frozen=True)
class BenignHit:
    """A block or review finding on a benign record, with what a reviewer needs to judge it."""

    source: str
    record: str
    row: int
    record_hash: str
    field: str
    concept: str
    term: str
    lang: str
    severity: Severity
    matched: str
    before: str
    after: str


def missing_sources(shared: Path, sources: Sequence[BenignSource] = SOURCES) -> list[str]:
    """The gate's input files that are not under `shared`."""
    return sorted({s.path for s in sources if not (shared / s.path).is_file()})


def _records(shared: Path, source: BenignSource) -> Iterator[Record]:
    options = ReadOptions(fields=source.fields, id_field=source.id_field)
    for record in read_records(str(shared / source.path), options):
        if source.append:
            fields = {k: v + source.append for k, v in record.fields.items()}
            record = replace(record, fields=fields)
        yield record


def scan_benign(
    shared: Path, matcher: Matcher, sources: Sequence[BenignSource] = SOURCES
) -> list[BenignHit]:
    """Every block or review finding in the benign sources; a bad row raises (the inputs are fixed)."""
    hits: list[BenignHit] = []
    for source in sources:
        for record, all_found in scan_batches(_records(shared, source), matcher):
            found = [f for f in all_found if f.severity.at_least(Severity.REVIEW)]
            digest = record_hash(record) if found else ""
            hits.extend(
                BenignHit(
                    source.name, record.id, record.row, digest, f.field or "", f.concept, f.term,
                    f.lang, f.severity, f.matched, f.before, f.after,
                )
                for f in found
            )
    return hits


@dataclass(frozen=True)
class KnownFalsePositive:
    """A reviewed benign finding that the lexicon cannot avoid without losing real offers."""

    record: str
    concept: str
    term: str
    reason: str
    source: str = ""

    def covers(self, hit: BenignHit) -> bool:
        return (hit.record_hash.startswith(self.record) and hit.concept == self.concept
                and hit.term == self.term)


def load_known(path: Path) -> tuple[list[KnownFalsePositive], list[str]]:
    """The entries of a known-false-positives file, and a message for each malformed one."""
    try:
        data = read_yaml(path).data
    except LexiconError as error:
        return [], [str(error)]
    raw = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return [], [f"{path}: expected a mapping with an `entries` list"]
    entries: list[KnownFalsePositive] = []
    problems: list[str] = []
    for i, item in enumerate(raw):
        where = f"{path}: entries[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        values = {k: item.get(k) for k in ("record", "concept", "term", "reason", "source")}
        empty = [k for k in ("record", "concept", "term", "reason") if not str(values[k] or "").strip()]
        if empty:
            problems.append(f"{where}: missing or empty {', '.join(empty)}")
            continue
        if not _HEX.match(str(values["record"])):
            problems.append(f"{where}: record must be a lower-case hex sha256 prefix (8 to 64 digits)")
            continue
        text = {k: str(v or "").strip() for k, v in values.items()}
        entries.append(KnownFalsePositive(
            text["record"], text["concept"], text["term"], text["reason"], text["source"]
        ))
    return entries, problems


@dataclass(frozen=True)
class GateResult:
    """Findings that nobody reviewed yet, and reviewed entries that no longer fire."""

    new: tuple[BenignHit, ...]
    stale: tuple[KnownFalsePositive, ...]

    @property
    def ok(self) -> bool:
        return not self.new and not self.stale


def compare(hits: Iterable[BenignHit], known: Sequence[KnownFalsePositive]) -> GateResult:
    hits = list(hits)
    new = tuple(h for h in hits if not any(k.covers(h) for k in known))
    stale = tuple(k for k in known if not any(k.covers(h) for h in hits))
    return GateResult(new, stale)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def describe(hit: BenignHit) -> str:
    """One readable line: where the finding is, which term fired, and the text around it."""
    before, after = _flat(hit.before)[-EXCERPT:], _flat(hit.after)[:EXCERPT]
    return (
        f"{hit.source} record {hit.record} (row {hit.row}, hash {hit.record_hash}): "
        f"{hit.severity.value} {hit.concept}:{hit.term!r} ({hit.lang}) in {hit.field}: "
        f"…{before}[{_flat(hit.matched)}]{after}…"
    )


def suggest_entry(hit: BenignHit) -> str:
    """A known-false-positives entry to paste, once a reviewer has written the reason."""
    return (
        f"  - record: {hit.record_hash}\n    source: {hit.source.split(' ')[0]}\n"
        f"    concept: {hit.concept}\n    term: {json.dumps(hit.term, ensure_ascii=False)}\n"
        f"    reason: \"\"\n"
    )
