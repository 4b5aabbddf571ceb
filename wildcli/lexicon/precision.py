"""Lint rule WL100 from measured precision: `block` terms that `wildcli eval` saw fire too often on
negative listings get a warning that suggests `review`."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wildcli.errors import InputError, LexiconError, Location
from wildcli.jsonfile import read_json_file
from wildcli.lexicon.loader import load_lexicon
from wildcli.lexicon.model import Lexicon, Severity
from wildcli.lexicon.rules.base import Problem, ProblemSeverity
from wildcli.quality.evaluation import FORMAT

RULE_ID = "WL100"
DESCRIPTION = "a block term's measured precision is low (from `lint --precision EVAL.json`)"


@dataclass(frozen=True)
class PrecisionOptions:
    """A block term is flagged below `min_precision` once it has fired on `min_hits` records:
    with fewer hits one innocent listing would swing the ratio."""

    min_precision: float = 0.9
    min_hits: int = 5


@dataclass(frozen=True)
class Measured:
    """One term's line of an eval report: records it fired on among positives (tp) and not (fp)."""

    concept: str
    lang: str
    term: str
    tp: int
    fp: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


def load_measured(path: str | os.PathLike[str]) -> tuple[list[Measured], str]:
    """The per-term counts of a `wildcli eval --format json` file, and the data it measured."""
    where = Location(os.fspath(path))
    data = read_json_file(path, what="precision file", kind="wildcli eval report")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"not a wildcli eval report (expected \"format\": \"{FORMAT}\")", where)
    terms = data.get("terms")
    if not isinstance(terms, list):
        raise InputError("the eval report has no \"terms\" list", where)
    measured = [m for entry in terms if (m := _measured(entry)) is not None]
    source = data.get("input")
    return measured, os.path.basename(source) if isinstance(source, str) and source else where.path


def _measured(entry: Any) -> Measured | None:
    if not isinstance(entry, dict):
        return None
    text = [entry.get(k) for k in ("concept", "lang", "term")]
    counts = [entry.get(k) for k in ("tp", "fp")]
    if not all(isinstance(v, str) for v in text) or not all(isinstance(v, int) and v >= 0 for v in counts):
        return None
    return Measured(str(text[0]), str(text[1]), str(text[2]), int(counts[0] or 0), int(counts[1] or 0))


def precision_problems(
    lexicon: Lexicon, measured: Iterable[Measured], source: str, options: PrecisionOptions | None = None
) -> list[Problem]:
    """Warnings for the lexicon's block terms whose measured precision is below the threshold.

    The lexicon's current severity counts, not the one in the report: a term already moved to
    `review` is not reported again. Terms the lexicon no longer has are ignored.
    """
    options = options or PrecisionOptions()
    terms = {t.key: t for t in lexicon.terms}
    problems = []
    for m in measured:
        term = terms.get((m.concept, m.lang, m.term))
        hits = m.tp + m.fp
        if term is None or term.severity is not Severity.BLOCK or hits < options.min_hits:
            continue
        if m.precision >= options.min_precision:
            continue
        where = term.location or Location("<lexicon>")
        problems.append(Problem(RULE_ID, ProblemSeverity.WARNING, where, (
            f"{term.term!r} is block but its precision is {m.precision:.2f} in {source} "
            f"({m.tp} of {hits} records it fired on were positives; threshold "
            f"{options.min_precision:.2f} from {options.min_hits} hits): consider severity: review"
        )))
    return sorted(problems, key=lambda p: (p.location.path, p.location.line or 0, p.message))


def check_precision(
    dirs: Iterable[str | os.PathLike[str]], path: str | os.PathLike[str], *, with_bundled: bool = False,
    options: PrecisionOptions | None = None,
) -> list[Problem]:
    """WL100 for the lexicon made of `dirs` (layered as `wildcli lint` does) and the eval file."""
    measured, source = load_measured(path)
    ignored: list[LexiconError] = []  # load problems are the other rules' business (WL001)
    lexicon = load_lexicon(list(dirs), on_error=ignored.append, with_bundled=with_bundled)
    return precision_problems(lexicon, measured, source, options)
