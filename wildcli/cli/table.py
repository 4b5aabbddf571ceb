"""The human `table` format of `scan`: summaries per concept and language, then top findings."""

from __future__ import annotations

import re
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from wildcli.findings import Finding
from wildcli.lexicon.model import Severity
from wildcli.safety import strip_controls
from wildcli.scan import ScanSummary

SNIPPET = 40
_STYLE = {"block": "bold red", "review": "yellow", "monitor": "cyan"}


def render_table(
    findings: list[Finding], summary: ScanSummary, out: TextIO, *, top: int, color: bool
) -> None:
    """Write the summary and the `top` most severe findings to `out`."""
    console = Console(
        file=out, no_color=not color, highlight=False, width=None if color else 140,
        force_terminal=None if color else False,
    )
    s = summary
    console.print(
        f"Scanned {s.records} records ({s.fields} fields) in {s.files} file(s): "
        f"{s.findings} findings in {s.records_with_findings} records.",
        markup=False,
    )
    if not findings:
        return
    console.print(_by_concept(findings))
    console.print(_counter_table("Language", s.by_lang.most_common()))
    console.print(_top_findings(findings, top))


def _by_concept(findings: list[Finding]) -> Table:
    table = Table(title="Findings per concept", title_justify="left")
    for name in ("Concept", "Findings", "Records", "block", "review", "monitor"):
        table.add_column(name, justify="left" if name == "Concept" else "right")
    rows: dict[str, list[int]] = {}
    records: dict[str, set[tuple[str | None, int | None]]] = {}
    for f in findings:
        counts = rows.setdefault(f.concept, [0, 0, 0, 0])
        counts[0] += 1
        counts[1 + [Severity.BLOCK, Severity.REVIEW, Severity.MONITOR].index(f.severity)] += 1
        records.setdefault(f.concept, set()).add((f.source, f.row))
    for concept, counts in sorted(rows.items(), key=lambda kv: (-kv[1][0], kv[0])):
        table.add_row(concept, str(counts[0]), str(len(records[concept])), *map(str, counts[1:]))
    return table


def _counter_table(label: str, items: list[tuple[str, int]]) -> Table:
    table = Table(title=f"Findings per {label.lower()}", title_justify="left")
    table.add_column(label)
    table.add_column("Findings", justify="right")
    for key, count in items:
        table.add_row(key, str(count))
    return table


def _top_findings(findings: list[Finding], top: int) -> Table:
    """The most severe finding of each record, most severe records first."""
    per_record: dict[tuple[str | None, int | None], list[Finding]] = {}
    for f in findings:
        per_record.setdefault((f.source, f.row), []).append(f)
    heads = sorted(
        (min(group, key=_rank) for group in per_record.values()),
        key=lambda f: (-f.severity.rank, -f.score, f.source or "", f.row or 0),
    )[:top]
    table = Table(
        title=f"Top {len(heads)} of {len(per_record)} records with findings", title_justify="left"
    )
    table.add_column("Record", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Concept", no_wrap=True)
    table.add_column("Term", overflow="fold")
    table.add_column("Method", no_wrap=True)
    table.add_column("Evidence", overflow="fold", ratio=1)
    for f in heads:
        others = len(per_record[(f.source, f.row)]) - 1
        record = strip_controls(f.record or "") + (f" (+{others})" if others else "")
        evidence = Text(f"{f.field}: ", style="dim") + _excerpt(f)
        table.add_row(
            record, Text(f.severity.value, style=_STYLE[f.severity.value]), f.concept,
            f"{strip_controls(f.term)} ({f.lang})", f.method.value, evidence,
        )
    return table


def _rank(f: Finding) -> tuple[int, float, int]:
    return (-f.severity.rank, -f.score, f.start)


def _excerpt(f: Finding) -> Text:
    """The matched text in bold with a little context either side, on one line."""
    def flat(s: str) -> str:
        return re.sub(r"\s+", " ", strip_controls(s))

    before = flat(f.before)[-SNIPPET:]
    after = flat(f.after)[:SNIPPET]
    text = Text("…" + before if len(f.before) > SNIPPET else before)
    text.append(flat(f.matched), style="bold reverse")
    text.append(after + ("…" if len(f.after) > SNIPPET else ""))
    return text
