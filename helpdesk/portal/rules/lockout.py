"""The profile's one failed-attempt counter (shared with the portal's self-service recovery) and
the lock it leads to. A lock whose time has passed is no lock: readers see a counter of 0, and the
next write clears the row and forgets the remembered failed answer sets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from helpdesk.api.models import Lockout, Security
from helpdesk.portal import schema
from helpdesk.portal.settings import Policy


def locked_until(profile: Row[Any], now: datetime) -> datetime | None:
    """When the profile's lock ends, or None when it is not locked now."""
    until = profile.locked_until
    return until if until is not None and until > now else None


def lock_lapsed(profile: Row[Any], now: datetime) -> bool:
    return profile.locked_until is not None and profile.locked_until <= now


def security_of(profile: Row[Any], now: datetime, policy: Policy) -> Security:
    if lock_lapsed(profile, now):
        return Security(failed_attempts=0, max_attempts=policy.max_failed_attempts)
    return Security(
        failed_attempts=profile.failed_attempts or 0,
        max_attempts=policy.max_failed_attempts,
        locked_until=locked_until(profile, now),
        lock_reason=profile.lock_reason if locked_until(profile, now) else None,
    )


def clear(connection: Connection, profile_id: str) -> None:
    """Counter back to 0, lock lifted, remembered failed sets forgotten."""
    connection.execute(
        update(schema.profiles)
        .where(schema.profiles.c.id == profile_id)
        .values(failed_attempts=0, locked_at=None, locked_until=None, lock_reason=None)
    )
    connection.execute(
        delete(schema.failed_answer_sets).where(
            schema.failed_answer_sets.c.profile_id == profile_id
        )
    )


def lockouts(connection: Connection, now: datetime) -> list[Lockout]:
    """Every profile locked now, soonest unlock first (the ``locked_until`` index's order)."""
    profiles = schema.profiles
    rows = connection.execute(
        select(profiles)
        .where(profiles.c.locked_until > now)
        .order_by(profiles.c.locked_until, profiles.c.id)
    ).all()
    return [
        Lockout(
            profile_id=row.id,
            display_name=row.display_name,
            locked_at=row.locked_at or row.locked_until,
            locked_until=row.locked_until,
            lock_reason=row.lock_reason or "verification_failures",
            failed_attempts=row.failed_attempts or 0,
            last_failure_source=row.last_failure_source,
        )
        for row in rows
    ]
