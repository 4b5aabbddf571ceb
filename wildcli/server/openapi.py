"""The service's OpenAPI 3.1 document, built from the JSON Schema of its bodies
(wildcli/schema/serve.schema.json), so the two cannot disagree."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from wildcli import __version__

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "serve.schema.json"


@cache
def body_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of every request and answer body."""
    value: dict[str, Any] = json.loads(SCHEMA_PATH.read_text("utf-8"))
    return value


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str | dict[str, Any], description: str) -> dict[str, Any]:
    schema = _ref(name) if isinstance(name, str) else name
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: tuple[int, str]) -> dict[str, Any]:
    return {str(status): _json("Error", why) for status, why in statuses}


@cache
def openapi_document() -> dict[str, Any]:
    # OpenAPI 3.1 schemas are JSON Schema 2020-12: only the references move, from $defs to components.
    text = json.dumps(body_schema()["$defs"]).replace('"#/$defs/', '"#/components/schemas/')
    schemas = json.loads(text)
    auth = _errors((401, "A bearer token is required and was missing or wrong."))
    check_answer = {"oneOf": [_ref("CheckResponse"), _ref("BatchResponse")]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "wildcli",
            "version": __version__,
            "description": "Which searches to block, warn on, monitor or allow: the judgement of "
                           "`wildcli check`, over HTTP.",
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/v1/check": {"post": {
                "summary": "Judge one query, or a batch of queries",
                "requestBody": {"required": True, "content": _json("CheckRequest", "")["content"]},
                "responses": {
                    "200": _json(check_answer, "A CheckResponse for {query}, a BatchResponse for {queries}."),
                    **_errors(
                        (400, "The body is not JSON."),
                        (408, "The body did not arrive within the time limit."),
                        (413, "The body, the batch or a query is over its limit."),
                        (422, "The body is JSON but not a query or a batch."),
                        (503, "The batch could not be checked within the time limit."),
                    ),
                    **auth,
                },
            }},
            "/v1/lexicon": {"get": {
                "summary": "The lexicon in use: version, digest, counts",
                "responses": {"200": _json("LexiconResponse", "The answering process's lexicon."), **auth},
            }},
            "/v1/schema": {"get": {
                "summary": "The JSON Schema of every request and answer body",
                "responses": {"200": {"description": "JSON Schema, draft 2020-12.",
                                      "content": {"application/schema+json": {}}}, **auth},
            }},
            "/healthz": {"get": {
                "summary": "Liveness: the process answers", "security": [],
                "responses": {"200": _json("Health", "Alive.")},
            }},
            "/readyz": {"get": {
                "summary": "Readiness: a lexicon is loaded; says when a reload was refused", "security": [],
                "responses": {"200": _json("Ready", "Ready (the socket opens once a lexicon is loaded).")},
            }},
            "/metrics": {"get": {
                "summary": "Prometheus metrics, text format",
                "responses": {"200": {"description": "Prometheus text exposition format 0.0.4.",
                                      "content": {"text/plain": {}}}, **auth},
            }},
            "/openapi.json": {"get": {
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {}}},
                              **auth},
            }},
        },
    }
