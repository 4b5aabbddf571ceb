"""Per-language matching policy."""

from __future__ import annotations

from wildcli.normalize import View

# Languages whose diacritics change the word, so a folded match would be a different word:
# Vietnamese tones ("ngà" ivory vs "Nga" Russia, "hổ" tiger vs "hồ" lake).
STRICT_DIACRITICS = frozenset({"vi"})


def primary(lang: str) -> str:
    """`zh-Hans` -> `zh`; `und` stays `und`."""
    return lang.split("-", 1)[0]


def view_for(lang: str) -> View:
    """The text view a term of `lang` is matched against."""
    return View.BASE if primary(lang) in STRICT_DIACRITICS else View.FOLDED
