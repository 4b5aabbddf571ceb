"""`txt`: one term per line, UTF-8, LF, sorted and unique (formats.md §3.1).

Written once per action (`FILE` for the most severe, `FILE.warn.txt` ...) with an allow-list
`FILE.allow.txt` of exceptions: a phrase of it that covers a match cancels that match.
"""

from __future__ import annotations

from collections.abc import Sequence

from wildcli.exporters.base import (
    ExportContext,
    Exporter,
    ExportItem,
    Rendering,
    line_breaks,
    one_per_line,
)

LINE_BREAK = "contains a line break"


def check_line(text: str) -> str | None:
    """The one thing no line-oriented file can hold: a term spanning two lines."""
    return LINE_BREAK if line_breaks(text) else None


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    # No comment lines: `#` doubles as a hashtag sigil, so a header could be mistaken for a term.
    return one_per_line(items, check_line)


EXPORTER = Exporter(
    summary="one term per line: generic word lists, paste boxes, scripts",
    suffix=".txt",
    render_fn=render,
    line_items=True,
    allow_list=True,
)
