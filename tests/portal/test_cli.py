from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
import uvicorn

from helpdesk.portal import schema
from helpdesk.portal.app import create_app
from helpdesk.portal.cli import AnnouncingServer, bind
from helpdesk.portal.db import Database, stored_schema_version
from helpdesk.portal.openapi import document
from helpdesk.portal.server_secret import SECRET_ENV
from helpdesk.portal.settings import PortalSettings
from tests.outdated_database import describe, make_version_1

ROOT = Path(__file__).resolve().parents[2]


def test_committed_openapi_matches_the_code() -> None:
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == document(), "docs/openapi.json is stale: run `make openapi`"


def test_openapi_lists_every_route_of_the_contract() -> None:
    paths = json.loads(document())["paths"]
    assert set(paths) >= {
        "/healthz",
        "/admin/v1/sessions",
        "/admin/v1/me",
        "/admin/v1/sessions/current",
        "/admin/v1/profiles",
        "/admin/v1/profiles/{profile_id}",
        "/admin/v1/profiles/{profile_id}/sign-ins",
        "/admin/v1/lockouts",
        "/admin/v1/profiles/{profile_id}/recovery-questions",
        "/admin/v1/profiles/{profile_id}/verifications",
        "/admin/v1/profiles/{profile_id}/unlock",
        "/admin/v1/unlock-requests",
        "/admin/v1/unlock-requests/{request_id}",
        "/admin/v1/unlock-requests/{request_id}/approve",
        "/admin/v1/unlock-requests/{request_id}/deny",
        "/admin/v1/profiles/{profile_id}/access-codes",
        "/admin/v1/profiles/{profile_id}/access-codes/{code_id}",
        "/v1/access-codes/redemptions",
        "/admin/v1/user-code-recoveries",
        "/admin/v1/user-code-recoveries/{case_id}/transitions",
        "/admin/v1/profiles/{profile_id}/notices",
        "/admin/v1/profiles/{profile_id}/audit",
        "/admin/v1/audit",
    }


def test_seed_demo_is_refused_in_production(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpdesk.portal",
            "--db",
            f"sqlite:///{tmp_path / 'p.db'}",
            "--environment",
            "production",
            "--seed-demo",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "production" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "p.db").exists()


def test_starts_on_a_free_port_and_announces_it(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "helpdesk.portal",
            "--db",
            f"sqlite:///{tmp_path / 'p.db'}",
            "--port",
            "0",
            "--environment",
            "training",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        prefix = "helpdesk-portal listening on http://127.0.0.1:"
        assert line.startswith(prefix), line
        assert int(line[len(prefix) :]) > 0
        url = line.split(" on ", 1)[1]
        health = httpx.get(f"{url}/healthz", timeout=10).json()
        assert health["environment"] == "training"
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert (tmp_path / "p.db").exists()


def test_accepted_connections_have_tcp_nodelay() -> None:
    """The socket the CLI binds and hands to uvicorn: each connection it accepts sends at once."""
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    app = create_app(PortalSettings(database_url="sqlite://"))
    server = AnnouncingServer(uvicorn.Config(app, lifespan="off", log_level="warning"), "ready")
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])))
    thread.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            while not server.started:
                thread.join(0.01)
            assert client.get("/healthz").status_code == 200
            (connection,) = server.server_state.connections
            accepted = connection.transport.get_extra_info("socket")
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_new_database_records_its_schema_version(tmp_path: Path) -> None:
    database = Database.from_url(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        database.create_schema()
        database.create_schema()  # the same version again: nothing to do
        with database.read() as connection:
            assert stored_schema_version(connection) == schema.SCHEMA_VERSION
    finally:
        database.dispose()


def _portal(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The portal CLI on `database`, when it refuses to start (a start would not end by itself)."""
    command = [sys.executable, "-m", "helpdesk.portal", "--db", f"sqlite:///{database}"]
    return subprocess.run(
        [*command, "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, SECRET_ENV: "s" * 64},  # production needs one
    )


@pytest.mark.parametrize(
    ("seeded", "args"),
    [
        (False, ["--environment", "demo", "--seed-demo", "3"]),  # real work, even in a demo
        (False, ["--environment", "production"]),
        (True, ["--environment", "training", "--seed-demo", "3"]),  # not started as a demo
        (True, ["--environment", "demo"]),  # demo data, but no demo seed asked for
    ],
    ids=["agents-demo", "agents-production", "seeded-training", "seeded-no-seed-demo"],
)
def test_an_outdated_database_other_than_a_demo_is_refused_untouched(
    tmp_path: Path, seeded: bool, args: list[str]
) -> None:
    path = tmp_path / "p.db"
    make_version_1(path, seeded=seeded)
    before = describe(path)
    assert "description" in before[0]

    result = _portal(path, *args)

    assert result.returncode == 2, result.stderr
    assert f"schema version 1, this portal uses {schema.SCHEMA_VERSION}" in result.stderr
    assert "docs/API.md" in result.stderr
    assert result.stdout == ""
    assert describe(path) == before
