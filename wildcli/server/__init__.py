"""`wildcli serve`: the judgement of `wildcli check` as an HTTP service (ASGI, on Starlette and
uvicorn: the `serve` extra), with hot lexicon reloads, limits, metrics and structured logs.

`create_app(options)` is the ASGI application, `serve(options, host=..., port=...)` runs it.
Importing this package needs none of the extra; using those two does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

REQUIRED = ("starlette", "uvicorn", "prometheus_client")
"""The modules the `serve` extra brings."""

_EXPORTS = {
    "ServeOptions": "wildcli.server.options",
    "create_app": "wildcli.server.app",
    "serve": "wildcli.server.run",
}

__all__ = ["REQUIRED", "ServeOptions", "create_app", "missing_modules", "serve"]


def missing_modules() -> list[str]:
    """The modules of the `serve` extra that are not installed."""
    from importlib.util import find_spec

    return [name for name in REQUIRED if find_spec(name) is None]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wildcli.server' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from wildcli.server.app import create_app
    from wildcli.server.options import ServeOptions
    from wildcli.server.run import serve
