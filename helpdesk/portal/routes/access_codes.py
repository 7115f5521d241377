from __future__ import annotations

from fastapi import APIRouter, Response

from helpdesk.api.models import AccessCodeList, IssuedAccessCode, Redemption, RedemptionRequest
from helpdesk.portal.deps import AgentCall, SelfServiceCall, audited
from helpdesk.portal.routes import errors, respond
from helpdesk.portal.rules import access_codes, profiles

router = APIRouter(tags=["DFO access codes"])


@router.post(
    "/admin/v1/profiles/{profile_id}/access-codes",
    status_code=201,
    response_model=IssuedAccessCode,
    responses=errors(401, 403, 404, 409),
)
@audited("access_code.issue")
def issue_access_code(profile_id: str, call: AgentCall) -> Response:
    return respond(
        call.perform(
            lambda c, note: access_codes.issue(c, call, note, profile_id),
            status_code=201,
            profile_id=profile_id,
        )
    )


@router.get(
    "/admin/v1/profiles/{profile_id}/access-codes",
    response_model=AccessCodeList,
    responses=errors(401, 404),
)
def list_access_codes(profile_id: str, call: AgentCall) -> AccessCodeList:
    with call.database.read() as connection:
        profiles.find(connection, profile_id)
        return AccessCodeList(items=access_codes.list_codes(connection, profile_id, call.now()))


@router.delete(
    "/admin/v1/profiles/{profile_id}/access-codes/{code_id}",
    status_code=204,
    responses=errors(401, 404, 409),
)
@audited("access_code.revoke")
def revoke_access_code(profile_id: str, code_id: str, call: AgentCall) -> Response:
    return respond(
        call.perform(
            lambda c, note: access_codes.revoke(c, call, note, profile_id, code_id),
            status_code=204,
            profile_id=profile_id,
        )
    )


@router.post(
    "/v1/access-codes/redemptions",
    response_model=Redemption,
    responses=errors(400, 409, 422, 429),
    tags=["self-service"],
)
@audited("access_code.redeem")
def redeem_access_code(body: RedemptionRequest, call: SelfServiceCall) -> Response:
    return respond(call.perform(lambda c, note: access_codes.redeem(c, call, note, body.code)))
