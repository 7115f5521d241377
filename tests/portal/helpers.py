"""Small helpers the portal tests share."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import func, make_url, select

from helpdesk.portal import schema
from helpdesk.portal.db import Database
from tests.portal.fixture_data import Caller


@dataclass
class PortalCommand:
    """``helpdesk-portal`` started by :func:`portal_command`: its ready line and URL while it
    runs; what it wrote and how it ended once stopped."""

    ready: str
    url: str
    stdout: str = ""
    stderr: str = ""
    returncode: int | None = None


@contextmanager
def portal_command(database: Path, *options: str) -> Iterator[PortalCommand]:
    """The portal's command on a SQLite file and a free port, as an operator starts it; stopped
    (SIGTERM) at the end of the block, its output read whole."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "helpdesk.portal"),
            *("--db", f"sqlite:///{database}", "--port", "0", *options),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready = process.stdout.readline()
    running = PortalCommand(ready, ready.strip().split(" on ", 1)[-1])
    try:
        yield running
    finally:
        process.terminate()
        running.stdout, running.stderr = process.communicate(timeout=20)
        running.returncode = process.returncode


def new_database_url(kind: str, directory: Path, name: str) -> str:
    """An empty database for a test that makes its own tables or starts portal processes: a
    SQLite file in ``directory``, or (``kind`` "postgresql") ``<the worker's database>_<name>``
    dropped and created again on the suite's PostgreSQL server."""
    if kind == "sqlite":
        return f"sqlite:///{directory / (name + '.db')}"
    from tests.portal.conftest import POSTGRES_URL

    shared = make_url(POSTGRES_URL)
    database = f"{shared.database}_{name}"
    server = shared.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    return shared.set(database=database).render_as_string(hide_password=False)


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) >= {"code", "message", "details"}, body
    return str(body["error"]["code"])


def audit_rows(database: Database, **where: Any) -> list[Any]:
    table = schema.audit_events
    statement = select(table).order_by(table.c.seq)
    for name, value in where.items():
        statement = statement.where(table.c[name] == value)
    with database.read() as connection:
        return list(connection.execute(statement).all())


def audit_count(database: Database) -> int:
    with database.read() as connection:
        return int(
            connection.execute(select(func.count()).select_from(schema.audit_events)).scalar_one()
        )


def verify(client: httpx.Client, caller: Caller, answers: Any = None) -> httpx.Response:
    return client.post(
        f"/admin/v1/profiles/{caller.id}/verifications",
        json={"answers": list(answers if answers is not None else caller.answers)},
    )


def wrong(n: int) -> list[str]:
    """A distinct wrong answer set per ``n``."""
    return [f"wrong{n}", "Honda", "Mathématiques"]


def profile_row(database: Database, profile_id: str) -> Any:
    with database.read() as connection:
        return connection.execute(
            select(schema.profiles).where(schema.profiles.c.id == profile_id)
        ).one()
