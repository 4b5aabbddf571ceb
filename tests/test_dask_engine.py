"""The Dask engine gives exactly the local engine's findings, counts and errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EXAMPLES, VALID_LEXICON
from tests.test_parallel import SMALL, make_dump, scan
from wildcli.cli import app
from wildcli.errors import UsageError
from wildcli.lexicon import load_lexicon
from wildcli.match.matcher import Matcher
from wildcli.readers import ReadOptions
from wildcli.scanning.dask_engine import INSTALL_HINT, scan_paths_dask
from wildcli.scanning.local import ScanSummary


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    # Threads, not processes: the same code path for tasks, and seconds faster to start in CI.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:  # fmt: skip
        yield cluster.scheduler_address


def test_dask_scan_equals_the_local_scan(scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # relative paths are sent to the workers as absolute ones
    make_dump(tmp_path / "many.jsonl", 400)
    make_dump(tmp_path / "many.csv", 300)
    make_dump(tmp_path / "queries.txt", 400)
    make_dump(tmp_path / "log.tsv", 300)
    paths = [str(EXAMPLES / "listings.jsonl"), "many.jsonl", "many.csv", "queries.txt", "log.tsv", "missing.csv"]
    matcher = Matcher(load_lexicon([VALID_LEXICON]))
    local = scan([Path(p) for p in paths], matcher, 2)
    summary, errors = ScanSummary(), []
    found = list(scan_paths_dask(paths, matcher, ReadOptions(), scheduler=scheduler, summary=summary,
                                 on_error=lambda e: errors.append(str(e)), size=SMALL))  # fmt: skip
    assert local[0]
    assert any(e.startswith("many.csv:") for e in local[2])
    assert any(f.count is not None and f.source == "log.tsv" for f in local[0])
    assert any(f.source == "queries.txt" for f in local[0])
    assert (found, summary, errors) == local


def test_missing_dask_is_a_usage_error_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    matcher = Matcher(load_lexicon([VALID_LEXICON]))
    with pytest.raises(UsageError, match=r"pip install 'wildcli\[dask\]'"):
        list(scan_paths_dask([str(EXAMPLES / "listings.jsonl")], matcher))
    assert "wildcli[dask]" in INSTALL_HINT


def test_cli_dask_engine_writes_what_the_local_engine_writes(scheduler: str) -> None:
    args = ["scan", str(EXAMPLES / "listings.jsonl"), "--format", "jsonl", "--no-bundled",
            "--lexicon", str(VALID_LEXICON)]
    local = CliRunner().invoke(app, [*args, "--jobs", "1"], catch_exceptions=False)
    dask = CliRunner().invoke(app, [*args, "--engine", "dask", "--scheduler", scheduler], catch_exceptions=False)
    assert dask.exit_code == local.exit_code == 0
    assert local.stdout
    assert dask.stdout == local.stdout


def test_cli_without_dask_exits_2_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(app, ["scan", str(EXAMPLES / "listings.jsonl"), "--engine", "dask"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: {INSTALL_HINT}"]
