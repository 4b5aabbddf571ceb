"""The labelled query sets of tests/data/queries keep the rules their README gives them: columns,
labels and families, the hash split, the order, and no query twice across all the files."""

from __future__ import annotations

import csv
import hashlib
import unicodedata

import pytest

from tests.conftest import DATA, ROOT

QUERIES = DATA / "queries"
SETS = {"dev.tsv": "dev", "heldout.tsv": "heldout", "dev2.tsv": "dev", "heldout2.tsv": "heldout",
        "dev3.tsv": "dev", "heldout3.tsv": "heldout", "dev4.tsv": "dev", "heldout4.tsv": "heldout",
        "dev5.tsv": "dev", "dev6.tsv": "dev", "dev7.tsv": "dev",
        "dev8.tsv": "dev", "dev9.tsv": "dev"}
SHUFFLED = {"dev3.tsv", "heldout3.tsv", "dev4.tsv", "heldout4.tsv"}
"""Split by a seeded shuffle, not by the hash rule (the README says why)."""
UNSPLIT = {"dev5.tsv", "dev6.tsv", "dev7.tsv", "dev8.tsv", "dev9.tsv"}
"""Written for tuning after the lexicon's gaps were probed: no held-out half (the README says why)."""
POSITIVE = {"plain", "disguised"}
BENIGN = {"colour", "pattern", "brand", "toy", "dish", "other"}


def key(query: str) -> str:
    return unicodedata.normalize("NFKC", query).casefold()


def split(query: str) -> str:
    return "dev" if hashlib.sha256(key(query).encode("utf-8")).digest()[0] % 2 == 0 else "heldout"


def rows(name: str) -> list[list[str]]:
    text = (QUERIES / name).read_text("utf-8")
    assert "\r" not in text
    return list(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("name", ["dev2.tsv", "heldout2.tsv", "dev3.tsv", "heldout3.tsv", "dev4.tsv", "heldout4.tsv",
                                  "dev5.tsv", "dev6.tsv", "dev7.tsv", "dev8.tsv", "dev9.tsv"])
def test_later_set_rows_follow_the_readme(name: str) -> None:
    header, *body = rows(name)
    assert header == ["query", "label", "lang", "family", "concept"]
    assert body
    for row in body:
        assert len(row) == 5, row
        query, label, _, family, concept = row
        assert query == query.strip(), row
        assert 1 <= len(query.split()) <= 8, row
        assert family in (POSITIVE if label == "1" else BENIGN if label == "0" else set()), row
        assert (ROOT / "lexicons" / concept / "concept.yaml").is_file(), row
        assert name in SHUFFLED | UNSPLIT or split(query) == SETS[name], row
        assert "3." not in name or label == "0", row  # the third set holds benign searches only
    assert body == sorted(body, key=lambda r: (r[2], r[3], r[0]))


def test_no_query_twice_across_the_sets() -> None:
    seen: dict[str, str] = {}
    for name in SETS:
        for row in rows(name)[1:]:
            assert key(row[0]) not in seen, f"{row[0]!r} in {name} and {seen[key(row[0])]}"
            seen[key(row[0])] = name


def test_second_set_is_benign_searches_in_ten_languages_or_more() -> None:
    body = [r for name in ("dev2.tsv", "heldout2.tsv") for r in rows(name)[1:]]
    benign = [r for r in body if r[1] == "0"]
    assert len(benign) >= 150
    assert len({r[2] for r in benign}) >= 10


def test_files_are_where_the_readme_says() -> None:
    readme = (QUERIES / "README.md").read_text("utf-8")
    assert all(f"`{name}`" in readme for name in SETS)


def test_third_set_is_benign_searches_in_ten_languages_or_more() -> None:
    body = [r for name in ("dev3.tsv", "heldout3.tsv") for r in rows(name)[1:]]
    assert len(body) >= 100
    assert len({r[2] for r in body}) >= 10


def test_fourth_set_is_benign_searches_in_twelve_languages_with_equal_halves() -> None:
    dev, heldout = rows("dev4.tsv")[1:], rows("heldout4.tsv")[1:]
    benign = [r for r in dev + heldout if r[1] == "0"]
    assert len(benign) >= 160
    assert len({r[2] for r in benign}) >= 12
    assert len(dev) == len(heldout)
    assert sum(r[1] == "1" for r in dev) == sum(r[1] == "1" for r in heldout)  # each label halved
