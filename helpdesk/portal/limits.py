"""What one request may cost the portal: the size of its body, and how long its head and body may
take to arrive. The body is read here, before any route, to the limit and no further; the head's
limits are the HTTP protocol's (``helpdesk.portal.server``)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from helpdesk.api.errors import PayloadTooLarge, PortalError, RequestTimeout
from helpdesk.portal.settings import HttpLimits


def error_body(error: PortalError) -> bytes:
    return json.dumps(error.body()).encode()


class BodyLimitMiddleware:
    """Reads each request's body before the app runs, up to ``max_body_bytes`` and within
    ``body_timeout``, then hands it on whole. A ``Content-Length`` over the limit is refused
    before a byte of the body is read; a chunked body as soon as it passes the limit. Both
    refusals close the connection: the rest of the body is never read."""

    def __init__(self, app: ASGIApp, limits: HttpLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_length(scope) > self.limits.max_body_bytes:
            await self._refuse(send, self._too_large())
            return
        try:
            async with asyncio.timeout(self.limits.body_timeout):
                body = await self._read(receive)
        except TimeoutError:
            message = f"the request body did not arrive within {self.limits.body_timeout:g} s"
            await self._refuse(send, RequestTimeout(message))
            return
        if body is None:
            return  # the client went away
        if len(body) > self.limits.max_body_bytes:
            await self._refuse(send, self._too_large())
            return
        await self.app(scope, _replay(body, receive), send)

    def _too_large(self) -> PayloadTooLarge:
        limit = self.limits.max_body_bytes
        return PayloadTooLarge(f"the request body is over {limit} bytes", {"limit": limit})

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                # The HTTP protocol has checked it is digits.
                return int(value) if value.isdigit() else 0
        return 0

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or the first chunks past the limit; None if the client left."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > self.limits.max_body_bytes or not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    async def _refuse(send: Send, error: PortalError) -> None:
        body = error_body(error)
        headers: list[tuple[bytes, bytes]] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            # What is left of the body is not read: the connection cannot carry another request.
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": error.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            message: dict[str, Any] = {"type": "http.request", "body": body, "more_body": False}
            return message
        return await receive()  # after the body: the disconnect, when it comes

    return replay
