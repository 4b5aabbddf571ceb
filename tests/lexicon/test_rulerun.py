"""Lint on two processes (`rulerun.run_rules`): the same problems as on one, whatever happens to
the child process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA
from wildcli.errors import Location
from wildcli.lexicon.rules import LintContext, Problem, Rule
from wildcli.lexicon.rules.base import ProblemSeverity
from wildcli.lexicon.validation import RULES, lint_report

ISSUES = sorted((DATA / "lexicons" / "issues").iterdir())
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the platform cannot fork")


def lines(root: Path, processes: int, rules: tuple[Rule, ...] = RULES) -> list[str]:
    return [str(p) for p in lint_report([root], rules=rules, processes=processes).problems]


@needs_fork
@pytest.mark.parametrize("root", [*ISSUES, DATA / "lexicons" / "valid"], ids=lambda p: p.name)
def test_two_processes_find_what_one_finds(root: Path) -> None:
    assert lines(root, 2) == lines(root, 1)


@needs_fork
def test_the_child_reports_through_the_pipe() -> None:
    """A rule that only the child runs reports where it ran: its problem comes back from there."""
    parent = os.getpid()

    class Where(Rule):
        rule_id = "WL999"
        description = "where the rule ran"
        severity = ProblemSeverity.WARNING

        def check(self, ctx: LintContext) -> Iterator[Problem]:
            yield self.problem(Location("here"), "child" if os.getpid() != parent else "parent")

    found = lint_report([DATA / "lexicons" / "valid"], rules=(*RULES, Where()), processes=2).problems
    assert [p.message for p in found if p.rule_id == "WL999"] == ["child"]


@needs_fork
def test_a_child_that_fails_leaves_the_work_to_this_process() -> None:
    parent = os.getpid()

    class Dies(Rule):
        rule_id = "WL998"
        description = "fails in the child only"

        def check(self, ctx: LintContext) -> Iterator[Problem]:
            if os.getpid() != parent:
                raise RuntimeError("broken in the child")
            yield self.problem(Location("here"), "ran here")

    rules = (*RULES, Dies())
    root = DATA / "lexicons" / "issues" / "WL008"
    assert lines(root, 2, rules) == lines(root, 1, rules)
    assert any("ran here" in line for line in lines(root, 2, rules))
