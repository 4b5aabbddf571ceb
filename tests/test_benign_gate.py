"""The benign-corpus gate: legitimate listings must produce no unreviewed block or review finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED, need_corpora
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.lexicon.model import Severity
from wildcli.match.matcher import Matcher, MatchOptions
from wildcli.quality.benign import (
    SOURCES,
    BenignHit,
    BenignSource,
    compare,
    describe,
    load_known,
    missing_sources,
    record_hash,
    scan_benign,
    suggest_entry,
)
from wildcli.readers import Record

KNOWN = ROOT / "lexicons" / "known_false_positives.yaml"


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return load_lexicon([], with_bundled=True)


@pytest.fixture(scope="module")
def benign_hits(bundled: Lexicon) -> list[BenignHit]:
    """One scan of every benign source with the default options, whatever they become."""
    need_corpora()
    missing = missing_sources(SHARED)
    if missing:
        pytest.skip(f"benign sources missing under {SHARED}: {', '.join(missing)}")
    return scan_benign(SHARED, Matcher(bundled, MatchOptions()))


def test_known_false_positives_are_reviewed_entries(bundled: Lexicon) -> None:
    entries, problems = load_known(KNOWN)
    assert problems == []
    active = {(t.concept, t.term) for t in bundled.active_terms()}
    for entry in entries:
        assert len(entry.reason) >= 40, f"{entry}: say why it is legitimate and cannot be fixed"
        assert (entry.concept, entry.term) in active, f"{entry}: no such approved term"
    assert len({(e.record, e.concept, e.term) for e in entries}) == len(entries), "duplicate entries"


def test_benign_corpora_have_no_unreviewed_findings(benign_hits: list[BenignHit]) -> None:
    entries, _ = load_known(KNOWN)
    new = compare(benign_hits, entries).new
    assert not new, (
        f"{len(new)} block/review findings on legitimate text. Fix the lexicon (exclude, context, "
        f"severity) or, if that would hide real offers, add a reviewed entry to {KNOWN.name}:\n"
        + "\n".join(describe(h) for h in new)
        + "\n\nEntries to complete with a reason:\n" + "".join(suggest_entry(h) for h in new)
    )


def test_every_known_false_positive_still_fires(benign_hits: list[BenignHit]) -> None:
    entries, _ = load_known(KNOWN)
    stale = compare(benign_hits, entries).stale
    assert not stale, "no longer fire, delete them from known_false_positives.yaml:\n" + "\n".join(
        f"  {e.record} {e.concept}:{e.term} ({e.source})" for e in stale
    )


# The gate's own behaviour, on small files written by each test and the fixture lexicon.

LISTINGS = [
    {"post_id": "p1", "title": "Road bike, 54 cm", "description": "Barely used"},
    {"post_id": "p2", "title": "Carved ivory netsuke", "description": "Heirloom, DM for price"},
    {"post_id": "p3", "title": "Ivory wedding dress", "description": "size 10, DM for price"},
]
SOURCE = BenignSource("corpora/listings.jsonl", ("title", "description"), "post_id")


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    (tmp_path / "corpora").mkdir()
    lines = "".join(json.dumps(r) + "\n" for r in LISTINGS)
    (tmp_path / "corpora" / "listings.jsonl").write_text(lines, "utf-8")
    return tmp_path


def test_gate_reports_source_record_term_and_context(shared: Path, fixture_matcher: Matcher) -> None:
    hits = scan_benign(shared, fixture_matcher, [SOURCE])
    assert [(h.record, h.concept, h.term, h.severity) for h in hits] == [
        ("p2", "ivory", "ivory", Severity.REVIEW)
    ]
    line = describe(hits[0])
    assert line.startswith("listings.jsonl record p2 (row 2, hash ")
    assert "ivory:'ivory' (en) in title: …Carved [ivory] netsuke…" in line
    assert record_hash(Record("x", 2, "p2", {"title": "Carved ivory netsuke", "description": "Heirloom, DM for price"})) == hits[0].record_hash


def test_known_entry_suppresses_its_finding_and_stale_entries_show(
    shared: Path, fixture_matcher: Matcher, tmp_path: Path
) -> None:
    hit = scan_benign(shared, fixture_matcher, [SOURCE])[0]
    known = tmp_path / "known.yaml"
    known.write_text(
        "entries:\n" + suggest_entry(hit).replace('reason: ""', "reason: a museum replica")
        + "  - record: 0123456789ab\n    concept: ivory\n    term: ivory\n    reason: gone\n",
        "utf-8",
    )
    entries, problems = load_known(known)
    assert problems == []
    result = compare([hit], entries)
    assert result.new == ()
    assert [e.record for e in result.stale] == ["0123456789ab"]
    assert not result.ok


def test_appended_selling_phrase_turns_a_collision_into_a_finding(tmp_path: Path, fixture_matcher: Matcher) -> None:
    (tmp_path / "phrases.tsv").write_text("phrase\tlanguage\nOld ivory box\ten\n", "utf-8")
    bare = BenignSource("phrases.tsv", ("phrase",))
    sold = BenignSource("phrases.tsv", ("phrase",), append=", DM for price")
    assert scan_benign(tmp_path, fixture_matcher, [bare]) == []
    hits = scan_benign(tmp_path, fixture_matcher, [sold])
    assert [(h.source, h.record, h.term) for h in hits] == [("phrases.tsv (+'DM for price')", "1", "ivory")]


def test_entries_without_reason_or_with_a_bad_hash_are_refused(tmp_path: Path) -> None:
    known = tmp_path / "known.yaml"
    known.write_text(
        "entries:\n"
        "  - {record: 0123456789ab, concept: ivory, term: ivory, reason: ''}\n"
        "  - {record: not-hex, concept: ivory, term: ivory, reason: fine}\n"
        "  - {record: 0123456789ab, concept: ivory, term: ivory, reason: fine}\n",
        "utf-8",
    )
    entries, problems = load_known(known)
    assert len(entries) == 1
    assert problems == [
        f"{known}: entries[0]: missing or empty reason",
        f"{known}: entries[1]: record must be a lower-case hex sha256 prefix (8 to 64 digits)",
    ]


def test_missing_sources_are_named(tmp_path: Path) -> None:
    assert missing_sources(tmp_path, SOURCES) == sorted({s.path for s in SOURCES})
