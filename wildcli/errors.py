"""Errors that carry a location, so every problem renders as one `file:line: message` line."""

from __future__ import annotations

from dataclasses import dataclass

# A path, a field or a message may hold text chosen by whoever made the input (a file name, a
# JSON key, a CSV header): a line break in it would let it write lines of its own, such as a
# fake `error:` line, so every line break is written as its escape.
_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\x0b": "\\v", "\x0c": "\\f", "\x1c": "\\x1c",
                              "\x1d": "\\x1d", "\x1e": "\\x1e", "\x85": "\\x85", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def one_line(text: str) -> str:
    """`text` with every character that Python or a terminal takes for a line break escaped."""
    return text.translate(_LINE_BREAKS)


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
        text = one_line(self.path)
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
        """One line, `file:line: field: message`, whatever the parts hold."""
        if self.location is None:
            return one_line(self.message)
        prefix = str(self.location)
        if self.location.field:
            return f"{prefix}: {one_line(self.location.field)}: {one_line(self.message)}"
        return f"{prefix}: {one_line(self.message)}"


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
