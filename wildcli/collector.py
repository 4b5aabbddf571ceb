"""Keeping Python's cyclic garbage collector out of bulk loading.

Loading a lexicon (from YAML or from the cache) creates hundreds of thousands of objects and no
garbage: each collection would walk everything loaded so far again, which made 100,000 terms
load 3 times slower and a cached 10,000-term lexicon take 0.4 s instead of 0.12 s.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is restored as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
