"""The audit trail: one event per state-changing call, and its pages, newest first.

Events carry who, what, on which profile, the outcome and a short reason code, never a secret:
reasons are error codes or fixed words chosen here and in the rules, not text from a request.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select, tuple_

from helpdesk.api.errors import ValidationFailed
from helpdesk.api.models import AuditEvent, AuditOutcome, AuditPage
from helpdesk.portal import schema
from helpdesk.portal.rules import pages

_PROFILE_ID_LENGTH: int = schema.audit_events.c.profile_id.type.length  # type: ignore[attr-defined]
_SEQ = re.compile(r"[0-9]{1,18}")

# Every action an audit event can name, with what it records (docs/API.md lists the same).
ACTIONS: dict[str, str] = {
    "session.create": "an agent signs in (refused: unknown user or wrong password)",
    "session.delete": "an agent signs out",
    "verification.attempt": "an agent submits a caller's recovery answers",
    "profile.unlock": "a supervisor unlocks a profile",
    "unlock_request.create": "an agent asks a supervisor to unlock a profile",
    "unlock_request.approve": "a supervisor approves an unlock request (and so unlocks)",
    "unlock_request.deny": "a supervisor denies an unlock request",
    "access_code.issue": "an agent issues a DFO access code",
    "access_code.revoke": "an agent revokes an access code",
    "access_code.redeem": "someone types an access code on the portal's self-service side",
    "user_code_recovery.open": "an agent opens a manual user-code recovery case",
    "user_code_recovery.transition": "a case moves on (approved, rejected, sent, closed)",
}


def record(
    connection: Connection,
    *,
    at: datetime,
    actor: str,
    role: str | None,
    action: str,
    profile_id: str | None,
    outcome: AuditOutcome,
    reason: str | None,
    request_id: str,
) -> None:
    connection.execute(
        schema.audit_events.insert().values(
            id="evt_" + uuid.uuid4().hex,
            at=at,
            actor=_storable(actor)[:100],
            role=role,
            action=action,
            profile_id=_profile_id(profile_id),
            outcome=outcome,
            reason=None if reason is None else _storable(reason)[:500],
            request_id=request_id,
        )
    )


def _profile_id(profile_id: str | None) -> str | None:
    """The id a refused call named, when it can be one: an id longer than the column or with a
    NUL (which PostgreSQL refuses in text) names no profile, and must not fail the audit."""
    if profile_id is None or len(profile_id) > _PROFILE_ID_LENGTH or "\x00" in profile_id:
        return None
    return profile_id


def _storable(text: str) -> str:
    return text.replace("\x00", "")


@dataclass(frozen=True)
class AuditQuery:
    profile_id: str | None = None
    actor: str | None = None
    action: str | None = None
    outcome: AuditOutcome | None = None
    since: datetime | None = None
    until: datetime | None = None
    cursor: str | None = None
    limit: int = pages.DEFAULT_PAGE

    def __post_init__(self) -> None:
        # Decoded when the route builds the query: a malformed cursor is the request's shape,
        # refused before existence and role checks.
        self.after()

    def after(self) -> tuple[datetime, int] | None:
        """The (time, sequence) of the event the cursor names, or None without one."""
        if not self.cursor:
            return None
        position = pages.decode(self.cursor)
        if _SEQ.fullmatch(position.key) is None:
            raise ValidationFailed.field("cursor", "not a cursor this portal gave")
        return position.moment, int(position.key)


def statement(query: AuditQuery) -> Select[Any]:
    """Newest first: by time, then by sequence among events of the same instant. Each filter has
    an index (its column, ``at``, ``seq``), so a filter with a time window and a cursor is one
    index range read in order; other filters are checked on the rows of that range."""
    events = schema.audit_events
    statement = select(events)
    for column, value in (
        (events.c.profile_id, query.profile_id),
        (events.c.actor, query.actor),
        (events.c.action, query.action),
        (events.c.outcome, query.outcome),
    ):
        if value:
            statement = statement.where(column == value)
    if query.since is not None:
        statement = statement.where(events.c.at >= query.since)
    after = query.after()
    if after is not None and (query.until is None or after[0] < query.until):
        # Before the cursor is before ``until`` too: the range ends at the cursor.
        statement = statement.where(tuple_(events.c.at, events.c.seq) < after)
    elif query.until is not None:
        statement = statement.where(events.c.at < query.until)
    return statement.order_by(events.c.at.desc(), events.c.seq.desc()).limit(query.limit + 1)


def page(connection: Connection, query: AuditQuery) -> AuditPage:
    """A page of events; ``next_cursor`` is where the next page starts, None after the last."""
    rows = connection.execute(statement(query)).all()
    items = [
        AuditEvent(
            id=row.id,
            at=row.at,
            actor=row.actor,
            role=row.role,
            action=row.action,
            profile_id=row.profile_id,
            outcome=row.outcome,
            reason=row.reason,
            request_id=row.request_id,
        )
        for row in rows[: query.limit]
    ]
    next_cursor = None
    if len(rows) > query.limit:
        last = rows[query.limit - 1]
        next_cursor = pages.encode(last.at, str(last.seq))
    return AuditPage(items=items, next_cursor=next_cursor)
