"""wildcli: find and block the words sellers use to trade illegal wildlife products online.

The library API, reachable without the CLI:

    >>> import wildcli
    >>> lexicon = wildcli.load_lexicon()                  # the bundled lexicons
    >>> matcher = wildcli.Matcher(lexicon)
    >>> [f.term for f in matcher.find("Bán vòng ngà voi thật")]
    ['ngà voi']

Names are imported on first use, so that `wildcli --help` does not pay for the matcher.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Action": "wildcli.actions",
    "WildcliError": "wildcli.errors",
    "LexiconError": "wildcli.errors",
    "InputError": "wildcli.errors",
    "Location": "wildcli.errors",
    "Finding": "wildcli.findings",
    "Method": "wildcli.findings",
    "Concept": "wildcli.lexicon",
    "Kind": "wildcli.lexicon",
    "Lexicon": "wildcli.lexicon",
    "Severity": "wildcli.lexicon",
    "Status": "wildcli.lexicon",
    "Term": "wildcli.lexicon",
    "bundled_lexicon_dir": "wildcli.lexicon",
    "load_lexicon": "wildcli.lexicon",
    "Decision": "wildcli.matcher",
    "MatchOptions": "wildcli.matcher",
    "Matcher": "wildcli.matcher",
    "Record": "wildcli.readers",
    "CountedRecord": "wildcli.readers",
    "ReadOptions": "wildcli.readers",
    "read_records": "wildcli.readers",
    "ScanSummary": "wildcli.summary",
    "scan_paths": "wildcli.engines.choice",
    "scan_record": "wildcli.scan",
    "scan_records": "wildcli.scan",
    "HideBelow": "wildcli.quiet",
    "QueryResult": "wildcli.queries",
    "ActionTally": "wildcli.queries",
    "check_queries": "wildcli.queries",
    "check_paths": "wildcli.queries",
    "lexicon_stats": "wildcli.stats",
    "load_matcher": "wildcli.cache",
    "ExportFormat": "wildcli.exporters",
    "ExportOptions": "wildcli.export",
    "render_export": "wildcli.export",
    "load_applier": "wildcli.simulation",
    "simulate": "wildcli.simulation",
    "diff_lexicons": "wildcli.diff",
    "lint_lexicon": "wildcli.lexicon.validation",
    "add_term": "wildcli.lexicon.add",
    "expand": "wildcli.variants",
    "Variant": "wildcli.variants",
    "explain": "wildcli.explanation",
    "evaluate": "wildcli.evaluation",
    "suggest": "wildcli.suggestion",
    "SuggestOptions": "wildcli.suggestion",
    "Baseline": "wildcli.baseline",
    "BaselineRecorder": "wildcli.baseline",
    "ServeOptions": "wildcli.server.options",
    "create_app": "wildcli.server.app",
    "serve": "wildcli.server.run",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wildcli' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from wildcli.actions import Action
    from wildcli.baseline import Baseline, BaselineRecorder
    from wildcli.cache import load_matcher
    from wildcli.diff import diff_lexicons
    from wildcli.engines.choice import scan_paths
    from wildcli.errors import InputError, LexiconError, Location, WildcliError
    from wildcli.evaluation import evaluate
    from wildcli.explanation import explain
    from wildcli.export import ExportOptions, render_export
    from wildcli.exporters import ExportFormat
    from wildcli.findings import Finding, Method
    from wildcli.lexicon import (
        Concept,
        Kind,
        Lexicon,
        Severity,
        Status,
        Term,
        bundled_lexicon_dir,
        load_lexicon,
    )
    from wildcli.lexicon.add import add_term
    from wildcli.lexicon.validation import lint_lexicon
    from wildcli.matcher import Decision, Matcher, MatchOptions
    from wildcli.queries import ActionTally, QueryResult, check_paths, check_queries
    from wildcli.quiet import HideBelow
    from wildcli.readers import CountedRecord, ReadOptions, Record, read_records
    from wildcli.scan import scan_record, scan_records
    from wildcli.server.app import create_app
    from wildcli.server.options import ServeOptions
    from wildcli.server.run import serve
    from wildcli.simulation import load_applier, simulate
    from wildcli.stats import lexicon_stats
    from wildcli.suggestion import SuggestOptions, suggest
    from wildcli.summary import ScanSummary
    from wildcli.variants import Variant, expand
