"""The lexicon model: concepts (SKOS-like meanings) holding terms (the strings sellers type).

Everything here is a frozen value object, built by the loader and never mutated afterwards, so a
compiled matcher can be cached against the lexicon's content hash.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field, replace

from wildcli.errors import Location


class Severity(str, enum.Enum):
    """What a platform should do with a hit. Ordered: block > review > monitor."""

    MONITOR = "monitor"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.MONITOR: 0, Severity.REVIEW: 1, Severity.BLOCK: 2}


class Status(str, enum.Enum):
    """Workflow state of a term. Only approved terms are matched and exported by default."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    RETIRED = "retired"


class Kind(str, enum.Enum):
    """What sort of string a term is; drives variant rules and SKOS/TBX mapping."""

    NAME = "name"
    CODE_WORD = "code_word"
    TRADE_NAME = "trade_name"
    SLANG = "slang"
    MISSPELLING = "misspelling"
    OBFUSCATION = "obfuscation"
    TRANSLITERATION = "transliteration"
    EMOJI = "emoji"
    HASHTAG = "hashtag"
    SCIENTIFIC_NAME = "scientific_name"


class Sensitivity(str, enum.Enum):
    """`restricted` terms stay out of public exports (they would teach sellers what is watched)."""

    PUBLIC = "public"
    RESTRICTED = "restricted"


class Cancels(str, enum.Enum):
    """Where the terms of a context concept cancel a product term (`Concept.cancels`)."""

    BEFORE = "before"
    BESIDE = "beside"
    NEAR = "near"


class Scope(str, enum.Enum):
    """Which texts the terms of a cancelling context concept cancel in (`Concept.scope`)."""

    ALL = "all"
    QUERIES = "queries"


class Role(str, enum.Enum):
    """`product` concepts produce findings; `context` concepts (selling phrases) only support them."""

    PRODUCT = "product"
    CONTEXT = "context"


def has_word_character(text: str) -> bool:
    """A letter, a digit, an emoji or a currency sign: what a term needs to say anything.

    Punctuation (`.`, `/`, `...`), spaces, invisible characters and combining marks alone are in
    nearly every listing once spacing and disguises are undone: a term of only those would match
    them all.
    """
    return any(unicodedata.category(ch) in _WORD_CATEGORIES or unicodedata.category(ch)[0] in "LN"
               for ch in text)


_WORD_CATEGORIES = frozenset({"So", "Sc"})  # emoji and pictographs; €, ₱ (a price as context)


class SourceKind(str, enum.Enum):
    """What sort of page a source is; a citation is to the original, never to a mirror of it."""

    PUBLISHER = "publisher"
    ENCYCLOPEDIA = "encyclopedia"
    DICTIONARY = "dictionary"
    REPORT = "report"
    STUDY = "study"
    NEWS = "news"
    PLATFORM_POLICY = "platform_policy"
    LAW = "law"


MAX_QUOTE_CHARS = 300


@dataclass(frozen=True)
class Source:
    """Where the evidence for a term comes from: a citable title, a URL and a year.

    `quote` is the source's own sentence that shows the term and its meaning, so that a reviewer
    can check the citation without opening the page; `quote_missing` says honestly that the text
    of the source could not be found to quote from (a gap `wildcli stats` counts).
    """

    title: str
    url: str | None = None
    year: int | None = None
    kind: SourceKind | None = None
    quote: str | None = None
    quote_missing: bool = False


@dataclass(frozen=True)
class Species:
    """A taxon a concept covers, with its CITES appendix as the research gives it (e.g. "I/II")."""

    scientific_name: str
    common_name: str | None = None
    cites_appendix: str | None = None
    gbif_key: str | None = None


@dataclass(frozen=True)
class Term:
    """One string of one language that signals a concept.

    `context` phrases must occur within `window` characters for a hit to count (ambiguous code
    words such as "white gold"); `exclude` phrases within the same window cancel it ("ivory
    dress"). `examples` must produce a finding for this term, `counter_examples` must not: they
    are the expert-written tests that `wildcli lint` runs.
    """

    term: str
    concept: str
    lang: str
    kind: Kind
    severity: Severity
    status: Status
    sources: tuple[Source, ...] = ()
    added: str | None = None
    contributor: str | None = None
    note: str | None = None
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    window: int | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    sensitivity: Sensitivity = Sensitivity.PUBLIC
    hashtag: bool = False
    inherited_exclude: tuple[str, ...] = ()
    """The entries of `exclude` that come from the concept's own `exclude` (see `Concept`)."""
    location: Location | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity across lexicon layers: an overlay entry with the same key replaces this one."""
        return (self.concept, self.lang, self.term)

    @property
    def own_exclude(self) -> tuple[str, ...]:
        """The exclusions written on the term itself, in file order."""
        return self.exclude[: len(self.exclude) - len(self.inherited_exclude)]


@dataclass(frozen=True)
class Concept:
    """A meaning (a product or a trade context) with labels per language and its species.

    `exclude` holds the concept's known benign senses (a car antenna for shark fin, a vegetarian
    dish): every term of the concept, in every language, excludes them as if written on the term,
    so a sense found in one language reaches the others (`with_concept_exclusions`).

    `cancels` marks a context concept whose phrases cancel product terms of their language
    without being written on them as exclusions (`wildcli.match.matcher`): right BEFORE one, they deny
    it ("không phải ngà voi", "bukan cula badak"); right BESIDE one, before or after, they say
    it is an imitation ("fake ivory", "ngà voi giả"); NEAR one, within its window, they say the
    text is about the product rather than an offer of it (a magazine, a poster, a campaign).

    `scope` QUERIES limits that to search queries (`MatchOptions.queries`): words that say what
    a searcher wants to see or know ("photo", "history"), which sellers also write in offers
    ("real photos").

    `counts_as` names context concepts whose part a product concept's terms play too: the code
    words that offer wildlife without naming it ("hàng bổi", wild-caught; "linaje cerrado") are
    findings where two of them stand together (each takes `@` its own concept as context), and
    each is a selling word next to a product term that takes `@trade_context`, as it was
    before it became a finding of its own.
    """

    id: str
    labels: dict[str, str]
    description: str
    severity: Severity
    role: Role = Role.PRODUCT
    cancels: Cancels | None = None
    scope: Scope = Scope.ALL
    counts_as: tuple[str, ...] = ()
    species: tuple[Species, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    location: Location | None = field(default=None, compare=False)

    def __hash__(self) -> int:
        return hash(self.id)


def with_concept_exclusions(term: Term, concept: Concept | None) -> Term:
    """`term` with its concept's exclusions appended to its own (each once), so the matcher, lint
    and every export judge them exactly as exclusions written on the term."""
    own = term.own_exclude
    inherited = tuple(e for e in dict.fromkeys(concept.exclude) if e not in own) if concept else ()
    if inherited == term.inherited_exclude:
        return term
    return replace(term, exclude=own + inherited, inherited_exclude=inherited)


@dataclass(frozen=True)
class Lexicon:
    """A set of concepts and their terms, possibly layered from several directories."""

    concepts: dict[str, Concept]
    terms: tuple[Term, ...]
    roots: tuple[str, ...] = ()
    version: str | None = None
    digest: str = ""
    """sha256 over every file read, in order: the key for caches and manifests."""

    def active_terms(self) -> tuple[Term, ...]:
        """Terms that are matched: approved ones (proposed and retired are kept for review).

        A term without a word character never is, even in a lexicon built without the loader,
        which refuses it.
        """
        return tuple(t for t in self.terms if t.status is Status.APPROVED and has_word_character(t.term))

    def terms_of(self, concept_id: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.concept == concept_id)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({t.lang for t in self.terms}))
