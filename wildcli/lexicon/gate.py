"""The lint gate: the lint errors that make a lexicon unfit to scan, check, export or serve with.

`wildcli serve` runs every error rule before it swaps a lexicon in; scan, check and export run
the cheap ones (all but the examples rules) before they start, and remember a lexicon that passed, keyed like
the compiled-lexicon cache, so that a run on unchanged files does not lint again.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wildcli.lexicon.bundled import bundled_lexicon_dir
from wildcli.lexicon.model import Lexicon, Term

if TYPE_CHECKING:  # the rules bring the YAML machinery: imported only when a lint runs
    from wildcli.lexicon.rules import Problem, Rule

NEEDS_A_MATCHER = frozenset({"WL004", "WL005"})
"""The examples rules: they build a matcher and run every example (seconds on the bundled
lexicon), so the start-up gate of scan, check and export leaves them to `wildcli lint`."""
LOAD_ERRORS = "WL001"


def error_rules(*, with_examples: bool) -> tuple[Rule, ...]:
    """Every rule of severity error (`serve`'s gate), or those without the examples rules."""
    from wildcli.lexicon.rules import RULES, ProblemSeverity

    return tuple(rule for rule in RULES if rule.severity is ProblemSeverity.ERROR
                 and (with_examples or rule.rule_id not in NEEDS_A_MATCHER))


@dataclasses.dataclass(frozen=True)
class GateReport:
    """The errors the gate found (none: the lexicon may be used) and what it read."""

    problems: tuple[Problem, ...]
    lexicon: Lexicon | None

    @property
    def digest(self) -> str:
        return self.lexicon.digest if self.lexicon is not None else ""

    @property
    def load_failed(self) -> bool:
        """The files do not even load: the loader itself refuses them, with its own messages."""
        return any(p.rule_id == LOAD_ERRORS for p in self.problems)


def lint_errors(
    dirs: Iterable[str | os.PathLike[str]], *, with_bundled: bool, with_examples: bool = False
) -> GateReport:
    """The lint errors of the lexicon layers `dirs` (over the bundled one with `with_bundled`)."""
    from wildcli.lexicon.rules import ProblemSeverity
    from wildcli.lexicon.validation import lint_report

    report = lint_report(dirs, with_bundled=with_bundled, rules=error_rules(with_examples=with_examples))
    errors = tuple(p for p in report.problems if p.severity is ProblemSeverity.ERROR)
    return GateReport(errors, report.lexicon)


def gate(dirs: Sequence[str | os.PathLike[str]], *, with_bundled: bool) -> GateReport:
    """`lint_errors` without the examples rules, skipped when these very files passed it before.

    A pass is remembered as an empty file named by the compiled-lexicon cache's fingerprint of
    the files (which also changes with wildcli's own code, so with its rules); WILDCLI_NO_CACHE
    turns that off like the cache itself.
    """
    marker = _marker(dirs, with_bundled)
    if marker is not None and marker.is_file():
        return GateReport((), None)
    report = lint_errors(dirs, with_bundled=with_bundled)
    if marker is not None and not report.problems:
        with contextlib.suppress(OSError):  # best effort: a marker not written only costs time
            marker.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            marker.touch()
    return report


def _marker(dirs: Sequence[str | os.PathLike[str]], with_bundled: bool) -> Path | None:
    if os.environ.get("WILDCLI_NO_CACHE"):
        return None
    from wildcli.match.cache import fingerprint
    from wildcli.match.cachedir import cache_dir

    given = [Path(d) for d in dirs]
    roots = ([bundled_lexicon_dir()] if with_bundled or not given else []) + given
    return cache_dir() / f"lint-passed-{fingerprint(roots, obfuscation=False)}"


def without_invalid_terms(lexicon: Lexicon, problems: Iterable[Problem]) -> tuple[Lexicon, tuple[Term, ...]]:
    """`lexicon` less every term that a problem is located in, and those terms.

    A problem names a file and a line, not a term: a term is taken to span from its entry's
    first line to the next entry of the same file, so a problem anywhere in it (its text, its
    context, a comment inside it) takes it out. What an export must never carry is a term the
    gate refused; leaving out one too many is the safe side.
    """
    lines: dict[str, set[int]] = {}
    for p in problems:
        if p.location.line is not None:
            lines.setdefault(p.location.path, set()).add(p.location.line)
    if not lines:
        return lexicon, ()
    starts: dict[str, list[int]] = {}
    for term in lexicon.terms:
        if term.location is not None and term.location.line is not None:
            starts.setdefault(term.location.path, []).append(term.location.line)
    for found in starts.values():
        found.sort()
    invalid = tuple(t for t in lexicon.terms if _holds_a_problem(t, starts, lines))
    if not invalid:
        return lexicon, ()
    dropped = {t.key for t in invalid}
    kept = tuple(t for t in lexicon.terms if t.key not in dropped)
    return dataclasses.replace(lexicon, terms=kept), invalid


def _holds_a_problem(term: Term, starts: dict[str, list[int]], lines: dict[str, set[int]]) -> bool:
    where = term.location
    if where is None or where.line is None or where.path not in lines:
        return False
    entries = starts.get(where.path, [])
    after = bisect.bisect_right(entries, where.line)
    end = entries[after] if after < len(entries) else None
    return any(where.line <= line and (end is None or line < end) for line in lines[where.path])
