"""When a raw hit counts: the rules `Matcher.find` judges by and the batch candidate test asks.

`views` and `matcher` apply these rules to one text; `prefilter` asks the same ones of a whole
batch, seen only in its folded view, to tell which texts may give a finding.
Keeping them here, and nowhere else, is what keeps the batch test from dropping a text that
`find` reports on: a new rule changes both at once. Where the batch test cannot know what `find`
knows (the base view, the skeleton view it has not built), it asks for every possible answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from wildcli.match.findings import EVASIONS, Method
from wildcli.text.normalize import View
from wildcli.text.obfuscation import Skeleton, Trick

if TYPE_CHECKING:  # patterns.py compiles with these rules; the types only are needed here
    from wildcli.match.keys import CompiledTerm, Entry


# Which keys may make a finding.


def can_report(entry: Entry, supporting: frozenset[int]) -> bool:
    """Whether a key's `entry`, found in the base or folded view, may give a finding of its own:
    a term's (not a context or exclude phrase's) key of those views (skeleton keys count only
    in the skeleton view), of a concept that is not context for others (selling phrases and
    everyday goods only support or cancel findings: `Patterns.supporting`)."""
    return entry.term is not None and entry.view is not View.SKELETON and entry.term not in supporting


def word_only_keys(entries: Sequence[Sequence[Entry]]) -> tuple[frozenset[int], frozenset[int]]:
    """The keys (indices into `entries`) that count only as whole words, and those that count
    only as whole words or glued into hashtags and compounds: a hit of the first inside a longer
    word is dropped at once, of the second unless the text may glue words (`may_glue`). Most raw
    hits are such keys inside longer words ("p" in "price")."""
    words: set[int] = set()
    glue_words: set[int] = set()
    for index, held in enumerate(entries):
        plain = [e for e in held if e.view is not View.GLUED]
        if plain and all(e.before and e.after for e in plain):
            (words if len(plain) == len(held) else glue_words).add(index)
    return frozenset(words), frozenset(glue_words)


# The zero-width space.

WORD_BREAK = "\u200b"
"""The zero-width space: invisible, and by its Unicode meaning a place where a line may break
between words. The base view drops it, as it drops every invisible character ("iv\u200bory" is
ivory); a text that holds one is read once more with it as a space, for the terms of several
words typed with their space made invisible ("ngà\u200bvoi", "slow\u200bloris")."""


def may_break_invisibly(text: str) -> bool:
    """Whether `find` reads `text` a second time, its zero-width spaces read as spaces."""
    return WORD_BREAK in text


def invisible_break_counts(text: str, start: int, end: int) -> bool:
    """Whether a hit at `start`-`end` of the text read with spaces counts: only with a zero-width
    space inside it, standing for a space of the key. Anywhere else the base view read the same
    letters, and a word split by the character ("iv\u200bory") must not make keys of its halves."""
    return WORD_BREAK in text[start:end]


# Word boundaries and glued keys.


def refused_at_boundary(entry: Entry, glued_before: bool, glued_after: bool) -> bool:
    """Whether a plain key's hit is part of a longer word: a word character stands on a side
    where its `entry` needs a boundary (`glued_before`, `glued_after`: as `breaks_word` says
    of the neighbours)."""
    return (glued_before and entry.before) or (glued_after and entry.after)


def bounded(
    start: int, end: int, entry: Entry, skeleton: Skeleton | None, glued: tuple[bool, bool]
) -> bool:
    """Word boundaries where the key needs them (`glued`: a word character before, after);
    in the skeleton view a removed separator is a boundary too."""
    if skeleton is None:
        return not refused_at_boundary(entry, *glued)
    if entry.before and glued[0] and not skeleton.separated_at(start):
        return False
    if entry.after and glued[1]:
        return skeleton.separated_at(end)
    return True


def glued_key_passes(entry: Entry, standalone: bool, may_glue: Callable[[], bool]) -> bool:
    """Whether a glued key's hit (`View.GLUED`: "rhinohorn") is judged further: standing as a
    word of its own, a one-word glued key is the plain key's business; inside a word it counts
    only in texts with hashtags or camel-cased compounds (`may_glue`, asked only then).
    Where it then stands is `hashtags.glued_in`'s to say."""
    if standalone:
        return not entry.standalone
    return may_glue()


def glued_key_may_pass(entry: Entry, may_glue: Callable[[], bool]) -> bool:
    """`glued_key_passes` for a hit whose neighbours are seen in the folded view only: the base
    view may see it glued where the folded one sees a word alone (a combining mark beside it),
    so it may pass if it passes either way."""
    return glued_key_passes(entry, True, may_glue) or glued_key_passes(entry, False, may_glue)


# Context.


def needs_context(term: CompiledTerm) -> bool:
    """Whether a hit of `term` needs one of its context phrases or concepts near it."""
    return bool(term.context or term.context_concepts)


def disguise_is_context(method: Method | None) -> bool:
    """Whether a hit found by `method` stands in for the context its term needs: nobody writes
    a colour or a brand as "i.v.o.r.y", "slow_loris" or "1v0ry", so the disguise itself shows
    what the word means; and a compound of the term with one of its context words
    ("Elfenbeinschnitzerei") holds that context."""
    return method in EVASIONS or method is Method.COMPOUND


def alternating_case(span: str) -> bool:
    """Whether a hit as typed is written in alternating case ("KuKaNg JaWa", "ЛоРи", "IvOrY"):
    a word of four cased letters or more whose every letter changes case from the one before.
    Nobody writes a colour or a brand so; "iPhone", "eBay", "McDonald" and "PayPal" change
    case once to three times and stay plain."""
    for word in span.split():
        cased = [ch.isupper() for ch in word if ch.isupper() or ch.islower()]
        if len(cased) >= 4 and all(a != b for a, b in itertools.pairwise(cased)):
            return True
    return False


_ASCII_WHITE = b" \t\n\v\f\r\x1c\x1d\x1e\x1f"  # what str.isspace() calls white space in ASCII
_ASCII_CASES = bytes(
    ord("U") if 65 <= b <= 90 else ord("l") if 97 <= b <= 122 else ord(" ") for b in range(256)
)
_ASCII_UNCASED = bytes(
    b for b in range(128) if not (65 <= b <= 90 or 97 <= b <= 122) and b not in _ASCII_WHITE
)


def may_alternate(text: str) -> bool:
    """Whether `text` holds four cased letters in a row, between white space, each changing case
    from the one before: a superset of `alternating_case` for any hit inside `text`, for the
    batch test, which asks it only of texts with a term still waiting for its context.

    An ASCII text is read as a string of its cases (U, l, a space for white space, nothing for
    the rest) in C: a listing's description costs a microsecond, not a hundred."""
    if text.isascii():
        cases = text.encode("ascii").translate(_ASCII_CASES, _ASCII_UNCASED)
        return b"UlUl" in cases or b"lUlU" in cases
    run = 0
    previous: bool | None = None
    for ch in text:
        if ch.isspace():
            run, previous = 0, None
        elif ch.isupper() or ch.islower():
            upper = ch.isupper()
            run = run + 1 if previous is not None and upper != previous else 1
            previous = upper
            if run >= 4:
                return True
    return False


def counts_without_context(term: CompiledTerm, method: Method | None) -> bool:
    """Whether a hit of `term` by `method` is accepted with no context word (the window and the
    exclusions aside): the term needs none, or the hit is disguised."""
    return not needs_context(term) or disguise_is_context(method)


# The skeleton view.

REWRITING = frozenset({Trick.LEET, Trick.REPEATED})
"""Tricks that rewrite a token's letters (leet undone, stuffed letters collapsed): only there may
a key spelled as a rewritten token (`Entry.rewritten`: "pangoiin") be read."""

TRICK_METHODS = (  # the least certain trick in a span names its method
    (Trick.REPEATED, Method.LEET), (Trick.LEET, Method.LEET),
    (Trick.CONFUSABLE, Method.CONFUSABLE), (Trick.SEPARATED, Method.SEPARATED),
)


def rewrite_counts(tricks: frozenset[Trick], rewritten: bool) -> bool:
    """Whether a skeleton key overlapping rewritten spans that undid `tricks` may count: it must
    overlap one (elsewhere the skeleton is the folded view again, already matched), and a key
    spelled as a rewritten token needs a leet or stuffed token there."""
    return bool(tricks) and not (rewritten and not tricks & REWRITING)


def rewrite_may_count(tricks: frozenset[Trick]) -> bool:
    """`rewrite_counts` for a key not known yet: whether some key, rewritten or not, may count."""
    return rewrite_counts(tricks, False) or rewrite_counts(tricks, True)


def separators_removed(tricks: frozenset[Trick]) -> bool:
    """Whether separators were removed in the spans: a removed separator may be a word boundary
    inside the rewrite (`Skeleton.separated_at`), and a term read across one must be spelled
    out, not the ends of two words (`Skeleton.spelled_out`)."""
    return Trick.SEPARATED in tricks


def trick_method(tricks: frozenset[Trick]) -> Method:
    """The method a skeleton hit over spans that undid `tricks` is reported with."""
    return next(m for t, m in TRICK_METHODS if t in tricks)
