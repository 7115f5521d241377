from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from helpdesk.portal import schema, security
from tests.portal.conftest import Portal
from tests.portal.fixture_data import MARIE, PASSWORDS
from tests.portal.helpers import audit_rows, error_code, verify


def test_sign_in_returns_a_token_stored_only_as_its_digest(portal: Portal) -> None:
    with portal.client() as client:
        response = client.post(
            "/admin/v1/sessions", json={"username": "alice", "password": PASSWORDS["alice"]}
        )
    assert response.status_code == 201
    body = response.json()
    assert body["agent"] == {"username": "alice", "display_name": "Alice", "role": "agent"}
    assert body["expires_at"] == "2026-11-24T03:00:00Z"  # 8 hours
    with portal.database.read() as connection:
        stored = connection.execute(select(schema.sessions.c.token_hash)).scalars().all()
    assert stored == [security.digest(body["token"])]
    assert body["token"] not in stored


def test_unknown_user_and_wrong_password_get_the_same_401(portal: Portal) -> None:
    with portal.client() as client:
        unknown = client.post("/admin/v1/sessions", json={"username": "nobody", "password": "x"})
        wrong = client.post("/admin/v1/sessions", json={"username": "alice", "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert error_code(unknown) == "unauthenticated"
    events = audit_rows(portal.database, action="session.create")
    assert [(e.actor, e.outcome) for e in events] == [
        ("anonymous", "refused"),
        ("alice", "refused"),
    ]


def test_me_needs_a_token(portal: Portal) -> None:
    with portal.client() as client:
        assert error_code(client.get("/admin/v1/me")) == "unauthenticated"
        assert client.get("/admin/v1/me").status_code == 401
    with portal.client("not-a-token") as client:
        assert client.get("/admin/v1/me").status_code == 401


def test_me_names_the_agent(portal: Portal) -> None:
    with portal.agent("sam") as sam:
        assert sam.get("/admin/v1/me").json() == {
            "username": "sam",
            "display_name": "Sam",
            "role": "supervisor",
        }


def test_expired_token_is_401(portal: Portal) -> None:
    with portal.agent("alice") as alice:
        assert alice.get("/admin/v1/me").status_code == 200
        portal.clock.advance(timedelta(hours=8))
        response = alice.get("/admin/v1/me")
    assert response.status_code == 401
    assert error_code(response) == "unauthenticated"


def test_sign_out_kills_the_token_and_its_grants(portal: Portal) -> None:
    with portal.agent("alice") as alice:
        assert verify(alice, MARIE).json()["verified"] is True
        with portal.database.read() as connection:
            assert connection.execute(select(schema.grants)).all()
        response = alice.delete("/admin/v1/sessions/current")
        assert response.status_code == 204
        assert alice.get("/admin/v1/me").status_code == 401
    with portal.database.read() as connection:
        assert connection.execute(select(schema.grants)).all() == []
    events = audit_rows(portal.database, action="session.delete")
    assert [(e.actor, e.outcome) for e in events] == [("alice", "ok")]


def test_sign_out_without_a_token_is_401_and_audited(portal: Portal) -> None:
    with portal.client() as client:
        response = client.delete("/admin/v1/sessions/current")
    assert response.status_code == 401
    events = audit_rows(portal.database, action="session.delete")
    assert [(e.actor, e.outcome, e.reason) for e in events] == [
        ("anonymous", "refused", "unauthenticated")
    ]
