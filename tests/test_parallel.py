"""`--jobs N` scans: the same findings, summary and errors in the same order as one process."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import VALID_LEXICON
from wildcli.cli import app
from wildcli.errors import InputError
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions, Record
from wildcli.scanning.choice import scan_paths
from wildcli.scanning.local import ScanSummary
from wildcli.scanning.parallel import PartResult, WorkerLost, scan_paths_parallel
from wildcli.scanning.partition import Partition

SMALL = 1500  # bytes per partition: dozens of partitions from a few hundred records

WORDS = ["carved", "antique", "bangle", "old", "set", "pair", "white", "figure", "netsuke", "heavy"]
TERMS = ["ivory", "elephant ivory", "bovine bone", "ngà voi", "象牙", "dm for price"]


def _text(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(3, 12))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(TERMS))
    return " ".join(words)


def _jsonl_line(rng: random.Random, i: int) -> bytes:
    kind = rng.random()
    if kind < 0.03:
        return b'{"id": 1, "title": "cut off\n'
    if kind < 0.05:
        return b"[1, 2]\n"
    if kind < 0.07:
        return b'{"id": "x", "title": "bad \xff byte"}\n'
    if kind < 0.09:
        return b'{"title": "nul \x00 byte"}\n'
    if kind < 0.12:
        return rng.choice([b"\n", b"   \n", b"\r\n"])
    record: dict[str, object] = {"title": _text(rng), "description": _text(rng), "price": i}
    if rng.random() < 0.7:
        record["id"] = rng.choice([f"L{i}", i, "", "7"])  # ids missing, empty, numeric, repeated
    ending = b"\r\n" if rng.random() < 0.1 else b"\n"
    return json.dumps(record, ensure_ascii=rng.random() < 0.5).encode() + ending


def _csv_cell(rng: random.Random) -> str:
    text = _text(rng)
    if rng.random() < 0.3:
        text = text.replace(" ", "\n", 2)  # a quoted field over several lines
    if rng.random() < 0.2:
        text += ' "quoted", yes'
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in '\n",') else text


def _csv_line(rng: random.Random, i: int) -> bytes:
    kind = rng.random()
    if kind < 0.03:
        return b"1,only two\n"
    if kind < 0.05:
        return b'2,"bad \xff byte",x,1\n'
    if kind < 0.07:
        return b"\n"
    record_id = rng.choice([f"L{i}", "", str(i)])
    cells = [record_id, _csv_cell(rng), _csv_cell(rng), str(i)]
    return ",".join(cells).encode() + (b"\r\n" if rng.random() < 0.1 else b"\n")


_ODD_QUERY_LINES = [b"bad \xff byte query\n", b"nul \x00 query\n", b"\n", b"   \n", b"\r\n", b"\t\n"]


def _query_line(rng: random.Random, i: int) -> bytes:
    if rng.random() < 0.12:
        return rng.choice(_ODD_QUERY_LINES)
    text = _text(rng)[: rng.randint(5, 40)]
    return (" " * rng.randint(0, 2) + text).encode() + (b"\r\n" if rng.random() < 0.1 else b"\n")


def _log_line(rng: random.Random, i: int) -> bytes:
    kind = rng.random()
    if kind < 0.03:
        count = rng.choice(["lots", "-3", "1.5", "", "1 234"])
    elif kind < 0.1:
        count = f"{rng.randint(1000, 10**6):,}"
    else:
        count = str(rng.randint(0, 500))
    if kind > 0.97:
        return b"a query without its count\n"
    return f"{_text(rng)[:40]}\t{count}\n".encode()


def make_dump(path: Path, records: int, seed: int = 7) -> Path:
    """A dump with findings, bad rows, blank lines, multi-line CSV fields and missing ids; a .txt
    query file or a .tsv query log (with bad counts) by its name."""
    rng = random.Random(seed)
    with path.open("wb") as out:
        if path.suffix == ".csv":
            out.write(b"id,title,description,price\n")
            out.writelines(_csv_line(rng, i) for i in range(records))
        elif path.suffix == ".txt":
            out.writelines(_query_line(rng, i) for i in range(records))
        elif path.suffix == ".tsv":
            out.write(b"query\tsearches\n")
            out.writelines(_log_line(rng, i) for i in range(records))
        else:
            out.writelines(_jsonl_line(rng, i) for i in range(records))
    return path


def scan(paths: Sequence[Path], matcher: Matcher, jobs: int, options: ReadOptions = ReadOptions(),
         **kwargs: object) -> tuple[list[Finding], ScanSummary, list[str]]:  # fmt: skip
    """Findings, summary and error lines of a scan on `jobs` processes with small partitions."""
    summary, errors = ScanSummary(), []
    names = [str(p) for p in paths]
    if jobs == 1:
        found = list(scan_paths(names, matcher, options, summary=summary, on_error=lambda e: errors.append(str(e)),
                                **kwargs))  # type: ignore[arg-type]
    else:
        found = list(scan_paths_parallel(names, matcher, options, jobs=jobs, summary=summary, size=SMALL,
                                         on_error=lambda e: errors.append(str(e)), **kwargs))  # type: ignore[arg-type]
    return found, summary, errors


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("dumps")
    return [make_dump(folder / "a.jsonl", 600), make_dump(folder / "b.csv", 500, seed=3),
            make_dump(folder / "tiny.jsonl", 3, seed=5), make_dump(folder / "queries.txt", 700, seed=13),
            make_dump(folder / "log.tsv", 500, seed=17)]


@pytest.mark.parametrize("jobs", [2, 3])
def test_library_scan_is_identical_on_any_number_of_jobs(
    dumps: list[Path], fixture_matcher: Matcher, jobs: int
) -> None:
    one = scan(dumps, fixture_matcher, 1)
    many = scan(dumps, fixture_matcher, jobs)
    assert one[0], "the dumps have findings"
    assert one[2], "and bad rows"
    assert {f.source.rsplit(".", 1)[1] for f in one[0] if f.count is not None} == {"txt", "tsv"}
    assert one[1].counted
    assert one[1].searches > one[1].records  # the query log's counts
    assert many[0] == one[0]
    assert many[1] == one[1]
    assert many[2] == one[2]


def test_requested_fields_and_ids_behave_as_in_one_process(dumps: list[Path], fixture_matcher: Matcher) -> None:
    options = ReadOptions(fields=("title", "nowhere"), id_field="price")
    assert scan(dumps[:1], fixture_matcher, 2, options) == scan(dumps[:1], fixture_matcher, 1, options)


def test_a_filter_sees_the_same_records(dumps: list[Path], fixture_matcher: Matcher) -> None:
    def keeper(seen: list[tuple[object, ...]]) -> object:
        def keep(record: Record, found: list[Finding]) -> list[Finding]:
            if found:
                seen.append((record.source, record.row, record.id, record.line, dict(record.fields),
                             record.count, record.counted))
            return found[1:]  # drops some findings, so counts depend on the filter

        return keep

    seen_one: list[tuple[object, ...]] = []
    seen_many: list[tuple[object, ...]] = []
    one = scan(dumps, fixture_matcher, 1, keep=keeper(seen_one))
    many = scan(dumps, fixture_matcher, 2, keep=keeper(seen_many))
    assert many == one
    assert seen_many == seen_one


def test_a_stray_quote_that_fools_the_planner_still_reads_right(
    tmp_path: Path, fixture_matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quote inside an unquoted field is data to the csv module, but flips the planner's count,
    # so that it cuts inside the quoted two-line fields after it.
    rows = [b"id,title\n"] + [f'{i},"carved\nivory {i}"\n'.encode() for i in range(400)]
    rows[30] = b'30,a 5" ivory\n'
    path = tmp_path / "stray.csv"
    path.write_bytes(b"".join(rows))
    redone = []
    monkeypatch.setattr("wildcli.scanning.parallel.scan_partition", _spy(redone))
    assert scan([path], fixture_matcher, 2) == scan([path], fixture_matcher, 1)
    assert redone, "the main process read the rest of the file itself"


def _spy(calls: list[Partition]) -> Callable[..., PartResult]:
    from wildcli.scanning.parallel import scan_partition

    def spy(part: Partition, *args: Any, **kwargs: Any) -> PartResult:
        calls.append(part)
        return scan_partition(part, *args, **kwargs)

    return spy


def test_stopping_on_the_first_error_raises_the_same_error(dumps: list[Path], fixture_matcher: Matcher) -> None:
    names = [str(p) for p in dumps]
    with pytest.raises(InputError) as one:
        list(scan_paths(names, fixture_matcher))
    with pytest.raises(InputError) as many:
        list(scan_paths_parallel(names, fixture_matcher, ReadOptions(), jobs=2, summary=ScanSummary(), size=SMALL))
    assert str(many.value) == str(one.value)


def _cli(args: list[str], jobs: int, monkeypatch: pytest.MonkeyPatch, stdin: bytes | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr("wildcli.scanning.partition.MIN_PARTITION_BYTES", SMALL)
    result = CliRunner().invoke(app, ["scan", *args, "--no-bundled", "--lexicon", str(VALID_LEXICON),
                                      "--jobs", str(jobs)], input=stdin, catch_exceptions=False)
    errors = [line for line in result.stderr.splitlines() if not line.startswith("scanned ")]
    return result.exit_code, result.stdout, "\n".join(errors)


@pytest.mark.parametrize("extra", [["--format", "jsonl"], ["--format", "csv", "--max-errors", "7"]])
def test_cli_output_is_identical_on_any_number_of_jobs(
    dumps: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    args = [*map(str, dumps), "-", str(tmp_path / "missing.jsonl"), *extra]
    stdin = make_dump(tmp_path / "stdin.jsonl", 50, seed=11).read_bytes()
    one = _cli(args, 1, monkeypatch, stdin)
    assert one[0] in (65, 66)  # 65: stopped by --max-errors before the missing file
    assert one[1]
    assert "error: " in one[2]
    assert _cli(args, 2, monkeypatch, stdin) == one
    assert _cli(args, 3, monkeypatch, stdin) == one


@pytest.mark.parametrize("which", [slice(0, 3), slice(3, 5)], ids=["dumps", "queries"])
def test_cli_table_and_summary_are_identical(dumps: list[Path], monkeypatch: pytest.MonkeyPatch, which: slice) -> None:
    args = [*map(str, dumps[which]), "--top", "50"]
    one = _cli(args, 1, monkeypatch)
    assert ("searches" in one[1]) is (which.start == 3)  # the queries' table is weighed by counts
    assert _cli(args, 2, monkeypatch) == one


def test_cli_baseline_is_identical(dumps: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def baseline(jobs: int) -> str:
        path = tmp_path / f"baseline{jobs}.json"
        _cli([*map(str, dumps), "--format", "jsonl", "--write-baseline", str(path)], jobs, monkeypatch)
        return path.read_text("utf-8")

    assert baseline(2) == baseline(1)


def test_scheduler_needs_the_dask_engine() -> None:
    result = CliRunner().invoke(app, ["scan", "x.jsonl", "--scheduler", "tcp://host:8786"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --scheduler needs --engine dask"


def test_over_long_records_are_skipped_the_same_way(dumps: list[Path], fixture_matcher: Matcher) -> None:
    options = ReadOptions(max_record_bytes=150)  # many lines and multi-line CSV fields are too long
    one = scan(dumps, fixture_matcher, 1, options)
    assert any("longer than 150 bytes" in error for error in one[2])
    assert scan(dumps, fixture_matcher, 3, options) == one


def test_a_worker_that_dies_ends_the_scan_instead_of_hanging(
    dumps: list[Path], fixture_matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wildcli.scanning.parallel.scan_partition", lambda *args, **kwargs: os._exit(9))  # in the worker
    with pytest.raises(WorkerLost):
        scan(dumps[:1], fixture_matcher, 2)


@pytest.mark.timeout(60)  # a multiprocessing.Pool here waited on a dead worker's queue lock for minutes
def test_the_scan_stops_at_once_when_every_worker_is_killed(dumps: list[Path], fixture_matcher: Matcher) -> None:
    import multiprocessing
    import signal

    found = scan_paths_parallel([str(p) for p in dumps], fixture_matcher, ReadOptions(), jobs=2,
                                summary=ScanSummary(), size=SMALL, on_error=lambda e: None)  # fmt: skip
    next(found)  # the workers are running, or waiting for their next partition
    workers = multiprocessing.active_children()
    assert len(workers) == 2
    for worker in workers:
        os.kill(worker.pid or 0, signal.SIGKILL)
    with pytest.raises(WorkerLost, match=r"^a scan worker process died \(killed by SIGKILL; out of memory\?\)"):
        list(found)
    assert multiprocessing.active_children() == []


def test_no_more_workers_than_partitions(dumps: list[Path], fixture_matcher: Matcher) -> None:
    import multiprocessing

    path = str(dumps[0])
    size = os.path.getsize(path) // 3 + 1  # three partitions
    found = scan_paths_parallel([path], fixture_matcher, ReadOptions(), jobs=64, summary=ScanSummary(),
                                size=size, on_error=lambda e: None)  # fmt: skip
    next(found)
    assert len(multiprocessing.active_children()) == 3
    found.close()
    assert multiprocessing.active_children() == []


def test_useful_jobs_caps_at_partitions_and_four_per_core(dumps: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from wildcli.scanning.partition import estimate, partition_bytes, useful_jobs

    monkeypatch.setattr("wildcli.scanning.partition.MIN_PARTITION_BYTES", SMALL)
    paths = [str(p) for p in dumps]
    assert estimate(paths, partition_bytes(paths, 1000)) > 8
    assert useful_jobs(paths, 1000, cores=2) == 8
    assert useful_jobs(paths, 3, cores=2) == 3
    assert useful_jobs(paths[:1], 1000, cores=64) == estimate(paths[:1], partition_bytes(paths[:1], 1000))


@pytest.mark.timeout(60)
def test_a_worker_that_died_between_partitions_is_lost_not_a_broken_pipe() -> None:
    # The next partition sent to a worker killed since its last result meets a closed pipe: that
    # is the worker lost (exit 71), not an output that could not be written (BrokenPipeError, 73).
    import signal
    from typing import Any, cast

    from wildcli.scanning.parallel import _Workers

    workers = _Workers(1)
    try:
        process = workers.workers[0].process
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
        with pytest.raises(WorkerLost, match=r"^a scan worker process died \(killed by SIGKILL"):
            workers.submit(cast(Any, "a partition"))
    finally:
        workers.stop()
