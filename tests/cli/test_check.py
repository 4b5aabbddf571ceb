"""`wildcli check` on single strings."""

from __future__ import annotations

import json

from tests.cli.helpers import FIXTURE, run


def test_check_reports_what_matched_and_how() -> None:
    result = run("check", "Bán vòng ngà voi thật", *FIXTURE)
    assert result.exit_code == 0
    assert result.stdout == (
        "block   ivory: 'ngà voi' at 9-16 matches 'ngà voi' (vi, name) by exact, score 1.00\n"
    )


def test_check_without_match() -> None:
    result = run("check", "Ngày hội voi", *FIXTURE)
    assert (result.exit_code, result.stdout) == (0, "no match\n")


def test_check_json_and_fail_on_findings() -> None:
    result = run("check", "出售象牙", "--json", "--fail-on-findings", *FIXTURE)
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)
    assert finding["term"] == "象牙"
    assert (finding["start"], finding["end"], finding["matched"]) == (2, 4, "象牙")


def test_check_min_severity() -> None:
    result = run("check", "carved ivory", "--min-severity", "block", *FIXTURE)
    assert result.stdout == "no match\n"
