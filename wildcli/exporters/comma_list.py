"""`comma-list`: one comma-separated line for YouTube and Facebook blocked words (formats.md §2.7-2.8).

The comma is the separator and cannot be escaped, so terms containing one cannot be expressed.
"""

from __future__ import annotations

from collections.abc import Sequence

from wildcli.exporters.base import (
    ExportContext,
    Exporter,
    ExportItem,
    LeftOut,
    Rendering,
    partition,
    unique_texts,
)
from wildcli.exporters.txt import check_line

COMMA = "contains a comma (the list separator)"
MAX_CHARS = 50_000
"""YouTube's blocked-words field [formats.md §2.7, 3p]."""


def check(text: str) -> str | None:
    if (reason := check_line(text)) is not None:
        return reason
    return COMMA if "," in text else None


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    # Both platforms match case-insensitively ("closely matching"), so case variants are one entry.
    kept, problems = partition(unique_texts(items, key=str.casefold), check)
    line = ", ".join(i.text.strip() for i in kept)
    if len(line) > MAX_CHARS:
        reason = f"is {len(line):,} characters long; YouTube's field takes about {MAX_CHARS:,}"
        problems.append(LeftOut(reason))
    return Rendering((line + "\n" if line else "",), tuple(problems))


EXPORTER = Exporter(
    summary="one comma-separated line: YouTube, Facebook/Instagram blocked words",
    suffix=".txt",
    render_fn=render,
)
