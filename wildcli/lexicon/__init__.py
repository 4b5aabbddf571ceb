"""Lexicon model, loading and layering, and lint rules."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from wildcli.lexicon.bundled import bundled_lexicon_dir
from wildcli.lexicon.model import (
    Concept,
    Kind,
    Lexicon,
    Role,
    Sensitivity,
    Severity,
    Source,
    SourceKind,
    Species,
    Status,
    Term,
)

__all__ = [
    "Concept",
    "Kind",
    "Lexicon",
    "LexiconProblems",
    "Role",
    "Sensitivity",
    "Severity",
    "Source",
    "SourceKind",
    "Species",
    "Status",
    "Term",
    "bundled_lexicon_dir",
    "load_lexicon",
]


def __getattr__(name: str) -> Any:
    # The loader (and with it the YAML parser) is imported on first use: a matcher read from the
    # cache never needs it.
    if name in ("LexiconProblems", "load_lexicon"):
        value = getattr(importlib.import_module("wildcli.lexicon.loader"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'wildcli.lexicon' has no attribute {name!r}")


if TYPE_CHECKING:
    from wildcli.lexicon.loader import LexiconProblems, load_lexicon
