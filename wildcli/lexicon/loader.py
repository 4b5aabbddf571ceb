"""Load and layer lexicon directories: the bundled set first, private overlays after it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from wildcli import collector
from wildcli.errors import LexiconError, Location
from wildcli.lexicon.bundled import bundled_lexicon_dir as bundled_lexicon_dir
from wildcli.lexicon.model import Concept, Lexicon, Term, with_concept_exclusions
from wildcli.lexicon.parse import CONCEPT_ID, LANG_TAG, parse_concept, parse_terms
from wildcli.lexicon.yamlfile import YamlDocument, read_yaml

Parse = Callable[[str, str], YamlDocument]
"""A file's text and display name to its document."""

CONCEPT_FILE = "concept.yaml"
VERSION_FILE = "VERSION"
NON_CONCEPT_FILES = frozenset({"README.md", "CHANGELOG.md", VERSION_FILE, "CODEOWNERS"})

ErrorSink = Callable[[LexiconError], None]


class LexiconProblems(LexiconError):
    """Several lexicon errors at once; `str()` gives the first and how many more there are."""

    def __init__(self, errors: Sequence[LexiconError]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        super().__init__(first.message + more, first.location)
        self.errors = list(errors)


def load_lexicon(
    dirs: Iterable[str | os.PathLike[str]] | None = None,
    *,
    on_error: ErrorSink | None = None,
    with_bundled: bool = False,
    documents: dict[str, YamlDocument] | None = None,
    parse: Parse | None = None,
) -> Lexicon:
    """Load lexicon directories in order, each layering over the previous ones.

    With no `dirs`, the bundled lexicon is loaded; `with_bundled=True` puts it first and layers
    `dirs` over it (how `--lexicon` overlays work). Every problem is passed to `on_error`; without
    a callback they are collected and raised together as LexiconProblems at the end. Each file
    read is put in `documents` (by path) when given, so that lint does not parse it again.
    `parse` turns a file's text into its document (default `yamlfile.parse_yaml`; lint passes a
    `parsememo.ParseMemo`'s, which remembers the files of the last run).
    """
    roots = [Path(d) for d in dirs or ()]
    if not roots or with_bundled:
        roots.insert(0, bundled_lexicon_dir())
    errors: list[LexiconError] = []
    sink: ErrorSink = on_error or errors.append
    layers = _Layers(sink, documents, parse)
    with collector.paused():
        for root in roots:
            layers.add_root(root)
    if errors:
        raise LexiconProblems(errors)
    return layers.result(tuple(str(r) for r in roots))


def display_path(path: Path) -> str:
    """A short, machine-independent name for messages: relative to the cwd when possible.

    Symlinks are not resolved: a link, or a file in a linked directory, is named by the path a
    reviewer sees in the tree, not by where it points.
    """
    here = Path(os.path.abspath(path))
    try:
        return str(here.relative_to(os.getcwd()))  # getcwd() is already free of symlinks
    except ValueError:
        pass
    parts = here.parts
    if "lexicons" in parts:
        return str(Path(*parts[len(parts) - parts[::-1].index("lexicons") - 1 :]))
    return str(path)


class _Layers:
    """Accumulates concepts and terms over several roots; later roots win on the same key."""

    def __init__(
        self, sink: ErrorSink, documents: dict[str, YamlDocument] | None, parse: Parse | None = None
    ) -> None:
        self.sink = sink
        self.documents = documents
        self.parse = parse
        self.concepts: dict[str, Concept] = {}
        self.terms: dict[tuple[str, str, str], Term] = {}
        self.digest = hashlib.sha256()
        self.version: str | None = None

    def add_root(self, root: Path) -> None:
        shown = display_path(root)
        if not root.is_dir():
            self.sink(LexiconError("lexicon directory not found", Location(shown)))
            return
        real_root = root.resolve()
        version = root / VERSION_FILE
        if version.is_file():
            self.version = version.read_text("utf-8").strip() or self.version
        for entry in sorted(root.iterdir(), key=lambda p: p.name):
            if entry.name.startswith((".", "_")) or entry.name in NON_CONCEPT_FILES:
                continue
            if entry.is_dir():
                self.add_concept_dir(entry, real_root)
            elif entry.suffix not in (".yaml", ".yml", ".md", ".json"):
                where = Location(display_path(entry))
                self.sink(LexiconError("unexpected file in a lexicon directory", where))

    def read(self, path: Path, real_root: Path) -> YamlDocument | None:
        shown = display_path(path)
        if not path.resolve().is_relative_to(real_root):
            self.sink(LexiconError("points outside its lexicon directory", Location(shown)))
            return None
        try:
            doc = read_yaml(path, shown, self.parse)
        except LexiconError as exc:
            self.sink(exc)
            return None
        # Keyed by the path inside the lexicon root, so the digest does not depend on the cwd;
        # the text read is hashed, not the file again (UTF-8 round-trips to the same bytes).
        inside = path.resolve().relative_to(real_root).as_posix()
        self.digest.update(inside.encode() + b"\0" + doc.text.encode("utf-8") + b"\0")
        if self.documents is not None:
            self.documents[str(path)] = doc
        return doc

    def add_concept_dir(self, directory: Path, real_root: Path) -> None:
        concept_id = directory.name
        if not CONCEPT_ID.match(concept_id):
            self.sink(LexiconError(
                "concept directory names must be snake_case ids", Location(display_path(directory))
            ))
            return
        concept_file = directory / CONCEPT_FILE
        if concept_file.is_file():
            doc = self.read(concept_file, real_root)
            concept = parse_concept(doc, concept_id, self.sink) if doc else None
            if concept is not None:
                self.concepts[concept_id] = concept
        elif concept_id not in self.concepts:
            self.sink(LexiconError(
                f"missing {CONCEPT_FILE} (needed unless an earlier lexicon defines the concept)",
                Location(display_path(directory)),
            ))
        for path in sorted(directory.iterdir(), key=lambda p: p.name):
            if path.name == CONCEPT_FILE or path.name.startswith("."):
                continue
            self.add_language_file(path, concept_id, real_root)

    def add_language_file(self, path: Path, concept_id: str, real_root: Path) -> None:
        lang = path.stem
        if path.suffix != ".yaml" or not LANG_TAG.match(lang):
            self.sink(LexiconError(
                "language files are named <BCP-47 tag>.yaml, e.g. vi.yaml or zh-Hans.yaml",
                Location(display_path(path)),
            ))
            return
        doc = self.read(path, real_root)
        if doc is None:
            return
        for term in parse_terms(doc, self.concepts.get(concept_id), concept_id, lang, self.sink):
            self.terms[term.key] = term

    def result(self, roots: tuple[str, ...]) -> Lexicon:
        # Resolved here, once every layer is read: a later layer may replace the concept.yaml.
        terms = tuple(sorted(
            (with_concept_exclusions(t, self.concepts.get(t.concept)) for t in self.terms.values()),
            key=lambda t: (t.concept, t.lang, t.term),
        ))
        return Lexicon(
            concepts=dict(sorted(self.concepts.items())),
            terms=terms,
            roots=roots,
            version=self.version,
            digest=self.digest.hexdigest(),
        )
