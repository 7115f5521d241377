"""Typed dependencies of the routes: the database, the clock, the calling agent (from the bearer
token) and the :class:`~helpdesk.portal.rules.calls.Call` the rules run under."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from helpdesk.api.errors import Unauthenticated, ValidationFailed
from helpdesk.clock import Clock
from helpdesk.portal.db import Database
from helpdesk.portal.rules import sessions
from helpdesk.portal.rules.calls import ANONYMOUS, SELF_SERVICE, Actor, AuditFlag, Call
from helpdesk.portal.rules.idempotency import MAX_KEY_LENGTH, IdempotencyRequest
from helpdesk.portal.settings import PortalSettings

_bearer = HTTPBearer(auto_error=False, description="The token of POST /admin/v1/sessions")


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def get_settings(request: Request) -> PortalSettings:
    settings: PortalSettings = request.app.state.settings
    return settings


DatabaseDep = Annotated[Database, Depends(get_database)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[PortalSettings, Depends(get_settings)]


def authenticate_token(request: Request, token: str | None) -> Actor:
    if not token:
        raise Unauthenticated("sign in first: this needs Authorization: Bearer <token>")
    database: Database = request.app.state.database
    clock: Clock = request.app.state.clock
    with database.read() as connection:
        actor = sessions.authenticate(connection, token, clock.now())
    request.state.actor = actor
    return actor


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def current_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The agent of the request's token. On SQLite the lookup (one index seek in a local file,
    about 0.1 ms) runs on the event loop: sending it to a thread and back cost more than the
    lookup, on every request. PostgreSQL's is a network round trip, so it goes to a thread."""
    token = credentials.credentials if credentials else None
    database: Database = request.app.state.database
    if database.is_postgresql:
        return await run_in_threadpool(authenticate_token, request, token)
    return authenticate_token(request, token)


def audit_flag(request: Request) -> AuditFlag:
    flag = getattr(request.state, "audit_flag", None)
    if flag is None:
        flag = AuditFlag()
        request.state.audit_flag = flag
    return flag


def audit_action(request: Request) -> str | None:
    endpoint = request.scope.get("endpoint")
    return getattr(endpoint, "audit_action", None)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def build_call(request: Request, actor: Actor) -> Call:
    settings: PortalSettings = request.app.state.settings
    return Call(
        database=request.app.state.database,
        clock=request.app.state.clock,
        policy=settings.policy,
        actor=actor,
        request_id=request.state.request_id,
        secret=settings.secret,
        action=audit_action(request),
        client_address=client_address(request),
        flag=audit_flag(request),
    )


NUL = "\x00"


def _nul_fields(body: Any) -> list[str]:
    """The names (``answers[0]``, ``evidence[2]``) of the strings in a JSON value with a NUL.

    Walked with a stack, not by recursion: a body nested a thousand deep is a few kilobytes."""
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(body, "")]
    while stack:
        value, name = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                found.append(name)
        elif isinstance(value, dict):
            for key, item in value.items():
                if NUL in key:
                    found.append(name or "body")
                stack.append((item, f"{name}.{key}" if name else key))
        elif isinstance(value, list):
            stack.extend((item, f"{name or 'body'}[{index}]") for index, item in enumerate(value))
    return found


async def reject_nul_characters(request: Request) -> None:
    """A NUL character in a path id, a query parameter or a string of the body is a 422 naming
    the field: no text the portal stores or looks up has one, and PostgreSQL refuses them in
    text (a 500 otherwise). Runs after authentication, as the body's shape checks do."""
    fields = [name for name, value in request.path_params.items() if NUL in str(value)]
    fields += [name for name, value in request.query_params.multi_items() if NUL in value]
    if getattr(request.scope.get("route"), "body_field", None) is not None:
        try:
            body = json.loads(await request.body() or b"null")
        except (ValueError, RecursionError):
            # Not JSON, or nested deeper than the parser goes: FastAPI refuses the body (the
            # dependencies run before its errors are raised), so there is nothing to check here.
            body = None
        fields += _nul_fields(body)
    if fields:
        raise ValidationFailed(
            "the request is not valid: " + ", ".join(sorted(set(fields))),
            {"fields": dict.fromkeys(sorted(set(fields)), "must not contain a NUL character")},
        )


async def _with_idempotency(request: Request, call: Call, key: str | None) -> Call:
    if request.method == "POST" and key is not None:
        # As the document says (NOT_BLANK): 1 to 200 characters as sent, not white space alone.
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValidationFailed.field("Idempotency-Key", "must be 1 to 200 characters")
        if not key.strip():
            raise ValidationFailed.field("Idempotency-Key", "must not be blank")
        call.idempotency = IdempotencyRequest(
            key=key.strip(),
            actor=call.actor.name,
            method_path=f"{request.method} {request.url.path}",
            body=await request.body(),
        )
    return call


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="A random UUID: a replay with the same key and body returns the first answer",
    ),
]


async def agent_call(
    request: Request,
    actor: Annotated[Actor, Depends(current_actor)],
    idempotency_key: IdempotencyKey = None,
) -> Call:
    await reject_nul_characters(request)
    return await _with_idempotency(request, build_call(request, actor), idempotency_key)


def _public_call(actor_name: str) -> Callable[..., Any]:
    async def dependency(request: Request, idempotency_key: IdempotencyKey = None) -> Call:
        await reject_nul_characters(request)
        return await _with_idempotency(
            request, build_call(request, Actor(name=actor_name)), idempotency_key
        )

    return dependency


AgentCall = Annotated[Call, Depends(agent_call)]
AnonymousCall = Annotated[Call, Depends(_public_call(ANONYMOUS))]
SelfServiceCall = Annotated[Call, Depends(_public_call(SELF_SERVICE))]


def audited(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Names the audit action of a state-changing route (put it under the route decorator)."""

    def mark(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        endpoint.audit_action = action  # type: ignore[attr-defined]
        return endpoint

    return mark
