"""Reading a baseline file as a stream, keeping only what a scan needs, in bounded memory.

A baseline is given on the command line and may be anything: a document nested a million deep,
a number of a million digits, `/dev/zero`. It is parsed from the parser's bare events (linear in
the depth, numbers defused as the dump readers do), only the header's few values and each
entry's key and concept are kept, and both the bytes read and the entries kept are capped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import ijson

from wildcli.errors import InputError, InputUnavailable, Location
from wildcli.readers.json_reader import json_error_detail
from wildcli.readers.jsonnumbers import NumberGuard
from wildcli.readers.textlines import size_text

MAX_BASELINE_BYTES = 64 * 1024 * 1024
"""64 MiB: about 400,000 entries as wildcli writes them."""
MAX_ENTRIES = 500_000
"""Listing/concept pairs held: about 125 MB, so that a scan with a baseline stays bounded too."""
_CHUNK = 64 * 1024
_HEADER = frozenset({"format", "format_version", "wildcli"})
_SCALARS = frozenset({"string", "number", "integer", "double", "boolean", "null"})


@dataclass
class BaselineDocument:
    """What a baseline file says: its header values and its (key, concept) pairs."""

    header: dict[str, Any] = field(default_factory=dict)
    digest: Any = None
    entries: set[tuple[str, str]] = field(default_factory=set)
    has_entries: bool = False
    bad_entry: bool = False


def read_baseline_file(path: str | os.PathLike[str], kind: str) -> BaselineDocument:
    """The baseline at `path`. InputUnavailable when it cannot be read; InputError ("not a
    <kind>: ...") when it is not JSON, too large, or holds too many entries."""
    where = Location(os.fspath(path))
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, read in chunks
    except OSError as exc:
        raise InputUnavailable(f"cannot read baseline: {exc.strerror or exc}", where) from None
    with handle:
        return _parse(handle, where, kind)


def _parse(handle: Any, where: Location, kind: str) -> BaselineDocument:
    document = BaselineDocument()
    events = ijson.sendable_list()
    parser = ijson.basic_parse_coro(events)
    guard = NumberGuard()
    walker = _Walker(document)
    size = 0
    while True:
        try:
            data = handle.read(_CHUNK)
        except OSError as exc:
            raise InputUnavailable(f"cannot read baseline: {exc.strerror or exc}", where) from None
        size += len(data)
        if size > MAX_BASELINE_BYTES:
            raise InputError(f"not a {kind}: larger than {size_text(MAX_BASELINE_BYTES)}", where)
        try:
            if data:
                parser.send(guard.feed(data))
            else:
                parser.send(guard.feed(b"", final=True))
                parser.send(b"")  # the end of the document
        except StopIteration:
            pass
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise InputError(f"not a {kind}: not valid JSON: {json_error_detail(exc)}", where) from None
        except (ArithmeticError, ValueError):  # a number the parser could not convert
            raise InputError(f"not a {kind}: not valid JSON: number out of range", where) from None
        for event, value in events:
            walker.feed(event, value)
        del events[:]
        if len(document.entries) > MAX_ENTRIES:
            raise InputError(f"not a {kind}: more than {MAX_ENTRIES:,} entries", where)
        if not walker.plausible:
            break  # the document is not a baseline: no need to read the rest (it may not end)
        if not data:
            break
    return document


class _Walker:
    """Keeps the header values at the top level, `lexicon.digest`, and each entry's key and
    concept; follows the depth of everything else without building it."""

    def __init__(self, document: BaselineDocument) -> None:
        self._document = document
        self._depth = 0
        self._key: Any = None  # the key at depth 1
        self._inner: Any = None  # the key at depth 2 (in `lexicon`) or 3 (in an entry)
        self._entry: dict[str, Any] | None = None
        self.plausible = True

    def feed(self, event: str, value: Any) -> None:
        depth = self._depth
        if depth == 0 and event != "start_map":
            self.plausible = False  # the top level must be an object
            return
        if event == "map_key":
            if depth == 1:
                self._key = value
            else:
                self._inner = value
            return
        if event in _SCALARS:
            self._scalar(depth, value)
            return
        if event == "start_map" or event == "start_array":
            self._depth = depth + 1
            if depth == 1 and self._key == "entries":
                self._document.has_entries = event == "start_array"
            elif depth == 2 and self._key == "entries" and self._document.has_entries:
                self._entry = {} if event == "start_map" else None
                self._document.bad_entry |= event != "start_map"
            return
        self._depth = depth - 1  # end_map, end_array
        if depth == 3 and self._key == "entries" and self._entry is not None:
            key, concept = self._entry.get("key"), self._entry.get("concept")
            if isinstance(key, str) and isinstance(concept, str):
                self._document.entries.add((key, concept))
            else:
                self._document.bad_entry = True
            self._entry = None

    def _scalar(self, depth: int, value: Any) -> None:
        if depth == 1 and self._key in _HEADER:
            self._document.header[self._key] = value
        elif depth == 2 and self._key == "lexicon" and self._inner == "digest":
            self._document.digest = value
        elif depth == 2 and self._key == "entries" and self._document.has_entries:
            self._document.bad_entry = True  # an entry that is not an object
        elif depth == 3 and self._entry is not None and self._inner in ("key", "concept"):
            self._entry[self._inner] = value
