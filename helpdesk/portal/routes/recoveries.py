from __future__ import annotations

from fastapi import APIRouter, Response

from helpdesk.api.models import (
    NewUserCodeRecovery,
    RecoveryStatus,
    RecoveryTransition,
    UserCodeRecovery,
    UserCodeRecoveryList,
)
from helpdesk.portal.deps import AgentCall, audited
from helpdesk.portal.routes import errors, respond
from helpdesk.portal.rules import recoveries

router = APIRouter(prefix="/admin/v1", tags=["user-code recovery"])


@router.post(
    "/user-code-recoveries",
    status_code=201,
    response_model=UserCodeRecovery,
    responses=errors(401, 404, 409, 422),
)
@audited("user_code_recovery.open")
def open_recovery(body: NewUserCodeRecovery, call: AgentCall) -> Response:
    return respond(
        call.perform(
            lambda c, note: recoveries.open_case(c, call, note, body),
            status_code=201,
            profile_id=body.profile_id,
        )
    )


@router.get(
    "/user-code-recoveries", response_model=UserCodeRecoveryList, responses=errors(401, 422)
)
def list_recoveries(
    call: AgentCall, status: RecoveryStatus | None = None, profile_id: str | None = None
) -> UserCodeRecoveryList:
    with call.database.read() as connection:
        return UserCodeRecoveryList(items=recoveries.list_cases(connection, status, profile_id))


@router.post(
    "/user-code-recoveries/{case_id}/transitions",
    response_model=UserCodeRecovery,
    responses=errors(401, 403, 404, 409, 422),
)
@audited("user_code_recovery.transition")
def transition_recovery(case_id: str, body: RecoveryTransition, call: AgentCall) -> Response:
    return respond(
        call.perform(
            lambda c, note: recoveries.transition(c, call, note, case_id, body.to, body.note)
        )
    )
