"""`wildcli expand`: variants of one term or of a concept, in three formats."""

from __future__ import annotations

import json

from tests.cli.helpers import FIXTURE, run


def test_expand_a_term_as_text() -> None:
    result = run("expand", "ivory", "--format", "txt")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert {"1v0ry", "i.v.o.r.y", "іvory", "#ivory"} <= set(lines)
    assert "ivory" not in lines


def test_expand_a_concept_as_jsonl() -> None:
    result = run("expand", "--concept", "ivory", "--lang", "vi", "--format", "jsonl", *FIXTURE)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["term"] for row in rows} == {"ngà voi"}
    assert {"term": "ngà voi", "lang": "vi", "rule": "transliteration", "variant": "nga voi"} in rows


def test_expand_table_and_language() -> None:
    result = run("expand", "熊胆", "--lang", "zh-Hans", "--max-variants", "5")
    assert result.exit_code == 0
    assert "熊膽" in result.stdout
    assert "script_variant" in result.stdout


def test_expand_needs_exactly_one_of_term_and_concept() -> None:
    assert run("expand").exit_code == 2
    assert run("expand", "ivory", "--concept", "ivory", *FIXTURE).exit_code == 2
    result = run("expand", "--concept", "nope", *FIXTURE)
    assert result.exit_code == 2
    assert "unknown concept 'nope'" in result.stderr
