"""`wildcli simulate`: an export applied as its target applies it, scored next to wildcli."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import DATA, EXAMPLES

EXPORT = ["--no-bundled", "--lexicon", str(DATA / "lexicons" / "export")]


@pytest.fixture
def queries(tmp_path: Path) -> Path:
    path = tmp_path / "queries.tsv"
    rows = [
        ("query", "label"),
        ("buy rhino horn", "1"),       # block, both
        ("ngà voi thật", "1"),          # block, both
        ("bovine bone figurine", "1"),  # warn: wildcli, and the rules keep its exclusions
        ("bovine bone broth", "0"),     # excluded by both
        ("ivory soap", "0"),            # warn: an everyday word the fixture lists as a term
        ("garden chair", "0"),
    ]
    path.write_text("".join("\t".join(r) + "\n" for r in rows), "utf-8")
    return path


def test_labelled_queries_scored_for_the_export_and_for_wildcli(queries: Path) -> None:
    result = run("simulate", "--format", "jsonl", str(queries), "--label-field", "label", "--report", "json", *EXPORT)
    assert result.exit_code == 0, result.stderr
    [report] = json.loads(result.stdout)["simulations"]
    assert (report["records"], report["labelled"], report["positives"]) == (6, 6, 3)
    for side in ("export", "wildcli"):
        assert report[side]["actions"] == {"block": 2, "warn": 2, "monitor": 0, "allow": 2}
        assert report[side]["flagged"]["recall"] == 1.0
        assert report[side]["benign_flag_rate"] == pytest.approx(1 / 3)
        assert report[side]["benign_block_rate"] == 0.0
    assert report["recall_ratio"] == 1.0
    assert report["agree"] == 6
    assert report["target"].startswith("the rule semantics")


def test_a_list_format_that_cannot_carry_exclusions_loses_the_term(queries: Path) -> None:
    result = run("simulate", "--format", "txt", str(queries), "--label-field", "label", *EXPORT)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "export recall / wildcli recall: 0.667" in out
    assert "same action on 5 of 6 records" in out
    assert "row 3 (id 3 label 1): wildcli warn [ivory:bovine bone], export allow []: bovine bone figurine" in out
    # What was left out, and why, is reported as for wildcli export.
    assert "warning: txt: 1 term left out: has exclusions near it" in result.stderr


def test_unlabelled_dump_reports_actions_and_disagreements() -> None:
    result = run("simulate", "--format", "google-ads", str(EXAMPLES / "listings.jsonl"), "--show", "3")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{EXAMPLES / 'listings.jsonl'}: 80 records; fields: title, description")
    assert "applied as negative \"phrase\" (the words in order)" in lines[1]
    assert lines[3].split() == ["block", "warn", "monitor", "allow", "blocked"]  # no recall: no labels
    assert [line.split()[0] for line in lines[4:6]] == ["export", "wildcli"]
    assert any(line.startswith("Disagreements: ") and line.endswith(", first 3") for line in lines)


def test_usage_and_input_errors() -> None:
    assert run("simulate", "x.tsv", *EXPORT).exit_code == 2
    missing = run("simulate", "--format", "txt", "missing.tsv", *EXPORT)
    assert missing.exit_code == 66
    assert missing.stderr.splitlines()[-1].startswith("error: missing.tsv")


def test_a_label_field_no_record_has(queries: Path) -> None:
    result = run("simulate", "--format", "txt", str(queries), "--label-field", "nope", *EXPORT)
    assert result.exit_code == 65
    assert "no record has a value in the label field 'nope'" in result.stderr


def test_report_goes_to_a_file_atomically(queries: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run("simulate", "--format", "csv", str(queries), "--label-field", "label", "--report", "json", "-o", str(out), *EXPORT)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text("utf-8"))["simulations"][0]["format"] == "csv"


def test_queries_are_judged_as_queries_on_wildcli_s_side_only(tmp_path: Path) -> None:
    # A search for pictures of ivory: wildcli spares it as check does; the json rules, which
    # judge listings and queries alike, do not carry the picture words and flag it.
    path = tmp_path / "q.tsv"
    path.write_text("query\tlabel\n象牙 写真\t0\n象牙 手鐲\t1\n", "utf-8")
    result = run("simulate", "--format", "json", str(path), "--label-field", "label", "--report", "json",
                 "--queries", "--show", "0")
    assert result.exit_code == 0, result.stderr
    [report] = json.loads(result.stdout)["simulations"]
    assert report["wildcli"]["actions"]["allow"] == 1
    assert report["export"]["actions"]["allow"] == 0
    assert report["queries"] is True
