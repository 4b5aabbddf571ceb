"""`skos`: the lexicon as a SKOS concept scheme in Turtle (formats.md §4.1, mapping in §7.3).

Written once per action, each file a concept scheme of its own (`urn:wildcli:scheme:block` ...),
so that every label in a file is a term of that action. A concept's label for a language is its
prefLabel when the label is itself one of the file's terms; misspellings, obfuscations and
generated variants are hiddenLabels (searchable, not displayed); every other term is an altLabel.
The three label properties stay pairwise disjoint per language (SKOS S13).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from wildcli.exporters.base import ExportContext, Exporter, ExportItem, Rendering
from wildcli.lexicon.model import Concept, Kind

SCHEME = "<urn:wildcli:scheme>"
"""The scheme of an export that is not split by action; otherwise `<urn:wildcli:scheme:ACTION>`."""
PREFIXES = (
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    "@prefix wl: <urn:wildcli:concept:> .\n"
)
HIDDEN_KINDS = frozenset({Kind.MISSPELLING, Kind.OBFUSCATION})
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def literal(text: str, lang: str | None = None) -> str:
    """A Turtle STRING_LITERAL_QUOTE; other control characters as \\uXXXX so the file stays text."""
    body = "".join(
        _ESCAPES.get(c) or (f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in text
    )
    return f'"{body}"' + (f"@{lang}" if lang else "")


_LABEL = re.compile(r'"((?:[^"\\]|\\.)*)"@[A-Za-z0-9-]+')
_UNESCAPES = {v[1]: k for k, v in _ESCAPES.items()}


def language_literals(turtle: str) -> list[str]:
    """The text of every language-tagged literal (the labels) of a document this module wrote."""
    def unescape(m: re.Match[str]) -> str:
        escape = m.group(1)
        return chr(int(escape[1:], 16)) if len(escape) == 5 else _UNESCAPES.get(escape, escape)

    return [re.sub(r"\\(u[0-9A-Fa-f]{4}|.)", unescape, m.group(1)) for m in _LABEL.finditer(turtle)]


def labels(concept: Concept, items: Sequence[ExportItem]) -> dict[str, list[str]]:
    """Literals per SKOS label property, disjoint per language: pref beats alt beats hidden."""
    exported = {(item.lang, item.text) for item in items}
    taken = {(lang, text) for lang, text in concept.labels.items() if (lang, text) in exported}
    alt: set[tuple[str, str]] = set()
    hidden: set[tuple[str, str]] = set()
    for item in items:
        key = (item.lang, item.text)
        (hidden if item.rule or item.kind in HIDDEN_KINDS else alt).add(key)
    alt -= taken
    hidden -= taken | alt
    return {
        "skos:prefLabel": [literal(t, lang) for lang, t in sorted(taken)],
        "skos:altLabel": [literal(t, lang) for lang, t in sorted(alt)],
        "skos:hiddenLabel": [literal(t, lang) for lang, t in sorted(hidden)],
    }


def scheme(ctx: ExportContext) -> str:
    return f"<urn:wildcli:scheme:{ctx.role}>" if ctx.role else SCHEME


def concept_block(concept: Concept, items: Sequence[ExportItem], in_scheme: str = SCHEME) -> str:
    lines = [f"wl:{concept.id} a skos:Concept", f"skos:inScheme {in_scheme}"]
    lines.append(f"skos:notation {literal(concept.id)}")
    for prop, values in labels(concept, items).items():
        if values:
            lines.append(f"{prop} " + " ,\n        ".join(values))
    if concept.description:
        lines.append(f"skos:definition {literal(concept.description)}")
    return " ;\n    ".join(lines) + " .\n"


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    by_concept: dict[str, list[ExportItem]] = defaultdict(list)
    for item in items:
        by_concept[item.concept].append(item)
    ids = sorted(c for c in by_concept if c in ctx.concepts)
    uri = scheme(ctx)
    head = [f"{uri} a skos:ConceptScheme"]
    if ctx.lexicon_version:
        head.append(f"owl:versionInfo {literal(ctx.lexicon_version)}")
    if ids:
        head.append("skos:hasTopConcept " + ", ".join(f"wl:{c}" for c in ids))
    blocks = [PREFIXES, " ;\n    ".join(head) + " .\n"]
    blocks.extend(concept_block(ctx.concepts[c], by_concept[c], uri) for c in ids)
    return Rendering(("\n".join(blocks),))


EXPORTER = Exporter(
    summary="SKOS concept scheme in Turtle: thesaurus tools, RDF",
    suffix=".ttl",
    render_fn=render,
)
