"""Running the lint rules, on one process or split over two.

The rules that judge examples through the matcher (`Rule.judged`) take about half of a cold
`wildcli lint` (compiling the lexicon, then thousands of texts); the layout, source and data
rules the other half. Given `processes=2` where the platform forks, a child process runs the
second group on the lexicon already loaded while this one runs the first, and sends its
problems back through a pipe. Any trouble in the child (it died, it raised, it sent nothing
readable) makes this process run its rules itself: the result is the same either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Iterable

from wildcli.lexicon.rules import LintContext, Problem, Rule


def available_processes() -> int:
    """The processes `run_rules` can use to advantage here: two where there is a second core."""
    return min(2, os.cpu_count() or 1)


def run_rules(ctx: LintContext, rules: Iterable[Rule], processes: int = 1) -> list[Problem]:
    """The problems `rules` find in `ctx` that it concerns, unsorted; on two processes when
    `processes` > 1 and the platform can fork."""
    rules = list(rules)
    judged = [r for r in rules if r.judged]
    others = [r for r in rules if not r.judged]
    if processes < 2 or not judged or not others or not hasattr(os, "fork"):
        return _check(ctx, rules)
    child = _start(ctx, others)
    if child is None:
        return _check(ctx, rules)
    pid, reader = child
    mine = _check(ctx, judged)
    theirs = _collect(pid, reader)
    return mine + (theirs if theirs is not None else _check(ctx, others))


def _check(ctx: LintContext, rules: list[Rule]) -> list[Problem]:
    return [p for rule in rules for p in rule.check(ctx) if ctx.concerns(p)]


def _start(ctx: LintContext, rules: list[Rule]) -> tuple[int, int] | None:
    """A forked child running `rules`, and the read end of its pipe; None if it cannot start."""
    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid:
        os.close(writer)
        return pid, reader
    # The child: never return into the caller's code, never flush the parent's buffers.
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        os.close(reader)
        data = pickle.dumps(_check(ctx, rules), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)


def _collect(pid: int, reader: int) -> list[Problem] | None:
    """The child's problems, or None when it did not finish cleanly."""
    try:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
    except OSError:
        data = b""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 1
    if status != 0 or not data:
        return None
    with contextlib.suppress(pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        problems = pickle.loads(data)
        if isinstance(problems, list) and all(isinstance(p, Problem) for p in problems):
            return problems
    return None
