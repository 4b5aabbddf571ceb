"""JSON dumps: a top-level array of objects, or an object holding one, streamed with ijson.

The parser gives bare events (ijson's basic_parse) and the records are built here. ijson's own
item builder tracks the dotted path of every open container, which costs memory in the square of
the depth (over 2 GB for a 30,000-deep record in a 60 KB file), and keeps only the last value of
a key written twice; here a record deeper than MAX_DEPTH is passed over without building it, and
every value of a repeated key is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ijson

from wildcli.errors import InputError, InputUnavailable
from wildcli.readers.base import ErrorCallback, FileProblem, KeptRowProblem, ReadOptions, Record
from wildcli.readers.decoding import JSON_SENTINEL, Transcoder, encoding_label
from wildcli.readers.fields import ObjectFields, merge_values, missing_message
from wildcli.readers.jsonnumbers import NumberGuard, too_long
from wildcli.readers.opening import BrokenInput, OpenedInput
from wildcli.readers.textlines import size_text

_CHUNK = 64 * 1024
MAX_DEPTH = 1024
"""Containers a record may nest (the record itself is level 1): the JSON Lines parser's limit,
so that a record reads the same way in either format."""
# yajl calls a bad bare word such as `tru` an "invalid string".
_YAJL_WORDING = {
    "invalid char": "invalid character",
    "invalid string": "invalid literal",
    "premature EOF": "unexpected end of file",
}
_SCALARS = frozenset({"string", "number", "integer", "double", "boolean", "null"})
_SCALAR_KINDS = {"string": "a string", "boolean": "a boolean", "null": "null"}
_OPENS = {"start_map": "an object", "start_array": "an array"}


def _chunks(source: OpenedInput, transcoder: Transcoder, guard: NumberGuard) -> Iterator[bytes]:
    """The dump as UTF-8, whatever its encoding, in parser-sized pieces, its numbers defused."""
    read = source.stream.read
    while True:
        data = read(_CHUNK)
        if not data:
            damage = source.damage()
            if damage is not None:
                raise damage  # not the parser's `unexpected end of file`: the stream broke off
            tail = guard.feed(transcoder.feed(b"", final=True), final=True)
            if tail:
                yield tail
            yield b""  # the parser takes an empty chunk as the end of the document
            return
        text = guard.feed(transcoder.feed(data))
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


def _send(parser: Any, chunk: bytes) -> Exception | None:
    """Feed the push parser; its syntax error is returned because events before it count."""
    try:
        parser.send(chunk)
    except StopIteration:
        pass  # the parser finished at the end of the document
    except (ijson.JSONError, UnicodeDecodeError) as error:
        return error
    except (ArithmeticError, ValueError):
        # A number the parser could not convert (an exponent too large for Decimal, followed by
        # a letter or a quote: see jsonnumbers). The parser cannot go on after it.
        failure: Exception = ijson.JSONError("number out of range")
        return failure
    return None


def marked_path(value: object) -> str | None:
    """The dotted path of the first string holding a marked (undecodable) byte, else None."""
    return _first_path(value, lambda item: isinstance(item, str) and JSON_SENTINEL in item, keys=True)


def _first_path(value: object, bad: Any, *, keys: bool = False) -> str | None:
    """The dotted path of the first value (or, with `keys`, key) for which `bad` is true."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, current = stack.pop()
        if bad(current):
            return path or None
        if isinstance(current, dict):
            for key, item in current.items():
                child = f"{path}.{key}" if path else str(key)
                if keys and bad(key):
                    return child
                stack.append((child, item))
        elif isinstance(current, list):
            stack.extend((path, item) for item in current)
    return None


class _Finder:
    """Finds the array of records in the events of the dump's start.

    A top-level array is the records; in a top-level object, the first key whose value is an
    array of objects. Another empty array is accepted as an empty dump. `feed` returns the depth
    of the records' array once it is found (2: the event given begins the first record), or 0
    when the object ends with only an empty array.
    """

    def __init__(self, source: OpenedInput) -> None:
        self._source = source
        self._depth = 0
        self._opened = False  # an array at depth 2 has just begun
        self.empty = False

    def feed(self, event: str) -> int | None:
        depth = self._depth
        if depth == 0:
            if event == "start_array":
                return 1
            if event != "start_map":
                kind = _SCALAR_KINDS.get(event, "a number")
                raise InputUnavailable(f"JSON is {kind}, not an array of objects", self._source.where())
        if self._opened:
            self._opened = False
            if event == "start_map":
                return 2
            self.empty = self.empty or event == "end_array"
        if event in _OPENS:
            self._depth = depth + 1
            self._opened = event == "start_array" and depth == 1
        elif event == "end_map" or event == "end_array":
            self._depth = depth - 1
            if depth == 1:
                if self.empty:
                    return 0
                message = "JSON object holds no array of objects (one object per line is format jsonl)"
                raise InputUnavailable(message, self._source.where())
        return None


def read_json(source: OpenedInput, options: ReadOptions, report: ErrorCallback) -> Iterator[Record]:
    """Records of a JSON dump. A syntax error ends the dump: JSON cannot be resumed after one."""
    transcoder = Transcoder(source.encoding)
    guard = NumberGuard()
    fields = ObjectFields(options)
    limit = options.max_record_bytes
    display, where = source.display, source.where
    events = ijson.sendable_list()
    parser = ijson.basic_parse_coro(events)
    finder: _Finder | None = _Finder(source)
    level = 0  # containers open inside the records' array: 0 between records
    row = 0
    pending = 0  # bytes parsed since the last whole record: an upper bound of the current one
    # The record being built: its open containers (the innermost is `top`), the key awaiting a
    # value, and what it holds that makes it unusable (None: nothing yet).
    stack: list[tuple[Any, Any]] = []
    top: Any = None
    key: Any = None
    problem: str | None = None
    repeated: list[str] = []
    done = False  # the records' array has ended; the rest is parsed for errors only
    for chunk in _chunks(source, transcoder, guard):
        failure = _send(parser, chunk)
        pending += len(chunk)
        for event, value in events:
            if finder is not None:
                found = finder.feed(event)
                if found is None:
                    continue
                finder, done = None, found == 0
                if found != 2:
                    continue  # the top-level array has just opened, or there are no records
                # The array's first object has begun: fall through to build it.
            if done:
                continue
            if level == 0:
                # Between records: a new one begins, or the array ends.
                if event == "start_map":
                    row += 1
                    level, top, key, problem = 1, {}, None, None
                    stack.clear()
                    repeated.clear()
                elif event == "end_array":
                    done = True
                else:
                    row += 1
                    kind = _OPENS.get(event) or _SCALAR_KINDS.get(event, "a number")
                    report(InputError(f"record {row} is {kind}, not an object", where()))
                    if event == "start_array":
                        level, top, problem = 1, None, "skip"
                continue
            if event == "map_key":
                key = value
                continue
            if event in _SCALARS:
                if top is None:
                    continue  # inside a record that is not built
            elif event == "start_map" or event == "start_array":
                level += 1
                if top is not None:
                    if level > MAX_DEPTH:
                        top, problem = None, "JSON is nested too deeply"
                    else:
                        stack.append((top, key))
                        top, key = ({} if event == "start_map" else []), None
                continue
            else:  # end_map, end_array
                level -= 1
                if level == 0:
                    if top is not None or problem != "skip":
                        record = _finish(top, problem, repeated, row, source, transcoder, guard, report)
                        if record is not None:
                            yield fields.record(record, display, row, None)
                    top = None
                    pending = len(chunk)
                    continue
                if top is None:
                    continue
                value, (top, key) = top, stack.pop()
            # A value for the innermost open container.
            if type(top) is dict:
                if key in top:
                    repeated.append(".".join([*(str(k) for parent, k in stack if type(parent) is dict), key]))
                    value = merge_values(top[key], value)
                top[key] = value
            else:
                top.append(value)
        del events[:]
        if failure is not None:
            if finder is not None:
                raise InputUnavailable(f"not valid JSON: {json_error_detail(failure)}", where())
            raise BrokenInput(_failure_message(failure, row - (level > 0)), where())
        if finder is not None:
            if pending > limit:
                raise InputUnavailable(f"no array of objects in the first {size_text(limit)}", where())
        elif level and pending > limit:
            # The record is unfinished; JSON cannot be resumed inside it, so stop.
            message = f"record {row} is longer than {size_text(limit)}"
            raise BrokenInput(message + "; the rest is not read", where())
    if finder is not None:
        raise InputUnavailable("not valid JSON: unexpected end of file", where())
    for name in fields.never_seen():
        report(FileProblem(missing_message(name, options), where()))


def _finish(
    record: dict[Any, Any] | None, problem: str | None, repeated: list[str], row: int, source: OpenedInput,
    transcoder: Transcoder, guard: NumberGuard, report: ErrorCallback,
) -> dict[Any, Any] | None:
    """The record just closed, or None once its problem is reported."""
    if record is None:
        report(InputError(f"record {row}: {problem}", source.where()))
        return None
    if guard.defused:
        path = _first_path(record, too_long)
        if path is not None:
            report(InputError(f"number too long in record {row}", source.where(field=path)))
            return None
    bad = marked_path(record) if transcoder.marked else None
    if bad is not None:
        label = encoding_label(source.encoding)
        report(InputError(f"invalid {label} in record {row}", source.where(field=bad)))
        return None
    if repeated:
        path = repeated[0]
        count = 1 + repeated.count(path)
        message = f"key written {count} times in record {row}; every value is scanned"
        report(KeptRowProblem(message, source.where(field=path)))
    return record


def _failure_message(error: Exception, row: int) -> str:
    detail = json_error_detail(error)
    if detail == "trailing garbage":
        return "trailing garbage after the JSON document"
    return f"not valid JSON: {detail}" + (f" after record {row}" if row else "")
