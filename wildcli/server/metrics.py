"""The service's Prometheus metrics: requests per route and status, check latency and queries
per action, lexicon reloads.

Each process counts its own requests. When PROMETHEUS_MULTIPROC_DIR is set (`wildcli serve
--workers N` sets it for its workers), the counts live in files there and /metrics, whichever
worker answers it, adds up every worker's.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from wildcli.lexicon.actions import Action

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"

# Fine below a millisecond, where single queries are answered, and up to the longest timeout.
BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
           10.0, 30.0)  # fmt: skip

ROUTES = ("/v1/check", "/v1/lexicon", "/v1/schema", "/openapi.json", "/healthz", "/readyz", "/metrics")
"""Routes get their own label; anything else counts as `other`, so stray paths cannot grow the
number of series."""

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # a `_created` series per counter doubles the page for nothing
        self.shared = bool(os.environ.get(MULTIPROCESS))
        self.registry = CollectorRegistry()
        if not self.shared:
            ProcessCollector(registry=self.registry)
        r = self.registry
        per_route = ["route"]
        per_check = ["kind", "action"]
        self.requests = Counter(
            "wildcli_http_requests", "HTTP requests answered, by route and status.", [*per_route, "status"],
            registry=r)
        self.request_seconds = Histogram(
            "wildcli_http_request_duration_seconds", "Server time of HTTP requests, by route.", per_route,
            buckets=BUCKETS, registry=r)
        self.checks = Counter(
            "wildcli_check_requests", "Answered /v1/check requests, by kind (single or batch) and action "
            "(for a batch, the strongest of its queries).", per_check, registry=r)
        self.check_seconds = Histogram(
            "wildcli_check_duration_seconds", "Server time of answered /v1/check requests, by kind and "
            "action.", per_check, buckets=BUCKETS, registry=r)
        self.queries = Counter("wildcli_check_queries", "Queries judged, by action.", ["action"], registry=r)
        self.reloads = Counter(
            "wildcli_lexicon_reloads", "Lexicon reloads, by outcome (ok or refused).", ["outcome"],
            registry=r)
        self.stale = Gauge(
            "wildcli_lexicon_stale", "1 while the last reload was refused and the previous lexicon is used.",
            registry=r, multiprocess_mode="liveall")
        self.lexicon = Gauge(
            "wildcli_lexicon_info", "1 for the lexicon in use, labelled with its version and digest.",
            ["version", "digest"], registry=r, multiprocess_mode="liveall")
        for action in Action:  # every series from the start, at 0, so rates work from the first scrape
            self.queries.labels(action.value)
            for kind in ("single", "batch"):
                self.checks.labels(kind, action.value)
        for outcome in ("ok", "refused"):
            self.reloads.labels(outcome)
        self._lexicon: tuple[str, str] | None = None

    def route(self, path: str) -> str:
        return path if path in ROUTES else "other"

    def observe_request(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route, str(status)).inc()
        self.request_seconds.labels(route).observe(seconds)

    def observe_check(self, kind: str, action: Action, seconds: float, per_action: dict[Action, int]) -> None:
        self.checks.labels(kind, action.value).inc()
        self.check_seconds.labels(kind, action.value).observe(seconds)
        for query_action, count in per_action.items():
            self.queries.labels(query_action.value).inc(count)

    def lexicon_in_use(self, version: str | None, digest: str, stale: bool) -> None:
        if self._lexicon is not None and self._lexicon != (version or "", digest):
            self.lexicon.labels(*self._lexicon).set(0)
        self._lexicon = (version or "", digest)
        self.lexicon.labels(*self._lexicon).set(1)
        self.stale.set(1 if stale else 0)

    def exposition(self) -> bytes:
        """The Prometheus text format: this process's counts, or every worker's when shared."""
        if not self.shared:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def process_ended(self) -> None:
        """Drop this process's live gauges from the shared counts."""
        if self.shared:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
