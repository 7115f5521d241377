"""How uvicorn serves the portal: its HTTP/1.1 protocol with the portal's limits, and its logs.

uvicorn's h11 protocol answers a request it cannot parse (a missing ``Host``, a NUL in a header, a
request line and headers over the limit) itself, before the app runs, in plain text; it closes an
idle kept-alive connection, but waits for ever on a new connection that sends nothing, and on one
that sends a head a byte at a time. :class:`PortalProtocol` answers those in the contract's error
shape and closes a connection whose head has not arrived within ``head_timeout``. The body's limits
are the app's (``helpdesk.portal.limits``): they hold on any server.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from helpdesk.api.errors import BadRequest, HeadersTooLarge, PortalError
from helpdesk.portal.settings import HttpLimits


class _Connection(h11.Connection):
    """h11's connection, keeping the last protocol error the peer made (uvicorn drops it)."""

    last_error: h11.RemoteProtocolError | None = None

    def next_event(self) -> Any:
        try:
            return super().next_event()
        except h11.RemoteProtocolError as error:
            self.last_error = error
            raise


class PortalProtocol(H11Protocol):
    limits: ClassVar[HttpLimits] = HttpLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conn = _Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_head_bytes)
        self.timeout_keep_alive = self.limits.keep_alive_timeout  # type: ignore[assignment]
        self._head_deadline: asyncio.TimerHandle | None = None
        self._lingering = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._start_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return  # the refusal is sent: what follows is not read, only let through
        super().data_received(data)

    def eof_received(self) -> None:
        if self._lingering:
            self.transport.close()

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:
            self._cancel_head_deadline()  # a whole head has arrived: the app has the request

    def on_response_complete(self) -> None:
        # From here the next request's head has head_timeout to arrive, whatever trickles in
        # (uvicorn's keep-alive timer stops at the first byte). The body of an answered request
        # that is still arriving counts against it too.
        cycle = self.cycle
        super().on_response_complete()
        if self.cycle is cycle and not self.transport.is_closing():
            self._start_head_deadline()

    def _start_head_deadline(self) -> None:
        self._cancel_head_deadline()
        self._head_deadline = self.loop.call_later(self.limits.head_timeout, self._head_too_slow)

    def _cancel_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a request h11 refused, in the contract's shape. Never h11's message:
        it can quote a header's value, and a header can carry a token."""
        self._cancel_head_deadline()
        error = self.conn.last_error if isinstance(self.conn, _Connection) else None
        refusal: PortalError
        if error is not None and error.error_status_hint == 431:
            limit = self.limits.max_head_bytes
            refusal = HeadersTooLarge(
                f"the request line and headers are over {limit} bytes", {"limit": limit}
            )
        else:
            refusal = BadRequest(
                "the request is not HTTP/1.1 the portal reads (a missing Host header, a byte "
                "a header may not hold, a malformed request line…)"
            )
        body = json.dumps(refusal.body()).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        try:
            for event in (
                h11.Response(status_code=refusal.status, headers=headers),
                h11.Data(data=body),
                h11.EndOfMessage(),
            ):
                self.transport.write(self.conn.send(event) or b"")
        except h11.LocalProtocolError:
            self.transport.close()  # an answer was under way already: the connection just ends
            return
        self._linger()

    def _linger(self) -> None:
        """Closes our side once the refusal is sent, and drops what the client still sends
        until it closes its side or head_timeout passes. Closing at once with unread bytes
        would reset the connection, and a client still sending (the rest of a megabyte request
        line) would lose the refusal before reading it."""
        self._lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.transport.resume_reading()
        self._start_head_deadline()


def protocol_for(limits: HttpLimits) -> type[PortalProtocol]:
    return type("PortalProtocol", (PortalProtocol,), {"limits": limits})


def server_config(app: Any, limits: HttpLimits, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for the portal. ``log_config=None``: uvicorn's own configuration
    writes the access log to standard output, where the ready line must be alone; without it
    uvicorn's loggers propagate to the portal's handler on standard error."""
    return uvicorn.Config(
        app,
        http=protocol_for(limits),
        h11_max_incomplete_event_size=limits.max_head_bytes,
        lifespan="off",
        log_config=None,
        **options,
    )
