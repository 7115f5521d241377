from __future__ import annotations

from fastapi import APIRouter

from helpdesk.api.models import AuditOutcome, AuditPage
from helpdesk.portal.deps import AgentCall
from helpdesk.portal.routes import Cursor, Moment, PageLimit, errors
from helpdesk.portal.routes.profiles import utc
from helpdesk.portal.rules import audit, pages
from helpdesk.portal.rules.roles import require_supervisor

router = APIRouter(prefix="/admin/v1", tags=["audit"])


@router.get("/audit", response_model=AuditPage, responses=errors(401, 403, 422))
def global_audit(
    call: AgentCall,
    actor: str | None = None,
    action: str | None = None,
    outcome: AuditOutcome | None = None,
    profile_id: str | None = None,
    since: Moment = None,
    until: Moment = None,
    cursor: Cursor = None,
    limit: PageLimit = pages.DEFAULT_PAGE,
) -> AuditPage:
    # A profile id that names no profile is a filter like any other: refused calls naming one
    # are in the trail too.
    query = audit.AuditQuery(
        profile_id=profile_id,
        actor=actor,
        action=action,
        outcome=outcome,
        since=utc(since, "since"),
        until=utc(until, "until"),
        cursor=cursor,
        limit=limit,
    )
    require_supervisor(call, "read the audit trail of every profile")
    with call.database.read() as connection:
        return audit.page(connection, query)
