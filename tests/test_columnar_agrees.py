"""The vectorised batch stage (wildcli.scanning.columnar) scans exactly as the streaming readers do.

`wildcli.scan_paths` on one job reads plain JSON Lines files block by block with Arrow; every
finding, error (message, file, line, field), count and progress byte must be what
`scan_in_process` gives. The generated dumps below put every spelling of the batch referee
(tests/test_batch_agrees.py) among lines that Arrow reads differently from orjson (NaN, a key
written twice, blank lines, lone surrogates, huge integers, deep nesting...), each of which the
stage must refuse so that its block falls back to the streaming reader. Blocks are made small, so
that a dump is many blocks and the fallbacks' line numbers are offsets into the file.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPORA, EXAMPLES, need_corpora
from tests.test_batch_agrees import FILLERS, _lexicon_spellings
from wildcli.errors import InputError
from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.match.matcher import Matcher, MatchOptions
from wildcli.readers import ReadOptions, Record
from wildcli.reports.summary import ScanSummary
from wildcli.scanning import choice, columnar, partition
from wildcli.scanning.local import scan_in_process
from wildcli.scanning.parallel import scan_paths_parallel

# Lines Arrow's JSON reader takes differently from the streaming reader, or that the streaming
# reader reports: each must leave the block it is in to the streaming reader.
EDGE_LINES = [
    b"\n",
    b"   \n",
    b'{"id": "n1", "title": NaN}\n',
    b'{"id": "n1b", "title": "ivory", "price": NaN}\n',
    b'{"id": "n2", "title": "ivory", "price": Infinity}\n',
    b'{"id": "n2b", "title": "ivory", "prices": [1.5, -Infinity]}\n',
    b'{"id": "n2c", "title": "ivory", "price":\tNaN}\n',
    b'{"id": "n3", "title": "ivory bangle", "title": "pangolin scales"}\n',
    b'{"id": "n4", "title": "x", "ti\\u0074le": "rhino horn"}\n',
    b'{"id": "n5", "title": 1984}\n',
    b'{"id": "n6", "title": ["ivory", "bangle"]}\n',
    b'{"id": "n7", "title": "bad \xff byte ivory"}\n',
    b'{"id": "n8", "title": "nul \x00 ivory"}\n',
    b'{"id": "n9", "title": "a"}\r{"id": "n10", "title": "tiger bone"}\n',
    b'{"id": "n10b",\r "title": "tiger bone"}\n',
    b'{"id": "n11", "title": "ivory", "n": 123456789012345678901234, "p": 1.5}\n',
    b'{"id": "n12", "title": "ok", "deep": ' + b"[" * 1500 + b"]" * 1500 + b"}\n",
    b'{"id": "n13", "title": "a"}{"id": "n14", "title": "ivory"}\n',
    b"[1, 2]\n",
    b'"a string"\n',
    b'{"id": "n15", "title": "trailing comma",}\n',
    b'{"id": "n16", "title": "\\ud800 ivory"}\n',
    b'{"id": 1.5, "title": "rhino horn"}\n',
    b'{"id": true, "title": "rhino horn"}\n',
    b'{"id": "n17", "title": {"text": "ivory"}}\n',
    b'{"id": "n18", "title": "ivory carving", "title": null}\n',
    # Arrow reads these as the streaming reader would, but refuses a column of mixed types.
    b'{"id": 7, "title": "rhino horn for sale"}\n',
    b'{"title": "ivory", "extra": {"nested": [1, 2, {"a": null}]}}\n',
]

# Lines the stage reads itself, which must still read as the streaming reader reads them.
PLAIN_EDGES = [
    b'{"id": "  n20 ", "title": "ivory carving"}\n',
    b'{"id": "n21"}\n',
    b'{"id": "n22", "title": null, "description": "tiger bone wine"}\n',
    b'{"id": "n23", "title": ""}\n',
    b'{"id": "", "title": "pangolin scales"}\n',
    b'{"id": "n24", "title": "\\u0000 ivory \\u00e9 \\ud83d\\ude00"}\n',
    b'{"id": "n25", "title": "crlf ivory"}\r\n',
    b'{"title": "no id ivory", "extra": {"nested": [1, 2], "more": null}}\n',
    b'{"id": "n26", "title": "2020-01-01", "description": "2020-01-01T10:00:00 ivory"}\n',
    b'{"id": "n27", "title": "BaNaNa leaf ivory", "description": "Infinity pool and NaN bread"}\n',
]


def _record(rng: random.Random, number: int, texts: list[str]) -> bytes:
    value: dict[str, Any] = {"id": f"r{number}", "title": rng.choice(texts)}
    if rng.random() < 0.7:
        value["description"] = " ".join(rng.choice(texts) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.3:
        value["price"] = rng.randint(1, 9999)
    return json.dumps(value, ensure_ascii=rng.random() < 0.2).encode() + b"\n"


def _dump(path: Path, texts: list[str], seed: int, edges: list[bytes], records: int = 600) -> Path:
    rng = random.Random(seed)
    lines = [_record(rng, number, texts) for number in range(records)]
    for edge in edges:
        lines.insert(rng.randint(1, len(lines)), edge)
    path.write_bytes(b"".join(lines))
    return path


Scan = tuple[list[dict[str, Any]], list[tuple[str, str]], dict[str, Any], int]


def _outcome(run: Callable[..., Any], paths: list[str], matcher: Matcher, options: ReadOptions) -> Scan:
    summary = ScanSummary()
    errors: list[InputError] = []
    progress: list[int] = []
    findings = [f.to_dict() for f in run(paths, matcher, options, summary=summary, on_error=errors.append,
                                          on_progress=progress.append)]  # fmt: skip
    return findings, [(type(e).__name__, str(e)) for e in errors], dataclasses.asdict(summary), sum(progress)


def _fast(paths: list[str], matcher: Matcher, options: ReadOptions, **kwargs: Any) -> Any:
    return choice.scan_paths(paths, matcher, options, jobs=1, **kwargs)


def _streaming(paths: list[str], matcher: Matcher, options: ReadOptions, **kwargs: Any) -> Any:
    return scan_in_process(paths, matcher, options, **kwargs)


@pytest.fixture(scope="module")
def bundled() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def texts(bundled: Lexicon) -> list[str]:
    spellings = [text for _, text in _lexicon_spellings(bundled)]
    return random.Random(3).sample(spellings, min(1500, len(spellings))) + FILLERS


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many blocks to a file, and several runs of the candidate test to a block.
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(columnar, "BATCH_CHARS", 500)


@pytest.fixture
def fallbacks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the blocks left to the streaming reader."""
    seen: list[int] = []
    streaming = columnar.scan_partition

    def counted(*args: Any, **kwargs: Any) -> Any:
        seen.append(1)
        return streaming(*args, **kwargs)

    monkeypatch.setattr(columnar, "scan_partition", counted)
    return seen


def _agree(paths: list[str], matcher: Matcher, options: ReadOptions = ReadOptions()) -> Scan:
    fast = _outcome(_fast, paths, matcher, options)
    assert fast == _outcome(_streaming, paths, matcher, options)
    return fast


@pytest.mark.parametrize("options", ["default", "fuzzy"])
def test_clean_dumps_are_read_by_the_stage_with_the_same_findings(
    tmp_path: Path, bundled: Lexicon, texts: list[str], small_blocks: None, fallbacks: list[int], options: str
) -> None:
    matcher = Matcher(bundled, MatchOptions(fuzzy=options == "fuzzy"))
    path = _dump(tmp_path / "clean.jsonl", texts, 1, PLAIN_EDGES, records=1500)
    findings, errors, summary, _ = _agree([str(path)], matcher)
    assert fallbacks == []  # every block was the stage's own
    assert errors == []
    assert summary["records"] == 1500 + len(PLAIN_EDGES)
    assert len(findings) > 100


@pytest.mark.parametrize("edge", range(len(EDGE_LINES)))
def test_each_line_arrow_reads_otherwise_falls_back_to_the_streaming_reader(
    tmp_path: Path, bundled: Lexicon, texts: list[str], small_blocks: None, fallbacks: list[int], edge: int
) -> None:
    path = _dump(tmp_path / "edge.jsonl", texts, edge, [EDGE_LINES[edge]])
    _agree([str(path)], Matcher(bundled))
    assert len(fallbacks) == 1  # the block holding the line, and only it


def test_many_files_with_every_edge_and_requested_fields(
    tmp_path: Path, bundled: Lexicon, texts: list[str], small_blocks: None
) -> None:
    matcher = Matcher(bundled)
    paths = [
        str(_dump(tmp_path / "a.jsonl", texts, 5, EDGE_LINES + PLAIN_EDGES, records=2000)),
        str(tmp_path / "missing.jsonl"),
        str(EXAMPLES / "listings.jsonl"),
        str(EXAMPLES / "listings.csv"),
        str(_dump(tmp_path / "b.jsonl", texts, 6, PLAIN_EDGES)),
    ]
    (tmp_path / "bom.jsonl").write_bytes(
        b"\xef\xbb\xbf" + _dump(tmp_path / "c.jsonl", texts, 7, []).read_bytes()
    )
    (tmp_path / "empty.jsonl").write_bytes(b"")
    paths += [str(tmp_path / "bom.jsonl"), str(tmp_path / "empty.jsonl")]
    _, errors, summary, _ = _agree(paths, matcher)
    assert summary["files"] == len(paths)
    assert summary["bad_rows"] > 10
    assert errors
    _agree(paths, matcher, ReadOptions(fields=("title", "body"), id_field="id"))
    _agree(paths, matcher, ReadOptions(max_record_bytes=200))


def test_integer_ids_are_read_by_the_stage(
    tmp_path: Path, bundled: Lexicon, texts: list[str], small_blocks: None, fallbacks: list[int]
) -> None:
    lines = _dump(tmp_path / "ids.jsonl", texts, 8, []).read_bytes().splitlines(True)
    numbered = [
        line.replace(b'"id": "r', b'"id": 1', 1).replace(b'", "title"', b', "title"', 1) for line in lines
    ]
    path = tmp_path / "numbered.jsonl"
    path.write_bytes(b"".join(numbered))
    findings, _, _, _ = _agree([str(path)], Matcher(bundled))
    assert fallbacks == []
    assert findings
    assert all(f["record"].startswith("1") for f in findings)


def test_date_like_texts_are_read_as_text(
    tmp_path: Path, bundled: Lexicon, small_blocks: None, fallbacks: list[int]
) -> None:
    lines = [
        json.dumps({"id": f"d{n}", "title": f"2020-01-{n % 28 + 1:02d}", "description": "rhino horn"}) + "\n"
        for n in range(300)
    ]
    path = tmp_path / "dates.jsonl"
    path.write_text("".join(lines), "utf-8")
    findings, _, _, _ = _agree([str(path)], Matcher(bundled))
    assert fallbacks == []
    assert findings


def test_keep_sees_every_record_with_findings(tmp_path: Path, bundled: Lexicon, texts: list[str]) -> None:
    path = str(_dump(tmp_path / "k.jsonl", texts, 9, PLAIN_EDGES))
    matcher = Matcher(bundled)
    kept: dict[str, list[tuple[int, str, dict[str, str]]]] = {"fast": [], "streaming": []}

    def keeper(into: str) -> Callable[[Record, list[Any]], list[Any]]:
        def keep(record: Record, found: list[Any]) -> list[Any]:
            if found:
                kept[into].append((record.row, record.id, dict(record.fields)))
            return found[:1]

        return keep

    fast = [f.to_dict() for f in choice.scan_paths([path], matcher, keep=keeper("fast"))]
    streaming = [f.to_dict() for f in scan_in_process([path], matcher, keep=keeper("streaming"))]
    assert fast == streaming
    assert kept["fast"] == kept["streaming"]
    assert kept["fast"]


def test_shared_corpora_and_the_sample_read_alike(bundled: Lexicon) -> None:
    need_corpora()
    paths = [str(p) for p in sorted(CORPORA.glob("*.jsonl")) + sorted(CORPORA.glob("*.csv"))]
    paths += [str(EXAMPLES / "listings.jsonl"), str(EXAMPLES / "listings.csv")]
    assert all(columnar.accepts(path, ReadOptions()) for path in paths)
    findings, errors, _, _ = _agree(paths, Matcher(bundled, MatchOptions(fuzzy=True)))
    assert findings
    assert errors == []


def test_workers_read_blocks_as_the_stage_does(tmp_path: Path, bundled: Lexicon, texts: list[str]) -> None:
    paths = [
        str(_dump(tmp_path / "w.jsonl", texts, 10, EDGE_LINES + PLAIN_EDGES, records=1500)),
        str(EXAMPLES / "listings.jsonl"),
    ]
    matcher = Matcher(bundled)

    def workers(paths: list[str], matcher: Matcher, options: ReadOptions, **kwargs: Any) -> Any:
        return scan_paths_parallel(
            paths, matcher, options, jobs=2, size=4096, scanner=columnar.scan_block, **kwargs
        )

    assert _outcome(workers, paths, matcher, ReadOptions()) == _outcome(
        _streaming, paths, matcher, ReadOptions()
    )


def test_a_scan_on_workers_leaves_no_partition_to_the_streaming_reader(
    tmp_path: Path, bundled: Lexicon, texts: list[str], small_blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers' partitions are no longer than a block: a longer one is read by the slower
    streaming reader (a parallel scan once ran so, 1.3 times slower per worker)."""
    monkeypatch.setattr(partition, "MIN_PARTITION_BYTES", 16384)  # partitions of several blocks
    json_path = _dump(tmp_path / "clean.jsonl", texts, 4, PLAIN_EDGES, records=1500)
    csv_path = _csv_dump(tmp_path / "clean.csv", texts, 4, CSV_PLAIN_EDGES)
    paths = [str(json_path), str(csv_path)]
    matcher = Matcher(bundled)
    expected = _outcome(_streaming, paths, matcher, ReadOptions())

    def refused(*args: Any, **kwargs: Any) -> Any:  # inherited by the forked workers
        raise AssertionError("a worker's partition went to the streaming reader")

    monkeypatch.setattr(columnar, "scan_partition", refused)

    def workers(paths: list[str], matcher: Matcher, options: ReadOptions, **kwargs: Any) -> Any:
        return choice.scan_paths(paths, matcher, options, jobs=2, **kwargs)

    assert partition.partition_bytes(paths, 2) > 2 * columnar.BLOCK_BYTES
    assert _outcome(workers, paths, matcher, ReadOptions()) == expected


CSV_EDGES = [
    b"\n",
    b"   \n",
    b'c1,"quoted, ivory",tiger bone\n',
    b'c2,"a quoted field\nover two lines ivory",x\n',
    b"c3,too,many,cells,rhino horn\n",
    b"c4,narrow\n",
    b"c5,nul \x00 ivory,x\n",
    b"c6,bad \xff byte,ivory\n",
    b"c7,lone\rcarriage,ivory\n",
]
CSV_PLAIN_EDGES = [b"c8,crlf ivory,x\r\n", b"  ,  , ivory \n", b",,\n"]


def _csv_dump(path: Path, texts: list[str], seed: int, edges: list[bytes], delimiter: str = ",") -> Path:
    rng = random.Random(seed)
    clean = [t.replace(delimiter, " ").replace('"', " ").replace("\r", " ").replace("\n", " ") for t in texts]
    sep = delimiter.encode()
    lines = [sep.join([b"id", b"title", b"description"]) + b"\n"]
    for number in range(800):
        cells = [
            f" r{number} " if number % 7 == 0 else "",
            rng.choice(clean),
            rng.choice(clean) if number % 3 else "",
        ]
        lines.append(sep.join(cell.encode() for cell in cells) + b"\n")
    for edge in edges:
        lines.insert(rng.randint(2, len(lines)), edge.replace(b",", sep))
    path.write_bytes(b"".join(lines))
    return path


def test_csv_and_tsv_blocks_read_alike(
    tmp_path: Path, bundled: Lexicon, texts: list[str], small_blocks: None, fallbacks: list[int]
) -> None:
    matcher = Matcher(bundled)
    clean = [
        str(_csv_dump(tmp_path / "clean.csv", texts, 1, [])),
        str(_csv_dump(tmp_path / "c.tsv", texts, 2, [], "\t")),
    ]
    findings, errors, _, _ = _agree(clean, matcher)
    assert fallbacks == []
    assert findings
    assert errors == []
    _agree([str(_csv_dump(tmp_path / "plain.csv", texts, 4, CSV_PLAIN_EDGES))], matcher)
    assert fallbacks == []
    for edge in range(len(CSV_EDGES)):
        fallbacks.clear()
        _agree([str(_csv_dump(tmp_path / f"e{edge}.csv", texts, edge, [CSV_EDGES[edge]]))], matcher)
        assert len(fallbacks) == 1, CSV_EDGES[edge]
    every = [str(_csv_dump(tmp_path / "all.csv", texts, 3, CSV_EDGES + CSV_PLAIN_EDGES)), *clean]
    _, errors, _, _ = _agree(every, matcher)
    assert errors
    _agree(every, matcher, ReadOptions(fields=("title", "body")))
    _agree(every, matcher, ReadOptions(fields=("description",), id_field="title"))
    _agree(every, matcher, ReadOptions(max_record_bytes=100))
