"""Lifting a lock: a supervisor unlocks directly, or approves an agent's unlock request. Either
way the counter restarts at 0, the remembered failed sets are forgotten and the holder gets a
notice."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, Row, Select, select, tuple_, update

from helpdesk.api.errors import Conflict, NotFound
from helpdesk.api.models import UnlockRequest, UnlockRequestList, UnlockResult
from helpdesk.portal import schema
from helpdesk.portal.db import lock_name, lock_profile
from helpdesk.portal.rules import lockout, notices, pages
from helpdesk.portal.rules.calls import Call, Outcome
from helpdesk.portal.rules.roles import require_supervisor


def _locked_profile(connection: Connection, profile_id: str) -> Row[Any]:
    profile = lock_profile(connection, profile_id)
    if profile is None:
        raise NotFound("no such profile", {"profile_id": profile_id})
    return profile


def _lift(connection: Connection, call: Call, profile: Row[Any]) -> UnlockResult:
    now = call.now()
    lockout.clear(connection, profile.id)
    notice = notices.send(connection, profile, "unlock", now)
    return UnlockResult(
        failed_attempts=0, max_attempts=call.policy.max_failed_attempts, notice=notice
    )


def unlock(
    connection: Connection, call: Call, note: Outcome, profile_id: str, reason: str
) -> UnlockResult:
    profile = _locked_profile(connection, profile_id)
    require_supervisor(call, "unlock a profile")
    if lockout.locked_until(profile, call.now()) is None:
        raise Conflict("the profile is not locked")
    result = _lift(connection, call, profile)
    # A pending request for this profile is answered by the unlock itself, with the supervisor's
    # reason as its note: their own words, where a note of the portal's would reach the agent
    # who asked in the portal's language, not the agent's.
    _decide_pending(connection, call, profile_id, "approved", reason)
    note.reason = reason
    return result


def _decide_pending(
    connection: Connection, call: Call, profile_id: str, status: str, note: str
) -> None:
    table = schema.unlock_requests
    connection.execute(
        update(table)
        .where(table.c.profile_id == profile_id, table.c.status == "pending")
        .values(status=status, decided_by=call.actor.name, decided_at=call.now(), note=note)
    )


def create_request(
    connection: Connection, call: Call, note: Outcome, profile_id: str, reason: str
) -> UnlockRequest:
    profile = _locked_profile(connection, profile_id)
    note.profile_id = profile_id
    lock_name(connection, "unlock-request:" + profile_id)
    if lockout.locked_until(profile, call.now()) is None:
        raise Conflict("the profile is not locked")
    table = schema.unlock_requests
    pending = connection.execute(
        select(table.c.id).where(table.c.profile_id == profile_id, table.c.status == "pending")
    ).first()
    if pending is not None:
        raise Conflict(
            "an unlock request for this profile is already pending", {"request_id": pending.id}
        )
    note.reason = reason
    request_id = "unl_" + uuid.uuid4().hex
    connection.execute(
        table.insert().values(
            id=request_id,
            profile_id=profile_id,
            status="pending",
            reason=reason,
            requested_by=call.actor.name,
            requested_at=call.now(),
        )
    )
    return get_request(connection, request_id)


def get_request(connection: Connection, request_id: str) -> UnlockRequest:
    table, profiles = schema.unlock_requests, schema.profiles
    row = connection.execute(
        select(table, profiles.c.display_name)
        .join(profiles, profiles.c.id == table.c.profile_id)
        .where(table.c.id == request_id)
    ).first()
    if row is None:
        raise NotFound("no such unlock request", {"request_id": request_id})
    return _request(row)


def _request(row: Row[Any]) -> UnlockRequest:
    return UnlockRequest(
        id=row.id,
        profile_id=row.profile_id,
        display_name=row.display_name,
        status=row.status,
        reason=row.reason,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        note=row.note,
    )


def requests_statement(status: str | None, after: pages.Position | None, limit: int) -> Select[Any]:
    """Unlock requests, oldest first (a supervisor's queue serves the longest wait first), the
    id breaking ties: one range of ``(status, requested_at, id)``, or of ``(requested_at, id)``
    without a status, from just after the cursor's position."""
    table, profiles = schema.unlock_requests, schema.profiles
    statement = select(table, profiles.c.display_name).join(
        profiles, profiles.c.id == table.c.profile_id
    )
    if status is not None:
        statement = statement.where(table.c.status == status)
    if after is not None:
        statement = statement.where(
            tuple_(table.c.requested_at, table.c.id) > (after.moment, after.key)
        )
    return statement.order_by(table.c.requested_at, table.c.id).limit(limit + 1)


def list_requests(
    connection: Connection, status: str | None, after: pages.Position | None, limit: int
) -> UnlockRequestList:
    """A page of unlock requests; ``next_cursor`` is None on the last page."""
    rows = connection.execute(requests_statement(status, after, limit)).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = pages.encode(last.requested_at, last.id)
    return UnlockRequestList(items=[_request(row) for row in rows[:limit]], next_cursor=next_cursor)


def decide(
    connection: Connection,
    call: Call,
    note: Outcome,
    request_id: str,
    approve: bool,
    decision_note: str | None,
) -> UnlockRequest:
    request = get_request(connection, request_id)
    note.profile_id = request.profile_id
    require_supervisor(call, "approve or deny an unlock request")
    profile = _locked_profile(connection, request.profile_id)
    if request.status != "pending":
        raise Conflict(f"the request is {request.status}, not pending")
    note.reason = decision_note or None
    if approve and lockout.locked_until(profile, call.now()) is not None:
        _lift(connection, call, profile)
    table = schema.unlock_requests
    connection.execute(
        update(table)
        .where(table.c.id == request_id)
        .values(
            status="approved" if approve else "denied",
            decided_by=call.actor.name,
            decided_at=call.now(),
            note=decision_note,
        )
    )
    return get_request(connection, request_id)
