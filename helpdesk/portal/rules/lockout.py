"""The profile's one failed-attempt counter (shared with the portal's self-service recovery) and
the lock it leads to: counting a failure, locking at ``Policy.max_failed_attempts`` (which ends
the profile's verification grants), reading, lapsing and clearing. Nothing else writes these
columns.

A rule that writes passes the profile's row as it read it under the row's lock
(:func:`~helpdesk.portal.db.lock_profile`) at the start of its call. A lock whose time has passed
is no lock: readers see a counter of 0, and the next write clears the row and forgets the
remembered failed answer sets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, delete, select, tuple_, update

from helpdesk.api.models import Lockout, LockoutList, LockReason, Security
from helpdesk.portal import schema
from helpdesk.portal.rules import grants, pages
from helpdesk.portal.settings import Policy

_SOURCE_LENGTH: int = schema.profiles.c.last_failure_source.type.length  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Failure:
    """The counter after a counted failure, and when the lock it started ends (None: no lock)."""

    failed_attempts: int
    locked_until: datetime | None


def locked_until(profile: Row[Any], now: datetime) -> datetime | None:
    """When the profile's lock ends, or None when it is not locked now."""
    until = profile.locked_until
    return until if until is not None and until > now else None


def lock_lapsed(profile: Row[Any], now: datetime) -> bool:
    return profile.locked_until is not None and profile.locked_until <= now


def failed_attempts(profile: Row[Any], now: datetime) -> int:
    """The counter as it stands now: 0 once a lock has run out."""
    return 0 if lock_lapsed(profile, now) else profile.failed_attempts or 0


def security_of(profile: Row[Any], now: datetime, policy: Policy) -> Security:
    until = locked_until(profile, now)
    return Security(
        failed_attempts=failed_attempts(profile, now),
        max_attempts=policy.max_failed_attempts,
        locked_until=until,
        lock_reason=profile.lock_reason if until else None,
    )


def lapse(connection: Connection, profile: Row[Any], now: datetime) -> None:
    """Clears a lock that has run out, so what follows starts from a counter of 0 and forgets
    the failed sets remembered before it."""
    if lock_lapsed(profile, now):
        clear(connection, profile.id)


def record_failure(
    connection: Connection,
    profile: Row[Any],
    now: datetime,
    policy: Policy,
    *,
    reason: LockReason,
    source: str,
) -> Failure:
    """Counts one failure against the profile; the one that reaches the policy's maximum locks it
    for ``Policy.lock_duration``, for ``reason``, and ends every verification grant on it.
    ``source`` says where the failure came from."""
    count = failed_attempts(profile, now) + 1
    values: dict[str, object] = {
        "failed_attempts": count,
        "last_failure_source": source[:_SOURCE_LENGTH],
    }
    until = None
    if count >= policy.max_failed_attempts:
        until = now + policy.lock_duration
        values.update(locked_at=now, locked_until=until, lock_reason=reason)
        grants.end_all(connection, profile.id)
    connection.execute(
        update(schema.profiles).where(schema.profiles.c.id == profile.id).values(**values)
    )
    return Failure(failed_attempts=count, locked_until=until)


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


def lockouts_statement(now: datetime, after: pages.Position | None, limit: int) -> Select[Any]:
    """Profiles locked now, soonest unlock first, the id breaking ties: from the start of the
    ``(locked_until, id)`` index range, or from just after the cursor's position in it."""
    profiles = schema.profiles
    if after is not None and after.moment > now:
        # Past the cursor is past now too: one range, starting at the cursor.
        start = tuple_(profiles.c.locked_until, profiles.c.id) > (after.moment, after.key)
    else:
        # Every lock before the cursor has ended since: the range starts at now.
        start = profiles.c.locked_until > now
    return (
        select(
            profiles.c.id,
            profiles.c.display_name,
            profiles.c.locked_at,
            profiles.c.locked_until,
            profiles.c.lock_reason,
            profiles.c.failed_attempts,
            profiles.c.last_failure_source,
        )
        .where(start)
        .order_by(profiles.c.locked_until, profiles.c.id)
        .limit(limit + 1)
    )


def lockouts(
    connection: Connection, now: datetime, after: pages.Position | None, limit: int
) -> LockoutList:
    """A page of the profiles locked now; ``next_cursor`` is None on the last page."""
    rows = connection.execute(lockouts_statement(now, after, limit)).all()
    items = [
        Lockout(
            profile_id=row.id,
            display_name=row.display_name,
            locked_at=row.locked_at or row.locked_until,
            locked_until=row.locked_until,
            lock_reason=row.lock_reason or "verification_failures",
            failed_attempts=row.failed_attempts or 0,
            last_failure_source=row.last_failure_source,
        )
        for row in rows[:limit]
    ]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = pages.encode(last.locked_until, last.id)
    return LockoutList(items=items, next_cursor=next_cursor)
