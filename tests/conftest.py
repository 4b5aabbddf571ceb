"""Shared fixtures: paths to fixture lexicons, sample dumps and the shared research corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from wildcli.lexicon import Lexicon, load_lexicon
from wildcli.match.matcher import Matcher

# `make test` and CI draw the same examples every run, so a pass or a failure can be repeated;
# `make fuzz` (HYPOTHESIS_PROFILE=fuzz) explores at random.
settings.register_profile("repeatable", derandomize=True, database=None)
if not os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
VALID_LEXICON = DATA / "lexicons" / "valid"
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("WILDCLI_SHARED", ROOT.parent / "shared"))
CORPORA = SHARED / "corpora"
RESEARCH = SHARED / "research"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled-lexicon caches go to a folder of this test run, not the user's cache."""
    os.environ["WILDCLI_CACHE_DIR"] = str(tmp_path_factory.mktemp("wildcli-cache"))


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI output without colours or terminal-width wrapping, as typer's own tests do."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(scope="session")
def fixture_lexicon() -> Lexicon:
    return load_lexicon([VALID_LEXICON])


@pytest.fixture(scope="session")
def fixture_matcher(fixture_lexicon: Lexicon) -> Matcher:
    return Matcher(fixture_lexicon)


def need_corpora() -> Path:
    """The shared corpora directory, or skip the test with the reason."""
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA} (set WILDCLI_SHARED to its parent)")
    return CORPORA
