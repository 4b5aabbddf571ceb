"""Atomic output files: a reader never sees a half-written file, and a crash keeps the old one."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from wildcli.errors import Location, OutputError


def _error(exc: OSError, target: Path | str) -> OutputError:
    return OutputError(f"cannot write: {_reason(exc)}", Location(str(target)))


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


class KeepOld(Exception):
    """Raised inside an `atomic_writer` block: leave `path` as it was (the writer swallows it)."""


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether `a` and `b` name one file: through symlinks, hard links, `./` or `..`."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet): compare where they would be
        return os.path.realpath(a) == os.path.realpath(b)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str] | None, *, newline: str = "") -> Iterator[TextIO]:
    """Open `path` for writing text (UTF-8, LF); `None` or "-" is stdout.

    Writes go to a temporary file in the same directory, which replaces `path` only when the
    block finishes without an exception; on any error or interrupt the temporary file is
    removed and an existing `path` is left untouched. A symlink is followed (the file it
    points to is replaced, the link stays). A path that exists but is not a regular file
    (/dev/null, /dev/stdout, a FIFO) is written in place: replacing it would swap a device
    node for a plain file. Every OSError, including a full disk on stdout, is an OutputError.
    Raising KeepOld in the block discards what was written to a file and leaves `path` as it was.
    """
    with contextlib.suppress(KeepOld):
        yield from _writer(path, newline)


def _writer(path: str | os.PathLike[str] | None, newline: str) -> Iterator[TextIO]:
    if path is None or str(path) == "-":
        yield from _write_stdout()
        return
    shown = str(path)
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _error(exc, shown) from None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise OutputError("cannot write: is a directory", Location(shown))
        yield from _write_in_place(target, shown, newline)
        return
    yield from _write_replacing(target, shown, newline, mode)


def _write_stdout() -> Iterator[TextIO]:
    try:
        yield sys.stdout
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader went away (`| head`): the CLI entry point exits quietly
    except OSError as exc:
        discard_stdout()
        raise _error(exc, "<stdout>") from None


def discard_stdout() -> None:
    """Point stdout at /dev/null: Python flushes it again at exit and would fail a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write_in_place(target: Path, shown: str, newline: str) -> Iterator[TextIO]:
    try:
        handle = open(target, "w", encoding="utf-8", newline=newline)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise _error(exc, shown) from None
    try:
        with handle:
            yield handle
            handle.flush()
    except OSError as exc:
        raise _error(exc, shown) from None


def _write_replacing(target: Path, shown: str, newline: str, mode: int | None) -> Iterator[TextIO]:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _error(exc, shown) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            # mkstemp makes the file 0600; keep the old file's mode, else what open() would give.
            os.chmod(tmp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _error(exc, shown) from None
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], content: str) -> None:
    """Replace `path` with `content` atomically."""
    with atomic_writer(path) as handle:
        handle.write(content)
