"""`solr-synonyms`: Solr-format synonym files for Solr, Elasticsearch and OpenSearch (formats.md §1.1).

Lucene's SolrSynonymParser skips a line whose first character is `#`, splits on unescaped `,`
and `=>`, and removes a backslash before any character; so `\\`, `\\,`, `\\=>` and a leading
`\\#` carry the literal characters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from wildcli.exporters.base import (
    ExportContext,
    Exporter,
    ExportItem,
    LeftOut,
    Rendering,
    SynonymStyle,
    lines_text,
    partition,
)
from wildcli.exporters.txt import check_line

NO_TOKENS = "has no letter or digit (may analyse to no token, which fails the whole synonyms file)"
CONCEPT_TOKEN = "wildcli_{}"
"""The right-hand side of explicit rules: one token per concept (the standard tokenizer keeps `_`)."""


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\").replace(",", "\\,").replace("=>", "\\=>")
    return "\\" + out if out.startswith("#") else out


def split_rule(line: str) -> list[str]:
    """The left-hand entries of one rule line, unescaped, as Lucene's parser reads them (a
    comment line has none)."""
    if line.startswith("#"):
        return []
    entries: list[str] = []
    current: list[str] = []
    escaped = False
    for i, ch in enumerate(line):
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "," or line.startswith("=>", i):
            entries.append("".join(current).strip())
            current = []
            if ch != ",":
                break
        else:
            current.append(ch)
    else:
        entries.append("".join(current).strip())
    return [e for e in entries if e]


def check(text: str) -> str | None:
    if (reason := check_line(text)) is not None:
        return reason
    # A rule entry that analyses to nothing makes the parser reject the file (ES: unless
    # `lenient: true`); punctuation and emoji-only entries are the usual culprits.
    return None if any(c.isalnum() for c in text) else NO_TOKENS


def rules(items: Sequence[ExportItem], ctx: ExportContext) -> tuple[list[tuple[str, str]], list[LeftOut]]:
    """(concept id, rule line) per concept with at least one expressible term, by concept id."""
    kept, problems = partition(items, check)
    by_concept: dict[str, set[str]] = defaultdict(set)
    for item in kept:
        by_concept[item.concept].add(item.text)
    lines = []
    for concept, texts in sorted(by_concept.items()):
        lhs = ", ".join(escape(t) for t in sorted(texts))
        if ctx.options.synonyms is SynonymStyle.EXPLICIT:
            lhs += " => " + CONCEPT_TOKEN.format(concept)
        lines.append((concept, lhs))
    return lines, problems


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    lines, problems = rules(items, ctx)
    return Rendering((lines_text(line for _, line in lines),), tuple(problems))


EXPORTER = Exporter(
    summary="Solr synonym rules, one per concept: Solr, Elasticsearch, OpenSearch",
    suffix=".txt",
    render_fn=render,
)
