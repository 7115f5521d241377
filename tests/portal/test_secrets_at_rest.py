"""Secrets never at rest or in logs (issue 11): after a scripted session over HTTP (sign in, verify
right and wrong, lock by 5 wrong, unlock, issue an access code, replay it, redeem it, open a
recovery case, sign out), neither the database's raw bytes (a SQLite file with its -wal and
-journal; a dump of PostgreSQL when the tests run on it) nor any log line (every logger at DEBUG,
the uvicorn access log included) holds an answer, a password, a token, an access code in any form,
an Idempotency-Key (the key of what a replay keeps sealed) or the server secret.

The portal is served as the command serves it (``server_config``: its protocol, uvicorn's loggers
propagating, the access log on), with a server secret of the test's own."""

from __future__ import annotations

import logging
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import make_url, text

from helpdesk.clock import ManualClock
from helpdesk.portal import schema
from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database
from helpdesk.portal.security import format_access_code, normalise_answer
from helpdesk.portal.server import server_config
from helpdesk.portal.settings import PortalSettings
from tests.hash_cost import CHEAP_POLICY
from tests.portal.conftest import Portal
from tests.portal.fixture_data import JOHN, MARIE, PASSWORDS, PECHERIES
from tests.portal.helpers import verify, wrong

SERVER_SECRET = ("at-rest-test-server-secret-" + secrets.token_hex(16)).encode()
WRONG_PASSWORD = "Wrong-Pass-Quokka-71"
MARIE_WRONG = ["Wrong-Answer-Pangolin", "Honda", "Mathématiques"]


@pytest.fixture
def served(populated: Database, clock: ManualClock) -> Iterator[Portal]:
    """A portal of its own on the test's fresh database, with its access log on."""
    settings = PortalSettings(
        database_url="unused://", environment="demo", policy=CHEAP_POLICY, secret=SERVER_SECRET
    )
    app = create_app(settings, clock=clock, database=populated)
    config = server_config(
        app, settings.limits, host="127.0.0.1", port=0, log_level="debug", access_log=True
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the portal did not start"
        thread.join(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Portal(
            url=f"http://127.0.0.1:{port}", clock=clock, database=populated, settings=settings
        )
    finally:
        server.should_exit = True
        thread.join(10)


def _every_logger_at_debug(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(logging.DEBUG, logger=name)
            # uvicorn's own logging configuration (the shared test server's) stops its access
            # log from propagating; the portal's command leaves it propagating.
            monkeypatch.setattr(logger, "propagate", True)


def _scripted_session(portal: Portal) -> list[str]:
    """The calls of a help-desk shift; returns every secret they used or were given."""
    used: list[str] = [PASSWORDS["alice"], PASSWORDS["sam"], WRONG_PASSWORD, *MARIE_WRONG]
    sign_in_key, issue_key = str(secrets.token_hex(16)), str(secrets.token_hex(16))
    used += [sign_in_key, issue_key]
    with portal.client() as public:
        signed_in = public.post(
            "/admin/v1/sessions",
            json={"username": "alice", "password": PASSWORDS["alice"]},
            headers={"Idempotency-Key": sign_in_key},
        )
        assert signed_in.status_code == 201, signed_in.text
        for username, password in (("alice", WRONG_PASSWORD), (PASSWORDS["sam"], "x")):
            # The second is a password typed in the username field: the throttle keeps it keyed.
            refused = public.post(
                "/admin/v1/sessions", json={"username": username, "password": password}
            )
            assert refused.status_code == 401, refused.text
    alice_token = str(signed_in.json()["token"])
    sam_token = portal.token("sam")
    used += [alice_token, sam_token]
    with portal.client(alice_token) as alice, portal.client(sam_token) as sam:
        assert verify(alice, MARIE, MARIE_WRONG).json()["verified"] is False
        assert verify(alice, MARIE).json()["verified"] is True
        used += MARIE.answers
        for n in range(5):
            assert verify(alice, JOHN, wrong(n)).json()["verified"] is False
            used.append(wrong(n)[0])
        assert verify(alice, JOHN).status_code == 423
        used += JOHN.answers
        unlocked = sam.post(f"/admin/v1/profiles/{JOHN.id}/unlock", json={"reason": "checked"})
        assert unlocked.status_code == 200, unlocked.text

        issue = f"/admin/v1/profiles/{MARIE.id}/access-codes"
        issued = alice.post(issue, headers={"Idempotency-Key": issue_key})
        assert issued.status_code == 201, issued.text
        replayed = alice.post(issue, headers={"Idempotency-Key": issue_key})
        assert replayed.json()["code"] == issued.json()["code"]
        code = str(issued.json()["code"])
        undashed = code.replace("-", "")
        used += [code, undashed, " ".join(code.split("-"))]
        wrong_code = format_access_code(undashed[::-1])
        used += [wrong_code, wrong_code.replace("-", "")]
        with portal.client() as public:
            redeem = "/v1/access-codes/redemptions"
            assert public.post(redeem, json={"code": wrong_code}).status_code == 400
            typed = " ".join(undashed.lower()[i : i + 3] for i in range(0, 12, 3))
            redeemed = public.post(redeem, json={"code": typed})
            assert redeemed.status_code == 200, redeemed.text
            assert public.post(redeem, json={"code": code}).status_code == 400

        case = alice.post(
            "/admin/v1/user-code-recoveries",
            json={
                "profile_id": PECHERIES.id,
                "caller_name": "Denis Cormier",
                "representative_id": "rep_denis",
                "evidence": ["business number matches"],
                "delivery": "email",
            },
        )
        assert case.status_code == 201, case.text
        for client in (alice, sam):
            assert client.delete("/admin/v1/sessions/current").status_code == 204
    return used


def _forms(used: list[str]) -> set[str]:
    """Each secret as it could be written: as used, case-folded, answers normalised."""
    forms = {form for secret in used for form in (secret, normalise_answer(secret))}
    forms |= {SERVER_SECRET.decode(), SERVER_SECRET.hex()}
    return {form.casefold() for form in forms}


def _sqlite_bytes(database: Database) -> dict[str, bytes]:
    path = Path(str(database.engine.url.database))
    files = [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))]
    return {file.name: file.read_bytes() for file in files if file.exists()}


def _postgres_dump(database: Database) -> str:
    url = make_url(str(database.engine.url)).set(drivername="postgresql")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is not None:
        dumped = subprocess.run(
            [pg_dump, "--no-owner", url.render_as_string(hide_password=False)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if dumped.returncode == 0:
            return dumped.stdout
        # pg_dump older than the server refuses to dump: read the rows instead.
        assert "version mismatch" in dumped.stderr, dumped.stderr
    rows: list[str] = []
    with database.read() as connection:
        for table in schema.metadata.sorted_tables:
            for row in connection.execute(text(f'SELECT * FROM "{table.name}"')):
                rows.append(repr(tuple(row)))
    return "\n".join(rows)


def test_no_secret_in_the_database_or_the_logs(
    served: Portal, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _every_logger_at_debug(caplog, monkeypatch)
    forms = _forms(_scripted_session(served))
    logged = caplog.text
    assert '"POST /v1/access-codes/redemptions HTTP/1.1" 200' in logged  # the access log is read

    found = [(form, "log") for form in forms if form in logged.casefold()]
    if served.database.engine.dialect.name == "sqlite":
        for name, raw in _sqlite_bytes(served.database).items():
            folded = raw.lower()  # ASCII case; every form is also checked as written
            found += [(form, name) for form in forms if form.encode() in folded]
    else:
        dump = _postgres_dump(served.database).casefold()
        assert "audit_events" in dump or "access_code.issue" in dump
        found += [(form, "pg dump") for form in forms if form in dump]
    assert found == []
