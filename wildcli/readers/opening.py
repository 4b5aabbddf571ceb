"""Opening a dump: path or stdin, gzip by magic bytes, BOM and encoding, and the format guess
(Parquet and Arrow IPC by their magic bytes too)."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import json
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from wildcli.errors import InputError, InputUnavailable, Location, UsageError
from wildcli.readers.base import InputFormat, ProgressCallback, ReadOptions

STDIN_NAME = "<stdin>"
SNIFF_BYTES = 64 * 1024
_BUFFER = 256 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_BLANK_BYTES = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"  # blank in UTF-8, UTF-16 or UTF-32, BOMs too
# UTF-32 first: its little-endian BOM starts with the UTF-16 one (FF FE), and read as UTF-16 a
# UTF-32 file decodes to text with a NUL after every character.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_EXTENSIONS = {
    ".csv": InputFormat.CSV,
    ".tsv": InputFormat.CSV,
    ".json": InputFormat.JSON,
    ".jsonl": InputFormat.JSONL,
    ".ndjson": InputFormat.JSONL,
    ".txt": InputFormat.TEXT,
    ".parquet": InputFormat.PARQUET,
    ".pq": InputFormat.PARQUET,
    ".arrow": InputFormat.ARROW,
    ".arrows": InputFormat.ARROW,
    ".feather": InputFormat.ARROW,
    ".ipc": InputFormat.ARROW,
}
_BINARY_EXTENSIONS = (InputFormat.PARQUET, InputFormat.ARROW)
# Arrow IPC: a file starts with ARROW1; a stream (and the body of a file) with a message, whose
# first four bytes are the continuation marker 0xFFFFFFFF.
_MAGICS = (
    (b"PAR1", InputFormat.PARQUET),
    (b"ARROW1", InputFormat.ARROW),
    (b"\xff\xff\xff\xff", InputFormat.ARROW),
)


class BrokenInput(InputError):
    """The byte stream itself failed mid-way (truncated or corrupt gzip, I/O error)."""


@dataclass(frozen=True)
class OpenedInput:
    """An opened dump: `stream` yields decompressed bytes after any BOM, in `encoding`."""

    display: str
    name: str
    stream: BinaryIO
    encoding: str
    bom_length: int
    format: InputFormat
    head: str
    """The first SNIFF_BYTES decoded (lossily), for sniffing only."""
    blank: bool
    """True when the input has no content but whitespace (and at most a BOM)."""
    live: bool = False
    """A pipe, FIFO or terminal: read a line at a time, each as soon as it has arrived."""
    damage: Callable[[], BrokenInput | None] = field(default=lambda: None)
    """The damage that ended a compressed stream early, once its data is read (see _GzipRaw)."""
    gzipped: bool = False
    progress: ProgressCallback | None = None
    """For a reader that reads the file by other means than `stream` (Parquet): told the bytes
    it has consumed since its previous call, as the stream reports its own."""
    reported: Callable[[], int] = field(default=lambda: 0)
    """The bytes `stream` has already reported to `progress` (what was read to sniff the format)."""

    def where(self, line: int | None = None, field: str | None = None, column: int | None = None) -> Location:
        return Location(self.display, line, column, field)


class _CountingRaw(io.RawIOBase):
    """Reports every byte read from the underlying file, so progress matches the file's size."""

    def __init__(
        self, inner: BinaryIO, on_progress: ProgressCallback | None, *, owned: bool, display: str
    ) -> None:
        self.display = display
        self._inner = inner
        self._on_progress = on_progress
        self._owned = owned
        self._read1 = getattr(inner, "read1", None)
        self.reported = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        # read1 returns what a pipe already has instead of blocking for a full buffer.
        try:
            data = self._read1(len(buffer)) if self._read1 else self._inner.read(len(buffer))
        except OSError as error:
            reason = os.strerror(error.errno) if error.errno else str(error)
            raise BrokenInput(f"read error: {_lower(reason)}", Location(self.display)) from None
        size = len(data)
        buffer[:size] = data
        if size and self._on_progress is not None:
            self.reported += size
            self._on_progress(size)
        return size

    def close(self) -> None:
        if self._owned and not self.closed:
            self._inner.close()
        super().close()


class _Prefixed(io.RawIOBase):
    """Serves bytes already read for sniffing, then the rest; re-raises a deferred stream error."""

    def __init__(self, prefix: bytes, inner: io.RawIOBase, error: BrokenInput | None) -> None:
        self._prefix = memoryview(prefix)
        self._inner = inner
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
            return size
        if self._error is not None:
            raise self._error
        return self._inner.readinto(buffer) or 0

    def close(self) -> None:
        self._inner.close()
        super().close()


class _GzipRaw(io.RawIOBase):
    """Decompresses; damage (a cut-off end, a bad CRC, trailing garbage) ends the data cleanly.

    The gzip module raises on damage after handing out what it decompressed; raised up through
    the buffered and text layers, the rows already decompressed but not yet parsed were lost
    with it (all of them, in a small file). So damage is an end of data instead, kept in
    `failure` for the reader to report once it has yielded every row before it. The line
    readers drop a last line without a line break when there was damage: a row cut in two.
    """

    def __init__(self, inner: io.BufferedReader, display: str) -> None:
        self._gzip = gzip.GzipFile(fileobj=inner, mode="rb")
        self._inner = inner
        self._display = display
        self._ready = memoryview(b"")
        self._ended = False
        self.failure: BrokenInput | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        while not self._ready and not self._ended:
            self._fill()
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size

    def _fill(self) -> None:
        try:
            data = self._gzip.read1(_BUFFER)
        except EOFError:
            self._fail("gzip stream is truncated")
            return
        except (gzip.BadGzipFile, zlib.error) as error:
            detail = str(error).split(" 0x", 1)[0]  # drop checksums: they mean nothing to a user
            if detail.startswith("Not a gzipped file") and self._gzip.tell() > 0:
                self._fail("trailing garbage after the gzip stream")
            else:
                self._fail(f"gzip stream is corrupt: {_lower(detail)}")
            return
        self._ended = not data
        self._ready = memoryview(data)

    def damage(self) -> BrokenInput | None:
        return self.failure

    def _fail(self, message: str) -> None:
        self.failure = BrokenInput(message, Location(self._display))
        self._ended = True

    def close(self) -> None:
        self._gzip.close()
        self._inner.close()
        super().close()


def _undamaged() -> BrokenInput | None:
    return None


def _lower(text: str) -> str:
    """Lower-case the first letter of a message, but not of an acronym (`CRC check failed`)."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _read_prefix(raw: io.RawIOBase, size: int, *, lines: bool = False) -> tuple[bytes, BrokenInput | None]:
    """Up to `size` bytes, looping because pipes and decompressors return short reads; with
    `lines`, no more once a whole line with something in it is in (a stream may not send the
    rest for a long time; blank lines first would make it look empty)."""
    parts: list[bytes] = []
    have = 0
    while have < size:
        try:
            chunk = raw.read(size - have)
        except BrokenInput as error:
            return b"".join(parts), error
        if not chunk:
            break
        parts.append(chunk)
        have += len(chunk)
        if lines and b"\n" in chunk and b"".join(parts).strip(_BLANK_BYTES):
            break
    return b"".join(parts), None


def is_stream(path: str, stdin: BinaryIO | None = None) -> bool:
    """Whether `path` ("-" for stdin) is a pipe, FIFO, socket or terminal, not a file on disk.
    An input without a file descriptor (an in-memory stdin) is not: it cannot pause."""
    try:
        mode = os.fstat((stdin or sys.stdin).fileno()).st_mode if path == "-" else os.stat(path).st_mode
    except (OSError, ValueError, AttributeError):  # closed, in memory, or missing (reported later)
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISBLK(mode))


def _open_file(path: str) -> BinaryIO:
    where = Location(path)
    if os.path.isdir(path):
        raise InputUnavailable("is a directory", where)
    try:
        return open(path, "rb", buffering=0)  # closed with the opened input's stream
    except FileNotFoundError:
        raise InputUnavailable("no such file", where) from None
    except IsADirectoryError:
        raise InputUnavailable("is a directory", where) from None
    except PermissionError:
        raise InputUnavailable("permission denied", where) from None
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise InputUnavailable(_lower(reason), where) from None


def _choose_encoding(head: bytes, override: str | None) -> tuple[str, int]:
    """The encoding to decode with and the length of the BOM to skip."""
    bom, bom_encoding = next(((b, e) for b, e in _BOMS if head.startswith(b)), (b"", None))
    if override is None:
        return bom_encoding or "utf-8", len(bom)
    try:
        info = codecs.lookup(override)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):  # base64 is bytes to bytes
        raise UsageError(f"unknown encoding '{override}'")
    name = info.name
    if bom_encoding is not None and name.split("-")[:2] == bom_encoding.split("-")[:2]:
        # The BOM agrees with the override (utf-8-sig, utf-16...): honour its byte order, drop it.
        return bom_encoding, len(bom)
    if name in ("utf-16", "utf-32"):
        # Python's incremental decoders insist on a BOM; Windows exports without one are LE.
        return f"{name}-le", 0
    return override, 0


def _strip_gz(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name


def _looks_like_jsonl(head: str) -> bool:
    """True when the text starts with a one-line JSON object followed by another object."""
    text = head.lstrip()
    newline = text.find("\n")
    if not text.startswith("{") or newline < 0:
        return False
    rest = text[newline:].lstrip()
    try:
        first = json.loads(text[:newline])
    except (ValueError, RecursionError):
        # A pretty-printed object spans lines; a whole object on the line that Python cannot
        # read (a number too long, nesting too deep) is one line of JSON Lines all the same.
        return text[:newline].rstrip().endswith("}") and rest.startswith("{")
    if not isinstance(first, dict):
        return False
    if rest:
        return rest.startswith("{")
    # A lone one-line object: JSON only if it holds the array of records.
    return not any(isinstance(v, list) and v and isinstance(v[0], dict) for v in first.values())


def detect_format(name: str, head: str, requested: InputFormat, magic: bytes = b"") -> InputFormat:
    """The requested format, else by magic bytes (Parquet, Arrow IPC: `magic` is the start of the
    raw content), else by extension, else by the first non-space character.

    A query file is never guessed from its content (any line of text reads as a CSV header):
    it is named `.txt`, or asked for.
    """
    if requested is not InputFormat.AUTO:
        return requested
    by_magic = next((fmt for start, fmt in _MAGICS if magic.startswith(start)), None)
    if by_magic is not None:
        return by_magic
    by_name = _EXTENSIONS.get(os.path.splitext(_strip_gz(name))[1].lower())
    if by_name in (InputFormat.CSV, InputFormat.JSONL, InputFormat.TEXT, *_BINARY_EXTENSIONS):
        assert by_name is not None
        return by_name
    start = head.lstrip()[:1]
    if by_name is InputFormat.JSON or start in ("[", "{"):
        return InputFormat.JSONL if _looks_like_jsonl(head) else InputFormat.JSON
    return InputFormat.CSV


def _decode_head(head: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)("replace").decode(head, False)


@contextlib.contextmanager
def open_source(
    path: str,
    options: ReadOptions,
    *,
    stdin: BinaryIO | None = None,
    on_progress: ProgressCallback | None = None,
) -> Iterator[OpenedInput]:
    """Open `path` ("-" for stdin) ready for a reader; raises InputUnavailable if it cannot be."""
    is_stdin = path == "-"
    display = STDIN_NAME if is_stdin else path
    inner = (stdin or sys.stdin.buffer) if is_stdin else _open_file(path)
    counting = _CountingRaw(inner, on_progress, owned=not is_stdin, display=display)
    raw: io.RawIOBase = counting
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(raw.close)
        magic, error = _read_prefix(raw, 2)
        is_gzip = magic == _GZIP_MAGIC
        raw = _Prefixed(magic, raw, error)
        if not is_gzip and display.lower().endswith(".gz"):
            raise InputUnavailable("not a gzip file", Location(display))
        damage = _undamaged
        if is_gzip:
            raw = gzipped = _GzipRaw(io.BufferedReader(raw, _BUFFER), display)
            damage = gzipped.damage
        cleanup.callback(raw.close)
        # What a stream has sent so far is enough to tell its format and encoding: waiting for
        # the whole sniffing size would hold back the first records of a slow one.
        live = is_stream(path, stdin)
        head, error = _read_prefix(raw, SNIFF_BYTES, lines=live)
        encoding, bom_length = _choose_encoding(head, options.encoding)
        head = head[bom_length:]
        stream = io.BufferedReader(_Prefixed(head, raw, error), _BUFFER)
        cleanup.callback(stream.close)
        text = _decode_head(head, encoding)
        name = "" if is_stdin else path
        yield OpenedInput(
            display=display,
            name=name,
            stream=stream,
            encoding=encoding,
            bom_length=bom_length,
            format=detect_format(name, text, options.format, head[:8] if bom_length == 0 else b""),
            head=text,
            blank=error is None and damage() is None and len(head) < SNIFF_BYTES and not text.strip(),
            live=live,
            damage=damage,
            gzipped=is_gzip,
            progress=on_progress,
            reported=lambda: counting.reported,
        )
