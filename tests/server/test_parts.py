"""The service's parts in this process: options, tokens, the request reader, the schema, the log
format, and `wildcli serve` refusing to start (no extra, a broken lexicon, no token file)."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import VALID_LEXICON
from wildcli.errors import InputError
from wildcli.lexicon.actions import Action
from wildcli.lexicon.model import Kind, Severity
from wildcli.match.findings import Method
from wildcli.match.matcher import Matcher
from wildcli.server import checking
from wildcli.server.checking import ApiError
from wildcli.server.logs import JsonFormatter
from wildcli.server.openapi import body_schema
from wildcli.server.options import ServeOptions, read_tokens


def test_options_travel_to_workers_unchanged() -> None:
    options = ServeOptions(lexicons=("a", "b"), with_bundled=False, min_severity=Severity.REVIEW,
                           token_file="t", max_body=100, max_batch=5, max_query=7, timeout=0.5, watch=0,
                           log_queries=True, vetted_digest="d")  # fmt: skip
    assert ServeOptions.from_environment(options.to_environment()) == options


def test_tokens_file(tmp_path: Path) -> None:
    path = tmp_path / "tokens"
    path.write_text("# comment\n\n  one  \ntwo\n", "utf-8")
    assert read_tokens(str(path)) == ("one", "two")
    for text, message in (("# only a comment\n", "holds no token"), ("tök\n", "printable ASCII")):
        path.write_text(text, "utf-8")
        with pytest.raises(InputError, match=message):
            read_tokens(str(path))
    with pytest.raises(InputError, match="cannot read the token file"):
        read_tokens(str(tmp_path / "missing"))


@pytest.mark.parametrize(("body", "queries", "batch"), [
    (b'{"query": "ivory"}', ["ivory"], False),
    (b'{"queries": ["a", "b"]}', ["a", "b"], True),
    (b'{"queries": []}', [], True),
])
def test_request_shapes(body: bytes, queries: list[str], batch: bool) -> None:
    assert checking.read_queries(body, 10, 100) == (queries, batch)


@pytest.mark.parametrize(("body", "code"), [
    (b'{"queries": ["a", "b", "c"]}', "batch_too_long"),
    (b'{"queries": ["a", "bbbbb"]}', "query_too_long"),
    (b'{"query": "bbbbb"}', "query_too_long"),
])
def test_limits(body: bytes, code: str) -> None:
    with pytest.raises(ApiError) as refused:
        checking.read_queries(body, 2, 4)
    assert (refused.value.status, refused.value.code) == (413, code)


def test_a_batch_is_judged_in_chunks_as_find_judges_each_query(fixture_matcher: Matcher) -> None:
    queries = ["carved ivory netsuke", "garden chair", "x" * 9000, "bán ngà voi"] * 80
    found = asyncio.run(checking.judge(fixture_matcher, queries, time.perf_counter() + 60))
    assert found == [fixture_matcher.find(q) for q in queries]
    with pytest.raises(ApiError) as late:
        asyncio.run(checking.judge(fixture_matcher, queries, time.perf_counter() - 1))
    assert (late.value.status, late.value.code) == (503, "timeout")


def test_answers_escape_what_a_viewer_would_act_on() -> None:
    encoded = checking.encode({"after": "a\u202eb\u2028"})
    assert encoded == b'{"after":"a\\u202eb\\u2028"}'


def test_schema_enums_are_the_code_enums() -> None:
    defs = body_schema()["$defs"]
    finding = defs["Finding"]["properties"]
    assert finding["kind"]["enum"] == [k.value for k in Kind]
    assert finding["method"]["enum"] == [m.value for m in Method]
    assert set(finding["severity"]["enum"]) == {s.value for s in Severity}
    assert set(defs["Action"]["enum"]) == {a.value for a in Action}


def test_log_lines_drop_exception_messages() -> None:
    """An exception's message may quote the request: only its type and frames are logged."""
    query = "-".join(["private", "search", "text"])  # not written out in the frames' source lines
    try:
        raise ValueError(f"bad query {query}")
    except ValueError:
        record = logging.LogRecord("wildcli.server", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(record)
    assert '"error":"ValueError"' in line
    assert "private-search-text" not in line


def test_a_reload_that_breaks_is_refused_and_the_next_one_works(monkeypatch: pytest.MonkeyPatch) -> None:
    from wildcli.server import lexicon

    monkeypatch.setattr(lexicon, "freeze", lambda again=False: None)  # leave this process's collector alone
    options = ServeOptions(lexicons=(str(VALID_LEXICON),), with_bundled=False)
    holder = lexicon.LexiconHolder(options, lexicon.load(options))

    def broken(options: ServeOptions) -> lexicon.Vetted:
        raise RuntimeError("no more processes")

    with monkeypatch.context() as patched:
        patched.setattr(lexicon, "vet_in_child", broken)
        assert asyncio.run(holder.reload("test")) is False
    assert holder.refusal is not None
    assert holder.refusal.problems == ("the reload failed: RuntimeError",)
    monkeypatch.setattr(lexicon, "vet_in_child", lambda options: lexicon.vet(options))
    assert asyncio.run(holder.reload("test")) is True
    assert (holder.refusal, holder.reloads) == (None, 1)


def test_a_sighup_during_the_first_load_is_answered_by_a_reload(monkeypatch: pytest.MonkeyPatch) -> None:
    """The files may have changed after the load read them: the signal must not be lost."""
    from wildcli.server import app, lexicon

    monkeypatch.setattr(lexicon, "freeze", lambda again=False: None)
    monkeypatch.setattr(lexicon, "vet_in_child", lambda options: lexicon.vet(options))
    options = ServeOptions(lexicons=(str(VALID_LEXICON),), with_bundled=False, watch=0)

    def signalled_while_loading(options: ServeOptions, digest: str | None = None) -> lexicon.Loaded:
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(0.2)  # the loop's handler runs while this thread still loads
        return lexicon.load(options, digest)

    monkeypatch.setattr(app, "load", signalled_while_loading)
    service = app.Service(options)

    async def reloads() -> int:
        async with service.lifespan(None):  # type: ignore[arg-type]
            assert service.holder is not None
            for _ in range(400):
                if service.holder.reloads:
                    break
                await asyncio.sleep(0.025)
            return service.holder.reloads

    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a lost signal must not end pytest
    try:
        assert asyncio.run(reloads()) == 1
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_the_service_judges_search_queries_as_check_does() -> None:
    from wildcli.server import lexicon

    loaded = lexicon.load(ServeOptions())
    assert loaded.matcher.options.queries
    assert loaded.matcher.find("象牙 写真") == []  # a search for pictures
    assert loaded.matcher.find("象牙 手鐲")


def test_serve_without_its_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import wildcli.server

    monkeypatch.setattr(wildcli.server, "missing_modules", lambda: ["starlette", "uvicorn"])
    result = run("serve")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: wildcli serve needs starlette, uvicorn: pip install 'wildcli[serve]'"]


def test_serve_refuses_a_lexicon_that_fails_lint(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(VALID_LEXICON, lexicon)
    (lexicon / "ivory" / "en.yaml").write_text("terms: [broken", "utf-8")
    result = run("serve", "--no-bundled", "--lexicon", str(lexicon), "--port", "1")
    assert result.exit_code == 78
    assert "en.yaml:2: invalid YAML" in result.stderr
    assert all(line.startswith("error: ") for line in result.stderr.splitlines())


def test_serve_needs_a_readable_token_file(tmp_path: Path) -> None:
    result = run("serve", "--no-bundled", "--lexicon", str(VALID_LEXICON), "--token-file", str(tmp_path / "nope"))
    assert result.exit_code == 66
    assert result.stderr.startswith("error: ")
    assert "cannot read the token file" in result.stderr
