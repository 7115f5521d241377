from __future__ import annotations

import httpx
from sqlalchemy import select

from helpdesk.portal import schema
from tests.portal.conftest import Portal
from tests.portal.fixture_data import JOINT, MARIE, NO_EMAIL, PECHERIES
from tests.portal.helpers import audit_rows, error_code

CASES = "/admin/v1/user-code-recoveries"


def _case(profile_id: str = PECHERIES.id, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "profile_id": profile_id,
        "caller_name": "Denis Cormier",
        "representative_id": "rep_denis",
        "evidence": ["business number matches", "president on the corporate registry"],
        "delivery": "email",
        "note": "called from the office line",
    }
    body.update(overrides)
    return body


def _open(client: httpx.Client, **overrides: object) -> dict[str, object]:
    response = client.post(CASES, json=_case(**overrides))  # type: ignore[arg-type]
    assert response.status_code == 201, response.text
    return dict(response.json())


def _move(client: httpx.Client, case_id: object, to: str) -> httpx.Response:
    return client.post(f"{CASES}/{case_id}/transitions", json={"to": to})


def test_open_case_without_a_grant_and_never_the_code(alice: httpx.Client) -> None:
    response = alice.post(CASES, json=_case())
    assert response.status_code == 201
    case = response.json()
    assert case["case_number"] == "UCR-000001"
    assert case["status"] == "open"
    assert case["opened_by"] == "alice"
    assert case["notice"] == {"channel": "email", "to_masked": "i•••@p•••.ca"}
    assert PECHERIES.user_code not in response.text
    assert _open(alice)["case_number"] == "UCR-000002"
    notices = alice.get(f"/admin/v1/profiles/{PECHERIES.id}/notices").json()["items"]
    assert [(n["kind"], n["language"]) for n in notices] == [
        ("user_code_recovery_opened", "fr"),
        ("user_code_recovery_opened", "fr"),
    ]


def test_individual_and_joint_accounts_are_not_non_personal(alice: httpx.Client) -> None:
    for profile in (MARIE, JOINT):
        response = alice.post(CASES, json=_case(profile.id))
        assert response.status_code == 409
        assert error_code(response) == "not_non_personal"


def test_representative_must_belong_to_the_account(alice: httpx.Client) -> None:
    response = alice.post(CASES, json=_case(representative_id="rep_anne"))
    assert response.status_code == 422
    assert "representative_id" in response.json()["error"]["details"]["fields"]
    assert alice.post(CASES, json=_case("prf_x")).status_code == 404


def test_full_lifecycle_sends_the_code_only_to_the_contact_on_file(
    portal: Portal, alice: httpx.Client, sam: httpx.Client
) -> None:
    case = _open(alice)
    refused = _move(alice, case["id"], "approved")
    assert refused.status_code == 403
    assert error_code(refused) == "forbidden"
    assert _move(alice, case["id"], "sent").status_code == 409
    approved = _move(sam, case["id"], "approved")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    sent = _move(alice, case["id"], "sent")
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "sent"
    assert PECHERIES.user_code not in sent.text
    assert sent.json()["notice"] == {"channel": "email", "to_masked": "i•••@p•••.ca"}
    with portal.database.read() as connection:
        outbox = connection.execute(
            select(schema.notices).where(schema.notices.c.kind == "user_code_sent")
        ).one()
    assert outbox.to_address == PECHERIES.email
    assert PECHERIES.user_code in outbox.body
    assert _move(alice, case["id"], "closed").json()["status"] == "closed"
    assert _move(sam, case["id"], "open").status_code == 409
    assert _move(alice, "ucr_nope", "closed").status_code == 404
    listed = alice.get(CASES, params={"status": "closed", "profile_id": PECHERIES.id}).json()
    assert [c["id"] for c in listed["items"]] == [case["id"]]
    assert alice.get(CASES, params={"status": "open"}).json()["items"] == []
    transitions = audit_rows(portal.database, action="user_code_recovery.transition")
    assert [(e.actor, e.outcome) for e in transitions] == [
        ("alice", "refused"),
        ("alice", "refused"),
        ("sam", "ok"),
        ("alice", "ok"),
        ("alice", "ok"),
        ("sam", "refused"),
        ("alice", "refused"),
    ]


def test_rejected_case_goes_no_further(alice: httpx.Client, sam: httpx.Client) -> None:
    case = _open(alice)
    assert _move(sam, case["id"], "rejected").json()["status"] == "rejected"
    assert _move(sam, case["id"], "approved").status_code == 409


def test_mail_delivery_uses_the_postal_address(
    portal: Portal, alice: httpx.Client, sam: httpx.Client
) -> None:
    case = _open(
        alice,
        profile_id=NO_EMAIL.id,
        representative_id="rep_anne",
        caller_name="Anne Leblanc",
        delivery="mail",
    )
    assert case["notice"] == {"channel": "mail", "to_masked": "•••, Charlottetown PE ••• •••"}
    _move(sam, case["id"], "approved")
    sent = _move(alice, case["id"], "sent").json()
    assert sent["notice"]["channel"] == "mail"
    email = alice.post(
        CASES,
        json=_case(NO_EMAIL.id, representative_id="rep_anne", delivery="email"),
    )
    assert email.status_code == 422
    assert "delivery" in email.json()["error"]["details"]["fields"]
