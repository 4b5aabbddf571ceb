"""CSV/TSV dumps: sniffed delimiter, header row, one record per row, bad rows reported and skipped."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

from wildcli.errors import InputError, InputUnavailable
from wildcli.readers.base import (
    CountedRecord,
    ErrorCallback,
    FileProblem,
    KeptRowProblem,
    ReadOptions,
    Record,
    Span,
)
from wildcli.readers.counts import count_message, detect_count_field, parse_count
from wildcli.readers.decoding import errors_seen, first_problem, has_problem
from wildcli.readers.fields import detect_id_field, detect_text_fields, unique_names
from wildcli.readers.opening import OpenedInput
from wildcli.readers.textlines import TOO_LONG, BlankRun, capped_lines, open_text, size_text

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_ROWS = 100
_C_LONG_MAX = 2**31 - 1  # csv.field_size_limit takes a C long, 32-bit on Windows


def sniff_delimiter(sample: str) -> str:
    """The candidate delimiter that splits the header widest and most rows to the header's width."""
    if len(sample) > 1 and "\n" in sample[:-1]:
        sample = sample[: sample.rindex("\n", 0, len(sample) - 1) + 1]  # drop a cut-off last line
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
        try:
            rows = [row for row in itertools.islice(reader, _SNIFF_ROWS) if row]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(row) == width for row in rows) / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass
class _Feed:
    """Hands physical lines to the csv module and remembers what it saw in them.

    The csv module pulls exactly the lines of one record, so the line count after a row is
    the record's last line, and problems collected since the previous row belong to it.
    """

    source: OpenedInput
    limit: int
    line: int = 0
    eof: bool = False
    unclosed: bool = False
    too_long_at: int | None = None
    too_long_what: str = "line"
    delimiter: str = ","
    problems: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        text = open_text(self.source)
        self._lines = capped_lines(text, self.limit, skipped=self._skipped, live=self.source.live)
        self._errors_before = errors_seen()
        # Characters of the current record handed to the csv module so far; _rows sets it to 0
        # when the csv module finishes a record, so the next line pulled starts a new one.
        self.record_chars = 0
        self.record_start = 0  # the line the current record started on
        self._resync: _Resync | None = None

    @property
    def ended(self) -> bool:
        return self.eof or self.too_long_at is not None

    def segment(self) -> Iterator[str]:
        """Lines up to the end or the next over-long line or record; the caller starts a new csv
        reader. An over-long record is skipped to its real end, so the rows after it are read."""
        self.too_long_at = None
        limit, errors_before = self.limit, self._errors_before  # locals: this runs once per line
        for line in self._lines:
            if type(line) is BlankRun:
                if not self.record_chars:
                    self.line += line.lines  # blank lines between records: the csv module skips them
                    continue
                # Blank lines in a quoted field: they count towards the record's size.
                if not (yield from self._inside(line.splitlines(True))):
                    return
                continue
            self.line += 1
            if line is TOO_LONG:
                self.too_long_at, self.too_long_what = self.line, "line"
                self._skip_record()
                return
            if not self.record_chars:
                self.record_chars = len(line)
                self.record_start = self.line
            else:
                self.record_chars += len(line)
                if self.record_chars > limit:
                    # Only a quoted field spans lines: without this cut the csv module would grow
                    # it to the field limit, then read the rest of it as rows of its own.
                    self.too_long_at, self.too_long_what = self.record_start, "field"
                    self._resync = _Resync(self.delimiter, in_quotes=True)
                    self._resync.feed(line)
                    self._skip_record()
                    return
            if line[-1] not in "\r\n" and self.source.damage() is not None:
                break  # the last line, cut in two by damage to the stream: not a shorter row
            if "\x00" in line or (errors_seen() != errors_before and has_problem(line)):
                self._flag(line)
                line = line.replace("\x00", "")  # Python 3.10's csv module rejects NUL itself
            yield line
        self.eof = True

    def _inside(self, lines: list[str]) -> Generator[str, None, bool]:
        """Yield the blank lines of a quoted field; False (the record skipped) if they make it
        longer than the limit, as `segment` judges a line that does."""
        for k, line in enumerate(lines):
            self.line += 1
            self.record_chars += len(line)
            if self.record_chars > self.limit:
                self.too_long_at, self.too_long_what = self.record_start, "field"
                self._resync = _Resync(self.delimiter, in_quotes=True)
                for rest in lines[k:]:
                    self._resync.feed(rest)
                self.line += len(lines) - k - 1
                self._skip_record()
                return False
            yield line
        return True

    def _skipped(self, text: str) -> None:
        """Text of an over-long line that capped_lines drops unread by the csv module."""
        if self._resync is None:
            self._resync = _Resync(self.delimiter, in_quotes=self.record_chars > 0)
        self._resync.feed(text)

    def _skip_record(self) -> None:
        """Consume lines until the record being skipped ends (or the input does)."""
        resync = self._resync
        self._resync = None
        self.record_chars = 0
        while resync is not None and not resync.ended:
            self._resync = resync  # an over-long line among them feeds it through _skipped
            line = next(self._lines, None)
            self._resync = None
            if line is None:
                self.eof = True
                self.unclosed = resync.in_quotes
                return
            # A run of blank lines inside the skipped quoted field counts as all its lines.
            self.line += line.lines if type(line) is BlankRun else 1
            if line is not TOO_LONG:
                resync.feed(line)

    def _flag(self, line: str) -> None:
        offset = self.source.bom_length if self.line == 1 else 0
        message = first_problem(line, self.source.encoding, offset)
        if message is not None:
            self.problems.append((self.line, message))


class _Resync:
    """The csv module's quoting rules, run over text it is not shown, to find where a skipped
    record ends: at a line break outside quotes. Only quotes, delimiters and line breaks change
    the state, so whole runs of other characters are passed over with str.find."""

    def __init__(self, delimiter: str, *, in_quotes: bool) -> None:
        self._delimiter = delimiter
        self._stops = re.compile(f"[{re.escape(delimiter)}\r\n]")
        self.state = _QUOTED if in_quotes else _START
        self.ended = False

    @property
    def in_quotes(self) -> bool:
        return self.state in (_QUOTED, _QUOTE_IN_QUOTED)

    def feed(self, text: str) -> None:
        pos, size, state = 0, len(text), self.state
        while pos < size and not self.ended:
            if state == _QUOTED:
                quote = text.find('"', pos)
                if quote < 0:
                    break
                pos, state = quote + 1, _QUOTE_IN_QUOTED
            elif state == _FIELD:
                stop = self._stops.search(text, pos)
                if stop is None:
                    break
                pos, state = stop.end(), _START
                self.ended = stop.group() != self._delimiter
            else:
                char = text[pos]
                pos += 1
                if char in "\r\n":
                    self.ended = True
                elif char == '"':
                    state = _QUOTED
                elif char == self._delimiter:
                    state = _START
                else:  # text after a closing quote, or an unquoted field (strict=False)
                    state = _FIELD
        self.state = state


_START, _FIELD, _QUOTED, _QUOTE_IN_QUOTED = range(4)


_Row = tuple[int, list[str] | None, str | None, int | None]
"""(start, cells, problem, problem_line): the line a record starts on, and its cells or the reason
it cannot be used with the line that reason is on (None: `start`). A plain tuple, as one is built
per row: a NamedTuple's constructor, written in Python, took nearly a tenth of reading a CSV dump."""


def _rows(feed: _Feed, options: ReadOptions, delimiter: str) -> Iterator[_Row]:
    """Every non-blank physical record, with cells or with the reason it cannot be used."""
    limit = size_text(options.max_record_bytes)
    feed.delimiter = delimiter
    problems = feed.problems
    while not feed.eof:
        reader = csv.reader(feed.segment(), delimiter=delimiter, quotechar='"', strict=False)
        start = feed.line + 1
        while True:
            try:
                cells = next(reader, None)
            except csv.Error as error:
                if feed.record_chars:  # blank lines before it were passed over as a run
                    start = feed.record_start
                feed.record_chars = 0
                too_big = "field limit" in str(error)
                yield start, None, f"field is longer than {limit}" if too_big else f"bad CSV: {error}", None
            else:
                if feed.record_chars:
                    start = feed.record_start
                feed.record_chars = 0
                if feed.too_long_at is not None:
                    message = f"{feed.too_long_what} is longer than {limit}"
                    yield start, None, message, feed.too_long_at
                    problems.clear()
                    break
                if cells is None:
                    break
                if feed.eof:
                    feed.unclosed = True
                    yield start, None, "quoted field is never closed", None
                elif problems:
                    yield start, None, problems[0][1], problems[0][0]
                elif cells:
                    yield start, cells, None, None
            if problems:
                problems.clear()
            start = feed.line + 1


@dataclass(frozen=True)
class Columns:
    """Where a row's parts are: (name, index) of each text column, the id and count columns."""

    text: list[tuple[str, int]]
    id: int | None
    count: int | None
    count_name: str | None


def _plan(names: list[str], options: ReadOptions, source: OpenedInput, line: int,
          report: ErrorCallback) -> Columns:  # fmt: skip
    for problem in header_problems(names, options):
        report(FileProblem(problem, source.where(line)))
    return columns_of(names, options)


def header_problems(names: list[str], options: ReadOptions) -> list[str]:
    """What is reported about a header of `names` (unique, as `unique_names` makes them): the
    requested fields, id field and count field it lacks."""
    roles = dict.fromkeys(options.fields or (), "field")
    if options.id_field:
        roles[options.id_field] = "id field"
    if options.count_field:
        roles.setdefault(options.count_field, "count field")
    return [f"{role} '{name}' not found in the header" for name, role in roles.items() if name not in names]


def columns_of(names: list[str], options: ReadOptions) -> Columns:
    """The text, id and count columns chosen for a header of `names`."""
    index = {name: i for i, name in enumerate(names)}
    wanted = detect_text_fields(names) if options.fields is None else list(dict.fromkeys(options.fields))
    id_name = options.id_field or detect_id_field(names)
    count_name = detect_count_field(names) if options.count_field is None else options.count_field or None
    count = index.get(count_name) if count_name is not None else None
    # The count column is a number about the query, never text to scan, whatever --fields says.
    columns = [(name, index[name]) for name in wanted if name in index and index[name] != count]
    return Columns(columns, index.get(id_name) if id_name is not None else None, count, count_name)


def _delimiter(source: OpenedInput) -> str:
    return delimiter_of(source.name, source.head)


def delimiter_of(name: str, head: str) -> str:
    """The delimiter of a dump named `name` whose text starts with `head`."""
    return "\t" if name.lower().removesuffix(".gz").endswith(".tsv") else sniff_delimiter(head)


def _allow_fields(max_record_bytes: int) -> None:
    """Let the csv module read fields as long as a record may be. Its field limit is one for the
    whole process, so it is raised when needed and never lowered: the feed holds lines and records
    to `max_record_bytes` itself, and a lower limit would break the CSV reading of any other code
    in the process (a library user's own, or a test's)."""
    needed = min(max_record_bytes, _C_LONG_MAX)
    if csv.field_size_limit() < needed:
        csv.field_size_limit(needed)


def read_header(source: OpenedInput, options: ReadOptions) -> tuple[str, ...] | None:
    """The header cells `read_csv` would use, or None when it has no usable header."""
    _allow_fields(options.max_record_bytes)
    header = next(_rows(_Feed(source, options.max_record_bytes), options, _delimiter(source)), None)
    return None if header is None or header[1] is None else tuple(header[1])


def read_csv(
    source: OpenedInput, options: ReadOptions, report: ErrorCallback, span: Span | None = None
) -> Iterator[Record]:
    """Records of a CSV/TSV dump; see the package docstring for the error contract.

    With `span`, `source` is one byte range of a dump: see wildcli.readers.base.Span. A range
    after the first has no header row of its own: `span.header` gives the dump's.
    """
    _allow_fields(options.max_record_bytes)
    feed = _Feed(source, options.max_record_bytes)
    rows = _rows(feed, options, _delimiter(source))
    if span is not None and span.header is not None:
        # The header's problems were reported with the dump's first range.
        names = unique_names(span.header)
        plan = _plan(names, options, source, 0, lambda error: None)
    else:
        header = next(rows, None)
        if header is None:
            damage = source.damage()
            if damage is not None:
                raise damage  # no header came before the stream broke off: not an empty file
            report(FileProblem("empty file", source.where()))
            return
        start, cells, problem, problem_line = header
        if cells is None:
            # Without a header no row can be read: the whole input is unusable.
            raise InputUnavailable(problem or "bad header", source.where(problem_line or start))
        names = unique_names(cells)
        plan = _plan(names, options, source, start, report)
    width = len(names)
    display = source.display
    columns, id_index, count_index = plan.text, plan.id, plan.count
    extra = _ExtraColumns(names)
    number = 0
    for number, (start, cells, problem, problem_line) in enumerate(rows, 1):
        if cells is None:
            report(InputError(problem or "bad row", source.where(problem_line or start)))
        elif len(cells) < width:
            message = f"row has {_fields(len(cells))}, header has {width}"
            report(InputError(message, source.where(start)))
        else:
            texts: dict[str, str] = {}
            for name, i in columns:  # a loop, not a comprehension: no function call per row
                if cells[i]:
                    texts[name] = cells[i]
            if len(cells) > width:
                # An unquoted delimiter in a listing's text: skipping the row would hide it.
                report(KeptRowProblem(extra.message(len(cells)), source.where(start)))
                extra.add(cells, texts)
            record_id = cells[id_index].strip() if id_index is not None else ""
            if not record_id and span is None:
                record_id = str(number)
            if count_index is None:
                yield Record(display, number, record_id, texts, start)
                continue
            count = parse_count(cells[count_index])
            if count is None:
                # Skipped, not scanned as 1: a wrong weight would skew every figure it adds to.
                where = source.where(start, field=plan.count_name)
                report(InputError(count_message(cells[count_index]), where))
            else:
                yield CountedRecord(display, number, record_id, texts, start, count)
    if span is not None:
        span.rows, span.lines, span.unclosed = number, feed.line, feed.unclosed


class _ExtraColumns:
    """The fields of a row beyond its header's width: scanned under names of their own
    (`column_5`, as a blank header cell would be named), since which column the text after an
    unquoted delimiter belongs to cannot be known."""

    def __init__(self, header: list[str]) -> None:
        self._header = header
        self._names: list[str] = []

    def names(self, size: int) -> list[str]:
        if len(self._names) < size - len(self._header):
            blanks = [""] * (size - len(self._header))
            self._names = unique_names([*self._header, *blanks])[len(self._header) :]
        return self._names[: size - len(self._header)]

    def message(self, size: int) -> str:
        names = self.names(size)
        where = names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
        scanned = "the extra field is" if len(names) == 1 else "the extra fields are"
        return f"row has {size} fields, header has {len(self._header)}; {scanned} scanned as {where}"

    def add(self, cells: list[str], texts: dict[str, str]) -> None:
        extra = zip(self.names(len(cells)), cells[len(self._header) :], strict=True)
        texts.update((name, text) for name, text in extra if text)


def _fields(count: int) -> str:
    return "1 field" if count == 1 else f"{count} fields"
