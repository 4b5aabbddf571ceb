"""`azure-blocklist`: Azure AI Content Safety `addOrUpdateBlocklistItems` bodies (formats.md §2.1).

One JSON body per line (JSON Lines), each with at most 100 items, the per-request limit; item
text is at most 128 characters and is never truncated; a resource holds 10,000 items in total.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from wildcli.exporters.base import (
    ExportContext,
    Exporter,
    ExportItem,
    LeftOut,
    Rendering,
    chunked,
    lines_text,
    partition,
    unique_texts,
)

MAX_TEXT = 128
BATCH = 100
MAX_ITEMS = 10_000
TOO_LONG = f"is longer than {MAX_TEXT} characters"


def check(text: str) -> str | None:
    return TOO_LONG if len(text) > MAX_TEXT else None


def description(item: ExportItem) -> str:
    """Concept, language and kind: enough to find the lexicon entry behind a blocklist hit."""
    text = f"{item.concept} {item.lang} {item.kind.value}"
    return f"{text} variant:{item.rule}" if item.rule else text


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    kept, problems = partition(unique_texts(items), check)
    bodies = [
        json.dumps(
            {"blocklistItems": [{"description": description(i), "text": i.text} for i in batch]},
            ensure_ascii=False, sort_keys=True,
        )
        for batch in chunked(kept, BATCH)
    ]
    if len(kept) > MAX_ITEMS:
        reason = f"has {len(kept):,} items; a Content Safety resource holds {MAX_ITEMS:,} in total"
        problems.append(LeftOut(reason))
    return Rendering((lines_text(bodies),), tuple(problems))


EXPORTER = Exporter(
    summary="blocklistItems bodies, 100 per line, <= 128 chars: Azure AI Content Safety",
    suffix=".jsonl",
    render_fn=render,
)
