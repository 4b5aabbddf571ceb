"""Keys written twice in one JSON Lines object, which the fast parser silently reads as one.

orjson, like every JSON parser, keeps only the last value of a repeated key, so a seller could
hide a title behind a second `"title"`. Each key written has one colon after it, and the parsed
object written out again has one per key it kept; colons inside text are the same in both, as
long as none is written as an escape (`\\u003a`). So a line with more colons than the object
written out repeats a key. That costs two counts at C speed; only such a line is parsed again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from wildcli.readers.fields import merge_values

_dumps: Callable[[Any], bytes]
try:
    from orjson import dumps as _dumps
except ImportError:  # pragma: no cover - orjson is a dependency, but the reader works without it

    def _dumps(value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")


def maybe_repeated(line: str, value: dict[str, Any]) -> bool:
    """False when `line`, parsed as `value`, certainly writes no key twice (nearly every line)."""
    # In UTF-8: counting in text outside Latin-1 is several times slower.
    text = line.encode("utf-8", "surrogatepass")
    if b"\\u003" in text:
        return True  # maybe an escaped colon (\\u003a, \\u003A): let the slow parse tell
    try:
        kept = _dumps(value)
    except (TypeError, ValueError):  # orjson writes 254 levels at most where it reads 1024
        return True
    return text.count(b":") > kept.count(b":")


def repeated_keys(line: str) -> tuple[dict[str, Any], tuple[str, int]] | None:
    """The object of `line` with every value of each repeated key kept (see
    fields.merge_values), and the first such key with the times it is written; None if it
    repeats none after all."""
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for key, item in items:
            if key in merged:
                repeated.append(key)
                merged[key] = merge_values(merged[key], item)
            else:
                merged[key] = item
        return merged

    try:
        again = json.loads(line, object_pairs_hook=pairs)
    except (ValueError, RecursionError):  # what the fast parser reads and this one refuses
        return None
    if not repeated or not isinstance(again, dict):
        return None
    first = repeated[0]
    return again, (first, 1 + repeated.count(first))
