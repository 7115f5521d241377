"""Who may do what: the role that may do more than an agent, and the check that refuses an agent
what only a supervisor may do. Rules call :func:`require_supervisor` after their existence checks:
the contract answers 404 before 403."""

from __future__ import annotations

from typing import Final

from helpdesk.api.errors import Forbidden
from helpdesk.portal.rules.calls import Actor, Call

SUPERVISOR: Final = "supervisor"


def is_supervisor(actor: Actor) -> bool:
    return actor.role == SUPERVISOR


def require_supervisor(call: Call, what: str) -> None:
    """``what`` completes "only a supervisor may …" in the refusal's message."""
    if not is_supervisor(call.actor):
        raise Forbidden(f"only a supervisor may {what}")
