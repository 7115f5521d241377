"""The portal under test: built by ``create_app`` for each test with a ManualClock and a fresh
database, served by uvicorn on a loopback port in a background thread, called over real HTTP with
httpx.

One uvicorn server serves the whole session (starting and stopping one per test cost more than most
tests): each test's own app is switched in behind it (``AppSwitch``), so no state is shared but the
listening socket.

Every test runs on SQLite (a copy of a template file filled once a session) and, when
``HELPDESK_TEST_POSTGRES_URL`` is set, on PostgreSQL too (tables created once a session, emptied
and filled before each test)."""

from __future__ import annotations

import os
import shutil
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
from tests.hash_cost import CHEAP_POLICY
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


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An empty and a populated SQLite database, made once; each test copies the one it needs."""
    folder = tmp_path_factory.mktemp("templates")
    templates = {"empty": folder / "empty.db", "populated": folder / "populated.db"}
    for kind, path in templates.items():
        db = Database.from_url(f"sqlite:///{path}")
        db.create_schema()
        if kind == "populated":
            with db.write() as connection:
                fixture_data.populate(connection, START)
        # A template is copied as one file: nothing may be left in the write-ahead log.
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
    return templates


def _sqlite_copy(template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "portal.db"
    shutil.copyfile(template, path)
    return Database.from_url(f"sqlite:///{path}")


def _postgres_database(*, populated: bool) -> Database:
    global _postgres_schema_created
    db = Database.from_url(POSTGRES_URL)
    if _postgres_schema_created:
        _empty_tables(db)
    else:
        # Tables dropped and created once a session, emptied before every test.
        schema.metadata.drop_all(db.engine)
        db.create_schema()
        _postgres_schema_created = True
    if populated:
        with db.write() as connection:
            fixture_data.populate(connection, START)
    return db


def _fresh_database(
    kind: str, tmp_path: Path, templates: dict[str, Path], *, populated: bool
) -> Iterator[Database]:
    if kind == "sqlite":
        db = _sqlite_copy(templates["populated" if populated else "empty"], tmp_path)
    else:
        db = _postgres_database(populated=populated)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture(params=DATABASES)
def database(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_templates: dict[str, Path]
) -> Iterator[Database]:
    """An empty portal database (the schema, no rows)."""
    yield from _fresh_database(request.param, tmp_path, sqlite_templates, populated=False)


def _empty_tables(db: Database) -> None:
    names = ", ".join(table.name for table in schema.metadata.sorted_tables)
    with db.write() as connection:
        connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(params=DATABASES)
def populated(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_templates: dict[str, Path]
) -> Iterator[Database]:
    """A portal database holding ``fixture_data`` as of ``START``."""
    yield from _fresh_database(request.param, tmp_path, sqlite_templates, populated=True)


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


class AppSwitch:
    """An ASGI app that hands each request to the app of the test running now."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def server() -> Iterator[tuple[AppSwitch, str]]:
    switch = AppSwitch()
    with ServerThread(switch) as url:
        yield switch, url


def serve(
    populated: Database, clock: ManualClock, server: tuple[AppSwitch, str]
) -> Iterator[Portal]:
    """A test's own portal app, built now and switched in behind the shared server."""
    settings = PortalSettings(database_url="unused://", environment="demo", policy=CHEAP_POLICY)
    switch, url = server
    switch.app = create_app(settings, clock=clock, database=populated)
    try:
        yield Portal(url=url, clock=clock, database=populated, settings=settings)
    finally:
        switch.app = None


@pytest.fixture
def portal(
    populated: Database, clock: ManualClock, server: tuple[AppSwitch, str]
) -> Iterator[Portal]:
    yield from serve(populated, clock, server)


@pytest.fixture
def alice(portal: Portal) -> Iterator[httpx.Client]:
    with portal.agent("alice") as client:
        yield client


@pytest.fixture
def sam(portal: Portal) -> Iterator[httpx.Client]:
    with portal.agent("sam") as client:
        yield client
