"""`wildcli serve`: the judgement of `wildcli check` as an HTTP service (ASGI, on Starlette and
uvicorn: the `serve` extra), with hot lexicon reloads, limits, metrics and structured logs.

`wildcli.create_app(options)` is the ASGI application and `wildcli.serve(options, host=...,
port=...)` runs it; both need the extra, which this package itself does not import.
"""

from __future__ import annotations

REQUIRED = ("starlette", "uvicorn", "prometheus_client")
"""The modules the `serve` extra brings."""


def missing_modules() -> list[str]:
    """The modules of the `serve` extra that are not installed."""
    from importlib.util import find_spec

    return [name for name in REQUIRED if find_spec(name) is None]
