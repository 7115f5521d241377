from __future__ import annotations

from fastapi import APIRouter, Response

from helpdesk.api.models import (
    DecisionBody,
    NewUnlockRequest,
    UnlockRequest,
    UnlockRequestBody,
    UnlockRequestList,
    UnlockRequestStatus,
    UnlockResult,
)
from helpdesk.portal.deps import AgentCall, audited
from helpdesk.portal.routes import Cursor, PageLimit, errors, position, respond
from helpdesk.portal.rules import pages, unlock

router = APIRouter(prefix="/admin/v1", tags=["unlock"])


@router.post(
    "/profiles/{profile_id}/unlock",
    response_model=UnlockResult,
    responses=errors(401, 403, 404, 409, 422),
)
@audited("profile.unlock")
def unlock_profile(profile_id: str, body: UnlockRequestBody, call: AgentCall) -> Response:
    return respond(
        call.perform(
            lambda c, note: unlock.unlock(c, call, note, profile_id, body.reason),
            profile_id=profile_id,
        )
    )


@router.post(
    "/unlock-requests",
    status_code=201,
    response_model=UnlockRequest,
    responses=errors(401, 404, 409, 422),
)
@audited("unlock_request.create")
def create_unlock_request(body: NewUnlockRequest, call: AgentCall) -> Response:
    return respond(
        call.perform(
            lambda c, note: unlock.create_request(c, call, note, body.profile_id, body.reason),
            status_code=201,
            profile_id=body.profile_id,
        )
    )


@router.get("/unlock-requests", response_model=UnlockRequestList, responses=errors(401, 422))
def list_unlock_requests(
    call: AgentCall,
    status: UnlockRequestStatus | None = None,
    cursor: Cursor = None,
    limit: PageLimit = pages.DEFAULT_PAGE,
) -> UnlockRequestList:
    after = position(cursor)
    with call.database.read() as connection:
        return unlock.list_requests(connection, status, after, limit)


@router.get(
    "/unlock-requests/{request_id}", response_model=UnlockRequest, responses=errors(401, 404)
)
def get_unlock_request(request_id: str, call: AgentCall) -> UnlockRequest:
    """One request, for the agent who sent it to learn the decision (any agent may read it, as
    any agent may list them)."""
    with call.database.read() as connection:
        return unlock.get_request(connection, request_id)


@router.post(
    "/unlock-requests/{request_id}/approve",
    response_model=UnlockRequest,
    responses=errors(401, 403, 404, 409, 422),
)
@audited("unlock_request.approve")
def approve_unlock_request(
    request_id: str, call: AgentCall, body: DecisionBody | None = None
) -> Response:
    return respond(
        call.perform(
            lambda c, note: unlock.decide(
                c, call, note, request_id, True, body.note if body else None
            )
        )
    )


@router.post(
    "/unlock-requests/{request_id}/deny",
    response_model=UnlockRequest,
    responses=errors(401, 403, 404, 409, 422),
)
@audited("unlock_request.deny")
def deny_unlock_request(
    request_id: str, call: AgentCall, body: DecisionBody | None = None
) -> Response:
    return respond(
        call.perform(
            lambda c, note: unlock.decide(
                c, call, note, request_id, False, body.note if body else None
            )
        )
    )
