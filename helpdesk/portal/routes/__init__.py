"""The API's routes, one module per area. A route parses, calls the rules, and shapes the answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response
from fastapi.responses import JSONResponse

from helpdesk.api.models import ErrorResponse
from helpdesk.portal.rules import pages

PageLimit = Annotated[
    int,
    Query(
        ge=1,
        le=pages.MAX_PAGE,
        description=f"1 to {pages.MAX_PAGE}, {pages.DEFAULT_PAGE} when left out",
    ),
]
"""How many items a page of a paged list holds."""


def respond(result: tuple[int, dict[str, Any] | None]) -> Response:
    status_code, body = result
    if status_code == 204 or body is None:
        return Response(status_code=status_code)
    return JSONResponse(body, status_code=status_code)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error answers a route can give."""
    return {status: {"model": ErrorResponse} for status in statuses}


def position(cursor: str | None) -> pages.Position | None:
    """Where a page starts: after the item a cursor names, or at the beginning without one."""
    return pages.decode(cursor) if cursor else None
