from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from helpdesk.portal.rules.masking import (
    mask_email,
    mask_phone,
    mask_postal_address,
    mask_user_code,
)
from tests.portal.conftest import Portal
from tests.portal.fixture_data import MARIE, PECHERIES
from tests.portal.helpers import error_code, verify

MASKED_MARIE = {
    "email": "m•••@v•••.ca",
    "phone": "•••-•••-4821",
    "user_code": "TR••••01",
    "postal_address": "•••\nRimouski QC ••• •••",
}


@pytest.mark.parametrize(
    ("function", "value", "masked"),
    [
        (mask_email, "jean@exemple.ca", "j•••@e•••.ca"),
        (mask_email, "a.b@mail.example.com", "a•••@m•••.com"),
        (mask_phone, "902-555-4821", "•••-•••-4821"),
        (mask_phone, "(902) 555-0142", "(•••) •••-0142"),
        (mask_user_code, "PATL0042", "PA••••42"),
        (
            mask_postal_address,
            "1 Main St\nApt 2\nHalifax NS  B3H 1A1",
            "•••\n•••\nHalifax NS ••• •••",
        ),
    ],
)
def test_masks(function: object, value: str, masked: str) -> None:
    assert function(value) == masked  # type: ignore[operator]


def _profile(client: httpx.Client, profile_id: str) -> dict[str, object]:
    response = client.get(f"/admin/v1/profiles/{profile_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_masked_before_grant_unmasked_after_masked_again_when_it_expires(
    portal: Portal, alice: httpx.Client
) -> None:
    before = _profile(alice, MARIE.id)
    assert before["masked"] is True
    assert before["grant_expires_at"] is None
    assert {k: before[k] for k in MASKED_MARIE} == MASKED_MARIE
    assert before["city"] == "Rimouski"
    assert before["recovery_number"] == MARIE.recovery_number

    assert verify(alice, MARIE).json()["verified"] is True
    after = _profile(alice, MARIE.id)
    assert after["masked"] is False
    assert after["grant_expires_at"] == "2026-11-23T19:15:00Z"
    assert after["email"] == MARIE.email
    assert after["phone"] == MARIE.phone
    assert after["user_code"] == MARIE.user_code
    assert after["postal_address"] == MARIE.postal_address

    portal.clock.advance(timedelta(minutes=15))
    expired = _profile(alice, MARIE.id)
    assert expired["masked"] is True
    assert expired["grant_expires_at"] is None
    assert {k: expired[k] for k in MASKED_MARIE} == MASKED_MARIE


def test_a_grant_belongs_to_the_agent_who_verified(portal: Portal, alice: httpx.Client) -> None:
    assert verify(alice, MARIE).json()["verified"] is True
    with portal.agent("bob") as bob:
        assert _profile(bob, MARIE.id)["masked"] is True


def test_non_personal_user_code_is_masked_even_with_a_grant(alice: httpx.Client) -> None:
    assert _profile(alice, PECHERIES.id)["user_code"] == "PA••••42"
    assert verify(alice, PECHERIES).json()["verified"] is True
    profile = _profile(alice, PECHERIES.id)
    assert profile["masked"] is False
    assert profile["email"] == PECHERIES.email
    assert profile["user_code"] == "PA••••42"
    assert [r["name"] for r in profile["representatives"]] == [  # type: ignore[attr-defined]
        "Denis Cormier",
        "Julie Arsenault",
    ]


def test_unknown_profile_is_404(alice: httpx.Client) -> None:
    response = alice.get("/admin/v1/profiles/prf_nobody")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_profile_has_the_contract_fields(alice: httpx.Client) -> None:
    profile = _profile(alice, MARIE.id)
    assert profile["kind"] == "individual"
    assert profile["security"] == {
        "failed_attempts": 0,
        "max_attempts": 5,
        "locked_until": None,
        "lock_reason": None,
    }
    assert profile["two_step"] == {"enrolled": False, "method": None}
    assert profile["holders"] == [  # type: ignore[comparison-overlap]
        {
            "title": None,
            "given_names": "Marie",
            "preferred_name": None,
            "surname": "Tremblay",
            "suffix": None,
        }
    ]


def test_sign_ins_newest_first(alice: httpx.Client) -> None:
    items = alice.get(f"/admin/v1/profiles/{MARIE.id}/sign-ins").json()["items"]
    assert [item["at"] for item in items] == [
        "2026-11-21T19:00:00Z",
        "2026-11-13T19:00:00Z",
        "2026-10-24T19:00:00Z",
    ]


def test_recovery_questions_never_carry_answers(alice: httpx.Client) -> None:
    response = alice.get(f"/admin/v1/profiles/{MARIE.id}/recovery-questions")
    body = response.json()
    assert body["answer_language"] == "fr"
    assert [q["number"] for q in body["questions"]] == [1, 2, 3]
    assert body["questions"][0]["text"] == {
        "en": "What make of vehicle did you first learn to drive in?",
        "fr": "Dans quelle marque de véhicule avez-vous premièrement appris à conduire?",
    }
    assert body["questions"][2]["text"]["fr"] == "Quel sujet à l'école avez aimé le plus?"
    for answer in MARIE.answers:
        assert answer.lower() not in response.text.lower()
