from __future__ import annotations

from fastapi import APIRouter, Response

from helpdesk.api.models import VerificationRequest, VerificationResult
from helpdesk.portal.deps import AgentCall, audited
from helpdesk.portal.routes import errors, respond
from helpdesk.portal.rules import verification

router = APIRouter(prefix="/admin/v1", tags=["caller verification"])


@router.post(
    "/profiles/{profile_id}/verifications",
    response_model=VerificationResult,
    responses=errors(401, 404, 409, 422, 423),
)
@audited("verification.attempt")
def verify(profile_id: str, body: VerificationRequest, call: AgentCall) -> Response:
    # The answers are hashed before the call takes the write lock (rules/verification.py).
    checked = verification.check_answers(call.database, call, profile_id, body.answers)
    return respond(
        call.perform(
            lambda c, note: verification.verify(c, call, note, profile_id, checked),
            profile_id=profile_id,
        )
    )
