"""The HTML report as a file: self-contained, escaped, counted, and reachable from `scan`."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

from tests.cli.helpers import FIXTURE, run
from wildcli.lexicon import Lexicon
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.readers import Record
from wildcli.reports.html import render_html
from wildcli.scanning.local import ScanSummary, scan_records

HOSTILE = '<script>alert(1)</script> Carved ivory netsuke "><img src=x onerror=alert(2)> dm for price'


def findings_of(lexicon: Lexicon, rows: list[dict[str, str]]) -> tuple[list[Finding], ScanSummary]:
    summary = ScanSummary()
    records = [Record("dump.jsonl", i + 1, r.pop("id"), r) for i, r in enumerate(rows)]
    return list(scan_records(records, Matcher(lexicon), summary)), summary


def embedded(page: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="wildcli-data">(.*?)</script>', page, re.S)
    assert match
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_listing_text_cannot_break_out_of_the_page(fixture_lexicon: Lexicon) -> None:
    rows = [{"id": "<b>id</b>", "title": HOSTILE, "<svg onload=alert(3)>": "elephant ivory tusk"}]
    findings, summary = findings_of(fixture_lexicon, rows)
    assert {f.field for f in findings} == {"title", "<svg onload=alert(3)>"}
    page = render_html(findings, summary, sources=["<i>dump</i>.jsonl"])
    # Only our own three script elements; listing text never appears as markup.
    assert page.count("<script") == 3
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>id</b>", "<i>dump</i>"):
        assert raw not in page
    # The field name reaches the charts escaped, and the data intact after JSON.parse.
    assert "&lt;svg onload=alert(3)&gt;" in page
    data = embedded(page)
    rows_out = data["rows"]
    assert isinstance(rows_out, list)
    assert any(HOSTILE[:30] in "".join(str(v) for v in row) for row in rows_out)


def test_page_is_self_contained_and_its_scripts_are_pinned_by_hash(fixture_lexicon: Lexicon) -> None:
    findings, summary = findings_of(fixture_lexicon, [{"id": "1", "title": "elephant ivory tusk"}])
    page = render_html(findings, summary)
    assert not re.search(r'\b(?:src|href)\s*=|@import|url\(|https?://', page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp
    assert "default-src 'none'" in csp.group(1)
    for body in re.findall(r"<script>(.*?)</script>", page, re.S) + re.findall(r"<style>(.*?)</style>", page, re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.group(1)


def test_counts_charts_and_order(fixture_lexicon: Lexicon) -> None:
    rows = [
        {"id": "a", "title": "elephant ivory tusk", "description": "bovine bone comb"},
        {"id": "b", "title": "Bán vòng ngà voi thật"},
        {"id": "c", "title": "jade bangle"},
    ]
    findings, summary = findings_of(fixture_lexicon, rows)
    page = render_html(findings, summary)
    data = embedded(page)
    assert data["summary"] == {
        "records": 3, "records_with_findings": 2, "findings": 3, "concepts": 1, "languages": 2,
        "by_severity": {"block": 2, "review": 1, "monitor": 0},
    }
    severities = [row[0] for row in data["rows"]]  # type: ignore[union-attr]
    assert severities == ["block", "block", "review"]
    for chart in ("chart-concept", "chart-severity", "chart-lang", "chart-field", "chart-terms"):
        assert f'id="{chart}"' in page
    assert 'data-filter="concept" data-value="ivory"' in page
    assert 'data-filter="q" data-value="bovine bone"' in page
    assert render_html(findings, summary) == page  # deterministic


def test_table_is_capped_but_counts_cover_everything(fixture_lexicon: Lexicon) -> None:
    findings, summary = findings_of(fixture_lexicon, [{"id": "1", "title": "elephant ivory tusk"}])
    many = [replace(findings[0], row=i) for i in range(30)]
    data = embedded(render_html(many, summary, max_rows=10))
    assert len(data["rows"]) == 10  # type: ignore[arg-type]
    assert data["truncated"] is True
    assert data["summary"]["findings"] == 30  # type: ignore[index]


def test_scan_writes_the_report_with_format_html(tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"id": "L1", "title": "elephant ivory tusk"}) + "\n", "utf-8")
    out = tmp_path / "report.html"
    result = run("scan", str(dump), "--format", "html", "--output", str(out), *FIXTURE)
    assert result.exit_code == 0, result.stderr
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert embedded(page)["summary"]["records"] == 1  # type: ignore[index]
    assert "Source: d.jsonl" in page


def test_evidence_is_cut_at_words_as_the_table_cuts_it(fixture_lexicon: Lexicon) -> None:
    text = ("Grandmother's collection of hand carved miniature figurines: carved ivory netsuke "
            "of a sleeping cat, signed underneath, excellent condition overall")  # fmt: skip
    findings, summary = findings_of(fixture_lexicon, [{"id": "1", "title": text}])
    data = embedded(render_html(findings, summary))
    columns = list(data["columns"])  # type: ignore[call-overload]
    row = data["rows"][0]  # type: ignore[index]
    before, after = row[columns.index("before")], row[columns.index("after")]
    assert (before, after) == ("…carved miniature figurines: carved ", " netsuke of a sleeping cat, signed…")
    # The charts the script draws again under a filter are described to it.
    assert [c["key"] for c in data["charts"]] == ["concept", "q", "severity", "lang", "field"]  # type: ignore[attr-defined]
