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
    "Action": "wildcli.lexicon.actions",
    "WildcliError": "wildcli.errors",
    "LexiconError": "wildcli.errors",
    "InputError": "wildcli.errors",
    "Location": "wildcli.errors",
    "Finding": "wildcli.match.findings",
    "Method": "wildcli.match.findings",
    "Concept": "wildcli.lexicon",
    "Kind": "wildcli.lexicon",
    "Lexicon": "wildcli.lexicon",
    "Severity": "wildcli.lexicon",
    "Status": "wildcli.lexicon",
    "Term": "wildcli.lexicon",
    "bundled_lexicon_dir": "wildcli.lexicon",
    "load_lexicon": "wildcli.lexicon",
    "Decision": "wildcli.match.decisions",
    "MatchOptions": "wildcli.match.matcher",
    "Matcher": "wildcli.match.matcher",
    "Record": "wildcli.readers",
    "CountedRecord": "wildcli.readers",
    "ReadOptions": "wildcli.readers",
    "read_records": "wildcli.readers",
    "ScanSummary": "wildcli.reports.summary",
    "scan_paths": "wildcli.scanning.choice",
    "scan_record": "wildcli.scanning.local",
    "scan_records": "wildcli.scanning.local",
    "HideBelow": "wildcli.scanning.quiet",
    "QueryResult": "wildcli.scanning.queries",
    "ActionTally": "wildcli.scanning.queries",
    "check_queries": "wildcli.scanning.queries",
    "check_paths": "wildcli.scanning.queries",
    "lexicon_stats": "wildcli.lexicon.stats",
    "load_matcher": "wildcli.match.cache",
    "ExportFormat": "wildcli.exporters",
    "ExportOptions": "wildcli.exporters.selection",
    "render_export": "wildcli.exporters.selection",
    "load_applier": "wildcli.simulation",
    "simulate": "wildcli.simulation",
    "diff_lexicons": "wildcli.lexicon.diff",
    "lint_lexicon": "wildcli.lexicon.validation",
    "add_term": "wildcli.lexicon.add",
    "expand": "wildcli.discovery.variants",
    "Variant": "wildcli.discovery.variants",
    "explain": "wildcli.match.explanation",
    "evaluate": "wildcli.quality.evaluation",
    "suggest": "wildcli.discovery.suggestion",
    "SuggestOptions": "wildcli.discovery.suggestion",
    "Baseline": "wildcli.scanning.baseline",
    "BaselineRecorder": "wildcli.scanning.baseline",
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
    from wildcli.discovery.suggestion import SuggestOptions, suggest
    from wildcli.discovery.variants import Variant, expand
    from wildcli.errors import InputError, LexiconError, Location, WildcliError
    from wildcli.exporters import ExportFormat
    from wildcli.exporters.selection import ExportOptions, render_export
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
    from wildcli.lexicon.actions import Action
    from wildcli.lexicon.add import add_term
    from wildcli.lexicon.diff import diff_lexicons
    from wildcli.lexicon.stats import lexicon_stats
    from wildcli.lexicon.validation import lint_lexicon
    from wildcli.match.cache import load_matcher
    from wildcli.match.decisions import Decision
    from wildcli.match.explanation import explain
    from wildcli.match.findings import Finding, Method
    from wildcli.match.matcher import Matcher, MatchOptions
    from wildcli.quality.evaluation import evaluate
    from wildcli.readers import CountedRecord, ReadOptions, Record, read_records
    from wildcli.reports.summary import ScanSummary
    from wildcli.scanning.baseline import Baseline, BaselineRecorder
    from wildcli.scanning.choice import scan_paths
    from wildcli.scanning.local import scan_record, scan_records
    from wildcli.scanning.queries import ActionTally, QueryResult, check_paths, check_queries
    from wildcli.scanning.quiet import HideBelow
    from wildcli.server.app import create_app
    from wildcli.server.options import ServeOptions
    from wildcli.server.run import serve
    from wildcli.simulation import load_applier, simulate
