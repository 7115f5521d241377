"""The reference portal admin API: ``create_app`` wires settings, clock, database, routes and the
error handlers that give every error the contract's body."""

from __future__ import annotations

import logging
import re
import traceback
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from helpdesk import __version__
from helpdesk.api.errors import PortalError, RateLimited, Unauthenticated, ValidationFailed
from helpdesk.api.models import NOT_BLANK
from helpdesk.clock import Clock, SystemClock
from helpdesk.portal import deps
from helpdesk.portal.db import Database
from helpdesk.portal.limits import BodyLimitMiddleware
from helpdesk.portal.routes import (
    access_codes,
    audit,
    health,
    profiles,
    recoveries,
    sessions,
    unlock,
    verification,
)
from helpdesk.portal.rules import sessions as session_rules
from helpdesk.portal.rules.calls import ANONYMOUS, Actor
from helpdesk.portal.rules.idempotency import MAX_KEY_LENGTH
from helpdesk.portal.settings import PortalSettings

log = logging.getLogger("helpdesk.portal")

STATE_CHANGING = {"POST", "DELETE", "PUT", "PATCH"}
HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
SIGN_IN_PATH = "/admin/v1/sessions"
IDEMPOTENCY_KEY = "Idempotency-Key"

DESCRIPTION = """The portal admin API, v1, as the reference portal implements it.

Every error has the body `{"error": {"code", "message", "details"}}`; docs/API.md lists the codes,
the audit actions and the decisions this implementation made where the contract leaves room."""


class PortalAPI(FastAPI):
    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            _document_idempotency_key(super().openapi())
        return super().openapi()


def _document_idempotency_key(document: dict[str, Any]) -> None:
    """The Idempotency-Key as the server reads it: on every POST, 1 to 200 characters, not blank
    (the HTTP layer has trimmed spaces and tabs, str.strip() takes the rest). FastAPI
    lists it on every route whose dependencies read it, GETs and DELETEs included, where it
    is ignored, and without its bounds (they are checked in ``deps``, with their own message)."""
    for operations in document["paths"].values():
        for method, operation in operations.items():
            kept = [
                parameter
                for parameter in operation.get("parameters", [])
                if (parameter["in"], parameter["name"]) != ("header", IDEMPOTENCY_KEY)
            ]
            if method == "post":
                kept.append(
                    {
                        "name": IDEMPOTENCY_KEY,
                        "in": "header",
                        "required": False,
                        "description": "A random UUID: a replay with the same key and body "
                        "returns the first answer (docs/API.md, Idempotency-Key)",
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": MAX_KEY_LENGTH,
                            "pattern": NOT_BLANK,
                            "title": IDEMPOTENCY_KEY,
                        },
                    }
                )
            if kept:
                operation["parameters"] = kept
            else:
                operation.pop("parameters", None)


def create_app(
    settings: PortalSettings,
    *,
    clock: Clock | None = None,
    database: Database | None = None,
) -> FastAPI:
    app = PortalAPI(
        title="Helpdesk portal admin API",
        version=__version__,
        description=DESCRIPTION,
        responses={422: {"description": "Validation failed", "model": _error_model()}},
    )
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.database = database or Database.from_url(settings.database_url)
    session_rules.prepare(settings.policy)
    for module in (
        health,
        sessions,
        profiles,
        verification,
        unlock,
        access_codes,
        recoveries,
        audit,
    ):
        app.include_router(module.router)
    app.add_exception_handler(PortalError, _portal_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    # The last added runs first: a request has its id before its body is read.
    app.add_middleware(BodyLimitMiddleware, limits=settings.limits)
    app.add_middleware(RequestIdMiddleware)
    return app


def _error_model() -> Any:
    from helpdesk.api.models import ErrorResponse

    return ErrorResponse


def error_response(error: PortalError, request_id: str | None = None) -> JSONResponse:
    headers = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def _audit_refusal(request: Request, error: PortalError) -> None:
    """The audit event of a state-changing call refused before (or outside) its rules ran."""
    if request.method not in STATE_CHANGING or deps.audit_action(request) is None:
        return
    flag = deps.audit_flag(request)
    if flag.done:
        return
    actor: Actor = getattr(request.state, "actor", None) or Actor(name=ANONYMOUS)
    call = deps.build_call(request, actor)
    profile_id = request.scope.get("path_params", {}).get("profile_id")
    call.audit_refusal(error, profile_id=profile_id)


def _portal_error(request: Request, error: PortalError) -> JSONResponse:
    _audit_refusal(request, error)
    return error_response(error)


def _needs_token(request: Request) -> bool:
    path = request.url.path
    if not path.startswith("/admin/v1/"):
        return False
    return not (request.method == "POST" and path == SIGN_IN_PATH)


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    parts = list(location)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    if not parts:
        return "body"
    name = str(parts[0])
    for part in parts[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return name


def _authenticate_first(request: Request) -> JSONResponse | None:
    """The 401 of a call whose body failed before its dependencies ran, if it has no token:
    the contract checks authentication before the body's shape, and FastAPI decodes a body
    first."""
    if _needs_token(request) and getattr(request.state, "actor", None) is None:
        try:
            deps.authenticate_token(request, deps.bearer_token(request))
        except PortalError as refused:
            return _portal_error(request, refused)
    return None


def _why(problem: Any) -> str:
    """What is wrong with a field, as pydantic says it; a blank text in words, not its pattern."""
    blank = (
        problem.get("type") == "string_pattern_mismatch"
        and problem.get("ctx", {}).get("pattern") == NOT_BLANK
    )
    if blank:
        return "must not be blank"
    return str(problem.get("msg", "invalid"))


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    if (refused := _authenticate_first(request)) is not None:
        return refused
    fields: dict[str, str] = {}
    for problem in exc.errors():
        location = problem.get("loc", ())
        if problem.get("type") == "json_invalid":
            fields["body"] = "not valid JSON"
            continue
        name = _field_name(location)
        if len(location) >= 2 and location[0] == "body" and isinstance(location[1], int):
            name = "body"  # the position in a malformed document, not a field
        fields.setdefault(name, _why(problem))
    error = ValidationFailed(
        "the request is not valid: " + ", ".join(sorted(fields)), {"fields": fields}
    )
    return _portal_error(request, error)


def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400 and request.scope.get("route") is not None:
        # FastAPI's answer to a body json.loads() cannot read at all (bytes that are not UTF-8,
        # nesting too deep for the parser): a malformed body like any other.
        if (refused := _authenticate_first(request)) is not None:
            return refused
        error = ValidationFailed(
            "the request is not valid: body", {"fields": {"body": "not valid JSON"}}
        )
        return _portal_error(request, error)
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        body = {"code": "not_found", "message": "no such route", "details": {}}
    elif exc.status_code == 405:
        body = {"code": "method_not_allowed", "message": "method not allowed", "details": {}}
        if allowed := allowed_methods(request.app, request.url.path):
            headers["Allow"] = ", ".join(allowed)
    else:
        body = {"code": "http_error", "message": str(exc.detail), "details": {}}
    return JSONResponse({"error": body}, status_code=exc.status_code, headers=headers)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves at ``path``. The router's 405 names the methods of the
    first route whose path matched, where a path can be served by two (GET and POST
    ``/admin/v1/unlock-requests`` are two routes)."""
    templates: list[tuple[re.Pattern[str], set[str]]] | None = getattr(
        app.state, "route_templates", None
    )
    if templates is None:
        templates = [
            (compile_path(template)[0], {method.upper() for method in operations} & HTTP_METHODS)
            for template, operations in app.openapi()["paths"].items()
        ]
        app.state.route_templates = templates
    methods: set[str] = set()
    for pattern, served in templates:
        if pattern.match(path):
            methods |= served
    return sorted(methods)


class RequestIdMiddleware:
    """Gives every request an id (echoed as ``X-Request-ID`` and written in its audit event) and
    answers any unexpected error with the contract's 500 body, logged without its message: an
    exception's text can carry SQL parameters, and so secrets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = "req_" + uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error(
                "unhandled %s in %s %s (request %s)\n%s",
                type(exc).__name__,
                scope.get("method"),
                scope.get("path"),
                request_id,
                frames,
            )
            if started:
                raise
            response = JSONResponse(
                {
                    "error": {
                        "code": "internal_error",
                        "message": "the portal failed; the request id is in the logs",
                        "details": {"request_id": request_id},
                    }
                },
                status_code=500,
                headers={"x-request-id": request_id},
            )
            await response(scope, receive, send)
