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
class HttpLimits:
    # A request body over this is a 413, read no further (the largest the API takes is a
    # user-code recovery case, about 4 KB).
    max_body_bytes: int = 64 * 1024
    # The request line and headers together: over this is a 431.
    max_head_bytes: int = 16 * 1024
    # From the connection (or the end of the answer before) to the end of the next request's
    # head: a connection that has not sent a whole head by then is closed.
    head_timeout: float = 10.0
    # From the end of the head to the end of the body: a 408, and the connection closed.
    body_timeout: float = 10.0
    # How long a kept-alive connection may wait, idle, for its next request.
    keep_alive_timeout: float = 5.0


@dataclass(frozen=True)
class PortalSettings:
    database_url: str
    environment: Environment = "demo"
    policy: Policy = Policy()
    limits: HttpLimits = HttpLimits()
    # Threads running the routes' database work, per process (anyio's default is 40). The work
    # holds Python's lock between statements: beyond a few threads they only take it from each
    # other (measured: 40 threads cost 3.2 ms of CPU a search, 8 threads 2.6 ms). More processes
    # (--workers), not more threads, use more cores.
    request_threads: int = 8
    # The key of the HMAC access codes are stored as (``server_secret``): the command line loads
    # it; a portal built without one (tests, the OpenAPI document) gets a random one of its own.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
