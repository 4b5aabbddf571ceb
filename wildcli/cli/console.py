"""The one place where the CLI talks to stderr, names its exit codes and fails."""

from __future__ import annotations

import codecs
import enum
import errno
import io
import os
import signal
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
    WORKER_LOST = 71  # a scan worker process died (killed, out of memory): an operating system error
    LEXICON_ERROR = 78  # the lexicon is broken (bad YAML, schema error, unknown concept), or has lint errors
    INTERRUPTED = 130  # Ctrl-C; SIGTERM and SIGHUP exit 128 + their number (143, 129)
    CLOSED_PIPE = 141  # stdout was a pipe whose reader left (`| head`): 128 + SIGPIPE, as a shell's


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
    """Print one line for `error` on stderr and exit with `code`: the CLI's only fatal path.

    An interrupt by SIGTERM or SIGHUP rather than Ctrl-C names the signal and exits with its
    conventional code, 128 + its number."""
    global _interrupt_reported
    exit_code = int(code)
    if code is ExitCode.INTERRUPTED:
        _interrupt_reported = True
        if isinstance(_terminated, Terminated):
            error = f"{error} ({_terminated.name})"
            exit_code = _terminated.exit_code
    warn(f"error: {error}")
    raise typer.Exit(exit_code)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: handled as Ctrl-C is (outputs left whole, workers stopped, one line)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum


_terminated: Terminated | None = None
_interrupt_reported = False
TERMINATING = (signal.SIGTERM, signal.SIGHUP)


def _on_signal(signum: int, _frame: object) -> None:
    global _terminated
    if _terminated is None:  # a second signal while cleaning up must not cut the clean-up short
        _terminated = Terminated(signum)
        raise _terminated


def _set_up_process() -> None:
    """Signals and streams, before any command runs."""
    for signum in TERMINATING:
        if signal.getsignal(signum) is signal.SIG_DFL:  # not when told to ignore it (nohup)
            signal.signal(signum, _on_signal)
    # Findings on stdout are UTF-8 as in --output files, whatever PYTHONIOENCODING or the locale
    # say (ascii or latin-1 cannot hold a listing's text: it was a traceback); messages on stderr
    # keep the terminal's encoding and escape what it cannot show.
    out = sys.stdout
    if isinstance(out, io.TextIOWrapper) and codecs.lookup(out.encoding).name != "utf-8":
        out.reconfigure(encoding="utf-8")
    if isinstance(sys.stderr, io.TextIOWrapper):
        sys.stderr.reconfigure(errors="backslashreplace")


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
    with one line and exit 73 instead of a traceback, whichever command was writing; a reader
    that left (`| head`) ends it quietly with 141, and SIGTERM or SIGHUP with one line and 128 +
    the signal's number, after the clean-up Ctrl-C gets (temporary files, worker processes)."""
    _set_up_process()
    try:
        main()
    except SystemExit as done:
        if _stdout_closed():
            _quiet_exit(ExitCode.CLOSED_PIPE)
        if _terminated is not None:
            if not _interrupt_reported:
                warn(f"error: terminated by {_terminated.name}")
            raise SystemExit(_terminated.exit_code) from None
        raise done
    except BrokenPipeError:
        _quiet_exit(ExitCode.CLOSED_PIPE)
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        from wildcli.atomic import discard_stdout

        discard_stdout()  # else Python's final flush of stdout fails again, with a traceback
        warn(f"error: cannot write output: {os.strerror(exc.errno or 0).lower()}")
        raise SystemExit(int(ExitCode.CANT_CREATE)) from None


def _stdout_closed() -> bool:
    """Typer ends a command whose stdout pipe broke with exit 1, the findings code, after
    swapping stdout for click's wrapper that silences the final flush: that swap tells it."""
    return type(sys.stdout).__name__.endswith("PacifyFlushWrapper")  # its name moved in click 8.3


def _quiet_exit(code: ExitCode) -> NoReturn:
    from wildcli.atomic import discard_stdout

    discard_stdout()  # Python flushes stdout at exit: into the closed pipe, with a traceback
    raise SystemExit(int(code))


def is_terminal() -> bool:
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
