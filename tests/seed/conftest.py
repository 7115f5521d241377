"""An empty portal schema on a real SQLite file and, when HELPDESK_TEST_POSTGRES_URL names one, on
PostgreSQL too (in a schema of its own, so other suites sharing the database are left alone)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from helpdesk.clock import ManualClock
from helpdesk.portal import schema

POSTGRES_URL = os.environ.get("HELPDESK_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
PG_SCHEMA = "helpdesk_seed_tests"

SEED_TIME = datetime(2026, 11, 23, 19, 4, 5, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(SEED_TIME)


def make_engine(backend: str, directory: Path, name: str) -> Iterator[Engine]:
    """An empty portal schema named `name` on `backend`, dropped afterwards."""
    if backend == "sqlite":
        engine = create_engine(f"sqlite:///{directory / name}.db")
        schema.metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    # One PostgreSQL schema per database name, emptied before and after the test.
    pg_schema = f"{PG_SCHEMA}_{name}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {pg_schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {pg_schema}"))
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={pg_schema}"})
    schema.metadata.drop_all(engine)
    schema.metadata.create_all(engine)
    try:
        yield engine
    finally:
        schema.metadata.drop_all(engine)
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {pg_schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    yield from make_engine(request.param, tmp_path, "first")


@pytest.fixture
def second_engine(
    request: pytest.FixtureRequest, engine: Engine, tmp_path: Path
) -> Iterator[Engine]:
    """Another empty database on the same backend as `engine`."""
    yield from make_engine(engine.dialect.name, tmp_path, "second")
