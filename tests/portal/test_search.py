from __future__ import annotations

import httpx
import pytest

from tests.portal.conftest import Portal
from tests.portal.fixture_data import JOHN, JOINT, MARIE, NO_EMAIL, PECHERIES, insert_many
from tests.portal.helpers import error_code


def _ids(client: httpx.Client, q: str, **params: object) -> list[str]:
    response = client.get("/admin/v1/profiles", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("40718263", MARIE.id),  # recovery number
        ("trembm01", MARIE.id),  # user code, any case
        ("marie.tremblay@videotron.ca", MARIE.id),  # e-mail
        ("MARIE.TREM", MARIE.id),  # e-mail prefix
        ("418-723", MARIE.id),  # phone start, punctuation ignored
        ("4821", MARIE.id),  # phone's last digits
        ("(902) 555-0142", JOHN.id),
        ("tremb", MARIE.id),  # surname prefix
        ("JOHN", JOHN.id),  # preferred name
        ("sophie", JOINT.id),  # second holder
        ("pecheries", PECHERIES.id),  # organisation word, accents folded
        ("atlan", PECHERIES.id),  # any word of the organisation
        ("cormier", PECHERIES.id),  # representative
        ("Leblanc", NO_EMAIL.id),
    ],
)
def test_finds(alice: httpx.Client, q: str, expected: str) -> None:
    assert expected in _ids(alice, q)


@pytest.mark.parametrize(
    ("q", "expected", "matched_on"),
    [
        ("40718263", MARIE.id, "recovery_number"),
        ("trembm01", MARIE.id, "user_code"),
        ("MARIE.TREM", MARIE.id, "email"),
        ("4821", MARIE.id, "phone"),
        ("tremb", MARIE.id, "holder_name"),
        ("sophie", JOINT.id, "holder_name"),
        ("cormier", PECHERIES.id, "representative_name"),
        ("denis cormier", PECHERIES.id, "representative_name"),
        ("atlan", PECHERIES.id, "organisation_name"),
    ],
)
def test_each_result_says_what_it_matched(
    alice: httpx.Client, q: str, expected: str, matched_on: str
) -> None:
    items = alice.get("/admin/v1/profiles", params={"q": q}).json()["items"]
    (item,) = [item for item in items if item["id"] == expected]
    assert item["matched_on"] == matched_on


def test_a_summary_tells_namesakes_apart_without_giving_the_number_away(
    alice: httpx.Client,
) -> None:
    (marie,) = alice.get("/admin/v1/profiles", params={"q": "40718263"}).json()["items"]
    assert marie["recovery_number_hint"] == "40••••63"
    assert marie["subtype"] is None
    (pecheries,) = alice.get("/admin/v1/profiles", params={"q": "pecheries"}).json()["items"]
    assert pecheries["kind"] == "non_personal" and pecheries["subtype"] == "business"
    assert pecheries["recovery_number_hint"] == "73••••84"


def test_multi_word_query_needs_every_word(alice: httpx.Client) -> None:
    assert _ids(alice, "marie tremblay") == [MARIE.id]
    assert _ids(alice, "Tremblay Marie") == [MARIE.id]
    assert _ids(alice, "marie smith") == []
    assert _ids(alice, "Pêcheries Atl") == [PECHERIES.id]


def test_exact_identifier_ranks_first(portal: Portal, alice: httpx.Client) -> None:
    # A profile whose e-mail starts with another profile's user code.
    with portal.database.write() as connection:
        insert_many(connection, 3, portal.clock.now(), "Smithj")
    ids = _ids(alice, "SMITHJ02")
    assert ids[0] == JOHN.id


def test_summary_shape(alice: httpx.Client) -> None:
    response = alice.get("/admin/v1/profiles", params={"q": "pecheries"})
    assert response.json()["items"] == [
        {
            "id": PECHERIES.id,
            "kind": "non_personal",
            "subtype": "business",
            "display_name": "Pêcheries Atlantique Inc.",
            "organisation_name": "Pêcheries Atlantique Inc.",
            "city": "Caraquet",
            "preferred_language": "fr",
            "locked_until": None,
            "recovery_number_hint": "73••••84",
            "matched_on": "organisation_name",
        }
    ]


def test_limit_defaults_to_25_and_caps_results(portal: Portal, alice: httpx.Client) -> None:
    with portal.database.write() as connection:
        insert_many(connection, 120, portal.clock.now(), "Doucet")
    assert len(_ids(alice, "doucet")) == 25
    assert len(_ids(alice, "doucet", limit=100)) == 100
    assert len(_ids(alice, "d", limit=7)) == 7
    ids = _ids(alice, "person1 doucet", limit=100)
    assert len(ids) == len(set(ids))
    assert len(ids) == 1 + 10 + 20  # Person1, Person10-19, Person100-119


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "x" * 101}, "q"),
        ({}, "q"),
        ({"q": "a", "limit": 101}, "limit"),
        ({"q": "a", "limit": 0}, "limit"),
        ({"q": "a", "limit": "many"}, "limit"),
    ],
)
def test_bad_queries_are_422_naming_the_field(
    alice: httpx.Client, params: dict[str, object], field: str
) -> None:
    response = alice.get("/admin/v1/profiles", params=params)
    assert response.status_code == 422
    assert error_code(response) == "validation_failed"
    assert field in response.json()["error"]["details"]["fields"]


def test_search_needs_a_token(portal: Portal) -> None:
    with portal.client() as client:
        assert client.get("/admin/v1/profiles", params={"q": "x" * 200}).status_code == 401
