"""The obfuscation benchmark script runs end to end (on a tiny corpus; speed is not judged)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT, VALID_LEXICON


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_obfuscation", ROOT / "bench" / "obfuscation.py")
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def _tiny(tmp_path: Path) -> Path:
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text('{"title": "carved 1v0ry netsuke"}\n{"title": "oak table"}\n', "utf-8")
    return corpus


def test_bench_reports_throughput_and_ratio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench()
    status = bench.main(["--lexicon", str(VALID_LEXICON), "--corpus", str(_tiny(tmp_path)), "--repeat", "1", "--fuzzy"])
    assert status == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    (result,) = summary["results"]
    assert result["records"] == 2
    assert result["on"]["findings"] == 1
    assert result["off"]["findings"] == 0
    assert result["ratio_on_off"] > 0


def test_a_missed_target_is_printed_and_fails_only_with_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _bench()
    bench.TARGET_RATIO = 1e9  # no ratio can meet it
    args = ["--lexicon", str(VALID_LEXICON), "--corpus", str(_tiny(tmp_path)), "--repeat", "1"]
    assert bench.main(args) == 0
    assert "missed" in capsys.readouterr().out
    assert bench.main([*args, "--strict"]) == 1
