"""Verification grants: after a caller answers their recovery questions, the agent who verified
them sees the profile unmasked and may issue an access code, for ``Policy.grant_duration``. A grant
belongs to the session that earned it and ends when that session signs out, or when the profile
is locked."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, delete, func, select

from helpdesk.api.errors import VerificationRequired
from helpdesk.portal import schema
from helpdesk.portal.rules.calls import Actor


def live_grant(
    connection: Connection, actor: Actor, profile_id: str, now: datetime
) -> datetime | None:
    """When the calling session's grant for this profile ends, or None without a live one."""
    if actor.session_id is None:
        return None
    grants = schema.grants
    return connection.execute(
        select(func.max(grants.c.expires_at)).where(
            grants.c.session_id == actor.session_id,
            grants.c.profile_id == profile_id,
            grants.c.expires_at > now,
        )
    ).scalar()


def require_grant(connection: Connection, actor: Actor, profile_id: str, now: datetime) -> None:
    if live_grant(connection, actor, profile_id, now) is None:
        raise VerificationRequired(
            "verify the caller first: this needs a live verification grant for the profile"
        )


def create_grant(
    connection: Connection, actor: Actor, profile_id: str, now: datetime, expires_at: datetime
) -> None:
    assert actor.session_id is not None and actor.agent_id is not None
    connection.execute(
        schema.grants.insert().values(
            id="grt_" + uuid.uuid4().hex,
            session_id=actor.session_id,
            agent_id=actor.agent_id,
            profile_id=profile_id,
            granted_at=now,
            expires_at=expires_at,
        )
    )


def end_all(connection: Connection, profile_id: str) -> None:
    """Ends every grant on the profile, whoever holds it: a lock means someone failed to answer
    for this profile, and what an earlier verification allowed must not outlast that."""
    connection.execute(delete(schema.grants).where(schema.grants.c.profile_id == profile_id))
