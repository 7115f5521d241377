from __future__ import annotations

import httpx
from sqlalchemy import select

from helpdesk.portal import schema
from tests.portal.conftest import Portal
from tests.portal.fixture_data import MARIE
from tests.portal.helpers import audit_rows, error_code, profile_row, verify, wrong

KEY = {"Idempotency-Key": "5b0d2f7e-8f2b-4a43-9d43-1f8e1c7f6d10"}


def test_replayed_access_code_issue_returns_the_same_code_sealed(
    portal: Portal, alice: httpx.Client
) -> None:
    verify(alice, MARIE)
    path = f"/admin/v1/profiles/{MARIE.id}/access-codes"
    first = alice.post(path, headers=KEY)
    again = alice.post(path, headers=KEY)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    code = first.json()["code"]
    with portal.database.read() as connection:
        codes = connection.execute(select(schema.access_codes)).all()
        kept = connection.execute(select(schema.idempotency_keys)).one()
    assert len(codes) == 1
    row_text = str(tuple(kept))
    assert code not in row_text and code.replace("-", "") not in row_text
    assert KEY["Idempotency-Key"] not in row_text
    assert len(audit_rows(portal.database, action="access_code.issue")) == 1
    assert len(alice.get(f"/admin/v1/profiles/{MARIE.id}/notices").json()["items"]) == 1


def test_same_key_other_body_is_a_conflict(portal: Portal, alice: httpx.Client) -> None:
    path = f"/admin/v1/profiles/{MARIE.id}/verifications"
    assert alice.post(path, json={"answers": wrong(1)}, headers=KEY).status_code == 200
    other = alice.post(path, json={"answers": wrong(2)}, headers=KEY)
    assert other.status_code == 409
    assert error_code(other) == "conflict"
    assert profile_row(portal.database, MARIE.id).failed_attempts == 1


def test_replayed_verification_does_not_count_twice(portal: Portal, alice: httpx.Client) -> None:
    path = f"/admin/v1/profiles/{MARIE.id}/verifications"
    first = alice.post(path, json={"answers": wrong(1)}, headers=KEY)
    # Same JSON, spaced differently: still the same body.
    again = alice.post(
        path,
        content=b'{ "answers" : ["wrong1", "Honda", "Math\\u00e9matiques"] }',
        headers={**KEY, "Content-Type": "application/json"},
    )
    assert again.json() == first.json()
    assert profile_row(portal.database, MARIE.id).failed_attempts == 1
    assert len(audit_rows(portal.database, action="verification.attempt")) == 1


def test_keys_are_scoped_by_actor(portal: Portal, alice: httpx.Client) -> None:
    path = f"/admin/v1/profiles/{MARIE.id}/verifications"
    alice.post(path, json={"answers": wrong(1)}, headers=KEY)
    with portal.agent("bob") as bob:
        response = bob.post(path, json={"answers": wrong(1)}, headers=KEY)
    assert response.json()["repeated"] is True  # evaluated anew, not bob replaying alice's call


def test_sign_in_replay_returns_the_same_session(portal: Portal) -> None:
    body = {"username": "alice", "password": "alice-secret-pass"}
    with portal.client() as client:
        first = client.post("/admin/v1/sessions", json=body, headers=KEY)
        again = client.post("/admin/v1/sessions", json=body, headers=KEY)
    assert first.json() == again.json()
    with portal.database.read() as connection:
        assert len(connection.execute(select(schema.sessions)).all()) == 1


def test_a_key_older_than_the_policy_window_starts_a_new_call(portal: Portal) -> None:
    path = f"/admin/v1/profiles/{MARIE.id}/verifications"
    with portal.agent("alice") as alice:
        assert alice.post(path, json={"answers": wrong(1)}, headers=KEY).status_code == 200
    portal.clock.advance(portal.settings.policy.idempotency_window)
    with portal.agent("alice") as alice:  # the first session has expired by now
        # Within the window another body under this key would be a conflict; past it, a new call.
        later = alice.post(path, json={"answers": wrong(2)}, headers=KEY)
    assert later.status_code == 200 and later.json()["verified"] is False
    assert profile_row(portal.database, MARIE.id).failed_attempts == 2
