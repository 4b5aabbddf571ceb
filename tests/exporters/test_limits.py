"""Targets' size limits: lists are split into parts, or the overflow is reported, never dropped."""

from __future__ import annotations

import json

import pytest

from wildcli.exporters import ExportFormat, RenderOptions, ads
from wildcli.exporters.selection import ExportOptions, feasibility_report, render_export
from wildcli.lexicon import Concept, Kind, Lexicon, Severity, Status, Term


def synthetic(concepts: int, terms_per_concept: int = 1) -> Lexicon:
    """`concepts` concepts of `terms_per_concept` distinct one-word terms each."""
    ids = [f"c{i:05d}" for i in range(concepts)]
    return Lexicon(
        concepts={c: Concept(c, {"en": c}, "synthetic", Severity.BLOCK) for c in ids},
        terms=tuple(
            Term(f"{c}w{j}", c, "en", Kind.NAME, Severity.BLOCK, Status.APPROVED)
            for c in ids for j in range(terms_per_concept)
        ),
    )


def test_es_synonyms_api_splits_at_10000_rules_per_set() -> None:
    result = render_export(synthetic(10_001), ExportFormat.ES_SYNONYMS_API)
    block = [p for p in result.parts if p.role == "block"]
    sets = [json.loads(p.text)["synonyms_set"] for p in block]
    assert [len(s) for s in sets] == [10_000, 1]
    assert [p.index for p in block] == [1, 2]
    assert sets[1][0]["id"] == "c10000"
    assert "split into 2 synonym sets" in result.notes[0]


@pytest.mark.parametrize("fmt", [ExportFormat.GOOGLE_ADS, ExportFormat.MICROSOFT_ADS])
def test_ads_lists_split_at_5000_keywords(fmt: ExportFormat) -> None:
    result = render_export(synthetic(5_001), fmt)
    assert [(p.role, p.index, p.text.count("\n")) for p in result.parts] == [
        ("block", 1, 5_000), ("block", 2, 1), ("warn", 1, 0)]
    assert not result.problems


def test_google_ads_reports_more_than_20_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ads, "LIST_SIZE", 2)
    google = render_export(synthetic(41), ExportFormat.GOOGLE_ADS)
    assert len([p for p in google.parts if p.role == "block"]) == 21
    assert [p.reason for p in google.problems] == ["is split into 21 lists; Google Ads allows 20 per account"]
    assert feasibility_report(google) == ["google-ads: the list is split into 21 lists; Google Ads allows 20 per account"]
    assert not render_export(synthetic(41), ExportFormat.MICROSOFT_ADS).problems


def test_azure_batches_of_100_and_the_10000_item_budget() -> None:
    result = render_export(synthetic(101), ExportFormat.AZURE_BLOCKLIST)
    assert [len(json.loads(line)["blocklistItems"]) for line in result.texts("block").splitlines()] == [100, 1]
    big = render_export(synthetic(1_001, 10), ExportFormat.AZURE_BLOCKLIST)
    assert [p.reason for p in big.problems] == ["has 10,010 items; a Content Safety resource holds 10,000 in total"]


def test_regex_splits_a_concept_over_512_characters() -> None:
    result = render_export(synthetic(1, 100), ExportFormat.REGEX)
    patterns = [line.split("\t")[2] for line in result.parts[0].text.splitlines()[1:]]
    assert len(patterns) > 1
    assert all(len(p) <= 512 for p in patterns)
    terms = [f"c00000w{j}" for j in range(100)]
    assert all(sum(f"{t})" in p or f"{t}|" in p for p in patterns) == 1 for t in terms)


def test_regex_pattern_limit_is_an_option() -> None:
    options = ExportOptions(render=RenderOptions(max_pattern_chars=5_000))
    assert len(render_export(synthetic(1, 100), ExportFormat.REGEX, options).parts[0].text.splitlines()) == 2


def test_comma_list_reports_an_overlong_field() -> None:
    result = render_export(synthetic(6_000), ExportFormat.COMMA_LIST)
    assert result.problems[0].reason.startswith("is 59,998 characters long")


def test_empty_selection_renders_empty_but_valid_files() -> None:
    empty = Lexicon(concepts={}, terms=())
    for fmt in ExportFormat:
        if fmt is ExportFormat.HASHED:
            continue
        result = render_export(empty, fmt, ExportOptions())
        assert len({(p.role, p.index) for p in result.parts}) == len(result.parts) >= 1
        if fmt in (ExportFormat.JSON, ExportFormat.ES_SYNONYMS_API):
            for part in result.parts:
                json.loads(part.text)
