"""The canonical layout written straight from plain data, without ruamel.yaml's round trip.

`wildcli fmt` and lint rule WL009 must know whether a file is already in its canonical layout.
ruamel.yaml's round trip (needed to keep comments) takes a quarter of a second per hundred lines
in pure Python; nearly every file of a lexicon is already canonical and has no comment. So the
layout of comment-free data is written here directly, with ruamel's emitter rules for the one
style in use (block mappings, `- ` items indented by two, flow lists only for context and
exclude, plain or double-quoted scalars): when that text equals the file, the file is canonical.
Anything this writer does not know (comments, block scalars, empty collections, floats, nulls)
makes it answer None, and the caller takes the round trip. tests/lexicon/test_fastlayout.py
checks it against ruamel.yaml on the bundled lexicon and on generated data.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from wildcli.lexicon.parse import CONCEPT_KEYS, SOURCE_KEYS, SPECIES_KEYS, TERM_KEYS
from wildcli.lexicon.scalars import (
    ALWAYS_QUOTED,
    FLOW_LISTS,
    FLOW_MAX,
    escape_hidden,
    needs_quotes,
    sort_key,
)

_LONGEST_KEY = 100
"""Longer keys may be written as `? key` complex keys by ruamel; such files take the round trip."""
_SIMPLE_KEY = re.compile(r"^[\w-]+(?: [\w-]+)*$")
"""Keys of lexicon files (field names, language tags); others may need a complex `? key`."""
_LONGEST_SCALAR = 100_000
"""ruamel folds a double-quoted scalar past its line width (1,000,000); stay far below it."""

# What ruamel's Emitter.analyze_scalar forbids in a block plain scalar, for text that has no
# line break and no special character (both of which rule plain out on their own): a document
# marker, a leading indicator, `?`, `:` or `-` followed by a space (or alone), `: ` or a final
# `:`, ` #`, and a leading or trailing space.
_NOT_PLAIN = re.compile(r"^(?:---|\.\.\.)|^[#,\[\]{}&*!|>'\"%@`]|^[?:-](?: |$)|.: |.:$| #|^ | $")
# Characters ruamel writes as they are (allow_unicode): anything else in a scalar is "special".
_SPECIAL = re.compile("[^\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff")
_BREAKS = re.compile("[\n\x85\u2028\u2029]")
# What ruamel's write_double_quoted escapes, and how.
_ESCAPED = re.compile(
    '["\\\\\x85\u2028\u2029\ufeff]|[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]'
)
_REPLACEMENTS = {
    "\0": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0a": "n", "\x0b": "v", "\x0c": "f",
    "\x0d": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L",
    "\u2029": "P",
}


class _Unsure(Exception):
    """The data holds something this writer does not lay out the way ruamel would, for sure."""


def canonical_layout(data: Any, is_concept: bool) -> str | None:
    """The body (after the schema line) that `wildcli fmt` writes for `data`, plain data as the
    loader reads it from a file without comments; None when only the round trip can tell."""
    if not isinstance(data, dict) or not data:
        return None
    lines: list[str] = []
    try:
        _mapping(_ordered(data, is_concept), 0, lines, "", top=True, entry=False,
                 entries=None if is_concept else "terms")
    except _Unsure:
        return None
    return escape_hidden("".join(line + "\n" for line in lines))


def _ordered(data: dict[str, Any], is_concept: bool) -> dict[str, Any]:
    """`canonicalize` on plain data: keys in schema order, terms sorted."""
    data = _keys_in_order(data, CONCEPT_KEYS if is_concept else ("terms",))
    if is_concept:
        species = data.get("species")
        if isinstance(species, list):
            data["species"] = [_keys_in_order(s, SPECIES_KEYS) for s in species]
        return data
    terms = data.get("terms")
    if isinstance(terms, list):
        entries = []
        for entry in sorted(terms, key=sort_key):
            entry = _keys_in_order(entry, TERM_KEYS)
            sources = entry.get("sources") if isinstance(entry, dict) else None
            if isinstance(sources, list):
                entry["sources"] = [_keys_in_order(s, SOURCE_KEYS) for s in sources]
            entries.append(entry)
        data["terms"] = entries
    return data


def _keys_in_order(mapping: Any, keys: tuple[str, ...]) -> Any:
    if not isinstance(mapping, dict):
        return mapping
    rank = {k: i for i, k in enumerate(keys)}
    return {k: mapping[k] for k in sorted(mapping, key=lambda k: rank.get(str(k), len(keys)))}


def _mapping(
    data: dict[str, Any], indent: int, lines: list[str], lead: str, *, top: bool, entry: bool,
    entries: str | None = None,
) -> None:
    """Block mapping lines at `indent`; the first one continues `lead` (a `- ` item) if given.
    `entry`: a term entry; `entries`: the top-level key whose items are term entries."""
    if not data:
        raise _Unsure
    for n, (key, value) in enumerate(data.items()):
        if not isinstance(key, str) or len(key) > _LONGEST_KEY or not _SIMPLE_KEY.match(key):
            raise _Unsure
        head = (lead if n == 0 and lead else " " * indent) + _scalar(key, needs_quotes(key)) + ":"
        if isinstance(value, dict):
            lines.append(head)
            _mapping(value, indent + 2, lines, "", top=False, entry=False)
        elif isinstance(value, list):
            if not value:
                raise _Unsure
            # canonicalize sets list styles at the top and in term entries, _retype block elsewhere
            if (top or entry) and key in FLOW_LISTS and _fits_inline(key, value, indent):
                items = ", ".join(_flow_item(v, key) for v in value)
                lines.append(f"{head} [{items}]")
            else:
                lines.append(head)
                _sequence(value, indent + 2, lines, key, terms=top and key == entries)
        else:
            lines.append(f"{head} {_value(value, key)}")


def _sequence(items: list[Any], indent: int, lines: list[str], key: str, *, terms: bool) -> None:
    dash = " " * indent + "- "
    for item in items:
        if isinstance(item, dict):
            _mapping(item, indent + 2, lines, dash, top=False, entry=terms)
        elif isinstance(item, list):
            raise _Unsure
        else:
            lines.append(dash + _value(item, key))


def _fits_inline(key: str, value: list[Any], indent: int) -> bool:
    return indent + len(key) + 4 + sum(len(str(v)) + 4 for v in value) <= FLOW_MAX


def _flow_item(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise _Unsure
    return _scalar(value, True)


def _value(value: Any, key: str) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if not isinstance(value, str):
        raise _Unsure  # null, float: ruamel's own spellings are not worth copying here
    return _scalar(value, key in ALWAYS_QUOTED or needs_quotes(value))


def _scalar(text: str, quoted: bool) -> str:
    """A string as ruamel writes a PlainScalarString (`quoted` False) or a DoubleQuotedScalarString,
    with our emitter's one change: double quotes wherever ruamel would pick single ones."""
    if len(text) > _LONGEST_SCALAR:
        raise _Unsure
    if not quoted and _plain_allowed(text):
        return text
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def _plain_allowed(text: str) -> bool:
    if not text:
        raise _Unsure  # never asked: an empty string always needs quotes
    if _SPECIAL.search(text) or _BREAKS.search(text) or _NOT_PLAIN.search(text):
        return False
    return _resolves_to_str(text)


def _resolves_to_str(text: str) -> bool:
    """Whether ruamel reads `text` back as a string when plain (its YAML 1.2 resolver, as it
    dumps); if not, it quotes it. Its resolve(), less the lookups repeated at every call: no
    implicit resolver ever gives the string tag, so any that matches means another type."""
    table = _implicit_resolvers()
    if table is None:
        raise _Unsure
    return not any(regexp.match(text) for _, regexp in table.get(text[0], ()))


@functools.cache
def _implicit_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]] | None:
    """ruamel's implicit resolvers by first character, as its dumper uses them; None if this
    ruamel.yaml resolves in a way `_resolves_to_str` does not follow (every file is then unsure)."""
    from ruamel.yaml import YAML

    resolver = YAML(typ="rt").resolver
    table = dict(resolver.versioned_resolver)
    return None if None in table or resolver.yaml_path_resolvers else table


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _REPLACEMENTS:
        return "\\" + _REPLACEMENTS[ch]
    if ch <= "\xff":
        return f"\\x{ord(ch):02X}"
    if ch <= "\uffff":
        return f"\\u{ord(ch):04X}"
    return f"\\U{ord(ch):08X}"
