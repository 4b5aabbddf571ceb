"""`wildcli lint --precision`: a block term with low measured precision in a `wildcli eval` report
gets a WL100 warning suggesting `review`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import VALID_LEXICON

# "elephant ivory" (block) fires on 4 positives and 3 negatives: precision 0.57 over 7 hits.
# "bovine bone" (review) fires on negatives only: it is not block, so it is never reported.
ROWS = [
    *[(f"p{i}", "Elephant ivory tusk for sale", "1") for i in range(4)],
    *[(f"n{i}", "Elephant ivory coloured paint, 5 litres", "0") for i in range(3)],
    *[(f"b{i}", "bovine bone chews for dogs", "0") for i in range(6)],
    ("ngv", "Bán vòng ngà voi thật", "1"),
]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    dump = tmp_path / "labelled.csv"
    with dump.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label"])
        writer.writerows(ROWS)
    target = tmp_path / "eval.json"
    result = run(
        "eval", str(dump), "--label-field", "label", "--fields", "text", "--format", "json",
        "--output", str(target), "--no-bundled", "--lexicon", str(VALID_LEXICON),
    )
    assert result.exit_code == 0, result.stderr
    return target


def test_low_precision_block_term_gets_a_warning_with_its_location(report: Path) -> None:
    result = run("lint", str(VALID_LEXICON), "--precision", str(report))
    assert result.exit_code == 0, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if "[WL100]" in line]
    assert len(warnings) == 1
    line = warnings[0]
    # Located at the term's entry, where a reviewer changes its severity.
    assert "/valid/ivory/en.yaml:17: terms[1]: " in line
    assert "'elephant ivory' is block but its precision is 0.57 in " in line
    assert "(4 of 7 records it fired on were positives; threshold 0.90 from 5 hits)" in line
    assert line.endswith("consider severity: review [WL100] (warning)")
    # Warnings fail only with --strict, like every other lint warning.
    assert run("lint", str(VALID_LEXICON), "--precision", str(report), "--strict").exit_code == 1


def test_thresholds_are_configurable(report: Path) -> None:
    few_hits = run("lint", str(VALID_LEXICON), "--precision", str(report), "--min-hits", "8")
    assert "[WL100]" not in few_hits.stdout
    lenient = run("lint", str(VALID_LEXICON), "--precision", str(report), "--min-precision", "0.5")
    assert "[WL100]" not in lenient.stdout
    as_json = run("lint", str(VALID_LEXICON), "--precision", str(report), "--format", "json")
    problems = [p for p in json.loads(as_json.stdout) if p["rule"] == "WL100"]
    assert [(p["severity"], p["field"], p["line"]) for p in problems] == [("warning", "terms[1]", 17)]


def test_a_term_already_moved_to_review_is_not_reported_again(report: Path, tmp_path: Path) -> None:
    data = json.loads(report.read_text("utf-8"))
    assert any(t["term"] == "bovine bone" and t["precision"] == 0.0 for t in data["terms"])
    lexicon = tmp_path / "lexicon"
    for path in VALID_LEXICON.rglob("*.yaml"):
        target = lexicon / path.relative_to(VALID_LEXICON)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text("utf-8"), "utf-8")
    en = lexicon / "ivory" / "en.yaml"
    text = en.read_text("utf-8")
    en.write_text(text.replace("term: elephant ivory\n    kind: name\n    severity: block", "term: elephant ivory\n    kind: name\n    severity: review"), "utf-8")
    assert "severity: review" in en.read_text("utf-8")
    result = run("lint", str(lexicon), "--precision", str(report))
    assert "[WL100]" not in result.stdout


def test_unreadable_or_foreign_reports_exit_66(tmp_path: Path) -> None:
    missing = run("lint", str(VALID_LEXICON), "--precision", str(tmp_path / "none.json"))
    assert missing.exit_code == 66
    assert "cannot read precision file" in missing.stderr
    foreign = tmp_path / "other.json"
    foreign.write_text('{"terms": []}', "utf-8")
    result = run("lint", str(VALID_LEXICON), "--precision", str(foreign))
    assert result.exit_code == 66
    assert "not a wildcli eval report" in result.stderr
