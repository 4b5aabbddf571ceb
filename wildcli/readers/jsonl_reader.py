"""JSON Lines dumps: one object per line, parsed with orjson (stdlib json if absent), bad lines skipped."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from wildcli.errors import InputError
from wildcli.readers.base import ErrorCallback, FileProblem, Plan, ReadOptions, Record, Span
from wildcli.readers.decoding import errors_seen, first_problem, has_problem
from wildcli.readers.fields import ObjectFields, kind_of, missing_message
from wildcli.readers.opening import Source
from wildcli.readers.textlines import TOO_LONG, capped_lines, open_text, size_text

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
    source: Source, options: ReadOptions, report: ErrorCallback, span: Span | None = None
) -> Iterator[Record]:
    """Records of a JSON Lines dump; blank lines are skipped and not counted as records.

    With `span`, `source` is one byte range of a dump: see wildcli.readers.base.Span.
    """
    fields = ObjectFields(options, number_ids=span is None)
    if span is not None and span.plan is not None:
        fields.preset(span.plan)
    count = [0, 0]
    record, display = fields.record, source.display  # looked up once, not per line
    for value, row, number in _objects(source, options, report, count):
        yield record(value, display, row, number)
    if span is not None:
        span.rows, span.lines, span.unseen = count[0], count[1], fields.unseen()
        return
    for name in fields.never_seen():
        report(FileProblem(missing_message(name, options), source.where()))


def first_plan(source: Source, options: ReadOptions) -> Plan | None:
    """The field choice `read_jsonl` makes on the first object of `source`; None if it has none."""
    first = next(_objects(source, options, lambda error: None, [0, 0]), None)
    return None if first is None else ObjectFields.detect(options, first[0])


def _objects(
    source: Source, options: ReadOptions, report: ErrorCallback, count: list[int]
) -> Iterator[tuple[dict[str, object], int, int]]:
    """Each object with its record number and line; `count` ends as [records, lines] read."""
    errors_before = errors_seen()
    limit = size_text(options.max_record_bytes)
    loads = _loads  # a local: it is called once per line
    row = number = 0
    try:
        for number, line in enumerate(capped_lines(open_text(source), options.max_record_bytes), 1):
            if line is TOO_LONG:
                row += 1
                report(InputError(f"line is longer than {limit}", source.where(number)))
                continue
            if line.isspace():
                continue
            row += 1
            if "\x00" in line or (errors_seen() != errors_before and has_problem(line)):
                offset = source.bom_length if number == 1 else 0
                message = first_problem(line, source.encoding, offset) or "bad line"
                report(InputError(message, source.where(number)))
                continue
            try:
                value = loads(line)
            except (json.JSONDecodeError, RecursionError) as error:  # orjson's error is a subclass
                problem, column = _parse_problem(error)
                report(InputError(problem, source.where(number, column=column)))
                continue
            if isinstance(value, dict):
                yield value, row, number
            else:
                report(InputError(f"expected a JSON object, found {kind_of(value)}", source.where(number)))
    finally:
        # Told once at the end rather than per line: it is only read after the last object.
        count[0], count[1] = row, number
