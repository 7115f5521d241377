"""DFO access codes: issued by an agent who verified the caller, read out once, kept only as an
HMAC under the server secret (``security.access_code_digest``), single use, valid ``Policy.access_code_lifetime``; redeemed on the portal's
self-service side, with failures throttled per client address."""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from helpdesk.api.errors import CodeInvalid, Conflict, NotFound, RateLimited
from helpdesk.api.models import AccessCode, IssuedAccessCode, Redemption
from helpdesk.portal import schema, security
from helpdesk.portal.db import lock_name, lock_profile
from helpdesk.portal.rules import grants, notices
from helpdesk.portal.rules.calls import Call, Outcome


def status_of(row: Row[Any], now: datetime) -> str:
    if row.status == "active" and row.expires_at <= now:
        return "expired"
    return str(row.status)


def issue(connection: Connection, call: Call, note: Outcome, profile_id: str) -> IssuedAccessCode:
    profile = lock_profile(connection, profile_id)
    if profile is None:
        raise NotFound("no such profile", {"profile_id": profile_id})
    now = call.now()
    grants.require_grant(connection, call.actor, profile_id, now)
    table = schema.access_codes
    connection.execute(
        update(table)
        .where(table.c.profile_id == profile_id, table.c.status == "active")
        .values(status="revoked", ended_at=now)
    )
    code = security.new_access_code()
    code_id = "acc_" + uuid.uuid4().hex
    expires_at = now + call.policy.access_code_lifetime
    connection.execute(
        table.insert().values(
            id=code_id,
            profile_id=profile_id,
            code_digest=security.access_code_digest(call.secret, code),
            issued_at=now,
            issued_by=call.actor.name,
            expires_at=expires_at,
            status="active",
        )
    )
    notice = notices.send(
        connection, profile, "access_code_issued", now, lifetime=call.policy.access_code_lifetime
    )
    return IssuedAccessCode(
        id=code_id, code=security.format_access_code(code), expires_at=expires_at, notice=notice
    )


def list_codes(connection: Connection, profile_id: str, now: datetime) -> list[AccessCode]:
    table = schema.access_codes
    rows = connection.execute(
        select(table)
        .where(table.c.profile_id == profile_id)
        .order_by(table.c.issued_at.desc(), table.c.id)
    ).all()
    return [
        AccessCode(
            id=row.id,
            issued_at=row.issued_at,
            issued_by=row.issued_by,
            expires_at=row.expires_at,
            status=status_of(row, now),  # type: ignore[arg-type]
        )
        for row in rows
    ]


def revoke(
    connection: Connection, call: Call, note: Outcome, profile_id: str, code_id: str
) -> None:
    if lock_profile(connection, profile_id) is None:
        raise NotFound("no such profile", {"profile_id": profile_id})
    table = schema.access_codes
    row = connection.execute(
        select(table).where(table.c.id == code_id, table.c.profile_id == profile_id)
    ).first()
    if row is None:
        raise NotFound("no such access code", {"code_id": code_id})
    now = call.now()
    if status_of(row, now) != "active":
        raise Conflict(f"the access code is {status_of(row, now)}, not active")
    connection.execute(
        update(table).where(table.c.id == code_id).values(status="revoked", ended_at=now)
    )


def redeem(connection: Connection, call: Call, note: Outcome, typed: str) -> Redemption:
    """The profile the code opens, once. A wrong code counts against the client address and is
    answered ``code_invalid`` after the count is committed (through ``note.error``)."""
    now = call.now()
    policy = call.policy
    address = call.client_address
    lock_name(connection, "redemption:" + address)
    failures = schema.redemption_failures
    window_start = now - policy.redemption_window
    recent = connection.execute(
        select(func.count(), func.min(failures.c.at)).where(
            failures.c.client_address == address, failures.c.at > window_start
        )
    ).one()
    if recent[0] >= policy.redemption_failures_allowed:
        retry_after = max(
            1, math.ceil((recent[1] + policy.redemption_window - now).total_seconds())
        )
        raise RateLimited(
            "too many wrong access codes from this address; try again later",
            {"retry_after": retry_after},
            retry_after=retry_after,
        )
    code = security.parse_access_code(typed)
    match = _find_active(connection, call.secret, code, now) if code is not None else None
    if match is None:
        connection.execute(failures.insert().values(client_address=address, at=now))
        note.failed("code_invalid")
        note.error = CodeInvalid("the access code is wrong, used, revoked or expired")
        return Redemption(profile_id="")
    table = schema.access_codes
    redeemed = connection.execute(
        update(table)
        .where(table.c.id == match.id, table.c.status == "active")
        .values(status="redeemed", ended_at=now)
    )
    if redeemed.rowcount != 1:  # redeemed by a concurrent call a moment ago
        connection.execute(failures.insert().values(client_address=address, at=now))
        note.failed("code_invalid")
        note.error = CodeInvalid("the access code is wrong, used, revoked or expired")
        return Redemption(profile_id="")
    note.profile_id = match.profile_id
    return Redemption(profile_id=match.profile_id)


def _find_active(
    connection: Connection, secret: bytes, code: str, now: datetime
) -> Row[Any] | None:
    table = schema.access_codes
    return connection.execute(
        select(table).where(
            table.c.code_digest == security.access_code_digest(secret, code),
            table.c.status == "active",
            table.c.expires_at > now,
        )
    ).first()
