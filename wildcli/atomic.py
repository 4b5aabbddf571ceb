"""Atomic output files: a reader never sees a half-written file, and a crash keeps the old one."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from wildcli.errors import Location, OutputError


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str] | None, *, newline: str = "") -> Iterator[TextIO]:
    """Open `path` for writing text (UTF-8, LF); `None` or "-" is stdout.

    Writes go to a temporary file in the same directory, which replaces `path` only when the
    block finishes without an exception; on any error or interrupt the temporary file is
    removed and an existing `path` is left untouched.
    """
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", Location(str(target))) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            _copy_mode(target, Path(tmp))
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {exc.strerror or exc}", Location(str(target))) from None
        raise


def _copy_mode(source: Path, target: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(target, source.stat().st_mode & 0o7777)


def write_atomic(path: str | os.PathLike[str], content: str) -> None:
    """Replace `path` with `content` atomically."""
    with atomic_writer(path) as handle:
        handle.write(content)
