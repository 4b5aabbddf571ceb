"""Fixtures for the reader tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .support import Read, read_all


@pytest.fixture
def read() -> Read:
    return read_all


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    """Write bytes (or UTF-8 text) to tmp_path/name and return the path."""

    def _write(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write
