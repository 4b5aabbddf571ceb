"""`stopwords`: Lucene `wordset` files for stop, keep and keyword_marker filters (formats.md §1.3).

These filters compare single tokens, so phrases never match; a line starting with `#` is a
comment and the format has no escape, so such terms cannot be written at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from wildcli.exporters.base import (
    ExportContext,
    Exporter,
    ExportItem,
    Rendering,
    one_per_line,
)
from wildcli.exporters.txt import check_line

PHRASE = "is a phrase (word files match single tokens only)"
LEADING_HASH = "starts with # (a comment in Lucene word files, which have no escape)"


def check(text: str) -> str | None:
    if (reason := check_line(text)) is not None:
        return reason
    if any(c.isspace() for c in text):
        return PHRASE
    return LEADING_HASH if text.startswith("#") else None


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    return one_per_line(items, check)


EXPORTER = Exporter(
    summary="single-token word file: stop, keep and keyword_marker filters",
    suffix=".txt",
    render_fn=render,
    line_items=True,
)
