"""The human `table` format of `scan`: summaries per concept and language, then top findings."""

from __future__ import annotations

import re
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from wildcli.lexicon.actions import LIST_ACTIONS, Action
from wildcli.match.findings import Finding
from wildcli.reports.digest import FindingDigest
from wildcli.reports.summary import ScanSummary
from wildcli.safety import strip_controls

SNIPPET = 40
_STYLE = {"block": "bold red", "review": "yellow", "monitor": "cyan"}
_TO = {Action.BLOCK: "to block", Action.WARN: "to warn on", Action.MONITOR: "to monitor"}


def render_table(
    digest: FindingDigest, summary: ScanSummary, out: TextIO, *, color: bool, suppressed: int | None = None,
    hidden: int | None = None,
) -> None:
    """Write the summary, the counts and the digest's most severe findings to `out`; with a
    baseline, `suppressed` says how many findings it left out, and `hidden` how many monitor
    findings (weak signals) were left out of the report."""
    console = Console(
        file=out, no_color=not color, highlight=False, width=None if color else 140,
        force_terminal=None if color else False,
    )
    s = summary
    if s.counted:
        console.print(
            f"Scanned {s.records} queries ({s.searches} searches) in {s.files} file(s): {s.findings} "
            f"findings in {s.records_with_findings} queries ({s.searches_with_findings} searches).",
            markup=False,
        )
    else:
        console.print(
            f"Scanned {s.records} records ({s.fields} fields) in {s.files} file(s): "
            f"{s.findings} findings in {s.records_with_findings} records.",
            markup=False,
        )
    if suppressed is not None:
        noun = "finding" if suppressed == 1 else "findings"
        console.print(f"Left out {suppressed} {noun} already in the baseline.", markup=False)
    if hidden:
        noun = "finding" if hidden == 1 else "findings"
        console.print(f"Left out {hidden} monitor {noun} (weak signals); --min-severity monitor shows them.",
                      markup=False)
    if not digest.records:
        return
    # A report that leaves the weak signals out has no monitor column to show.
    console.print(_by_concept(digest, s.counted, monitor=hidden is None))
    console.print(_counter_table("Language", s.by_lang.most_common()))
    if s.counted:
        for action in LIST_ACTIONS:
            terms = _most_searched(digest, action)
            if terms is not None:
                console.print(terms)
    console.print(_top_findings(digest, "queries" if s.counted else "records"))


def _by_concept(digest: FindingDigest, counted: bool, *, monitor: bool) -> Table:
    table = Table(title="Findings per concept", title_justify="left")
    names = ("Concept", "Findings", "Queries", "Searches") if counted else ("Concept", "Findings", "Records")
    tiers = ("block", "review", "monitor")[: 3 if monitor else 2]
    for name in (*names, *tiers):
        table.add_column(name, justify="left" if name == "Concept" else "right")
    # Weighed by counts, what matters most is what was searched most.
    order = (lambda kv: (-kv[1].searches, -kv[1].findings, kv[0])) if counted else (lambda kv: (-kv[1].findings, kv[0]))
    for concept, counts in sorted(digest.concepts.items(), key=order):
        searches = (str(counts.searches),) if counted else ()
        by_tier = map(str, counts.by_severity[: len(tiers)])
        table.add_row(concept, str(counts.findings), str(counts.records), *searches, *by_tier)
    return table


def _most_searched(digest: FindingDigest, action: Action) -> Table | None:
    """The terms asking for `action` that were searched most, or None when there are none."""
    terms = digest.most_searched(action)
    if not terms:
        return None
    which = "The most searched term" if len(terms) == 1 else f"The {len(terms)} most searched terms"
    table = Table(title=f"{which} {_TO[action]}", title_justify="left")
    for name in ("Term", "Concept", "Language", "Searches", "Queries"):
        table.add_column(name, justify="right" if name in ("Searches", "Queries") else "left",
                         overflow="fold" if name == "Term" else "ellipsis")  # fmt: skip
    for t in terms:
        table.add_row(strip_controls(t.term), t.concept, t.lang, str(t.searches), str(t.queries))
    return table


def _counter_table(label: str, items: list[tuple[str, int]]) -> Table:
    table = Table(title=f"Findings per {label.lower()}", title_justify="left")
    table.add_column(label)
    table.add_column("Findings", justify="right")
    for key, count in items:
        table.add_row(key, str(count))
    return table


def _top_findings(digest: FindingDigest, records: str) -> Table:
    """The most severe finding of each record, most severe records first."""
    heads = digest.heads()
    table = Table(
        title=f"Top {len(heads)} of {digest.records} {records} with findings", title_justify="left"
    )
    table.add_column("Record", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Concept", no_wrap=True)
    table.add_column("Term", overflow="fold")
    table.add_column("Method", no_wrap=True)
    table.add_column("Evidence", overflow="fold", ratio=1)
    for head in heads:
        f, others = head.finding, head.others
        record = strip_controls(f.record or "") + (f" (+{others})" if others else "")
        evidence = Text(f"{f.field}: ", style="dim") + _excerpt(f)
        table.add_row(
            record, Text(f.severity.value, style=_STYLE[f.severity.value]), f.concept,
            f"{strip_controls(f.term)} ({f.lang})", f.method.value, evidence,
        )
    return table


def _excerpt(f: Finding) -> Text:
    """The matched text in bold with a little context either side, on one line."""
    before, after = f.snippet(SNIPPET)
    text = Text(strip_controls(before))
    text.append(re.sub(r"\s+", " ", strip_controls(f.matched)), style="bold reverse")
    text.append(strip_controls(after))
    return text
