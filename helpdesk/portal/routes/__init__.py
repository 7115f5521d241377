"""The API's routes, one module per area. A route parses, calls the rules, and shapes the answer."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse

from helpdesk.api.models import ErrorResponse


def respond(result: tuple[int, dict[str, Any] | None]) -> Response:
    status_code, body = result
    if status_code == 204 or body is None:
        return Response(status_code=status_code)
    return JSONResponse(body, status_code=status_code)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error answers a route can give."""
    return {status: {"model": ErrorResponse} for status in statuses}
