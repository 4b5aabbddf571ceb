"""Golden files for exporters: `pytest tests/exporters --update-golden` rewrites them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DATA
from wildcli.exporters.selection import Reading
from wildcli.lexicon import Lexicon, Term, load_lexicon

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
EXPORT_LEXICON = DATA / "lexicons" / "export"
RESTRICTED_TERM = "white gold tusk"
TEST_KEY = b"wildcli-test-key-not-secret"

Golden = Callable[[str, str], None]


def alone(text: str, term: Term) -> str:
    """A variant judge that keeps every generated spelling as safe alone (for fake variant rules)."""
    return Reading.ALONE


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden from the exporters.")


def _updating(config: pytest.Config) -> bool:
    # The option exists only when this conftest is loaded at start-up (pytest tests/exporters);
    # the variable works from anywhere.
    return bool(config.getoption("--update-golden", default=False)) or os.environ.get("WILDCLI_UPDATE_GOLDEN") == "1"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Compare text with tests/golden/<name> byte for byte, or rewrite it when updating."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if _updating(request.config):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            return
        assert path.is_file(), f"{path} missing: run pytest tests/exporters --update-golden"
        assert text.encode("utf-8") == path.read_bytes(), f"{name} differs from its golden file"

    return check


@pytest.fixture(scope="session")
def export_lexicon() -> Lexicon:
    return load_lexicon([EXPORT_LEXICON])
