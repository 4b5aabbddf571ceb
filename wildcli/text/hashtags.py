"""Words glued into hashtags and camel-cased compounds: #ivorycarving, RhinoHornBeads.

Glued keys ("rhinohorn") are in the automaton like any other key, so the base and folded views
already report them wherever they occur; this module decides whether such an occurrence is
allowed: at the start or the end of a hashtag (#ivorycarving, #legalmammothivory), or where
capitals split the words of a hashtag or compound (#MammothIvoryTusk, RhinoHornBeads). Inside
a lowercase hashtag a term is not taken: #pottery holds "otter". Every test here looks at a few
characters around the hit, so the many keys found inside ordinary words cost next to nothing.
"""

from __future__ import annotations

import re

# A lowercase Latin letter (accented ones too: NgàVoi) followed by a capital.
_CAMEL = re.compile("[ß-öø-ÿ\u0101-\u024f\u1e01-\u1eff][A-ZÀ-ÖØ-Þ]")
_CASES = bytes(
    ord("a") if 97 <= b <= 122 else ord("A") if 65 <= b <= 90 else ord(".") for b in range(256)
)
_HASH = "#＃"


def may_glue(text: str) -> bool:
    """Whether `text` has a hashtag or a camel-cased compound at all (fast: no regex for ASCII)."""
    if "#" in text or "＃" in text:
        return True
    if b"aA" in text.encode("utf-8", "surrogatepass").translate(_CASES):
        return True
    return not text.isascii() and _CAMEL.search(text) is not None


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def inside_word(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is glued to word characters on either side."""
    return (start > 0 and _word_char(text[start - 1])) or (end < len(text) and _word_char(text[end]))


def run_in(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` runs on into a neighbouring word with nothing to mark the
    join: a word character beside it, with no capital or underscore splitting them ("lace" at
    the end of "#necklace"; not "Lampe" in "#belleLampe")."""
    left = start > 0 and _word_char(text[start - 1]) and not _split(text, start)
    return left or (end < len(text) and _word_char(text[end]) and not _split(text, end))


def word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The run of word characters that holds `text[start:end]` (a hashtag's body, a compound)."""
    while start > 0 and _word_char(text[start - 1]):
        start -= 1
    while end < len(text) and _word_char(text[end]):
        end += 1
    return start, end


def glued_in(text: str, start: int, end: int) -> str | None:
    """Where the glued hit `text[start:end]` sits ("hashtag", "compound"), or None if nowhere allowed."""
    left = start > 0 and _word_char(text[start - 1])
    right = end < len(text) and _word_char(text[end])
    if not (left or right):  # a word of its own: a glued key counts only right after a #
        return "hashtag" if start > 0 and text[start - 1] in _HASH else None
    hashtag = ("#" in text or "＃" in text) and _in_hashtag(text, start)
    if hashtag and not (left and right):
        return "hashtag"  # at the start or the end of the hashtag
    if (left and not _split(text, start)) or (right and not _split(text, end)):
        return None
    return "hashtag" if hashtag else "compound"


def _in_hashtag(text: str, start: int) -> bool:
    """Whether position `start` lies in the body of a hashtag (#, then word characters)."""
    sign = max(text.rfind("#", 0, start), text.rfind("＃", 0, start))
    if sign < 0:
        return False
    body = text[sign + 1:start]
    return not body or body.replace("_", "").isalnum()


def _split(text: str, at: int) -> bool:
    """Whether capitals split two words at `at`: Rhino|Horn, HTML|Parser, or an underscore."""
    before, here = text[at - 1], text[at]
    if before == "_" or here == "_":
        return True
    after = text[at + 1] if at + 1 < len(text) else ""
    return here.isupper() and before.isalpha() and (before.islower() or after.islower())
