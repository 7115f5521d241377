"""The portal under test: built by ``create_app`` with a ManualClock and a fresh database, served
by uvicorn on a free loopback port in a background thread, called over real HTTP with httpx.

Every test runs on SQLite (a file in ``tmp_path``) and, when ``HELPDESK_TEST_POSTGRES_URL`` is set,
on PostgreSQL too (tables dropped and created for each test)."""

from __future__ import annotations

import os
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from helpdesk.clock import ManualClock
from helpdesk.portal import schema
from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database
from helpdesk.portal.settings import PortalSettings
from tests.portal import fixture_data

START = datetime(2026, 11, 23, 19, 0, 0, tzinfo=UTC)
POSTGRES_URL = os.environ.get("HELPDESK_TEST_POSTGRES_URL", "").strip()
DATABASES = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
# httpx builds an SSL context per client unless given one (tens of milliseconds each).
_SSL_CONTEXT = ssl.create_default_context()
_postgres_schema_created = False


@dataclass
class Portal:
    url: str
    clock: ManualClock
    database: Database
    settings: PortalSettings

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(
            base_url=self.url, headers=headers, timeout=60, verify=_SSL_CONTEXT, **kwargs
        )

    def token(self, username: str) -> str:
        with self.client() as client:
            response = client.post(
                "/admin/v1/sessions",
                json={"username": username, "password": fixture_data.PASSWORDS[username]},
            )
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def agent(self, username: str) -> httpx.Client:
        """A client signed in as ``username``."""
        return self.client(self.token(username))


def _database_url(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.db'}"
    return POSTGRES_URL


@pytest.fixture(params=DATABASES)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    global _postgres_schema_created
    db = Database.from_url(_database_url(request.param, tmp_path))
    if db.is_postgresql and _postgres_schema_created:
        _empty_tables(db)
    else:
        if db.is_postgresql:
            # Tables dropped and created once a session, emptied before every test.
            schema.metadata.drop_all(db.engine)
            _postgres_schema_created = True
        db.create_schema()
    try:
        yield db
    finally:
        db.dispose()


def _empty_tables(db: Database) -> None:
    names = ", ".join(table.name for table in schema.metadata.sorted_tables)
    with db.write() as connection:
        connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def populated(database: Database, clock: ManualClock) -> Database:
    with database.write() as connection:
        fixture_data.populate(connection, clock.now())
    return database


class ServerThread:
    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", lifespan="off", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the test portal did not start")
            self.thread.join(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def portal(populated: Database, clock: ManualClock) -> Iterator[Portal]:
    settings = PortalSettings(database_url="unused://", environment="demo")
    app = create_app(settings, clock=clock, database=populated)
    with ServerThread(app) as url:
        yield Portal(url=url, clock=clock, database=populated, settings=settings)


@pytest.fixture
def alice(portal: Portal) -> Iterator[httpx.Client]:
    with portal.agent("alice") as client:
        yield client


@pytest.fixture
def sam(portal: Portal) -> Iterator[httpx.Client]:
    with portal.agent("sam") as client:
        yield client
