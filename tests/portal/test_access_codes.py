from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select

from helpdesk.portal import schema, security
from tests.portal.conftest import Portal
from tests.portal.fixture_data import JOHN, MARIE
from tests.portal.helpers import audit_rows, error_code, verify

CODES = "/admin/v1/profiles/{}/access-codes"
REDEEM = "/v1/access-codes/redemptions"


def _issue(client: httpx.Client, profile_id: str = MARIE.id) -> dict[str, object]:
    response = client.post(CODES.format(profile_id))
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_issuing_needs_a_live_grant(portal: Portal, alice: httpx.Client) -> None:
    response = alice.post(CODES.format(MARIE.id))
    assert response.status_code == 403
    assert error_code(response) == "verification_required"
    verify(alice, MARIE)
    portal.clock.advance(timedelta(minutes=16))
    assert alice.post(CODES.format(MARIE.id)).status_code == 403
    assert alice.post(CODES.format("prf_x")).status_code == 404


def test_issue_list_redeem_once(portal: Portal, alice: httpx.Client) -> None:
    verify(alice, MARIE)
    issued = _issue(alice)
    code = str(issued["code"])
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert security.parse_access_code(code) is not None
    assert issued["expires_at"] == "2026-11-24T19:00:00Z"
    assert issued["notice"] == {"channel": "email", "to_masked": "m•••@v•••.ca"}

    listed = alice.get(CODES.format(MARIE.id))
    assert code not in listed.text and code.replace("-", "") not in listed.text
    assert [(i["status"], i["issued_by"]) for i in listed.json()["items"]] == [("active", "alice")]

    with portal.database.read() as connection:
        row = connection.execute(select(schema.access_codes)).one()
    undashed = code.replace("-", "")
    assert row.code_digest == security.access_code_digest(portal.settings.secret, undashed)
    # Nothing of the code in clear: the row is ids, times, the digest and who issued it.
    assert set(row._mapping) == {
        "id", "profile_id", "code_digest", "issued_at", "issued_by", "expires_at", "status",
        "ended_at",
    }  # fmt: skip

    with portal.client() as public:
        typed = " " + code.replace("-", " ").lower() + " "
        redeemed = public.post(REDEEM, json={"code": typed})
        assert redeemed.status_code == 200, redeemed.text
        assert redeemed.json() == {"profile_id": MARIE.id}
        used = public.post(REDEEM, json={"code": code})
        assert used.status_code == 400
        assert error_code(used) == "code_invalid"
    assert alice.get(CODES.format(MARIE.id)).json()["items"][0]["status"] == "redeemed"
    events = audit_rows(portal.database, action="access_code.redeem")
    assert [(e.actor, e.outcome, e.profile_id) for e in events] == [
        ("self-service", "ok", MARIE.id),
        ("self-service", "failed", None),
    ]
    notices = alice.get(f"/admin/v1/profiles/{MARIE.id}/notices").json()["items"]
    assert [n["kind"] for n in notices] == ["access_code_issued"]


def test_new_code_revokes_the_old_and_expiry_is_computed(
    portal: Portal, alice: httpx.Client
) -> None:
    verify(alice, MARIE)
    first = _issue(alice)
    second = _issue(alice)
    statuses = {i["id"]: i["status"] for i in alice.get(CODES.format(MARIE.id)).json()["items"]}
    assert statuses == {first["id"]: "revoked", second["id"]: "active"}
    with portal.client() as public:
        assert public.post(REDEEM, json={"code": first["code"]}).status_code == 400
        portal.clock.advance(timedelta(hours=24))
        assert public.post(REDEEM, json={"code": second["code"]}).status_code == 400
    with portal.agent("bob") as bob:  # alice's 8-hour session ended meanwhile
        items = bob.get(CODES.format(MARIE.id)).json()["items"]
    assert {i["id"]: i["status"] for i in items}[second["id"]] == "expired"


def test_revoke(portal: Portal, alice: httpx.Client) -> None:
    verify(alice, MARIE)
    issued = _issue(alice)
    path = CODES.format(MARIE.id) + f"/{issued['id']}"
    portal.clock.advance(timedelta(minutes=20))  # revoking needs no grant
    assert alice.delete(path).status_code == 204
    again = alice.delete(path)
    assert again.status_code == 409
    assert error_code(again) == "conflict"
    assert alice.delete(CODES.format(MARIE.id) + "/acc_nope").status_code == 404
    assert alice.delete(CODES.format(JOHN.id) + f"/{issued['id']}").status_code == 404
    with portal.client() as public:
        assert public.post(REDEEM, json={"code": issued["code"]}).status_code == 400


def test_redemption_is_throttled_per_client_address(portal: Portal, alice: httpx.Client) -> None:
    verify(alice, MARIE)
    issued = _issue(alice)
    with portal.client() as public:
        for n in range(10):
            bad = public.post(REDEEM, json={"code": f"AAAA-AAAA-AAA{n + 2}"})
            assert bad.status_code == 400
        limited = public.post(REDEEM, json={"code": issued["code"]})
        assert limited.status_code == 429
        assert error_code(limited) == "rate_limited"
        assert limited.headers["Retry-After"] == "900"
        portal.clock.advance(timedelta(minutes=10))
        assert public.post(REDEEM, json={"code": issued["code"]}).headers["Retry-After"] == "300"
        portal.clock.advance(timedelta(minutes=5))
        assert public.post(REDEEM, json={"code": issued["code"]}).status_code == 200
    outcomes = [e.outcome for e in audit_rows(portal.database, action="access_code.redeem")]
    assert outcomes == ["failed"] * 10 + ["refused", "refused", "ok"]


def test_malformed_code_is_code_invalid(portal: Portal) -> None:
    with portal.client() as public:
        response = public.post(REDEEM, json={"code": "not a code"})
        assert response.status_code == 400
        assert error_code(response) == "code_invalid"
        assert public.post(REDEEM, json={"code": ""}).status_code == 422
