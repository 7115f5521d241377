"""Sign-in is throttled per username and per client address, in a sliding window, alike for
usernames that exist and those that do not (issue 11, limits a public service needs)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from helpdesk.portal import schema
from tests.portal.conftest import Portal
from tests.portal.fixture_data import PASSWORDS
from tests.portal.helpers import audit_rows, error_code

SESSIONS = "/admin/v1/sessions"


def _sign_in(client: httpx.Client, username: str, password: str = "wrong-password") -> Any:
    return client.post(SESSIONS, json={"username": username, "password": password})


def _shape(response: httpx.Response) -> tuple[int, Any, str | None, str | None]:
    return (
        response.status_code,
        response.json(),
        response.headers.get("www-authenticate"),
        response.headers.get("retry-after"),
    )


def test_a_username_is_throttled_after_its_failures_until_the_oldest_leaves_the_window(
    portal: Portal,
) -> None:
    policy = portal.settings.policy
    with portal.client() as client:
        for _ in range(policy.sign_in_failures_per_username):
            assert _sign_in(client, "alice").status_code == 401
            portal.clock.advance(timedelta(minutes=1))
        # The right password too: a guess that succeeds must not be told apart from one that fails.
        limited = _sign_in(client, "alice", PASSWORDS["alice"])
        assert limited.status_code == 429 and error_code(limited) == "rate_limited"
        waited = policy.sign_in_window - timedelta(minutes=policy.sign_in_failures_per_username)
        assert limited.headers["retry-after"] == str(int(waited.total_seconds()))
        assert limited.json()["error"]["details"] == {"retry_after": int(waited.total_seconds())}
        # Another agent from the same address is not held up by alice's username.
        assert _sign_in(client, "bob", PASSWORDS["bob"]).status_code == 201

        portal.clock.advance(waited)  # the oldest failure has left the window: one try more
        assert _sign_in(client, "alice", PASSWORDS["alice"]).status_code == 201
        assert _sign_in(client, "alice").status_code == 401  # the window is full again
        assert _sign_in(client, "alice", PASSWORDS["alice"]).status_code == 429

    events = audit_rows(portal.database, action="session.create")
    limited_events = [e for e in events if e.reason == "rate_limited"]
    assert [(e.actor, e.outcome) for e in limited_events] == [("alice", "refused")] * 2


def test_an_unknown_username_is_answered_exactly_as_a_known_one(portal: Portal) -> None:
    limit = portal.settings.policy.sign_in_failures_per_username
    with portal.client() as client:
        known = [_shape(_sign_in(client, "alice")) for _ in range(limit + 1)]
        unknown = [_shape(_sign_in(client, "no-such-agent")) for _ in range(limit + 1)]
    assert unknown == known
    assert [shape[0] for shape in known] == [401] * limit + [429]
    refused = [e for e in audit_rows(portal.database, action="session.create")]
    assert {e.actor for e in refused if e.reason == "rate_limited"} == {"alice", "anonymous"}
    with portal.database.read() as connection:
        kept = str(connection.execute(select(schema.sign_in_failures)).all())
    assert "no-such-agent" not in kept and "alice" not in kept  # usernames only as an HMAC


def test_an_address_is_throttled_after_its_failures_whatever_the_usernames(
    portal: Portal,
) -> None:
    policy = portal.settings.policy
    with portal.client() as client:
        for n in range(policy.sign_in_failures_per_address):
            assert _sign_in(client, f"guess{n}").status_code == 401
        limited = _sign_in(client, "sam", PASSWORDS["sam"])
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) == policy.sign_in_window.total_seconds()
        portal.clock.advance(policy.sign_in_window)
        assert _sign_in(client, "sam", PASSWORDS["sam"]).status_code == 201


def test_failures_are_counted_when_sign_in_is_refused(portal: Portal) -> None:
    with portal.client() as client:
        _sign_in(client, "alice")
        _sign_in(client, "nobody")
        assert _sign_in(client, "alice", PASSWORDS["alice"]).status_code == 201
    with portal.database.read() as connection:
        rows = connection.execute(select(schema.sign_in_failures)).all()
    assert len(rows) == 2
    assert {row.client_address for row in rows} == {"127.0.0.1"}
