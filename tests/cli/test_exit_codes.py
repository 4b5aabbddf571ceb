"""Exit codes are part of the interface: named once, documented in the README, pinned here."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from wildcli.cli.console import ExitCode

PINNED = {
    "OK": 0,
    "FINDINGS": 1,
    "USAGE": 2,
    "DATA_ERROR": 65,
    "NO_INPUT": 66,
    "WORKER_LOST": 71,
    "CANT_CREATE": 73,
    "LEXICON_ERROR": 78,
    "INTERRUPTED": 130,
    "CLOSED_PIPE": 141,
}
SIGNALS = {143, 129}  # SIGTERM and SIGHUP: 128 + the signal's number, documented with 130


def test_exit_codes_are_pinned() -> None:
    assert {code.name: int(code) for code in ExitCode} == PINNED


def test_readme_documents_every_exit_code() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(m) for m in re.findall(r"^\|\s*(\d+)\s*\|", section, re.M)}
    assert documented == set(PINNED.values()) | SIGNALS
