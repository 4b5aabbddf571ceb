"""Every shared corpus and the bundled sample scan without errors, with exact evidence offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPORA, EXAMPLES, need_corpora
from wildcli.errors import InputError
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.match.matcher import Matcher
from wildcli.readers import read_records
from wildcli.scanning.local import scan_record

pytestmark = pytest.mark.corpora

CORPUS_FILES = [
    "wlt_osn_ivory_tweets.csv",
    "au_bird_classifieds_labeled_stemmed.csv",
    "craigslist_forsale_2017.jsonl",
    "shopee_tw_product_titles_zh.csv",
    "vn_ecommerce_sample_titles.jsonl",
]


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return load_lexicon()


def scan_checking_offsets(path: Path, matcher: Matcher) -> tuple[int, int]:
    errors: list[InputError] = []
    records = findings = 0
    for record in read_records(str(path), on_error=errors.append):
        records += 1
        for f in scan_record(record, matcher):
            findings += 1
            text = record.fields[f.field or ""]
            assert text[f.start:f.end] == f.matched, (record.id, f)
            assert f.matched
    assert errors == []
    return records, findings


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_scans_cleanly(name: str, bundled: Lexicon) -> None:
    need_corpora()
    records, _ = scan_checking_offsets(CORPORA / name, Matcher(bundled))
    assert records > 0


@pytest.mark.parametrize("name", ["listings.csv", "listings.jsonl"])
def test_bundled_sample_scans_cleanly(name: str, bundled: Lexicon) -> None:
    records, findings = scan_checking_offsets(EXAMPLES / name, Matcher(bundled))
    assert records == 80
    assert findings > 40


def test_bundled_query_log_scans_cleanly(bundled: Lexicon) -> None:
    records, findings = scan_checking_offsets(EXAMPLES / "queries.tsv", Matcher(bundled))
    assert records == 52
    assert findings > 30
    counts = [r.count for r in read_records(str(EXAMPLES / "queries.tsv"))]
    assert sum(counts) == 60_420
    assert max(counts) == 14_200
