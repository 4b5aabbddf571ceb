"""`wildcli stats`."""

from __future__ import annotations

import json

from tests.cli.helpers import FIXTURE, run
from tests.conftest import DATA


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


def test_stats_count_citations_by_kind_and_code_words_without_a_quote() -> None:
    # The WL020 fixture: a code word quoted, one with nothing, a slang term marked quote_missing,
    # and a proposed slang term (not counted); one citation says no kind.
    lexicon = ["--no-bundled", "--lexicon", str(DATA / "lexicons" / "issues" / "WL020")]
    stats = json.loads(run("stats", "--format", "json", *lexicon).stdout)
    assert stats["code_words_without_quote"] == 2
    assert stats["quotes"] == {"needed": 3, "quoted": 1, "missing": 1, "absent": 1}
    assert stats["citations_by_kind"] == {
        "publisher": 0, "encyclopedia": 0, "dictionary": 0, "report": 2, "study": 0, "news": 1,
        "platform_policy": 0, "law": 0, "unclassified": 1,
    }
    table = run("stats", *lexicon).stdout
    assert "Citations by kind: report 2, news 1, unclassified 1." in table
    assert "Code words and slang without a quote from their source: 2 of 3 (1 marked quote_missing)." in table
