"""The paged lists of a supervisor's floor: lockouts (soonest unlock first) and unlock requests
(oldest first), a page at a time, each page starting after the item the cursor names."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from helpdesk.portal import schema
from tests.portal.conftest import START, Portal
from tests.portal.fixture_data import insert_many
from tests.portal.helpers import error_code

LOCKOUTS = "/admin/v1/lockouts"
REQUESTS = "/admin/v1/unlock-requests"


def _lock(portal: Portal, profile_id: str, until: datetime) -> None:
    with portal.database.write() as connection:
        connection.execute(
            schema.profiles.update()
            .where(schema.profiles.c.id == profile_id)
            .values(
                failed_attempts=5,
                locked_at=until - timedelta(minutes=15),
                locked_until=until,
                lock_reason="verification_failures",
            )
        )


def _request(portal: Portal, request_id: str, profile_id: str, at: datetime, status: str) -> None:
    with portal.database.write() as connection:
        connection.execute(
            schema.unlock_requests.insert().values(
                id=request_id,
                profile_id=profile_id,
                status=status,
                reason="caller has ID",
                requested_by="alice",
                requested_at=at,
            )
        )


@pytest.fixture
def floor(portal: Portal) -> list[str]:
    """Nine profiles, the first seven locked: two locks end at the same instant (the id orders
    them), one has ended. The last two are for a test to lock."""
    with portal.database.write() as connection:
        ids = insert_many(connection, 9, START, "Floor")
    ends = [9, 3, 12, 3, 6, 15, 0]  # minutes from START; the last one has run out
    for profile_id, minutes in zip(ids, ends, strict=False):
        _lock(portal, profile_id, START + timedelta(minutes=minutes))
    return ids


def _pages(client: httpx.Client, path: str, **params: Any) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        response = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        page = response.json()
        yield page
        cursor = page["next_cursor"]
        if cursor is None:
            return


def _ids(page: dict[str, Any], key: str = "profile_id") -> list[str]:
    return [item[key] for item in page["items"]]


def test_lockouts_come_in_pages_soonest_unlock_first(alice: httpx.Client, floor: list[str]) -> None:
    pages = list(_pages(alice, LOCKOUTS, limit=2))
    assert [_ids(page) for page in pages] == [
        [floor[1], floor[3]],  # both end at +3 min: by id
        [floor[4], floor[0]],
        [floor[2], floor[5]],
    ]
    assert alice.get(LOCKOUTS).json() == {
        "items": [item for page in pages for item in page["items"]],
        "next_cursor": None,
    }


def test_a_lockout_page_does_not_move_when_the_floor_changes(
    portal: Portal, alice: httpx.Client, floor: list[str]
) -> None:
    first = alice.get(LOCKOUTS, params={"limit": 2}).json()
    sooner, later = floor[7:]
    _lock(portal, sooner, START + timedelta(minutes=1))  # before the cursor: not on later pages
    _lock(portal, later, START + timedelta(minutes=10))  # after it: on the next page
    rest = list(_pages(alice, LOCKOUTS, limit=2, cursor=first["next_cursor"]))
    assert [_ids(page) for page in rest] == [[floor[4], floor[0]], [later, floor[2]], [floor[5]]]


def test_after_every_lock_on_a_page_has_ended_its_cursor_still_answers(
    portal: Portal, alice: httpx.Client, floor: list[str]
) -> None:
    first = alice.get(LOCKOUTS, params={"limit": 2}).json()
    portal.clock.advance(timedelta(minutes=10))
    rest = alice.get(LOCKOUTS, params={"cursor": first["next_cursor"]}).json()
    assert _ids(rest) == [floor[2], floor[5]]


@pytest.fixture
def requests(portal: Portal) -> list[str]:
    """Five requests asked at different times, two at the same instant; two decided. A sixth
    profile is for a test to ask about."""
    with portal.database.write() as connection:
        ids = insert_many(connection, 6, START, "Queue")
    asked = [
        ("unl_c", 30, "pending"),
        ("unl_a", 50, "approved"),
        ("unl_e", 10, "pending"),
        ("unl_d", 30, "pending"),
        ("unl_b", 40, "denied"),
    ]
    for profile_id, (request_id, minutes_ago, status) in zip(ids, asked, strict=False):
        _request(portal, request_id, profile_id, START - timedelta(minutes=minutes_ago), status)
    return ids


def test_unlock_requests_come_oldest_first(alice: httpx.Client, requests: list[str]) -> None:
    pending = list(_pages(alice, REQUESTS, status="pending", limit=2))
    assert [_ids(page, "id") for page in pending] == [["unl_c", "unl_d"], ["unl_e"]]
    every = list(_pages(alice, REQUESTS, limit=2))
    assert [_ids(page, "id") for page in every] == [
        ["unl_a", "unl_b"],
        ["unl_c", "unl_d"],
        ["unl_e"],
    ]
    assert alice.get(REQUESTS, params={"status": "denied"}).json() == {
        "items": every[0]["items"][1:],
        "next_cursor": None,
    }


def test_a_request_made_after_a_page_was_read_joins_the_end_of_the_queue(
    portal: Portal, alice: httpx.Client, requests: list[str]
) -> None:
    first = alice.get(REQUESTS, params={"status": "pending", "limit": 2}).json()
    _request(portal, "unl_f", requests[5], START, "pending")
    rest = alice.get(
        REQUESTS, params={"status": "pending", "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert _ids(rest, "id") == ["unl_e", "unl_f"]


@pytest.mark.parametrize("path", [LOCKOUTS, REQUESTS])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"cursor": "x"}, "cursor"),
        ({"cursor": "12"}, "cursor"),
        ({"cursor": "1.!!"}, "cursor"),
        ({"cursor": "999999999999999999.cHJmX3g"}, "cursor"),  # past year 9999
        ({"cursor": "1.__8"}, "cursor"),  # not UTF-8
        ({"cursor": "1.AA"}, "cursor"),  # a NUL
        ({"cursor": "1." + "eHh4" * 14}, "cursor"),  # longer than any id
    ],
)
def test_bad_page_parameters_are_422(
    portal: Portal, alice: httpx.Client, path: str, params: dict[str, object], field: str
) -> None:
    response = alice.get(path, params=params)
    assert response.status_code == 422, response.text
    assert error_code(response) == "validation_failed"
    assert field in response.json()["error"]["details"]["fields"]
    with portal.client() as anonymous:
        assert anonymous.get(path, params=params).status_code == 401


@pytest.mark.parametrize("path", [LOCKOUTS, REQUESTS])
def test_two_hundred_is_the_largest_page(alice: httpx.Client, path: str) -> None:
    assert alice.get(path, params={"limit": 200}).status_code == 200
