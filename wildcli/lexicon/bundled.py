"""Where the lexicons shipped with wildcli are (a module of its own: finding them must not load
the YAML machinery, which a cached matcher never needs)."""

from __future__ import annotations

from pathlib import Path


def bundled_lexicon_dir() -> Path:
    """The lexicons shipped with wildcli: inside the installed package, else the source checkout.

    A plain path, not `importlib.resources`: wildcli is never imported from a zip file, and that
    module costs a tenth of a cached start (it imports `inspect`, `tempfile` and `subprocess`)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "lexicons"
    if packaged.is_dir():
        return packaged
    return package.parent / "lexicons"
