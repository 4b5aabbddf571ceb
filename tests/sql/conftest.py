"""A PostgreSQL server of the test session's own (tests/sql/server.py), a schema per test, and
in-memory DuckDB connections. Without PostgreSQL's binaries the tests skip; CI installs them
(.ci/run)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.sql.server import MISSING, Server, binaries, running_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    folder = binaries()
    if folder is None:
        pytest.skip(MISSING)
    with running_server(folder) as server:
        yield server


@pytest.fixture
def pg(postgres: Server, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A connection whose search_path is a fresh schema, dropped after the test."""
    schema = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    with postgres.connect() as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"SET search_path = {schema}")
        try:
            yield conn
        finally:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def duck() -> Iterator[Any]:
    duckdb = pytest.importorskip("duckdb")
    conn = duckdb.connect()
    try:
        yield conn
    finally:
        conn.close()
