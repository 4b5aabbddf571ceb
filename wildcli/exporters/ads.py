"""`google-ads`, `microsoft-ads`: negative keyword lists with phrase `"..."` or exact `[...]` syntax.

Limits from formats.md §2.4-2.5: Google 80 characters and 10 words per keyword, 5,000 keywords
per shared list, 20 lists per account; Microsoft 100 characters. Negatives never expand to
close variants, so accented and unaccented forms must both be listed (`--variants`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wildcli.exporters.base import (
    ExportContext,
    Exporter,
    ExportItem,
    LeftOut,
    MatchType,
    Rendering,
    chunked,
    lines_text,
    partition,
    unique_texts,
)

# Letters, marks, digits and space plus these symbols are accepted [formats.md §2.4, 3p];
# `"`, `[` and `]` are left out because they would break the match-type syntax around the term.
ALLOWED_SYMBOLS = frozenset("#$&_-'+./:")
FORBIDDEN = "has a symbol the platform rejects (only letters, digits, space and # $ & _ - ' + . / :)"
LIST_SIZE = 5_000


@dataclass(frozen=True)
class AdsLimits:
    platform: str
    max_chars: int
    max_words: int | None
    max_lists: int | None


GOOGLE = AdsLimits("Google Ads", 80, 10, 20)
# Microsoft's symbol list is not documented in the research; Google's stricter set is applied.
MICROSOFT = AdsLimits("Microsoft Advertising", 100, None, None)


def allowed(char: str) -> bool:
    return char == " " or char in ALLOWED_SYMBOLS or unicodedata.category(char)[0] in "LMN"


def checker(limits: AdsLimits) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        if not all(allowed(c) for c in text):
            return FORBIDDEN
        if len(text) > limits.max_chars:
            return f"is longer than {limits.max_chars} characters"
        if limits.max_words is not None and len(text.split()) > limits.max_words:
            return f"has more than {limits.max_words} words"
        return None

    return check


def keyword(text: str, match: MatchType) -> str:
    return f'"{text}"' if match is MatchType.PHRASE else f"[{text}]"


def render_for(limits: AdsLimits, items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    # Both platforms ignore case, so "Ivory" and "ivory" would be the same negative keyword.
    kept, problems = partition(unique_texts(items, key=str.casefold), checker(limits))
    lines = [keyword(i.text, ctx.options.match_type) for i in kept]
    parts = [lines_text(chunk) for chunk in chunked(lines, LIST_SIZE)] or [""]
    notes: list[str] = []
    if len(parts) > 1:
        notes.append(f"{len(lines)} keywords split into {len(parts)} lists of at most {LIST_SIZE:,}")
    if limits.max_lists is not None and len(parts) > limits.max_lists:
        reason = f"is split into {len(parts)} lists; {limits.platform} allows {limits.max_lists} per account"
        problems.append(LeftOut(reason))
    if not ctx.variants:
        notes.append(f"{limits.platform} negatives do not match close variants: consider --variants")
    return Rendering(tuple(parts), tuple(problems), tuple(notes))


def render_google(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    return render_for(GOOGLE, items, ctx)


def render_microsoft(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    return render_for(MICROSOFT, items, ctx)


GOOGLE_ADS = Exporter(
    summary="negative keywords <= 80 chars and 10 words, 5,000 per list: Google Ads",
    suffix=".txt",
    render_fn=render_google,
    line_items=True,
)
MICROSOFT_ADS = Exporter(
    summary="negative keywords <= 100 chars, 5,000 per list: Microsoft Advertising",
    suffix=".txt",
    render_fn=render_microsoft,
    line_items=True,
)
