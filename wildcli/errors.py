"""Errors that carry a location, so every problem renders as one `file:line: message` line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, optionally a line (1-based), a column and a field path.

    `path` is kept as given (relative paths stay relative) so that messages read the same on
    every machine and CI annotators can map them back to the repository.
    """

    path: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class WildcliError(Exception):
    """Base of every error wildcli raises on purpose; never shown with a traceback."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        prefix = str(self.location)
        if self.location.field:
            return f"{prefix}: {self.location.field}: {self.message}"
        return f"{prefix}: {self.message}"


class LexiconError(WildcliError):
    """A lexicon file or directory is broken (bad YAML, schema violation, unknown concept...)."""


class InputError(WildcliError):
    """A listing dump, or one record of it, could not be read."""


class InputUnavailable(InputError):
    """The whole input is unusable: missing file, a directory, not gzip, unreadable device."""


class OutputError(WildcliError):
    """An output file could not be written."""


class UsageError(WildcliError):
    """Options that contradict each other or name something that does not exist."""
