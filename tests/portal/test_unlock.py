from __future__ import annotations

import httpx
import pytest

from tests.portal.conftest import Portal
from tests.portal.fixture_data import JOHN, MARIE, NO_EMAIL
from tests.portal.helpers import audit_rows, error_code, profile_row, verify, wrong


def _lock(client: httpx.Client, profile_id: str = MARIE.id) -> None:
    for n in range(5):
        response = client.post(
            f"/admin/v1/profiles/{profile_id}/verifications", json={"answers": wrong(n)}
        )
        assert response.status_code == 200


def test_supervisor_unlocks_with_a_reason_and_a_notice(
    portal: Portal, alice: httpx.Client, sam: httpx.Client
) -> None:
    _lock(alice)
    response = sam.post(
        f"/admin/v1/profiles/{MARIE.id}/unlock", json={"reason": "caller verified by manager"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "failed_attempts": 0,
        "max_attempts": 5,
        "locked_until": None,
        "lock_reason": None,
        "notice": {"channel": "email", "to_masked": "m•••@v•••.ca"},
    }
    assert profile_row(portal.database, MARIE.id).locked_until is None
    notices = sam.get(f"/admin/v1/profiles/{MARIE.id}/notices").json()["items"]
    assert notices == [
        {
            "at": "2026-11-23T19:00:00Z",
            "kind": "unlock",
            "channel": "email",
            "to_masked": "m•••@v•••.ca",
            "language": "fr",
        }
    ]
    assert verify(alice, MARIE).json()["verified"] is True


def test_agent_may_not_unlock(portal: Portal, alice: httpx.Client) -> None:
    _lock(alice)
    response = alice.post(f"/admin/v1/profiles/{MARIE.id}/unlock", json={"reason": "please"})
    assert response.status_code == 403
    assert error_code(response) == "forbidden"
    assert profile_row(portal.database, MARIE.id).locked_until is not None
    events = audit_rows(portal.database, action="profile.unlock")
    assert [(e.actor, e.outcome, e.reason, e.profile_id) for e in events] == [
        ("alice", "refused", "forbidden", MARIE.id)
    ]


def test_unlock_checks_run_in_the_contract_order(alice: httpx.Client, sam: httpx.Client) -> None:
    # 404 before 403: an agent unlocking an unknown profile hears it does not exist.
    assert alice.post("/admin/v1/profiles/prf_x/unlock", json={"reason": "r"}).status_code == 404
    # Body shape (422) before existence (404).
    assert sam.post("/admin/v1/profiles/prf_x/unlock", json={}).status_code == 422
    # Not locked: 409 conflict. A reason is required.
    response = sam.post(f"/admin/v1/profiles/{JOHN.id}/unlock", json={"reason": "r"})
    assert response.status_code == 409
    assert error_code(response) == "conflict"
    blank = sam.post(f"/admin/v1/profiles/{JOHN.id}/unlock", json={"reason": "   "})
    assert blank.status_code == 422
    assert "reason" in blank.json()["error"]["details"]["fields"]


def test_unlock_request_flow(portal: Portal, alice: httpx.Client, sam: httpx.Client) -> None:
    _lock(alice)
    created = alice.post(
        "/admin/v1/unlock-requests", json={"profile_id": MARIE.id, "reason": "caller has ID"}
    )
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["status"] == "pending"
    assert request["requested_by"] == "alice"
    assert request["display_name"] == "Marie Tremblay"
    second = alice.post(
        "/admin/v1/unlock-requests", json={"profile_id": MARIE.id, "reason": "again"}
    )
    assert second.status_code == 409
    pending = alice.get("/admin/v1/unlock-requests", params={"status": "pending"}).json()["items"]
    assert [r["id"] for r in pending] == [request["id"]]

    refused = alice.post(f"/admin/v1/unlock-requests/{request['id']}/approve", json={})
    assert refused.status_code == 403
    approved = sam.post(f"/admin/v1/unlock-requests/{request['id']}/approve", json={"note": "ok"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "sam"
    assert profile_row(portal.database, MARIE.id).locked_until is None
    kinds = [n["kind"] for n in sam.get(f"/admin/v1/profiles/{MARIE.id}/notices").json()["items"]]
    assert kinds == ["unlock"]
    again = sam.post(f"/admin/v1/unlock-requests/{request['id']}/deny", json={})
    assert again.status_code == 409
    assert (
        alice.get("/admin/v1/unlock-requests", params={"status": "pending"}).json()["items"] == []
    )
    assert (
        len(alice.get("/admin/v1/unlock-requests", params={"status": "approved"}).json()["items"])
        == 1
    )


def test_a_direct_unlock_answers_the_pending_request_with_the_reason(
    alice: httpx.Client, sam: httpx.Client
) -> None:
    _lock(alice)
    request = alice.post(
        "/admin/v1/unlock-requests", json={"profile_id": MARIE.id, "reason": "caller has ID"}
    ).json()
    reason = "Pièce d'identité vue au comptoir"
    assert sam.post(f"/admin/v1/profiles/{MARIE.id}/unlock", json={"reason": reason}).is_success
    seen = alice.get(f"/admin/v1/unlock-requests/{request['id']}").json()
    # The agent who asked reads the supervisor's own words, in whatever language they wrote.
    assert (seen["status"], seen["decided_by"], seen["note"]) == ("approved", "sam", reason)


def test_deny_leaves_the_lock(portal: Portal, alice: httpx.Client, sam: httpx.Client) -> None:
    _lock(alice)
    request = alice.post(
        "/admin/v1/unlock-requests", json={"profile_id": MARIE.id, "reason": "r"}
    ).json()
    assert alice.get(f"/admin/v1/unlock-requests/{request['id']}").json()["status"] == "pending"
    denied = sam.post(f"/admin/v1/unlock-requests/{request['id']}/deny", json={"note": "no ID"})
    assert denied.json()["status"] == "denied"
    # The agent who asked reads the decision: who, when and the note.
    seen = alice.get(f"/admin/v1/unlock-requests/{request['id']}").json()
    assert (seen["status"], seen["decided_by"], seen["note"]) == ("denied", "sam", "no ID")
    assert profile_row(portal.database, MARIE.id).locked_until is not None
    assert sam.get(f"/admin/v1/profiles/{MARIE.id}/notices").json()["items"] == []


def test_unlock_request_for_unknown_or_unlocked_profile(alice: httpx.Client) -> None:
    unknown = alice.post("/admin/v1/unlock-requests", json={"profile_id": "prf_x", "reason": "r"})
    assert unknown.status_code == 404
    unlocked = alice.post("/admin/v1/unlock-requests", json={"profile_id": JOHN.id, "reason": "r"})
    assert unlocked.status_code == 409


def test_unknown_request_is_404(sam: httpx.Client) -> None:
    assert sam.post("/admin/v1/unlock-requests/unl_x/approve", json={}).status_code == 404
    assert sam.get("/admin/v1/unlock-requests/unl_x").status_code == 404


def test_notice_goes_by_mail_without_an_email(alice: httpx.Client, sam: httpx.Client) -> None:
    _lock(alice, NO_EMAIL.id)
    response = sam.post(f"/admin/v1/profiles/{NO_EMAIL.id}/unlock", json={"reason": "r"})
    assert response.json()["notice"] == {
        "channel": "mail",
        "to_masked": "•••, Charlottetown PE ••• •••",
    }


@pytest.mark.parametrize("status", ["bogus", "PENDING"])
def test_bad_status_filter_is_422(alice: httpx.Client, status: str) -> None:
    response = alice.get("/admin/v1/unlock-requests", params={"status": status})
    assert response.status_code == 422
    assert "status" in response.json()["error"]["details"]["fields"]
