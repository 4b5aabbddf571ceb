"""`make install` puts the wildcli command on PATH, and it works outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_install_puts_wildcli_on_path(tmp_path: Path) -> None:
    bindir = tmp_path / "bin"
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "PIPX_HOME": str(tmp_path / "pipx"),
        "NO_COLOR": "1",
    }
    env.pop("VIRTUAL_ENV", None)
    install = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "install", f"BINDIR={bindir}"],
        env=env, capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert f"install: wildcli is on your PATH ({bindir / 'wildcli'})" in install.stdout
    # As a user types it, from a directory that is not the checkout.
    check = subprocess.run(
        ["bash", "-c", 'wildcli check "rhino horn bracelet"'],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("block   rhino_horn: 'rhino horn'")
    assert shutil.which("wildcli", path=env["PATH"]) == str(bindir / "wildcli")
