"""The judgement a service answers with: a request body read into queries, and each query
judged exactly as `wildcli check` judges it (the same matcher options, the same findings, as
`Finding.to_dict` writes them), with its action."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import orjson

from wildcli.lexicon.actions import Action
from wildcli.match.findings import Finding
from wildcli.match.matcher import Matcher
from wildcli.safety import escape_json_controls

SHAPE = 'the body must be {"query": "..."} or {"queries": ["...", ...]}'

CHUNK = 100
CHUNK_CHARS = 20_000
"""Queries (and characters) of a batch matched at a time, about 5 ms of work; between two
chunks the event loop answers other requests and the request's deadline is looked at."""


class ApiError(Exception):
    """A request the service will not answer: its HTTP status, a stable code and one line."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> bytes:
        return encode({"error": {"code": self.code, "message": self.message}})


def read_queries(body: bytes, max_batch: int, max_query: int) -> tuple[list[str], bool]:
    """The queries of a request body, and whether it was a batch.

    `{"query": "..."}` is one query, `{"queries": ["...", ...]}` a batch of at most
    `max_batch`, each at most `max_query` characters; anything else is refused with the reason.
    """
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ApiError(400, "bad_json", f"the body is not JSON: {error}") from None
    if not isinstance(data, dict) or len(data) != 1 or not ({"query", "queries"} & data.keys()):
        raise ApiError(422, "invalid_request", SHAPE)
    batch = "queries" in data
    queries = data["queries"] if batch else [data["query"]]
    if not isinstance(queries, list) or not all(isinstance(q, str) for q in queries):
        wanted = "queries must be a list of strings" if batch else "query must be a string"
        raise ApiError(422, "invalid_request", wanted)
    if len(queries) > max_batch:
        raise ApiError(413, "batch_too_long", f"{len(queries)} queries; the limit is {max_batch} a request")
    # A text of a megabyte full of terms keeps the matcher busy for seconds, on one request.
    longest = max(map(len, queries), default=0)
    if longest > max_query:
        raise ApiError(413, "query_too_long", f"a query of {longest} characters; the limit is {max_query}")
    return queries, batch


async def judge(matcher: Matcher, queries: Sequence[str], deadline: float) -> list[list[Finding]]:
    """The findings of each query, in order (`Matcher.find_many`, chunk by chunk); past the
    `deadline` (a `time.perf_counter` value) the rest is given up with a 503."""
    if len(queries) == 1:
        return [matcher.find(queries[0])]
    found: list[list[Finding]] = []
    start = 0
    while start < len(queries):
        if found and time.perf_counter() > deadline:
            raise ApiError(503, "timeout", f"checked {start} of {len(queries)} queries before the time limit")
        end, chars = start, 0
        while end < len(queries) and end - start < CHUNK and chars < CHUNK_CHARS:
            chars += len(queries[end])
            end += 1
        found.extend(matcher.find_many(queries[start:end]))
        start = end
        if start < len(queries):
            await asyncio.sleep(0)
    return found


def result(findings: list[Finding]) -> dict[str, Any]:
    """One query's answer: its action and its findings."""
    return {
        "action": Action.strongest(f.action for f in findings).value,
        "findings": [f.to_dict() for f in findings],
    }


def tally(results: list[dict[str, Any]]) -> tuple[Action, dict[Action, int]]:
    """The strongest action of a request's answers, and how many queries got each action."""
    counts = Counter(Action(r["action"]) for r in results)
    return Action.strongest(counts), dict(counts)


def encode(value: Any) -> bytes:
    """JSON as wildcli writes it everywhere (controls a viewer would act on escaped), fast."""
    return escape_json_controls(orjson.dumps(value).decode()).encode()
