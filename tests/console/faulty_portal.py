"""A faulty portal on loopback: an HTTP/1.1 proxy (h11) in front of the real reference portal that
forwards every request, except where a rule says how to misbehave.

A rule matches a method and the end of a path, and fires ``times`` times (``None``: until it is
removed); its fault is one of:

- ``answer``: answers itself with a status, a body and headers (a 500, a 503 page, a 401, a 429),
  after forwarding the request if ``forward`` (the portal acted, the console hears an error);
- ``truncate``: forwards, then sends the portal's headers and half its body, and closes;
- ``garble``: forwards, then sends the portal's status with a body that is not JSON;
- ``drop``: forwards (the portal acts), then closes without a word: the answer is lost;
- ``hang``: never forwards nor answers, until the console gives up and closes the connection.

``down = True`` closes every connection as it is accepted: the portal as the console sees it when
it cannot be reached. The console's requests go through the event loop of the test, as the app's.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal

import h11
import httpx

Fault = Literal["answer", "truncate", "garble", "drop", "hang"]


@dataclass
class Rule:
    method: str
    path_end: str
    fault: Fault
    status: int = 500
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    times: int | None = 1
    forward: bool = False

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and path.split("?", 1)[0].endswith(self.path_end)


def error_body(code: str, message: str = "") -> bytes:
    """An error in the contract's shape."""
    return json.dumps({"error": {"code": code, "message": message, "details": {}}}).encode()


@dataclass
class FaultyPortal:
    upstream: str
    rules: list[Rule] = field(default_factory=list)
    down: bool = False
    fired: list[tuple[Fault, str]] = field(default_factory=list)
    """Each fault as it happened: (fault, method and path)."""
    port: int = 0
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, method: str, path_end: str, fault: Fault, **options: object) -> Rule:
        rule = Rule(method, path_end, fault, **options)  # type: ignore[arg-type]
        self.rules.append(rule)
        return rule

    def answer(
        self,
        method: str,
        path_end: str,
        status: int,
        body: bytes = b"",
        *,
        content_type: str = "application/json",
        headers: list[tuple[str, str]] | None = None,
        times: int | None = 1,
        forward: bool = False,
    ) -> Rule:
        return self.add(
            method,
            path_end,
            "answer",
            status=status,
            body=body,
            headers=[("content-type", content_type), *(headers or [])],
            times=times,
            forward=forward,
        )

    def _take(self, method: str, path: str) -> Rule | None:
        for rule in self.rules:
            if rule.matches(method, path):
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self.rules.remove(rule)
                self.fired.append((rule.fault, f"{method} {path}"))
                return rule
        return None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            if not self.down:
                await self._serve(reader, writer)
        except (ConnectionError, h11.ProtocolError):
            pass  # the console closed its side: nothing more to say to it
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = h11.Connection(h11.SERVER)
        async with httpx.AsyncClient(base_url=self.upstream) as portal:
            while True:
                request, body = await _read_request(connection, reader)
                if request is None or self.down:
                    return
                method, target = request.method.decode(), request.target.decode()
                rule = self._take(method, target)
                if rule is not None and rule.fault == "hang":
                    await reader.read()  # until the console gives up and closes
                    return
                if rule is not None and rule.fault == "answer" and not rule.forward:
                    status, headers, content = rule.status, rule.headers, rule.body
                else:
                    forwarded = await portal.request(
                        method,
                        target,
                        content=body,
                        headers=[
                            (name.decode(), value.decode())
                            for name, value in request.headers
                            if name.lower() not in (b"host", b"connection", b"content-length")
                        ],
                    )
                    status, content = forwarded.status_code, forwarded.content
                    headers = [
                        (name, value)
                        for name, value in forwarded.headers.items()
                        if name.lower() not in ("content-length", "transfer-encoding", "connection")
                    ]
                if rule is not None and rule.fault == "answer":
                    status, headers, content = rule.status, rule.headers, rule.body
                if rule is not None and rule.fault == "drop":
                    return  # the portal has answered; the console never hears it
                if rule is not None and rule.fault == "garble":
                    content = b"<html><body>Internal proxy error</body></html>"
                length = len(content)
                headers = [*headers, ("content-length", str(length))]
                writer.write(
                    connection.send(h11.Response(status_code=status, headers=headers)) or b""
                )
                if rule is not None and rule.fault == "truncate":
                    writer.write(content[: length // 2])
                    await writer.drain()
                    return  # closes with half the body announced by content-length
                writer.write(connection.send(h11.Data(data=content)) or b"")
                writer.write(connection.send(h11.EndOfMessage()) or b"")
                await writer.drain()
                connection.start_next_cycle()


async def _read_request(
    connection: h11.Connection, reader: asyncio.StreamReader
) -> tuple[h11.Request | None, bytes]:
    request: h11.Request | None = None
    body = b""
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA:
            data = await reader.read(65536)
            connection.receive_data(data)
            if not data and request is None:
                return None, b""
            continue
        if isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            return request, body
        elif isinstance(event, h11.ConnectionClosed):
            return None, b""


@asynccontextmanager
async def faulty_portal(upstream: str) -> AsyncIterator[FaultyPortal]:
    """Serves a ``FaultyPortal`` in front of ``upstream`` on a free loopback port."""
    proxy = FaultyPortal(upstream)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    proxy.port = server.sockets[0].getsockname()[1]
    try:
        yield proxy
    finally:
        server.close()
        for task in list(proxy._tasks):
            task.cancel()
        await asyncio.gather(*proxy._tasks, return_exceptions=True)
        await server.wait_closed()
