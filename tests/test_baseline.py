"""Baselines: a re-scan reports only new findings, whatever the order or export of the dump."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from tests.cli.helpers import FIXTURE, run
from wildcli import __version__
from wildcli.errors import InputError, InputUnavailable, Location
from wildcli.lexicon import Lexicon
from wildcli.match.matcher import Matcher
from wildcli.readers import Record
from wildcli.scanning.baseline import Baseline, BaselineRecorder, record_key
from wildcli.scanning.local import ScanSummary, scan_records

TITLES = [
    "Carved ivory netsuke, dm for price", "elephant ivory tusk", "Bán vòng ngà voi thật", "出售老象牙手镯",
    "bovine bone pendant", "Road bike", "Ivory wedding dress", "jade bangle",
]


def listings(n: int = 40) -> list[dict[str, str]]:
    return [{"id": f"L{i}", "title": f"{TITLES[i % len(TITLES)]} #{i}", "description": "ships fast"} for i in range(n)]


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def records(rows: list[dict[str, str]]) -> list[Record]:
    return [Record("d", i + 1, r["id"], {"title": r["title"], "description": r["description"]}) for i, r in enumerate(rows)]


def test_record_key_ignores_field_order_wrapping_and_empty_fields() -> None:
    a = Record("a.csv", 1, "1", {"title": "Carved  ivory\r\nnetsuke", "description": "ships fast"})
    b = Record("b.jsonl", 9, "x", {"description": "ships fast ", "title": "Carved ivory netsuke", "notes": ""})
    c = Record("a.csv", 1, "1", {"title": "Carved ivory netsuke", "description": "ships slow"})
    assert record_key(a) == record_key(b) != record_key(c)
    # The field a text is in is part of the record.
    d = Record("a.csv", 1, "1", {"title": "ships fast", "description": "Carved ivory netsuke"})
    assert record_key(d) != record_key(a)


def test_library_reports_only_findings_not_in_the_baseline(fixture_lexicon: Lexicon) -> None:
    matcher = Matcher(fixture_lexicon)
    recorder = BaselineRecorder()
    first = list(scan_records(records(listings()), matcher, keep=recorder.record))
    assert first
    baseline = Baseline.from_dict(json.loads(recorder.to_json(fixture_lexicon)), Location("memory"))
    summary = ScanSummary()
    again = list(scan_records(records(listings()), matcher, summary, keep=baseline.new_findings))
    assert again == []
    assert summary.records == 40
    assert summary.findings == 0
    assert summary.records_with_findings == 0


def test_baseline_file_is_sorted_deterministic_and_names_its_versions(tmp_path: Path, fixture_lexicon: Lexicon) -> None:
    matcher = Matcher(fixture_lexicon)
    rows = listings()
    texts = []
    for seed in (1, 2):
        random.Random(seed).shuffle(rows)
        recorder = BaselineRecorder()
        list(scan_records(records(rows), matcher, keep=recorder.record))
        recorder.write(tmp_path / f"b{seed}.json", fixture_lexicon)
        texts.append((tmp_path / f"b{seed}.json").read_text("utf-8"))
    assert texts[0] == texts[1]
    data = json.loads(texts[0])
    assert data["format"] == "wildcli-baseline"
    assert data["wildcli"] == __version__
    assert data["lexicon"]["digest"] == fixture_lexicon.digest
    keys = [(e["key"], e["concept"]) for e in data["entries"]]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    ivory = next(e for e in data["entries"] if e["record"] == "L1")
    assert ivory["concept"] == "ivory"
    assert ivory["terms"] == ["elephant ivory"]
    assert len(ivory["key"]) == 64
    assert not list(tmp_path.glob(".*.tmp"))


def test_loading_a_broken_baseline_names_the_problem(tmp_path: Path) -> None:
    with pytest.raises(InputUnavailable, match="cannot read baseline"):
        Baseline.load(tmp_path / "missing.json")
    (tmp_path / "x.json").write_text('{"entries": []}', "utf-8")
    with pytest.raises(InputError, match="not a wildcli baseline"):
        Baseline.load(tmp_path / "x.json")
    (tmp_path / "y.json").write_text("[1, 2", "utf-8")
    with pytest.raises(InputError, match="not a wildcli baseline"):
        Baseline.load(tmp_path / "y.json")


def scan_new(dump: Path, baseline: Path, *extra: str) -> tuple[int, list[dict[str, object]], str]:
    result = run("scan", str(dump), "--format", "jsonl", "--baseline", str(baseline), *extra, *FIXTURE)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_cli_same_dump_twice_reports_nothing_new(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "d.jsonl", listings())
    baseline = tmp_path / "baseline.json"
    first = run("scan", str(dump), "--format", "jsonl", "--write-baseline", str(baseline), *FIXTURE)
    assert first.exit_code == 0
    assert len(first.stdout.splitlines()) > 10
    assert f"written to {baseline}" in first.stderr
    code, found, _ = scan_new(dump, baseline, "--fail-on-findings")
    assert (code, found) == (0, [])


def test_cli_one_added_listing_among_shuffled_ones_is_the_only_news(tmp_path: Path) -> None:
    rows = listings()
    baseline = tmp_path / "baseline.json"
    run("scan", str(write_jsonl(tmp_path / "old.jsonl", rows)), "--write-baseline", str(baseline), "--format", "jsonl", *FIXTURE)
    rows.append({"id": "NEW", "title": "Genuine elephant ivory bangle", "description": "ships fast"})
    random.Random(4).shuffle(rows)
    # Re-exported as CSV with the columns in another order: rows and sources change, keys do not.
    new = tmp_path / "new.csv"
    with new.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["description", "title", "id"])
        writer.writeheader()
        writer.writerows(rows)
    code, found, _ = scan_new(new, baseline, "--fields", "title,description")
    assert code == 0
    assert [(f["record"], f["term"]) for f in found] == [("NEW", "elephant ivory")]


def test_cli_baseline_problems_exit_66(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "d.jsonl", listings(3))
    result = run("scan", str(dump), "--baseline", str(tmp_path / "nope.json"), *FIXTURE)
    assert result.exit_code == 66
    assert "cannot read baseline" in result.stderr
    (tmp_path / "bad.json").write_text("{}", "utf-8")
    result = run("scan", str(dump), "--baseline", str(tmp_path / "bad.json"), *FIXTURE)
    assert result.exit_code == 66
    assert "not a wildcli baseline" in result.stderr


def test_cli_warns_when_the_baseline_used_another_lexicon(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "d.jsonl", listings(8))
    baseline = tmp_path / "b.json"
    run("scan", str(dump), "--write-baseline", str(baseline), *FIXTURE)
    data = json.loads(baseline.read_text("utf-8"))
    data["lexicon"]["digest"] = "0" * 64
    baseline.write_text(json.dumps(data), "utf-8")
    code, found, stderr = scan_new(dump, baseline)
    assert (code, found) == (0, [])
    assert "written with another lexicon" in stderr


def test_cli_says_how_many_findings_the_baseline_left_out(tmp_path: Path) -> None:
    rows = listings()
    baseline = tmp_path / "baseline.json"
    first = run("scan", str(write_jsonl(tmp_path / "old.jsonl", rows)), "--write-baseline", str(baseline),
                "--format", "jsonl", *FIXTURE)  # fmt: skip
    known = len(first.stdout.splitlines())
    rows.append({"id": "NEW", "title": "Genuine elephant ivory bangle", "description": "ships fast"})
    dump = write_jsonl(tmp_path / "new.jsonl", rows)
    code, found, stderr = scan_new(dump, baseline)
    assert (code, len(found)) == (0, 1)
    assert f"left out {known} findings already in the baseline\n" in stderr
    table = run("scan", str(dump), "--baseline", str(baseline), *FIXTURE).stdout.splitlines()
    assert table[0] == "Scanned 41 records (82 fields) in 1 file(s): 1 findings in 1 records."
    assert table[1] == f"Left out {known} findings already in the baseline."
    # Without a baseline, nothing is said about one.
    assert "baseline" not in run("scan", str(dump), *FIXTURE).stdout


_HEAD = '{"format": "wildcli-baseline", "format_version": 1, '
_ENTRY = '{"key": "' + "a" * 64 + '", "concept": "ivory", "findings": 1, "terms": ["ivory"], "record": "1"}'


@pytest.mark.parametrize(("body", "known"), [
    ('"x": ' + "[" * 300_000 + "]" * 300_000 + f', "entries": [{_ENTRY}]}}', 1),
    ('"n": ' + "9" * 20_000 + ', "m": -1e' + "9" * 30 + f', "entries": [{_ENTRY}]}}', 1),
    (f'"entries": [{_ENTRY.replace("1, ", "1" + "0" * 9000 + ", ")}, ' + '{"key": "b", "concept": "c", "deep": '
     + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}]}", 2),
], ids=["deep", "long numbers", "long and deep in entries"])  # fmt: skip
def test_a_hostile_but_valid_baseline_loads(tmp_path: Path, body: str, known: int) -> None:
    # json.load raised RecursionError and ValueError (a traceback, exit 1) on these.
    path = tmp_path / "b.json"
    path.write_text(_HEAD + body, "utf-8")
    assert len(Baseline.load(path).known) == known


@pytest.mark.parametrize(("content", "message"), [
    ("[" * 1_000_000, 'not a wildcli baseline (no "format": "wildcli-baseline")'),
    ('{"format": "wildcli-baseline", "format_version": ' + "1" * 5000 + ', "entries": []}',
     "baseline format_version '1E+99999999999999999' is not supported"),
    (_HEAD + '"entries": [' + "[" * 50_000 + "]" * 50_000 + "]}",
     "baseline entries must be objects with a \"key\" and a \"concept\""),
    (_HEAD + '"entries": [{"key": "a", "concept": "b"}', "not a wildcli baseline: not valid JSON: unexpected end of file"),
    ("\x00" * 100, "not a wildcli baseline: not valid JSON: invalid character"),
], ids=["a million [", "huge version", "entries of arrays", "cut off", "NUL bytes"])  # fmt: skip
def test_a_hostile_baseline_is_one_located_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, "utf-8")
    with pytest.raises(InputError) as caught:
        Baseline.load(path)
    assert str(caught.value) == f"{path}: {message}"


def test_dev_zero_as_a_baseline_is_refused_without_reading_it_all() -> None:
    with pytest.raises(InputError, match=r"^/dev/zero: not a wildcli baseline: not valid JSON"):
        Baseline.load("/dev/zero")


def test_a_baseline_over_the_caps_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.json"
    path.write_text(_HEAD + '"entries": [' + ", ".join(_ENTRY.replace('"a', f'"{i}') for i in range(30)) + "]}", "utf-8")
    assert len(Baseline.load(path).known) == 30
    monkeypatch.setattr("wildcli.scanning.baselinefile.MAX_ENTRIES", 20)
    with pytest.raises(InputError, match="not a wildcli baseline: more than 20 entries"):
        Baseline.load(path)
    monkeypatch.setattr("wildcli.scanning.baselinefile.MAX_BASELINE_BYTES", 1000)
    with pytest.raises(InputError, match="not a wildcli baseline: larger than 1000 bytes"):
        Baseline.load(path)
