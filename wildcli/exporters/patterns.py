"""`regex`: one case-insensitive alternation per concept in a portable regex subset (formats.md §3.4).

Only escaped literals, `\\s+`, `(?:...)`, `|` and a leading `(?i)`: no lookaround, backreferences,
capturing groups (AWS WAF rejects them) or `\\b` (ASCII-only in RE2, Unicode elsewhere).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from wildcli.exporters.base import (
    ExportContext,
    Exporter,
    ExportItem,
    Rendering,
    lines_text,
    partition,
)

MAX_PATTERN_CHARS = 512
"""AWS WAF's RegexString limit [formats.md §2.11]; Discord (260) needs shorter concepts."""

_META = re.compile(r"([.^$*+?()\[\]{}|\\])")
# Exactly RE2's \s ([\t\n\f\r ]): a no-break space stays a literal character, because RE2's
# \s would not match it.
_WHITESPACE = " \t\n\f\r"
_SPACES = re.compile(f"[{_WHITESPACE}]+")
CONTROL = "contains a control character"
TOO_LONG = f"is longer than {MAX_PATTERN_CHARS} characters as a pattern"


def literal(text: str) -> str:
    """`text` as a pattern: metacharacters escaped, each run of whitespace as `\\s+`.

    Outer whitespace is dropped: requiring it would only make the pattern miss at line starts.
    """
    return "\\s+".join(_META.sub(r"\\\1", part) for part in _SPACES.split(text.strip()))


def wrap(alternatives: Sequence[str]) -> str:
    return "(?i)(?:" + "|".join(alternatives) + ")"


def check(text: str) -> str | None:
    # Tab, CR, LF and FF become \s+; other controls have no portable escape (\x{...} is not
    # Python, \u is not RE2).
    if any(unicodedata.category(c) == "Cc" and c not in _WHITESPACE for c in text):
        return CONTROL
    return TOO_LONG if len(wrap([literal(text)])) > MAX_PATTERN_CHARS else None


def pack(alternatives: Sequence[str]) -> list[str]:
    """Greedy packing of alternatives into patterns of at most MAX_PATTERN_CHARS."""
    patterns: list[str] = []
    current: list[str] = []
    for alt in alternatives:
        if current and len(wrap([*current, alt])) > MAX_PATTERN_CHARS:
            patterns.append(wrap(current))
            current = []
        current.append(alt)
    if current:
        patterns.append(wrap(current))
    return patterns


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    kept, problems = partition(items, check)
    by_concept: dict[str, dict[str, str]] = defaultdict(dict)
    for item in sorted(kept, key=lambda i: i.text):
        # (?i) makes case variants duplicates; keep the first in codepoint order.
        by_concept[item.concept].setdefault(item.text.casefold(), literal(item.text))
    lines: list[str] = []
    for _, alts in sorted(by_concept.items()):
        # Longest first: RE2 and PCRE take the leftmost alternative that matches, not the longest.
        lines.extend(pack(sorted(alts.values(), key=lambda a: (-len(a), a))))
    return Rendering((lines_text(lines),), tuple(problems))


EXPORTER = Exporter(
    summary=f"RE2/Rust/PCRE-portable alternations <= {MAX_PATTERN_CHARS} chars: WAF, AutoMod",
    suffix=".txt",
    render_fn=render,
)
