"""`regex`: rules as RE2 patterns, one per line of a TSV with the action (formats.md §3.4).

Columns: action, concept, pattern, unless. A rule fires when `pattern` matches and `unless`
(empty: none) does not (`wildcli.exporters.regexrules`). Patterns keep to a portable subset
(RE2, Rust, PCRE) and, by default, to the 512 characters of AWS WAF; `--max-pattern-chars`
raises that for targets without the limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from wildcli.exporters.base import ExportContext, Exporter, ExportItem, Rendering, lines_text
from wildcli.exporters.regexrules import RE2, compile_rules

COLUMNS = ("action", "concept", "pattern", "unless")


def render(items: Sequence[ExportItem], ctx: ExportContext) -> Rendering:
    rules, problems = compile_rules(items, RE2, ctx.options.max_pattern_chars)
    lines = ["\t".join(COLUMNS)]
    lines.extend(
        "\t".join((r.action.value, r.concept, r.pattern, r.unless or ""))
        for r in rules
    )
    return Rendering((lines_text(lines),), tuple(problems))


EXPORTER = Exporter(
    summary="RE2/Rust/PCRE rules with action, context and exclusions, <= 512 chars: WAF, AutoMod",
    suffix=".tsv",
    render_fn=render,
    line_items=True,
    rules=True,
    per_action=False,
)
