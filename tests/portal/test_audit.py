from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from helpdesk.portal import schema
from tests.portal.conftest import START, Portal
from tests.portal.fixture_data import JOHN, MARIE, PASSWORDS, PECHERIES
from tests.portal.helpers import audit_rows, error_code, verify, wrong


def test_every_event_has_the_contract_fields(portal: Portal, alice: httpx.Client) -> None:
    response = verify(alice, MARIE, wrong(1))
    events = alice.get(f"/admin/v1/profiles/{MARIE.id}/audit").json()
    assert events["next_cursor"] is None
    [event] = events["items"]
    assert event["actor"] == "alice"
    assert event["role"] == "agent"
    assert event["action"] == "verification.attempt"
    assert event["profile_id"] == MARIE.id
    assert event["outcome"] == "failed"
    assert event["at"] == "2026-11-23T19:00:00Z"
    assert event["request_id"] == response.headers["x-request-id"]


def test_global_audit_is_for_supervisors(alice: httpx.Client, sam: httpx.Client) -> None:
    response = alice.get("/admin/v1/audit")
    assert response.status_code == 403
    assert error_code(response) == "forbidden"
    assert sam.get("/admin/v1/audit").status_code == 200


def test_pages_filters_and_cursor(portal: Portal, alice: httpx.Client, sam: httpx.Client) -> None:
    for n in range(4):
        verify(alice, MARIE, wrong(n))
        portal.clock.advance(timedelta(minutes=1))
    verify(sam, PECHERIES)
    page = sam.get("/admin/v1/audit", params={"action": "verification.attempt", "limit": 3}).json()
    assert [e["actor"] for e in page["items"]] == ["sam", "alice", "alice"]
    rest = sam.get(
        "/admin/v1/audit",
        params={"action": "verification.attempt", "limit": 3, "cursor": page["next_cursor"]},
    ).json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    by_alice = sam.get("/admin/v1/audit", params={"actor": "alice"}).json()["items"]
    assert {e["actor"] for e in by_alice} == {"alice"}
    window = sam.get(
        "/admin/v1/audit",
        params={
            "action": "verification.attempt",
            "since": "2026-11-23T19:01:00Z",
            "until": "2026-11-23T19:03:00Z",
        },
    ).json()["items"]
    assert [e["at"] for e in window] == ["2026-11-23T19:02:00Z", "2026-11-23T19:01:00Z"]
    per_profile = alice.get(f"/admin/v1/profiles/{MARIE.id}/audit", params={"limit": 2}).json()
    assert [e["at"] for e in per_profile["items"]] == [
        "2026-11-23T19:03:00Z",
        "2026-11-23T19:02:00Z",
    ]
    assert per_profile["next_cursor"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"cursor": "abc"}, "cursor"),
        ({"since": "yesterday"}, "since"),
    ],
)
def test_bad_audit_parameters(sam: httpx.Client, params: dict[str, object], field: str) -> None:
    response = sam.get("/admin/v1/audit", params=params)
    assert response.status_code == 422
    assert field in response.json()["error"]["details"]["fields"]


def test_per_profile_audit_of_unknown_profile_is_404(alice: httpx.Client) -> None:
    assert alice.get("/admin/v1/profiles/prf_x/audit").status_code == 404


def test_no_secret_in_logs_or_audit(portal: Portal, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secrets: list[str] = [*PASSWORDS.values(), *MARIE.answers, "wrongsecret1"]
    with portal.client() as client:
        signed = client.post(
            "/admin/v1/sessions", json={"username": "alice", "password": PASSWORDS["alice"]}
        )
        client.post("/admin/v1/sessions", json={"username": "alice", "password": "wrongsecret1"})
    token = signed.json()["token"]
    secrets.append(token)
    with portal.client(token) as alice:
        verify(alice, MARIE, ["wrongsecret1", "x", "y"])
        verify(alice, MARIE)
        code = alice.post(
            f"/admin/v1/profiles/{MARIE.id}/access-codes", headers={"Idempotency-Key": "k-1"}
        ).json()["code"]
        secrets += [code, code.replace("-", "")]
        with portal.client() as public:
            public.post("/v1/access-codes/redemptions", json={"code": code})
            public.post("/v1/access-codes/redemptions", json={"code": code})
        alice.delete("/admin/v1/sessions/current")
    logged = caplog.text
    with portal.database.read() as connection:
        audit = " ".join(str(tuple(row)) for row in connection.execute(select(schema.audit_events)))
        outbox = " ".join(str(tuple(row)) for row in connection.execute(select(schema.notices)))
        kept = " ".join(
            str(tuple(row)) for row in connection.execute(select(schema.idempotency_keys))
        )
    assert len(audit_rows(portal.database)) == 8
    for secret in secrets:
        for where, text in (
            ("log", logged),
            ("audit", audit),
            ("outbox", outbox),
            ("idempotency", kept),
        ):
            assert secret.lower() not in text.lower(), (secret, where)


MINUTE = timedelta(minutes=1)


def _event(portal: Portal, n: int, at: datetime, **fields: Any) -> None:
    """Event ``n`` (its request id is ``trail-n``), written after every event before it."""
    values = {
        "actor": "alice",
        "role": "agent",
        "action": "verification.attempt",
        "profile_id": MARIE.id,
        "outcome": "ok",
    }
    with portal.database.write() as connection:
        connection.execute(
            schema.audit_events.insert().values(
                id=f"evt_{n:04d}", at=at, request_id=f"trail-{n}", **(values | fields)
            )
        )


@pytest.fixture
def trail(portal: Portal) -> None:
    """Events a supervisor filters: by agent, action, outcome, profile and time. Events 3 and 4
    happened at the same instant; 5 was written before 6 but happened after it (two calls
    committing out of order)."""
    _event(portal, 1, START, outcome="failed")
    _event(portal, 2, START + MINUTE, actor="bob", outcome="failed", profile_id=JOHN.id)
    _event(portal, 3, START + 2 * MINUTE, action="access_code.issue")
    _event(portal, 4, START + 2 * MINUTE, actor="bob", outcome="refused", reason="forbidden")
    _event(portal, 5, START + 4 * MINUTE, action="session.create", profile_id=None)
    _event(portal, 6, START + 3 * MINUTE, outcome="failed")
    _event(portal, 7, START + 5 * MINUTE, actor="sam", role="supervisor", action="profile.unlock")


def _trail(page: dict[str, Any]) -> list[int]:
    """The trail's events on a page, by number (the test's own sign-ins are there too)."""
    ids = [event["request_id"] for event in page["items"]]
    return [int(request_id[6:]) for request_id in ids if request_id.startswith("trail-")]


def _read(client: httpx.Client, path: str = "/admin/v1/audit", **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.usefixtures("trail")
@pytest.mark.parametrize(
    ("params", "events"),
    [
        ({}, [7, 5, 6, 4, 3, 2, 1]),
        ({"outcome": "failed"}, [6, 2, 1]),
        ({"outcome": "refused"}, [4]),
        ({"outcome": "ok"}, [7, 5, 3]),
        ({"profile_id": JOHN.id}, [2]),
        ({"profile_id": "prf_nobody"}, []),  # a filter, not a lookup: no 404
        ({"actor": "alice", "outcome": "failed"}, [6, 1]),
        ({"actor": "bob", "profile_id": MARIE.id}, [4]),
        ({"action": "verification.attempt", "outcome": "failed", "actor": "bob"}, [2]),
        ({"outcome": "failed", "since": "2026-11-23T19:01:00Z"}, [6, 2]),
        (
            {
                "profile_id": MARIE.id,
                "since": "2026-11-23T19:02:00Z",
                "until": "2026-11-23T19:05:00Z",
            },
            [6, 4, 3],
        ),
    ],
)
def test_the_audit_filters_combine(
    sam: httpx.Client, params: dict[str, str], events: list[int]
) -> None:
    assert _trail(_read(sam, **params)) == events


@pytest.mark.usefixtures("trail")
def test_audit_pages_are_newest_first_by_time_then_by_sequence(
    portal: Portal, sam: httpx.Client
) -> None:
    first = _read(sam, limit=3)
    assert _trail(first) == [7, 5, 6]
    _event(portal, 8, START + 6 * MINUTE)  # newer than the cursor: on no later page
    _event(
        portal, 9, START + 2 * MINUTE, actor="bob"
    )  # older: on the next page, first of its instant
    rest = _read(sam, limit=3, cursor=first["next_cursor"])
    assert _trail(rest) == [9, 4, 3]
    assert _trail(_read(sam, f"/admin/v1/profiles/{MARIE.id}/audit")) == [8, 7, 6, 9, 4, 3, 1]


@pytest.mark.usefixtures("trail")
def test_a_time_window_pages_to_its_start(sam: httpx.Client) -> None:
    window = {"since": "2026-11-23T19:01:00Z", "until": "2026-11-23T19:04:00Z", "limit": 2}
    first = _read(sam, **window)
    assert _trail(first) == [6, 4]
    rest = _read(sam, **window, cursor=first["next_cursor"])
    assert _trail(rest) == [3, 2] and rest["next_cursor"] is None


@pytest.mark.parametrize("outcome", ["bogus", "OK", "denied"])
def test_a_bad_outcome_is_422_before_the_role_check(
    portal: Portal, alice: httpx.Client, outcome: str
) -> None:
    response = alice.get("/admin/v1/audit", params={"outcome": outcome})
    assert response.status_code == 422, response.text
    assert error_code(response) == "validation_failed"
    assert "outcome" in response.json()["error"]["details"]["fields"]
    with portal.client() as anonymous:
        assert anonymous.get("/admin/v1/audit", params={"outcome": outcome}).status_code == 401
