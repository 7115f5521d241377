"""The HTTP edges of the portal found by the hardening pass (issue 11): bodies the body check could
not walk, the methods a 405 names, the bounds the OpenAPI document gives. Real HTTP on loopback."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from helpdesk.api.models import NOT_BLANK
from helpdesk.portal.app import create_app
from helpdesk.portal.settings import PortalSettings
from tests.portal.conftest import Portal
from tests.portal.fixture_data import MARIE
from tests.portal.helpers import audit_count, audit_rows, error_code, profile_row

NESTED = "[" * 1000 + "]" * 1000  # about 2 KB


def _post_routes_with_a_body() -> list[str]:
    document = create_app(PortalSettings(database_url="sqlite://")).openapi()
    return sorted(
        re.sub(r"\{[a-z_]+\}", MARIE.id, path)
        for path, operations in document["paths"].items()
        if "requestBody" in operations.get("post", {})
    )


POST_WITH_A_BODY = _post_routes_with_a_body()
NOT_JSON = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]


def test_every_post_with_a_body_is_covered() -> None:
    assert "/admin/v1/sessions" in POST_WITH_A_BODY
    assert "/v1/access-codes/redemptions" in POST_WITH_A_BODY
    assert f"/admin/v1/profiles/{MARIE.id}/verifications" in POST_WITH_A_BODY
    assert len(POST_WITH_A_BODY) >= 8


# Defect 1: a RecursionError escaped the NUL check of the body (a 500 with no audit event)
# when the type said it was not JSON; as JSON the same body was a 422 already.
@pytest.mark.parametrize("content_type", [*NOT_JSON, "application/json"])
def test_deeply_nested_json_of_any_type_is_422_and_audited(
    portal: Portal, alice: httpx.Client, content_type: str
) -> None:
    for path in POST_WITH_A_BODY:
        before = audit_count(portal.database)
        response = alice.post(path, content=NESTED, headers={"Content-Type": content_type})
        assert response.status_code == 422, (path, response.text)
        assert error_code(response) == "validation_failed"
        assert "body" in response.json()["error"]["details"]["fields"]
        assert audit_count(portal.database) == before + 1, path
        [event] = audit_rows(portal.database, request_id=response.headers["x-request-id"])
        assert (event.outcome, event.reason) == ("refused", "validation_failed")
    assert profile_row(portal.database, MARIE.id).failed_attempts == 0


@pytest.mark.parametrize("content_type", NOT_JSON)
def test_deeply_nested_json_signed_out_is_401_or_422(portal: Portal, content_type: str) -> None:
    with portal.client() as anonymous:
        for path in POST_WITH_A_BODY:
            response = anonymous.post(path, content=NESTED, headers={"Content-Type": content_type})
            public = path in ("/admin/v1/sessions", "/v1/access-codes/redemptions")
            assert response.status_code == (422 if public else 401), (path, response.text)
            error_code(response)


# Nested as deep as the parser reads: the NUL check walks it without recursion.
@pytest.mark.parametrize("depth", [500, 900])
def test_json_nested_as_deep_as_the_parser_reads_is_422(alice: httpx.Client, depth: int) -> None:
    body = '{"answers": ' + "[" * depth + '"\\u0000"' + "]" * depth + "}"
    response = alice.post(
        f"/admin/v1/profiles/{MARIE.id}/verifications",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert error_code(response) == "validation_failed"


def _document_paths() -> dict[str, list[str]]:
    document = create_app(PortalSettings(database_url="sqlite://")).openapi()
    return {
        re.sub(r"\{[a-z_]+\}", MARIE.id, path): sorted(method.upper() for method in operations)
        for path, operations in document["paths"].items()
    }


# Defect 6: the router's 405 named the methods of the first route whose path matched.
@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/admin/v1/unlock-requests", "GET, POST"),
        ("/admin/v1/user-code-recoveries", "GET, POST"),
        (f"/admin/v1/profiles/{MARIE.id}/access-codes", "GET, POST"),
        ("/admin/v1/unlock-requests/ulr_1", "GET"),
        ("/admin/v1/unlock-requests/ulr_1/approve", "POST"),
        ("/admin/v1/unlock-requests/ulr_1/deny", "POST"),
    ],
)
def test_a_405_names_every_method_of_the_path(alice: httpx.Client, path: str, allow: str) -> None:
    response = alice.put(path, json={})
    assert response.status_code == 405, response.text
    assert error_code(response) == "method_not_allowed"
    assert response.headers["allow"] == allow


def test_every_path_405_allows_what_it_serves(sam: httpx.Client) -> None:
    for path, methods in _document_paths().items():
        response = sam.request("PATCH", path)
        assert response.status_code == 405, (path, response.text)
        allowed = response.headers["allow"].split(", ")
        assert set(methods) <= set(allowed), path
        for method in allowed:
            served = sam.request(method, path, json={} if method == "POST" else None)
            assert served.status_code != 405, (path, method)


DOCUMENT = create_app(PortalSettings(database_url="sqlite://")).openapi()


def _parameter(path: str, method: str, name: str) -> dict[str, Any] | None:
    for parameter in DOCUMENT["paths"][path][method].get("parameters", []):
        if parameter["name"] == name:
            return dict(parameter)
    return None


# Defect 7: the document and the server disagreed on the Idempotency-Key, the cursor and times.
def test_the_document_gives_the_idempotency_keys_bounds_on_every_post_only() -> None:
    for path, operations in DOCUMENT["paths"].items():
        for method in operations:
            key = _parameter(path, method, "Idempotency-Key")
            if method == "post":
                assert key is not None, path
                assert key["in"] == "header" and not key["required"]
                assert (key["schema"]["minLength"], key["schema"]["maxLength"]) == (1, 200)
                assert key["schema"]["pattern"] == NOT_BLANK
            else:
                assert key is None, (method, path)


@pytest.mark.parametrize(("length", "status"), [(1, 201), (200, 201), (201, 422), (0, 422)])
def test_the_server_takes_the_idempotency_keys_the_document_allows(
    alice: httpx.Client, length: int, status: int
) -> None:
    response = alice.post(
        "/admin/v1/unlock-requests",
        json={"profile_id": "prf_jean", "reason": "locked out on the phone"},
        headers={"Idempotency-Key": "k" * length},
    )
    assert response.status_code in ({201, 404, 409} if status == 201 else {422}), response.text
    if status == 422:
        assert "Idempotency-Key" in response.json()["error"]["details"]["fields"]


# A key of white space alone once the HTTP layer has trimmed spaces and tabs (U+0085, sent as
# its latin-1 byte) was refused where the document allowed any 1 to 200 characters, and one of 201
# characters ending in U+0085 was taken; the document now gives the key NOT_BLANK, and its length
# is the length as sent (docs/API.md, Texts).
@pytest.mark.parametrize(
    ("key", "why"),
    [(b"\x85", "must not be blank"), (b"k" * 200 + b"\x85", "must be 1 to 200 characters")],
)
def test_an_idempotency_key_is_refused_as_the_document_says(
    alice: httpx.Client, key: bytes, why: str
) -> None:
    response = alice.post(
        "/admin/v1/unlock-requests",
        json={"profile_id": "prf_jean", "reason": "locked out on the phone"},
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["fields"] == {"Idempotency-Key": why}


CURSOR_PATHS = ["/admin/v1/audit", "/admin/v1/lockouts", "/admin/v1/unlock-requests"]


def test_every_cursor_the_server_gives_has_the_documents_form(
    sam: httpx.Client, alice: httpx.Client
) -> None:
    for answers in (["a", "b", "c"], ["d", "e", "f"]):  # two events in Marie's audit trail
        alice.post(f"/admin/v1/profiles/{MARIE.id}/verifications", json={"answers": answers})
    given = 0
    for template in [*CURSOR_PATHS, "/admin/v1/profiles/{profile_id}/audit"]:
        parameter = _parameter(template, "get", "cursor")
        path = template.format(profile_id=MARIE.id)
        assert parameter is not None, path
        [schema, _] = parameter["schema"]["anyOf"]
        response = sam.get(path, params={"limit": 1})
        assert response.status_code == 200, response.text
        cursor = response.json()["next_cursor"]
        if cursor is not None:
            given += 1
            assert re.search(schema["pattern"], cursor), (path, cursor)
            assert sam.get(path, params={"limit": 1, "cursor": cursor}).status_code == 200
    assert given >= 2  # the audit trails at least


@pytest.mark.parametrize("cursor", ["abc", "1.", ".a", "1.a=", "1.a b", "1" * 19 + ".a"])
def test_a_cursor_not_of_the_documents_form_is_422(sam: httpx.Client, cursor: str) -> None:
    for path in CURSOR_PATHS:
        response = sam.get(path, params={"cursor": cursor})
        assert response.status_code == 422, (path, response.text)
        assert "cursor" in response.json()["error"]["details"]["fields"]


# A Unix time, a date alone, a time without its offset: pydantic read them all.
@pytest.mark.parametrize(
    "moment",
    ["0.5", "1700000000", "2026-11-23", "2026-11-23T19:04:05", "2026-11-23T19:04Z", "today"],
)
def test_since_and_until_that_are_not_rfc_3339_date_times_are_422(
    sam: httpx.Client, alice: httpx.Client, moment: str
) -> None:
    for name in ("since", "until"):
        for client, path in (
            (sam, "/admin/v1/audit"),
            (alice, f"/admin/v1/profiles/{MARIE.id}/audit"),
        ):
            response = client.get(path, params={name: moment})
            assert response.status_code == 422, (path, name, response.text)
            assert name in response.json()["error"]["details"]["fields"]


@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-23T19:04:05Z",
        "2026-11-23T19:04:05.123456Z",
        "2026-11-23t19:04:05z",
        "2026-11-23T15:04:05-04:00",
        "2026-11-23T19:04:05+00:00",
    ],
)
def test_rfc_3339_date_times_are_taken(sam: httpx.Client, moment: str) -> None:
    parameter = _parameter("/admin/v1/audit", "get", "since")
    assert parameter is not None
    assert parameter["schema"]["anyOf"][0] == {"type": "string", "format": "date-time"}
    for name in ("since", "until"):
        response = sam.get("/admin/v1/audit", params={name: moment})
        assert response.status_code == 200, response.text
