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


PLAIN_TABLE = """\
Scanned 5 records (10 fields) in 1 file(s): 3 findings in 3 records.
Findings per concept
┏━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━┳━━━━━━━━┳━━━━━━━━━┓
┃ Concept ┃ Findings ┃ Records ┃ block ┃ review ┃ monitor ┃
┡━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━╇━━━━━━━━╇━━━━━━━━━┩
│ ivory   │        3 │       3 │     2 │      1 │       0 │
└─────────┴──────────┴─────────┴───────┴────────┴─────────┘
Findings per language
┏━━━━━━━━━━┳━━━━━━━━━━┓
┃ Language ┃ Findings ┃
┡━━━━━━━━━━╇━━━━━━━━━━┩
│ en       │        1 │
│ vi       │        1 │
│ zh-Hans  │        1 │
└──────────┴──────────┘
Top 3 of 3 records with findings
┏━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Record ┃ Severity ┃ Concept ┃ Term           ┃ Method ┃ Evidence                     ┃
┡━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ L3     │ block    │ ivory   │ ngà voi (vi)   │ exact  │ title: Bán vòng ngà voi thật │
│ L4     │ block    │ ivory   │ 象牙 (zh-Hans) │ exact  │ title: 出售老象牙手镯        │
│ L1     │ review   │ ivory   │ ivory (en)     │ exact  │ title: Carved ivory netsuke  │
└────────┴──────────┴─────────┴────────────────┴────────┴──────────────────────────────┘
"""


def test_the_table_of_a_dump_without_counts_is_as_it_always_was(dump: Path) -> None:
    # Searches, the most searched terms and "queries" belong to inputs with counts only. Asked for
    # every tier, the table keeps its monitor column.
    lines = run("scan", str(dump), "--min-severity", "monitor", *FIXTURE).stdout.splitlines()
    assert "\n".join(line.rstrip() for line in lines) + "\n" == PLAIN_TABLE


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


# --- search queries: query files (.txt) and query logs (CSV/TSV with counts) ---

LOG = "query\tsearches\nBán vòng ngà voi thật\t1,200\n象牙 手镯\t300\ncarved ivory bangle\t45\n" \
      "ngà voi\t80\nivory wedding dress\t9000\nbovine bone carving\tmany\nBán vòng ngà voi thật\t20\n"


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "log.tsv"
    path.write_text(LOG, "utf-8")
    return path


def test_a_query_log_table_is_weighed_by_searches(log: Path) -> None:
    result = run("scan", str(log), "--top", "2", *FIXTURE)
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [
        f"error: {log}:7: searches: not a count: 'many' (a whole number of 0 or more, such as 1234 or 1,234)",
        "error: 1 unreadable row skipped; 6 other records scanned",
    ]
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == "Scanned 6 queries (10645 searches) in 1 file(s): 5 findings in 5 queries (1645 searches)."
    assert _row(lines, "Concept") == ["Concept", "Findings", "Queries", "Searches", "block", "review"]
    assert _row(lines, "ivory") == ["ivory", "5", "5", "1645", "4", "1"]
    block = lines.index("The 2 most searched terms to block")
    assert _row(lines[block:], "ngà voi") == ["ngà voi", "ivory", "vi", "1300", "2"]
    assert _row(lines[block:], "象牙") == ["象牙", "ivory", "zh-Hans", "300", "1"]
    warn = lines.index("The most searched term to warn on")
    assert _row(lines[warn:], "ivory") == ["ivory", "ivory", "en", "45", "1"]
    assert "most searched terms to monitor" not in result.stdout
    assert "Top 2 of 5 queries with findings" in result.stdout


def _row(lines: list[str], first: str) -> list[str]:
    """The cells of the first table row whose first cell is `first`."""
    for line in lines:
        cells = [cell.strip() for cell in line.strip("│┃ ").replace("┃", "│").split("│")]
        if cells[0] == first:
            return cells
    raise AssertionError(f"no row {first!r}")


def test_a_query_file_counts_each_line_as_one_search(tmp_path: Path) -> None:
    path = tmp_path / "queries.txt"
    path.write_bytes("\ufeffngà voi\r\n\r\n象牙 手镯\r\nngà voi\r\nteak table\r\n".encode())
    result = run("scan", str(path), *FIXTURE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Scanned 4 queries (4 searches) in 1 file(s): 3 findings in 3 queries (3 searches)."
    assert _row(lines, "ngà voi") == ["ngà voi", "ivory", "vi", "2", "1"]  # one query, searched twice
    _, findings, _ = scan_jsonl(str(path))
    assert [(f["record"], f["row"], f["count"]) for f in findings] == [("1", 1, 1), ("3", 2, 1), ("4", 3, 1)]


def test_queries_on_stdin_need_the_text_format(tmp_path: Path) -> None:
    queries = "Bán vòng ngà voi thật\n\nteak table\n象牙\n"
    result = run("scan", "-", "--input-format", "text", "--format", "jsonl", *FIXTURE, input=queries)
    assert [(f["source"], f["record"], f["count"]) for f in map(json.loads, result.stdout.splitlines())] == [
        ("<stdin>", "1", 1), ("<stdin>", "4", 1)]


def test_machine_formats_carry_the_count_last(log: Path) -> None:
    code, findings, _ = scan_jsonl(str(log), "--count-field", "searches")
    assert code == 65
    assert [(f["record"], f["count"]) for f in findings] == [("1", 1200), ("2", 300), ("3", 45), ("4", 80), ("7", 20)]
    assert list(findings[0])[-2:] == ["after", "count"]
    as_json = json.loads(run("scan", str(log), "--format", "json", *FIXTURE).stdout)
    assert [f["count"] for f in as_json] == [1200, 300, 45, 80, 20]
    rows = list(csv.reader(io.StringIO(run("scan", str(log), "--format", "csv", *FIXTURE).stdout)))
    assert rows[0][-2:] == ["after", "count"]
    assert [row[-1] for row in rows[1:]] == ["1200", "300", "45", "80", "20"]


def test_a_csv_report_takes_its_columns_from_the_first_finding(log: Path, dump: Path) -> None:
    def header_and_counts(*paths: Path) -> tuple[list[str], list[str]]:
        header, *rows = csv.reader(io.StringIO(run("scan", *map(str, paths), "--format", "csv", *FIXTURE).stdout))
        return header, [row[16] if len(row) > 16 else "-" for row in rows]

    header, counts = header_and_counts(log, dump)
    assert header[-1] == "count"
    assert counts == ["1200", "300", "45", "80", "20", "", "", ""]  # the plain dump's findings have none
    header, counts = header_and_counts(dump, log)
    assert header[-1] == "after"  # the first finding had no count: neither does any row
    assert counts == ["-"] * 8
    empty = dump.with_name("empty.jsonl")
    empty.write_text('{"id": "x", "title": "oak"}\n', "utf-8")
    assert run("scan", str(empty), "--format", "csv", *FIXTURE).stdout.splitlines()[0].endswith(",before,after")


def test_a_query_log_html_report_has_a_count_column(log: Path, dump: Path, tmp_path: Path) -> None:
    from tests.reports.test_html import embedded

    for path, columns in ((log, 15), (dump, 14)):
        page = tmp_path / "report.html"
        run("scan", str(path), "--format", "html", "--output", str(page), *FIXTURE)
        data = embedded(page.read_text("utf-8"))
        assert len(data["columns"]) == columns  # type: ignore[arg-type]
        assert ("count" in data["columns"]) is (path == log)  # type: ignore[operator]


def test_evidence_is_cut_at_words_and_marked_where_text_was_left_out(tmp_path: Path) -> None:
    text = ("Grandmother's collection of hand carved miniature figurines: carved ivory netsuke "
            "of a sleeping cat, signed underneath, excellent condition overall")  # fmt: skip
    short = "Small carved ivory netsuke"
    path = tmp_path / "long.jsonl"
    rows = [{"id": "LONG", "title": text}, {"id": "SHORT", "title": short}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    table = run("scan", str(path), *FIXTURE).stdout
    assert "title: …carved miniature figurines: carved ivory netsuke of a sleeping cat, signed…" in table
    assert "title: Small carved ivory netsuke" in table  # nothing left out: no mark
    # The machine formats keep the exact text either side, and the offsets.
    _, findings, _ = scan_jsonl(str(path))
    first = findings[0]
    assert first["before"] == text[int(first["start"]) - 40 : int(first["start"])]  # type: ignore[call-overload]
    assert first["after"] == text[int(first["end"]) : int(first["end"]) + 40]  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        # A spaced script: whole words only, "…" where the text went on.
        ("ris 3 months old, hand fed, very gentle ", " accent.  Stickers were left out for cle",
         ("…3 months old, hand fed, very gentle ", " accent. Stickers were left out for…")),
        # Vietnamese: its marks are part of the word they stand on.
        ("", "Vòng ngà voi nguyên khối, đường kính trong 56mm, nặn",
         ("", "Vòng ngà voi nguyên khối, đường kính…")),
        # Chinese is written without spaces: cut at a character.
        ("老玳瑁製品髮簪" + "香港自取" * 10, "花紋漂亮", ("…" + "香港自取" * 10, "花紋漂亮")),
        # One word longer than the window is cut inside, and says so.
        ("x" * 40, "", ("…" + "x" * 40, "")),
    ],
)  # fmt: skip
def test_snippets_cut_at_words_or_characters(before: str, after: str, shown: tuple[str, str]) -> None:
    from wildcli.lexicon.model import Kind, Severity
    from wildcli.match.findings import Finding, Method

    f = Finding("ivory", "ivory", "en", Kind.NAME, Severity.BLOCK, "ivory", 0, 5, Method.EXACT, 1.0,
                before=before, after=after)  # fmt: skip
    assert f.snippet() == shown
