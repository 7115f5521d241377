"""Agents' sessions: sign-in with a password (throttled per username and per address), bearer
tokens stored as SHA-256, sign-out that ends the session's verification grants with it."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, select, update

from helpdesk.api.errors import Unauthenticated
from helpdesk.api.models import Agent, Session
from helpdesk.portal import schema, security
from helpdesk.portal.db import Database
from helpdesk.portal.rules import sign_in_throttle
from helpdesk.portal.rules.calls import Actor, Call, Outcome
from helpdesk.portal.settings import Policy

# One message for an unknown username and a wrong password, so usernames cannot be probed.
SIGN_IN_REFUSED = "the username or password is wrong"


@functools.cache
def _decoy_hash(cost: security.HashCost) -> str:
    """A hash to verify against when the username is unknown, so both refusals take as long."""
    return security.hash_secret(uuid.uuid4().hex, cost)


def prepare(policy: Policy) -> None:
    """Makes the decoy when the portal starts: made on the first unknown username instead, that
    one refusal took twice as long as any other and told that the username did not exist."""
    _decoy_hash(policy.hash_cost)


@dataclass(frozen=True)
class CheckedPassword:
    """A password checked before the write lock (argon2id, about 40 ms: under SQLite's write lock
    it held up every other change) against the agent's hash as read then; ``None`` for an unknown
    username. Not checked at all (``checked`` false) when the sign-in was throttled then."""

    checked: bool
    stored_hash: str | None = None
    matches: bool = False


def check_password(database: Database, call: Call, username: str, password: str) -> CheckedPassword:
    """The slow part of :func:`sign_in`, without any lock. One argon2id check whether the
    username exists or not; none when the sign-in is throttled (it will be refused whoever asks)."""
    with database.read() as connection:
        if sign_in_throttle.throttled(connection, call, username):
            return CheckedPassword(checked=False)
        stored_hash = connection.execute(
            select(schema.agents.c.password_hash).where(schema.agents.c.username == username)
        ).scalar()
    return CheckedPassword(True, stored_hash, _matches(stored_hash, password, call))


def _matches(stored_hash: str | None, password: str, call: Call) -> bool:
    if stored_hash is None:
        security.verify_secret(_decoy_hash(call.policy.hash_cost), password)
        return False
    return security.verify_secret(stored_hash, password)


def sign_in(
    connection: Connection,
    call: Call,
    note: Outcome,
    username: str,
    password: str,
    checked: CheckedPassword,
) -> Session | None:
    """A new session, or None with ``note.error`` set: a wrong password or an unknown username is
    refused after its failure is counted and committed (the throttle must see it). The password
    was checked before the lock (:func:`check_password`); it is checked again here only if the
    agent's hash changed in between or the throttle had stopped it then."""
    agents = schema.agents
    agent = connection.execute(select(agents).where(agents.c.username == username)).first()
    if agent is not None:
        # A known agent is named in the audit so repeated guesses at one account show up.
        call.actor = Actor(name=agent.username, role=agent.role)
    sign_in_throttle.check(connection, call, username)
    stored_hash = None if agent is None else agent.password_hash
    if checked.checked and checked.stored_hash == stored_hash:
        matches = checked.matches
    else:
        matches = _matches(stored_hash, password, call)
    if agent is None or not matches:
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
