"""JSON dumps: a top-level array of objects, or an object holding one, streamed with ijson."""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator
from typing import Any

import ijson

from wildcli.errors import InputError, InputUnavailable
from wildcli.readers.base import ErrorCallback, FileProblem, ReadOptions, Record
from wildcli.readers.decoding import JSON_SENTINEL, Transcoder, encoding_label
from wildcli.readers.fields import ObjectFields, kind_of, missing_message
from wildcli.readers.opening import BrokenInput, Source
from wildcli.readers.textlines import size_text

_CHUNK = 64 * 1024
MAX_DEPTH = 1024
_Event = tuple[str, str, Any]
# yajl calls a bad bare word such as `tru` an "invalid string".
_YAJL_WORDING = {
    "invalid char": "invalid character",
    "invalid string": "invalid literal",
    "premature EOF": "unexpected end of file",
}
_SCALAR_EVENTS = {"string": "a string", "number": "a number", "boolean": "a boolean", "null": "null"}


def _chunks(source: Source, transcoder: Transcoder) -> Iterator[bytes]:
    """The dump as UTF-8, whatever its encoding, in parser-sized pieces."""
    read = source.stream.read
    while True:
        data = read(_CHUNK)
        if not data:
            damage = source.damage()
            if damage is not None:
                raise damage  # not the parser's `unexpected end of file`: the stream broke off
            tail = transcoder.feed(b"", final=True)
            if tail:
                yield tail
            yield b""  # the parser takes an empty chunk as the end of the document
            return
        text = transcoder.feed(data)
        if text:
            yield text


def json_error_detail(error: Exception) -> str:
    """yajl's first message line without its `parse error:` prefix and the code excerpt."""
    if isinstance(error, UnicodeDecodeError):
        return "invalid string escape"  # a lone surrogate escape in a key; ijson cannot decode it
    text = error.args[0] if error.args else str(error)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    detail = str(text).split("\n", 1)[0].split(": ", 1)[-1].rstrip(".").replace(" in json text", "")
    return _YAJL_WORDING.get(detail, detail)


class _Finder:
    """Finds the records in the parse events of the dump's start: the ijson prefix of the array.

    A top-level array is the records; in a top-level object, the first key whose value is an
    array of objects. Another empty array is accepted as an empty dump.
    """

    def __init__(self, source: Source) -> None:
        self._source = source
        self._depth = 0
        self._opened: str | None = None
        self._empty: str | None = None

    def feed(self, events: Iterable[_Event]) -> str | None:
        for prefix, event, _value in events:
            if self._depth == 0 and prefix == "":
                if event == "start_array":
                    return "item"
                if event in _SCALAR_EVENTS:
                    raise InputUnavailable(
                        f"JSON is {_SCALAR_EVENTS[event]}, not an array of objects", self._source.where()
                    )
            if self._opened is not None:
                if event == "start_map" and prefix == f"{self._opened}.item":
                    return prefix
                if event == "end_array" and prefix == self._opened:
                    self._empty = self._empty or f"{prefix}.item"
                self._opened = None
            if event in ("start_map", "start_array"):
                self._depth += 1
                if event == "start_array" and self._depth == 2:
                    self._opened = prefix
            elif event in ("end_map", "end_array"):
                self._depth -= 1
                if self._depth == 0:
                    return self._finish()
        return None

    def _finish(self) -> str:
        if self._empty is not None:
            return self._empty
        message = "JSON object holds no array of objects (one object per line is format jsonl)"
        raise InputUnavailable(message, self._source.where())


def _find_records(chunks: Iterator[bytes], source: Source, limit: int) -> tuple[str, list[bytes]]:
    """The records' ijson prefix, and the chunks read to find it (to be parsed again)."""
    events = ijson.sendable_list()
    parser = ijson.parse_coro(events)
    finder = _Finder(source)
    seen: list[bytes] = []
    size = 0
    for chunk in chunks:
        seen.append(chunk)
        size += len(chunk)
        error = _send(parser, chunk)
        found = finder.feed(events)
        if found is not None:
            return found, seen
        if error is not None:
            raise InputUnavailable(f"not valid JSON: {json_error_detail(error)}", source.where())
        del events[:]
        if size > limit:
            raise InputUnavailable(f"no array of objects in the first {size_text(limit)}", source.where())
    raise InputUnavailable("not valid JSON: unexpected end of file", source.where())


def _send(parser: Any, chunk: bytes) -> Exception | None:
    """Feed the push parser; its syntax error is returned because items parsed before it count."""
    try:
        parser.send(chunk)
    except StopIteration:
        pass  # the parser finished at the end of the document
    except (ijson.JSONError, UnicodeDecodeError) as error:
        return error
    return None


def _replay(seen: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    pending = collections.deque(seen)
    seen.clear()
    while pending:
        yield pending.popleft()
    yield from rest


def marked_path(value: object) -> str | None:
    """The dotted path of the first string holding a marked (undecodable) byte, else None."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, current = stack.pop()
        if isinstance(current, str):
            if JSON_SENTINEL in current:
                return path or None
        elif isinstance(current, dict):
            for key, item in current.items():
                child = f"{path}.{key}" if path else str(key)
                if JSON_SENTINEL in key:
                    return child
                stack.append((child, item))
        elif isinstance(current, list):
            stack.extend((path, item) for item in current)
    return None


def nested_deeper_than(value: object, limit: int) -> bool:
    """True when containers nest more than `limit` levels (the record itself is level 1).

    ijson builds any depth without recursion, but the JSON Lines parsers stop at 1024 levels;
    the same limit here makes a record read the same way in either format.
    """
    stack: list[tuple[dict[Any, Any] | list[Any], int]] = []
    if isinstance(value, (dict, list)):
        stack.append((value, 1))
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return True
        children = current.values() if isinstance(current, dict) else current
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def read_json(source: Source, options: ReadOptions, report: ErrorCallback) -> Iterator[Record]:
    """Records of a JSON dump. A syntax error ends the dump: JSON cannot be resumed after one."""
    transcoder = Transcoder(source.encoding)
    chunks = _chunks(source, transcoder)
    prefix, seen = _find_records(chunks, source, options.max_record_bytes)
    fields = ObjectFields(options)
    items = ijson.sendable_list()
    parser = ijson.items_coro(items, prefix)
    row = 0
    pending = 0  # bytes parsed since the last whole record: an upper bound of the current one
    for chunk in _replay(seen, chunks):
        failure = _send(parser, chunk)
        pending = len(chunk) if items else pending + len(chunk)
        for item in items:
            row += 1
            if not isinstance(item, dict):
                report(InputError(f"record {row} is {kind_of(item)}, not an object", source.where()))
                continue
            if nested_deeper_than(item, MAX_DEPTH):
                report(InputError(f"record {row}: JSON is nested too deeply", source.where()))
                continue
            bad = marked_path(item) if transcoder.marked else None
            if bad is not None:
                label = encoding_label(source.encoding)
                report(InputError(f"invalid {label} in record {row}", source.where(field=bad)))
                continue
            yield fields.record(item, source.display, row, None)
        del items[:]
        if failure is not None:
            raise BrokenInput(_failure_message(failure, row), source.where())
        if pending > options.max_record_bytes:
            # The parser holds the unfinished record; JSON cannot be resumed after it, so stop.
            message = f"record {row + 1} is longer than {size_text(options.max_record_bytes)}"
            raise BrokenInput(message + "; the rest is not read", source.where())
    for name in fields.never_seen():
        report(FileProblem(missing_message(name, options), source.where()))


def _failure_message(error: Exception, row: int) -> str:
    detail = json_error_detail(error)
    if detail == "trailing garbage":
        return "trailing garbage after the JSON document"
    return f"not valid JSON: {detail}" + (f" after record {row}" if row else "")
