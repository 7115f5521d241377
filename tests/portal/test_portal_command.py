"""The portal as its command serves it (issue 11). Where its logs go (defect 5: the access log went
to standard output, where the console reads only the ready line, so the embedded portal's log file
never had it), and the HTTP protocol with the portal's limits in effect."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx

from tests.portal.helpers import portal_command


def test_the_command_logs_to_stderr_and_serves_with_the_portals_protocol(tmp_path: Path) -> None:
    with portal_command(tmp_path / "p.db", "--environment", "training") as portal:
        url = portal.url
        assert httpx.get(f"{url}/healthz?probe=access-log", timeout=10).status_code == 200
        # No Host header: h11 refuses it before the app; the answer is in the error shape.
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\n\r\n")
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
    assert portal.ready.startswith("helpdesk-portal listening on http://127.0.0.1:")
    assert portal.stdout == ""
    [access] = [line for line in portal.stderr.splitlines() if "probe=access-log" in line]
    assert "GET /healthz?probe=access-log HTTP/1.1" in access and "200" in access
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), received
    assert json.loads(body)["error"]["code"] == "bad_request"
