"""Replays of an Idempotency-Key answer the first response, refusals included, and belong to the
session that made the call (issue 11, defects 2 and 3)."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from helpdesk.portal import schema
from tests.portal.conftest import Portal
from tests.portal.fixture_data import MARIE
from tests.portal.helpers import audit_rows, error_code, verify

CODES = f"/admin/v1/profiles/{MARIE.id}/access-codes"
REDEEM = "/v1/access-codes/redemptions"
WRONG_CODE = "2345-6789-ABCD"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _count(portal: Portal, table: object) -> int:
    with portal.database.read() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_refused_issue_replayed_after_verification_is_refused_again(
    portal: Portal, alice: httpx.Client
) -> None:
    key = _key()
    refused = alice.post(CODES, headers=key)
    assert refused.status_code == 403 and error_code(refused) == "verification_required"
    assert verify(alice, MARIE).json()["verified"] is True

    replayed = alice.post(CODES, headers=key)

    assert replayed.status_code == 403
    assert replayed.json() == refused.json()
    assert _count(portal, schema.access_codes) == 0
    assert len(audit_rows(portal.database, action="access_code.issue")) == 1
    # A new intent, with a new key, is evaluated: the grant is there now.
    assert alice.post(CODES, headers=_key()).status_code == 201


def test_a_wrong_redemption_replayed_counts_once(portal: Portal) -> None:
    key = _key()
    with portal.client() as public:
        answers = [public.post(REDEEM, json={"code": WRONG_CODE}, headers=key) for _ in range(3)]
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert all(error_code(a) == "code_invalid" for a in answers)
    assert answers[2].json() == answers[0].json()
    assert _count(portal, schema.redemption_failures) == 1
    events = audit_rows(portal.database, action="access_code.redeem")
    assert [(e.outcome, e.reason) for e in events] == [("failed", "code_invalid")]


def test_a_rate_limited_call_is_evaluated_again_once_the_limit_has_passed(
    portal: Portal,
) -> None:
    policy = portal.settings.policy
    key = _key()
    with portal.client() as public:
        for _ in range(policy.redemption_failures_allowed):
            assert public.post(REDEEM, json={"code": WRONG_CODE}).status_code == 400
        limited = public.post(REDEEM, json={"code": WRONG_CODE}, headers=key)
        assert limited.status_code == 429
        portal.clock.advance(policy.redemption_window)
        # Retry-After said to try again: the replay is evaluated, not answered 429 for 24 hours.
        retried = public.post(REDEEM, json={"code": WRONG_CODE}, headers=key)
    assert retried.status_code == 400 and error_code(retried) == "code_invalid"


def test_input_refusals_are_not_kept(portal: Portal) -> None:
    key = _key()
    body = {"username": "alice", "password": "not-her-password"}
    with portal.client() as client:
        assert client.post("/admin/v1/sessions", json=body, headers=key).status_code == 401
        # The same key with the right password: a 401 said nothing the rules decided.
        body["password"] = "alice-secret-pass"
        assert client.post("/admin/v1/sessions", json=body, headers=key).status_code == 201


def test_a_replay_from_another_session_of_the_same_agent_gets_no_code(
    portal: Portal, alice: httpx.Client
) -> None:
    key = _key()
    verify(alice, MARIE)
    issued = alice.post(CODES, headers=key)
    assert issued.status_code == 201
    code = issued.json()["code"]

    with portal.agent("alice") as later_session:  # no grant on Marie
        replayed = later_session.post(CODES, headers=key)
        assert replayed.status_code == 409
        assert error_code(replayed) == "conflict"
        assert replayed.json()["error"]["details"] == {"reason": "idempotency_key_reused"}
        assert code not in replayed.text
        # Verified in this session too, the old key is still not this session's.
        verify(later_session, MARIE)
        assert later_session.post(CODES, headers=key).status_code == 409

    assert alice.post(CODES, headers=key).json() == issued.json()  # its own session replays
    assert _count(portal, schema.access_codes) == 1
