from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from helpdesk.api.models import AuditPage
from helpdesk.portal.deps import AgentCall
from helpdesk.portal.routes import PageLimit, errors
from helpdesk.portal.routes.profiles import utc
from helpdesk.portal.rules import audit, pages
from helpdesk.portal.rules.roles import require_supervisor

router = APIRouter(prefix="/admin/v1", tags=["audit"])


@router.get("/audit", response_model=AuditPage, responses=errors(401, 403, 422))
def global_audit(
    call: AgentCall,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: str | None = None,
    limit: PageLimit = pages.DEFAULT_PAGE,
) -> AuditPage:
    query = audit.AuditQuery(
        actor=actor,
        action=action,
        since=utc(since, "since"),
        until=utc(until, "until"),
        cursor=cursor,
        limit=limit,
    )
    require_supervisor(call, "read the audit trail of every profile")
    with call.database.read() as connection:
        return audit.page(connection, query)
