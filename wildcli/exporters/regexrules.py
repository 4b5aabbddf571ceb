"""Rules as regular expressions: the judgement of the rules exports in RE2 or PostgreSQL syntax.

A rule fires on a text when its `pattern` matches it and its `unless` pattern (if any) does not.
The pattern is the rule's phrases as whole words; with context phrases, a phrase and a context
phrase in either order with fewer than `window` characters between them. `unless` finds an
exclusion phrase within the window on either side, or one that covers the phrase. Unlike the
rule semantics of `json`, one excluded occurrence silences the rule for the whole text.

Only escaped literals, `\\s+`, `(?:...)`, `|`, `.{0,n}`, character classes and a leading
`(?is)` are used: no lookaround, backreferences or capturing groups (RE2 and Rust reject the
first two, AWS WAF the third), and no `\\b` (ASCII-only in RE2).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from wildcli.exporters.base import ExportItem, LeftOut
from wildcli.exporters.phrases import normalize_phrase, spaced_word_char
from wildcli.lexicon.actions import Action

_META = re.compile(r"([.^$*+?()\[\]{}|\\])")
# Exactly RE2's \s ([\t\n\f\r ]): a no-break space stays a literal character, because RE2's
# \s would not match it.
_WHITESPACE = " \t\n\f\r"
_SPACES = re.compile(f"[{_WHITESPACE}]+")
CONTROL = "contains a control character"
FLAGS = "(?is)"


@dataclass(frozen=True)
class Dialect:
    """Where the regex syntaxes differ: what marks a word boundary without `\\b`, what stands
    for white space, and the largest bound a repetition may have."""

    name: str
    nonword: str
    space: str = r"\s+"
    max_repeat: int = 1000  # RE2's limit

    @property
    def before(self) -> str:
        return f"(?:^|{self.nonword})"

    @property
    def after(self) -> str:
        return f"(?:$|{self.nonword})"


# A letter, digit or mark before or after a whole-word phrase glues it into a longer word.
RE2 = Dialect("re2", r"[^\p{L}\p{N}\p{M}]")
# PostgreSQL has no \p{...}. Its [:alnum:] is the locale's (glibc's under a UTF-8 LC_CTYPE),
# which lacks the marks Unicode does not call alphabetic: the combining blocks and variation
# selectors are named. Its \s also takes \v and Unicode spaces, and its bounds stop at 255.
POSTGRES = Dialect(
    "postgres",
    r"[^[:alnum:]\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]",
    space=r"[ \t\n\f\r]+", max_repeat=255,
)


def literal(text: str, space: str = r"\s+") -> str:
    """`text` as a pattern: metacharacters escaped, each run of whitespace as `space`.

    Outer whitespace is dropped: requiring it would only make the pattern miss at line starts.
    """
    return space.join(_META.sub(r"\\\1", part) for part in _SPACES.split(text.strip()))


def check(text: str) -> str | None:
    # Tab, CR, LF and FF become \s+; other controls have no portable escape (\x{...} is not
    # Python, \u is not RE2).
    if any(unicodedata.category(c) == "Cc" and c not in _WHITESPACE for c in text):
        return CONTROL
    return None


def phrases(texts: Iterable[str], dialect: Dialect, *, open_start: bool = False) -> str:
    """One alternation of whole-word phrases; boundaries only where the phrase's ends need them.

    `open_start` leaves out the boundary before: the caller has already matched a character
    that is not part of a word right before it (see `near`).
    """
    return _phrases(tuple(texts), dialect, open_start)


@lru_cache(maxsize=4096)
def _phrases(texts: tuple[str, ...], dialect: Dialect, open_start: bool) -> str:
    # The context and exclusion lists of a rule are the same for every trial packing of it.
    groups: dict[tuple[bool, bool], dict[str, str]] = defaultdict(dict)
    for text in texts:
        norm = normalize_phrase(text)
        if not norm:
            continue
        ends = (spaced_word_char(norm[0]), spaced_word_char(norm[-1]))
        # (?i) makes case variants duplicates; keep the first in codepoint order.
        groups[ends].setdefault(text.casefold(), literal(text, dialect.space))
    pieces = []
    for (before, after), alts in sorted(groups.items()):
        # Longest first: RE2 and PCRE take the leftmost alternative that matches, not the longest.
        body = "(?:" + "|".join(sorted(alts.values(), key=lambda a: (-len(a), a))) + ")"
        start = dialect.before if before and not open_start else ""
        pieces.append(start + body + (dialect.after if after else ""))
    return pieces[0] if len(pieces) == 1 else "(?:" + "|".join(pieces) + ")"


def near(a: Sequence[str], b: Sequence[str], window: int, dialect: Dialect) -> str:
    """Phrases of `a` and of `b` in either order, fewer than `window` characters apart.

    A boundary consumes a character, so two phrases one space apart could not both take it:
    a second phrase that needs a boundary opens without one, after a gap that is empty (the
    first phrase's own boundary was the space) or ends with a character that is not part of a
    word. A second phrase of a script without spaces needs none, so any gap will do ("熊掌手工皂").
    """
    a_then_b = phrases(a, dialect) + _then(b, window, dialect)
    b_then_a = phrases(b, dialect) + _then(a, window, dialect)
    return f"(?:{a_then_b}|{b_then_a})"


def _then(texts: Sequence[str], window: int, dialect: Dialect) -> str:
    """The second phrase of a pair, with the gap before it."""
    bounded = [t for t in texts if _bounded_start(t)]
    free = [t for t in texts if not _bounded_start(t) and normalize_phrase(t)]
    parts = []
    if bounded:
        gap = f"(?:{any_chars(max(window - 2, 0), dialect)}{dialect.nonword})?"
        parts.append(gap + phrases(bounded, dialect, open_start=True))
    if free:
        parts.append(any_chars(max(window - 1, 0), dialect) + phrases(free, dialect))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _bounded_start(text: str) -> bool:
    norm = normalize_phrase(text)
    return bool(norm) and spaced_word_char(norm[0])


def any_chars(count: int, dialect: Dialect) -> str:
    """`.{0,count}`, split where the count is over the dialect's largest bound."""
    whole, rest = divmod(count, dialect.max_repeat)
    bounds = [dialect.max_repeat] * whole + ([rest] if rest or not whole else [])
    return "".join(f".{{0,{n}}}" for n in bounds)


def overlaps(term: str, phrase: str) -> list[str]:
    """Spellings where `phrase` and `term` share letters at their ends ("màu ngà" + "ngà voi"):
    a pattern of the two in sequence would miss them."""
    t, p = term.casefold(), phrase.casefold()
    merged = []
    for k in range(1, min(len(t), len(p))):
        if p.endswith(t[:k]):
            merged.append(phrase + term[k:])
        if t.endswith(p[:k]):
            merged.append(term + phrase[k:])
    return merged


@dataclass(frozen=True)
class RegexRule:
    """One rule: the items it holds, and its two patterns."""

    action: Action
    concept: str
    items: tuple[ExportItem, ...]
    pattern: str
    unless: str | None

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.text for i in self.items))


def _patterns(items: Sequence[ExportItem], dialect: Dialect) -> tuple[str, str | None]:
    first = items[0]
    texts = [i.text for i in items]
    pattern = near(texts, first.context, first.window, dialect) if first.context else phrases(texts, dialect)
    if not first.rule_exclude:
        return FLAGS + pattern, None
    covering = sorted({a for i in items for a in i.allow} | {
        m for i in items for e in first.rule_exclude for m in overlaps(i.text, e)
    })
    unless = near(texts, first.rule_exclude, first.window, dialect)
    if covering:
        unless = f"(?:{unless}|{phrases(covering, dialect)})"
    return FLAGS + pattern, FLAGS + unless


def _key(item: ExportItem) -> tuple[int, str, tuple[str, ...], int, tuple[str, ...]]:
    return (-item.action.rank, item.concept, item.context, item.window, item.rule_exclude)


def compile_rules(
    items: Sequence[ExportItem], dialect: Dialect, max_chars: int | None = None
) -> tuple[list[RegexRule], list[LeftOut]]:
    """Items grouped into rules (same action, concept, context, window and exclusions), each
    split so that neither of its patterns is longer than `max_chars`."""
    groups: dict[tuple[int, str, tuple[str, ...], int, tuple[str, ...]], list[ExportItem]] = defaultdict(list)
    problems: list[LeftOut] = []
    for item in items:
        reason = check(item.text)
        if reason is None:
            if max_chars is not None and item.cancel and not _fits([item], dialect, max_chars):
                # The cancelling phrases only ever spare benign texts: a term too long to write
                # with them is written without them rather than left out.
                item = replace(item, cancel=())
            groups[_key(item)].append(item)
        else:
            problems.append(LeftOut(reason, item))
    rules: list[RegexRule] = []
    too_long = (f"is longer than {max_chars} characters as a pattern with its context and exclusions "
                "(--max-pattern-chars)")
    for _, group in sorted(groups.items()):
        # Longest text first, so that what fits is packed the same way on every run.
        ordered = sorted(group, key=lambda i: (-len(i.text), i.text, i.lang))
        start = 0
        while start < len(ordered):
            end = len(ordered) if max_chars is None else _longest_run(ordered, start, dialect, max_chars)
            if end == start:
                problems.append(LeftOut(too_long, ordered[start]))
                start += 1
                continue
            rules.append(_rule(ordered[start:end], dialect))
            start = end
    return rules, problems


def _fits(items: Sequence[ExportItem], dialect: Dialect, max_chars: int) -> bool:
    first = items[0]
    # Each context and exclusion phrase stands at least once in a pattern: when they alone are
    # too long, no packing fits, and building the patterns would only take time.
    if max(sum(len(p) + 1 for p in phrases) for phrases in (first.context, first.rule_exclude)) > max_chars:
        return False
    return all(p is None or len(p) <= max_chars for p in _patterns(items, dialect))


def _longest_run(items: Sequence[ExportItem], start: int, dialect: Dialect, max_chars: int) -> int:
    """The end of the longest run of items from `start` whose rule fits (`start` if none does).

    A rule's patterns grow with its items, so the end is found by doubling the run, then by
    halving the gap: a few pattern builds per rule instead of one per item.
    """
    if not _fits(items[start:start + 1], dialect, max_chars):
        return start
    good, step, bad = start + 1, 1, len(items) + 1
    while good < len(items):
        trial = min(len(items), good + step)
        if not _fits(items[start:trial], dialect, max_chars):
            bad = trial
            break
        good, step = trial, step * 2
    while bad - good > 1:
        middle = (good + bad) // 2
        if _fits(items[start:middle], dialect, max_chars):
            good = middle
        else:
            bad = middle
    return good


def _rule(items: list[ExportItem], dialect: Dialect) -> RegexRule:
    pattern, unless = _patterns(items, dialect)
    return RegexRule(items[0].action, items[0].concept, tuple(items), pattern, unless)
