"""``helpdesk-portal --workers 2``: two processes serve the one port on the one database, and the
command still says once, on standard output, where it listens (the console reads that line)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from helpdesk.portal.cli import parse_args
from tests.portal.helpers import portal_command

UNKNOWN = {"Authorization": "Bearer an-unknown-token"}


def test_two_workers_serve_one_port_and_print_one_ready_line(tmp_path: Path) -> None:
    with portal_command(tmp_path / "p.db", "--workers", "2") as portal:
        # A new connection each time, so the kernel hands them to either worker; each looks the
        # token up in the database the command made before it forked.
        for _ in range(10):
            with httpx.Client(base_url=portal.url, timeout=10) as client:
                assert client.get("/healthz").status_code == 200
                answer = client.get("/admin/v1/profiles", params={"q": "a"}, headers=UNKNOWN)
                assert answer.status_code == 401
    assert portal.ready.startswith("helpdesk-portal listening on http://127.0.0.1:")
    assert portal.stdout == ""
    assert portal.returncode == 0
    # Both workers started and stopped with the command.
    assert portal.stderr.count("Finished server process") == 2, portal.stderr


def test_workers_zero_is_one_per_core_and_a_negative_count_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert parse_args(["--workers", "0"]).workers == (os.cpu_count() or 1)
    assert parse_args([]).workers == 1
    with pytest.raises(SystemExit):
        parse_args(["--workers", "-1"])
    assert "--workers takes 0" in capsys.readouterr().err
