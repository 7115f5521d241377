from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import select

from helpdesk.portal import schema
from helpdesk.portal.app import create_app
from helpdesk.portal.settings import PortalSettings
from tests.hash_cost import CHEAP_POLICY
from tests.portal.conftest import Portal, ServerThread
from tests.portal.fixture_data import JOHN, MARIE, PECHERIES
from tests.portal.helpers import audit_rows, error_code, verify, wrong


def _locked_request(alice: httpx.Client) -> str:
    for n in range(5):
        verify(alice, MARIE, wrong(n))
    created = alice.post("/admin/v1/unlock-requests", json={"profile_id": MARIE.id, "reason": "r"})
    return str(created.json()["id"])


def _open_case(alice: httpx.Client) -> str:
    body = {
        "profile_id": PECHERIES.id,
        "caller_name": "Julie Arsenault",
        "representative_id": "rep_julie",
        "evidence": [],
        "delivery": "email",
    }
    return str(alice.post("/admin/v1/user-code-recoveries", json=body).json()["id"])


# Each supervisor-only call, as an agent would make it (after any set-up it needs).
SUPERVISOR_ONLY: dict[str, Callable[[httpx.Client], httpx.Response]] = {
    "unlock": lambda c: (
        [verify(c, MARIE, wrong(n)) for n in range(5)],
        c.post(f"/admin/v1/profiles/{MARIE.id}/unlock", json={"reason": "r"}),
    )[1],
    "approve": lambda c: c.post(f"/admin/v1/unlock-requests/{_locked_request(c)}/approve"),
    "deny": lambda c: c.post(f"/admin/v1/unlock-requests/{_locked_request(c)}/deny", json={}),
    "global audit": lambda c: c.get("/admin/v1/audit"),
    "case approved": lambda c: c.post(
        f"/admin/v1/user-code-recoveries/{_open_case(c)}/transitions", json={"to": "approved"}
    ),
    "case rejected": lambda c: c.post(
        f"/admin/v1/user-code-recoveries/{_open_case(c)}/transitions", json={"to": "rejected"}
    ),
}


@pytest.mark.parametrize("name", list(SUPERVISOR_ONLY))
def test_agents_get_403_on_supervisor_only_calls(
    portal: Portal, alice: httpx.Client, name: str
) -> None:
    response = SUPERVISOR_ONLY[name](alice)
    assert response.status_code == 403, response.text
    assert error_code(response) == "forbidden"
    if name != "global audit":
        assert audit_rows(portal.database)[-1].outcome == "refused"
        assert audit_rows(portal.database)[-1].reason == "forbidden"


def test_notices_speak_the_profiles_language_and_say_whom_to_call(
    portal: Portal, alice: httpx.Client, sam: httpx.Client
) -> None:
    for caller in (MARIE, JOHN):
        for n in range(5):
            verify(alice, caller, wrong(n))
        sam.post(f"/admin/v1/profiles/{caller.id}/unlock", json={"reason": "r"})
    with portal.database.read() as connection:
        rows = {
            row.profile_id: row
            for row in connection.execute(
                select(schema.notices).where(schema.notices.c.kind == "unlock")
            )
        }
    french, english = rows[MARIE.id], rows[JOHN.id]
    assert (french.language, english.language) == ("fr", "en")
    assert french.subject == "Votre compte a été déverrouillé"
    assert "Si vous n'avez pas fait cette demande" in french.body
    assert english.subject == "Your account was unlocked"
    assert "If you did not ask for this, call" in english.body
    assert french.to_address == MARIE.email and french.channel == "email"


def test_an_unexpected_error_is_a_500_with_the_contract_body_and_no_secret_logged(
    portal: Portal, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(
        PortalSettings(database_url="unused://", policy=CHEAP_POLICY),
        clock=portal.clock,
        database=portal.database,
    )

    secret = "".join(["hunter", "2", "-secret"])  # not in the source the traceback quotes

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError(f"password={secret}")

    with ServerThread(app) as url, httpx.Client(base_url=url) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert body["error"]["details"]["request_id"] == response.headers["x-request-id"]
    assert "RuntimeError" in caplog.text
    assert "hunter2" not in caplog.text
