"""JSON Lines dumps: one object per line, parsed with orjson (stdlib json if absent), bad lines skipped."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TypeVar

from wildcli.errors import InputError
from wildcli.readers.base import ErrorCallback, FileProblem, KeptRowProblem, Plan, ReadOptions, Record, Span
from wildcli.readers.fields import ObjectFields, kind_of, missing_message
from wildcli.readers.jsonkeys import maybe_repeated, repeated_keys
from wildcli.readers.opening import OpenedInput
from wildcli.readers.textlines import record_lines

_loads: Callable[[str], object]
try:
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - orjson is a dependency, but the reader works without it
    _loads = json.loads


def _parse_problem(error: json.JSONDecodeError | RecursionError) -> tuple[str, int | None]:
    """The message and 1-based column of the problem in a line the JSON parser rejected."""
    if isinstance(error, RecursionError) or "depth limit" in error.msg or "recursion" in error.msg:
        return "JSON is nested too deeply", None
    return f"not valid JSON: {error.msg}", error.colno


def read_jsonl(
    source: OpenedInput, options: ReadOptions, report: ErrorCallback, span: Span | None = None
) -> Iterator[Record]:
    """Records of a JSON Lines dump; blank lines are skipped and not counted as records.

    With `span`, `source` is one byte range of a dump: see wildcli.readers.base.Span.
    """
    fields = ObjectFields(options, number_ids=span is None)
    if span is not None and span.plan is not None:
        fields.preset(span.plan)
    count = [0, 0]
    yield from _objects(source, options, report, count, fields.record)
    if span is not None:
        span.rows, span.lines, span.unseen = count[0], count[1], fields.unseen()
        return
    for name in fields.never_seen():
        report(FileProblem(missing_message(name, options), source.where()))


def first_plan(source: OpenedInput, options: ReadOptions) -> Plan | None:
    """The field choice `read_jsonl` makes on the first object of `source`; None if it has none."""
    first = next(_objects(source, options, lambda error: None, [0, 0], _object), None)
    return None if first is None else ObjectFields.detect(options, first)


def _object(value: dict[str, object], source: str, row: int, line: int) -> dict[str, object]:
    return value


_T = TypeVar("_T")


def _objects(
    source: OpenedInput, options: ReadOptions, report: ErrorCallback, count: list[int],
    make: Callable[[dict[str, object], str, int, int], _T],
) -> Iterator[_T]:
    """`make(object, source name, record number, line)` of each object; `count` ends as
    [records, lines] read. Made here rather than by the caller: one generator fewer per line."""
    loads = _loads  # locals: they are used once per line
    display = source.display
    for line, row, number in record_lines(source, options.max_record_bytes, report, count):
        try:
            value = loads(line)
        except (json.JSONDecodeError, RecursionError) as error:  # orjson's error is a subclass
            problem, column = _parse_problem(error)
            report(InputError(problem, source.where(number, column=column)))
            continue
        if isinstance(value, dict):
            if maybe_repeated(line, value):
                repeated = repeated_keys(line)
                if repeated is not None:
                    value, (name, times) = repeated
                    message = f"key written {times} times; every value is scanned"
                    report(KeptRowProblem(message, source.where(number, field=name)))
            yield make(value, display, row, number)
        else:
            report(InputError(f"expected a JSON object, found {kind_of(value)}", source.where(number)))
