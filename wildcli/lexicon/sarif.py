"""Lint problems as SARIF 2.1.0, the format GitHub code scanning and other CI dashboards read.

Fields follow the OASIS SARIF 2.1.0 specification and GitHub's documented use of it: a stable
`ruleId` per rule with its description in `tool.driver.rules`, repository-relative artifact URIs,
a start line, and `partialFingerprints` so that an alert keeps its identity across runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from wildcli import __version__
from wildcli.lexicon.rules.base import Problem, ProblemSeverity, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 25_000
"""GitHub keeps at most this many results per run; more are dropped and said so."""

_LEVEL = {ProblemSeverity.ERROR: "error", ProblemSeverity.WARNING: "warning"}


def to_sarif(problems: Sequence[Problem], rules: Iterable[type[Rule] | Rule]) -> dict[str, Any]:
    """One SARIF log with one run of wildcli's lint."""
    described = {r.rule_id: r for r in rules}
    used = sorted({p.rule_id for p in problems} | set(described))
    driver_rules = [_rule(rule_id, described.get(rule_id)) for rule_id in used]
    index = {rule["id"]: i for i, rule in enumerate(driver_rules)}
    results = [_result(p, index[p.rule_id]) for p in problems[:MAX_RESULTS]]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "wildcli lint",
            "version": __version__,
            "informationUri": "https://github.com/wildcli/wildcli",
            "rules": driver_rules,
        }},
        "results": results,
    }
    if len(problems) > MAX_RESULTS:
        run["properties"] = {"truncated": len(problems) - MAX_RESULTS}
    return {"version": "2.1.0", "$schema": SCHEMA, "runs": [run]}


def _rule(rule_id: str, rule: type[Rule] | Rule | None) -> dict[str, Any]:
    text = rule.description if rule is not None else rule_id
    level = _LEVEL[rule.severity] if rule is not None else "warning"
    return {
        "id": rule_id,
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": level},
    }


def _result(problem: Problem, rule_index: int) -> dict[str, Any]:
    where = problem.location
    message = f"{where.field}: {problem.message}" if where.field else problem.message
    physical: dict[str, Any] = {"artifactLocation": {"uri": where.path.replace("\\", "/")}}
    if where.line is not None:
        physical["region"] = {"startLine": where.line}
    # Line numbers move when terms are added above; the rule, file and message do not.
    fingerprint = hashlib.sha256(f"{problem.rule_id}\0{where.path}\0{message}".encode()).hexdigest()
    return {
        "ruleId": problem.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[problem.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"wildcliProblem/v1": fingerprint},
    }
