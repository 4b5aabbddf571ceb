"""`wildcli explain`: the views of a text and why each candidate matched or not."""

from __future__ import annotations

import json

from tests.cli.helpers import FIXTURE, run


def test_explain_text_shows_views_candidates_and_reasons() -> None:
    result = run("explain", "Carved 1v0ry, i.v.o.r.y and #IvoryCoast", *FIXTURE)
    assert result.exit_code == 0
    out = result.stdout
    assert "skeleton  'carved ivory, ivory and #ivorycoast'" in out
    assert "by leet 0.80 in skeleton: excluded by 'IvoryCoast'" in out
    assert "Dropped before judging:" in out
    assert "part of a longer word" in out
    assert out.endswith("0 findings\n")


def test_explain_json() -> None:
    result = run("explain", "bán vòng nga voi, carved ivory", "--format", "json", *FIXTURE)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [v["name"] for v in data["views"]] == ["original", "base", "folded"]
    reported = {c["term"]: c for c in data["candidates"] if c["reported"]}
    assert reported["ngà voi"]["method"] == "diacritics"
    assert reported["ivory"]["reason"] == "context 'carved'"


def test_explain_without_obfuscation_handling() -> None:
    result = run("explain", "carved 1v0ry", "--no-obfuscation", "--format", "json", *FIXTURE)
    data = json.loads(result.stdout)
    assert [v["name"] for v in data["views"]] == ["original", "base"]
    assert data["candidates"] == []


def test_a_finding_in_folded_lists_the_folded_view_even_when_nothing_was_folded() -> None:
    # No diacritics to remove: the base view is matched for the folded keys too.
    result = run("explain", "Vong nga voi that", *FIXTURE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "  folded    'vong nga voi that'  (Latin diacritics removed, typographic apostrophes made plain: none here, the same text as base)" in lines
    assert any(line.endswith("in folded: matched") for line in lines)
    data = json.loads(run("explain", "Vong nga voi that", "--format", "json", *FIXTURE).stdout)
    views = {v["name"]: v["text"] for v in data["views"]}
    assert views["folded"] == views["base"] == "vong nga voi that"
    assert all(c["view"] in views for c in data["candidates"] + data["dropped"])
