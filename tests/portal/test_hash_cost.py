"""The argon2id cost production hashes at. Every other test hashes at tests.hash_cost.CHEAP through
the portal's settings; these pin what a portal with default settings does."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from helpdesk.clock import ManualClock
from helpdesk.portal import schema, security
from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database
from helpdesk.portal.seed import seed_demo
from helpdesk.portal.settings import Policy, PortalSettings
from tests.portal.conftest import START, ServerThread
from tests.portal.fixture_data import MARIE, PASSWORDS
from tests.portal.helpers import verify, wrong

# OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
PRODUCTION_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


def test_the_default_policy_hashes_at_owasps_baseline() -> None:
    assert Policy().hash_cost == security.HashCost(memory_cost=19456, time_cost=2, parallelism=1)
    assert PortalSettings(database_url="sqlite://").policy.hash_cost == Policy().hash_cost
    assert security.hash_secret("x", Policy().hash_cost).startswith(PRODUCTION_PREFIX)


def test_a_hash_is_checked_at_its_own_cost_whatever_the_policy_says() -> None:
    cheap = security.HashCost(memory_cost=8, time_cost=1)
    stored = security.hash_answer_set(["Toyota", "Honda", "Maths"], cheap)
    assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert security.verify_answer_set(stored, [" toyota", "HONDA", "maths"])
    assert not security.verify_answer_set(stored, ["Toyota", "Honda", "Chimie"])


def test_a_portal_with_default_settings_stores_failed_answer_sets_at_production_cost(
    populated: Database,
) -> None:
    app = create_app(
        PortalSettings(database_url="unused://"), clock=ManualClock(START), database=populated
    )
    with ServerThread(app) as url, httpx.Client(base_url=url) as client:
        signed_in = client.post(
            "/admin/v1/sessions", json={"username": "alice", "password": PASSWORDS["alice"]}
        )
        client.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
        assert verify(client, MARIE, wrong(1)).json()["verified"] is False
    with populated.read() as connection:
        (stored,) = connection.execute(select(schema.failed_answer_sets.c.answers_hash)).scalars()
    assert stored.startswith(PRODUCTION_PREFIX)


def test_the_demo_seed_hashes_at_production_cost_by_default(database: Database) -> None:
    seed_demo(database.engine, count=0, clock=ManualClock(START))
    with database.read() as connection:
        hashes = connection.execute(select(schema.agents.c.password_hash)).scalars().all()
        hashes += connection.execute(select(schema.profiles.c.answers_hash)).scalars().all()
    assert hashes and all(stored.startswith(PRODUCTION_PREFIX) for stored in hashes)
