"""The sign-in throttle: failed sign-ins counted per username typed and per client address in a
sliding window; past either limit, sign-in is answered 429 until the oldest failure counted leaves
the window. Known and unknown usernames are counted and refused alike, before any password is
checked, so the throttle tells nobody which usernames exist."""

from __future__ import annotations

import math

from sqlalchemy import ColumnElement, Connection, delete, func, or_, select

from helpdesk.api.errors import RateLimited
from helpdesk.portal import schema, security
from helpdesk.portal.db import lock_name
from helpdesk.portal.rules.calls import Call

TOO_MANY = "too many failed sign-ins for this username or from this address; try again later"


def check(connection: Connection, call: Call, username: str) -> None:
    """Raises ``RateLimited`` when the username or the client address has used up its failures.
    Takes the locks the failure a moment later is counted under (PostgreSQL; SQLite's write
    transactions are serial already), so concurrent sign-ins are counted exactly."""
    digest = security.username_digest(call.secret, username)
    address = call.client_address[:64]
    lock_name(connection, "sign-in-username:" + digest)
    lock_name(connection, "sign-in-address:" + address)
    failures = schema.sign_in_failures
    # Failures that have left the window count for nothing: forget this username's and address's.
    connection.execute(
        delete(failures).where(
            or_(failures.c.username_digest == digest, failures.c.client_address == address),
            failures.c.at <= call.now() - call.policy.sign_in_window,
        )
    )
    retry_after = _retry_after(connection, call, digest, address)
    if retry_after is not None:
        raise RateLimited(TOO_MANY, {"retry_after": retry_after}, retry_after=retry_after)


def throttled(connection: Connection, call: Call, username: str) -> bool:
    """Whether :func:`check` would refuse now, read without a lock or a write: spares the password
    check of a sign-in that is refused anyway (``check`` still decides, under the lock)."""
    digest = security.username_digest(call.secret, username)
    return _retry_after(connection, call, digest, call.client_address[:64]) is not None


def _retry_after(connection: Connection, call: Call, digest: str, address: str) -> int | None:
    """Seconds until both the username and the address are under their limits again."""
    failures, policy = schema.sign_in_failures, call.policy
    waits = [
        _wait(
            connection,
            failures.c.username_digest == digest,
            policy.sign_in_failures_per_username,
            call,
        ),
        _wait(
            connection,
            failures.c.client_address == address,
            policy.sign_in_failures_per_address,
            call,
        ),
    ]
    return max((wait for wait in waits if wait is not None), default=None)


def _wait(connection: Connection, which: ColumnElement[bool], limit: int, call: Call) -> int | None:
    """Seconds until this count is under its limit again, or None when it is under it now."""
    failures = schema.sign_in_failures
    now, window = call.now(), call.policy.sign_in_window
    window_start = now - window
    count, oldest = connection.execute(
        select(func.count(), func.min(failures.c.at)).where(which, failures.c.at > window_start)
    ).one()
    if count < limit:
        return None
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def record_failure(connection: Connection, call: Call, username: str) -> None:
    connection.execute(
        schema.sign_in_failures.insert().values(
            username_digest=security.username_digest(call.secret, username),
            client_address=call.client_address[:64],
            at=call.now(),
        )
    )
