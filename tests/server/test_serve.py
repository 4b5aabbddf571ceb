"""`wildcli serve` as a platform runs it: a real server process on a loopback port, over HTTP.

Health, check and batch, the identity of its findings with `wildcli check --json` on the
labelled query set, bad bodies and limits, tokens, a reload while requests keep coming, and a
clean stop on SIGINT with a request in flight.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from tests.cli.helpers import run
from tests.conftest import DATA, ROOT, VALID_LEXICON
from tests.server.support import Server, running, wait_for
from wildcli.server.openapi import body_schema

TOKEN = "t0ken-for-tests"
LABELLED = DATA / "queries" / "dev.tsv"
NEW_TERM = """  - term: mammoth tusk
    kind: name
    status: approved
    sources:
      - title: Fixture source
        url: https://example.org/a
        year: 2022
    added: "2026-11-29"
"""


def labelled_queries() -> list[str]:
    return [line.split("\t")[0] for line in LABELLED.read_text("utf-8").splitlines()[1:] if line]


def conforms(body: Any, definition: str) -> None:
    """`body` is valid against `definition` of the service's JSON Schema."""
    schema = {**body_schema(), "$ref": f"#/$defs/{definition}"}
    Draft202012Validator(schema).validate(body)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The bundled lexicon, a token, a small body limit."""
    folder = tmp_path_factory.mktemp("serve")
    tokens = folder / "tokens"
    tokens.write_text(f"# the accepted tokens\nanother-token\n{TOKEN}\n", "utf-8")
    with running(folder, "--token-file", str(tokens), "--max-body", "65536", "--max-batch", "1000",
                 token=TOKEN) as started:  # fmt: skip
        yield started


def small_lexicon(folder: Path) -> Path:
    lexicon = folder / "lexicon"
    shutil.copytree(VALID_LEXICON, lexicon)
    return lexicon


# --- health, check, batch -------------------------------------------------------------------


def test_health_and_readiness_need_no_token(server: Server) -> None:
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{server.url}/readyz").json()
    conforms(ready, "Ready")
    assert ready["status"] == "ready"
    assert ready["stale"] is False
    assert len(ready["lexicon"]["digest"]) == 64


def test_check_one_query(server: Server) -> None:
    with server.client() as client:
        answer = client.post("/v1/check", json={"query": "Bán vòng ngà voi thật, ib giá"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["server-timing"].startswith("app;dur=")
    body = answer.json()
    conforms(body, "CheckResponse")
    assert body["action"] == "block"
    (finding,) = body["findings"]
    assert (finding["term"], finding["start"], finding["end"], finding["method"]) == ("ngà voi", 9, 16, "exact")
    lexicon = client_get(server, "/v1/lexicon")
    conforms(lexicon, "LexiconResponse")
    assert body["lexicon"] == {"version": lexicon["version"], "digest": lexicon["digest"]}
    assert lexicon["counts"]["terms"] > 1000


def test_check_a_batch_keeps_order_and_allows_the_innocent(server: Server) -> None:
    queries = ["ivory wedding dress", "carved ivory netsuke", "", "i.v.o.r.y bangle", "象牙 出售"]
    with server.client() as client:
        body = client.post("/v1/check", json={"queries": queries}).json()
        empty = client.post("/v1/check", json={"queries": []}).json()
    conforms(body, "BatchResponse")
    assert [r["action"] for r in body["results"]] == ["allow", "block", "allow", "warn", "block"]
    assert body["results"][3]["findings"][0]["method"] == "separated"
    assert empty["results"] == []


def client_get(server: Server, path: str) -> Any:
    with server.client() as client:
        answer = client.get(path)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_findings_are_those_of_check_json_on_the_labelled_set(server: Server, tmp_path: Path) -> None:
    """Every query of the labelled set, one at a time and as batches: the same action and the
    same findings, field for field, as `wildcli check --file --json` (whose findings also say
    where the query was: file, row, count) and as `wildcli check TEXT --json`."""
    queries = labelled_queries()
    listing = tmp_path / "queries.txt"
    listing.write_text("\n".join(queries) + "\n", "utf-8")
    cli = subprocess.run([sys.executable, "-m", "wildcli", "check", "--file", str(listing), "--json"],
                         capture_output=True, text=True, cwd=ROOT, check=False)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    expected = [json.loads(line) for line in cli.stdout.splitlines()]
    assert [e["query"] for e in expected] == queries
    for entry in expected:
        for finding in entry["findings"]:
            finding.update(source=None, record=None, row=None, field=None)
            del finding["count"]
    with server.client() as client:
        batched = [r for i in range(0, len(queries), 250)
                   for r in client.post("/v1/check", json={"queries": queries[i:i + 250]}).json()["results"]]
        singles = [client.post("/v1/check", json={"query": q}).json() for q in queries]
    for query, want, got, alone in zip(queries, expected, batched, singles, strict=True):
        assert (got["action"], got["findings"]) == (want["action"], want["findings"]), query
        assert (alone["action"], alone["findings"]) == (want["action"], want["findings"]), query
        assert [list(f) for f in got["findings"]] == [list(f) for f in want["findings"]]  # the field order too
    matched = sum(1 for e in expected if e["findings"])
    assert 200 < matched < len(queries)  # both kinds of query were compared
    by_text = dict(zip(queries, singles, strict=True))
    with server.client() as client:
        for query in (queries[0], "vòng ngà voi", "i.v.o.r.y bracelet", "ｉｖｏｒｙ　ｃｈｏｐｓｔｉｃｋｓ"):
            alone = by_text.get(query) or client.post("/v1/check", json={"query": query}).json()
            assert alone["findings"] == json.loads(run("check", query, "--json").stdout)


# --- bad requests and limits ----------------------------------------------------------------


@pytest.mark.parametrize(("body", "status", "code"), [
    (b'{"query": "ivory', 400, "bad_json"),
    (b"", 400, "bad_json"),
    (b'{"query": "\\ud800"}', 400, "bad_json"),
    (b'"ivory"', 422, "invalid_request"),
    (b'{"query": 3}', 422, "invalid_request"),
    (b'{"qeury": "ivory"}', 422, "invalid_request"),
    (b'{"query": "a", "queries": ["b"]}', 422, "invalid_request"),
    (b'{"queries": ["a", null]}', 422, "invalid_request"),
    (b'{"queries": "ivory"}', 422, "invalid_request"),
])
def test_bad_bodies_get_one_line_errors(server: Server, body: bytes, status: int, code: str) -> None:
    with server.client() as client:
        answer = client.post("/v1/check", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == status
    conforms(answer.json(), "Error")
    assert answer.json()["error"]["code"] == code
    assert "\n" not in answer.json()["error"]["message"]


def test_oversized_bodies_and_batches_are_refused(server: Server) -> None:
    big = json.dumps({"query": "ivory " * 20_000}).encode()
    too_many = {"queries": ["ivory"] * 1001}
    too_long = {"queries": ["ivory", "ivory " * 1000]}

    def chunks() -> Iterator[bytes]:  # no content-length: the server counts as it reads
        yield b'{"query": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    with server.client() as client:
        declared = client.post("/v1/check", content=big, headers={"content-type": "application/json"})
        streamed = client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
        batch = client.post("/v1/check", json=too_many)
        long = client.post("/v1/check", json=too_long)
        after = client.post("/v1/check", json={"query": "ivory"})
    assert (declared.status_code, declared.json()["error"]["code"]) == (413, "body_too_large")
    assert (streamed.status_code, streamed.json()["error"]["code"]) == (413, "body_too_large")
    assert (batch.status_code, batch.json()["error"]["code"]) == (413, "batch_too_long")
    assert (long.status_code, long.json()["error"]["code"]) == (413, "query_too_long")
    assert after.status_code == 200


def test_unknown_paths_and_methods(server: Server) -> None:
    with server.client() as client:
        assert client.get("/nope").json()["error"]["code"] == "not_found"
        assert client.get("/v1/check").status_code == 405


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Bearer", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_wrong_or_missing_tokens_are_refused(server: Server, header: str | None) -> None:
    headers = {"authorization": header} if header is not None else {}
    for method, path in (("POST", "/v1/check"), ("GET", "/v1/lexicon"), ("GET", "/metrics")):
        answer = httpx.request(method, f"{server.url}{path}", headers=headers, json={"query": "ivory"})
        assert answer.status_code == 401, (path, header)
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["error"]["code"] == "unauthorized"
    other = httpx.post(f"{server.url}/v1/check", json={"query": "x"}, headers={"authorization": "Bearer another-token"})
    assert other.status_code == 200


# --- metrics, OpenAPI, logs -----------------------------------------------------------------


def test_metrics_count_requests_and_time_them_per_action(server: Server) -> None:
    with server.client() as client:
        client.post("/v1/check", json={"query": "rhino horn for sale"})
        client.post("/v1/check", json={"query": "garden chair"})
        page = client.get("/metrics")
    assert page.headers["content-type"].startswith("text/plain")
    text = page.text
    assert 'wildcli_check_requests_total{action="block",kind="single"}' in text
    assert 'wildcli_check_duration_seconds_bucket{action="allow",kind="single",le="0.001"}' in text
    assert 'wildcli_http_requests_total{route="/v1/check",status="200"}' in text
    assert "wildcli_lexicon_stale 0.0" in text
    blocked = next(line for line in text.splitlines() if line.startswith('wildcli_check_queries_total{action="block"}'))
    assert float(blocked.split()[-1]) >= 1


def test_openapi_document_and_schema(server: Server) -> None:
    document = client_get(server, "/openapi.json")
    assert document["openapi"].startswith("3.1")
    assert {"/v1/check", "/v1/lexicon", "/healthz", "/readyz", "/metrics"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    refs = [part.split('"')[0] for part in json.dumps(document).split('"$ref": "#/components/schemas/')[1:]]
    assert refs
    assert all(ref in schemas for ref in refs)
    assert client_get(server, "/v1/schema") == body_schema()


def test_logs_are_json_and_never_hold_the_queries(server: Server) -> None:
    with server.client() as client:
        client.post("/v1/check", json={"query": "private search: tiger bone wine"})
    lines = wait_for(lambda: [e for e in server.log_lines() if e.get("msg") == "request"], what="request lines")
    assert {"ts", "level", "route", "status", "ms"} <= set(lines[-1])
    assert "tiger bone wine" not in server.log.read_text("utf-8")
    assert "ngà voi" not in server.log.read_text("utf-8")


# --- reloads, shutdown ----------------------------------------------------------------------


def test_lexicon_reloads_while_requests_keep_coming(tmp_path: Path) -> None:
    """Edit the lexicon under a steady stream of requests: it is swapped in and no request
    fails; a broken edit keeps the previous lexicon and /readyz says so; SIGHUP reloads too."""
    lexicon = small_lexicon(tmp_path)
    english = lexicon / "ivory" / "en.yaml"
    original = english.read_text("utf-8")
    with running(tmp_path, "--no-bundled", "--lexicon", str(lexicon), "--watch", "0.1") as server:
        failures: list[str] = []
        sent = [0]
        stop = threading.Event()

        def load() -> None:
            with server.client() as client:
                while not stop.is_set():
                    try:
                        answer = client.post("/v1/check", json={"queries": ["carved ivory netsuke", "mammoth tusk"]})
                        if answer.status_code != 200:
                            failures.append(f"{answer.status_code} {answer.text}")
                    except httpx.HTTPError as error:
                        failures.append(repr(error))
                    sent[0] += 1

        def action_of(query: str) -> str:
            with server.client() as client:
                result: str = client.post("/v1/check", json={"query": query}).json()["action"]
                return result

        def ready() -> dict[str, Any]:
            body: dict[str, Any] = httpx.get(f"{server.url}/readyz").json()
            return body

        threads = [threading.Thread(target=load) for _ in range(2)]
        for thread in threads:
            thread.start()
        try:
            assert action_of("mammoth tusk") == "allow"
            first = ready()["lexicon"]["digest"]
            english.write_text(original + NEW_TERM, "utf-8")
            wait_for(lambda: action_of("mammoth tusk") == "warn", what="the new term")
            second = ready()
            assert second["lexicon"]["digest"] != first
            assert second["reloads"] == 1
            assert not second["stale"]

            english.write_text("terms: [broken", "utf-8")
            stale = wait_for(lambda: ready()["stale"] and ready(), what="the refused reload")
            conforms(stale, "Ready")
            assert stale["lexicon"] == second["lexicon"]
            assert any("invalid YAML" in p and "en.yaml" in p for p in stale["refused"]["problems"])
            assert action_of("mammoth tusk") == "warn"  # still the previous lexicon

            english.write_text(original, "utf-8")
            wait_for(lambda: not ready()["stale"] and action_of("mammoth tusk") == "allow", what="the repair")
            before = ready()["reloads"]
            server.process.send_signal(signal.SIGHUP)
            wait_for(lambda: ready()["reloads"] == before + 1, what="the reload on SIGHUP")
        finally:
            stop.set()
            for thread in threads:
                thread.join(30)
        assert failures == []
        assert sent[0] > 50
        messages = [e["msg"] for e in server.log_lines()]
        assert "lexicon reloaded" in messages
        assert "lexicon reload refused: the previous lexicon is kept" in messages
        assert server.stop() == 0


def test_sigint_finishes_the_request_in_flight_then_exits_0(tmp_path: Path) -> None:
    """Also: a body that arrives too slowly gets a 408, and --log-queries logs the texts."""
    lexicon = small_lexicon(tmp_path)
    with running(tmp_path, "--no-bundled", "--lexicon", str(lexicon), "--timeout", "1", "--watch", "0",
                 "--log-queries") as server:  # fmt: skip
        host, port = server.url.removeprefix("http://").split(":")
        body = json.dumps({"query": "carved ivory netsuke"}).encode()
        head = (f"POST /v1/check HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()  # fmt: skip

        with socket.create_connection((host, int(port)), timeout=10) as slow:
            slow.sendall(head + body[:5])
            status, late = read_answer(slow)  # answered once the time limit is over
        assert (status, late["error"]["code"]) == (408, "timeout")

        with socket.create_connection((host, int(port)), timeout=10) as gone:
            gone.sendall(head + body[:5])  # and leaves
        wait_for(lambda: any(e.get("error") == "invalid_request" for e in server.log_lines()), what="the log line")

        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(head + body[:10])
            time.sleep(0.2)
            server.process.send_signal(signal.SIGINT)
            time.sleep(0.3)
            conn.sendall(body[10:])
            status, answer = read_answer(conn)
        assert status == 200
        assert answer["findings"]
        assert server.process.wait(20) == 0
        log = server.log_lines()
        assert not [e for e in log if "frames" in e or e["level"] == "error"]  # no exception, nothing failed
        assert any(e.get("texts") == ["carved ivory netsuke"] for e in log)


def read_answer(conn: socket.socket) -> tuple[int, Any]:
    """The status and JSON body of one HTTP/1.1 answer read off a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536) or b"\r\n\r\n"
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = conn.recv(65536)
        assert chunk, "the connection closed before the whole answer"
        body += chunk
    return int(head.split(b" ")[1]), json.loads(body)


def test_workers_share_the_port_reload_on_sighup_and_add_up_metrics(tmp_path: Path) -> None:
    lexicon = small_lexicon(tmp_path)
    with running(tmp_path, "--no-bundled", "--lexicon", str(lexicon), "--workers", "2", "--watch", "0") as server:
        with server.client() as client:
            for _ in range(20):
                assert client.post("/v1/check", json={"query": "carved ivory netsuke"}).json()["action"] == "warn"

        def both_loaded() -> bool:  # /readyz is answered by one ready worker while the other may still start
            page = httpx.get(f"{server.url}/metrics").text
            return sum(x.startswith("wildcli_lexicon_info{") and x.endswith(" 1.0") for x in page.splitlines()) == 2

        wait_for(both_loaded, what="both workers' lexicons")
        server.process.send_signal(signal.SIGHUP)

        def reloaded() -> bool:
            page = httpx.get(f"{server.url}/metrics").text
            line = next(x for x in page.splitlines() if x.startswith('wildcli_lexicon_reloads_total{outcome="ok"}'))
            return float(line.split()[-1]) == 2.0  # one reload in each worker

        wait_for(reloaded, what="a reload in both workers")
        page = httpx.get(f"{server.url}/metrics").text
        line = next(x for x in page.splitlines() if x.startswith('wildcli_check_queries_total{action="warn"}'))
        assert float(line.split()[-1]) == 20.0  # counted in whichever worker answered, added up
        assert server.stop(signal.SIGTERM) == 0
