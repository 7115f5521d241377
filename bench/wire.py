"""A minimal HTTP/1.1 client for load generation: one kept-alive connection, one request at a time.

httpx costs about a millisecond of CPU per request, on the same two cores as the portal it is
loading: at thousands of requests a second the generator, not the portal, would be measured. This
client writes a request with one ``write`` and reads the answer by its ``Content-Length`` (or its
chunks), nothing more: a few tens of microseconds per request. It is for benchmarks only; the
console talks to the portal through ``helpdesk.api.PortalClient``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    """One kept-alive connection to ``base_url``; opens again if the server closed it."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.token = token
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
            self._reader = self._writer = None

    async def get(self, path: str, **params: Any) -> Response:
        query = {k: v for k, v in params.items() if v is not None}
        return await self.request("GET", f"{path}?{urlencode(query)}" if query else path)

    async def post(
        self, path: str, payload: Any = None, *, idempotency_key: str | None = None
    ) -> Response:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        body = json.dumps(payload).encode() if payload is not None else b""
        return await self.request("POST", path, body=body, headers=headers)

    async def request(
        self,
        method: str,
        target: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> Response:
        head = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.token:
            head.append(f"Authorization: Bearer {self.token}")
        if body or method in {"POST", "PUT", "PATCH"}:
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        try:
            return await self._exchange(data)
        except (ConnectionError, asyncio.IncompleteReadError):
            # The server closed a kept-alive connection between requests: once more on a new one.
            await self.close()
            return await self._exchange(data)

    async def _exchange(self, data: bytes) -> Response:
        reader, writer = await self._open()
        writer.write(data)
        status_line, headers = _head(await reader.readuntil(b"\r\n\r\n"))
        status = int(status_line.split(b" ", 2)[1])
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await _chunks(reader)
        else:
            body = await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, body)


def _head(raw: bytes) -> tuple[bytes, dict[str, str]]:
    lines = raw.split(b"\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(b":")
            headers[name.decode("latin-1").lower()] = value.strip().decode("latin-1")
    return lines[0], headers


async def _chunks(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return bytes(body)
        body += await reader.readexactly(size)
        await reader.readexactly(2)
