"""The HTML report in a real headless Chromium: counts rendered by its script, filtering from the
address, no console errors, and nothing from the listings ever runs."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.cli.helpers import FIXTURE, run

CHROMIUM = Path(os.environ.get("WILDCLI_CHROMIUM", "/usr/bin/chromium"))
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} not found: apt-get install chromium (.ci/run installs it)"
)

PWN_SCRIPT = "<script>document.body.setAttribute('data-pwned','script')</script>"
PWN_IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
LISTINGS = [
    {"id": "H1", "title": f"{PWN_SCRIPT} carved ivory netsuke, dm for price", "description": PWN_IMG},
    {"id": "H2", "title": "elephant ivory tusk", "description": f"bovine bone comb {PWN_IMG}"},
    {"id": "V1", "title": "Bán vòng ngà voi thật", "description": "ib giá"},
    {"id": "Z1", "title": "出售老象牙手镯", "description": "包邮"},
    {"id": "N1", "title": "jade bangle", "description": "ships fast"},
]
EXPECTED_FINDINGS = 5  # ivory (H1), elephant ivory + bovine bone (H2), ngà voi, 象牙


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    dump = root / "hostile.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in LISTINGS), "utf-8")
    out = root / "report.html"
    result = run("scan", str(dump), "--format", "html", "--output", str(out), *FIXTURE)
    assert result.exit_code == 0, result.stderr
    return out


def dump_dom(page: Path, fragment: str = "") -> tuple[str, str]:
    """The DOM after the page's scripts ran, and Chromium's log (console messages included)."""
    profile = tempfile.mkdtemp(prefix="chromium-", dir=page.parent)  # a fresh profile per run
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        "--dump-dom", page.as_uri() + fragment,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, result.stderr


def text_of(dom: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', dom)
    assert match, element_id
    return html.unescape(match.group(1))


def body_rows(dom: str) -> list[str]:
    match = re.search(r'<tbody id="rows" data-count="(\d+)">(.*?)</tbody>', dom, re.S)
    assert match
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(2), re.S)
    assert int(match.group(1)) == len(rows)
    return rows


def test_report_renders_its_counts_without_errors(report: Path) -> None:
    dom, log = dump_dom(report)
    assert 'data-ready="1"' in dom
    assert ":CONSOLE" not in log, [line for line in log.splitlines() if ":CONSOLE" in line]
    assert re.search(r'<div id="js-errors" hidden="">\s*</div>', dom)
    assert text_of(dom, "kpi-records") == str(len(LISTINGS))
    assert text_of(dom, "kpi-flagged") == "4"
    assert text_of(dom, "kpi-findings") == str(EXPECTED_FINDINGS)
    assert len(body_rows(dom)) == EXPECTED_FINDINGS
    assert text_of(dom, "shown-count") == f"Showing {EXPECTED_FINDINGS} of {EXPECTED_FINDINGS} matching findings ({EXPECTED_FINDINGS} in the table)"


def test_listing_markup_is_shown_as_text_and_never_runs(report: Path) -> None:
    dom, _ = dump_dom(report)
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert dom.count("<script") == 3
    assert "<img" not in dom
    # The hostile title is in the table, as text, with the match highlighted.
    row = next(r for r in body_rows(dom) if "H1" in r)
    assert "script')&lt;/script&gt; carved </span><mark>ivory</mark><span> netsuke" in row


def test_search_and_filters_from_the_address_narrow_the_table(report: Path) -> None:
    dom, log = dump_dom(report, "#q=" + "ngà voi".replace(" ", "%20"))
    assert ":CONSOLE" not in log
    rows = body_rows(dom)
    assert len(rows) == 1
    assert "V1" in rows[0]
    assert 'value="ngà voi"' in dom or text_of(dom, "shown-count").startswith("Showing 1 of 1 ")
    dom, _ = dump_dom(report, "#severity=review")
    rows = body_rows(dom)
    assert [("H1" in r, "<mark>bovine bone</mark>" in r) for r in rows] == [(True, False), (False, True)]
