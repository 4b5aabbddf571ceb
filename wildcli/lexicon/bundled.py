"""Where the lexicons shipped with wildcli are (a module of its own: finding them must not load
the YAML machinery, which a cached matcher never needs)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_lexicon_dir() -> Path:
    """The lexicons shipped with wildcli: inside the installed package, else the source checkout."""
    packaged = resources.files("wildcli") / "lexicons"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "lexicons"
