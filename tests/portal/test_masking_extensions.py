"""Phone masking and extensions (issue 11, defect 9): an extension's digits showed through the mask.
The last four digits of the number itself are what the agent confirms; nothing of an extension."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import update

from helpdesk.portal import schema
from helpdesk.portal.rules.masking import MASK, mask_phone
from tests.portal.conftest import Portal
from tests.portal.fixture_data import MARIE


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("902-555-4821 ext. 305", "•••-•••-4821 ext. •••"),
        ("902-555-4821 x305", "•••-•••-4821 x•••"),
        ("902-555-4821x3", "•••-•••-4821x•"),
        ("(902) 555-0142 poste 12", "(•••) •••-0142 poste ••"),
        ("+1 902 555 4821 #4417", "+• ••• ••• 4821 #••••"),
        ("9025554821,,305", "••••••4821,,•••"),
        ("902-555-4821;305", "•••-•••-4821;•••"),
        ("Tel. 902-555-4821", "Tel. •••-•••-4821"),
        ("902-555-4821", "•••-•••-4821"),
        ("4821", "4821"),
    ],
)
def test_an_extension_is_masked_whole(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_a_masked_profile_shows_no_digit_of_an_extension(
    portal: Portal, alice: httpx.Client
) -> None:
    with portal.database.write() as connection:
        connection.execute(
            update(schema.profiles)
            .where(schema.profiles.c.id == MARIE.id)
            .values(phone="418-555-4821 ext. 7306", fax="418-555-9910 x 12", mobile="4185550000")
        )
    response = alice.get(f"/admin/v1/profiles/{MARIE.id}")
    assert response.status_code == 200, response.text
    profile = response.json()
    assert profile["masked"] is True
    assert profile["phone"] == "•••-•••-4821 ext. ••••"
    assert profile["fax"] == "•••-•••-9910 x ••"
    assert profile["mobile"] == MASK * 6 + "0000"
