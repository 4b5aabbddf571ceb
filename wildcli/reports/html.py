"""The HTML report of a scan: one self-contained file with inline SVG charts and a searchable table.

Listing text is hostile: it reaches the page only HTML-escaped (charts) or as JSON that the
script turns into text nodes (table), and a Content-Security-Policy with script hashes keeps
anything that slipped through from running or fetching.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from html import escape
from pathlib import PurePath
from typing import Any, TextIO

from wildcli import __version__
from wildcli.lexicon.model import Lexicon
from wildcli.match.findings import Finding
from wildcli.reports.html_assets import APP_JS, CSS, ERRORS_JS
from wildcli.reports.summary import ScanSummary

MAX_ROWS = 50_000
"""Findings embedded in the table; beyond this the page gets too heavy for a browser. The
charts and counts still cover every finding."""
COLUMNS = (
    "severity", "record", "source", "row", "field", "concept", "term", "lang", "kind",
    "matched", "before", "after", "method", "score",
)
SEVERITY_COLORS = {"block": "#b3261e", "review": "#b86e00", "monitor": "#2f6fab"}
ACCENT = "#2c6e8f"
_SEVERITY_ORDER = ("block", "review", "monitor")
WIDE, NARROW = 560, 370
CHARTS = (
    # (element id, heading, what a bar filters on, width); "q" (the search box) for terms.
    ("chart-concept", "Findings by concept", "concept", WIDE),
    ("chart-terms", "Top terms", "q", WIDE),
    ("chart-severity", "By severity", "severity", NARROW),
    ("chart-lang", "By language", "lang", NARROW),
    ("chart-field", "By field", "field", NARROW),
)
"""The charts, drawn here for the whole scan and again by the page's script for the findings
that pass its filters (the same bars from the same rules)."""
BARS = 12


def write_html(
    findings: Sequence[Finding], summary: ScanSummary | None, out: TextIO, *,
    lexicon: Lexicon | None = None, sources: Sequence[str] = (), title: str = "Wildlife-trade scan report",
    max_rows: int = MAX_ROWS,
) -> int:
    """Write the report of `findings` to `out`; returns how many findings it covers."""
    page = render_html(findings, summary, lexicon=lexicon, sources=sources, title=title, max_rows=max_rows)
    out.write(page)
    return len(findings)


def render_html(
    findings: Sequence[Finding], summary: ScanSummary | None = None, *, lexicon: Lexicon | None = None,
    sources: Sequence[str] = (), title: str = "Wildlife-trade scan report", max_rows: int = MAX_ROWS,
) -> str:
    """The report as a string; same input, same bytes (no timestamps)."""
    ordered = sorted(findings, key=_order)
    records_flagged = len({(f.source, f.row, f.record) for f in findings})
    by_severity = Counter(f.severity.value for f in findings)
    # How often each record was searched, for an input with counts (a query log) only.
    columns = (*COLUMNS, "count") if any(f.count is not None for f in findings) else COLUMNS
    data = {
        "summary": {
            "records": summary.records if summary else records_flagged,
            "records_with_findings": records_flagged,
            "findings": len(findings),
            "concepts": len({f.concept for f in findings}),
            "languages": len({f.lang for f in findings}),
            "by_severity": {k: by_severity[k] for k in _SEVERITY_ORDER},
        },
        "columns": columns,
        "rows": [_row(f, columns) for f in ordered[:max_rows]],
        "truncated": len(ordered) > max_rows,
        "sources": len({f.source for f in findings}),
        "charts": [{"id": id_, "key": key, "width": width} for id_, _, key, width in CHARTS],
        "bars": BARS,
        "colors": {"severity": SEVERITY_COLORS, "accent": ACCENT},
    }
    charts = _charts(findings)
    scripts = (ERRORS_JS, APP_JS)
    csp = "; ".join((
        "default-src 'none'",
        "script-src " + " ".join(_hash(s) for s in scripts),
        f"style-src {_hash(CSS)}",
        "img-src data:", "base-uri 'none'", "form-action 'none'",
    ))
    return _PAGE.format(
        csp=escape(csp, quote=False), title=escape(title), css=CSS, errors_js=ERRORS_JS, app_js=APP_JS,
        meta=_meta(lexicon, sources), charts=charts, data=_script_json(data), version=escape(__version__),
    )


def _order(f: Finding) -> tuple[int, str, int, str, int]:
    return (-f.severity.rank, f.source or "", f.row or 0, f.field or "", f.start)


def _row(f: Finding, columns: Sequence[str]) -> list[Any]:
    d = f.to_dict()
    # The page shows the text either side as the table format does: cut at a word, with "…"
    # where text was left out.
    d["before"], d["after"] = f.snippet()
    return [d.get(c) for c in columns]


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _script_json(data: Any) -> str:
    """JSON that cannot end its <script> element early: <, > and & (and the JS line
    separators) are written as \\u escapes, which JSON.parse reads back unchanged."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch in "<>&\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def _meta(lexicon: Lexicon | None, sources: Sequence[str]) -> str:
    parts = []
    if sources:
        names = [PurePath(s).name or s for s in sources]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        parts.append(f"Source: {shown}")
    if lexicon is not None:
        version = f" {lexicon.version}" if lexicon.version else ""
        parts.append(f"Lexicon{version} ({lexicon.digest[:12] or 'no digest'})")
    parts.append(f"wildcli {__version__}")
    return "".join(f"<span>{escape(p)}</span>" for p in parts)


def _charts(findings: Sequence[Finding]) -> str:
    by = {
        "concept": Counter(f.concept for f in findings),
        "severity": Counter(f.severity.value for f in findings),
        "lang": Counter(f.lang for f in findings),
        "field": Counter(f.field or "" for f in findings),
    }
    terms = Counter((f.term, f.lang) for f in findings)
    items = {
        "concept": _top(by["concept"]),
        "q": [(f"{t} ({lang})", n, t) for (t, lang), n in _top(terms)],
        "severity": [(k, by["severity"][k]) for k in _SEVERITY_ORDER if by["severity"][k]],
        "lang": _top(by["lang"]),
        "field": _top(by["field"]),
    }
    counters: dict[str, Counter[Any]] = {"q": terms, **by}
    colors = {"severity": SEVERITY_COLORS}
    cards = [
        _card(id_, heading, _bars(items[key], key, width, colors.get(key)), counters[key])
        for id_, heading, key, width in CHARTS
    ]
    return (
        f'<section class="charts two">{"".join(cards[:2])}</section>\n'
        f'<section class="charts three">{"".join(cards[2:])}</section>'
    )


def _top(counter: Counter[Any], limit: int = BARS) -> list[Any]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]


def _card(chart_id: str, heading: str, svg: str, counter: Counter[Any]) -> str:
    hidden = len(counter) - BARS
    note = f'<div class="more-note">and {hidden} more</div>' if hidden > 0 else ""
    total = sum(counter.values())
    return (
        f'<section class="card" id="{chart_id}"><h2>{escape(heading)}<small>{total:,} findings'
        f"</small></h2>{svg}{note}</section>"
    )


def _bars(
    items: Sequence[tuple[Any, ...]], key: str, width: int, colors: dict[str, str] | None = None
) -> str:
    """A horizontal bar chart `width` pixels wide (never scaled up, so text keeps its size);
    each bar filters the table when clicked (data-filter/data-value)."""
    if not items:
        return '<p class="sub">No findings.</p>'
    label_w, row_h = (170 if width > 400 else 120), 24
    bar_w = width - label_w - 50
    chars = 24 if width > 400 else 16
    peak = max(int(item[1]) for item in items)
    height = row_h * len(items) + 4
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(key)} chart">'
    ]
    for i, item in enumerate(items):
        label, count = str(item[0]) or "(none)", int(item[1])
        value = str(item[2]) if len(item) > 2 else str(item[0])
        y = i * row_h + 2
        w = max(2.0, bar_w * count / peak)
        color = (colors or {}).get(label, ACCENT)
        short = label if len(label) <= chars else label[: chars - 1] + "…"
        parts.append(
            f'<g class="bar" tabindex="0" role="button" data-filter="{escape(key)}" '
            f'data-value="{escape(value)}"><title>{escape(label)}: {count:,} findings</title>'
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
            f'<rect class="track" x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" rx="3"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="16" rx="3" fill="{color}"/>'
            f'<text class="value" x="{label_w + bar_w + 8}" y="{y + 15}">{count:,}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{css}</style>
<script>{errors_js}</script>
</head>
<body>
<header><h1>{title}</h1><div class="meta">{meta}</div></header>
<main>
<div id="js-errors" hidden></div>
<noscript><p>The counts and the findings table need JavaScript; the charts below do not.</p></noscript>
<section class="kpis">
<div class="kpi"><div class="label">Records scanned</div><div class="value" id="kpi-records">–</div>
<div class="sub" id="kpi-files"></div></div>
<div class="kpi"><div class="label">Records with findings</div><div class="value" id="kpi-flagged">–</div>
<div class="sub" id="kpi-flagged-share"></div></div>
<div class="kpi"><div class="label">Findings</div><div class="value" id="kpi-findings">–</div>
<div class="sub" id="kpi-concepts"></div></div>
<div class="kpi block"><div class="label">Block</div><div class="value" id="kpi-block">–</div>
<div class="sub">platforms should remove</div></div>
<div class="kpi review"><div class="label">Review</div><div class="value" id="kpi-review">–</div>
<div class="sub" id="kpi-monitor"></div></div>
</section>
{charts}
<section class="card" id="findings">
<h2>Findings<small>click a bar above to filter; the address keeps the filter</small></h2>
<div class="filters">
<input id="search" type="search" placeholder="Search record, term, text…" aria-label="Search findings">
<select id="f-severity" aria-label="Severity"><option value="">All severities</option></select>
<select id="f-concept" aria-label="Concept"><option value="">All concepts</option></select>
<select id="f-lang" aria-label="Language"><option value="">All languages</option></select>
<select id="f-field" aria-label="Field"><option value="">All fields</option></select>
<button id="reset" type="button">Reset</button>
</div>
<p id="shown-count"></p>
<p class="sub" id="truncated"></p>
<table>
<colgroup><col class="c-sev"><col class="c-rec"><col class="c-field"><col class="c-concept">
<col class="c-term"><col class="c-evidence"><col class="c-method"></colgroup>
<thead><tr><th>Severity</th><th>Record</th><th>Field</th><th>Concept</th><th>Term</th><th>Evidence</th>
<th>Method</th></tr></thead>
<tbody id="rows"></tbody>
</table>
<p id="empty" class="sub" hidden>No finding matches these filters.</p>
<button id="more" type="button" hidden>Show more</button>
</section>
</main>
<footer>wildcli {version} · self-contained report: no network access, listing text is shown as text
only</footer>
<script type="application/json" id="wildcli-data">{data}</script>
<script>{app_js}</script>
</body>
</html>
"""
