"""The client against portals that misbehave at the transport level: real sockets on loopback.

A listener that accepts and drops every connection stands for a portal that crashes mid-request;
a listener that never answers stands for a portal that hangs.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from helpdesk.api.client import GET_ATTEMPTS, PortalClient
from helpdesk.api.errors import PortalFault, PortalUnavailable


class DroppingListener:
    """Accepts connections on a free loopback port and closes each at once, counting them."""

    def __init__(self, *, answer: bool) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._answer = answer
        self.connections = 0
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._socket.getsockname()
        return f"http://{host}:{port}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return
            self.connections += 1
            if self._answer:
                conn.close()
            else:
                self._held.append(conn)  # keep it open and silent

    def close(self) -> None:
        self._socket.close()
        for conn in self._held:
            conn.close()


@pytest.fixture
def dropping() -> Iterator[DroppingListener]:
    listener = DroppingListener(answer=True)
    yield listener
    listener.close()


@pytest.fixture
def silent() -> Iterator[DroppingListener]:
    listener = DroppingListener(answer=False)
    yield listener
    listener.close()


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback address that refuses connections: its port stays bound, never listening, until
    the test ends, so that no other test's server can be given it meanwhile."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        host, port = held.getsockname()
        yield f"http://{host}:{port}"


async def test_nothing_listening_is_portal_unavailable(refused_url: str) -> None:
    async with PortalClient(refused_url) as client:
        with pytest.raises(PortalUnavailable):
            await client.health()


async def test_a_get_is_retried_after_a_dropped_connection(dropping: DroppingListener) -> None:
    async with PortalClient(dropping.url) as client:
        with pytest.raises(PortalUnavailable):
            await client.search_profiles("tremblay")
    assert dropping.connections == GET_ATTEMPTS


async def test_a_state_changing_call_is_never_retried(dropping: DroppingListener) -> None:
    async with PortalClient(dropping.url, token="t") as client:
        with pytest.raises(PortalUnavailable):
            await client.verify("prf_x", ["a", "b", "c"])
    assert dropping.connections == 1


async def test_a_portal_that_hangs_times_out(silent: DroppingListener) -> None:
    async with PortalClient(silent.url, timeout=httpx.Timeout(0.2)) as client:
        with pytest.raises(PortalUnavailable, match="in time"):
            await client.health()
    assert silent.connections == 1


async def _proxy_error_page(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    """An ASGI app standing for a reverse proxy whose portal is down: HTML, not the API."""
    await send(
        {"type": "http.response.start", "status": 502, "headers": [(b"content-type", b"text/html")]}
    )
    await send({"type": "http.response.body", "body": b"<html>Bad Gateway</html>"})


async def test_an_answer_that_is_not_the_api_is_portal_unavailable() -> None:
    transport = httpx.ASGITransport(app=_proxy_error_page)
    async with PortalClient("http://portal.test", transport=transport) as client:
        with pytest.raises(PortalFault, match="502"):
            await client.health()
