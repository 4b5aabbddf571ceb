"""`wildcli scan` end to end through the CLI, on small dumps written by each test."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.helpers import FIXTURE, run
from tests.conftest import EXAMPLES

LISTINGS = [
    {"id": "L1", "title": "Carved ivory netsuke", "description": "DM for price"},
    {"id": "L2", "title": "Ivory wedding dress", "description": "size 10, worn once"},
    {"id": "L3", "title": "Bán vòng ngà voi thật", "description": "ib giá"},
    {"id": "L4", "title": "出售老象牙手镯", "description": "包邮"},
    {"id": "L5", "title": "Road bike", "description": "Ngày mai giao hàng"},
]


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "listings.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in LISTINGS), "utf-8")
    return path


def scan_jsonl(*args: str) -> tuple[int, list[dict[str, object]], str]:
    result = run("scan", *args, "--format", "jsonl", *FIXTURE)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_jsonl_findings_carry_every_field_and_exact_offsets(dump: Path) -> None:
    code, findings, _ = scan_jsonl(str(dump))
    assert code == 0
    assert [(f["record"], f["term"]) for f in findings] == [("L1", "ivory"), ("L3", "ngà voi"), ("L4", "象牙")]
    first = findings[0]
    assert list(first) == [
        "source", "record", "row", "field", "concept", "term", "lang", "kind", "severity",
        "matched", "start", "end", "method", "score", "before", "after",
    ]
    for f in findings:
        text = LISTINGS[int(str(f["row"])) - 1][str(f["field"])]
        assert text[int(str(f["start"])):int(str(f["end"]))] == f["matched"]


def test_csv_and_json_formats(dump: Path) -> None:
    as_csv = run("scan", str(dump), "--format", "csv", *FIXTURE)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["record"] for r in rows] == ["L1", "L3", "L4"]
    as_json = run("scan", str(dump), "--format", "json", *FIXTURE)
    assert [f["term"] for f in json.loads(as_json.stdout)] == ["ivory", "ngà voi", "象牙"]


def test_table_format_summarises(dump: Path) -> None:
    result = run("scan", str(dump), *FIXTURE)
    assert result.exit_code == 0
    assert result.stdout.startswith("Scanned 5 records (10 fields) in 1 file(s): 3 findings in 3 records.")
    assert "Findings per concept" in result.stdout
    assert "Carved ivory netsuke" in result.stdout


def test_filters_and_fail_on_findings(dump: Path) -> None:
    code, findings, _ = scan_jsonl(str(dump), "--min-severity", "block", "--fail-on-findings")
    assert code == 1
    assert [f["term"] for f in findings] == ["ngà voi", "象牙"]
    code, findings, _ = scan_jsonl(str(dump), "--lang", "zh-Hans")
    assert [f["term"] for f in findings] == ["象牙"]
    code, findings, _ = scan_jsonl(str(dump), "--concept", "tiger_parts", "--fail-on-findings")
    assert (code, findings) == (0, [])


def test_unknown_concept_is_a_usage_error(dump: Path) -> None:
    result = run("scan", str(dump), "--concept", "unicorn", *FIXTURE)
    assert result.exit_code == 2
    assert result.stderr == "error: unknown concept 'unicorn' (see wildcli stats)\n"


def test_fields_option_and_stdin(dump: Path) -> None:
    code, findings, _ = scan_jsonl(str(dump), "--fields", "description")
    assert (code, findings) == (0, [])
    result = run("scan", "-", "--format", "jsonl", *FIXTURE, input=dump.read_text("utf-8"))
    assert [json.loads(line)["record"] for line in result.stdout.splitlines()] == ["L1", "L3", "L4"]


def test_missing_file_exits_66_and_other_files_are_scanned(dump: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    code, findings, stderr = scan_jsonl(str(missing), str(dump))
    assert code == 66
    assert len(findings) == 3
    assert stderr.splitlines()[0] == f"error: {missing}: no such file"


def test_bad_rows_exit_65_and_good_rows_are_still_scanned(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "A", "title": "carved ivory"}\n{"id": "B", "title": \n{"id": "C", "title": "象牙"}\n',
        "utf-8",
    )
    code, findings, stderr = scan_jsonl(str(path))
    assert code == 65
    assert [f["record"] for f in findings] == ["A", "C"]
    lines = stderr.splitlines()
    assert lines[0].startswith(f"error: {path}:2:")
    assert lines[0].endswith("not valid JSON: unexpected end of data")
    assert lines[1] == "error: 1 unreadable row skipped; 2 other records scanned"


def test_output_file_is_written_atomically(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    result = run("scan", str(dump), "--format", "jsonl", "--output", str(out), *FIXTURE)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(out.read_text("utf-8").splitlines()) == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unwritable_output_exits_73(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "no-such-dir" / "out.jsonl"
    result = run("scan", str(dump), "--format", "jsonl", "--output", str(out), *FIXTURE)
    assert result.exit_code == 73
    assert result.stderr.startswith(f"error: {out}: cannot write: ")


def test_bundled_sample_scans_with_the_bundled_lexicon() -> None:
    for name in ("listings.csv", "listings.jsonl"):
        result = run("scan", str(EXAMPLES / name), "--format", "jsonl")
        assert result.exit_code == 0, result.stderr
        findings = [json.loads(line) for line in result.stdout.splitlines()]
        assert len({f["record"] for f in findings}) >= 30


def test_unknown_encoding_is_a_usage_error(dump: Path) -> None:
    result = run("scan", str(dump), "--encoding", "klingon", *FIXTURE)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "klingon" in result.stderr
    assert len(result.stderr.splitlines()) == 1
