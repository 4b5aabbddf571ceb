"""Lint lexicon directories: run every rule of `wildcli.lexicon.rules` and collect the problems, sorted.

Each problem has a rule id, a severity and a location; none is raised, so one run reports them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from wildcli.errors import LexiconError
from wildcli.lexicon.bundled import bundled_lexicon_dir
from wildcli.lexicon.loader import CONCEPT_FILE, display_path, load_lexicon
from wildcli.lexicon.model import Lexicon
from wildcli.lexicon.parse import CONCEPT_ID, LANG_TAG
from wildcli.lexicon.parsememo import memo_for
from wildcli.lexicon.rulerun import run_rules
from wildcli.lexicon.rules import RULES, LexiconFile, LintContext, Problem, ProblemSeverity, Rule
from wildcli.lexicon.yamlfile import YamlDocument
from wildcli.match.cache import example_judge
from wildcli.match.cachedir import cache_dir

__all__ = ["RULES", "LintReport", "Problem", "ProblemSeverity", "Rule", "lint_lexicon", "lint_report"]


@dataclass(frozen=True)
class LintReport:
    problems: list[Problem]
    files: list[LexiconFile]
    lexicon: Lexicon | None = None
    """What was linted (its `digest` names exactly those files)."""


def lint_lexicon(dirs: Iterable[str | os.PathLike[str]], *, with_bundled: bool = False) -> list[Problem]:
    """Every problem of the lexicon made of `dirs` (the bundled one when empty), sorted."""
    return lint_report(dirs, with_bundled=with_bundled).problems


def lint_report(
    dirs: Iterable[str | os.PathLike[str]], *, with_bundled: bool = False, rules: Iterable[Rule] = RULES,
    only: Iterable[str | os.PathLike[str]] | None = None, processes: int = 1,
) -> LintReport:
    """Like lint_lexicon, with the files that were checked; `rules` narrows the rules run (a
    gate that only refuses errors can skip the slow warning rules). With `only` (files of the
    lexicon), just their problems are reported: the same ones a whole lint reports for them.
    `processes=2` runs the rules that judge examples and the others on two processes where the
    platform forks (`rulerun.run_rules`), with the same problems."""
    errors: list[LexiconError] = []
    documents: dict[str, YamlDocument] = {}
    given = [Path(d) for d in dirs]
    roots = ([bundled_lexicon_dir()] if with_bundled or not given else []) + given
    memo = memo_for(roots, cache_dir())
    lexicon = load_lexicon(given, on_error=errors.append, with_bundled=with_bundled, documents=documents,
                           parse=memo.parse if memo else None)  # fmt: skip
    if memo is not None:
        memo.save()
    files = [f for root in lexicon.roots for f in _files(Path(root), documents)]
    focus = None if only is None else frozenset(display_path(Path(p)) for p in only)
    ctx = LintContext(lexicon, files, errors, example_judge, focus)
    problems = sorted(run_rules(ctx, rules, processes),
                      key=lambda p: (p.location.path, p.location.line or 0, p.rule_id, p.message))
    return LintReport(problems, list(ctx.focused_files()), lexicon)


def _files(root: Path, documents: dict[str, YamlDocument]) -> Iterator[LexiconFile]:
    """The YAML files the loader reads under `root`, in its order, not following links out of it."""
    if not root.is_dir():
        return
    real_root = root.resolve()
    for directory in sorted(root.iterdir(), key=lambda p: p.name):
        if not directory.is_dir() or not CONCEPT_ID.match(directory.name):
            continue
        for path in sorted(directory.iterdir(), key=lambda p: (p.name != CONCEPT_FILE, p.name)):
            lang = None if path.name == CONCEPT_FILE else path.stem
            named = lang is None or (path.suffix == ".yaml" and LANG_TAG.match(lang))
            if named and path.is_file() and path.resolve().is_relative_to(real_root):
                yield LexiconFile(path, directory.name, lang, doc=documents.get(str(path)))
