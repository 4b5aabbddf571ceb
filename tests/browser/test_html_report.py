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


def chart_bars(dom: str, chart: str) -> list[tuple[str, str]]:
    """(label, count) of each bar of one chart card, as the page shows them."""
    card = re.search(rf'<section class="card" id="{chart}">(.*?)</section>', dom, re.S)
    assert card, chart
    bars = re.findall(r'text-anchor="end"[^>]*>([^<]*)</text>.*?class="value"[^>]*>([^<]*)</text>', card.group(1), re.S)
    return [(html.unescape(label), count) for label, count in bars]


def card_total(dom: str, chart: str) -> str:
    match = re.search(rf'id="{chart}"><h2>[^<]*<small>([^<]*)</small>', dom)
    assert match, chart
    return match.group(1)


def test_cards_and_charts_follow_the_filters(report: Path) -> None:
    dom, log = dump_dom(report)
    assert chart_bars(dom, "chart-lang") == [("en", "3"), ("vi", "1"), ("zh-Hans", "1")]
    dom, log = dump_dom(report, "#lang=vi")
    assert ":CONSOLE" not in log
    assert re.search(r'<div id="js-errors" hidden="">\s*</div>', dom)
    assert len(body_rows(dom)) == 1
    # The cards count what the filters let through...
    assert text_of(dom, "kpi-records") == str(len(LISTINGS))  # scanned: not a filter's business
    assert (text_of(dom, "kpi-flagged"), text_of(dom, "kpi-flagged-share")) == ("1", "20.0% of records")
    assert (text_of(dom, "kpi-findings"), text_of(dom, "kpi-concepts")) == ("1", "1 concept, 1 language")
    assert (text_of(dom, "kpi-block"), text_of(dom, "kpi-review")) == ("1", "0")
    # ... and so do the charts.
    assert chart_bars(dom, "chart-lang") == [("vi", "1")]
    assert chart_bars(dom, "chart-terms") == [("ngà voi (vi)", "1")]
    assert chart_bars(dom, "chart-severity") == [("block", "1")]
    assert card_total(dom, "chart-field") == "1 finding"
    assert 'data-filter="q" data-value="ngà voi"' in dom  # a redrawn bar still filters
    dom, _ = dump_dom(report, "#severity=review")
    assert chart_bars(dom, "chart-terms") == [("bovine bone (en)", "1"), ("ivory (en)", "1")]
    assert (text_of(dom, "kpi-findings"), text_of(dom, "kpi-block")) == ("2", "0")


def measure_fields(page: Path) -> list[tuple[str, list[int]]]:
    """Each field cell's text and where its lines break, measured in Chromium over the DevTools
    protocol: the characters whose box starts a new line."""
    sync_client = pytest.importorskip("websockets.sync.client")
    import time
    import urllib.request

    profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=page.parent))
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1300,900", page.as_uri(),
    ]  # fmt: skip
    browser = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        while not port_file.exists() or not port_file.read_text().strip():
            time.sleep(0.05)  # the test's timeout bounds the wait
        port = port_file.read_text().split()[0]
        while True:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
                pages = [t for t in json.load(answer) if t["type"] == "page" and t["url"].startswith("file:")]
            if pages:
                break
            time.sleep(0.05)
        measure = """new Promise(function (done) { (function wait() {
          if (!document.body || !document.body.getAttribute("data-ready")) return setTimeout(wait, 50);
          done(Array.prototype.map.call(document.querySelectorAll("td.field"), function (td) {
            var walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT), node, at = 0, top = null, breaks = [];
            while ((node = walker.nextNode())) {
              for (var i = 0; i < node.length; i++, at++) {
                var range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
                var y = range.getBoundingClientRect().top;
                if (top !== null && y > top + 1) breaks.push(at);
                top = y;
              }
            }
            return [td.textContent, breaks];
          }));
        })(); })"""
        with sync_client.connect(pages[0]["webSocketDebuggerUrl"], max_size=None) as ws:
            params = {"expression": measure, "awaitPromise": True, "returnByValue": True}
            for attempt in range(1, 100):
                ws.send(json.dumps({"id": attempt, "method": "Runtime.evaluate", "params": params}))
                reply = json.loads(ws.recv())
                while reply.get("id") != attempt:
                    reply = json.loads(ws.recv())
                if "result" in reply:
                    return [(text, breaks) for text, breaks in reply["result"]["result"]["value"]]
                # The page was still replacing the blank one it opened with: ask it again.
                assert "context was destroyed" in reply["error"]["message"], reply
                time.sleep(0.1)
            raise AssertionError("the page never answered")
    finally:
        browser.kill()
        browser.wait()


def test_field_names_wrap_at_their_separators_never_inside_a_word(tmp_path: Path) -> None:
    rows = [{"id": "F1", "user_description": "carved ivory netsuke", "seller.profile.about_me_text": "elephant ivory tusk"}]
    dump = tmp_path / "fields.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    page = tmp_path / "fields.html"
    assert run("scan", str(dump), "--format", "html", "--output", str(page), *FIXTURE).exit_code == 0
    cells = measure_fields(page)
    assert sorted(text for text, _ in cells) == ["seller.profile.about_me_text", "user_description"]
    assert any(breaks for _, breaks in cells), "no field name was long enough to wrap"
    for text, breaks in cells:
        assert all(text[i - 1] in "._-/" for i in breaks), (text, [text[:i] + "|" + text[i:] for i in breaks])
