"""`wildcli lint --format sarif`: a SARIF 2.1.0 log that code scanning can ingest."""

from __future__ import annotations

import json

from tests.cli.helpers import run
from tests.conftest import DATA

WL004 = str(DATA / "lexicons" / "issues" / "WL004")


def test_sarif_log_has_the_problems_with_their_locations() -> None:
    text = run("lint", WL004)
    result = run("lint", WL004, "--format", "sarif")
    assert result.exit_code == text.exit_code == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "wildcli lint"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert "WL004" in rule_ids
    results = run_["results"]
    assert [r["ruleId"] for r in results] == ["WL004", "WL004"]
    for r, line in zip(results, text.stdout.splitlines(), strict=True):
        physical = r["locations"][0]["physicalLocation"]
        path, number = line.split(":")[:2]
        assert physical["artifactLocation"]["uri"] == path
        assert physical["region"]["startLine"] == int(number)
        assert r["level"] == "error"
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"] in line


def test_fingerprints_are_stable_and_distinct() -> None:
    first = json.loads(run("lint", WL004, "--format", "sarif").stdout)["runs"][0]["results"]
    second = json.loads(run("lint", WL004, "--format", "sarif").stdout)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["wildcliProblem/v1"] for r in first]
    assert prints == [r["partialFingerprints"]["wildcliProblem/v1"] for r in second]
    assert len(set(prints)) == len(prints)


def test_a_clean_lexicon_gives_an_empty_run() -> None:
    result = run("lint", str(DATA / "lexicons" / "valid"), "--format", "sarif")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["runs"][0]["results"] == []
