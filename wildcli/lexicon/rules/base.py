"""The rule interface: a Rule checks a LintContext and yields Problems, each with an id and a severity."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from wildcli.errors import LexiconError, Location

if TYPE_CHECKING:
    from wildcli.lexicon.rules.context import LintContext


class ProblemSeverity(str, enum.Enum):
    """Errors fail `wildcli lint`; warnings only do with `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One lint finding; `str()` is the one-line `path:line: field: message [WL0xx]` form."""

    rule_id: str
    severity: ProblemSeverity
    location: Location
    message: str
    related: str | None = field(default=None, compare=False)
    """Another file the problem is about (the earlier of two duplicates): linting that file
    alone reports it too."""

    def __str__(self) -> str:
        return f"{LexiconError(self.message, self.location)} [{self.rule_id}]"


class Rule:
    """One lint rule: a stable id, a one-line description, a severity and a check."""

    rule_id: ClassVar[str]
    description: ClassVar[str]
    severity: ClassVar[ProblemSeverity] = ProblemSeverity.ERROR
    judged: ClassVar[bool] = False
    """Whether the rule judges texts through the matcher (`LintContext.judge`): `run_rules` may
    run such rules and the others on two processes."""

    def check(self, ctx: LintContext) -> Iterator[Problem]:
        raise NotImplementedError

    def problem(self, location: Location, message: str, related: str | None = None) -> Problem:
        return Problem(self.rule_id, self.severity, location, message, related)
