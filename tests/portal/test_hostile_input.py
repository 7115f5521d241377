"""Hostile and odd input found by a review: each is a clear 4xx, never a 500, on SQLite and on
PostgreSQL alike."""

from __future__ import annotations

import httpx
import pytest

from tests.portal.fixture_data import MARIE
from tests.portal.helpers import error_code


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
