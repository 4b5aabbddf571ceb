"""`wildcli suggest` end to end: table, JSON, proposals that lint, and input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import FIXTURE, run
from tests.conftest import VALID_LEXICON
from tests.test_suggest import synthetic_listings


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "planted.jsonl"
    rows = [{"id": r.id, **r.fields} for r in synthetic_listings("snowbone")]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_json_lists_candidates_with_their_evidence(dump: Path) -> None:
    result = run("suggest", str(dump), "--format", "json", "--top", "5", *FIXTURE)
    assert result.exit_code == 0, result.stderr
    candidates = json.loads(result.stdout)
    assert 1 <= len(candidates) <= 5
    planted = next(c for c in candidates if c["term"] == "snowbone")
    assert {"term", "score", "concept", "count", "background", "lang", "reason", "examples"} <= set(planted)
    assert planted["concept"] == "ivory"
    assert planted["lang"] == "en"
    assert planted["count"] > planted["background"]
    assert len(planted["examples"]) == 3
    assert [c["score"] for c in candidates] == sorted((c["score"] for c in candidates), reverse=True)


def test_table_shows_the_ranking(dump: Path) -> None:
    result = run("suggest", str(dump), "--top", "3", *FIXTURE)
    assert result.exit_code == 0
    assert "candidate terms" in result.stdout
    line = next(line for line in result.stdout.splitlines() if "snowbone" in line)
    assert "ivory" in line
    assert "log-odds z=" in line


def test_proposals_are_written_canonical_and_pass_lint(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "proposals"
    result = run("suggest", str(dump), "--top", "3", "--write-proposals", str(out), *FIXTURE)
    assert result.exit_code == 0, result.stderr
    assert "proposed terms written to 1 file(s)" in result.stderr
    text = (out / "ivory" / "en.yaml").read_text("utf-8")
    assert "term: snowbone" in text
    assert "status: proposed" in text
    assert "contributor: wildcli suggest" in text
    assert run("fmt", "--check", str(out)).exit_code == 0
    lint = run("lint", str(VALID_LEXICON), str(out))
    assert lint.exit_code == 0, lint.stdout + lint.stderr


def test_missing_and_broken_inputs_are_reported_but_the_rest_is_used(dump: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "b1", "title": "x"}\n{not json\n', "utf-8")
    result = run("suggest", str(dump), str(broken), str(tmp_path / "missing.csv"), "--format", "json", *FIXTURE)
    assert result.exit_code == 66
    assert "missing.csv" in result.stderr
    assert "broken.jsonl:2" in result.stderr
    assert any(c["term"] == "snowbone" for c in json.loads(result.stdout))
    result = run("suggest", str(dump), str(broken), "--format", "json", *FIXTURE)
    assert result.exit_code == 65
