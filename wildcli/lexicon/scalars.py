"""How the lexicon's layout writes a scalar: which fields are always quoted, which strings need
quotes, how hidden characters are escaped, and the order of terms.

Shared by the two writers of the canonical layout, canonical.py (ruamel.yaml's round trip) and
fastlayout.py (straight from the data), which must agree to the byte.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from wildcli.lexicon.yamlfile import resolve_plain

ALWAYS_QUOTED = frozenset({"examples", "counter_examples", "context", "exclude", "added", "cites_appendix"})
"""Fields quoted even when plain would do: listing text, phrases, dates and CITES codes, which are
data samples an expert pastes in and which YAML must never reinterpret."""
FLOW_LISTS = frozenset({"context", "exclude"})
FLOW_MAX = 110
"""Longest line, in characters, for a context/exclude list written inline; longer ones go block."""

# Values that YAML 1.1 tools (PyYAML, many editors) read as something other than a string.
_YAML11 = re.compile(
    r"""^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |~|null|Null|NULL|=|<<
    |[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)
    |[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9].*)?
    )$""",
    re.VERBOSE,
)
# Invisible and bidi-control characters (Trojan Source, CVE-2021-42574) and C0/C1 controls.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)
_JOINERS = "\u200c\u200d"


def hidden_characters(text: str) -> list[int]:
    """Offsets of invisible or bidi-control characters in `text`.

    The joiners U+200C/U+200D are spelling in Persian and Indic scripts and glue emoji sequences,
    so they only count when a Latin letter, a space or the end of the text is next to them.
    """
    found = []
    for match in _HIDDEN.finditer(text):
        i = match.start()
        if text[i] in _JOINERS and not (_foreign(text, i - 1) or _foreign(text, i + 1)):
            continue
        found.append(i)
    return found


def may_hide(text: str) -> bool:
    """Whether `text`, or a YAML string written in it (escapes: a backslash), could hold a hidden
    character; False lets a caller skip looking any further."""
    return "\\" in text or _HIDDEN.search(text) is not None


def _foreign(text: str, i: int) -> bool:
    """Whether text[i] is missing, whitespace, ASCII or Latin: next to it a joiner is suspect."""
    if not 0 <= i < len(text):
        return True
    ch = text[i]
    return ch.isspace() or ch.isascii() or "LATIN" in unicodedata.name(ch, "")


def escape_hidden(text: str) -> str:
    """Write hidden characters as YAML escapes so that a reviewer can see them."""
    for i in reversed(hidden_characters(text)):
        code = ord(text[i])
        escape = f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"
        text = text[:i] + escape + text[i + 1 :]
    return text


def needs_quotes(value: str) -> bool:
    """Whether a string would be misread, by this loader or by a YAML 1.1 tool, if left plain."""
    return (
        not isinstance(resolve_plain(value), str)
        or _YAML11.match(value) is not None
        or bool(hidden_characters(value))
    )


def sort_key(entry: Any) -> tuple[int, str]:
    """Terms sort by their casefolded text; entries without a text term go last, in order."""
    term = entry.get("term") if isinstance(entry, dict) else None
    return (0, term.casefold()) if isinstance(term, str) else (1, "")
