"""The ASGI application: routes on Starlette, and in front of them the measuring, the bearer
token check and the request log that every request goes through."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import signal
import time
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wildcli.lexicon.actions import Action
from wildcli.server import checking
from wildcli.server.checking import ApiError, encode
from wildcli.server.lexicon import LexiconHolder, Loaded, load
from wildcli.server.logs import time_iso
from wildcli.server.metrics import CONTENT_TYPE, Metrics
from wildcli.server.openapi import body_schema, openapi_document
from wildcli.server.options import ServeOptions, read_tokens

log = logging.getLogger("wildcli.server")

OPEN_PATHS = frozenset({"/healthz", "/readyz"})
"""Answered without a token, for probes that cannot send one."""

NOTE = "wildcli"
"""The scope key under which an endpoint leaves what the request log and metrics should know."""

_STATUS_CODES = {404: "not_found", 405: "method_not_allowed"}


def json_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type="application/json")


class Service:
    """The endpoints and what they share: options, tokens, metrics and the lexicon holder."""

    def __init__(self, options: ServeOptions, loaded: Loaded | None = None) -> None:
        self.options = options
        self.tokens = tuple(t.encode() for t in read_tokens(options.token_file)) if options.token_file else ()
        self.metrics = Metrics()
        self._loaded = loaded
        self.holder: LexiconHolder | None = None
        self._asked_while_loading = False  # a SIGHUP before the holder existed
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- lifespan ------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        # SIGHUP is listened for before the first load: one that comes while it runs may follow
        # an edit the load has not read, so it is kept and answered by a reload once loaded.
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, AttributeError):
            loop.add_signal_handler(signal.SIGHUP, self._reload_asked)
        loaded = self._loaded
        if loaded is None:
            loaded = await asyncio.to_thread(load, self.options, self.options.vetted_digest)
        self._loaded = None
        await self._warm_up(loaded)
        holder = self.holder = LexiconHolder(self.options, loaded)
        holder.on_change.append(self._reloaded)
        self.metrics.lexicon_in_use(loaded.version, loaded.digest, stale=False)
        log.info("lexicon loaded", extra={"fields": loaded.info()})
        if self.options.watch > 0:
            self._spawn(holder.watch(self.options.watch))
        if self._asked_while_loading:
            self._spawn(holder.reload("SIGHUP during the first load"))
        try:
            yield
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError, AttributeError):
                loop.remove_signal_handler(signal.SIGHUP)
            for task in list(self._tasks):
                task.cancel()
            self.metrics.process_ended()

    async def _warm_up(self, loaded: Loaded) -> None:
        """Walk the path of a request once before the first one comes: its first pass imports
        and builds what it needs (the time limit's backend alone costs 15 ms)."""
        with anyio.fail_after(self.options.timeout):
            sample = '{"queries": ["warm-up", "réchauffé 象牙"]}'.encode()
            queries, _ = checking.read_queries(sample, 2, self.options.max_query)
            found = await checking.judge(loaded.matcher, queries, time.perf_counter() + self.options.timeout)
            encode([checking.result(f) for f in found])

    def _reload_asked(self) -> None:
        if self.holder is None:
            self._asked_while_loading = True
        else:
            self._spawn(self.holder.reload("SIGHUP"))

    def _spawn(self, work: Awaitable[Any]) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _reloaded(self, outcome: str, holder: LexiconHolder) -> None:
        current = holder.current
        self.metrics.lexicon_in_use(current.version, current.digest, stale=holder.refusal is not None)
        self.metrics.reloads.labels(outcome).inc()

    @property
    def current(self) -> Loaded:
        if self.holder is None:
            raise ApiError(503, "internal", "no lexicon is loaded yet")
        return self.holder.current

    # -- endpoints -----------------------------------------------------------------------------

    async def check(self, request: Request) -> Response:
        note: dict[str, Any] = request.scope[NOTE]
        deadline = note["start"] + self.options.timeout
        body = await self._body(request, deadline)
        queries, batch = checking.read_queries(body, self.options.max_batch, self.options.max_query)
        loaded = self.current  # one lexicon for the whole request, whatever reloads meanwhile
        found = await checking.judge(loaded.matcher, queries, deadline)
        results = [checking.result(findings) for findings in found]
        action, per_action = checking.tally(results)
        note.update(kind="batch" if batch else "single", action=action, per_action=per_action,
                    queries=len(queries), findings=sum(len(f) for f in found))  # fmt: skip
        if self.options.log_queries:
            note["texts"] = queries
        answer: dict[str, Any] = {"results": results} if batch else dict(results[0])
        answer["lexicon"] = loaded.info()
        return json_response(encode(answer))

    async def _body(self, request: Request, deadline: float) -> bytes:
        """The body, refused once it is over `max_body` bytes or late past the deadline."""
        limit = self.options.max_body
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise ApiError(413, "body_too_large", f"the body is {declared} bytes; the limit is {limit}")
        chunks: list[bytes] = []
        size = 0
        try:
            with anyio.fail_after(max(0.0, deadline - time.perf_counter())):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise ApiError(413, "body_too_large", f"the body is over the limit of {limit} bytes")
                    chunks.append(chunk)
        except TimeoutError:
            raise ApiError(408, "timeout", "the body did not arrive within the time limit") from None
        except ClientDisconnect:
            raise ApiError(400, "invalid_request", "the client left before its whole body came") from None
        return b"".join(chunks)

    async def lexicon(self, request: Request) -> Response:
        loaded = self.current
        return json_response(encode({
            **loaded.info(), "loaded_at": time_iso(loaded.loaded_at),
            "min_severity": self.options.min_severity.value, "counts": loaded.counts,
        }))

    async def schema(self, request: Request) -> Response:
        return Response(encode(body_schema()), media_type="application/schema+json")

    async def openapi(self, request: Request) -> Response:
        return json_response(encode(openapi_document()))

    async def healthz(self, request: Request) -> Response:
        return json_response(b'{"status":"ok"}')

    async def readyz(self, request: Request) -> Response:
        holder = self.holder
        if holder is None:
            raise ApiError(503, "internal", "no lexicon is loaded yet")
        answer: dict[str, Any] = {
            "status": "ready", "stale": holder.refusal is not None, "lexicon": holder.current.info(),
            "loaded_at": time_iso(holder.current.loaded_at), "reloads": holder.reloads,
        }
        if holder.refusal is not None:
            refusal = holder.refusal
            answer["refused"] = {"at": time_iso(refusal.at), "problems": list(refusal.problems[:50])}
        return json_response(encode(answer))

    async def metrics_page(self, request: Request) -> Response:
        return Response(self.metrics.exposition(), media_type=CONTENT_TYPE)

    # -- every request -------------------------------------------------------------------------

    def authorised(self, scope: Scope) -> bool:
        if not self.tokens or scope["path"] in OPEN_PATHS:
            return True
        header = next((value for name, value in scope["headers"] if name == b"authorization"), b"")
        scheme, _, token = header.partition(b" ")
        if scheme.lower() != b"bearer":
            return False
        token = token.strip()
        # Compare with every token, always: the time taken must not tell which one nearly matched.
        return sum(hmac.compare_digest(token, known) for known in self.tokens) > 0


class Front:
    """Outermost: times every request (the `server-timing` header, the histograms), refuses
    missing or wrong tokens, and writes the request log line."""

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        note: dict[str, Any] = {"start": start}
        scope[NOTE] = note
        status = 500
        elapsed = 0.0

        async def timed(message: Message) -> None:
            nonlocal status, elapsed
            if message["type"] == "http.response.start":
                status = message["status"]
                elapsed = time.perf_counter() - start
                timing = (b"server-timing", f"app;dur={elapsed * 1000:.3f}".encode())
                headers = [*message.get("headers", ()), timing]
                message = {**message, "headers": headers}
            await send(message)

        try:
            if self.service.authorised(scope):
                await self.app(scope, receive, timed)
            else:
                refusal = ApiError(401, "unauthorized", "a valid bearer token is required")
                response = json_response(refusal.body(), 401)
                response.headers["www-authenticate"] = "Bearer"
                await response(scope, receive, timed)
        finally:
            self._account(scope, note, status, elapsed or time.perf_counter() - start)

    def _account(self, scope: Scope, note: dict[str, Any], status: int, elapsed: float) -> None:
        metrics = self.service.metrics
        route = metrics.route(scope["path"])
        metrics.observe_request(route, status, elapsed)
        fields: dict[str, Any] = {"method": scope["method"], "route": route, "status": status,
                                  "ms": round(elapsed * 1000, 3)}  # fmt: skip
        action: Action | None = note.get("action")
        if action is not None:
            metrics.observe_check(note["kind"], action, elapsed, note["per_action"])
            fields.update(kind=note["kind"], queries=note["queries"], action=action.value,
                          findings=note["findings"])  # fmt: skip
            if "texts" in note:
                fields["texts"] = note["texts"]
        if "error" in note:
            fields["error"] = note["error"]
        log.info("request", extra={"fields": fields})


def _error_handlers(app: Starlette) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        request.scope[NOTE]["error"] = exc.code
        return json_response(exc.body(), exc.status)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = _STATUS_CODES.get(exc.status_code, "invalid_request")
        return json_response(ApiError(exc.status_code, code, str(exc.detail).lower()).body(), exc.status_code)

    async def internal(request: Request, exc: Exception) -> Response:
        return json_response(ApiError(500, "internal", "internal error").body(), 500)

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, internal)


def create_app(options: ServeOptions | None = None, loaded: Loaded | None = None) -> ASGIApp:
    """The service as an ASGI application. `options` default to those in the environment
    (how worker processes get them); `loaded`, a lexicon the caller already loaded and vetted."""
    service = Service(options if options is not None else ServeOptions.from_environment(), loaded)
    routes = [
        Route("/v1/check", service.check, methods=["POST"]),
        Route("/v1/lexicon", service.lexicon, methods=["GET"]),
        Route("/v1/schema", service.schema, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
        Route("/healthz", service.healthz, methods=["GET"]),
        Route("/readyz", service.readyz, methods=["GET"]),
        Route("/metrics", service.metrics_page, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=service.lifespan)
    _error_handlers(app)
    return Front(app, service)

