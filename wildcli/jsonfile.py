"""Reading the small JSON files wildcli writes itself (baselines, eval reports) with located errors."""

from __future__ import annotations

import json
import os
from typing import Any

from wildcli.errors import InputError, InputUnavailable, Location


def read_json_file(path: str | os.PathLike[str], *, what: str, kind: str) -> Any:
    """The JSON value in `path`. InputUnavailable ("cannot read <what>") when the file cannot
    be read, InputError ("not a <kind>") when it is not JSON."""
    where = Location(os.fspath(path))
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise InputUnavailable(f"cannot read {what}: {exc.strerror or exc}", where) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a {kind}: {exc}", where) from None
