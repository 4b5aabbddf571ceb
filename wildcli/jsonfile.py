"""Reading the small JSON files wildcli writes itself (eval reports) with located errors.

Such a file is named on the command line and may be anything, so it is read in bounded memory:
at most MAX_JSON_FILE_BYTES (`/dev/zero` is refused, not read to the end), and a document
nested too deeply or with a number too long for Python is an error like any other.
"""

from __future__ import annotations

import json
import os
from typing import Any

from wildcli.errors import InputError, InputUnavailable, Location

MAX_JSON_FILE_BYTES = 16 * 1024 * 1024
"""16 MiB: far above any report wildcli writes; parsed, at most some ten times that in memory."""


def read_json_file(path: str | os.PathLike[str], *, what: str, kind: str) -> Any:
    """The JSON value in `path`. InputUnavailable ("cannot read <what>") when the file cannot
    be read, InputError ("not a <kind>") when it is not JSON or is too large."""
    where = Location(os.fspath(path))
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_JSON_FILE_BYTES + 1)
    except OSError as exc:
        raise InputUnavailable(f"cannot read {what}: {exc.strerror or exc}", where) from None
    if len(data) > MAX_JSON_FILE_BYTES:
        raise InputError(f"not a {kind}: larger than {MAX_JSON_FILE_BYTES // 2**20} MiB", where)
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:
        raise InputError(f"not a {kind}: JSON is nested too deeply", where) from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError, or an int over Python's limit
        detail = str(exc).split(";", 1)[0]
        raise InputError(f"not a {kind}: {detail}", where) from None
