"""Query logs: which column says how many times a query was searched, and what a count is."""

from __future__ import annotations

import re
from collections.abc import Iterable

from wildcli.errors import Location
from wildcli.readers.base import FileProblem, InputFormat, ReadOptions

COUNT_NAMES = ("count", "searches", "search_count", "frequency", "freq", "impressions", "hits")
"""Header names (any case) taken as the count column of a CSV/TSV file without `count_field`."""

QUERY_FIELD = "query"
"""The one field of a record read from a query file."""

# Plain digits, or digits grouped in threes by commas as spreadsheets export them ("1,234").
# Not "1.234" or "1 234": in many locales those mean a thousand and more, in others a fraction.
# At most 18 digits, so a count is always a machine integer and never a giant string to parse.
_COUNT = re.compile(r"[0-9]{1,18}|[0-9]{1,3}(?:,[0-9]{3}){1,5}")
_SHOWN = 40


def detect_count_field(names: Iterable[str]) -> str | None:
    """The first name that is one of COUNT_NAMES once trimmed and lower-cased."""
    return next((name for name in names if name.strip().lower() in COUNT_NAMES), None)


def parse_count(text: str) -> int | None:
    """The count a cell holds (spaces around it allowed), or None if it is not a whole number of
    0 or more."""
    value = text.strip()
    if _COUNT.fullmatch(value) is None:
        return None
    return int(value.replace(",", ""))


def count_message(text: str) -> str:
    shown = text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
    return f"not a count: {shown!r} (a whole number of 0 or more, such as 1234 or 1,234)"


def count_field_problem(fmt: InputFormat, options: ReadOptions, path: str) -> FileProblem | None:
    """The problem with asking for a count field in a format that has no columns to take it from."""
    if not options.count_field or fmt is InputFormat.CSV:
        return None
    message = f"count field '{options.count_field}' not read: counts come from CSV and TSV files only"
    return FileProblem(message, Location(path))
