"""The table, a report for people, leaves out monitor findings unless asked, and says how many."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import VALID_LEXICON

WEAK_TERM = """\
# yaml-language-server: $schema=../../../../../wildcli/schema/terms.schema.json
terms:
  - term: tiger stripes
    kind: name
    severity: monitor
    status: approved
    sources:
      - title: Fixture source
        url: https://example.org/m
        year: 2021
    added: "2026-11-29"
    examples:
      - "tiger stripes rug"
    counter_examples:
      - "zebra print rug"
"""


@pytest.fixture
def lexicon(tmp_path: Path) -> list[str]:
    root = tmp_path / "lexicon"
    shutil.copytree(VALID_LEXICON, root)
    (root / "tiger_parts" / "en.yaml").write_text(WEAK_TERM, "utf-8")
    return ["--no-bundled", "--lexicon", str(root)]


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "listings.jsonl"
    rows = [
        {"id": "A", "title": "Carved ivory netsuke, DM for price"},
        {"id": "B", "title": "tiger stripes rug, two of them: tiger stripes"},
        {"id": "C", "title": "Road bike"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def test_the_table_leaves_monitor_findings_out_and_counts_them(lexicon: list[str], dump: Path) -> None:
    result = run("scan", str(dump), *lexicon)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Scanned 3 records")
    assert "1 findings in 1 records" in lines[0]
    assert lines[1] == "Left out 2 monitor findings (weak signals); --min-severity monitor shows them."
    assert "tiger stripes" not in result.stdout
    assert "monitor" not in "\n".join(lines[2:])  # no monitor column when they are left out


def test_asked_for_they_are_shown(lexicon: list[str], dump: Path) -> None:
    result = run("scan", str(dump), "--min-severity", "monitor", *lexicon)
    assert "3 findings in 2 records" in result.stdout
    assert "Left out" not in result.stdout
    assert "tiger stripes" in result.stdout


def test_hidden_findings_do_not_fail_a_run(lexicon: list[str], dump: Path, tmp_path: Path) -> None:
    weak_only = tmp_path / "weak.jsonl"
    weak_only.write_text(json.dumps({"id": "B", "title": "tiger stripes rug"}) + "\n", "utf-8")
    assert run("scan", str(weak_only), "--fail-on-findings", *lexicon).exit_code == 0
    assert run("scan", str(weak_only), "--fail-on-findings", "--min-severity", "monitor", *lexicon).exit_code == 1


def test_machine_formats_keep_every_finding(lexicon: list[str], dump: Path) -> None:
    result = run("scan", str(dump), "--format", "jsonl", *lexicon)
    severities = sorted(json.loads(line)["severity"] for line in result.stdout.splitlines())
    assert severities == ["monitor", "monitor", "review"]
