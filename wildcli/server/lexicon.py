"""The lexicon a service judges with, and replacing it while the service answers.

Every lexicon goes through the same gate before it is used: the lint rules of severity error
(the slow warning rules are for contributors, not for a reload). On SIGHUP, or when the files
change, the new lexicon is linted and compiled in a child process, so the answering process only
reads the compiled form from the cache and swaps it in; a lexicon that fails the gate is not
swapped in, and the refusal is kept for /readyz until a later reload succeeds.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from wildcli.errors import LexiconError
from wildcli.lexicon.gate import lint_errors as gate_errors
from wildcli.match.cache import fingerprint, load_matcher
from wildcli.match.matcher import Matcher
from wildcli.server.options import ServeOptions

VET_TIMEOUT = 300.0
"""Seconds a child may take to lint and compile a lexicon before the reload is given up."""

log = logging.getLogger("wildcli.server")


@dataclass(frozen=True)
class Vetted:
    """What the gate found: the digest of the lexicon it read, and its errors (none: usable)."""

    digest: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Loaded:
    """A lexicon ready to judge with: its matcher, the state of its files when they were read,
    and what /v1/lexicon reports about it."""

    matcher: Matcher
    files: str
    loaded_at: float
    counts: dict[str, Any]

    @property
    def version(self) -> str | None:
        return self.matcher.lexicon.version

    @property
    def digest(self) -> str:
        return self.matcher.lexicon.digest

    def info(self) -> dict[str, Any]:
        return {"version": self.version, "digest": self.digest}


@dataclass(frozen=True)
class Refusal:
    """A reload that was refused: when, and the problems that refused it."""

    at: float
    problems: tuple[str, ...]


class LexiconProblemsError(LexiconError):
    """The lexicon failed the gate: every problem, one line each."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(problems[-1] if problems else "the lexicon failed its check")
        self.problems = problems


def lint_errors(options: ServeOptions) -> Vetted:
    """The gate: the lexicon layers linted with every error rule (the examples ones too, as the
    check runs in a child process, not at start-up as for scan)."""
    report = gate_errors(options.lexicons, with_bundled=options.with_bundled, with_examples=True)
    return Vetted(report.digest, tuple(str(p) for p in report.problems))


def vet(options: ServeOptions) -> Vetted:
    """The gate and, when the lexicon passes it, its compilation into the matcher cache, so
    that the process that answers only has to read it."""
    vetted = lint_errors(options)
    if not vetted.problems:
        try:
            load_matcher(options.lexicons, with_bundled=options.with_bundled, options=options.match_options)
        except LexiconError as error:  # the files changed between lint and compile
            return Vetted(vetted.digest, problem_lines(error))
    return vetted


def problem_lines(error: LexiconError) -> tuple[str, ...]:
    """Every problem an error stands for, one line each."""
    if isinstance(error, LexiconProblemsError):
        return error.problems
    listed = getattr(error, "errors", None)  # wildcli.lexicon.LexiconProblems
    return tuple(str(e) for e in listed) if listed else (str(error),)


def vet_in_child(options: ServeOptions, timeout: float = VET_TIMEOUT) -> Vetted:
    """`vet` in a child process: the answering process keeps its core (and its GIL), and a
    lexicon that makes the linter hang or crash costs a refused reload, not the service."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_vet_child, args=(options.to_environment(), sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            return Vetted("", (f"the lexicon check took longer than {timeout:g} s",))
        result = receiver.recv()
        return result if isinstance(result, Vetted) else Vetted("", ("the lexicon check failed",))
    except (EOFError, OSError):
        child.join(1)
        return Vetted("", (f"the lexicon check stopped (exit code {child.exitcode})",))
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()


def _vet_child(serialized: str, sender: Connection) -> None:
    try:
        result = vet(ServeOptions.from_environment(serialized))
    except Exception as error:  # anything at all: the reload is refused, with the reason
        result = Vetted("", (f"the lexicon check failed: {type(error).__name__}: {error}",))
    sender.send(result)
    sender.close()


def files_state(options: ServeOptions) -> str:
    """Changes whenever a lexicon file is added, removed, resized or touched (the compiled
    cache's own key)."""
    return fingerprint(options.roots, options.match_options.obfuscation)


def load(options: ServeOptions, vetted_digest: str | None = None) -> Loaded:
    """The lexicon as the layers are now, compiled (from the cache when it is there).

    Unless its digest is `vetted_digest` (already through the gate), it goes through the gate
    here first; a lexicon that fails it raises LexiconProblemsError.
    """
    from wildcli.lexicon.stats import lexicon_stats

    files = files_state(options)  # before reading: a change made during the load is seen later
    matcher = load_matcher(options.lexicons, with_bundled=options.with_bundled, options=options.match_options)
    if matcher.lexicon.digest != vetted_digest:
        vetted = lint_errors(options)
        if vetted.problems:
            raise LexiconProblemsError(vetted.problems)
        if vetted.digest != matcher.lexicon.digest:
            raise LexiconProblemsError(("the lexicon changed while it was being checked",))
    matcher.warm_up()
    stats = lexicon_stats(matcher.lexicon)
    counts = {key: stats[key] for key in ("concepts", "languages", "terms", "by_severity", "by_kind")}
    return Loaded(matcher, files, time.time(), counts)


class LexiconHolder:
    """The current lexicon of one process, and its reloads (one at a time; a reload asked for
    during another runs once more after it)."""

    def __init__(self, options: ServeOptions, loaded: Loaded) -> None:
        self.options = options
        self.current = loaded
        self.refusal: Refusal | None = None
        self.reloads = 0
        self._seen = loaded.files
        self._running = False
        self._again = False
        self.on_change: list[Callable[[str, LexiconHolder], None]] = []
        freeze()

    async def reload(self, reason: str) -> bool:
        """Lint, compile and swap in the lexicon as its files are now; False when refused (the
        current one is kept) or when the files changed meanwhile (another reload follows)."""
        if self._running:
            self._again = True
            return False
        self._running = True
        try:
            while True:
                self._again = False
                try:
                    swapped = await self._reload_once(reason)
                except Exception as error:  # a reload that breaks must not end the watch, nor the service
                    log.exception("lexicon reload failed", exc_info=error)
                    self._refuse((f"the reload failed: {type(error).__name__}",))
                    swapped = False
                if not self._again:
                    return swapped
                reason = "asked again during a reload"
        finally:
            self._running = False

    async def _reload_once(self, reason: str) -> bool:
        started = time.perf_counter()
        files = await asyncio.to_thread(files_state, self.options)
        self._seen = files
        log.info("lexicon reload", extra={"fields": {"reason": reason}})
        vetted = await asyncio.to_thread(vet_in_child, self.options)
        if vetted.problems:
            self._refuse(vetted.problems)
            return False
        try:
            loaded = await asyncio.to_thread(load, self.options, vetted.digest)
        except LexiconError as error:
            self._refuse(problem_lines(error))
            return False
        self.current = loaded
        self.refusal = None
        self.reloads += 1
        freeze(again=True)
        log.info("lexicon reloaded", extra={"fields": {
            **loaded.info(), "seconds": round(time.perf_counter() - started, 3)}})
        self._notify("ok")
        return True

    def _refuse(self, problems: tuple[str, ...]) -> None:
        self.refusal = Refusal(time.time(), problems)
        for problem in problems:
            log.error("lexicon problem", extra={"fields": {"problem": problem}})
        log.error("lexicon reload refused: the previous lexicon is kept", extra={"fields": {
            "problems": len(problems), "kept_version": self.current.version,
            "kept_digest": self.current.digest}})
        self._notify("refused")

    def _notify(self, outcome: str) -> None:
        for callback in self.on_change:
            callback(outcome, self)

    async def watch(self, interval: float) -> None:
        """Reload whenever the lexicon files change, once they have stayed unchanged for one
        `interval` (an editor or a checkout writes several files)."""
        while True:
            await asyncio.sleep(interval)
            files = await asyncio.to_thread(files_state, self.options)
            if files == self._seen:
                continue
            await asyncio.sleep(interval)
            if await asyncio.to_thread(files_state, self.options) != files:
                continue
            await self.reload("lexicon files changed")


def freeze(again: bool = False) -> None:
    """Keep the matcher out of the cyclic collector's sight, as the CLI does: a full collection
    would otherwise walk its hundreds of thousands of objects in the middle of a request. After
    a swap, what the old matcher left is collected once first."""
    if again:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
