from __future__ import annotations

import logging
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from helpdesk.portal import schema
from tests.portal.conftest import Portal
from tests.portal.fixture_data import MARIE, PASSWORDS, PECHERIES
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
