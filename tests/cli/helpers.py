"""Running the CLI in-process the way a user would, with stdout and stderr kept apart."""

from __future__ import annotations

from typer.testing import CliRunner, Result

from tests.conftest import VALID_LEXICON
from wildcli.cli import app

FIXTURE = ["--no-bundled", "--lexicon", str(VALID_LEXICON)]


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
