"""The limits of the portal as its command serves it (issue 11): what its HTTP protocol enforces
before the app runs, and the body's size and time. Real sockets on loopback, short limits."""

from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from helpdesk.portal.app import create_app
from helpdesk.portal.db import Database
from helpdesk.portal.server import server_config
from helpdesk.portal.settings import HttpLimits, PortalSettings
from tests.hash_cost import CHEAP_POLICY

LIMITS = HttpLimits(
    max_body_bytes=64 * 1024,
    max_head_bytes=16 * 1024,
    head_timeout=0.5,
    body_timeout=0.5,
    keep_alive_timeout=0.5,
)
# How long past a timeout the server may take to close: a loaded machine, not the server's bound.
SLACK = 2.0


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The portal as the command serves it (its protocol, its limits made short), on an empty
    database: these requests never reach a rule."""
    path = tmp_path_factory.mktemp("limits") / "portal.db"
    database = Database.from_url(f"sqlite:///{path}")
    database.create_schema()
    settings = PortalSettings(database_url="unused://", policy=CHEAP_POLICY, limits=LIMITS)
    app = create_app(settings, database=database)
    config = server_config(app, LIMITS, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the portal did not start"
        thread.join(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)
        database.dispose()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def error_code(self) -> str:
        assert self.headers["content-type"] == "application/json", self.headers
        error = json.loads(self.body)["error"]
        assert set(error) == {"code", "message", "details"}, error
        return str(error["code"])


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=LIMITS.head_timeout + SLACK)
    return sock


def _read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a timeout fails the test)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def _answer(raw: bytes) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(status_line.split()[1]), headers, body)


def _exchange(port: int, request: bytes) -> tuple[Answer, float]:
    with _connect(port) as sock:
        started = time.monotonic()
        sock.sendall(request)
        raw = _read_until_closed(sock)
        return _answer(raw), time.monotonic() - started


def _post_head(path: str, **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: portal", "Content-Type: application/json"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def test_a_body_declared_over_the_limit_is_413_before_it_is_sent(port: int) -> None:
    answer, _ = _exchange(port, _post_head("/admin/v1/sessions", Content_Length=str(64 * 1024 + 1)))
    assert answer.status == 413
    assert answer.error_code() == "payload_too_large"
    assert answer.headers["connection"] == "close"
    assert answer.headers["x-request-id"].startswith("req_")


def test_a_chunked_body_is_refused_once_past_the_limit_without_its_end(port: int) -> None:
    # 66 KiB in chunks and no last chunk: the answer cannot have waited for the end.
    chunks = b"".join(_chunk(b"x" * 1024) for _ in range(66))
    answer, _ = _exchange(
        port, _post_head("/admin/v1/sessions", Transfer_Encoding="chunked") + chunks
    )
    assert answer.status == 413
    assert answer.error_code() == "payload_too_large"


def test_a_body_at_the_limit_reaches_the_route(port: int) -> None:
    body = json.dumps({"username": "u", "password": "p", "pad": ""}).encode()
    body = body.replace(b'""', b'"' + b" " * (64 * 1024 - len(body)) + b'"')
    assert len(body) == 64 * 1024
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        response = client.post(
            "/admin/v1/sessions", content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 401, response.text
        json_type = {"Content-Type": "application/json"}
        chunked = client.post(
            "/admin/v1/sessions", content=iter([body[:1000], body[1000:]]), headers=json_type
        )
        assert chunked.status_code == 401, chunked.text
        over = client.post("/admin/v1/sessions", content=iter([body, b" "]), headers=json_type)
        assert over.status_code == 413, over.text


def test_a_body_that_stops_arriving_is_408_within_the_timeout(port: int) -> None:
    request = _post_head("/admin/v1/sessions", Content_Length="100") + b'{"user'
    answer, elapsed = _exchange(port, request)
    assert answer.status == 408
    assert answer.error_code() == "request_timeout"
    assert LIMITS.body_timeout <= elapsed < LIMITS.body_timeout + SLACK


def test_a_new_connection_that_sends_nothing_is_closed(port: int) -> None:
    with _connect(port) as sock:
        started = time.monotonic()
        assert _read_until_closed(sock) == b""
        assert time.monotonic() - started < LIMITS.head_timeout + SLACK


def test_a_head_sent_a_byte_at_a_time_is_closed_within_the_head_timeout(port: int) -> None:
    """Each byte arrives well within the timeout; the head as a whole does not."""
    head = b"GET /healthz HTTP/1.1\r\nHost: portal\r\n" + b"X-Slow: " + b"a" * 10_000
    with _connect(port) as sock:
        started = time.monotonic()
        for byte in head:
            try:
                sock.send(bytes([byte]))
            except OSError:
                break  # closed while we were still sending
            # Waits for the server to close (readable), at most a tenth of the head timeout.
            readable, _, _ = select.select([sock], [], [], LIMITS.head_timeout / 10)
            if readable:
                break
        else:
            pytest.fail("the server read a head a byte at a time for ever")
        assert sock.recv(65536) == b""
        assert time.monotonic() - started < LIMITS.head_timeout + SLACK


def test_an_idle_kept_alive_connection_is_closed(port: int) -> None:
    with _connect(port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: portal\r\n\r\n")
        raw = _read_until_closed(sock)
    assert _answer(raw).status == 200


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /healthz HTTP/1.1\r\n\r\n",  # no Host
        b"GET /healthz HTTP/1.1\r\nHost: portal\r\nX-Nul: a\x00b\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: portal\r\nAuthorization: Bearer secret\x00\r\n\r\n",
        b"NOT HTTP AT ALL\r\n\r\n",
        b"POST /admin/v1/sessions HTTP/1.1\r\nHost: portal\r\nContent-Length: x\r\n\r\n",
    ],
)
def test_a_request_h11_refuses_is_400_in_the_error_shape(port: int, request_bytes: bytes) -> None:
    answer, _ = _exchange(port, request_bytes)
    assert answer.status == 400
    assert answer.error_code() == "bad_request"
    assert b"secret" not in answer.body
    assert answer.headers["connection"] == "close"


def test_a_request_line_of_a_megabyte_is_431_in_the_error_shape(port: int) -> None:
    request = b"GET /" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: portal\r\n\r\n"
    with _connect(port) as sock:
        # The server answers and closes after 16 KiB: the rest may not be taken.
        sender = threading.Thread(target=_send_ignoring_errors, args=(sock, request))
        sender.start()
        raw = _read_until_closed(sock)
        sender.join()
    answer = _answer(raw)
    assert answer.status == 431
    assert answer.error_code() == "headers_too_large"


def _send_ignoring_errors(sock: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.sendall(data)
