"""`es-synonyms-api`: request bodies for `PUT _synonyms/<set>` (Elasticsearch >= 8.10, formats.md §1.1).

The `synonyms` string of each rule uses the Solr syntax, so rules come from the solr exporter.
A set holds at most 10,000 rules [formats.md §1.1]; larger exports are split into one body per set.
"""

from __future__ import annotations

from collections.abc import Sequence

from wildcli.exporters.base import ExportContext, Exporter, ExportItem, Rendering, chunked
from wildcli.exporters.json_records import dumps
from wildcli.exporters.solr import rules

MAX_RULES_PER_SET = 10_000


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    lines, problems = rules(items, ctx)
    bodies = [
        dumps({"synonyms_set": [{"id": cid, "synonyms": line} for cid, line in chunk]}, indent=2) + "\n"
        for chunk in chunked(lines, MAX_RULES_PER_SET)
    ] or [dumps({"synonyms_set": []}, indent=2) + "\n"]
    notes: tuple[str, ...] = ()
    if len(bodies) > 1:
        notes = (f"{len(lines)} rules split into {len(bodies)} synonym sets of at most "
                 f"{MAX_RULES_PER_SET:,} rules: PUT each file to its own set",)
    return Rendering(tuple(bodies), tuple(problems), notes)


EXPORTER = Exporter(
    summary="Elasticsearch synonyms API bodies, 10,000 rules per set",
    suffix=".json",
    render_fn=render,
)
