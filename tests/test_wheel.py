"""The built wheel carries the lexicons and works outside the source checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT, check=True, capture_output=True,
    )
    (built,) = out.glob("wildcli-*.whl")
    return built


def test_wheel_contains_lexicons_and_schemas(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("wildcli/lexicons/") and n.endswith("/concept.yaml") for n in names)
    assert "wildcli/cli/app.py" in names


def test_installed_wheel_scans_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}
    probe = subprocess.run(
        [sys.executable, "-c", "import wildcli, wildcli.lexicon as l; print(wildcli.__file__); print(l.bundled_lexicon_dir())"],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True,
    )
    module_file, lexicon_dir = probe.stdout.split()
    assert module_file.startswith(str(target))
    assert lexicon_dir == str(target / "wildcli" / "lexicons")
    scan = subprocess.run(
        [sys.executable, "-m", "wildcli", "scan", str(EXAMPLES / "listings.jsonl"), "--format", "jsonl"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert scan.returncode == 0, scan.stderr
    findings = [json.loads(line) for line in scan.stdout.splitlines()]
    assert findings, "the bundled sample has positives"
    assert all(f["source"].endswith("listings.jsonl") for f in findings)
