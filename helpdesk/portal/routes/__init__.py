"""The API's routes, one module per area. A route parses, calls the rules, and shapes the answer."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Response
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator

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

Cursor = Annotated[
    str | None,
    Query(
        pattern=f"^{pages.CURSOR_PATTERN}$",
        description="The next_cursor of the page before: where this page starts",
    ),
]
"""Where a page starts. The pattern is the form of every cursor the portal gives; pages.decode
checks the rest (a time in range, a key it could have given)."""

RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _rfc3339(value: object) -> object:
    # pydantic also reads a number as a Unix time ("0.5"), a date alone as midnight and a time
    # without an offset as naive; the document says an RFC 3339 date-time, so only that.
    if isinstance(value, str) and not RFC3339.fullmatch(value):
        raise ValueError("must be an RFC 3339 date-time with its offset: 2026-11-23T19:04:05Z")
    return value


Moment = Annotated[
    datetime | None,
    BeforeValidator(_rfc3339),
    Query(description="An RFC 3339 date-time with its offset: 2026-11-23T19:04:05Z"),
]
"""A time in a query string (``since``, ``until``)."""


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
