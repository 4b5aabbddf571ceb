"""The lint rules WL001–WL021, one class each, grouped by what they check; RULES lists them by id."""

from __future__ import annotations

from wildcli.lexicon.rules.base import Problem, ProblemSeverity, Rule
from wildcli.lexicon.rules.citations import MirrorCitation, OffTopicCitation, QuoteRequired
from wildcli.lexicon.rules.context import LexiconFile, LintContext
from wildcli.lexicon.rules.data import (
    ApprovedWithoutSources,
    DuplicateAcrossConcepts,
    DuplicateAcrossLanguages,
    DuplicateInFile,
    LoadErrors,
    MissingLabel,
    ProposedWithoutSources,
    UnknownContextConcept,
)
from wildcli.lexicon.rules.examples import CounterExampleFound, ExampleNotFound, NoExamples
from wildcli.lexicon.rules.selling import EverydaySellingPhrase
from wildcli.lexicon.rules.style import NotCanonical, SchemaComment, Unsorted
from wildcli.lexicon.rules.text import BadTerm, HiddenCharacters
from wildcli.lexicon.rules.wordless import Wordless

_CLASSES: tuple[type[Rule], ...] = (
    LoadErrors, DuplicateInFile, DuplicateAcrossConcepts, ExampleNotFound, CounterExampleFound,
    ApprovedWithoutSources, ProposedWithoutSources, Unsorted, NotCanonical, SchemaComment,
    HiddenCharacters, BadTerm, UnknownContextConcept, MissingLabel, NoExamples, DuplicateAcrossLanguages,
    Wordless, MirrorCitation, OffTopicCitation, QuoteRequired, EverydaySellingPhrase,
)
RULES: tuple[Rule, ...] = tuple(sorted((cls() for cls in _CLASSES), key=lambda r: r.rule_id))

__all__ = ["RULES", "LexiconFile", "LintContext", "Problem", "ProblemSeverity", "Rule"]
