"""The one place where the CLI talks to stderr, names its exit codes and fails."""

from __future__ import annotations

import enum
import errno
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

import typer

from wildcli.errors import WildcliError

if TYPE_CHECKING:
    from rich.console import Console


class ExitCode(enum.IntEnum):
    """Exit codes, documented in the README and pinned by tests/cli/test_exit_codes.py.

    The 6x/7x values follow BSD sysexits.h, which linters such as codespell also use, so that
    shell scripts can tell bad data from a bad installation.
    """

    OK = 0
    FINDINGS = 1  # scan --fail-on-findings found something; lint found problems; export --check stale
    USAGE = 2  # bad options or arguments (Click's own code)
    DATA_ERROR = 65  # some input rows could not be read (the good ones were still processed)
    NO_INPUT = 66  # an input file is missing or cannot be opened at all
    CANT_CREATE = 73  # an output file could not be written
    LEXICON_ERROR = 78  # the lexicon is broken (bad YAML, schema error, unknown concept)
    INTERRUPTED = 130  # Ctrl-C


_console: Console | None = None


def stderr() -> Console:
    """The stderr console; colour follows NO_COLOR/FORCE_COLOR and whether stderr is a terminal."""
    global _console
    if _console is None:
        from rich.console import Console

        _console = Console(stderr=True, highlight=False, soft_wrap=True)
    return _console


def warn(message: str) -> None:
    """One line on stderr, never interpreted as markup (it may contain listing text)."""
    stderr().print(sanitize(message), markup=False)


def fail(error: WildcliError | str, code: ExitCode) -> NoReturn:
    """Print one line for `error` on stderr and exit with `code`: the CLI's only fatal path."""
    warn(f"error: {error}")
    raise typer.Exit(int(code))


def sanitize(text: str) -> str:
    """One line: line breaks escaped (a file name or a JSON key could forge an `error:` line),
    terminal control sequences and bidi controls that could rewrite the terminal stripped."""
    from wildcli.errors import one_line
    from wildcli.safety import strip_controls

    return strip_controls(one_line(text))


# errno values that mean "the output cannot take more", as opposed to a bug or a missing input.
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


def run_guarded(main: Callable[[], object]) -> None:
    """Run the CLI so that stdout that cannot be written (a full disk, a failing device) ends
    with one line and exit 73 instead of a traceback, whichever command was writing."""
    try:
        main()
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        from wildcli.atomic import discard_stdout

        discard_stdout()  # else Python's final flush of stdout fails again, with a traceback
        warn(f"error: cannot write output: {os.strerror(exc.errno or 0).lower()}")
        raise SystemExit(int(ExitCode.CANT_CREATE)) from None


def is_terminal() -> bool:
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
