"""Hostile and odd input found by a review: each is a clear 4xx, never a 500, on SQLite and on
PostgreSQL alike."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import update

from helpdesk.portal import schema
from helpdesk.portal.rules.masking import mask_postal_address
from helpdesk.portal.search_keys import prefix_upper_bound
from tests.portal.conftest import Portal
from tests.portal.fixture_data import MARIE
from tests.portal.helpers import audit_count, audit_rows, error_code, profile_row


def _assert_422(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert error_code(response) == "validation_failed"
    assert field in response.json()["error"]["details"]["fields"], response.text


# str.isdigit() is true for these, int() refuses some and reads others as digits.
@pytest.mark.parametrize("cursor", ["²", "٣", "١٢", "𝟗", "1²", " 1", "+1", "1_0"])
def test_a_cursor_of_other_digits_is_422(
    alice: httpx.Client, sam: httpx.Client, cursor: str
) -> None:
    _assert_422(
        alice.get(f"/admin/v1/profiles/{MARIE.id}/audit", params={"cursor": cursor}), "cursor"
    )
    _assert_422(sam.get("/admin/v1/audit", params={"cursor": cursor}), "cursor")
    _assert_422(alice.get("/admin/v1/lockouts", params={"cursor": cursor}), "cursor")
    _assert_422(alice.get("/admin/v1/unlock-requests", params={"cursor": cursor}), "cursor")


# An offset that moves the time past year 9999 or before year 1 overflows astimezone().
@pytest.mark.parametrize(
    ("name", "value"),
    [("since", "9999-12-31T23:59:59-23:59"), ("until", "0001-01-01T00:00:00+05:00")],
)
def test_since_and_until_out_of_range_are_422(
    alice: httpx.Client, sam: httpx.Client, name: str, value: str
) -> None:
    _assert_422(alice.get(f"/admin/v1/profiles/{MARIE.id}/audit", params={name: value}), name)
    _assert_422(sam.get("/admin/v1/audit", params={name: value}), name)


def test_since_and_until_at_the_ends_of_the_range_are_fine(sam: httpx.Client) -> None:
    response = sam.get(
        "/admin/v1/audit",
        params={"since": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59+00:00"},
    )
    assert response.status_code == 200, response.text


# A query ending in U+D7FF or U+10FFFF once made a search bound of a lone surrogate or an
# invalid code point.
@pytest.mark.parametrize(
    "q", ["\U0010ffff", "a\ud7ff", "m\U0010ffff", "\U0010ffff" * 3, "😀" * 100, "é\ud7ff x"]
)
def test_search_with_edge_code_points_answers(alice: httpx.Client, q: str) -> None:
    response = alice.get("/admin/v1/profiles", params={"q": q})
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["items"], list)


@pytest.mark.parametrize(
    ("prefix", "bound"),
    [
        ("abc", "abd"),
        ("a\ud7ff", "a\ue000"),
        ("a\U0010ffff", "b"),
        ("ab\U0010ffff\U0010ffff", "ac"),
        ("\U0010ffff", "\U0010ffff\U0010ffff"),
    ],
)
def test_prefix_upper_bound(prefix: str, bound: str) -> None:
    assert prefix_upper_bound(prefix) == bound


LONG_ID = "prf_" + "x" * 60

# (method, path, body, supervisor?) of every state-changing call that names a profile.
NAMING_A_PROFILE: list[tuple[str, str, dict[str, object] | None, bool]] = [
    ("POST", f"/admin/v1/profiles/{LONG_ID}/verifications", {"answers": ["a", "b", "c"]}, False),
    ("POST", f"/admin/v1/profiles/{LONG_ID}/access-codes", None, False),
    ("POST", f"/admin/v1/profiles/{LONG_ID}/unlock", {"reason": "called"}, True),
    ("POST", f"/admin/v1/profiles/{LONG_ID}/unlock", {"reason": "called"}, False),
    ("DELETE", f"/admin/v1/profiles/{LONG_ID}/access-codes/acc_x", None, False),
    ("POST", "/admin/v1/unlock-requests", {"profile_id": LONG_ID, "reason": "called"}, False),
    (
        "POST",
        "/admin/v1/user-code-recoveries",
        {
            "profile_id": LONG_ID,
            "caller_name": "Denis Cormier",
            "representative_id": "rep_x",
            "evidence": [],
            "delivery": "email",
        },
        False,
    ),
]


# PostgreSQL refused the audit row of such a call (the id is longer than the column): a 500, and
# no audit event at all.
@pytest.mark.parametrize(("method", "path", "body", "supervisor"), NAMING_A_PROFILE)
def test_an_id_longer_than_any_profile_id_is_404_and_audited_once(
    portal: Portal,
    alice: httpx.Client,
    sam: httpx.Client,
    method: str,
    path: str,
    body: dict[str, object] | None,
    supervisor: bool,
) -> None:
    client = sam if supervisor else alice
    before = audit_count(portal.database)
    response = client.request(method, path, json=body)
    assert response.status_code == 404, response.text
    assert error_code(response) == "not_found"
    assert audit_count(portal.database) == before + 1
    [event] = audit_rows(portal.database, request_id=response.headers["x-request-id"])
    assert (event.outcome, event.reason, event.profile_id) == ("refused", "not_found", None)

    with portal.client() as anonymous:
        response = anonymous.request(method, path, json=body)
    assert response.status_code == 401, response.text
    assert audit_count(portal.database) == before + 2


# (method, path, params, body, the field named): PostgreSQL refuses a NUL in text, so each was
# a 500 there (and, on SQLite, a lookup or even an evaluated attempt).
WITH_A_NUL: list[tuple[str, str, dict[str, str] | None, dict[str, object] | None, str]] = [
    ("GET", "/admin/v1/profiles", {"q": "trem\x00blay"}, None, "q"),
    ("GET", "/admin/v1/profiles/prf%00x", None, None, "profile_id"),
    ("GET", "/admin/v1/profiles/prf%00x/audit", None, None, "profile_id"),
    ("GET", "/admin/v1/user-code-recoveries", {"profile_id": "x\x00"}, None, "profile_id"),
    ("GET", "/admin/v1/audit", {"actor": "alice\x00"}, None, "actor"),
    ("DELETE", f"/admin/v1/profiles/{MARIE.id}/access-codes/acc%00x", None, None, "code_id"),
    (
        "POST",
        f"/admin/v1/profiles/{MARIE.id}/verifications",
        None,
        {"answers": ["Toy\x00ota", "Honda", "x"]},
        "answers[0]",
    ),
    (
        "POST",
        "/admin/v1/unlock-requests",
        None,
        {"profile_id": "p\x00", "reason": "r"},
        "profile_id",
    ),
    (
        "POST",
        "/admin/v1/user-code-recoveries",
        None,
        {
            "profile_id": MARIE.id,
            "caller_name": "Denis",
            "representative_id": "rep_x",
            "evidence": ["id card", "bill\x00"],
            "delivery": "email",
        },
        "evidence[1]",
    ),
    ("POST", "/admin/v1/sessions", None, {"username": "ali\x00ce", "password": "x"}, "username"),
    ("POST", "/v1/access-codes/redemptions", None, {"code": "ABCD\x00"}, "code"),
]


@pytest.mark.parametrize(("method", "path", "params", "body", "field"), WITH_A_NUL)
def test_a_nul_character_is_422_naming_the_field(
    portal: Portal,
    sam: httpx.Client,
    method: str,
    path: str,
    params: dict[str, str] | None,
    body: dict[str, object] | None,
    field: str,
) -> None:
    before = audit_count(portal.database)
    response = sam.request(method, path, params=params, json=body)
    _assert_422(response, field)
    state_changing = method != "GET"
    assert audit_count(portal.database) == before + state_changing
    if state_changing:
        [event] = audit_rows(portal.database, request_id=response.headers["x-request-id"])
        assert (event.outcome, event.reason) == ("refused", "validation_failed")
    assert profile_row(portal.database, MARIE.id).failed_attempts == 0
    if not path.startswith(("/admin/v1/sessions", "/v1/")):
        with portal.client() as anonymous:
            assert anonymous.request(method, path, params=params, json=body).status_code == 401


# Bytes json.loads() cannot read at all: FastAPI answered its own 400 `http_error`, unaudited.
# (Nested 60,000 deep: a body over 64 KiB is a 413 before anything reads it.)
UNREADABLE = [b'{"answers": ["\xff", "b", "c"]}', b"[" * 60_000, b'{"code": "\xc3"}']


@pytest.mark.parametrize("content", UNREADABLE)
@pytest.mark.parametrize(
    "path",
    [
        f"/admin/v1/profiles/{MARIE.id}/verifications",
        "/admin/v1/sessions",
        "/v1/access-codes/redemptions",
    ],
)
def test_an_unreadable_body_is_422_and_audited_once(
    portal: Portal, alice: httpx.Client, path: str, content: bytes
) -> None:
    before = audit_count(portal.database)
    response = alice.post(path, content=content, headers={"Content-Type": "application/json"})
    _assert_422(response, "body")
    assert audit_count(portal.database) == before + 1
    [event] = audit_rows(portal.database, request_id=response.headers["x-request-id"])
    assert (event.outcome, event.reason) == ("refused", "validation_failed")
    assert profile_row(portal.database, MARIE.id).failed_attempts == 0


def test_an_unreadable_body_without_a_token_is_401(portal: Portal) -> None:
    with portal.client() as anonymous:
        response = anonymous.post(
            f"/admin/v1/profiles/{MARIE.id}/verifications",
            content=UNREADABLE[0],
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 401
    assert error_code(response) == "unauthenticated"


# The contract's order: the request's shape (422) before existence (404) and role (403).
def test_a_malformed_cursor_is_422_before_404_and_403(alice: httpx.Client) -> None:
    _assert_422(alice.get("/admin/v1/profiles/prf_nobody/audit", params={"cursor": "x"}), "cursor")
    _assert_422(alice.get("/admin/v1/audit", params={"cursor": "x"}), "cursor")
    _assert_422(alice.get("/admin/v1/audit", params={"since": "not a time"}), "since")
    assert alice.get("/admin/v1/audit").status_code == 403


# An address kept on one line was taken whole as its "last line": the street name showed.
@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("218, rue Saint-Germain Est, Rimouski QC  G5L 1B7", "•••, Rimouski QC ••• •••"),
        ("218 rue Saint-Germain Est Rimouski QC G5L 1B7", "•••"),
        ("Rimouski QC G5L 1B7", "•••"),
        ("1 Main St\nHalifax NS  B3H 1A1", "•••\nHalifax NS ••• •••"),
    ],
)
def test_a_postal_address_on_one_line_hides_its_street(address: str, masked: str) -> None:
    assert mask_postal_address(address) == masked


def test_a_profile_with_a_one_line_address_reads_masked(
    portal: Portal, alice: httpx.Client
) -> None:
    with portal.database.write() as connection:
        connection.execute(
            update(schema.profiles)
            .where(schema.profiles.c.id == MARIE.id)
            .values(postal_address="218, rue Saint-Germain Est, Rimouski QC  G5L 1B7")
        )
    profile = alice.get(f"/admin/v1/profiles/{MARIE.id}").json()
    assert profile["postal_address"] == "•••, Rimouski QC ••• •••"
