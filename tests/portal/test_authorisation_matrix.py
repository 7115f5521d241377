"""The authorisation matrix: every route of the app × {no token, garbage token, signed-out token,
agent, supervisor} → the status the contract gives, over real HTTP.

Each row sends a valid request (an existing id, a valid body, the state the call needs: a lock to
lift, a pending request, a grant), so the status says what the identity may do, not that the input
was wrong: the contract checks authentication, then the body's shape, existence, the role, and
only then the state. A route of the app missing from the table fails
``test_every_route_is_in_the_matrix``: a new route must say here who may call it.

The matrix runs on SQLite only: who may call what is decided above the storage (``rules.roles``,
``deps``), and every other portal test runs on PostgreSQL too; the rows' set-up on PostgreSQL
(tables emptied and refilled for each) would triple the matrix's time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.routing import BaseRoute

from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database
from helpdesk.portal.settings import PortalSettings
from tests.hash_cost import CHEAP_POLICY
from tests.portal.conftest import Portal
from tests.portal.fixture_data import CALLERS, JOHN, MARIE, NO_EMAIL, PECHERIES
from tests.portal.helpers import error_code, verify, wrong

IDENTITIES = ("no token", "garbage token", "signed-out token", "agent", "supervisor")
GARBAGE_TOKEN = "not-a-token-the-portal-issued"
V1 = "/admin/v1"
CASES = f"{V1}/user-code-recoveries"

# The expected status of each identity, in the order of IDENTITIES.
ANYONE_AGENT = (401, 401, 401, 200, 200)
SUPERVISOR_ONLY = (401, 401, 401, 403, 200)
PUBLIC = (200, 200, 200, 200, 200)

Setup = dict[str, Any]
Request = Callable[[Setup, str], tuple[str, Any]]  # (setup, identity) → (url, JSON body or None)


def _lock(client: httpx.Client, profile_id: str) -> None:
    for n in range(5):
        response = client.post(
            f"{V1}/profiles/{profile_id}/verifications", json={"answers": wrong(n)}
        )
        assert response.status_code == 200, response.text


def _created(response: httpx.Response) -> Any:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _case_body(profile_id: str) -> dict[str, Any]:
    caller = {PECHERIES.id: PECHERIES, NO_EMAIL.id: NO_EMAIL}[profile_id]
    return {
        "profile_id": profile_id,
        "caller_name": caller.representatives[0][1],
        "representative_id": caller.representatives[0][0],
        "evidence": ["registry checked"],
        "delivery": "mail",
    }


def _open_case(alice: httpx.Client, profile_id: str) -> str:
    return str(_created(alice.post(CASES, json=_case_body(profile_id)))["id"])


# --- what a row needs before its calls -----------------------------------------------------------


def _nothing(alice: httpx.Client, sam: httpx.Client) -> Setup:
    return {}


def _locked(alice: httpx.Client, sam: httpx.Client) -> Setup:
    _lock(alice, MARIE.id)
    _lock(alice, JOHN.id)
    return {}


def _pending_unlock_request(alice: httpx.Client, sam: httpx.Client) -> Setup:
    _lock(alice, MARIE.id)
    request = alice.post(f"{V1}/unlock-requests", json={"profile_id": MARIE.id, "reason": "r"})
    return {"request": _created(request)["id"]}


def _grants(alice: httpx.Client, sam: httpx.Client) -> Setup:
    for client in (alice, sam):
        assert verify(client, MARIE).json()["verified"] is True
    return {}


def _active_codes(alice: httpx.Client, sam: httpx.Client) -> Setup:
    """An active access code on every caller's profile, one per identity."""
    codes: Setup = {}
    for identity, caller in zip(IDENTITIES, CALLERS, strict=True):
        assert verify(alice, caller).json()["verified"] is True
        issued = _created(alice.post(f"{V1}/profiles/{caller.id}/access-codes"))
        codes[identity] = (caller.id, issued["id"], issued["code"])
    return codes


def _open_case_each(alice: httpx.Client, sam: httpx.Client) -> Setup:
    return {"agent": _open_case(alice, PECHERIES.id), "supervisor": _open_case(alice, NO_EMAIL.id)}


def _approved_case_each(alice: httpx.Client, sam: httpx.Client) -> Setup:
    cases = _open_case_each(alice, sam)
    for case_id in cases.values():
        _created(sam.post(f"{CASES}/{case_id}/transitions", json={"to": "approved"}))
    return cases


def _sent_case_each(alice: httpx.Client, sam: httpx.Client) -> Setup:
    cases = _approved_case_each(alice, sam)
    for case_id in cases.values():
        _created(alice.post(f"{CASES}/{case_id}/transitions", json={"to": "sent"}))
    return cases


# --- the matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # the route's path template, as the app declares it
    expected: tuple[int, int, int, int, int]
    request: Request
    prepare: Callable[[httpx.Client, httpx.Client], Setup] = _nothing
    variant: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}{f' ({self.variant})' if self.variant else ''}"


def _fixed(url: str, body: Any = None) -> Request:
    return lambda setup, identity: (url, body)


def _per_identity(profiles: dict[str, str], make: Callable[[str], tuple[str, Any]]) -> Request:
    """Agent and supervisor each act on a profile of their own (both succeed); the refused
    identities use the agent's."""
    return lambda setup, identity: make(profiles.get(identity, profiles["agent"]))


def _transition(to: str) -> Request:
    def request(setup: Setup, identity: str) -> tuple[str, Any]:
        case_id = setup.get(identity, setup["agent"])
        return f"{CASES}/{case_id}/transitions", {"to": to}

    return request


def _decision(decision: str) -> Request:
    return lambda setup, identity: (
        f"{V1}/unlock-requests/{setup['request']}/{decision}",
        {"note": "checked"},
    )


def _code(request: Callable[[str, str, str], tuple[str, Any]]) -> Request:
    return lambda setup, identity: request(*setup[identity])


OWN_PROFILE = {"agent": MARIE.id, "supervisor": JOHN.id}
OWN_CASE_PROFILE = {"agent": PECHERIES.id, "supervisor": NO_EMAIL.id}
P = f"{V1}/profiles/{MARIE.id}"

MATRIX: tuple[Row, ...] = (
    Row("GET", "/healthz", PUBLIC, _fixed("/healthz")),
    Row("GET", "/openapi.json", PUBLIC, _fixed("/openapi.json")),
    Row("GET", "/docs", PUBLIC, _fixed("/docs")),
    Row("GET", "/docs/oauth2-redirect", PUBLIC, _fixed("/docs/oauth2-redirect")),
    Row("GET", "/redoc", PUBLIC, _fixed("/redoc")),
    Row(
        "POST",
        f"{V1}/sessions",
        (201, 201, 201, 201, 201),
        _fixed(f"{V1}/sessions", {"username": "bob", "password": "bob-secret-pass"}),
    ),
    Row("GET", f"{V1}/me", ANYONE_AGENT, _fixed(f"{V1}/me")),
    Row(
        "DELETE",
        f"{V1}/sessions/current",
        (401, 401, 401, 204, 204),
        _fixed(f"{V1}/sessions/current"),
    ),
    Row("GET", f"{V1}/profiles", ANYONE_AGENT, _fixed(f"{V1}/profiles?q=Tremblay")),
    Row("GET", f"{V1}/profiles/{{profile_id}}", ANYONE_AGENT, _fixed(P)),
    Row("GET", f"{V1}/profiles/{{profile_id}}/sign-ins", ANYONE_AGENT, _fixed(f"{P}/sign-ins")),
    Row("GET", f"{V1}/profiles/{{profile_id}}/notices", ANYONE_AGENT, _fixed(f"{P}/notices")),
    Row("GET", f"{V1}/profiles/{{profile_id}}/audit", ANYONE_AGENT, _fixed(f"{P}/audit")),
    Row(
        "GET",
        f"{V1}/profiles/{{profile_id}}/recovery-questions",
        ANYONE_AGENT,
        _fixed(f"{P}/recovery-questions"),
    ),
    Row(
        "POST",
        f"{V1}/profiles/{{profile_id}}/verifications",
        ANYONE_AGENT,
        _fixed(f"{P}/verifications", {"answers": list(MARIE.answers)}),
    ),
    Row("GET", f"{V1}/lockouts", ANYONE_AGENT, _fixed(f"{V1}/lockouts"), _locked),
    Row(
        "POST",
        f"{V1}/profiles/{{profile_id}}/unlock",
        SUPERVISOR_ONLY,
        _fixed(f"{P}/unlock", {"reason": "caller verified by a manager"}),
        _locked,
    ),
    Row(
        "POST",
        f"{V1}/unlock-requests",
        (401, 401, 401, 201, 201),
        _per_identity(
            OWN_PROFILE,
            lambda profile: (f"{V1}/unlock-requests", {"profile_id": profile, "reason": "r"}),
        ),
        _locked,
    ),
    Row("GET", f"{V1}/unlock-requests", ANYONE_AGENT, _fixed(f"{V1}/unlock-requests")),
    Row(
        "GET",
        f"{V1}/unlock-requests/{{request_id}}",
        ANYONE_AGENT,
        lambda setup, identity: (f"{V1}/unlock-requests/{setup['request']}", None),
        _pending_unlock_request,
    ),
    *(
        Row(
            "POST",
            f"{V1}/unlock-requests/{{request_id}}/{decision}",
            SUPERVISOR_ONLY,
            _decision(decision),
            _pending_unlock_request,
        )
        for decision in ("approve", "deny")
    ),
    Row(
        "POST",
        f"{V1}/profiles/{{profile_id}}/access-codes",
        (401, 401, 401, 201, 201),
        _fixed(f"{P}/access-codes"),
        _grants,
    ),
    Row(
        "GET",
        f"{V1}/profiles/{{profile_id}}/access-codes",
        ANYONE_AGENT,
        _fixed(f"{P}/access-codes"),
    ),
    Row(
        "DELETE",
        f"{V1}/profiles/{{profile_id}}/access-codes/{{code_id}}",
        (401, 401, 401, 204, 204),
        _code(
            lambda profile, code_id, code: (f"{V1}/profiles/{profile}/access-codes/{code_id}", None)
        ),
        _active_codes,
    ),
    Row(
        "POST",
        "/v1/access-codes/redemptions",
        PUBLIC,
        _code(lambda profile, code_id, code: ("/v1/access-codes/redemptions", {"code": code})),
        _active_codes,
    ),
    Row(
        "POST",
        CASES,
        (401, 401, 401, 201, 201),
        _per_identity(OWN_CASE_PROFILE, lambda profile: (CASES, _case_body(profile))),
    ),
    Row("GET", CASES, ANYONE_AGENT, _fixed(CASES)),
    *(
        Row(
            "POST",
            f"{CASES}/{{case_id}}/transitions",
            SUPERVISOR_ONLY,
            _transition(to),
            _open_case_each,
            variant=f"open -> {to}",
        )
        for to in ("approved", "rejected")
    ),
    Row(
        "POST",
        f"{CASES}/{{case_id}}/transitions",
        ANYONE_AGENT,
        _transition("sent"),
        _approved_case_each,
        variant="approved -> sent",
    ),
    Row(
        "POST",
        f"{CASES}/{{case_id}}/transitions",
        ANYONE_AGENT,
        _transition("closed"),
        _sent_case_each,
        variant="sent -> closed",
    ),
    Row("GET", f"{V1}/audit", SUPERVISOR_ONLY, _fixed(f"{V1}/audit")),
)


def _app_routes() -> set[tuple[str, str]]:
    """Every (method, path template) the app serves, from its routes (schema or not) and its
    OpenAPI document; HEAD is left out where GET is served (Starlette adds it to GET)."""
    app = create_app(
        PortalSettings(database_url="unused://", policy=CHEAP_POLICY),
        database=Database.from_url("sqlite://"),
    )
    found: set[tuple[str, str]] = set()

    def walk(routes: list[BaseRoute]) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)  # FastAPI's included router
            if included is not None:
                walk(included.routes)
                continue
            path, methods = getattr(route, "path", None), getattr(route, "methods", None)
            assert path is not None and methods, f"a route the matrix cannot name: {route!r}"
            found.update((method, path) for method in methods if method != "HEAD")

    walk(app.routes)
    for path, operations in app.openapi()["paths"].items():
        found.update((method.upper(), path) for method in operations)
    return found


def test_every_route_is_in_the_matrix() -> None:
    rows = {(row.method, row.route) for row in MATRIX}
    routes = _app_routes()
    assert sorted(routes - rows) == [], "routes missing from the matrix"
    assert sorted(rows - routes) == [], "rows naming no route of the app"


def _identities(portal: Portal, alice: httpx.Client, sam: httpx.Client) -> dict[str, httpx.Client]:
    signed_out = portal.token("bob")
    with portal.client(signed_out) as bob:
        assert bob.delete(f"{V1}/sessions/current").status_code == 204
    return {
        "no token": portal.client(),
        "garbage token": portal.client(GARBAGE_TOKEN),
        "signed-out token": portal.client(signed_out),
        "agent": alice,
        "supervisor": sam,
    }


@pytest.mark.parametrize("populated", ["sqlite"], indirect=True)
@pytest.mark.parametrize("row", MATRIX, ids=[row.id for row in MATRIX])
def test_authorisation(row: Row, portal: Portal, alice: httpx.Client, sam: httpx.Client) -> None:
    setup = row.prepare(alice, sam)
    clients = _identities(portal, alice, sam)
    got: dict[str, int] = {}
    try:
        for identity, expected in zip(IDENTITIES, row.expected, strict=True):
            url, body = row.request(setup, identity)
            response = clients[identity].request(row.method, url, json=body)
            got[identity] = response.status_code
            if response.status_code != expected:
                continue
            if expected == 401:
                assert error_code(response) == "unauthenticated", (identity, response.text)
            elif expected == 403:
                assert error_code(response) == "forbidden", (identity, response.text)
    finally:
        for identity in IDENTITIES[:3]:
            clients[identity].close()
    table = dict(zip(IDENTITIES, row.expected, strict=True))
    wrong_cells = {
        who: f"got {got[who]}, expected {table[who]}"
        for who in IDENTITIES
        if got[who] != table[who]
    }
    assert not wrong_cells, f"{row.id}: {wrong_cells}"
