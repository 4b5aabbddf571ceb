"""The obfuscation benchmark script runs end to end (on a tiny corpus; speed is not judged)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, VALID_LEXICON


def test_bench_reports_throughput_and_ratio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_obfuscation", ROOT / "bench" / "obfuscation.py")
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text('{"title": "carved 1v0ry netsuke"}\n{"title": "oak table"}\n', "utf-8")
    bench.main(["--lexicon", str(VALID_LEXICON), "--corpus", str(corpus), "--repeat", "1", "--fuzzy"])
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    (result,) = summary["results"]
    assert result["records"] == 2
    assert result["on"]["findings"] == 1
    assert result["off"]["findings"] == 0
    assert result["ratio_on_off"] > 0
