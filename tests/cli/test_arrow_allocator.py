"""The command line takes Arrow's system allocator (a batch's memory goes back when it is done),
unless the user chose one; a program that imports the library keeps Arrow's default."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_BACKEND = "import {module}, pyarrow; print(pyarrow.default_memory_pool().backend_name)"


def _backend(module: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run([sys.executable, "-c", _BACKEND.format(module=module)], env={**clean, **env},
                          capture_output=True, text=True, check=True, timeout=60)  # fmt: skip
    return done.stdout.strip()


@pytest.mark.timeout(120)
def test_the_command_line_uses_the_system_allocator_unless_told_otherwise() -> None:
    assert _backend("wildcli.cli") == "system"
    assert _backend("wildcli.cli", ARROW_DEFAULT_MEMORY_POOL="mimalloc") == "mimalloc"
    assert _backend("wildcli") != "system"
