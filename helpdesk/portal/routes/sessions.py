from __future__ import annotations

from fastapi import APIRouter, Response

from helpdesk.api.models import Agent, Session, SignInRequest
from helpdesk.portal.deps import AgentCall, AnonymousCall, audited
from helpdesk.portal.routes import errors, respond
from helpdesk.portal.rules import sessions

router = APIRouter(prefix="/admin/v1", tags=["agents"])


@router.post(
    "/sessions", status_code=201, response_model=Session, responses=errors(401, 409, 422, 429)
)
@audited("session.create")
def sign_in(body: SignInRequest, call: AnonymousCall) -> Response:
    # The password is checked before the call takes the write lock (rules/sessions.py).
    checked = sessions.check_password(call.database, call, body.username, body.password)
    return respond(
        call.perform(
            lambda c, note: sessions.sign_in(c, call, note, body.username, body.password, checked),
            status_code=201,
        )
    )


@router.get("/me", response_model=Agent, responses=errors(401))
def me(call: AgentCall) -> Agent:
    actor = call.actor
    return Agent.model_validate(
        {"username": actor.name, "display_name": actor.display_name, "role": actor.role}
    )


@router.delete("/sessions/current", status_code=204, responses=errors(401))
@audited("session.delete")
def sign_out(call: AgentCall) -> Response:
    return respond(call.perform(lambda c, note: sessions.sign_out(c, call, note), status_code=204))
