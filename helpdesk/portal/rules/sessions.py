"""Agents' sessions: sign-in with a password (throttled per username and per address), bearer
tokens stored as SHA-256, sign-out that ends the session's verification grants with it."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, select, update

from helpdesk.api.errors import Unauthenticated
from helpdesk.api.models import Agent, Session
from helpdesk.portal import schema, security
from helpdesk.portal.rules import sign_in_throttle
from helpdesk.portal.rules.calls import Actor, Call, Outcome

# One message for an unknown username and a wrong password, so usernames cannot be probed.
SIGN_IN_REFUSED = "the username or password is wrong"


@functools.cache
def _decoy_hash(cost: security.HashCost) -> str:
    """A hash to verify against when the username is unknown, so both refusals take as long."""
    return security.hash_secret(uuid.uuid4().hex, cost)


def sign_in(
    connection: Connection, call: Call, note: Outcome, username: str, password: str
) -> Session | None:
    """A new session, or None with ``note.error`` set: a wrong password or an unknown username is
    refused after its failure is counted and committed (the throttle must see it)."""
    agents = schema.agents
    agent = connection.execute(select(agents).where(agents.c.username == username)).first()
    if agent is not None:
        # A known agent is named in the audit so repeated guesses at one account show up.
        call.actor = Actor(name=agent.username, role=agent.role)
    sign_in_throttle.check(connection, call, username)
    if agent is None:
        security.verify_secret(_decoy_hash(call.policy.hash_cost), password)
    if agent is None or not security.verify_secret(agent.password_hash, password):
        sign_in_throttle.record_failure(connection, call, username)
        note.outcome, note.reason = "refused", Unauthenticated.code
        note.error = Unauthenticated(SIGN_IN_REFUSED)
        return None
    now = call.now()
    token = security.new_token()
    session_id = "ses_" + uuid.uuid4().hex
    expires_at = now + call.policy.session_lifetime
    connection.execute(
        schema.sessions.insert().values(
            id=session_id,
            token_hash=security.digest(token),
            agent_id=agent.id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    note.actor = Actor(name=agent.username, role=agent.role, agent_id=agent.id)
    return Session(
        token=token,
        expires_at=expires_at,
        agent=Agent(username=agent.username, display_name=agent.display_name, role=agent.role),
    )


# Every request runs it: built once (building a statement costs more than the lookup).
_SESSION_OF_TOKEN = (
    select(
        schema.sessions.c.id.label("session_id"),
        schema.sessions.c.expires_at,
        schema.agents.c.id.label("agent_id"),
        schema.agents.c.username,
        schema.agents.c.role,
        schema.agents.c.display_name,
    )
    .join(schema.agents, schema.agents.c.id == schema.sessions.c.agent_id)
    .where(
        schema.sessions.c.token_hash == bindparam("token_hash"),
        schema.sessions.c.ended_at.is_(None),
    )
)


def authenticate(connection: Connection, token: str, now: datetime) -> Actor:
    """The session's agent. One indexed lookup of the token's SHA-256 (a token is 256 random
    bits: a fast hash is as safe as a slow one, and costs microseconds a request)."""
    row = connection.execute(_SESSION_OF_TOKEN, {"token_hash": security.digest(token)}).first()
    if row is None or row.expires_at <= now:
        raise Unauthenticated("the token is unknown, expired or signed out")
    return Actor(
        name=row.username,
        role=row.role,
        agent_id=row.agent_id,
        session_id=row.session_id,
        display_name=row.display_name,
    )


def sign_out(connection: Connection, call: Call, note: Outcome) -> None:
    session_id = call.actor.session_id
    connection.execute(
        update(schema.sessions)
        .where(schema.sessions.c.id == session_id)
        .values(ended_at=call.now())
    )
    connection.execute(delete(schema.grants).where(schema.grants.c.session_id == session_id))
