"""`wildcli stats`."""

from __future__ import annotations

import json

from tests.cli.helpers import FIXTURE, run


def test_stats_json_counts_the_fixture_lexicon() -> None:
    result = run("stats", "--format", "json", *FIXTURE)
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert (stats["concepts"], stats["languages"], stats["terms"]) == (3, 3, 8)
    assert stats["by_concept"]["ivory"]["languages"] == {"en": 3, "vi": 1, "zh-Hans": 1}
    assert stats["unsourced_approved"] == 0


def test_stats_table() -> None:
    result = run("stats", *FIXTURE)
    assert result.exit_code == 0
    assert result.stdout.startswith("Lexicon: 3 concepts, 8 approved terms in 3 languages")
    assert "ivory" in result.stdout


def test_broken_lexicon_exits_78_with_located_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "lex" / "ivory"
    bad.mkdir(parents=True)
    (bad / "concept.yaml").write_text("id: ivory\nid: ivory\n")
    result = run("stats", "--no-bundled", "--lexicon", str(tmp_path / "lex"))
    assert result.exit_code == 78
    assert result.stderr.strip().endswith("concept.yaml:2: duplicate key 'id'")
