"""One API call as the rules see it: who makes it, when, and how its outcome is audited.

A state-changing call runs through :meth:`Call.perform`: one write transaction holds the change,
its audit event and (with an Idempotency-Key) the sealed response kept for a replay. When a rule
refuses (raises a ``PortalError``), the change is rolled back and the refusal is audited in a
transaction of its own, so every call leaves exactly one audit event; the refusal is kept for a
replay there too (see :func:`idempotency.keeps_refusal`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection

from helpdesk.api.errors import PortalError
from helpdesk.api.models import AuditOutcome
from helpdesk.clock import Clock
from helpdesk.portal.db import Database
from helpdesk.portal.rules import audit, idempotency
from helpdesk.portal.rules.idempotency import IdempotencyRequest
from helpdesk.portal.settings import Policy

SELF_SERVICE = "self-service"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    """Who makes a call: a signed-in agent, or someone without a token."""

    name: str
    role: str | None = None
    agent_id: str | None = None
    session_id: str | None = None
    display_name: str | None = None


@dataclass
class Outcome:
    """What a rule says about the call it ran, for the audit event. ``error`` is a refusal to
    answer after the transaction commits (a wrong access code still counts against the client)."""

    profile_id: str | None = None
    outcome: AuditOutcome = "ok"
    reason: str | None = None
    error: PortalError | None = None
    # Lets sign-in name the agent it authenticated as the actor of its own event.
    actor: Actor | None = None

    def failed(self, reason: str) -> None:
        self.outcome, self.reason = "failed", reason


@dataclass
class AuditFlag:
    """Shared with the request, so the error handlers know whether the call is audited already."""

    done: bool = False


@dataclass
class Call:
    database: Database
    clock: Clock
    policy: Policy
    actor: Actor
    request_id: str
    # The server secret: the key of the HMAC an access code is stored as.
    secret: bytes = field(repr=False)
    action: str | None = None
    client_address: str = "unknown"
    idempotency: IdempotencyRequest | None = None
    flag: AuditFlag = field(default_factory=AuditFlag)

    def now(self) -> datetime:
        return self.clock.now()

    def perform(
        self,
        work: Callable[[Connection, Outcome], BaseModel | None],
        *,
        status_code: int = 200,
        profile_id: str | None = None,
    ) -> tuple[int, dict[str, Any] | None]:
        """Run a state-changing rule, audit it once, and keep its response for a replay."""
        if self.action is None:
            raise RuntimeError("a state-changing route must declare its audit action")
        note = Outcome(profile_id=profile_id)
        if self.idempotency is not None:
            # A replay belongs to the session that made the call: another session of the same
            # agent (which may hold no grant) is never handed the access code this one was.
            self.idempotency = replace(self.idempotency, session=self.actor.session_id or "")
        try:
            with self.database.write() as connection:
                if self.idempotency is not None:
                    replay = idempotency.replay(
                        connection, self.idempotency, self.now(), self.policy.idempotency_window
                    )
                    if replay is not None:
                        self.flag.done = True
                        return replay
                result = work(connection, note)
                body = None if result is None else result.model_dump(mode="json")
                self._audit(connection, note.actor or self.actor, note)
                if self.idempotency is not None:
                    self._keep(connection, self.idempotency, status_code, body, note.error)
        except PortalError as error:
            self.audit_refusal(error, profile_id=note.profile_id, rule_refused=True)
            raise
        self.flag.done = True
        if note.error is not None:
            raise note.error
        return status_code, body

    def audit_refusal(
        self, error: PortalError, *, profile_id: str | None = None, rule_refused: bool = False
    ) -> None:
        """The one audit event of a call the rules (or the request's shape) refused. A refusal
        the rules made (``rule_refused``) is kept for a replay of its Idempotency-Key as well."""
        if self.flag.done or self.action is None:
            return
        note = Outcome(profile_id=profile_id, outcome="refused", reason=error.code)
        if error.code == "code_invalid":
            note.outcome = "failed"
        with self.database.write() as connection:
            self._audit(connection, self.actor, note)
            if rule_refused and self.idempotency is not None and idempotency.keeps_refusal(error):
                idempotency.keep_refusal(
                    connection,
                    self.idempotency,
                    error,
                    self.now(),
                    self.policy.idempotency_window,
                )
        self.flag.done = True

    def _keep(
        self,
        connection: Connection,
        request: IdempotencyRequest,
        status_code: int,
        body: dict[str, Any] | None,
        refused: PortalError | None,
    ) -> None:
        if refused is None:
            idempotency.keep(connection, request, status_code, body, self.now())
        elif idempotency.keeps_refusal(refused):
            # A wrong access code: its failure is counted and kept in one transaction, so a
            # replay answers it again instead of counting it again.
            idempotency.keep(connection, request, refused.status, refused.body(), self.now())

    def _audit(self, connection: Connection, actor: Actor, note: Outcome) -> None:
        assert self.action is not None
        audit.record(
            connection,
            at=self.now(),
            actor=actor.name,
            role=actor.role,
            action=self.action,
            profile_id=note.profile_id,
            outcome=note.outcome,
            reason=note.reason,
            request_id=self.request_id,
        )
