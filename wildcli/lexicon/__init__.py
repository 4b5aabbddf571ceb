"""Lexicon model, loading and layering, and lint rules."""

from wildcli.lexicon.loader import LexiconProblems, bundled_lexicon_dir, load_lexicon
from wildcli.lexicon.model import (
    Concept,
    Kind,
    Lexicon,
    Role,
    Sensitivity,
    Severity,
    Source,
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
    "Species",
    "Status",
    "Term",
    "bundled_lexicon_dir",
    "load_lexicon",
]
