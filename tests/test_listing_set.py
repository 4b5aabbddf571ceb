"""The labelled listing set in tests/data/listings: its format, its split, and `eval` on it."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter

import pytest
from rapidfuzz import fuzz, process

from tests.cli.helpers import run
from tests.conftest import DATA, ROOT

LISTINGS = DATA / "listings"
FILES = ("dev.tsv", "heldout.tsv")
LATER = tuple(sorted(path.name for path in LISTINGS.glob("dev[0-9]*.tsv")))
"""Development sets written later, for tuning only: no held-out half (the README says why)."""
COLUMNS = ["id", "title", "description", "label", "lang", "family", "disguise", "concept"]
# Chinese counts Simplified and Traditional together.
LANGUAGE_OF = {"zh-Hans": "zh", "zh-Hant": "zh", "vi": "vi", "th": "th", "id": "id", "es": "es"}
MIN_ROWS = 150
NEAR = 85
"""Similarity (rapidfuzz ratio, 0-100) from which two listings count as one written twice."""
POSITIVE_FAMILIES = {"plain", "code_word", "disguised"}
BENIGN_FAMILIES = {"colour", "pattern", "dish", "brand", "toy", "place", "imitation", "news", "other"}
DISGUISES = {
    "spacing", "separator", "zero_width", "leet", "no_diacritics", "hashtag", "romanised",
    "abbreviation", "misspelling", "mixed_script", "repeated", "mixed_case",
}


def read(name: str) -> list[dict[str, str]]:
    text = (LISTINGS / name).read_text("utf-8")
    assert "\r" not in text, f"{name}: LF line ends only"
    lines = text.splitlines()
    assert lines[0].split("\t") == COLUMNS, f"{name}: header"
    rows = []
    for number, line in enumerate(lines[1:], 2):
        values = line.split("\t")
        assert len(values) == len(COLUMNS), f"{name}:{number}: {len(values)} fields"
        rows.append(dict(zip(COLUMNS, values, strict=True)) | {"file": name, "line": str(number)})
    return rows


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return [row for name in FILES for row in read(name)]


@pytest.fixture(scope="module")
def every_row(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The split set and the later development sets."""
    return rows + [row for name in LATER for row in read(name)]


def test_every_row_has_a_label_a_language_a_family_and_a_concept(every_row: list[dict[str, str]]) -> None:
    concepts = {p.name for p in (ROOT / "lexicons").iterdir() if (p / "concept.yaml").is_file()}
    for row in every_row:
        where = f"{row['file']}:{row['line']}"
        assert row["label"] in {"0", "1"}, where
        assert row["lang"] in LANGUAGE_OF, where
        assert row["id"].startswith(row["lang"] + "-"), where
        assert row["title"].strip() == row["title"] != "", where
        assert row["description"].strip() == row["description"] != "", where
        families = POSITIVE_FAMILIES if row["label"] == "1" else BENIGN_FAMILIES
        assert row["family"] in families, where
        if row["family"] == "disguised":
            assert row["disguise"] in DISGUISES, where
        else:
            assert row["disguise"] == "", where
        assert row["concept"] in concepts, where


def test_ids_and_titles_are_unique(every_row: list[dict[str, str]]) -> None:
    """Across every file: a later development set that repeated a held-out listing would make
    that listing's held-out figure a tuned one."""
    assert len({row["id"] for row in every_row}) == len(every_row)
    titles = Counter(unicodedata.normalize("NFKC", row["title"]).casefold() for row in every_row)
    assert [t for t, n in titles.items() if n > 1] == []


def test_no_later_listing_is_near_a_held_out_one(every_row: list[dict[str, str]]) -> None:
    """Listings written from the same reports can meet by chance: a later development listing
    that is nearly a held-out one (the same words, a number changed) would tune on it too."""
    def text(row: dict[str, str]) -> str:
        return unicodedata.normalize("NFKC", f"{row['title']} {row['description']}").casefold()

    held = [text(row) for row in every_row if row["file"] == "heldout.tsv"]
    near = [
        (row["file"], row["id"]) for row in every_row if row["file"] in LATER
        and process.extractOne(text(row), held, scorer=fuzz.ratio, score_cutoff=NEAR) is not None
    ]
    assert near == []


@pytest.mark.parametrize("name", LATER)
def test_a_later_set_is_in_id_order_and_named_in_the_readme(name: str) -> None:
    mine = read(name)
    assert mine
    assert [row["id"] for row in mine] == sorted(row["id"] for row in mine)
    readme = (LISTINGS / "README.md").read_text("utf-8")
    assert f"`{name}` ({len(mine)} listings" in readme


def test_each_language_has_enough_listings_of_both_labels(rows: list[dict[str, str]]) -> None:
    per_language = Counter((LANGUAGE_OF[row["lang"]], row["label"]) for row in rows)
    for language in set(LANGUAGE_OF.values()):
        total = per_language[(language, "0")] + per_language[(language, "1")]
        assert total >= MIN_ROWS, language
        # Neither class below two fifths, so precision and recall both mean something.
        assert min(per_language[(language, "0")], per_language[(language, "1")]) >= 0.4 * total, language


def _digest(title: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFKC", title).casefold().encode("utf-8")).hexdigest()


def test_the_split_follows_its_rule(rows: list[dict[str, str]]) -> None:
    """As the README says: per language and label, ordered by family, disguise and the title's
    digest, alternate rows go to dev and to heldout, so each half holds half of every family."""
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault((row["lang"], row["label"]), []).append(row)
    for group in groups.values():
        ordered = sorted(group, key=lambda r: (r["family"], r["disguise"], _digest(r["title"])))
        assert [r["file"] for r in ordered] == [FILES[i % 2] for i in range(len(ordered))]


def test_the_readme_counts_match_the_files(rows: list[dict[str, str]]) -> None:
    readme = (LISTINGS / "README.md").read_text("utf-8")
    dev = sum(row["file"] == "dev.tsv" for row in rows)
    assert f"A set of {len(rows)} listings" in readme
    assert f"`dev.tsv` ({dev} listings)" in readme
    assert f"`heldout.tsv` ({len(rows) - dev} listings)" in readme


@pytest.mark.parametrize("name", FILES + LATER)
def test_eval_scores_each_file_per_language_family_and_disguise(name: str, every_row: list[dict[str, str]]) -> None:
    mine = [row for row in every_row if row["file"] == name]
    result = run(
        "eval", str(LISTINGS / name), "--label-field", "label", "--fields", "title,description",
        "--by", "lang,family,disguise", "--format", "json",
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["records"], report["unlabelled"]) == (len(mine), 0)
    assert report["positives"] == sum(row["label"] == "1" for row in mine)
    assert report["fields"] == ["title", "description"]
    for field in ("lang", "family", "disguise"):
        counted = {g["value"]: (g["records"], g["positives"]) for g in report["groups"] if g["field"] == field}
        expected = Counter(row[field] for row in mine)
        positives = Counter(row[field] for row in mine if row["label"] == "1")
        assert counted == {value: (n, positives[value]) for value, n in expected.items()}, field
