"""What the rules look at: the layered lexicon, its raw YAML files and the loader's errors.

Rules see both what the model keeps and what it drops (layout, comments, order).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from wildcli.errors import LexiconError, Location
from wildcli.lexicon.loader import display_path
from wildcli.lexicon.model import Concept, Lexicon, Status, Term
from wildcli.lexicon.rules.base import Problem
from wildcli.lexicon.yamlfile import YamlDocument, parse_yaml

if TYPE_CHECKING:
    from wildcli.match.decisions import Decision


class Judge(Protocol):
    """What the example rules ask of a text: every candidate hit and what was decided about it.
    The lint run hands the rules a factory of judges (the matcher, in `lint_lexicon`), so that
    the rules themselves never build or import the matcher."""

    def decide(self, text: str) -> list[Decision]: ...


JudgeFactory = Callable[[Lexicon, Any], Judge]
"""A judge for a lexicon; the second argument, when not None, is the judge of a lexicon the first
only adds terms to, which the new judge may build on."""


@dataclass
class LexiconFile:
    """One YAML file of a lexicon directory, as text and parsed; `lang` is None for concept.yaml."""

    path: Path
    concept: str
    lang: str | None
    display: str = ""
    text: str | None = None
    doc: YamlDocument | None = None

    def __post_init__(self) -> None:
        self.display = display_path(self.path)
        if self.doc is not None:  # the loader's reading of the same file
            self.text = self.doc.text
            return
        try:
            self.text = self.path.read_bytes().decode("utf-8")
            self.doc = parse_yaml(self.text, self.display)
        except (OSError, UnicodeDecodeError, LexiconError):
            pass  # the loader reports it (WL001)

    def entries(self) -> list[Any]:
        data = self.doc.data if self.doc else None
        terms = data.get("terms") if isinstance(data, dict) and self.lang else None
        return terms if isinstance(terms, list) else []


@dataclass
class LintContext:
    """What the rules look at: the layered lexicon, the raw files, and the loader's errors."""

    lexicon: Lexicon
    files: list[LexiconFile]
    load_errors: list[LexiconError]
    judges: JudgeFactory
    focus: frozenset[str] | None = None
    """The files (display paths) whose problems are wanted; None for all of them."""
    _judges: dict[bool, Judge] = field(default_factory=dict)
    _index: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for n, f in enumerate(self.files):
            for i, entry in enumerate(f.entries()):
                if isinstance(entry, dict) and isinstance(entry.get("term"), str):
                    self._index.setdefault((f.display, entry["term"]), (n, i))

    def judge(self, preview: bool = False) -> Judge:
        """The judge of the lexicon; with `preview`, proposed terms are judged as if approved."""
        if preview not in self._judges:
            if not preview:
                self._judges[preview] = self.judges(self.lexicon, None)
            else:
                terms = tuple(dataclasses.replace(t, status=Status.APPROVED) if t.status is Status.PROPOSED
                              else t for t in self.lexicon.terms)  # fmt: skip
                lexicon = dataclasses.replace(self.lexicon, terms=terms)
                self._judges[preview] = self.judges(lexicon, self.judge())
        return self._judges[preview]

    def terms(self) -> Iterator[Term]:
        """Terms still in use: retired ones are kept for history and not checked."""
        return (t for t in self.lexicon.terms if t.status is not Status.RETIRED)

    def reports(self, path: str) -> bool:
        """Whether problems located in `path` are wanted (all are, without a focus)."""
        return self.focus is None or path in self.focus

    def concerns(self, problem: Problem) -> bool:
        """Whether `problem` is wanted: it is in, or also about, a file of the focus."""
        related = problem.related
        return self.reports(problem.location.path) or (related is not None and self.reports(related))

    # Rules whose work is per file or per item go through these, so that linting one changed
    # file does that work for its items only; cross-file checks still see the whole lexicon.
    def focused_files(self) -> Iterator[LexiconFile]:
        return (f for f in self.files if self.reports(f.display))

    def focused_terms(self) -> Iterator[Term]:
        return (t for t in self.terms() if self.reports(t.location.path if t.location else ""))

    def focused_concepts(self) -> Iterator[Concept]:
        return (c for c in self.lexicon.concepts.values()
                if self.reports(c.location.path if c.location else ""))

    def _entry(self, term: Term) -> tuple[int, int] | None:
        return self._index.get((term.location.path if term.location else "", term.term))

    def file_order(self, term: Term) -> tuple[str, str, int, int]:
        """Terms of earlier layers, then of earlier lines, first."""
        found = self._entry(term)
        line = term.location.line or 0 if term.location else 0
        return (term.concept, term.lang, found[0] if found else -1, line)

    def term_location(self, term: Term, *sub: str | int) -> Location:
        found = self._entry(term)
        doc = self.files[found[0]].doc if found else None
        if found is None or doc is None:
            return term.location or Location("<lexicon>")
        return doc.location(("terms", found[1], *sub))

    def concept_location(self, concept: Concept, *sub: str | int) -> Location:
        path = concept.location.path if concept.location else ""
        doc = next((f.doc for f in self.files if f.display == path and f.doc), None)
        return doc.location(sub) if doc else Location(path)
