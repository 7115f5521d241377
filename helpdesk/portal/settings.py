"""The portal's policy numbers in one place; defaults are the contract's."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from helpdesk.api.models import Environment
from helpdesk.portal.security import PRODUCTION_COST, HashCost


@dataclass(frozen=True)
class Policy:
    max_failed_attempts: int = 5
    lock_duration: timedelta = timedelta(minutes=15)
    grant_duration: timedelta = timedelta(minutes=15)
    access_code_lifetime: timedelta = timedelta(hours=24)
    session_lifetime: timedelta = timedelta(hours=8)
    remembered_failed_sets: int = 3
    redemption_failures_allowed: int = 10
    redemption_window: timedelta = timedelta(minutes=15)
    idempotency_window: timedelta = timedelta(hours=24)
    # Failed sign-ins allowed in a sliding window, per username typed and per client address.
    sign_in_failures_per_username: int = 10
    sign_in_failures_per_address: int = 50
    sign_in_window: timedelta = timedelta(minutes=15)
    # What each new password and answer set hash costs to make (tests lower it).
    hash_cost: HashCost = PRODUCTION_COST


@dataclass(frozen=True)
class PortalSettings:
    database_url: str
    environment: Environment = "demo"
    policy: Policy = Policy()
    # The key of the HMAC access codes are stored as (``server_secret``): the command line loads
    # it; a portal built without one (tests, the OpenAPI document) gets a random one of its own.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
