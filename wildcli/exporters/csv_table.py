"""`csv`: one rule per row, as `json` carries them, spreadsheet-safe by default (formats.md §3.2).

`context` and `exclude` cells hold a JSON array of phrases: unambiguous whatever the phrases hold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from wildcli.exporters.base import CsvDialect, ExportContext, Exporter, ExportItem, Rendering
from wildcli.lexicon.model import Source
from wildcli.safety import neutralize_formula

COLUMNS = (
    "concept", "lang", "term", "kind", "action", "context", "window", "exclude", "severity", "status",
    "sensitivity", "variant_rule", "sources",
)


def source_text(source: Source) -> str:
    parts = [source.title]
    if source.url:
        parts.append(f"<{source.url}>")
    if source.year:
        parts.append(f"({source.year})")
    return " ".join(parts)


def row(item: ExportItem) -> list[str]:
    term = item.term
    return [
        item.concept, item.lang, item.text, item.kind.value, item.action.value, phrases(item.context),
        str(item.window), phrases(item.rule_exclude), item.severity.value, item.status.value,
        term.sensitivity.value, item.rule or "", " | ".join(source_text(s) for s in term.sources),
    ]


def phrases(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False) if values else ""


def field(value: str) -> str:
    """RFC 4180 quoting. Written by hand: Python's csv module leaves a lone CR unquoted when the
    line terminator is LF, and a reader then splits the record there."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    spreadsheet = ctx.options.csv_dialect is CsvDialect.SPREADSHEET
    # RFC 4180 asks for CRLF; the spreadsheet dialect keeps LF like every other export.
    end = "\n" if spreadsheet else "\r\n"
    lines = [",".join(COLUMNS)]
    for item in items:
        cells = row(item)
        # OWASP CSV injection: a cell starting with = + - @ TAB CR runs as a formula; the quote
        # prefix makes it text (and is why machine consumers want the rfc4180 dialect).
        lines.append(",".join(field(neutralize_formula(c) if spreadsheet else c) for c in cells))
    return Rendering(("".join(line + end for line in lines),))


EXPORTER = Exporter(
    summary="one rule per row (action, context, window, exclude), formula-safe: analysts, spreadsheets",
    suffix=".csv",
    render_fn=render,
    rules=True,
    per_action=False,
)
