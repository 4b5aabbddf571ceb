"""`wildcli check` on single strings, and on files of search queries (`--file`)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

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


# --- check --file: every query of a file, one line (or JSON object) each ---

QUERIES = "\ufeffBán vòng ngà voi thật\r\n\r\ncarved ivory bangle\r\nivory wedding dress\r\n象牙 ngà voi\r\n"
TALLY = ["action     queries    searches", "block            2           2", "warn             1           1",
         "monitor          0           0", "allow            1           1", "total            4           4"]  # fmt: skip


def test_a_query_file_gets_an_action_per_query(tmp_path: Path) -> None:
    path = tmp_path / "queries.txt"
    path.write_text(QUERIES, "utf-8")
    result = run("check", "--file", str(path), *FIXTURE)
    assert result.exit_code == 0
    assert result.stdout == (
        "block   Bán vòng ngà voi thật  [ivory: ngà voi]\nwarn    carved ivory bangle  [ivory: ivory]\n"
        "allow   ivory wedding dress\nblock   象牙 ngà voi  [ivory: 象牙, ngà voi]\n"
    )
    assert result.stderr.splitlines() == TALLY


def test_json_lines_give_query_count_action_and_findings(tmp_path: Path) -> None:
    path = tmp_path / "log.tsv"
    path.write_text("query\tsearches\nngà voi\t1,500\nteak table\t30\n", "utf-8")
    result = run("check", "--file", str(path), "--json", *FIXTURE)
    first, second = map(json.loads, result.stdout.splitlines())
    assert list(first) == ["query", "count", "action", "findings"]
    assert (first["query"], first["count"], first["action"]) == ("ngà voi", 1500, "block")
    assert [(f["term"], f["row"], f["count"]) for f in first["findings"]] == [("ngà voi", 1, 1500)]
    assert second == {"query": "teak table", "count": 30, "action": "allow", "findings": []}
    assert result.stderr.splitlines()[1] == "block            1        1500"


def test_bad_counts_are_reported_and_the_exit_code_says_so(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("query,count\nngà voi,12\n象牙,n/a\nteak,3\n", "utf-8")
    result = run("check", "--file", str(path), "--fail-on-findings", *FIXTURE)
    assert result.exit_code == 65  # bad rows outrank --fail-on-findings
    assert result.stdout.splitlines() == ["block   ngà voi  [ivory: ngà voi]", "allow   teak"]
    assert result.stderr.splitlines()[:2] == [
        f"error: {path}:3: count: not a count: 'n/a' (a whole number of 0 or more, such as 1234 or 1,234)",
        "error: 1 unreadable row skipped; 2 other records scanned",
    ]
    assert result.stderr.splitlines()[-1] == "total            2          15"


def test_fail_on_findings_and_stdin(tmp_path: Path) -> None:
    clean = run("check", "--file", "-", "--input-format", "text", "--fail-on-findings", *FIXTURE, input="teak\n\noak\n")
    assert (clean.exit_code, clean.stdout) == (0, "allow   teak\nallow   oak\n")
    found = run("check", "--file", "-", "--input-format", "text", "--fail-on-findings", *FIXTURE, input="象牙\n")
    assert (found.exit_code, found.stdout) == (1, "block   象牙  [ivory: 象牙]\n")


def test_gzip_and_min_severity(tmp_path: Path) -> None:
    path = tmp_path / "queries.txt.gz"
    path.write_bytes(gzip.compress(QUERIES.encode()))
    result = run("check", "--file", str(path), "--min-severity", "block", *FIXTURE)
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["block", "allow", "allow", "block"]


def test_a_missing_file_exits_66(tmp_path: Path) -> None:
    result = run("check", "--file", str(tmp_path / "nope.txt"), *FIXTURE)
    assert result.exit_code == 66
    assert result.stderr.splitlines()[0] == f"error: {tmp_path / 'nope.txt'}: no such file"


def test_controls_in_a_query_do_not_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "queries.txt"
    path.write_text("ngà voi \x1b[2J\u202e now\n", "utf-8")
    assert run("check", "--file", str(path), *FIXTURE).stdout == "block   ngà voi \ufffd[2J\ufffd now  [ivory: ngà voi]\n"


@pytest.mark.parametrize(("args", "message"), [
    ([], "error: missing TEXT (or --file PATH)"),
    (["ngà voi", "--file", "q.txt"], "error: give a TEXT to check, or --file PATH, not both"),
])  # fmt: skip
def test_a_text_or_a_file(args: list[str], message: str) -> None:
    result = run("check", *args, *FIXTURE)
    assert (result.exit_code, result.stderr) == (2, message + "\n")


def test_check_judges_a_search_query_and_explain_shows_both_readings(tmp_path: Path) -> None:
    # "写真" (photo) next to a product asks to see it: a search for pictures, spared by check;
    # the same words in a listing are the seller's photos, which explain reads by default.
    assert run("check", "象牙 写真").stdout == "no match\n"
    assert run("check", "象牙 手鐲").stdout != "no match\n"
    listing = run("explain", "象牙 写真").stdout
    query = run("explain", "--query", "象牙 写真").stdout
    assert "1 finding" in listing
    assert "0 findings" in query
    assert "about the product, not an offer: '写真' near it" in query
    labelled = tmp_path / "q.tsv"
    labelled.write_text("query\tlabel\n象牙 写真\t0\n象牙 手鐲\t1\n", "utf-8")
    for flag, fp in (("", 1), ("--queries", 0)):
        result = run("eval", str(labelled), "--label-field", "label", "--format", "json", *filter(None, [flag]))
        report = json.loads(result.stdout)
        assert (report["flagged"]["fp"], report["flagged"]["tp"], report["queries"]) == (fp, 1, bool(flag))


def test_scan_judges_queries_as_queries_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "searches.txt"
    path.write_text("象牙 写真\n象牙 手鐲\n", "utf-8")
    for flag, rows in (("", [1, 2]), ("--queries", [2])):
        result = run("scan", str(path), "--format", "jsonl", "--no-progress", *filter(None, [flag]))
        assert sorted({json.loads(line)["row"] for line in result.stdout.splitlines()}) == rows
